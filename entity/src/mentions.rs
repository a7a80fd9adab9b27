//! `mentions` table.

use sea_orm::entity::prelude::*;

/// A user mentioned in a message.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub message_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub mentioned_user_id: Uuid,
    /// Reached through `@here`/`@everyone`/`@room` rather than named (`Message.mentions` lists the named).
    pub broadcast: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::messages::Entity",
        from = "Column::MessageId",
        to = "super::messages::Column::Id",
        on_delete = "Cascade"
    )]
    Messages,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::MentionedUserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    MentionedUser,
}

impl Related<super::messages::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MentionedUser.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
