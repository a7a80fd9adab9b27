//! Rate-limit counters in Redis, shared by every api process.

use std::time::Duration;

use chorus_core::rate::SharedCounters;
use fred::clients::Client;
use fred::interfaces::ClientLike;
use fred::types::ExpireOptions;
use futures_util::future::BoxFuture;

use crate::redis::Resting;

/// Counters in Redis shared by every api process: one key per limit and subject, living one window.
pub struct RedisCounters {
    client: Client,
    prefix: String,
    /// After a failure Redis is left alone for a moment: the in-process limiter answers meanwhile, so an outage
    /// does not add a command timeout to every request.
    resting: Resting,
}

/// How long the limiter stays in-process after Redis failed to answer.
const REDIS_REST: Duration = Duration::from_secs(5);
/// Upper bound on one Redis round trip of the limiter, on top of the client's own command timeout.
const REDIS_DEADLINE: Duration = Duration::from_millis(750);

impl RedisCounters {
    /// `client` should have a short command timeout and a reconnect policy (see `api::realtime`).
    pub fn new(client: Client, prefix: &str) -> Self {
        Self {
            client,
            prefix: format!("{prefix}rate:"),
            resting: Resting::new(REDIS_REST),
        }
    }

    /// Counts one hit; `None` when Redis did not answer in time.
    async fn count(&self, name: &str, key: &str, window: Duration) -> Option<u64> {
        if self.resting.now() {
            return None;
        }
        let key = format!("{}{name}:{key}", self.prefix);
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let pipeline = self.client.pipeline();
        let counted = async {
            use fred::interfaces::KeysInterface;
            let _: () = pipeline.incr(&key).await?;
            // NX: only the hit that created the key starts its window, even if two processes race.
            let _: () = pipeline
                .pexpire(&key, window_ms, Some(ExpireOptions::NX))
                .await?;
            pipeline.all::<(u64, i64)>().await
        };
        match tokio::time::timeout(REDIS_DEADLINE, counted).await {
            Ok(Ok((count, _))) => Some(count),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "rate limit: Redis failed, counting in-process for a while");
                self.resting.start();
                None
            }
            Err(_) => {
                tracing::warn!(
                    "rate limit: Redis did not answer in time, counting in-process for a while"
                );
                self.resting.start();
                None
            }
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn is_connected(&self) -> bool {
        self.client.is_connected()
    }
}

impl SharedCounters for RedisCounters {
    fn hit<'a>(
        &'a self,
        name: &'a str,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Option<u64>> {
        Box::pin(self.count(name, key, window))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Instant;

    use chorus_core::rate::{RateLimits, RateSettings};

    use super::*;

    #[tokio::test]
    async fn an_unreachable_redis_neither_hangs_nor_refuses() {
        use fred::types::config::{Config, ReconnectPolicy, ServerConfig};
        // Nothing listens on port 1.
        let config = Config {
            server: ServerConfig::new_centralized("127.0.0.1", 1),
            ..Config::default()
        };
        let client = fred::types::Builder::from_config(config)
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2))
            .with_performance_config(|p| p.default_command_timeout = Duration::from_millis(300))
            .build()
            .unwrap();
        // Connecting in the background, as after an outage: commands wait for a connection that never comes.
        let _connection = client.connect();
        let limits = RateLimits::with_shared(
            RateSettings {
                login_per_minute: 1,
                ..RateSettings::default()
            },
            Some(Arc::new(RedisCounters::new(client, "t:"))),
        );
        let started = Instant::now();
        let ip = Some(std::net::IpAddr::from([10, 0, 0, 1]));
        assert!(limits.login("a@x", ip).await.is_ok());
        // Counted in-process meanwhile.
        assert!(limits.login("a@x", ip).await.is_err());
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
}
