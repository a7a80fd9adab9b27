//! Initial schema: users, auth tokens, rooms, memberships, messages,
//! reactions, mentions, attachments, room event log and notifications.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Nickname,
    AvatarAttachmentId,
    NotificationsEnabled,
    LastSeenAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    FamilyId,
    ExpiresAt,
    RevokedAt,
    ReplacedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    Name,
    IsGroup,
    DirectKey,
    CreatedBy,
    LastSeq,
    LastActivityAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoomUsers {
    Table,
    RoomId,
    UserId,
    Role,
    JoinedAt,
    LastReadSeq,
    SeenAt,
    Muted,
    LeftAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    RoomId,
    Seq,
    SenderId,
    ParentId,
    Content,
    ClientId,
    InsertedAt,
    EditedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum MessageReactions {
    Table,
    Id,
    MessageId,
    UserId,
    Emoji,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Mentions {
    Table,
    MessageId,
    MentionedUserId,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    UploaderId,
    MessageId,
    StorageKey,
    ContentType,
    Size,
    Width,
    Height,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoomEvents {
    Table,
    RoomId,
    Seq,
    Kind,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    RoomId,
    MessageId,
    CreatedAt,
    ReadAt,
}

/// Inline foreign key `from_table.from_col -> to_table.to_col`.
fn fk<A, B, C, D>(
    name: &str,
    from_table: A,
    from_col: B,
    to_table: C,
    to_col: D,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    A: IntoIden,
    B: IntoIden,
    C: IntoIden,
    D: IntoIden,
{
    ForeignKey::create()
        .name(name)
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::NoAction)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // users
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_uuid(Users::Id))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Nickname))
                    // No FK: attachments reference users (circular).
                    .col(uuid_null(Users::AvatarAttachmentId))
                    .col(boolean(Users::NotificationsEnabled).default(true))
                    .col(timestamp_with_time_zone_null(Users::LastSeenAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Case-insensitive nickname uniqueness; not expressible with the
        // index builder. Valid on both PostgreSQL and SQLite.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_users_nickname_lower ON users (lower(nickname))",
            )
            .await?;

        // refresh_tokens
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(pk_uuid(RefreshTokens::Id))
                    .col(uuid(RefreshTokens::UserId))
                    .col(string_uniq(RefreshTokens::TokenHash))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .col(uuid_null(RefreshTokens::ReplacedBy))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_refresh_tokens_user_id",
                        RefreshTokens::Table,
                        RefreshTokens::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_user_id")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_family_id")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;

        // rooms
        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(pk_uuid(Rooms::Id))
                    .col(string_null(Rooms::Name))
                    .col(boolean(Rooms::IsGroup))
                    .col(string_null(Rooms::DirectKey).unique_key())
                    .col(uuid_null(Rooms::CreatedBy))
                    .col(big_integer(Rooms::LastSeq).default(0i64))
                    .col(timestamp_with_time_zone(Rooms::LastActivityAt))
                    .col(timestamp_with_time_zone(Rooms::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_rooms_created_by",
                        Rooms::Table,
                        Rooms::CreatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        // room_users
        manager
            .create_table(
                Table::create()
                    .table(RoomUsers::Table)
                    .col(uuid(RoomUsers::RoomId))
                    .col(uuid(RoomUsers::UserId))
                    .col(string_len(RoomUsers::Role, 16))
                    .col(timestamp_with_time_zone(RoomUsers::JoinedAt))
                    .col(big_integer(RoomUsers::LastReadSeq).default(0i64))
                    .col(timestamp_with_time_zone_null(RoomUsers::SeenAt))
                    .col(boolean(RoomUsers::Muted).default(false))
                    .col(timestamp_with_time_zone_null(RoomUsers::LeftAt))
                    .primary_key(
                        Index::create()
                            .name("pk_room_users")
                            .col(RoomUsers::RoomId)
                            .col(RoomUsers::UserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_room_users_room_id",
                        RoomUsers::Table,
                        RoomUsers::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_room_users_user_id",
                        RoomUsers::Table,
                        RoomUsers::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_room_users_user_id_room_id")
                    .table(RoomUsers::Table)
                    .col(RoomUsers::UserId)
                    .col(RoomUsers::RoomId)
                    .to_owned(),
            )
            .await?;

        // messages
        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(pk_uuid(Messages::Id))
                    .col(uuid(Messages::RoomId))
                    .col(big_integer(Messages::Seq))
                    .col(uuid_null(Messages::SenderId))
                    .col(uuid_null(Messages::ParentId))
                    .col(text_null(Messages::Content))
                    .col(string_null(Messages::ClientId))
                    .col(timestamp_with_time_zone(Messages::InsertedAt))
                    .col(timestamp_with_time_zone_null(Messages::EditedAt))
                    .col(timestamp_with_time_zone_null(Messages::DeletedAt))
                    .foreign_key(&mut fk(
                        "fk_messages_room_id",
                        Messages::Table,
                        Messages::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_messages_sender_id",
                        Messages::Table,
                        Messages::SenderId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_messages_parent_id",
                        Messages::Table,
                        Messages::ParentId,
                        Messages::Table,
                        Messages::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_room_id_seq")
                    .table(Messages::Table)
                    .col(Messages::RoomId)
                    .col(Messages::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_sender_id_client_id")
                    .table(Messages::Table)
                    .col(Messages::SenderId)
                    .col(Messages::ClientId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_room_id_parent_id_seq")
                    .table(Messages::Table)
                    .col(Messages::RoomId)
                    .col(Messages::ParentId)
                    .col(Messages::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_parent_id_seq")
                    .table(Messages::Table)
                    .col(Messages::ParentId)
                    .col(Messages::Seq)
                    .to_owned(),
            )
            .await?;

        // message_reactions
        manager
            .create_table(
                Table::create()
                    .table(MessageReactions::Table)
                    .col(pk_uuid(MessageReactions::Id))
                    .col(uuid(MessageReactions::MessageId))
                    .col(uuid(MessageReactions::UserId))
                    .col(string(MessageReactions::Emoji))
                    .col(timestamp_with_time_zone(MessageReactions::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_message_reactions_message_id",
                        MessageReactions::Table,
                        MessageReactions::MessageId,
                        Messages::Table,
                        Messages::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_message_reactions_user_id",
                        MessageReactions::Table,
                        MessageReactions::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_message_reactions_message_id_user_id_emoji")
                    .table(MessageReactions::Table)
                    .col(MessageReactions::MessageId)
                    .col(MessageReactions::UserId)
                    .col(MessageReactions::Emoji)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_message_reactions_message_id")
                    .table(MessageReactions::Table)
                    .col(MessageReactions::MessageId)
                    .to_owned(),
            )
            .await?;

        // mentions
        manager
            .create_table(
                Table::create()
                    .table(Mentions::Table)
                    .col(uuid(Mentions::MessageId))
                    .col(uuid(Mentions::MentionedUserId))
                    .primary_key(
                        Index::create()
                            .name("pk_mentions")
                            .col(Mentions::MessageId)
                            .col(Mentions::MentionedUserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_mentions_message_id",
                        Mentions::Table,
                        Mentions::MessageId,
                        Messages::Table,
                        Messages::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_mentions_mentioned_user_id",
                        Mentions::Table,
                        Mentions::MentionedUserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mentions_mentioned_user_id")
                    .table(Mentions::Table)
                    .col(Mentions::MentionedUserId)
                    .to_owned(),
            )
            .await?;

        // attachments
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(pk_uuid(Attachments::Id))
                    .col(uuid(Attachments::UploaderId))
                    .col(uuid_null(Attachments::MessageId))
                    .col(string(Attachments::StorageKey))
                    .col(string(Attachments::ContentType))
                    .col(big_integer(Attachments::Size))
                    .col(integer_null(Attachments::Width))
                    .col(integer_null(Attachments::Height))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_attachments_uploader_id",
                        Attachments::Table,
                        Attachments::UploaderId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attachments_message_id",
                        Attachments::Table,
                        Attachments::MessageId,
                        Messages::Table,
                        Messages::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_message_id")
                    .table(Attachments::Table)
                    .col(Attachments::MessageId)
                    .to_owned(),
            )
            .await?;

        // room_events
        manager
            .create_table(
                Table::create()
                    .table(RoomEvents::Table)
                    .col(uuid(RoomEvents::RoomId))
                    .col(big_integer(RoomEvents::Seq))
                    .col(string(RoomEvents::Kind))
                    .col(json_binary(RoomEvents::Payload))
                    .col(timestamp_with_time_zone(RoomEvents::CreatedAt))
                    .primary_key(
                        Index::create()
                            .name("pk_room_events")
                            .col(RoomEvents::RoomId)
                            .col(RoomEvents::Seq),
                    )
                    .foreign_key(&mut fk(
                        "fk_room_events_room_id",
                        RoomEvents::Table,
                        RoomEvents::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // notifications
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_uuid(Notifications::Id))
                    .col(uuid(Notifications::UserId))
                    .col(string(Notifications::Kind))
                    .col(uuid(Notifications::RoomId))
                    .col(uuid_null(Notifications::MessageId))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(&mut fk(
                        "fk_notifications_user_id",
                        Notifications::Table,
                        Notifications::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_notifications_room_id",
                        Notifications::Table,
                        Notifications::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_notifications_message_id",
                        Notifications::Table,
                        Notifications::MessageId,
                        Messages::Table,
                        Messages::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user_id_created_at")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Reverse creation order; indexes (including idx_users_nickname_lower)
        // and inline foreign keys are dropped together with their tables.
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RoomEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Mentions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MessageReactions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Messages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RoomUsers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Rooms::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RefreshTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await?;
        Ok(())
    }
}
