//! Incoming webhooks: a per-room URL whose secret (stored as its SHA-256) lets an outside service post a
//! message as the hook's bot.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum IncomingWebhooks {
    Table,
    Id,
    RoomId,
    BotId,
    CreatedBy,
    Name,
    SecretHash,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IncomingWebhooks::Table)
                    .col(pk_uuid(IncomingWebhooks::Id))
                    .col(uuid(IncomingWebhooks::RoomId))
                    .col(uuid(IncomingWebhooks::BotId))
                    .col(uuid(IncomingWebhooks::CreatedBy))
                    .col(text(IncomingWebhooks::Name))
                    .col(string_len(IncomingWebhooks::SecretHash, 64))
                    .col(timestamp_with_time_zone(IncomingWebhooks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incoming_webhooks_room_id")
                            .from(IncomingWebhooks::Table, IncomingWebhooks::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incoming_webhooks_bot_id")
                            .from(IncomingWebhooks::Table, IncomingWebhooks::BotId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_incoming_webhooks_room_id")
                    .table(IncomingWebhooks::Table)
                    .col(IncomingWebhooks::RoomId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IncomingWebhooks::Table).to_owned())
            .await?;
        Ok(())
    }
}
