//! Sessions: one sign-in, i.e. one refresh-token family, named in its access tokens by the `sid` claim.
//!
//! Access tokens are stateless, so ending a session early (log-out, refresh-token reuse) needs a revocation
//! set: the `revoked_sessions` table, mirrored in Redis when it is configured, consulted on every authenticated
//! request. The hot path rarely reaches either: "not revoked" answers are cached in-process for a few seconds
//! ([`SessionSettings::cache_ttl`]) and "revoked" ones for good. Every revocation is announced on the bus
//! (`session-revoked`), so each api process marks it in its cache at once and ends the session's open
//! WebSockets (4403) and SSE streams through [`Sessions::watch`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entity::revoked_sessions;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use tokio::sync::watch;
use uuid::Uuid;

use crate::clock;
use crate::context::{Auth, Deps};
use crate::error::{Error, Result};
use crate::realtime::bus::{Bus, Signal, channels};

/// Past this many cached answers, expired ones are dropped.
const CACHE_SWEEP_AT: usize = 10_000;

#[derive(Clone, Debug)]
pub struct SessionSettings {
    /// How long a "not revoked" answer is trusted without asking the store again. A revocation announced on
    /// the bus is seen at once; this only bounds how long a process that missed the announcement (bus down)
    /// keeps accepting a revoked session.
    pub cache_ttl: Duration,
    /// Lifetime of access tokens: a revocation must be remembered this long, after which no token naming the
    /// session can still be valid.
    pub access_ttl: Duration,
}

/// A fast mirror of the revocation set shared by every api process (e.g. Redis). It only ever confirms a
/// revocation: an emptied mirror must not bring a revoked session back, so "not there" is settled by the
/// database.
pub trait RevocationMirror: Send + Sync + 'static {
    /// Whether the mirror can answer now (when not, the database is asked directly).
    fn is_connected(&self) -> bool;
    /// Whether `sid` is recorded as revoked.
    fn contains(&self, sid: Uuid) -> BoxFuture<'_, Result<bool>>;
    /// Records `sid` as revoked for `ttl`.
    fn insert(&self, sid: Uuid, ttl: Duration) -> BoxFuture<'_, Result<()>>;
}

#[derive(Clone, Copy)]
enum Cached {
    Live(Instant),
    Revoked(Instant),
}

pub struct Sessions {
    db: DatabaseConnection,
    bus: Arc<dyn Bus>,
    mirror: Option<Arc<dyn RevocationMirror>>,
    settings: SessionSettings,
    cache: Mutex<HashMap<Uuid, Cached>>,
    /// Open sockets and streams per session, told when it is revoked.
    watchers: Mutex<HashMap<Uuid, watch::Sender<bool>>>,
}

/// Resolves [`SessionWatch::revoked`] when its session is revoked. Register it before checking the session, so
/// a revocation between the check and the registration is not missed.
pub struct SessionWatch {
    sessions: Arc<Sessions>,
    sid: Uuid,
    rx: watch::Receiver<bool>,
}

impl SessionWatch {
    /// Resolves once the session is revoked (never otherwise); independent of the watch's lifetime.
    pub fn revoked(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.rx.clone();
        async move {
            if rx.wait_for(|revoked| *revoked).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

impl Drop for SessionWatch {
    fn drop(&mut self) {
        let mut watchers = self
            .sessions
            .watchers
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // This watch's receiver is still alive: 1 means nobody else listens.
        if watchers
            .get(&self.sid)
            .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            watchers.remove(&self.sid);
        }
    }
}

impl Sessions {
    pub fn new(
        db: DatabaseConnection,
        bus: Arc<dyn Bus>,
        mirror: Option<Arc<dyn RevocationMirror>>,
        settings: SessionSettings,
    ) -> Self {
        Self {
            db,
            bus,
            mirror,
            settings,
            cache: Mutex::default(),
            watchers: Mutex::default(),
        }
    }

    /// Follows revocations announced by every api process. The subscription is live when this returns.
    pub async fn listen(self: &Arc<Self>) -> Result<tokio::task::JoinHandle<()>> {
        let mut subscription = self.bus.subscribe(channels::SESSION_REVOKED).await?;
        let sessions = Arc::downgrade(self);
        Ok(tokio::spawn(async move {
            while let Some(signal) = subscription.recv().await {
                let Some(sessions) = sessions.upgrade() else {
                    return;
                };
                match signal {
                    Signal::Message(payload) => match payload.parse::<Uuid>() {
                        Ok(sid) => sessions.revoked_locally(sid),
                        Err(_) => tracing::warn!(%payload, "malformed session-revoked signal"),
                    },
                    Signal::Lagged => sessions.recover().await,
                }
            }
        }))
    }

    /// Announcements were lost: forget every cached "not revoked" and check the watched sessions again.
    async fn recover(&self) {
        self.lock_cache()
            .retain(|_, cached| matches!(cached, Cached::Revoked(_)));
        let watched: Vec<Uuid> = self
            .watchers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect();
        for sid in watched {
            match self.is_revoked(sid).await {
                Ok(true) => self.revoked_locally(sid),
                Ok(false) => {}
                Err(err) => {
                    tracing::warn!(error = %err, "re-checking a session failed")
                }
            }
        }
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Cached>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts watching `sid` for revocation (WebSockets, SSE streams).
    pub fn watch(self: &Arc<Self>, sid: Uuid) -> SessionWatch {
        let mut watchers = self.watchers.lock().unwrap_or_else(|e| e.into_inner());
        let rx = watchers
            .entry(sid)
            .or_insert_with(|| watch::channel(false).0)
            .subscribe();
        SessionWatch {
            sessions: self.clone(),
            sid,
            rx,
        }
    }

    /// Whether `sid` was revoked: from the cache, else Redis (when configured), else the database.
    pub async fn is_revoked(&self, sid: Uuid) -> Result<bool> {
        let now = Instant::now();
        match self.lock_cache().get(&sid) {
            Some(Cached::Revoked(_)) => return Ok(true),
            Some(Cached::Live(at)) if now.duration_since(*at) < self.settings.cache_ttl => {
                return Ok(false);
            }
            _ => {}
        }
        let revoked = self.lookup(sid).await?;
        let mut cache = self.lock_cache();
        if cache.len() >= CACHE_SWEEP_AT {
            let (live_ttl, revoked_ttl) = (self.settings.cache_ttl, self.settings.access_ttl);
            cache.retain(|_, cached| match cached {
                Cached::Live(at) => now.duration_since(*at) < live_ttl,
                Cached::Revoked(at) => now.duration_since(*at) < revoked_ttl,
            });
        }
        // A revocation announced while we were asking wins over our (older) answer.
        if !matches!(cache.get(&sid), Some(Cached::Revoked(_))) {
            cache.insert(
                sid,
                if revoked {
                    Cached::Revoked(now)
                } else {
                    Cached::Live(now)
                },
            );
        }
        Ok(revoked || matches!(cache.get(&sid), Some(Cached::Revoked(_))))
    }

    async fn lookup(&self, sid: Uuid) -> Result<bool> {
        if let Some(mirror) = &self.mirror
            && mirror.is_connected()
        {
            // The mirror only ever confirms a revocation: "not there" is settled by the database.
            match mirror.contains(sid).await {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                // The database has the same answer, just slower.
                Err(err) => tracing::warn!(error = %err, "revocation mirror lookup failed"),
            }
        }
        Ok(revoked_sessions::Entity::find_by_id(sid)
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Whether the database records `sid` as revoked (no cache): for decisions that must not be stale, such
    /// as handing out new tokens of the session.
    pub async fn is_revoked_in_store(&self, sid: Uuid) -> Result<bool> {
        Ok(revoked_sessions::Entity::find_by_id(sid)
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Ends session `sid` of `user_id` everywhere: its access tokens are refused from now on and its open
    /// sockets and streams end, in every api process.
    pub async fn revoke(&self, sid: Uuid, user_id: Uuid) -> Result<()> {
        let now = clock::now();
        let ttl = chrono::Duration::from_std(self.settings.access_ttl).map_err(Error::internal)?;
        revoked_sessions::Entity::insert(revoked_sessions::ActiveModel {
            session_id: Set(sid),
            user_id: Set(user_id),
            revoked_at: Set(now),
            // A token issued just before the revocation lives at most this long.
            expires_at: Set(now + ttl),
        })
        .on_conflict_do_nothing_on([revoked_sessions::Column::SessionId])
        .exec(&self.db)
        .await?;
        // Rows no token can need any more.
        revoked_sessions::Entity::delete_many()
            .filter(revoked_sessions::Column::ExpiresAt.lt(now))
            .exec(&self.db)
            .await?;
        if let Some(mirror) = &self.mirror
            && let Err(err) = mirror.insert(sid, self.settings.access_ttl).await
        {
            tracing::warn!(error = %err, "recording a revocation in the mirror failed");
        }
        self.revoked_locally(sid);
        // Other processes learn it here; should the bus be down, they still refuse the session once their
        // cached answer is older than `cache_ttl`.
        if let Err(err) = self
            .bus
            .publish(channels::SESSION_REVOKED, sid.to_string())
            .await
        {
            tracing::warn!(error = %err, "announcing a revocation failed");
        }
        Ok(())
    }

    fn revoked_locally(&self, sid: Uuid) {
        self.lock_cache()
            .insert(sid, Cached::Revoked(Instant::now()));
        let watchers = self.watchers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = watchers.get(&sid) {
            tx.send_replace(true);
        }
    }
}

/// `auth` unless session `sid` was revoked (or cannot be checked).
pub async fn check(deps: &Deps, auth: Auth, sid: Uuid) -> Auth {
    match deps.sessions.is_revoked(sid).await {
        Ok(false) => auth,
        Ok(true) => Auth::Invalid("session ended; please sign in again"),
        Err(err) => {
            tracing::warn!(error = %err, "checking a session failed");
            Auth::Unavailable("could not check the session; try again")
        }
    }
}
