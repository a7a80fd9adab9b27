//! JSON shapes of the REST facade: camelCase, with the field names of the GraphQL types, so a client can switch
//! between the two APIs without renaming anything. Nested data (senders, reactions, members, …) is read through
//! the per-request DataLoaders of the `schema` crate, a fixed number of batched queries per response whatever
//! its size.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use async_graphql::dataloader::{DataLoader, Loader};
use chrono::{DateTime, Utc};
use entity::{attachments, messages, room_users, rooms, users};
use schema::attachments::signing::FileUrls;
use schema::auth::service::Session as SessionModel;
use schema::loaders::Loaders;
use schema::messages::service as messages_service;
use schema::{Error, Result, Viewer};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------- requests

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpBody {
    pub email: String,
    pub password: String,
    pub nickname: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogInBody {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshTokenBody {
    pub refresh_token: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectRoomBody {
    pub user_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRoomBody {
    pub name: String,
    #[serde(default)]
    pub member_ids: Vec<String>,
}

/// A new message or thread reply.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostBody {
    pub content: String,
    pub client_id: Option<String>,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditBody {
    pub content: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionBody {
    pub emoji: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkReadBody {
    pub message_id: String,
}

/// `?before=&limit=` of a history page. Strings, so an empty parameter counts as absent and a bad number is
/// reported with its field.
#[derive(Deserialize)]
pub struct HistoryQuery {
    pub before: Option<String>,
    pub limit: Option<String>,
}

/// `?after=&limit=` of a thread page.
#[derive(Deserialize)]
pub struct ThreadQuery {
    pub after: Option<String>,
    pub limit: Option<String>,
}

/// An optional query parameter: empty means absent.
pub fn param(raw: Option<String>) -> Option<String> {
    raw.filter(|v| !v.is_empty())
}

/// The page size parameter, `limit`; its range is checked by the service.
pub fn limit(raw: Option<String>) -> Result<Option<i32>> {
    param(raw)
        .map(|v| {
            v.parse::<i32>()
                .map_err(|_| Error::invalid("limit", "limit must be an integer"))
        })
        .transpose()
}

// --------------------------------------------------------------------------------------------- responses

/// `User`: never carries the e-mail address.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Uuid,
    pub nickname: String,
    pub avatar_url: Option<String>,
}

impl From<&users::Model> for User {
    fn from(u: &users::Model) -> Self {
        User {
            id: u.id,
            nickname: u.nickname.clone(),
            // As `User.avatarUrl` in GraphQL: no avatar can be set until image uploads exist.
            avatar_url: None,
        }
    }
}

/// `Viewer`: the signed-in user with what only they may see.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user: User,
    pub email: String,
    pub notifications_enabled: bool,
}

impl From<users::Model> for Me {
    fn from(u: users::Model) -> Self {
        Me {
            user: User::from(&u),
            email: u.email,
            notifications_enabled: u.notifications_enabled,
        }
    }
}

/// `AuthPayload`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: User,
}

impl From<SessionModel> for Session {
    fn from(s: SessionModel) -> Self {
        Session {
            user: User::from(&s.user),
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            expires_in: s.expires_in,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedOut {
    /// False when the refresh token was unknown or its session had already ended.
    pub logged_out: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: Uuid,
    pub url: String,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

impl Attachment {
    /// As `Attachment` in GraphQL: the URL is signed for `viewer`.
    pub fn new(a: attachments::Model, files: &FileUrls, viewer: Uuid) -> Self {
        Attachment {
            id: a.id,
            url: files.url(&a.storage_key, viewer),
            content_type: a.content_type,
            size: a.size,
            width: a.width,
            height: a.height,
        }
    }
}

/// `ReactionGroup`, with the ids of who reacted (earliest first) instead of nested users.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionGroup {
    pub emoji: String,
    pub count: usize,
    pub reacted_by_me: bool,
    pub user_ids: Vec<Uuid>,
}

/// `Message`. Mentions and `seenBy` are user ids.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: Uuid,
    pub room_id: Uuid,
    pub seq: i64,
    pub sender_id: Option<Uuid>,
    /// Null when the sender's account no longer exists.
    pub sender: Option<User>,
    pub parent_id: Option<Uuid>,
    /// Null once deleted.
    pub content: Option<String>,
    pub attachments: Vec<Attachment>,
    pub reactions: Vec<ReactionGroup>,
    pub mentions: Vec<Uuid>,
    pub reply_count: i64,
    pub last_reply_at: Option<DateTime<Utc>>,
    pub seen_by: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub client_id: Option<String>,
}

/// A page of history: `messages` newest first; pass `nextBefore` as `before` for the older page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub messages: Vec<Message>,
    pub has_more: bool,
    pub next_before: Option<String>,
}

/// A page of thread replies: `messages` oldest first; pass `nextAfter` as `after` for the next page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadPage {
    pub messages: Vec<Message>,
    pub has_more: bool,
    pub next_after: Option<String>,
}

/// `RoomMember`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomMember {
    pub user: User,
    /// `OWNER`, `ADMIN` or `MEMBER`.
    pub role: &'static str,
    pub joined_at: DateTime<Utc>,
    pub seen_at: Option<DateTime<Utc>>,
    /// Null before the member's first `markRead`.
    pub last_read_seq: Option<i64>,
}

/// `Room`, as seen by the caller.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    pub id: Uuid,
    pub name: Option<String>,
    pub is_group: bool,
    pub members: Vec<RoomMember>,
    pub last_message: Option<Message>,
    pub unread_count: i64,
    pub unread_mention_count: i64,
    pub muted: bool,
    pub last_seq: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rooms {
    /// Most recent activity first.
    pub rooms: Vec<Room>,
}

// ------------------------------------------------------------------------------------- batched assembly

/// Loads a batch through a DataLoader: one query (per 1,000 keys) whatever the number of keys.
async fn batch<K, L>(loader: &DataLoader<L>, keys: HashSet<K>) -> Result<HashMap<K, L::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    L: Loader<K, Error = async_graphql::Error>,
{
    // Loader errors were already logged when the schema error became a GraphQL one.
    loader
        .load_many(keys)
        .await
        .map_err(|e| Error::internal(e.message))
}

fn role(role: room_users::RoomRole) -> &'static str {
    match role {
        room_users::RoomRole::Owner => "OWNER",
        room_users::RoomRole::Admin => "ADMIN",
        room_users::RoomRole::Member => "MEMBER",
    }
}

/// Messages with everything nested, in the order given, at a fixed number of queries.
pub async fn messages(
    loaders: &Loaders,
    files: &FileUrls,
    viewer: Viewer,
    items: Vec<messages::Model>,
) -> Result<Vec<Message>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let ids: HashSet<Uuid> = items.iter().map(|m| m.id).collect();
    let room_ids: HashSet<Uuid> = items.iter().map(|m| m.room_id).collect();
    let sender_ids: HashSet<Uuid> = items.iter().filter_map(|m| m.sender_id).collect();
    let (mut reactions, mut mentions, mut attachments, replies, members, senders) = tokio::try_join!(
        batch(&loaders.reactions, ids.clone()),
        batch(&loaders.mentions, ids.clone()),
        batch(&loaders.attachments, ids.clone()),
        batch(&loaders.replies, ids),
        batch(&loaders.members, room_ids),
        batch(&loaders.users, sender_ids),
    )?;
    Ok(items
        .into_iter()
        .map(|m| {
            let deleted = m.deleted_at.is_some();
            let stats = replies.get(&m.id);
            let seen_by = members
                .get(&m.room_id)
                .into_iter()
                .flatten()
                .filter(|member| member.last_read_seq >= m.seq)
                .map(|member| member.user_id)
                .collect();
            Message {
                id: m.id,
                room_id: m.room_id,
                seq: m.seq,
                sender_id: m.sender_id,
                sender: m.sender_id.and_then(|id| senders.get(&id)).map(User::from),
                parent_id: m.parent_id,
                attachments: if deleted {
                    Vec::new()
                } else {
                    attachments
                        .remove(&m.id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|a| Attachment::new(a, files, viewer.user_id))
                        .collect()
                },
                reactions: reaction_groups(reactions.remove(&m.id).unwrap_or_default(), viewer),
                mentions: mentions.remove(&m.id).unwrap_or_default(),
                reply_count: stats.map_or(0, |s| s.count),
                last_reply_at: stats.map(|s| s.last_at),
                seen_by,
                content: m.content,
                created_at: m.inserted_at,
                edited_at: m.edited_at,
                deleted_at: m.deleted_at,
                client_id: m.client_id,
            }
        })
        .collect())
}

/// One message with everything nested.
pub async fn message(
    loaders: &Loaders,
    files: &FileUrls,
    viewer: Viewer,
    item: messages::Model,
) -> Result<Message> {
    messages(loaders, files, viewer, vec![item])
        .await?
        .pop()
        .ok_or_else(|| Error::internal("message vanished while presenting it"))
}

fn reaction_groups(
    rows: Vec<entity::message_reactions::Model>,
    viewer: Viewer,
) -> Vec<ReactionGroup> {
    messages_service::group_reactions(rows, viewer.user_id)
        .into_iter()
        .map(|g| ReactionGroup {
            emoji: g.emoji,
            count: g.user_ids.len(),
            reacted_by_me: g.reacted_by_me,
            user_ids: g.user_ids,
        })
        .collect()
}

/// Rooms with members, last message and the caller's unread counts, in the order given, at a fixed number of
/// queries.
pub async fn rooms(
    loaders: &Loaders,
    files: &FileUrls,
    viewer: Viewer,
    items: Vec<rooms::Model>,
) -> Result<Vec<Room>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let room_ids: HashSet<Uuid> = items.iter().map(|r| r.id).collect();
    let unread_keys: HashSet<(Uuid, Uuid, i64)> = items
        .iter()
        .map(|r| (r.id, viewer.user_id, r.last_seq))
        .collect();
    let (members, unread, last) = tokio::try_join!(
        batch(&loaders.members, room_ids.clone()),
        batch(&loaders.unread, unread_keys),
        batch(&loaders.last_message, room_ids),
    )?;
    let member_ids: HashSet<Uuid> = members.values().flatten().map(|m| m.user_id).collect();
    let (users, last) = tokio::try_join!(
        batch(&loaders.users, member_ids),
        messages(loaders, files, viewer, last.into_values().collect()),
    )?;
    let mut last: HashMap<Uuid, Message> = last.into_iter().map(|m| (m.room_id, m)).collect();
    Ok(items
        .into_iter()
        .map(|r| {
            let mine = members.get(&r.id).map(Vec::as_slice).unwrap_or_default();
            let counts = unread
                .get(&(r.id, viewer.user_id, r.last_seq))
                .copied()
                .unwrap_or_default();
            Room {
                id: r.id,
                members: mine
                    .iter()
                    // A member row without its user cannot happen (foreign key); skip rather than fail.
                    .filter_map(|m| {
                        Some(RoomMember {
                            user: User::from(users.get(&m.user_id)?),
                            role: role(m.role),
                            joined_at: m.joined_at,
                            seen_at: m.seen_at,
                            last_read_seq: (m.last_read_seq > 0).then_some(m.last_read_seq),
                        })
                    })
                    .collect(),
                muted: mine.iter().any(|m| m.user_id == viewer.user_id && m.muted),
                last_message: last.remove(&r.id),
                unread_count: counts.messages,
                unread_mention_count: counts.mentions,
                name: r.name,
                is_group: r.is_group,
                last_seq: r.last_seq,
                created_at: r.created_at,
            }
        })
        .collect())
}

/// One room with everything nested.
pub async fn room(
    loaders: &Loaders,
    files: &FileUrls,
    viewer: Viewer,
    item: rooms::Model,
) -> Result<Room> {
    rooms(loaders, files, viewer, vec![item])
        .await?
        .pop()
        .ok_or_else(|| Error::internal("room vanished while presenting it"))
}
