//! `slash_commands` table.

use sea_orm::entity::prelude::*;

/// A slash command of a room: `/name args` typed by a member is POSTed to `url`, signed with `secret`
/// (kept as it is: signing needs it), and the receiver's answer is posted to the room as `bot_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slash_commands")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub room_id: Uuid,
    /// Without the slash, lower case, unique in the room.
    pub name: String,
    pub description: String,
    /// The bot that answers; owned by the command's creator.
    pub bot_id: Uuid,
    pub url: String,
    pub secret: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
