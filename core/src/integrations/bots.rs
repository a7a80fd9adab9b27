//! Bots: users of kind BOT, created and owned by a person. A bot is invited into rooms like anyone and acts
//! through API tokens its owner mints; it has no e-mail address or password of its own.

use entity::users::{self, UserKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{DbResultExt, Error, Result, keys};
use crate::users::service::{NICKNAME_TAKEN, nickname_taken};
use crate::users::validate;

/// Most bots one person may own.
pub const MAX_BOTS_PER_OWNER: u64 = 25;

pub const BOT_NOT_FOUND: Error = Error::NotFound("bot not found");

/// Creates a bot owned by the caller (a person signed in), with the nickname rules of people.
pub async fn create(deps: &Deps, viewer: Viewer, nickname: &str) -> Result<users::Model> {
    create_in(&deps.db, viewer, nickname).await
}

/// [`create`] on `db`, e.g. inside a transaction that also adds the bot to a room.
pub async fn create_in(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    nickname: &str,
) -> Result<users::Model> {
    viewer.require_session()?;
    let nickname = validate::nickname(nickname)?;
    let owned = users::Entity::find()
        .filter(users::Column::OwnerId.eq(viewer.user_id))
        .count(db)
        .await?;
    if owned >= MAX_BOTS_PER_OWNER {
        return Err(Error::invalid(
            "nickname",
            format!("you may own at most {MAX_BOTS_PER_OWNER} bots"),
        ));
    }
    if nickname_taken(db, &nickname, None).await? {
        return Err(Error::conflict("nickname", NICKNAME_TAKEN));
    }
    let id = Uuid::now_v7();
    let bot = users::ActiveModel {
        id: Set(id),
        // `email` is unique and required: a reserved-domain address nobody can own (RFC 2606) keeps it so.
        email: Set(format!("{id}@bots.invalid")),
        // No PHC string: log-in never checks a bot's password (see `auth::service::log_in`).
        password_hash: Set(String::new()),
        nickname: Set(nickname),
        avatar_attachment_id: Set(None),
        notifications_enabled: Set(false),
        last_seen_at: Set(None),
        created_at: Set(clock::now()),
        kind: Set(UserKind::Bot),
        owner_id: Set(Some(viewer.user_id)),
    }
    .insert(db)
    .await
    .on_unique_violations(&[(keys::USERS_NICKNAME, "nickname", NICKNAME_TAKEN)])?;
    Ok(bot)
}

/// The caller's bots, oldest first.
pub async fn mine(deps: &Deps, viewer: Viewer) -> Result<Vec<users::Model>> {
    viewer.require_session()?;
    Ok(users::Entity::find()
        .filter(users::Column::OwnerId.eq(viewer.user_id))
        .filter(users::Column::Kind.eq(UserKind::Bot))
        .order_by_asc(users::Column::CreatedAt)
        .order_by_asc(users::Column::Id)
        .all(&deps.db)
        .await?)
}

/// Bot `bot_id` if the caller owns it, else NOT_FOUND (the same for someone else's bot and for no bot).
pub async fn owned(deps: &Deps, viewer: Viewer, bot_id: Uuid) -> Result<users::Model> {
    users::Entity::find_by_id(bot_id)
        .filter(users::Column::OwnerId.eq(viewer.user_id))
        .filter(users::Column::Kind.eq(UserKind::Bot))
        .one(&deps.db)
        .await?
        .ok_or(BOT_NOT_FOUND)
}
