//! Chooses the event bus and presence store: Redis when `REDIS_URL` is set, in-process otherwise.

use std::sync::Arc;

use anyhow::Context;
use fred::interfaces::ClientLike;
use fred::types::Builder;
use fred::types::config::Config as RedisConfig;
use schema::realtime::bus::{Bus, LocalBus, RedisBus};
use schema::realtime::presence::{LocalPresence, Presence, PresenceStore, RedisPresence};
use sea_orm::DatabaseConnection;

use crate::config::Config;

pub struct Realtime {
    pub bus: Arc<dyn Bus>,
    pub presence: Arc<Presence>,
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
    Ok(Realtime { bus, presence })
}
