//! Presence: a user is ONLINE while at least one authenticated WebSocket of theirs is open on any api process,
//! AWAY when they said so (and are connected), OFFLINE otherwise.
//!
//! Connection state lives in a [`PresenceStore`]: in-process ([`LocalPresence`]) or shared by every process
//! (`chorus_adapters::redis_presence`), where a process that dies stops heartbeating, its connections expire,
//! and any other process's sweeper turns those users OFFLINE within the TTL.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::users;
use futures_util::future::BoxFuture;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock;
use crate::error::Result;
use crate::realtime::bus::{Bus, channels};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PresenceStatus {
    Online,
    Away,
    Offline,
}

/// Manual AWAY (`away`) or back to ONLINE, within the per-user rate of presence changes.
pub async fn set_away(
    deps: &crate::context::Deps,
    viewer: crate::context::Viewer,
    away: bool,
) -> Result<()> {
    deps.rate.presence_change(viewer.user_id).await?;
    deps.presence.set_away(viewer.user_id, away).await?;
    Ok(())
}

/// Where connection state lives.
pub trait PresenceStore: Send + Sync + 'static {
    /// Records a connection; true when the user was offline before it.
    fn connect(&self, user: Uuid, conn: Uuid) -> BoxFuture<'_, Result<bool>>;
    /// Removes a connection; true when it was the user's last one.
    fn disconnect(&self, user: Uuid, conn: Uuid) -> BoxFuture<'_, Result<bool>>;
    /// Keeps this process's connections alive.
    fn heartbeat<'a>(&'a self, conns: &'a [(Uuid, Uuid)]) -> BoxFuture<'a, Result<()>>;
    /// Users whose connections all expired (their process died); each is reported by exactly one sweeper.
    fn sweep(&self) -> BoxFuture<'_, Result<Vec<Uuid>>>;
    /// Sets or clears the manual AWAY flag.
    fn set_away(&self, user: Uuid, away: bool) -> BoxFuture<'_, Result<()>>;
    fn status<'a>(
        &'a self,
        users: &'a [Uuid],
    ) -> BoxFuture<'a, Result<HashMap<Uuid, PresenceStatus>>>;
}

/// A user's status from whether any connection of theirs is live and their manual AWAY flag.
pub fn combine(connected: bool, away: bool) -> PresenceStatus {
    match (connected, away) {
        (false, _) => PresenceStatus::Offline,
        (true, true) => PresenceStatus::Away,
        (true, false) => PresenceStatus::Online,
    }
}

/// Presence of a single process.
#[derive(Default)]
pub struct LocalPresence {
    state: Mutex<LocalState>,
}

#[derive(Default)]
struct LocalState {
    conns: HashMap<Uuid, HashSet<Uuid>>,
    away: HashSet<Uuid>,
}

impl LocalPresence {
    fn with<T>(&self, f: impl FnOnce(&mut LocalState) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl PresenceStore for LocalPresence {
    fn connect(&self, user: Uuid, conn: Uuid) -> BoxFuture<'_, Result<bool>> {
        let first = self.with(|s| {
            let set = s.conns.entry(user).or_default();
            set.insert(conn);
            set.len() == 1
        });
        Box::pin(async move { Ok(first) })
    }

    fn disconnect(&self, user: Uuid, conn: Uuid) -> BoxFuture<'_, Result<bool>> {
        let last = self.with(|s| match s.conns.get_mut(&user) {
            Some(set) => {
                let removed = set.remove(&conn);
                if set.is_empty() {
                    s.conns.remove(&user);
                }
                removed && !s.conns.contains_key(&user)
            }
            None => false,
        });
        Box::pin(async move { Ok(last) })
    }

    fn heartbeat<'a>(&'a self, _conns: &'a [(Uuid, Uuid)]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn sweep(&self) -> BoxFuture<'_, Result<Vec<Uuid>>> {
        // Connections of this process end with it: nothing can expire behind its back.
        Box::pin(async { Ok(Vec::new()) })
    }

    fn set_away(&self, user: Uuid, away: bool) -> BoxFuture<'_, Result<()>> {
        self.with(|s| {
            if away {
                s.away.insert(user);
            } else {
                s.away.remove(&user);
            }
        });
        Box::pin(async { Ok(()) })
    }

    fn status<'a>(
        &'a self,
        users: &'a [Uuid],
    ) -> BoxFuture<'a, Result<HashMap<Uuid, PresenceStatus>>> {
        let map = self.with(|s| {
            users
                .iter()
                .map(|u| (*u, combine(s.conns.contains_key(u), s.away.contains(u))))
                .collect()
        });
        Box::pin(async move { Ok(map) })
    }
}

/// A change of someone's presence, as published on the `presence` channel.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PresenceChange {
    pub user_id: Uuid,
    pub status: PresenceStatus,
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// The connections this process holds, for the heartbeat.
#[derive(Clone, Default)]
pub struct LocalConnections(Arc<Mutex<HashSet<(Uuid, Uuid)>>>);

impl LocalConnections {
    pub fn add(&self, user: Uuid, conn: Uuid) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((user, conn));
    }

    pub fn remove(&self, user: Uuid, conn: Uuid) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(user, conn));
    }

    pub fn snapshot(&self) -> Vec<(Uuid, Uuid)> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect()
    }
}

/// The presence service: records connections, publishes changes on the `presence` channel, keeps
/// `users.last_seen_at`, and runs the heartbeat and the sweeper of crashed processes' connections.
pub struct Presence {
    store: Arc<dyn PresenceStore>,
    bus: Arc<dyn Bus>,
    db: DatabaseConnection,
    local: LocalConnections,
}

impl Presence {
    pub fn new(store: Arc<dyn PresenceStore>, bus: Arc<dyn Bus>, db: DatabaseConnection) -> Self {
        Self {
            store,
            bus,
            db,
            local: LocalConnections::default(),
        }
    }

    pub fn store(&self) -> &Arc<dyn PresenceStore> {
        &self.store
    }

    /// An authenticated socket of `user` opened.
    pub async fn connected(&self, user: Uuid, conn: Uuid) -> Result<()> {
        self.local.add(user, conn);
        if self.store.connect(user, conn).await? {
            let status = self.status_of(user).await?;
            self.announce(PresenceChange {
                user_id: user,
                status,
                last_seen_at: None,
            })
            .await;
        }
        Ok(())
    }

    /// An authenticated socket of `user` closed.
    pub async fn disconnected(&self, user: Uuid, conn: Uuid) -> Result<()> {
        self.local.remove(user, conn);
        if self.store.disconnect(user, conn).await? {
            self.went_offline(user).await?;
        }
        Ok(())
    }

    /// Manual AWAY, or back to ONLINE.
    pub async fn set_away(&self, user: Uuid, away: bool) -> Result<PresenceStatus> {
        self.store.set_away(user, away).await?;
        let status = self.status_of(user).await?;
        if status != PresenceStatus::Offline {
            self.announce(PresenceChange {
                user_id: user,
                status,
                last_seen_at: None,
            })
            .await;
        }
        Ok(status)
    }

    pub async fn status_of(&self, user: Uuid) -> Result<PresenceStatus> {
        Ok(self
            .store
            .status(&[user])
            .await?
            .get(&user)
            .copied()
            .unwrap_or(PresenceStatus::Offline))
    }

    async fn went_offline(&self, user: Uuid) -> Result<()> {
        let now = clock::now();
        users::Entity::update_many()
            .col_expr(users::Column::LastSeenAt, Expr::value(now))
            .filter(users::Column::Id.eq(user))
            .exec(&self.db)
            .await?;
        // A reload closes the old socket and opens a new one at once: if the new one already announced
        // ONLINE, an OFFLINE now would be the last word and wrong.
        if self.status_of(user).await? != PresenceStatus::Offline {
            return Ok(());
        }
        self.announce(PresenceChange {
            user_id: user,
            status: PresenceStatus::Offline,
            last_seen_at: Some(now),
        })
        .await;
        Ok(())
    }

    async fn announce(&self, change: PresenceChange) {
        match serde_json::to_string(&change) {
            Ok(payload) => {
                if let Err(err) = self.bus.publish(channels::PRESENCE, payload).await {
                    tracing::warn!(error = ?err, "publishing presence failed");
                }
            }
            Err(err) => tracing::error!(error = %err, "serialising presence"),
        }
    }

    /// Heartbeat for this process's connections, then turns OFFLINE the users whose connections expired.
    pub async fn maintain(&self) -> Result<()> {
        self.store.heartbeat(&self.local.snapshot()).await?;
        for user in self.store.sweep().await? {
            self.went_offline(user).await?;
        }
        Ok(())
    }

    /// Runs [`Self::maintain`] every `every` until the returned handle is aborted.
    pub fn spawn_maintenance(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let presence = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(presence) = presence.upgrade() else {
                    break;
                };
                if let Err(err) = presence.maintain().await {
                    tracing::warn!(error = ?err, "presence maintenance failed");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_user_is_online_while_any_connection_is_open() {
        let p = LocalPresence::default();
        let (u, c1, c2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert!(p.connect(u, c1).await.unwrap());
        assert!(!p.connect(u, c2).await.unwrap());
        assert_eq!(p.status(&[u]).await.unwrap()[&u], PresenceStatus::Online);
        assert!(!p.disconnect(u, c1).await.unwrap());
        assert!(p.disconnect(u, c2).await.unwrap());
        assert_eq!(p.status(&[u]).await.unwrap()[&u], PresenceStatus::Offline);
    }

    #[tokio::test]
    async fn away_shows_only_while_connected() {
        let p = LocalPresence::default();
        let (u, c) = (Uuid::now_v7(), Uuid::now_v7());
        p.set_away(u, true).await.unwrap();
        assert_eq!(p.status(&[u]).await.unwrap()[&u], PresenceStatus::Offline);
        p.connect(u, c).await.unwrap();
        assert_eq!(p.status(&[u]).await.unwrap()[&u], PresenceStatus::Away);
        p.set_away(u, false).await.unwrap();
        assert_eq!(p.status(&[u]).await.unwrap()[&u], PresenceStatus::Online);
    }
}
