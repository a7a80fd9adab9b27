//! `outgoing_webhooks` table.

use sea_orm::entity::prelude::*;

/// An outgoing webhook of a room: its events of the kinds in `events` are POSTed to `url`, in `seq` order,
/// signed with `secret` (kept as it is: signing needs it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outgoing_webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub room_id: Uuid,
    pub created_by: Uuid,
    pub url: String,
    /// Space-separated event kinds, e.g. `MESSAGE_ADDED MENTION`.
    pub events: String,
    pub secret: String,
    /// The last room event seq handled (delivered, or skipped as not asked for).
    pub cursor_seq: i64,
    /// When the pending delivery is retried; none: no delivery failing.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// Since when deliveries have been failing without a success.
    pub failing_since: Option<DateTimeUtc>,
    /// Set when deliveries failed for too long; a disabled hook delivers nothing.
    pub disabled_at: Option<DateTimeUtc>,
    /// An api process is delivering for the hook until then; others leave it alone.
    pub lease_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
