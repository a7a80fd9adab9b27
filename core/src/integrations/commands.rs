//! Slash commands: a room's OWNER or ADMIN registers `/name` in a group room, answered by a bot they own
//! through a URL. A member typing `/name args` does not post a message: the invocation is POSTed to the URL
//! at once (signed like outgoing webhooks, same address rules), and the receiver's answer `{"text": …}` is
//! posted to the room as the command's bot, which everyone sees live like any message. The invoker waits
//! for the answer, at most [`TIMEOUT`]; a receiver that fails or is too slow gets the invoker UNAVAILABLE.
//! The bot may also answer later (or again) with an API token of its own: it is a member of the room.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{messages, slash_commands, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::{Value, json};
use url::Url;
use uuid::Uuid;

use super::bots;
use super::outgoing::signature;
use super::tokens::NO_EXPIRY;
use super::webhooks::require_moderator;
use crate::clock;
use crate::context::{Access, Deps, Viewer};
use crate::error::{DbResultExt, Error, Result, keys};
use crate::messages::send::{self, NewMessage, Target};
use crate::messages::validate::CONTENT_MAX;
use crate::realtime::publish;
use crate::rooms::membership;
use crate::rooms::permissions::{can_moderate, membership as current_membership, require_member};

pub const COMMAND_NOT_FOUND: Error = Error::NotFound("slash command not found");
pub const MAX_COMMANDS_PER_ROOM: u64 = 25;
/// Longest name, without the slash.
pub const NAME_MAX: usize = 32;
pub const DESCRIPTION_MAX: usize = 200;
/// How long the invoker waits for the receiver's answer.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// Largest answer read from the receiver.
const ANSWER_MAX: usize = 64 * 1024;
const NAME_TAKEN: &str = "this room already has a command of that name";

/// A command just registered: the only time its secret is shown.
pub struct Registered {
    pub command: slash_commands::Model,
    pub secret: String,
}

pub struct NewCommand {
    pub room_id: Uuid,
    pub name: String,
    pub description: String,
    pub url: String,
    pub bot_id: Uuid,
}

/// What an invocation produced: the bot's reply, if it answered with text.
pub struct Ran {
    pub command: slash_commands::Model,
    pub reply: Option<messages::Model>,
}

/// A command's name: 1 to [`NAME_MAX`] of `a-z 0-9 _ -`, starting with a letter or digit; a leading `/` is
/// dropped and capitals are lowered, so `/Deploy` names `deploy`.
pub fn normalize_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    let name = name.strip_prefix('/').unwrap_or(name).to_lowercase();
    let valid = (1..=NAME_MAX).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(Error::invalid(
            "command",
            format!(
                "a command name is 1 to {NAME_MAX} of a-z, 0-9, _ and -, starting with a letter or digit"
            ),
        ));
    }
    Ok(name)
}

/// `registerSlashCommand`: `/name` in the room, answered by the caller's bot `bot_id` through `url` (the
/// bot joins the room if it is not in it). The room's owner and admins only.
pub async fn register(deps: &Deps, viewer: Viewer, input: NewCommand) -> Result<Registered> {
    let room = require_moderator(deps, viewer, input.room_id).await?;
    if !room.is_group {
        return Err(Error::invalid(
            "roomId",
            "slash commands are for group rooms",
        ));
    }
    let name = normalize_name(&input.name)?;
    let description = input.description.trim().to_owned();
    if description.chars().count() > DESCRIPTION_MAX || description.chars().any(char::is_control) {
        return Err(Error::invalid(
            "description",
            format!("a description is at most {DESCRIPTION_MAX} characters on one line"),
        ));
    }
    let url = Url::parse(input.url.trim())
        .map_err(|_| Error::invalid("url", "url must be an absolute http(s) URL"))?;
    deps.webhooks
        .check(&url)
        .map_err(|reason| Error::invalid("url", format!("url is not allowed: {reason}")))?;
    let bot = bots::owned(deps, viewer, input.bot_id)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => Error::invalid("botId", "botId must be one of your bots"),
            other => other,
        })?;
    let existing = slash_commands::Entity::find()
        .filter(slash_commands::Column::RoomId.eq(room.id))
        .count(&deps.db)
        .await?;
    if existing >= MAX_COMMANDS_PER_ROOM {
        return Err(Error::invalid(
            "roomId",
            format!("a room has at most {MAX_COMMANDS_PER_ROOM} slash commands"),
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    let secret = format!("whsec_{}", URL_SAFE_NO_PAD.encode(bytes));
    // The bot's membership and the command exist together or not at all.
    let txn = deps.db.begin().await?;
    let joined =
        membership::invite_in(&txn, viewer, room.id, vec![bot.id], &deps.room_rules).await?;
    let command = slash_commands::ActiveModel {
        id: Set(Uuid::now_v7()),
        room_id: Set(room.id),
        name: Set(name),
        description: Set(description),
        bot_id: Set(bot.id),
        url: Set(url.to_string()),
        secret: Set(secret.clone()),
        created_by: Set(viewer.user_id),
        created_at: Set(clock::now()),
    }
    .insert(&txn)
    .await
    .on_unique_violations(&[(keys::SLASH_COMMANDS_ROOM_NAME, "command", NAME_TAKEN)])?;
    publish::commit(deps, txn, joined).await?;
    Ok(Registered { command, secret })
}

/// `slashCommands`: the room's commands by name, for any member (the composer suggests them); whether the
/// caller may see their URLs (the room's owner and admins).
pub async fn list(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
) -> Result<(Vec<slash_commands::Model>, bool)> {
    let (_, member) = require_member(&deps.db, room_id, viewer.user_id).await?;
    let commands = slash_commands::Entity::find()
        .filter(slash_commands::Column::RoomId.eq(room_id))
        .order_by_asc(slash_commands::Column::Name)
        .all(&deps.db)
        .await?;
    Ok((commands, can_moderate(member.role)))
}

/// `deleteSlashCommand`: the room's owner and admins only; NOT_FOUND for anyone else. The bot stays in the
/// room (it may serve other commands).
pub async fn delete(deps: &Deps, viewer: Viewer, id: Uuid) -> Result<()> {
    let command = slash_commands::Entity::find_by_id(id)
        .one(&deps.db)
        .await?
        .ok_or(COMMAND_NOT_FOUND)?;
    require_moderator(deps, viewer, command.room_id)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => COMMAND_NOT_FOUND,
            other => other,
        })?;
    slash_commands::Entity::delete_by_id(id)
        .exec(&deps.db)
        .await?;
    Ok(())
}

/// `runSlashCommand`: delivers `/name args` to the command's receiver and posts its answer as the bot.
pub async fn run(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    name: &str,
    args: &str,
) -> Result<Ran> {
    require_member(&deps.db, room_id, viewer.user_id).await?;
    let args = args.trim();
    if args.chars().count() > CONTENT_MAX {
        return Err(Error::invalid(
            "args",
            format!("args must be at most {CONTENT_MAX} characters"),
        ));
    }
    // An invocation costs what a message costs.
    deps.rate.message(viewer.user_id).await?;
    let unknown = || {
        Error::invalid(
            "command",
            format!(
                "there is no command /{} in this room; to send a message starting with /, begin it with //",
                name.trim().trim_start_matches('/')
            ),
        )
    };
    let name = normalize_name(name).map_err(|_| unknown())?;
    let command = slash_commands::Entity::find()
        .filter(slash_commands::Column::RoomId.eq(room_id))
        .filter(slash_commands::Column::Name.eq(&name))
        .one(&deps.db)
        .await?
        .ok_or_else(unknown)?;
    if current_membership(&deps.db, room_id, command.bot_id)
        .await?
        .is_none()
    {
        return Err(Error::Unavailable(
            "the command's bot is no longer in this room",
        ));
    }
    let invoker = users::Entity::find_by_id(viewer.user_id)
        .one(&deps.db)
        .await?
        .ok_or(Error::Unauthenticated("unknown user"))?;
    let now = clock::now();
    let body = json!({
        "kind": "command",
        "commandId": command.id,
        "command": command.name,
        "args": args,
        "roomId": room_id,
        "user": { "id": invoker.id, "nickname": invoker.nickname },
        "at": now,
    })
    .to_string();
    let signed = signature(&command.secret, now.timestamp(), &body);
    let url = Url::parse(&command.url).map_err(Error::internal)?;
    let (status, answer) = deps
        .webhooks
        .call(&url, body, signed, TIMEOUT, ANSWER_MAX)
        .await
        .map_err(|reason| {
            tracing::info!(command = %command.id, reason, "slash command receiver did not answer");
            Error::Unavailable("the command's bot did not answer (unreachable or too slow)")
        })?;
    if !(200..300).contains(&status) {
        tracing::info!(command = %command.id, status, "slash command receiver failed");
        return Err(Error::Unavailable(
            "the command's bot answered with an error",
        ));
    }
    let Some(text) = reply_text(&answer)? else {
        return Ok(Ran {
            command,
            reply: None,
        });
    };
    let input = NewMessage {
        target: Target::Room(room_id),
        content: text,
        client_id: None,
        attachment_ids: Vec::new(),
        display: Default::default(),
    };
    match send::post(deps, bot_viewer(&command), input).await {
        Ok(outcome) => Ok(Ran {
            command,
            reply: Some(outcome.value),
        }),
        Err(Error::Validation { .. } | Error::ForbiddenInput { .. }) => Err(Error::Unavailable(
            "the command's bot answered with text that is not a valid message",
        )),
        Err(Error::NotFound(_)) => Err(Error::Unavailable(
            "the command's bot is no longer in this room",
        )),
        Err(err) => Err(err),
    }
}

/// The text to post from the receiver's answer: `{"text": "…"}`; an empty answer, or no or empty `text`,
/// posts nothing.
fn reply_text(answer: &[u8]) -> Result<Option<String>> {
    if answer.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let invalid =
        || Error::Unavailable("the command's bot answered with something other than {\"text\": …}");
    let value: Value = serde_json::from_slice(answer).map_err(|_| invalid())?;
    match value.get("text") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(invalid()),
    }
}

/// The command's bot as the send service sees it: its rights in the room, nothing more.
fn bot_viewer(command: &slash_commands::Model) -> Viewer {
    Viewer {
        user_id: command.bot_id,
        expires_at: NO_EXPIRY,
        session_id: command.id,
        access: Access::Session,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowered_and_lose_their_slash_and_odd_ones_are_refused() {
        assert_eq!(normalize_name("/Deploy").unwrap(), "deploy");
        assert_eq!(normalize_name(" faq_2-x ").unwrap(), "faq_2-x");
        for bad in ["", "/", "-x", "a b", "a/b", "é", &"a".repeat(NAME_MAX + 1)] {
            assert!(normalize_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_reply_is_the_text_of_the_answer_or_nothing() {
        assert_eq!(reply_text(b"").unwrap(), None);
        assert_eq!(reply_text(b"{}").unwrap(), None);
        assert_eq!(reply_text(br#"{"text":"  "}"#).unwrap(), None);
        assert_eq!(
            reply_text(br#"{"text":"hi"}"#).unwrap().as_deref(),
            Some("hi")
        );
        assert!(reply_text(b"not json").is_err());
        assert!(reply_text(br#"{"text":3}"#).is_err());
    }
}
