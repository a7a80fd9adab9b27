//! Mentions through `@here`/`@everyone`/`@room` are stored like named ones (they count in
//! `unreadMentionCount` and `mentions:me`), flagged so a message's list of people it names stays short.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Mentions {
    Table,
    Broadcast,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Mentions::Table)
                    .add_column(
                        ColumnDef::new(Mentions::Broadcast)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Mentions::Table)
                    .drop_column(Mentions::Broadcast)
                    .to_owned(),
            )
            .await
    }
}
