//! Slash commands: a room's OWNER or ADMIN registers `/name` in the room, answered by a bot they own
//! through a URL; an invocation is POSTed there, signed with the command's secret (kept as it is: signing
//! needs it), and the receiver's answer is posted to the room as the bot.

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
enum SlashCommands {
    Table,
    Id,
    RoomId,
    Name,
    Description,
    BotId,
    Url,
    Secret,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SlashCommands::Table)
                    .col(pk_uuid(SlashCommands::Id))
                    .col(uuid(SlashCommands::RoomId))
                    .col(text(SlashCommands::Name))
                    .col(text(SlashCommands::Description))
                    .col(uuid(SlashCommands::BotId))
                    .col(text(SlashCommands::Url))
                    .col(text(SlashCommands::Secret))
                    .col(uuid(SlashCommands::CreatedBy))
                    .col(timestamp_with_time_zone(SlashCommands::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_slash_commands_room_id")
                            .from(SlashCommands::Table, SlashCommands::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_slash_commands_bot_id")
                            .from(SlashCommands::Table, SlashCommands::BotId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::NoAction),
                    )
                    .to_owned(),
            )
            .await?;
        // One command of a name per room.
        manager
            .create_index(
                Index::create()
                    .name("idx_slash_commands_room_id_name")
                    .table(SlashCommands::Table)
                    .col(SlashCommands::RoomId)
                    .col(SlashCommands::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SlashCommands::Table).to_owned())
            .await?;
        Ok(())
    }
}
