//! Sessions that ended before their access tokens expired (log-out, refresh-token reuse), and an index for the
//! per-user daily upload quota.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RevokedSessions {
    Table,
    SessionId,
    UserId,
    RevokedAt,
    /// After this no access token of the session can still be valid: the row may be pruned.
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    UploaderId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RevokedSessions::Table)
                    .col(pk_uuid(RevokedSessions::SessionId))
                    .col(uuid(RevokedSessions::UserId))
                    .col(timestamp_with_time_zone(RevokedSessions::RevokedAt))
                    .col(timestamp_with_time_zone(RevokedSessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_revoked_sessions_expires_at")
                    .table(RevokedSessions::Table)
                    .col(RevokedSessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_uploader_created")
                    .table(Attachments::Table)
                    .col(Attachments::UploaderId)
                    .col(Attachments::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_attachments_uploader_created")
                    .table(Attachments::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(RevokedSessions::Table).to_owned())
            .await
    }
}
