//! GraphQL types of live delivery: the `RoomEvent` union, mention alerts and presence.

use async_graphql::{ComplexObject, Context, ID, SimpleObject, Union};
use chrono::{DateTime, Utc};
use entity::{notifications, room_events};
use uuid::Uuid;

use crate::context::ContextExt;
use crate::ids::to_id;
use crate::messages::types::Message;
use crate::rooms::types::{Room, RoomRole};
use crate::users::types::User;
use chorus_core::error::{Error, Result};
use chorus_core::events::EventData;
use chorus_core::realtime::room_stream::RoomItem;

/// What every room event carries.
#[derive(SimpleObject, Clone)]
pub struct EventMeta {
    /// The event's place in the room's log (1, 2, 3 … without gaps); null for ephemeral events (typing).
    /// Resume with `roomEvents(roomId, afterSeq: <last seq you hold>)`.
    pub seq: Option<i64>,
    pub room_id: ID,
    pub at: DateTime<Utc>,
}

/// Something that happened in a room, in `seq` order.
#[derive(Union)]
pub enum RoomEvent {
    MessageAdded(MessageAdded),
    MessageEdited(MessageEdited),
    MessageDeleted(MessageDeleted),
    ReactionChanged(ReactionChanged),
    ReadReceipt(ReadReceipt),
    TypingStarted(TypingStarted),
    MemberJoined(MemberJoined),
    MemberLeft(MemberLeft),
    MemberRoleChanged(MemberRoleChanged),
}

impl RoomEvent {
    pub fn from_item(item: RoomItem) -> Result<Self> {
        match item {
            RoomItem::Typing {
                room_id,
                user_id,
                at,
            } => Ok(RoomEvent::TypingStarted(TypingStarted {
                meta: EventMeta {
                    seq: None,
                    room_id: to_id(room_id),
                    at,
                },
                user_id,
            })),
            RoomItem::Stored(row) => Self::from_row(row),
            RoomItem::UserUpdated { .. } => {
                Err(Error::internal("a profile change is not a room event"))
            }
        }
    }

    pub fn from_row(row: room_events::Model) -> Result<Self> {
        let meta = EventMeta {
            seq: Some(row.seq),
            room_id: to_id(row.room_id),
            at: row.created_at,
        };
        Ok(match EventData::of(&row)? {
            EventData::MessageAdded { message_id, .. } => {
                RoomEvent::MessageAdded(MessageAdded { meta, message_id })
            }
            // A preview change reaches clients as an edit of the message: they already replace it.
            EventData::MessageEdited { message_id }
            | EventData::LinkPreviewChanged { message_id } => {
                RoomEvent::MessageEdited(MessageEdited { meta, message_id })
            }
            EventData::MessageDeleted { message_id } => {
                RoomEvent::MessageDeleted(MessageDeleted { meta, message_id })
            }
            EventData::ReactionChanged {
                message_id,
                emoji,
                user_id,
                added,
            } => RoomEvent::ReactionChanged(ReactionChanged {
                meta,
                message_id,
                user_id,
                emoji,
                added,
            }),
            EventData::ReadReceipt {
                user_id,
                last_read_seq,
                seen_at,
            } => RoomEvent::ReadReceipt(ReadReceipt {
                meta,
                user_id,
                last_read_seq,
                seen_at,
            }),
            EventData::MemberJoined { user_id, .. } => {
                RoomEvent::MemberJoined(MemberJoined { meta, user_id })
            }
            EventData::MemberLeft { user_id } => {
                RoomEvent::MemberLeft(MemberLeft { meta, user_id })
            }
            EventData::MemberRoleChanged { user_id, role, .. } => {
                RoomEvent::MemberRoleChanged(MemberRoleChanged {
                    meta,
                    user_id,
                    role: role.into(),
                })
            }
        })
    }
}

async fn load_message(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Message> {
    ctx.loaders()
        .messages()
        .load_one(id)
        .await?
        .map(Message)
        .ok_or_else(|| Error::NotFound("message not found").into())
}

async fn load_user(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<User> {
    ctx.loaders()
        .users()
        .load_one(id)
        .await?
        .map(User)
        .ok_or_else(|| Error::NotFound("user not found").into())
}

/// A message was sent (a thread reply has `parentId` set).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MessageAdded {
    #[graphql(flatten)]
    pub meta: EventMeta,
    #[graphql(skip)]
    pub message_id: Uuid,
}

#[ComplexObject]
impl MessageAdded {
    /// The message as it is now.
    async fn message(&self, ctx: &Context<'_>) -> async_graphql::Result<Message> {
        load_message(ctx, self.message_id).await
    }
}

/// A message changed: its content (then `editedAt` moved) or its link preview.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MessageEdited {
    #[graphql(flatten)]
    pub meta: EventMeta,
    #[graphql(skip)]
    pub message_id: Uuid,
}

#[ComplexObject]
impl MessageEdited {
    async fn message(&self, ctx: &Context<'_>) -> async_graphql::Result<Message> {
        load_message(ctx, self.message_id).await
    }
}

/// A message was deleted; it stays as a tombstone.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MessageDeleted {
    #[graphql(flatten)]
    pub meta: EventMeta,
    #[graphql(skip)]
    pub message_id: Uuid,
}

#[ComplexObject]
impl MessageDeleted {
    async fn message(&self, ctx: &Context<'_>) -> async_graphql::Result<Message> {
        load_message(ctx, self.message_id).await
    }
}

/// Someone added or removed a reaction.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ReactionChanged {
    #[graphql(flatten)]
    pub meta: EventMeta,
    pub emoji: String,
    /// True when added, false when removed.
    pub added: bool,
    #[graphql(skip)]
    pub message_id: Uuid,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl ReactionChanged {
    async fn message(&self, ctx: &Context<'_>) -> async_graphql::Result<Message> {
        load_message(ctx, self.message_id).await
    }

    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// A member's read marker moved forward.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ReadReceipt {
    #[graphql(flatten)]
    pub meta: EventMeta,
    pub last_read_seq: i64,
    pub seen_at: DateTime<Utc>,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl ReadReceipt {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// Someone is typing (ephemeral: no seq, not replayed).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct TypingStarted {
    #[graphql(flatten)]
    pub meta: EventMeta,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl TypingStarted {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// Someone joined (or was added to) the room.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MemberJoined {
    #[graphql(flatten)]
    pub meta: EventMeta,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl MemberJoined {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// Someone left the room. When it is you, your `roomEvents` stream ends after this event.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MemberLeft {
    #[graphql(flatten)]
    pub meta: EventMeta,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl MemberLeft {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// A member's role changed (ownership handed over, admin granted or taken back).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MemberRoleChanged {
    #[graphql(flatten)]
    pub meta: EventMeta,
    pub role: RoomRole,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl MemberRoleChanged {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// Someone `@mentioned` you.
pub struct MentionAlert(pub notifications::Model);

#[async_graphql::Object]
impl MentionAlert {
    /// The stored MENTION notification's id (as in `notifications`): what `mentions(after:)` resumes from.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn message(&self, ctx: &Context<'_>) -> async_graphql::Result<Message> {
        let id = self
            .0
            .message_id
            .ok_or_else(|| Error::internal("mention without message"))?;
        load_message(ctx, id).await
    }

    async fn room(&self, ctx: &Context<'_>) -> async_graphql::Result<Room> {
        ctx.loaders()
            .rooms()
            .load_one(self.0.room_id)
            .await?
            .map(Room)
            .ok_or_else(|| Error::NotFound("room not found").into())
    }

    /// Who mentioned you.
    async fn by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let message = self.message(ctx).await?;
        // Read from the row, not through `Message`'s guarded fields: check the same rule here.
        if !crate::rooms::guard::is_member(ctx, message.0.room_id).await? {
            return Err(chorus_core::rooms::permissions::MESSAGE_NOT_FOUND.into());
        }
        let sender = message
            .0
            .sender_id
            .ok_or_else(|| Error::NotFound("sender no longer exists"))?;
        load_user(ctx, sender).await
    }
}

#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "chorus_core::realtime::presence::PresenceStatus")]
pub enum PresenceStatus {
    Online,
    Away,
    Offline,
}

/// Whether someone is around.
#[derive(SimpleObject, Clone, Copy)]
pub struct Presence {
    pub status: PresenceStatus,
    /// When they were last connected; null while connected or never seen.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// A change of someone's presence (the first events of a `presence` subscription are the current state).
pub struct PresenceEvent {
    pub user_id: Uuid,
    pub presence: Presence,
}

#[async_graphql::Object]
impl PresenceEvent {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }

    async fn status(&self) -> PresenceStatus {
        self.presence.status
    }

    async fn last_seen_at(&self) -> Option<DateTime<Utc>> {
        self.presence.last_seen_at
    }
}

/// Where a client stands in one room: `events` replays that room's stored events after `afterSeq`.
#[derive(async_graphql::InputObject, Clone)]
pub struct RoomPositionInput {
    pub room_id: ID,
    pub after_seq: i64,
}

/// Everything live for you on one stream: every event of every room you are in (each with `roomId` and
/// `seq`), rooms you join or leave, profile changes of people you share a room with, your notifications
/// and mention alerts, and typing.
#[derive(Union)]
pub enum ViewerEvent {
    #[graphql(flatten)]
    Room(RoomEvent),
    RoomAdded(RoomAdded),
    RoomRemoved(RoomRemoved),
    UserUpdated(UserUpdated),
    NotificationAdded(NotificationAdded),
    MentionAlert(MentionAlert),
}

/// You became a member of a room (you created it elsewhere, someone opened a DM with you or invited you).
/// Its events follow on the same stream, starting with your `MemberJoined`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RoomAdded {
    pub room_id: ID,
    pub at: DateTime<Utc>,
    #[graphql(skip)]
    pub id: Uuid,
}

#[ComplexObject]
impl RoomAdded {
    async fn room(&self, ctx: &Context<'_>) -> async_graphql::Result<Room> {
        ctx.loaders()
            .rooms()
            .load_one(self.id)
            .await?
            .map(Room)
            .ok_or_else(|| Error::NotFound("room not found").into())
    }
}

/// You are no longer a member of the room (after your own `MemberLeft`): nothing more comes from it.
#[derive(SimpleObject)]
pub struct RoomRemoved {
    pub room_id: ID,
    pub at: DateTime<Utc>,
}

/// Someone you share a room with (or you) changed their nickname or avatar.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UserUpdated {
    pub at: DateTime<Utc>,
    #[graphql(skip)]
    pub user_id: Uuid,
}

#[ComplexObject]
impl UserUpdated {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        load_user(ctx, self.user_id).await
    }
}

/// A new notification of yours, honouring your settings (a mention also comes as a `MentionAlert`).
#[derive(SimpleObject)]
pub struct NotificationAdded {
    pub notification: crate::notifications::types::Notification,
}
