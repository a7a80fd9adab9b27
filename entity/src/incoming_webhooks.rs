//! `incoming_webhooks` table.

use sea_orm::entity::prelude::*;

/// An incoming webhook of a room: `POST /hooks/<id>/<secret>` posts a message as `bot_id`. Only the hex
/// SHA-256 of the secret is stored; the URL with the secret is shown once, when the hook is created.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incoming_webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub room_id: Uuid,
    /// The bot the hook posts as, created with the hook and owned by its creator.
    pub bot_id: Uuid,
    pub created_by: Uuid,
    pub name: String,
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
