//! `@nickname` mentions. A mention starts at an `@` that is not glued to a preceding word character (so
//! `bob@example.com` mentions nobody, in any script: the check is Unicode-aware), followed by nickname
//! characters. Trailing `.`/`-`/`_` are tried off the token too, so `@bob.` at the end of a sentence still
//! names `bob` while a nickname like `b.o.b` still matches whole. Mentions are stored per message for unread
//! mention counts and search.

use std::collections::HashMap;

use entity::{mentions, room_users, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::error::Result;
use crate::users::validate::is_nickname_char;

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

/// Records who a message mentions.
pub async fn insert(db: &impl ConnectionTrait, message_id: Uuid, users: &[Uuid]) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    mentions::Entity::insert_many(users.iter().map(|&user_id| mentions::ActiveModel {
        message_id: Set(message_id),
        mentioned_user_id: Set(user_id),
    }))
    .exec_without_returning(db)
    .await?;
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
}
