//! `webhook_deliveries` table.

use sea_orm::entity::prelude::*;

/// The delivery of one room event (`seq`) to one outgoing webhook, with its latest attempt.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hook_id: Uuid,
    pub seq: i64,
    /// The delivery's `kind`, e.g. `MESSAGE_ADDED`.
    pub kind: String,
    pub attempts: i32,
    /// The receiver's HTTP status of the latest attempt; none: no answer.
    pub status_code: Option<i32>,
    /// Why the latest attempt failed.
    pub error: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
