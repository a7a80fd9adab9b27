//! API tokens: minted once by a person (for themselves or for a bot they own), shown once, stored as the
//! SHA-256 of the token, scoped, optionally limited to rooms and to a lifetime, revocable.
//!
//! A token is `chorus_pat_` followed by 256 random bits (URL-safe base64); the prefix lets the edge tell it
//! from an access token and lets secret scanners recognise a leaked one. The edge checks a token through
//! [`ApiTokens::authenticate`], which caches answers for a few seconds. A revocation still ends the token at
//! once: the token's id is the `session_id` of its viewer, so revoking it goes through the session revocation
//! set ([`crate::auth::sessions`]), which every api process hears about at once and which ends the token's
//! open WebSockets and SSE streams.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::api_tokens;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::bots;
use super::scopes::Scopes;
use crate::clock;
use crate::context::{Access, Auth, Deps, Viewer};
use crate::error::{Error, Result};

/// What every API token starts with.
pub const TOKEN_PREFIX: &str = "chorus_pat_";
/// `Viewer::expires_at` of a token without expiry (9999-12-31).
pub const NO_EXPIRY: i64 = 253_402_300_799;
/// Live (not revoked) tokens one person may have created.
pub const MAX_TOKENS_PER_CREATOR: u64 = 100;
/// Rooms one token may be limited to.
pub const MAX_ROOMS_PER_TOKEN: usize = 100;
pub const NAME_MAX: usize = 64;
/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY: Duration = Duration::from_secs(60);
const CACHE_SWEEP_AT: usize = 10_000;

pub const TOKEN_NOT_FOUND: Error = Error::NotFound("API token not found");

/// Whether a credential is an API token (rather than an access token).
pub fn is_api_token(credential: &str) -> bool {
    credential.starts_with(TOKEN_PREFIX)
}

/// What is stored for a token: its SHA-256, hex encoded. The token itself never touches the database.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    Ok(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

pub struct NewToken {
    pub name: String,
    pub scopes: Vec<String>,
    /// `Some`: the token sees and acts only in these rooms.
    pub room_ids: Option<Vec<Uuid>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// A bot of the caller's to mint the token for; none: for the caller.
    pub bot_id: Option<Uuid>,
}

/// A token just minted: the only time its value is known.
pub struct Created {
    pub token: String,
    pub row: api_tokens::Model,
}

/// Mints a token for the caller, or for a bot the caller owns. Only a person signed in may.
pub async fn create(deps: &Deps, viewer: Viewer, input: NewToken) -> Result<Created> {
    viewer.require_session()?;
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(Error::invalid(
            "name",
            format!("name must be 1 to {NAME_MAX} characters"),
        ));
    }
    let scopes = Scopes::parse_input(&input.scopes)?;
    let room_ids = match input.room_ids {
        None => None,
        Some(ids) => {
            let mut ids = ids;
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Err(Error::invalid(
                    "roomIds",
                    "list at least one room, or leave roomIds out for every room",
                ));
            }
            if ids.len() > MAX_ROOMS_PER_TOKEN {
                return Err(Error::invalid(
                    "roomIds",
                    format!("a token may be limited to at most {MAX_ROOMS_PER_TOKEN} rooms"),
                ));
            }
            Some(ids)
        }
    };
    let now = clock::now();
    if input.expires_at.is_some_and(|at| at <= now) {
        return Err(Error::invalid(
            "expiresAt",
            "expiresAt must be in the future",
        ));
    }
    let user_id = match input.bot_id {
        Some(bot_id) => bots::owned(deps, viewer, bot_id).await?.id,
        None => viewer.user_id,
    };
    let live = api_tokens::Entity::find()
        .filter(api_tokens::Column::CreatedBy.eq(viewer.user_id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .count(&deps.db)
        .await?;
    if live >= MAX_TOKENS_PER_CREATOR {
        return Err(Error::invalid(
            "name",
            format!("you may have at most {MAX_TOKENS_PER_CREATOR} tokens; revoke some first"),
        ));
    }
    let token = new_token()?;
    let row = api_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        created_by: Set(viewer.user_id),
        name: Set(name),
        token_hash: Set(hash_token(&token)),
        scopes: Set(scopes.to_stored()),
        room_ids: Set(room_ids.map(|ids| {
            ids.iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",")
        })),
        expires_at: Set(input.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(&deps.db)
    .await?;
    Ok(Created { token, row })
}

/// The caller's tokens and those of the caller's bots, newest first (revoked ones included).
pub async fn list(deps: &Deps, viewer: Viewer) -> Result<Vec<api_tokens::Model>> {
    viewer.require_session()?;
    Ok(api_tokens::Entity::find()
        .filter(
            Condition::any()
                .add(api_tokens::Column::CreatedBy.eq(viewer.user_id))
                .add(api_tokens::Column::UserId.eq(viewer.user_id)),
        )
        .order_by_desc(api_tokens::Column::CreatedAt)
        .order_by_desc(api_tokens::Column::Id)
        .all(&deps.db)
        .await?)
}

/// Revokes a token of the caller's (or of the caller's bot): it is refused from now on, in every api process,
/// and its open sockets and streams end. Returns false when it was already revoked.
pub async fn revoke(deps: &Deps, viewer: Viewer, id: Uuid) -> Result<bool> {
    viewer.require_session()?;
    let row = api_tokens::Entity::find_by_id(id)
        .filter(
            Condition::any()
                .add(api_tokens::Column::CreatedBy.eq(viewer.user_id))
                .add(api_tokens::Column::UserId.eq(viewer.user_id)),
        )
        .one(&deps.db)
        .await?
        .ok_or(TOKEN_NOT_FOUND)?;
    let updated = api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(clock::now()))
        .filter(api_tokens::Column::Id.eq(row.id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(&deps.db)
        .await?;
    deps.api_tokens.forget(row.id);
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    deps.sessions.revoke(row.id, row.user_id).await?;
    Ok(true)
}

/// The stored room limit of a token.
pub fn room_ids(row: &api_tokens::Model) -> Option<Vec<Uuid>> {
    row.room_ids.as_deref().map(|ids| {
        ids.split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect()
    })
}

/// What a token allows, as cached.
#[derive(Debug)]
pub struct Grant {
    pub id: Uuid,
    pub user_id: Uuid,
    pub scopes: Scopes,
    pub rooms: Option<Arc<[Uuid]>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

impl Grant {
    fn from_row(row: &api_tokens::Model) -> Grant {
        Grant {
            id: row.id,
            user_id: row.user_id,
            scopes: Scopes::from_stored(&row.scopes),
            rooms: room_ids(row).map(Arc::from),
            expires_at: row.expires_at,
            revoked: row.revoked_at.is_some(),
        }
    }
}

/// Checks API tokens for the edge, with a short cache over the `api_tokens` table.
pub struct ApiTokens {
    db: DatabaseConnection,
    /// How long a token's row is trusted without reading it again. Revocations do not wait for it (see the
    /// module documentation); it bounds how stale an expiry or room list may be.
    cache_ttl: Duration,
    by_id: Mutex<HashMap<Uuid, (Instant, Arc<Grant>)>>,
    by_hash: Mutex<HashMap<String, Uuid>>,
    /// When each token's `last_used_at` was last written by this process.
    touched: Mutex<HashMap<Uuid, Instant>>,
}

impl ApiTokens {
    pub fn new(db: DatabaseConnection, cache_ttl: Duration) -> Self {
        Self {
            db,
            cache_ttl,
            by_id: Mutex::default(),
            by_hash: Mutex::default(),
            touched: Mutex::default(),
        }
    }

    /// The caller a token names: UNAUTHENTICATED for an unknown, revoked or expired one; `Unavailable` when
    /// the database cannot be asked. The edge then checks the revocation set like for a session.
    pub async fn authenticate(&self, token: &str) -> Auth {
        let hash = hash_token(token);
        let cached = {
            let id = lock(&self.by_hash).get(&hash).copied();
            id.and_then(|id| self.fresh(id))
        };
        let grant = match cached {
            Some(grant) => grant,
            None => {
                let row = api_tokens::Entity::find()
                    .filter(api_tokens::Column::TokenHash.eq(&hash))
                    .one(&self.db)
                    .await;
                match row {
                    Ok(Some(row)) => {
                        let grant = self.remember(&row);
                        lock(&self.by_hash).insert(hash, grant.id);
                        grant
                    }
                    Ok(None) => return Auth::Invalid("invalid API token"),
                    Err(err) => {
                        tracing::warn!(error = %err, "checking an API token failed");
                        return Auth::Unavailable("could not check the API token; try again");
                    }
                }
            }
        };
        if grant.revoked {
            return Auth::Invalid("API token revoked");
        }
        if grant.expires_at.is_some_and(|at| at <= clock::now()) {
            return Auth::Invalid("API token expired");
        }
        self.touch(grant.id);
        Auth::Viewer(Viewer {
            user_id: grant.user_id,
            expires_at: grant.expires_at.map_or(NO_EXPIRY, |at| at.timestamp()),
            session_id: grant.id,
            access: Access::Token {
                scopes: grant.scopes,
                room_limited: grant.rooms.is_some(),
            },
        })
    }

    /// Whether the caller may see and act in `room_id` (a sign-in, and a token without a room limit, may in
    /// every room they are a member of).
    pub async fn allows_room(&self, viewer: Viewer, room_id: Uuid) -> Result<bool> {
        match viewer.access {
            Access::Token {
                room_limited: true, ..
            } => Ok(self
                .rooms(viewer.session_id)
                .await?
                .is_some_and(|rooms| rooms.contains(&room_id))),
            _ => Ok(true),
        }
    }

    /// The rooms the caller is limited to, if its credential is a token limited to rooms.
    pub async fn room_limit(&self, viewer: Viewer) -> Result<Option<Arc<[Uuid]>>> {
        match viewer.access {
            Access::Token {
                room_limited: true, ..
            } => self.rooms(viewer.session_id).await,
            _ => Ok(None),
        }
    }

    /// The rooms token `id` is limited to (none: not limited).
    pub async fn rooms(&self, id: Uuid) -> Result<Option<Arc<[Uuid]>>> {
        if let Some(grant) = self.fresh(id) {
            return Ok(grant.rooms.clone());
        }
        let row = api_tokens::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated("invalid API token"))?;
        Ok(self.remember(&row).rooms.clone())
    }

    /// Drops what this process cached about token `id` (after a revocation).
    pub fn forget(&self, id: Uuid) {
        lock(&self.by_id).remove(&id);
        lock(&self.by_hash).retain(|_, cached| *cached != id);
    }

    fn fresh(&self, id: Uuid) -> Option<Arc<Grant>> {
        lock(&self.by_id)
            .get(&id)
            .filter(|(at, _)| at.elapsed() < self.cache_ttl)
            .map(|(_, grant)| grant.clone())
    }

    fn remember(&self, row: &api_tokens::Model) -> Arc<Grant> {
        let grant = Arc::new(Grant::from_row(row));
        let mut by_id = lock(&self.by_id);
        if by_id.len() >= CACHE_SWEEP_AT {
            let ttl = self.cache_ttl;
            by_id.retain(|_, (at, _)| at.elapsed() < ttl);
            let mut by_hash = lock(&self.by_hash);
            by_hash.retain(|_, id| by_id.contains_key(id));
        }
        by_id.insert(row.id, (Instant::now(), grant.clone()));
        grant
    }

    /// Records that token `id` was used, at most once a minute per token (the database condition keeps it so
    /// across processes too), off the request path.
    fn touch(&self, id: Uuid) {
        {
            let mut touched = lock(&self.touched);
            if touched
                .get(&id)
                .is_some_and(|at| at.elapsed() < TOUCH_EVERY)
            {
                return;
            }
            if touched.len() >= CACHE_SWEEP_AT {
                touched.retain(|_, at| at.elapsed() < TOUCH_EVERY);
            }
            touched.insert(id, Instant::now());
        }
        let db = self.db.clone();
        tokio::spawn(async move {
            let now = clock::now();
            let every = chrono::Duration::from_std(TOUCH_EVERY).unwrap_or_default();
            let res = api_tokens::Entity::update_many()
                .col_expr(api_tokens::Column::LastUsedAt, Expr::value(now))
                .filter(api_tokens::Column::Id.eq(id))
                .filter(
                    Condition::any()
                        .add(api_tokens::Column::LastUsedAt.is_null())
                        .add(api_tokens::Column::LastUsedAt.lt(now - every)),
                )
                .exec(&db)
                .await;
            if let Err(err) = res {
                tracing::debug!(error = %err, "recording an API token's use failed");
            }
        });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
