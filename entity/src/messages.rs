//! `messages` table.

use sea_orm::entity::prelude::*;

/// A chat message. `seq` is unique per room; `parent_id` points at the thread
/// root for replies. `content` is NULL once the message is deleted.
/// `(sender_id, room_id, client_id)` is unique, for idempotent sends.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique_key = "room_seq")]
    pub room_id: Uuid,
    #[sea_orm(unique_key = "room_seq")]
    pub seq: i64,
    #[sea_orm(unique_key = "sender_client")]
    pub sender_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub content: Option<String>,
    #[sea_orm(unique_key = "sender_client")]
    pub client_id: Option<String>,
    pub inserted_at: DateTimeUtc,
    pub edited_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    /// The name shown instead of the sender's, asked for by the service that posted through an incoming
    /// webhook (`username`); the sender stays the hook's bot.
    #[sea_orm(column_type = "Text", nullable)]
    pub display_name: Option<String>,
    /// The avatar shown with `display_name` (an http(s) URL), likewise.
    #[sea_orm(column_type = "Text", nullable)]
    pub display_avatar_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::rooms::Entity",
        from = "Column::RoomId",
        to = "super::rooms::Column::Id",
        on_delete = "Cascade"
    )]
    Rooms,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::SenderId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Sender,
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_delete = "Cascade"
    )]
    Parent,
    #[sea_orm(has_many = "Entity", via_rel = "Relation::Parent")]
    Replies,
    #[sea_orm(
        has_many = "super::message_reactions::Entity",
        via_rel = "Relation::Messages"
    )]
    MessageReactions,
    #[sea_orm(has_many = "super::mentions::Entity", via_rel = "Relation::Messages")]
    Mentions,
    #[sea_orm(
        has_many = "super::attachments::Entity",
        via_rel = "Relation::Messages"
    )]
    Attachments,
    #[sea_orm(
        has_many = "super::notifications::Entity",
        via_rel = "Relation::Messages"
    )]
    Notifications,
}

impl Related<super::rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rooms.def()
    }
}

/// The sender of the message.
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sender.def()
    }
}

impl Related<super::message_reactions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MessageReactions.def()
    }
}

impl Related<super::mentions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mentions.def()
    }
}

impl Related<super::attachments::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Attachments.def()
    }
}

impl Related<super::notifications::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notifications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
