//! Presence in Redis, shared by every api process: each connection is a member of the user's
//! `presence:conns:{user}` sorted set, scored by an expiry that a heartbeat keeps pushing forward;
//! `presence:online` tracks the users with live connections.

use std::collections::HashMap;
use std::time::Duration;

use chorus_core::error::{Error, Result};
use chorus_core::realtime::presence::{PresenceStatus, PresenceStore, combine};
use chrono::Utc;
use fred::clients::Client;
use fred::interfaces::{ClientLike, KeysInterface, SetsInterface, SortedSetsInterface};
use fred::types::sorted_sets::Ordering;
use futures_util::future::BoxFuture;
use uuid::Uuid;

/// Presence shared through Redis by every api process.
pub struct RedisPresence {
    client: Client,
    prefix: String,
    ttl: Duration,
}

impl RedisPresence {
    /// `client` must be connected. Connections not refreshed within `ttl` count as gone.
    pub fn new(client: Client, prefix: &str, ttl: Duration) -> Self {
        Self {
            client,
            prefix: prefix.to_owned(),
            ttl,
        }
    }

    /// Fails at once while Redis is unreachable instead of queueing commands until they time out: presence
    /// is a nicety that must never slow a socket down.
    fn ready(&self) -> Result<()> {
        if self.client.is_connected() {
            Ok(())
        } else {
            Err(Error::Unavailable("presence store unavailable"))
        }
    }

    fn conns_key(&self, user: Uuid) -> String {
        format!("{}presence:conns:{user}", self.prefix)
    }

    fn online_key(&self) -> String {
        format!("{}presence:online", self.prefix)
    }

    fn away_key(&self) -> String {
        format!("{}presence:away", self.prefix)
    }

    fn now_ms() -> f64 {
        Utc::now().timestamp_millis() as f64
    }

    fn expiry_ms(&self) -> f64 {
        Self::now_ms() + self.ttl.as_millis() as f64
    }

    /// Live connections of `user`, after dropping expired ones.
    async fn live_count(&self, user: Uuid) -> Result<u64> {
        let key = self.conns_key(user);
        self.client
            .zremrangebyscore::<(), _, _, _>(&key, f64::NEG_INFINITY, Self::now_ms())
            .await
            .map_err(redis)?;
        self.client.zcard(&key).await.map_err(redis)
    }

    async fn touch(&self, user: Uuid, conn: Uuid) -> Result<()> {
        let expiry = self.expiry_ms();
        let key = self.conns_key(user);
        self.client
            .zadd::<(), _, _>(&key, None, None, false, false, (expiry, conn.to_string()))
            .await
            .map_err(redis)?;
        // The key outlives its members a little so an abandoned set cleans itself up.
        self.client
            .pexpire::<(), _>(&key, 2 * self.ttl.as_millis() as i64, None)
            .await
            .map_err(redis)?;
        self.client
            .zadd::<(), _, _>(
                self.online_key(),
                None,
                Some(Ordering::GreaterThan),
                false,
                false,
                (expiry, user.to_string()),
            )
            .await
            .map_err(redis)
    }

    /// Marks `user` offline unless they still have live connections; true when this call did it.
    async fn settle(&self, user: Uuid) -> Result<bool> {
        if self.live_count(user).await? > 0 {
            return Ok(false);
        }
        let removed: u64 = self
            .client
            .zrem(self.online_key(), user.to_string())
            .await
            .map_err(redis)?;
        Ok(removed == 1)
    }
}

fn redis(err: fred::error::Error) -> Error {
    Error::internal(format!("redis: {err}"))
}

impl PresenceStore for RedisPresence {
    fn connect(&self, user: Uuid, conn: Uuid) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async move {
            self.ready()?;
            self.touch(user, conn).await?;
            Ok(self.live_count(user).await? == 1)
        })
    }

    fn disconnect(&self, user: Uuid, conn: Uuid) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async move {
            self.ready()?;
            self.client
                .zrem::<(), _, _>(self.conns_key(user), conn.to_string())
                .await
                .map_err(redis)?;
            self.settle(user).await
        })
    }

    fn heartbeat<'a>(&'a self, conns: &'a [(Uuid, Uuid)]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.ready()?;
            for (user, conn) in conns {
                self.touch(*user, *conn).await?;
            }
            Ok(())
        })
    }

    fn sweep(&self) -> BoxFuture<'_, Result<Vec<Uuid>>> {
        Box::pin(async move {
            self.ready()?;
            let expired: Vec<String> = self
                .client
                .zrangebyscore(
                    self.online_key(),
                    f64::NEG_INFINITY,
                    Self::now_ms(),
                    false,
                    None,
                )
                .await
                .map_err(redis)?;
            let mut offline = Vec::new();
            for user in expired.iter().filter_map(|u| Uuid::parse_str(u).ok()) {
                if self.settle(user).await? {
                    offline.push(user);
                }
            }
            Ok(offline)
        })
    }

    fn set_away(&self, user: Uuid, away: bool) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            self.ready()?;
            if away {
                self.client
                    .sadd::<(), _, _>(self.away_key(), user.to_string())
                    .await
                    .map_err(redis)
            } else {
                self.client
                    .srem::<(), _, _>(self.away_key(), user.to_string())
                    .await
                    .map_err(redis)
            }
        })
    }

    fn status<'a>(
        &'a self,
        users: &'a [Uuid],
    ) -> BoxFuture<'a, Result<HashMap<Uuid, PresenceStatus>>> {
        Box::pin(async move {
            self.ready()?;
            let now = Self::now_ms();
            let checks = users.iter().map(|user| async move {
                let live: u64 = self
                    .client
                    .zcount(self.conns_key(*user), now, f64::INFINITY)
                    .await
                    .map_err(redis)?;
                let away: bool = self
                    .client
                    .sismember(self.away_key(), user.to_string())
                    .await
                    .map_err(redis)?;
                Ok::<_, Error>((*user, combine(live > 0, away)))
            });
            futures_util::future::try_join_all(checks)
                .await
                .map(|pairs| pairs.into_iter().collect())
        })
    }
}
