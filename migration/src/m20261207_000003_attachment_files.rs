//! Attachments of any type: the original (sanitised) file name, the thumbnail of images and their blurhash,
//! and an index to find a row by the key `/files/{key}` is asked for (its type and name decide how it is
//! served).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachments {
    Table,
    StorageKey,
    FileName,
    ThumbnailKey,
    Blurhash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            Attachments::FileName,
            Attachments::ThumbnailKey,
            Attachments::Blurhash,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Attachments::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_storage_key")
                    .table(Attachments::Table)
                    .col(Attachments::StorageKey)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_thumbnail_key")
                    .table(Attachments::Table)
                    .col(Attachments::ThumbnailKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in [
            "idx_attachments_thumbnail_key",
            "idx_attachments_storage_key",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(index)
                        .table(Attachments::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Attachments::Blurhash,
            Attachments::ThumbnailKey,
            Attachments::FileName,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Attachments::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
