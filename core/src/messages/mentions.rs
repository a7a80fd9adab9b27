//! `@nickname` mentions. A mention starts at an `@` that is not glued to a preceding word character (so
//! `bob@example.com` mentions nobody, in any script: the check is Unicode-aware), followed by nickname
//! characters. Trailing `.`/`-`/`_` are tried off the token too, so `@bob.` at the end of a sentence still
//! names `bob` while a nickname like `b.o.b` still matches whole. Mentions are stored per message for unread
//! mention counts and search.
//!
//! In a group room `@here` (members connected now) and `@everyone` / `@room` (every member) are broadcast
//! mentions, for OWNER/ADMIN only: each member they reach gets a mention row (flagged `broadcast`, so
//! `Message.mentions` keeps listing only the people named) and a MENTION notification, like a named mention.
//! In a direct room they are plain text: the other member is alerted of every message anyway.

use std::collections::{HashMap, HashSet};

use entity::{mentions, room_users, users};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::realtime::presence::{Presence, PresenceStatus};
use crate::users::validate::is_nickname_char;

/// Rows per statement: far below SQLite's (32,766) and PostgreSQL's (65,535) bound parameters.
const CHUNK: usize = 1_000;

/// A mention of many members at once. Ordered by reach: `Here` < `Everyone`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Broadcast {
    /// `@here`: the members connected now (presence ONLINE or AWAY).
    Here,
    /// `@everyone` or `@room`: every member.
    Everyone,
}

/// Nicknames nobody may take: they are the broadcast mentions.
pub const RESERVED_NICKNAMES: [&str; 3] = ["here", "everyone", "room"];

/// The widest broadcast token in `content`, if any (whether it applies depends on the room and the sender).
pub fn broadcast(content: &str) -> Option<Broadcast> {
    tokens(content)
        .iter()
        .flatten()
        .filter_map(|candidate| match candidate.as_str() {
            "here" => Some(Broadcast::Here),
            "everyone" | "room" => Some(Broadcast::Everyone),
            _ => None,
        })
        .max()
}

/// Why a broadcast was refused: the same words for a send and an edit.
pub fn broadcast_refused() -> Error {
    Error::forbidden_field(
        "content",
        "only the room's owner and admins can use @here, @everyone or @room",
    )
}

/// Who a message mentions: the members named with `@nickname` and, through a broadcast, the others it
/// reaches. Never the sender; nobody twice.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Mentioned {
    pub named: Vec<Uuid>,
    pub broadcast: Option<Broadcast>,
    /// Reached only through the broadcast (not in `named`).
    pub reached: Vec<Uuid>,
}

impl Mentioned {
    pub fn all(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.named.iter().chain(&self.reached).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.named.is_empty() && self.reached.is_empty()
    }
}

/// The members a broadcast reaches among `members`, except `sender` and those in `named`. `@here` asks the
/// presence store for everyone at once (in chunks), never one member at a time.
pub async fn reach(
    presence: &Presence,
    broadcast: Broadcast,
    members: &[(Uuid, String)],
    sender: Uuid,
    named: &[Uuid],
) -> Result<Vec<Uuid>> {
    let named: HashSet<Uuid> = named.iter().copied().collect();
    let candidates: Vec<Uuid> = members
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| *id != sender && !named.contains(id))
        .collect();
    if broadcast == Broadcast::Everyone {
        return Ok(candidates);
    }
    let mut connected = HashSet::new();
    for chunk in candidates.chunks(CHUNK) {
        let status = presence.store().status(chunk).await?;
        connected.extend(
            status
                .into_iter()
                .filter(|(_, s)| *s != PresenceStatus::Offline)
                .map(|(id, _)| id),
        );
    }
    Ok(candidates
        .into_iter()
        .filter(|id| connected.contains(id))
        .collect())
}

/// The `@` tokens of `content`, lower-cased, each with its candidate spellings longest first.
pub fn tokens(content: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in content.char_indices() {
        let glued = prev.is_some_and(|p| p.is_alphanumeric() || is_nickname_char(p) || p == '@');
        prev = Some(c);
        if c != '@' || glued {
            continue;
        }
        let rest = &content[i + 1..];
        let end = rest
            .char_indices()
            .find(|(_, ch)| !is_nickname_char(*ch))
            .map_or(rest.len(), |(j, _)| j);
        let token = &rest[..end];
        // A token glued to more word characters (`@bob你好`, `@bob@x`) is not a mention of `bob`.
        if let Some(next) = rest[end..].chars().next()
            && (next.is_alphanumeric() || next == '@')
        {
            continue;
        }
        let mut candidates = Vec::new();
        let mut t = token;
        while !t.is_empty() {
            candidates.push(t.to_lowercase());
            match t.strip_suffix(['.', '-', '_']) {
                Some(shorter) => t = shorter,
                None => break,
            }
        }
        if !candidates.is_empty() {
            out.push(candidates);
        }
    }
    out
}

/// Who `content` mentions among `members` (`(user id, nickname)`), never `sender`; each user once, in order
/// of first mention.
pub fn resolve(content: &str, members: &[(Uuid, String)], sender: Uuid) -> Vec<Uuid> {
    let by_nick: HashMap<String, Uuid> = members
        .iter()
        .map(|(id, nick)| (nick.to_lowercase(), *id))
        .collect();
    let mut found = Vec::new();
    for candidates in tokens(content) {
        if let Some(id) = candidates.iter().find_map(|c| by_nick.get(c))
            && *id != sender
            && !found.contains(id)
        {
            found.push(*id);
        }
    }
    found
}

/// Current members with their nicknames, for mention matching and notifications.
pub async fn member_nicknames(
    db: &impl ConnectionTrait,
    room_id: Uuid,
) -> Result<Vec<(Uuid, String)>> {
    let rows = room_users::Entity::find()
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::LeftAt.is_null())
        .find_also_related(users::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(member, user)| user.map(|u| (member.user_id, u.nickname)))
        .collect())
}

/// Records who a message mentions: `users` by name (`broadcast` false) or through a broadcast (true). Batched:
/// a broadcast to thousands of members is a few statements.
pub async fn insert(
    db: &impl ConnectionTrait,
    message_id: Uuid,
    users: &[Uuid],
    broadcast: bool,
) -> Result<()> {
    for chunk in users.chunks(CHUNK) {
        mentions::Entity::insert_many(chunk.iter().map(|&user_id| mentions::ActiveModel {
            message_id: Set(message_id),
            mentioned_user_id: Set(user_id),
            broadcast: Set(broadcast),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Removes mention rows of `users` from a message.
pub async fn remove(db: &impl ConnectionTrait, message_id: Uuid, users: &[Uuid]) -> Result<()> {
    for chunk in users.chunks(CHUNK) {
        mentions::Entity::delete_many()
            .filter(mentions::Column::MessageId.eq(message_id))
            .filter(mentions::Column::MentionedUserId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Sets how `users` are mentioned by a message (named or through a broadcast).
pub async fn set_broadcast(
    db: &impl ConnectionTrait,
    message_id: Uuid,
    users: &[Uuid],
    broadcast: bool,
) -> Result<()> {
    for chunk in users.chunks(CHUNK) {
        mentions::Entity::update_many()
            .col_expr(mentions::Column::Broadcast, Expr::value(broadcast))
            .filter(mentions::Column::MessageId.eq(message_id))
            .filter(mentions::Column::MentionedUserId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(content: &str) -> Vec<String> {
        tokens(content).into_iter().map(|c| c[0].clone()).collect()
    }

    #[test]
    fn mentions_are_found_at_word_boundaries() {
        assert_eq!(first("@Bob hi"), ["bob"]);
        assert_eq!(first("hi @bob, and (@carol)!"), ["bob", "carol"]);
        assert_eq!(first("«@dave» —@erin"), ["dave", "erin"]);
        assert_eq!(first("line\n@frank"), ["frank"]);
    }

    #[test]
    fn email_addresses_and_glued_at_signs_are_not_mentions() {
        assert!(tokens("mail bob@example.com").is_empty());
        assert!(tokens("é@bob").is_empty());
        assert!(tokens("日本@bob").is_empty());
        assert!(tokens("x_@bob @@bob").is_empty());
        assert!(tokens("@bob@example.com").is_empty());
        assert!(tokens("@ alone").is_empty());
    }

    #[test]
    fn trailing_punctuation_is_tried_off() {
        let ids = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
        let members = vec![
            (ids[0], "bob".to_owned()),
            (ids[1], "b.o.b".to_owned()),
            (ids[2], "Sender".to_owned()),
        ];
        assert_eq!(resolve("thanks @BOB.", &members, ids[2]), [ids[0]]);
        assert_eq!(
            resolve("@b.o.b and @bob and @bob", &members, ids[2]),
            [ids[1], ids[0]]
        );
        assert!(resolve("@sender @nobody", &members, ids[2]).is_empty());
    }

    #[test]
    fn broadcasts_are_found_and_the_widest_wins() {
        assert_eq!(broadcast("hi @here."), Some(Broadcast::Here));
        assert_eq!(broadcast("@Room: deploy"), Some(Broadcast::Everyone));
        assert_eq!(broadcast("@here and @everyone"), Some(Broadcast::Everyone));
        assert_eq!(broadcast("@bob"), None);
        assert_eq!(broadcast("mail here@example.com @heres @everyone1"), None);
    }
}
