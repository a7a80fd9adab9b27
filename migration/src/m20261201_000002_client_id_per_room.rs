//! Send idempotency is scoped to (sender, room, clientId): a retry is the same sender sending the same
//! clientId to the same room. A clientId reused in another room is a new message, not a retry.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Messages {
    Table,
    SenderId,
    RoomId,
    ClientId,
}

const OLD: &str = "idx_messages_sender_id_client_id";
/// Matched by name where a violation is turned into "return the original message".
pub const NEW: &str = "idx_messages_sender_room_client_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(OLD).table(Messages::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(NEW)
                    .table(Messages::Table)
                    .col(Messages::SenderId)
                    .col(Messages::RoomId)
                    .col(Messages::ClientId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NEW).table(Messages::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(OLD)
                    .table(Messages::Table)
                    .col(Messages::SenderId)
                    .col(Messages::ClientId)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
