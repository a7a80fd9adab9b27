//! Chooses the event bus and presence store: Redis when `REDIS_URL` is set, in-process otherwise.

use std::sync::Arc;

use anyhow::Context;
use fred::interfaces::ClientLike;
use fred::types::Builder;
use fred::types::config::Config as RedisConfig;
use schema::rate::RedisCounters;
use schema::realtime::bus::{Bus, LocalBus, RedisBus};
use schema::realtime::presence::{LocalPresence, Presence, PresenceStore, RedisPresence};
use sea_orm::DatabaseConnection;

use crate::config::Config;

pub struct Realtime {
    pub bus: Arc<dyn Bus>,
    pub presence: Arc<Presence>,
    /// Rate-limit counters shared by every api process (Redis only).
    pub rate_counters: Option<RedisCounters>,
}

pub async fn connect(config: &Config, db: &DatabaseConnection) -> anyhow::Result<Realtime> {
    let (bus, store): (Arc<dyn Bus>, Arc<dyn PresenceStore>) = match &config.redis_url {
        Some(url) => {
            let bus = RedisBus::connect(url, &config.redis_prefix)
                .await
                .map_err(|e| anyhow::anyhow!(e.public_message()))
                .context("connecting the Redis event bus")?;
            let client =
                Builder::from_config(RedisConfig::from_url(url).context("REDIS_URL")?).build()?;
            client
                .init()
                .await
                .context("connecting to Redis for presence")?;
            let store = RedisPresence::new(client, &config.redis_prefix, config.presence_ttl);
            (bus, Arc::new(store))
        }
        None => (
            Arc::new(LocalBus::new()),
            Arc::new(LocalPresence::default()),
        ),
    };
    let presence = Arc::new(Presence::new(store, bus.clone(), db.clone()));
    let rate_counters = match &config.redis_url {
        Some(url) => Some(rate_counters(url, &config.redis_prefix).await?),
        None => None,
    };
    Ok(Realtime {
        bus,
        presence,
        rate_counters,
    })
}

/// The rate limiter's own client: a short command timeout and endless reconnects, so a Redis outage makes
/// each check fail fast (and fall back to in-process counting) instead of queueing requests behind it.
async fn rate_counters(url: &str, prefix: &str) -> anyhow::Result<RedisCounters> {
    let client = Builder::from_config(RedisConfig::from_url(url).context("REDIS_URL")?)
        .set_policy(fred::types::config::ReconnectPolicy::new_exponential(
            0, 100, 5_000, 2,
        ))
        .with_performance_config(|p| {
            p.default_command_timeout = std::time::Duration::from_millis(500);
        })
        .build()?;
    client
        .init()
        .await
        .context("connecting to Redis for rate limits")?;
    Ok(RedisCounters::new(client, prefix))
}
