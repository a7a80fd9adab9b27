//! `revoked_sessions` table.

use sea_orm::entity::prelude::*;

/// A sign-in (refresh-token family, the `sid` of its access tokens) ended early: by log-out or by refresh-token
/// reuse. Access tokens naming it are refused until `expires_at`, after which none can still be valid.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revoked_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub revoked_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
