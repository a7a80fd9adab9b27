use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{message_link_previews, messages};
use uuid::Uuid;

use crate::attachments::types::Attachment;
use crate::context::ContextExt;
use crate::ids::to_id;
use crate::pagination::{Page, PageInfo, seq_cursor};
use crate::users::types::User;
use chorus_core::messages::reactions::{self, ReactionSummary};

/// A chat message or thread reply. Deleted messages stay as tombstones: `content` null, `deletedAt` set,
/// no attachments, reactions or mentions. Only current members of its room can read any of its fields; for
/// anyone else every field is NOT_FOUND (see `rooms::guard`).
pub struct Message(pub messages::Model);

impl Message {
    fn deleted(&self) -> bool {
        self.0.deleted_at.is_some()
    }
}

async fn users_in_order(ctx: &Context<'_>, ids: Vec<Uuid>) -> async_graphql::Result<Vec<User>> {
    let mut found = ctx.loaders().users().load_many(ids.iter().copied()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.remove(id))
        .map(User)
        .collect())
}

#[Object(guard = "crate::rooms::guard::MemberOf::message_of(self.0.room_id)")]
impl Message {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn room_id(&self) -> ID {
        to_id(self.0.room_id)
    }

    /// Position in the room's event sequence (increasing; not dense among messages).
    async fn seq(&self) -> i64 {
        self.0.seq
    }

    /// The name to show instead of the sender's nickname: set by the service that posted through an
    /// incoming webhook (`username`); the sender stays the hook's bot (show both, e.g. "CI (via deploys)").
    /// Null for every other message.
    async fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }

    /// The avatar (an absolute http(s) URL on another server) to show with `displayName`; null otherwise.
    async fn display_avatar_url(&self) -> Option<&str> {
        self.0.display_avatar_url.as_deref()
    }

    /// Null when the sender's account no longer exists.
    async fn sender(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(sender) = self.0.sender_id else {
            return Ok(None);
        };
        Ok(ctx.loaders().users().load_one(sender).await?.map(User))
    }

    /// The thread root, for replies.
    async fn parent_id(&self) -> Option<ID> {
        self.0.parent_id.map(to_id)
    }

    /// The thread root, for replies, as it is now: its `replyCount` and `lastReplyAt` already count this
    /// reply, so a client updates a thread's summary from a live reply without counting itself.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Message>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .messages()
            .load_one(parent)
            .await?
            .map(Message))
    }

    /// Null once deleted.
    async fn content(&self) -> Option<&str> {
        self.0.content.as_deref()
    }

    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        if self.deleted() {
            return Ok(Vec::new());
        }
        Ok(ctx
            .loaders()
            .attachments()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Attachment)
            .collect())
    }

    /// Reactions grouped by emoji, in the order each emoji was first used.
    async fn reactions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ReactionGroup>> {
        // Who is asking is read only by `reactedByMe`, and only where there are reactions: an event's
        // result without them stays shareable between its subscribers.
        let rows = ctx
            .loaders()
            .reactions()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(reactions::group_reactions(rows)
            .into_iter()
            .map(ReactionGroup)
            .collect())
    }

    /// Members this message names with `@nickname`. Members reached only through `@here`, `@everyone` or
    /// `@room` are not listed (the content says it; each of them still has the mention counted in
    /// `unreadMentionCount` and a MENTION notification).
    async fn mentions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let ids = ctx
            .loaders()
            .mentions()
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        users_in_order(ctx, ids).await
    }

    /// Number of thread replies (0 for replies themselves).
    async fn reply_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(ctx
            .loaders()
            .replies()
            .load_one(self.0.id)
            .await?
            .map_or(0, |s| s.count))
    }

    async fn last_reply_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(ctx
            .loaders()
            .replies()
            .load_one(self.0.id)
            .await?
            .map(|s| s.last_at))
    }

    /// Current members whose read marker is at or past this message.
    async fn seen_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let members = ctx
            .loaders()
            .members()
            .load_one(self.0.room_id)
            .await?
            .unwrap_or_default();
        let ids = members
            .into_iter()
            .filter(|m| m.last_read_seq >= self.0.seq)
            .map(|m| m.user_id)
            .collect();
        users_in_order(ctx, ids).await
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.inserted_at
    }

    async fn edited_at(&self) -> Option<DateTime<Utc>> {
        self.0.edited_at
    }

    async fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.0.deleted_at
    }

    /// The sender's idempotency key, echoed back so clients can match optimistic messages.
    async fn client_id(&self) -> Option<&str> {
        self.0.client_id.as_deref()
    }

    /// The preview of the message's first http(s) link (one per message), fetched by the server after the
    /// message was sent or edited: null until it arrives (a `MessageEdited` event announces it), when the
    /// page had nothing to show or could not be fetched, once the author removed it, and on deleted messages.
    async fn link_preview(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LinkPreview>> {
        if self.deleted() {
            return Ok(None);
        }
        Ok(ctx
            .loaders()
            .link_previews()
            .load_one(self.0.id)
            .await?
            .map(LinkPreview))
    }
}

pub struct LinkPreview(pub message_link_previews::Model);

/// What a linked page says about itself (OpenGraph, else its `<title>` and meta description), as fetched by
/// the server. Texts are plain text, never markup: render them as text, never as HTML.
#[Object]
impl LinkPreview {
    /// The link in the message (without its `#fragment`).
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// At most 200 characters.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// At most 500 characters.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// An absolute http(s) URL on the linked site (or elsewhere): load it without credentials.
    async fn image_url(&self) -> Option<&str> {
        self.0.image_url.as_deref()
    }

    async fn site_name(&self) -> Option<&str> {
        self.0.site_name.as_deref()
    }
}

/// Everyone who reacted to a message with one emoji.
pub struct ReactionGroup(pub ReactionSummary);

#[Object]
impl ReactionGroup {
    async fn emoji(&self) -> &str {
        &self.0.emoji
    }

    async fn count(&self) -> i32 {
        self.0.user_ids.len() as i32
    }

    async fn reacted_by_me(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.0.reacted_by(ctx.viewer()?.user_id))
    }

    /// Who reacted, earliest first.
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        users_in_order(ctx, self.0.user_ids.clone()).await
    }
}

#[derive(SimpleObject)]
pub struct MessageEdge {
    /// Opaque; pass it as `after`/`before`.
    pub cursor: String,
    pub node: Message,
}

/// Relay connection of messages, oldest first within the page.
#[derive(SimpleObject)]
pub struct MessageConnection {
    pub edges: Vec<MessageEdge>,
    pub page_info: PageInfo,
}

impl From<Page<messages::Model>> for MessageConnection {
    fn from(page: Page<messages::Model>) -> Self {
        let edges: Vec<MessageEdge> = page
            .items
            .into_iter()
            .map(|m| MessageEdge {
                cursor: seq_cursor(m.seq),
                node: Message(m),
            })
            .collect();
        MessageConnection {
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

#[derive(InputObject)]
pub struct SendMessageInput {
    pub room_id: ID,
    /// Trimmed; 1–4000 characters (may be empty when attachments are given). No control characters other
    /// than newline and tab.
    pub content: String,
    /// Idempotency key: sending again with the same key returns the original message.
    pub client_id: Option<String>,
    /// Own uploads, not yet sent (at most 10).
    pub attachment_ids: Option<Vec<ID>>,
}

#[derive(InputObject)]
pub struct ReplyInput {
    /// The message replied to; replies to a reply join its thread.
    pub parent_id: ID,
    pub content: String,
    pub client_id: Option<String>,
    pub attachment_ids: Option<Vec<ID>>,
}
