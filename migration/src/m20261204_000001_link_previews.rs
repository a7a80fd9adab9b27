//! Link previews: the cache of fetched pages by URL, and the preview shown under each message.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LinkPreviews {
    Table,
    Url,
    Title,
    Description,
    ImageUrl,
    SiteName,
    FetchedAt,
}

#[derive(DeriveIden)]
enum MessageLinkPreviews {
    Table,
    MessageId,
    Url,
    Title,
    Description,
    ImageUrl,
    SiteName,
    CreatedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LinkPreviews::Table)
                    .col(text(LinkPreviews::Url).primary_key())
                    .col(text_null(LinkPreviews::Title))
                    .col(text_null(LinkPreviews::Description))
                    .col(text_null(LinkPreviews::ImageUrl))
                    .col(text_null(LinkPreviews::SiteName))
                    .col(timestamp_with_time_zone(LinkPreviews::FetchedAt))
                    .to_owned(),
            )
            .await?;
        // Expired rows are pruned by age.
        manager
            .create_index(
                Index::create()
                    .name("idx_link_previews_fetched_at")
                    .table(LinkPreviews::Table)
                    .col(LinkPreviews::FetchedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MessageLinkPreviews::Table)
                    .col(pk_uuid(MessageLinkPreviews::MessageId))
                    .col(text(MessageLinkPreviews::Url))
                    .col(text_null(MessageLinkPreviews::Title))
                    .col(text_null(MessageLinkPreviews::Description))
                    .col(text_null(MessageLinkPreviews::ImageUrl))
                    .col(text_null(MessageLinkPreviews::SiteName))
                    .col(timestamp_with_time_zone(MessageLinkPreviews::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        MessageLinkPreviews::RemovedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_message_link_previews_message_id")
                            .from(MessageLinkPreviews::Table, MessageLinkPreviews::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MessageLinkPreviews::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LinkPreviews::Table).to_owned())
            .await
    }
}
