//! The Redis half of the session revocation set, when `REDIS_URL` is set. Its client reconnects by itself and
//! never waits long (`schema::realtime::redis`): while Redis is away the database answers instead.

use anyhow::Context;
use schema::auth::sessions::RedisRevocations;
use schema::realtime::redis;

use crate::config::{Config, ExposeSecret};

pub async fn redis_revocations(config: &Config) -> anyhow::Result<Option<RedisRevocations>> {
    let Some(url) = config.redis_url.as_ref().map(ExposeSecret::expose_secret) else {
        return Ok(None);
    };
    let client = redis::client(url, "session revocations")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("setting up the Redis client of session revocations")?;
    Ok(Some(RedisRevocations::new(client, &config.redis_prefix)))
}
