//! Incoming webhooks: a per-room URL whose secret (stored as its SHA-256) lets an outside service post a
//! message as the hook's bot. Outgoing webhooks: a URL that receives a room's events, each hook with its
//! cursor in the room event log, its retry state and lease, and a record of its recent deliveries.

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

#[derive(DeriveIden)]
enum OutgoingWebhooks {
    Table,
    Id,
    RoomId,
    CreatedBy,
    Url,
    Events,
    Secret,
    CursorSeq,
    NextAttemptAt,
    FailingSince,
    DisabledAt,
    LeaseUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    HookId,
    Seq,
    Kind,
    Attempts,
    StatusCode,
    Error,
    DeliveredAt,
    NextAttemptAt,
    UpdatedAt,
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
        manager
            .create_table(
                Table::create()
                    .table(OutgoingWebhooks::Table)
                    .col(pk_uuid(OutgoingWebhooks::Id))
                    .col(uuid(OutgoingWebhooks::RoomId))
                    .col(uuid(OutgoingWebhooks::CreatedBy))
                    .col(text(OutgoingWebhooks::Url))
                    .col(text(OutgoingWebhooks::Events))
                    .col(text(OutgoingWebhooks::Secret))
                    .col(big_integer(OutgoingWebhooks::CursorSeq))
                    .col(timestamp_with_time_zone_null(
                        OutgoingWebhooks::NextAttemptAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        OutgoingWebhooks::FailingSince,
                    ))
                    .col(timestamp_with_time_zone_null(OutgoingWebhooks::DisabledAt))
                    .col(timestamp_with_time_zone_null(OutgoingWebhooks::LeaseUntil))
                    .col(timestamp_with_time_zone(OutgoingWebhooks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outgoing_webhooks_room_id")
                            .from(OutgoingWebhooks::Table, OutgoingWebhooks::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outgoing_webhooks_room_id")
                    .table(OutgoingWebhooks::Table)
                    .col(OutgoingWebhooks::RoomId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(pk_uuid(WebhookDeliveries::Id))
                    .col(uuid(WebhookDeliveries::HookId))
                    .col(big_integer(WebhookDeliveries::Seq))
                    .col(string_len(WebhookDeliveries::Kind, 32))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(integer_null(WebhookDeliveries::StatusCode))
                    .col(text_null(WebhookDeliveries::Error))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::NextAttemptAt,
                    ))
                    .col(timestamp_with_time_zone(WebhookDeliveries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_hook_id")
                            .from(WebhookDeliveries::Table, WebhookDeliveries::HookId)
                            .to(OutgoingWebhooks::Table, OutgoingWebhooks::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_hook_id_seq")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::HookId)
                    .col(WebhookDeliveries::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OutgoingWebhooks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(IncomingWebhooks::Table).to_owned())
            .await?;
        Ok(())
    }
}
