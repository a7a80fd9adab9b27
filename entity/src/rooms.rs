//! `rooms` table.

use sea_orm::entity::prelude::*;

/// A chat room: either a group room or a 1:1 direct room (identified by
/// `direct_key`). `last_seq` is the last sequence number handed out for
/// messages / room events in this room.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: Option<String>,
    pub is_group: bool,
    #[sea_orm(unique)]
    pub direct_key: Option<String>,
    pub created_by: Option<Uuid>,
    #[sea_orm(default_value = 0)]
    pub last_seq: i64,
    pub last_activity_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Creator,
    #[sea_orm(has_many = "super::room_users::Entity", via_rel = "Relation::Rooms")]
    RoomUsers,
    #[sea_orm(has_many = "super::messages::Entity", via_rel = "Relation::Rooms")]
    Messages,
    #[sea_orm(has_many = "super::room_events::Entity", via_rel = "Relation::Rooms")]
    RoomEvents,
    #[sea_orm(has_many = "super::notifications::Entity", via_rel = "Relation::Rooms")]
    Notifications,
}

impl Related<super::room_users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoomUsers.def()
    }
}

/// Members of the room (through `room_users`). Use `Relation::Creator` for
/// the creating user.
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        super::room_users::Relation::Users.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::room_users::Relation::Rooms.def().rev())
    }
}

impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
    }
}

impl Related<super::room_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoomEvents.def()
    }
}

impl Related<super::notifications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notifications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
