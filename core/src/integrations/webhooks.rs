//! Incoming webhooks: a room's OWNER or ADMIN creates one, and an outside service posts messages to the room
//! with a plain `POST /hooks/<id>/<secret>` and a JSON body, without an account or a token.
//!
//! Each hook posts as a bot of its own, created with the hook (its nickname is the hook's name, owned by the
//! creator, counted among the creator's bots) and added to the room as a MEMBER: the room's members see who
//! posted, mentions and Markdown work as in any message, and the message goes through the same send service
//! (validation, mentions, the bot's message rate) plus a per-hook rate. Deleting the hook takes its bot out of
//! the room; the bot's past messages stay.
//!
//! The secret is 256 random bits, shown once in the hook's URL and stored as its SHA-256; a post is checked
//! by hashing the presented secret and comparing in constant time. An unknown hook, a deleted one and a wrong
//! secret get the same NOT_FOUND.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::incoming_webhooks;
use entity::{messages, rooms};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::bots;
use super::tokens::{NO_EXPIRY, hash_token};
use crate::clock;
use crate::context::{Access, Deps, Viewer};
use crate::error::{Error, Result};
use crate::messages::send::{self, Display, NewMessage, Target};
use crate::realtime::publish;
use crate::rooms::membership;
use crate::rooms::permissions::{can_moderate, require_member};

pub const HOOK_NOT_FOUND: Error = Error::NotFound("webhook not found");
/// Longest `username` of a post.
pub const USERNAME_MAX: usize = 64;
/// Longest `avatarUrl` of a post.
pub const AVATAR_URL_MAX: usize = 2048;
/// Where a hook is reached, followed by `<id>/<secret>`.
pub const PATH_PREFIX: &str = "/hooks/";

/// A hook just created: the only time its secret is known.
pub struct Created {
    pub hook: incoming_webhooks::Model,
    pub secret: String,
}

/// What an outside service posts.
pub struct Post {
    pub text: String,
    /// The name the message is shown with instead of the bot's (the sender stays the bot).
    pub username: Option<String>,
    /// The avatar shown with it: an absolute http(s) URL.
    pub avatar_url: Option<String>,
}

/// The hook's path with its secret, e.g. `/hooks/<id>/<secret>`.
pub fn path(hook_id: Uuid, secret: &str) -> String {
    format!("{PATH_PREFIX}{hook_id}/{secret}")
}

/// The room's moderators only (OWNER, ADMIN); non-members get NOT_FOUND as for any room.
pub(super) async fn require_moderator(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
) -> Result<rooms::Model> {
    viewer.require_session()?;
    let (room, member) = require_member(&deps.db, room_id, viewer.user_id).await?;
    if !can_moderate(member.role) {
        return Err(Error::Forbidden(
            "only the room's owner and admins manage its webhooks",
        ));
    }
    Ok(room)
}

/// `createIncomingWebhook`: a hook of group room `room_id` posting as a new bot named `name`.
pub async fn create(deps: &Deps, viewer: Viewer, room_id: Uuid, name: &str) -> Result<Created> {
    let room = require_moderator(deps, viewer, room_id).await?;
    if !room.is_group {
        return Err(Error::invalid("roomId", "webhooks are for group rooms"));
    }
    let secret = new_secret()?;
    // The bot, its membership and the hook exist together or not at all.
    let txn = deps.db.begin().await?;
    let bot = bots::create_in(&txn, viewer, name)
        .await
        .map_err(nickname_as_name)?;
    let joined =
        membership::invite_in(&txn, viewer, room_id, vec![bot.id], &deps.room_rules).await?;
    let hook = incoming_webhooks::ActiveModel {
        id: Set(Uuid::now_v7()),
        room_id: Set(room_id),
        bot_id: Set(bot.id),
        created_by: Set(viewer.user_id),
        name: Set(bot.nickname),
        secret_hash: Set(hash_token(&secret)),
        created_at: Set(clock::now()),
    }
    .insert(&txn)
    .await?;
    publish::commit(deps, txn, joined).await?;
    Ok(Created { hook, secret })
}

/// `incomingWebhooks`: the room's hooks, oldest first (moderators only).
pub async fn list(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
) -> Result<Vec<incoming_webhooks::Model>> {
    require_moderator(deps, viewer, room_id).await?;
    Ok(incoming_webhooks::Entity::find()
        .filter(incoming_webhooks::Column::RoomId.eq(room_id))
        .order_by_asc(incoming_webhooks::Column::CreatedAt)
        .order_by_asc(incoming_webhooks::Column::Id)
        .all(&deps.db)
        .await?)
}

/// `deleteIncomingWebhook`: the URL stops working at once and the hook's bot leaves the room.
pub async fn delete(deps: &Deps, viewer: Viewer, hook_id: Uuid) -> Result<()> {
    viewer.require_session()?;
    let hook = incoming_webhooks::Entity::find_by_id(hook_id)
        .one(&deps.db)
        .await?
        .ok_or(HOOK_NOT_FOUND)?;
    // Someone outside the room learns nothing about its hooks.
    require_moderator(deps, viewer, hook.room_id)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => HOOK_NOT_FOUND,
            other => other,
        })?;
    let deleted = incoming_webhooks::Entity::delete_by_id(hook_id)
        .exec(&deps.db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(HOOK_NOT_FOUND);
    }
    match membership::leave(deps, bot_viewer(&hook), hook.room_id).await {
        // The bot may have been removed from the room already.
        Ok(_) | Err(Error::NotFound(_)) => Ok(()),
        Err(err) => Err(err),
    }
}

/// `POST /hooks/<id>/<secret>`: posts `post.text` to the hook's room as its bot.
pub async fn post(deps: &Deps, hook_id: Uuid, secret: &str, post: Post) -> Result<messages::Model> {
    let hook = incoming_webhooks::Entity::find_by_id(hook_id)
        .one(&deps.db)
        .await?
        .ok_or(HOOK_NOT_FOUND)?;
    let presented = hash_token(secret);
    if !bool::from(presented.as_bytes().ct_eq(hook.secret_hash.as_bytes())) {
        return Err(HOOK_NOT_FOUND);
    }
    deps.rate.webhook(hook.id).await?;
    let display = Display {
        name: display_name(post.username.as_deref())?,
        avatar_url: avatar_url(post.avatar_url.as_deref())?,
    };
    let input = NewMessage {
        target: Target::Room(hook.room_id),
        content: post.text,
        client_id: None,
        attachment_ids: Vec::new(),
        display,
    };
    match send::post(deps, bot_viewer(&hook), input).await {
        Ok(outcome) => Ok(outcome.value),
        // The bot was removed from the room: the hook cannot post any more.
        Err(Error::NotFound(_)) => Err(HOOK_NOT_FOUND),
        // The body's field is `text`, the send service's `content`.
        Err(Error::Validation { field, message }) => Err(Error::Validation {
            field: field.map(|f| if f == "content" { "text" } else { f }),
            message,
        }),
        Err(Error::ForbiddenInput { field, message }) => Err(Error::ForbiddenInput {
            field: if field == "content" { "text" } else { field },
            message,
        }),
        Err(err) => Err(err),
    }
}

/// A post's `username`: trimmed, at most [`USERNAME_MAX`] characters on one line; blank is none.
fn display_name(raw: Option<&str>) -> Result<Option<String>> {
    let Some(name) = raw.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > USERNAME_MAX || name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "username",
            format!("username must be at most {USERNAME_MAX} characters on one line"),
        ));
    }
    Ok(Some(name.to_owned()))
}

/// A post's `avatarUrl`: an absolute http(s) URL without credentials, at most [`AVATAR_URL_MAX`] bytes;
/// blank is none. Clients load it as an image, like any avatar.
fn avatar_url(raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let invalid = || Error::invalid("avatarUrl", "avatarUrl must be an absolute http(s) URL");
    let url = url::Url::parse(raw).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.as_str().len() > AVATAR_URL_MAX
    {
        return Err(invalid());
    }
    Ok(Some(url.to_string()))
}

/// The hook's bot as the send service sees it: every right of the bot in the hook's room, nothing more
/// (the hook can only post there).
fn bot_viewer(hook: &incoming_webhooks::Model) -> Viewer {
    Viewer {
        user_id: hook.bot_id,
        expires_at: NO_EXPIRY,
        session_id: hook.id,
        access: Access::Session,
    }
}

/// The bot's nickname is the hook's name: report its errors on `name`.
fn nickname_as_name(err: Error) -> Error {
    match err {
        Error::Validation {
            field: Some("nickname"),
            message,
        } => Error::invalid("name", message.replace("nickname", "name")),
        Error::Conflict {
            field: Some("nickname"),
            message,
        } => Error::conflict("name", message.replace("nickname", "name")),
        other => other,
    }
}

fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posts_display_name_is_trimmed_and_bounded() {
        assert_eq!(display_name(None).unwrap(), None);
        assert_eq!(display_name(Some("  ")).unwrap(), None);
        assert_eq!(display_name(Some(" CI ")).unwrap().as_deref(), Some("CI"));
        assert!(display_name(Some("a\nb")).is_err());
        assert!(display_name(Some(&"x".repeat(USERNAME_MAX + 1))).is_err());
    }

    #[test]
    fn a_posts_avatar_is_an_http_url_without_credentials() {
        assert_eq!(
            avatar_url(Some("https://example.com/a.png"))
                .unwrap()
                .as_deref(),
            Some("https://example.com/a.png")
        );
        assert_eq!(avatar_url(Some("")).unwrap(), None);
        for bad in [
            "javascript:alert(1)",
            "data:image/png;base64,AA",
            "/relative.png",
            "https://user:pw@example.com/a.png",
        ] {
            assert!(avatar_url(Some(bad)).is_err(), "{bad}");
        }
    }
}
