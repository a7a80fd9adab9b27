use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{room_users, rooms};

use crate::context::ContextExt;
use crate::ids::to_id;
use crate::loaders::Unread;
use crate::messages::types::Message;
use crate::pagination::{Page, PageInfo, activity_cursor};
use crate::users::types::User;

/// A member's role: the OWNER (one per group) and ADMINs may delete anyone's messages.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::room_users::RoomRole")]
pub enum RoomRole {
    Owner,
    Admin,
    Member,
}

/// A direct (1:1) or group room, as seen by one of its members. Only current members can read any of its
/// fields; for anyone else every field is NOT_FOUND (see `rooms::guard`).
pub struct Room(pub rooms::Model);

impl Room {
    /// My unread counts in this room (one batched load for both count fields).
    async fn unread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unread>> {
        let viewer = ctx.viewer()?;
        ctx.loaders()
            .unread()
            .load_one((self.0.id, viewer.user_id, self.0.last_seq))
            .await
            .map_err(Into::into)
    }
}

#[Object(guard = "crate::rooms::guard::MemberOf::room(self.0.id)")]
impl Room {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The group's name; null for direct rooms (show the other member instead).
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn is_group(&self) -> bool {
        self.0.is_group
    }

    /// Current members, longest-standing first.
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoomMember>> {
        Ok(ctx
            .loaders()
            .members()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(RoomMember)
            .collect())
    }

    /// The newest top-level message (possibly a deleted one).
    async fn last_message(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Message>> {
        Ok(ctx
            .loaders()
            .last_message()
            .load_one(self.0.id)
            .await?
            .map(Message))
    }

    /// Top-level messages from others after my read marker (deleted ones excluded).
    async fn unread_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(self.unread(ctx).await?.map_or(0, |u| u.messages))
    }

    /// Messages (thread replies included) after my read marker that mention me.
    async fn unread_mention_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(self.unread(ctx).await?.map_or(0, |u| u.mentions))
    }

    /// Whether I muted this room's notifications.
    async fn muted(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        Ok(ctx
            .loaders()
            .members()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .iter()
            .any(|m| m.user_id == viewer.user_id && m.muted))
    }

    /// Seq of the room's latest event: `roomEvents(afterSeq: lastSeq)` delivers only what comes next.
    async fn last_seq(&self) -> i64 {
        self.0.last_seq
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the room last had a message (or was created): `rooms` lists the most recent first.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.0.last_activity_at
    }
}

pub struct RoomMember(pub room_users::Model);

#[Object]
impl RoomMember {
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        ctx.loaders()
            .users()
            .load_one(self.0.user_id)
            .await?
            .map(User)
            .ok_or_else(|| crate::Error::internal("member without a user").into())
    }

    async fn role(&self) -> RoomRole {
        self.0.role.into()
    }

    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }

    /// When the member last read the room (or left it).
    async fn seen_at(&self) -> Option<DateTime<Utc>> {
        self.0.seen_at
    }

    /// Seq of the last message the member has read; null before their first `markRead`.
    async fn last_read_seq(&self) -> Option<i64> {
        (self.0.last_read_seq > 0).then_some(self.0.last_read_seq)
    }
}

#[derive(InputObject)]
pub struct CreateGroupRoomInput {
    /// 1–80 characters after trimming.
    pub name: String,
    /// People to add besides me (duplicates and my own id are ignored).
    pub member_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct RoomEdge {
    /// Opaque; pass it as `after`.
    pub cursor: String,
    pub node: Room,
}

/// Relay connection of my rooms, most recent activity first.
#[derive(SimpleObject)]
pub struct RoomConnection {
    pub edges: Vec<RoomEdge>,
    pub page_info: PageInfo,
}

impl From<Page<rooms::Model>> for RoomConnection {
    fn from(page: Page<rooms::Model>) -> Self {
        let edges: Vec<RoomEdge> = page
            .items
            .into_iter()
            .map(|r| RoomEdge {
                cursor: activity_cursor(r.last_activity_at, r.id),
                node: Room(r),
            })
            .collect();
        RoomConnection {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                has_previous_page: page.has_previous_page,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        }
    }
}
