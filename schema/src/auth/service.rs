//! Sign-up, log-in and the refresh-token lifecycle.
//!
//! Refresh tokens rotate on every use and belong to a family (one sign-in). Presenting a token that was
//! already rotated is treated as theft (RFC 6819 §5.2.2.3): the whole family is revoked. The one exception is
//! a genuine race: a request that started before the rotation it lost to is refused without revoking anything,
//! so two tabs refreshing at once do not sign each other out, and still only one of them gets new tokens.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use entity::{refresh_tokens, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::context::Deps;
use crate::error::{DbResultExt, Error, Result};
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
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    // A concurrent sign-up can still win between the checks above and this insert.
    .on_unique_violations(&[
        ("nickname", "nickname", NICKNAME_TAKEN),
        ("email", "email", EMAIL_TAKEN),
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
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(&deps.db)
        .await?;
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
    let started = Utc::now();
    let token_hash = hash_refresh_token(refresh_token.trim());
    let Some(row) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(&token_hash))
        .one(&deps.db)
        .await?
    else {
        return Err(Error::Unauthenticated(BAD_REFRESH));
    };

    if let Some(revoked_at) = row.revoked_at {
        if row.replaced_by.is_some() && started < revoked_at {
            // Lost a race against a concurrent refresh of the same token.
            return Err(Error::Unauthenticated("refresh token was already used"));
        }
        if row.replaced_by.is_some() {
            revoke_family(&deps.db, row.family_id).await?;
            tracing::warn!(user_id = %row.user_id, family_id = %row.family_id, "refresh token reuse: family revoked");
            return Err(Error::Unauthenticated(
                "refresh token reuse detected; please sign in again",
            ));
        }
        return Err(Error::Unauthenticated("refresh token revoked"));
    }
    if row.expires_at <= started {
        return Err(Error::Unauthenticated("refresh token expired"));
    }

    let txn = deps.db.begin().await?;
    let next_id = Uuid::now_v7();
    // Conditional update: of two concurrent refreshes exactly one sees `revoked_at IS NULL`.
    let claimed = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(refresh_tokens::Column::ReplacedBy, Expr::value(next_id))
        .filter(refresh_tokens::Column::Id.eq(row.id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(Error::Unauthenticated("refresh token was already used"));
    }
    let user = users::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .ok_or(Error::Unauthenticated(BAD_REFRESH))?;
    let session = issue(deps, &txn, user, row.family_id, next_id).await?;
    txn.commit().await?;
    Ok(session)
}

/// Ends the session the refresh token belongs to. Returns false when the token was unknown or already revoked.
pub async fn log_out(deps: &Deps, refresh_token: &str) -> Result<bool> {
    let token_hash = hash_refresh_token(refresh_token.trim());
    let row = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(&token_hash))
        .one(&deps.db)
        .await?;
    match row {
        Some(row) if row.revoked_at.is_none() => {
            Ok(revoke_family(&deps.db, row.family_id).await? > 0)
        }
        _ => Ok(false),
    }
}

async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<u64> {
    let res = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Utc::now()))
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
    let now: DateTime<Utc> = Utc::now();
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
    let (access_token, expires_in) = deps.tokens.issue_access(user.id)?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_in,
        user,
    })
}
