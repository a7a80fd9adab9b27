use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entity::notifications;

use crate::context::ContextExt;
use crate::ids::to_id;
use crate::messages::types::Message;
use crate::pagination::PageInfo;
use crate::rooms::types::Room;

/// What a notification is about.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "chorus_core::notifications::NotificationKind")]
pub enum NotificationKind {
    /// A new message (or thread reply) in one of my rooms. Live only (the `notifications` subscription,
    /// `NotificationAdded` of `events`): never in the stored `notifications` list.
    Message,
    /// A message that `@mentions` me.
    Mention,
    /// I was added to a room.
    Invite,
}

pub struct Notification(pub notifications::Model);

/// Something for me: a mention or an invitation (stored, listed by `notifications`), or a new message
/// (MESSAGE: live only, on the `notifications` subscription and `events`).
#[Object]
impl Notification {
    /// Stable: a MESSAGE alert's id is its message's id, the same on every delivery (de-duplicate by it).
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn kind(&self) -> async_graphql::Result<NotificationKind> {
        chorus_core::notifications::NotificationKind::parse(&self.0.kind)
            .map(Into::into)
            .ok_or_else(|| {
                crate::Error::internal(format!("unknown notification kind {}", self.0.kind)).into()
            })
    }

    async fn room(&self, ctx: &Context<'_>) -> async_graphql::Result<Room> {
        ctx.loaders()
            .rooms()
            .load_one(self.0.room_id)
            .await?
            .map(Room)
            .ok_or_else(|| crate::Error::internal("notification of a missing room").into())
    }

    /// The message it is about (null for invitations).
    async fn message(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Message>> {
        let Some(id) = self.0.message_id else {
            return Ok(None);
        };
        Ok(ctx.loaders().messages().load_one(id).await?.map(Message))
    }

    async fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.created_at
    }

    /// Whether I marked it read (`markNotificationsRead`); always false for a live MESSAGE alert.
    async fn read(&self) -> bool {
        self.0.read_at.is_some()
    }
}

#[derive(SimpleObject)]
pub struct NotificationEdge {
    pub cursor: String,
    pub node: Notification,
}

/// Relay connection of notifications, newest first.
#[derive(SimpleObject)]
pub struct NotificationConnection {
    pub edges: Vec<NotificationEdge>,
    pub page_info: PageInfo,
}
