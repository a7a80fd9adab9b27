//! MESSAGE notifications are no longer stored (one row per member per message does not scale; the alerts
//! are derived live from the room's `MessageAdded` events). The rows written before are deleted, so the
//! stored feed holds the same kinds (MENTION, INVITE) for old and new messages alike; unread counts never
//! depended on them (read markers and the mentions table).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Notifications::Table)
                    .and_where(Expr::col(Notifications::Kind).eq("MESSAGE"))
                    .to_owned(),
            )
            .await
    }

    /// The deleted rows cannot be rebuilt (their read state is gone); nothing to undo.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
