//! The Redis half of the session revocation set, when `REDIS_URL` is set. Its client reconnects by itself and
//! never waits long (`chorus_adapters::redis`): while Redis is away the database answers instead.

use anyhow::Context;
use chorus_adapters::redis;
use chorus_adapters::redis_revocations::RedisRevocations;

use crate::config::{Config, ExposeSecret};

pub async fn redis_revocations(config: &Config) -> anyhow::Result<Option<RedisRevocations>> {
    let Some(url) = config.redis_url.as_ref().map(ExposeSecret::expose_secret) else {
        return Ok(None);
    };
    let client = redis::client(url, "session revocations")
        .await
        .map_err(anyhow::Error::from)
        .context("setting up the Redis client of session revocations")?;
    Ok(Some(RedisRevocations::new(client, &config.redis_prefix)))
}
