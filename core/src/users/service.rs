//! Users: lookups and profile changes.

use entity::users;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::validate;
use crate::context::{Deps, Viewer};
use crate::error::{DbResultExt, Error, Result, keys};

pub const NICKNAME_TAKEN: &str = "nickname is already taken";

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<users::Model> {
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("user not found"))
}

/// The caller's own account. A valid token for an account that no longer exists is UNAUTHENTICATED.
pub async fn me(deps: &Deps, viewer: Viewer) -> Result<users::Model> {
    users::Entity::find_by_id(viewer.user_id)
        .one(&deps.db)
        .await?
        .ok_or(Error::Unauthenticated("account no longer exists"))
}

/// Whether a nickname is in use, comparing case-insensitively, optionally ignoring one user (the caller).
pub async fn nickname_taken(
    db: &impl ConnectionTrait,
    nickname: &str,
    except: Option<Uuid>,
) -> Result<bool> {
    let found = users::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(users::Column::Nickname))).eq(nickname.to_lowercase()),
        )
        .one(db)
        .await?;
    Ok(found.is_some_and(|u| Some(u.id) != except))
}

pub struct ProfileChanges {
    pub nickname: Option<String>,
    /// An image the caller uploaded.
    pub avatar_attachment_id: Option<Uuid>,
}

pub async fn update_profile(
    deps: &Deps,
    viewer: Viewer,
    changes: ProfileChanges,
) -> Result<users::Model> {
    let user = me(deps, viewer).await?;
    let nickname = match changes.nickname {
        Some(raw) => Some(validate::nickname(&raw)?).filter(|n| *n != user.nickname),
        None => None,
    };
    let avatar = match changes.avatar_attachment_id {
        Some(id) => Some(
            crate::attachments::service::own_image(deps, viewer, id)
                .await?
                .id,
        ),
        None => None,
    };
    if nickname.is_none() && avatar.is_none() {
        return Ok(user);
    }
    if let Some(nickname) = &nickname
        && nickname_taken(&deps.db, nickname, Some(user.id)).await?
    {
        return Err(Error::conflict("nickname", NICKNAME_TAKEN));
    }
    let mut active: users::ActiveModel = user.into();
    if let Some(nickname) = nickname {
        active.nickname = Set(nickname);
    }
    if let Some(avatar) = avatar {
        active.avatar_attachment_id = Set(Some(avatar));
    }
    let updated = active.update(&deps.db).await.on_unique_violations(&[(
        keys::USERS_NICKNAME,
        "nickname",
        NICKNAME_TAKEN,
    )])?;
    let rooms = crate::rooms::permissions::room_ids_of(&deps.db, updated.id).await?;
    crate::realtime::publish::user_updated(deps, updated.id, &rooms).await;
    Ok(updated)
}

/// Most users one nickname search returns.
pub const SEARCH_MAX: u64 = 50;

/// Nickname prefix search, case-insensitive, at most `limit` users (capped at [`SEARCH_MAX`]). `%` and `_`
/// in the query match themselves.
pub async fn search(deps: &Deps, query: &str, limit: u64) -> Result<Vec<users::Model>> {
    let limit = Ord::min(limit, SEARCH_MAX);
    let prefix = query.trim().to_lowercase();
    if prefix.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    if prefix.chars().count() > validate::NICKNAME_MAX {
        return Ok(Vec::new());
    }
    let mut pattern = String::with_capacity(prefix.len() + 2);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    let lower = || Expr::expr(Func::lower(Expr::col(users::Column::Nickname)));
    Ok(users::Entity::find()
        .filter(lower().like(LikeExpr::new(pattern).escape('\\')))
        .order_by_asc(lower())
        .limit(limit)
        .all(&deps.db)
        .await?)
}
