//! One way to configure a Redis client, for every use (bus, presence, counters): it reconnects by itself with
//! backoff and jitter, never waits long for an answer, and lets the process start while Redis is down.

use std::time::Duration;

use fred::clients::Client;
use fred::interfaces::ClientLike;
use fred::types::Builder;
use fred::types::config::{Config as RedisConfig, ReconnectPolicy, UnresponsiveConfig};

use chorus_core::error::{Error, Result};

/// How long any single Redis command may take before it fails. Redis answers in well under a millisecond
/// when healthy; waiting longer only turns a Redis fault into a hung request.
pub const COMMAND_TIMEOUT: Duration = Duration::from_millis(1_000);

/// How long start-up waits for the first connection before going on without one (it keeps trying).
const FIRST_CONNECT: Duration = Duration::from_secs(3);

/// A builder for `url` with reconnection (exponential backoff from 100 ms to 2 s, plus jitter, forever),
/// command timeouts and detection of connections that stopped answering.
pub fn builder(url: &str) -> Result<Builder> {
    let config =
        RedisConfig::from_url(url).map_err(|e| Error::internal(format!("REDIS_URL: {e}")))?;
    let mut builder = Builder::from_config(config);
    let mut policy = ReconnectPolicy::new_exponential(0, 100, 2_000, 2);
    policy.set_jitter(200);
    builder
        .set_policy(policy)
        .with_connection_config(|conn| {
            conn.connection_timeout = Duration::from_secs(2);
            conn.internal_command_timeout = Duration::from_secs(2);
            // A command in flight this long means the connection is dead (a stalled network, a frozen
            // server): close it and reconnect rather than wait for TCP to notice.
            conn.unresponsive = UnresponsiveConfig {
                max_timeout: Some(Duration::from_secs(3)),
                interval: Duration::from_millis(500),
            };
            conn.max_command_attempts = 1;
            // Commands issued while disconnected wait in this queue; past it they fail at once.
            conn.max_command_buffer_len = 10_000;
        })
        .with_performance_config(|perf| {
            perf.default_command_timeout = COMMAND_TIMEOUT;
        });
    Ok(builder)
}

/// Starts `client`'s connection task and waits a little for the first connection. Redis being down at
/// start-up is not fatal: the client keeps reconnecting in the background.
pub async fn start(client: &impl ClientLike, what: &str) {
    client.connect();
    match tokio::time::timeout(FIRST_CONNECT, client.wait_for_connect()).await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            tracing::warn!(error = %err, what, "Redis is not reachable yet; continuing degraded")
        }
        Err(_) => tracing::warn!(what, "Redis is not reachable yet; continuing degraded"),
    }
}

/// A connected plain client (presence, counters).
pub async fn client(url: &str, what: &str) -> Result<Client> {
    let client = builder(url)?.build().map_err(Error::internal)?;
    start(&client, what).await;
    Ok(client)
}

/// After a failed command, a use that can do without Redis (rate counters, persisted documents) leaves it
/// alone for a moment, so an outage costs one timeout now and then rather than one per request.
pub struct Resting {
    until: std::sync::Mutex<Option<std::time::Instant>>,
    period: Duration,
}

impl Resting {
    pub fn new(period: Duration) -> Self {
        Self {
            until: std::sync::Mutex::new(None),
            period,
        }
    }

    /// Whether Redis is being left alone now.
    pub fn now(&self) -> bool {
        let mut until = self.until.lock().unwrap_or_else(|e| e.into_inner());
        match *until {
            Some(at) if std::time::Instant::now() < at => true,
            Some(_) => {
                *until = None;
                false
            }
            None => false,
        }
    }

    /// Leaves Redis alone for the period from now.
    pub fn start(&self) {
        *self.until.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(std::time::Instant::now() + self.period);
    }
}
