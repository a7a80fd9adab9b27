//! `users` table.

use sea_orm::entity::prelude::*;

/// A person, or a bot owned by one (signs in with API tokens only, never with a password).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserKind {
    #[sea_orm(string_value = "PERSON")]
    Person,
    #[sea_orm(string_value = "BOT")]
    Bot,
}

/// A registered user. `email` is stored lower-cased; `nickname` is unique
/// case-insensitively (unique index on `lower(nickname)`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub nickname: String,
    /// Not a foreign key (attachments reference users; circular).
    pub avatar_attachment_id: Option<Uuid>,
    #[sea_orm(default_value = true)]
    pub notifications_enabled: bool,
    pub last_seen_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub kind: UserKind,
    /// The person who created this bot (people: none). Not a foreign key, as `avatar_attachment_id`.
    pub owner_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        has_many = "super::refresh_tokens::Entity",
        via_rel = "Relation::Users"
    )]
    RefreshTokens,
    #[sea_orm(has_many = "super::room_users::Entity", via_rel = "Relation::Users")]
    RoomUsers,
    #[sea_orm(has_many = "super::rooms::Entity", via_rel = "Relation::Creator")]
    CreatedRooms,
    #[sea_orm(has_many = "super::messages::Entity", via_rel = "Relation::Sender")]
    Messages,
    #[sea_orm(
        has_many = "super::message_reactions::Entity",
        via_rel = "Relation::Users"
    )]
    MessageReactions,
    #[sea_orm(
        has_many = "super::mentions::Entity",
        via_rel = "Relation::MentionedUser"
    )]
    Mentions,
    #[sea_orm(
        has_many = "super::attachments::Entity",
        via_rel = "Relation::Uploader"
    )]
    Attachments,
    #[sea_orm(has_many = "super::notifications::Entity", via_rel = "Relation::Users")]
    Notifications,
}

impl Related<super::refresh_tokens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RefreshTokens.def()
    }
}

impl Related<super::room_users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoomUsers.def()
    }
}

/// Rooms the user is a member of (through `room_users`).
impl Related<super::rooms::Entity> for Entity {
    fn to() -> RelationDef {
        super::room_users::Relation::Rooms.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::room_users::Relation::Users.def().rev())
    }
}

/// Messages sent by the user.
impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
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

/// Attachments uploaded by the user.
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
