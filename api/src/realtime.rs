//! Chooses the event bus and presence store: Redis when `REDIS_URL` is set, in-process otherwise. Redis being
//! down (at start-up or later) is survived: clients reconnect by themselves and the bus degrades to reading
//! storage (see `chorus_adapters::redis_bus`).

use std::sync::Arc;

use anyhow::Context;
use chorus_adapters::redis;
use chorus_adapters::redis_counters::RedisCounters;
use chorus_adapters::redis_presence::RedisPresence;
use chorus_adapters::{RedisBus, RedisBusSettings};
use chorus_core::realtime::bus::{Bus, LocalBus};
use chorus_core::realtime::presence::{LocalPresence, Presence, PresenceStore};
use fred::interfaces::EventInterface;
use sea_orm::DatabaseConnection;

use crate::config::{Config, ExposeSecret};

pub struct Realtime {
    pub bus: Arc<dyn Bus>,
    pub presence: Arc<Presence>,
    /// Background work tied to the server's life (presence upkeep after Redis reconnects).
    pub tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Rate-limit counters shared by every api process (Redis only).
    pub rate_counters: Option<RedisCounters>,
}

pub async fn connect(config: &Config, db: &DatabaseConnection) -> anyhow::Result<Realtime> {
    let Some(url) = config.redis_url.as_ref().map(ExposeSecret::expose_secret) else {
        let bus: Arc<dyn Bus> = Arc::new(LocalBus::new());
        let presence = Arc::new(Presence::new(
            Arc::new(LocalPresence::default()),
            bus.clone(),
            db.clone(),
        ));
        return Ok(Realtime {
            bus,
            presence,
            tasks: Vec::new(),
            rate_counters: None,
        });
    };
    let settings = RedisBusSettings {
        prefix: config.redis_prefix.clone(),
        publish_timeout: config.bus_publish_timeout,
        poll_interval: config.bus_poll_interval,
        ..RedisBusSettings::default()
    };
    let (bus, client, counters) = tokio::join!(
        RedisBus::connect(url, settings),
        redis::client(url, "presence"),
        rate_counters(url, &config.redis_prefix)
    );
    let bus: Arc<dyn Bus> = bus
        .map_err(anyhow::Error::from)
        .context("setting up the Redis event bus")?;
    let client = client
        .map_err(anyhow::Error::from)
        .context("setting up the Redis presence client")?;
    let rate_counters = Some(counters?);
    let mut reconnects = client.reconnect_rx();
    let store: Arc<dyn PresenceStore> = Arc::new(RedisPresence::new(
        client,
        &config.redis_prefix,
        config.presence_ttl,
    ));
    let presence = Arc::new(Presence::new(store, bus.clone(), db.clone()));
    // A restarted Redis has forgotten who is online: write this process's connections back at once rather
    // than at the next heartbeat.
    let upkeep = {
        let presence = Arc::downgrade(&presence);
        tokio::spawn(async move {
            while let Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) =
                reconnects.recv().await
            {
                let Some(presence) = presence.upgrade() else {
                    break;
                };
                if let Err(err) = presence.maintain().await {
                    tracing::warn!(error = ?err, "presence upkeep after a Redis reconnect failed");
                }
            }
        })
    };
    Ok(Realtime {
        bus,
        presence,
        tasks: vec![upkeep],
        rate_counters,
    })
}

/// The rate limiter's own client: a short command timeout and endless reconnects, so a Redis outage makes
/// each check fail fast (and fall back to in-process counting) instead of queueing requests behind it.
async fn rate_counters(url: &str, prefix: &str) -> anyhow::Result<RedisCounters> {
    let mut builder = redis::builder(url).map_err(anyhow::Error::from)?;
    builder.with_performance_config(|p| {
        p.default_command_timeout = std::time::Duration::from_millis(500);
    });
    let client = builder.build()?;
    redis::start(&client, "rate limits").await;
    Ok(RedisCounters::new(client, prefix))
}
