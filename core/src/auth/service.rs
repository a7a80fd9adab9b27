//! Sign-up, log-in and the refresh-token lifecycle.
//!
//! Refresh tokens rotate on every use and belong to a family (one sign-in, the `sid` of its access tokens).
//! Presenting a token that was already rotated is treated as theft (RFC 6819 §5.2.2.3): the whole session is
//! revoked. The one exception is a repeat within a short grace window after the rotation
//! (`TokenSettings::refresh_reuse_grace`): two tabs refreshing at once, or a retried request, get another
//! token pair of the same family, so neither signs the other out.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use entity::users::UserKind;
use entity::{refresh_tokens, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::clock;
use crate::context::Deps;
use crate::error::{DbResultExt, Error, Result, keys};
use crate::users::service::{NICKNAME_TAKEN, nickname_taken};
use crate::users::validate;

use super::token::{hash_refresh_token, new_refresh_token};

pub const EMAIL_TAKEN: &str = "an account with this email already exists";
const BAD_CREDENTIALS: &str = "invalid email or password";
const BAD_REFRESH: &str = "invalid refresh token";

/// A signed-in session as returned to the client.
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: users::Model,
}

pub struct SignUp {
    pub email: String,
    pub password: String,
    pub nickname: String,
    /// Where the request came from (per-address sign-up limit).
    pub client_ip: Option<IpAddr>,
}

pub async fn sign_up(deps: &Deps, input: SignUp) -> Result<Session> {
    deps.rate.sign_up(input.client_ip).await?;
    let email = validate::email(&input.email)?;
    validate::password(&input.password)?;
    let nickname = validate::nickname(&input.nickname)?;

    if users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(&deps.db)
        .await?
        .is_some()
    {
        return Err(Error::conflict("email", EMAIL_TAKEN));
    }
    if nickname_taken(&deps.db, &nickname, None).await? {
        return Err(Error::conflict("nickname", NICKNAME_TAKEN));
    }
    let password_hash = deps.passwords.hash(&input.password).await?;

    let txn = deps.db.begin().await?;
    let user = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        password_hash: Set(password_hash),
        nickname: Set(nickname),
        avatar_attachment_id: Set(None),
        notifications_enabled: Set(true),
        last_seen_at: Set(None),
        created_at: Set(clock::now()),
        kind: Set(UserKind::Person),
        owner_id: Set(None),
    }
    .insert(&txn)
    .await
    // A concurrent sign-up can still win between the checks above and this insert.
    .on_unique_violations(&[
        (keys::USERS_NICKNAME, "nickname", NICKNAME_TAKEN),
        (keys::USERS_EMAIL, "email", EMAIL_TAKEN),
    ])?;
    let session = issue(deps, &txn, user, Uuid::now_v7(), Uuid::now_v7()).await?;
    txn.commit().await?;
    Ok(session)
}

pub async fn log_in(
    deps: &Deps,
    email: &str,
    password: &str,
    client_ip: Option<IpAddr>,
) -> Result<Session> {
    // No account has a longer password, and hashing a megabyte costs real CPU: refuse before hashing (and
    // before counting, as it says nothing about the account).
    if password.chars().count() > validate::PASSWORD_MAX {
        return Err(Error::invalid(
            "password",
            format!(
                "password must be at most {} characters",
                validate::PASSWORD_MAX
            ),
        ));
    }
    // Every failure looks the same and costs the same: unknown accounts are checked against a dummy hash.
    let email = email.trim().to_lowercase();
    deps.rate.login(&email, client_ip).await?;
    // Bots have no password: they act through API tokens only.
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(&deps.db)
        .await?
        .filter(|user| user.kind == UserKind::Person);
    let ok = deps
        .passwords
        .verify(password, user.as_ref().map(|u| u.password_hash.as_str()))
        .await?;
    match user {
        Some(user) if ok => {
            let txn = deps.db.begin().await?;
            let session = issue(deps, &txn, user, Uuid::now_v7(), Uuid::now_v7()).await?;
            txn.commit().await?;
            Ok(session)
        }
        _ => Err(Error::Unauthenticated(BAD_CREDENTIALS)),
    }
}

/// Exchanges a refresh token for a new access token and a new refresh token; the old one stops working.
pub async fn refresh(deps: &Deps, refresh_token: &str) -> Result<Session> {
    let token_hash = hash_refresh_token(refresh_token.trim());
    // Two passes at most: a refresh that loses the race for the rotation goes round once more and is then
    // answered as a repeat within the grace window.
    for _ in 0..2 {
        let now = clock::now();
        let Some(row) = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TokenHash.eq(&token_hash))
            .one(&deps.db)
            .await?
        else {
            return Err(Error::Unauthenticated(BAD_REFRESH));
        };

        if let Some(revoked_at) = row.revoked_at {
            if row.replaced_by.is_none() || deps.sessions.is_revoked_in_store(row.family_id).await?
            {
                return Err(Error::Unauthenticated("refresh token revoked"));
            }
            if now - revoked_at <= deps.tokens.settings().refresh_reuse_grace {
                // Two tabs refreshing at once, or a retried request: the repeat gets another token of the same
                // sign-in (the first answer cannot be repeated, only its hash is stored).
                let user = users::Entity::find_by_id(row.user_id)
                    .one(&deps.db)
                    .await?
                    .ok_or(Error::Unauthenticated(BAD_REFRESH))?;
                let txn = deps.db.begin().await?;
                let session = issue(deps, &txn, user, row.family_id, Uuid::now_v7()).await?;
                txn.commit().await?;
                return Ok(session);
            }
            revoke_session(deps, row.family_id, row.user_id).await?;
            tracing::warn!(user_id = %row.user_id, family_id = %row.family_id, "refresh token reuse: session revoked");
            return Err(Error::Unauthenticated(
                "refresh token reuse detected; please sign in again",
            ));
        }
        if row.expires_at <= now {
            return Err(Error::Unauthenticated("refresh token expired"));
        }

        let txn = deps.db.begin().await?;
        let next_id = Uuid::now_v7();
        // Conditional update: of two concurrent refreshes exactly one sees `revoked_at IS NULL`.
        let claimed = refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(clock::now()))
            .col_expr(refresh_tokens::Column::ReplacedBy, Expr::value(next_id))
            .filter(refresh_tokens::Column::Id.eq(row.id))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            continue;
        }
        let user = users::Entity::find_by_id(row.user_id)
            .one(&txn)
            .await?
            .ok_or(Error::Unauthenticated(BAD_REFRESH))?;
        let session = issue(deps, &txn, user, row.family_id, next_id).await?;
        txn.commit().await?;
        return Ok(session);
    }
    Err(Error::Unauthenticated("refresh token was already used"))
}

/// Ends the session the refresh token belongs to, everywhere: its refresh tokens, its access tokens, its open
/// sockets and streams. Returns false when the token was unknown or its session had already ended.
pub async fn log_out(deps: &Deps, refresh_token: &str) -> Result<bool> {
    let token_hash = hash_refresh_token(refresh_token.trim());
    let row = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(&token_hash))
        .one(&deps.db)
        .await?;
    match row {
        Some(row) => revoke_session(deps, row.family_id, row.user_id).await,
        None => Ok(false),
    }
}

/// Revokes every refresh token of the family and the access tokens of its session. Returns whether it was
/// still live.
async fn revoke_session(deps: &Deps, family_id: Uuid, user_id: Uuid) -> Result<bool> {
    let live = revoke_family(&deps.db, family_id).await? > 0;
    if live {
        deps.sessions.revoke(family_id, user_id).await?;
    }
    Ok(live)
}

async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<u64> {
    let res = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(clock::now()))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Stores refresh token `token_id` of `family_id` and signs an access token to go with it.
async fn issue(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: users::Model,
    family_id: Uuid,
    token_id: Uuid,
) -> Result<Session> {
    let refresh_token = new_refresh_token()?;
    let now: DateTime<Utc> = clock::now();
    refresh_tokens::ActiveModel {
        id: Set(token_id),
        user_id: Set(user.id),
        token_hash: Set(hash_refresh_token(&refresh_token)),
        family_id: Set(family_id),
        expires_at: Set(now + deps.tokens.settings().refresh_ttl),
        revoked_at: Set(None),
        replaced_by: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let (access_token, expires_in) = deps.tokens.issue_access(user.id, family_id)?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_in,
        user,
    })
}
