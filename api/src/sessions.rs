//! The Redis half of the session revocation set, when `REDIS_URL` is set. Its client reconnects by itself and
//! never waits long (`chorus_adapters::redis`): while Redis is away the database answers instead.

use chorus_adapters::redis;
use chorus_adapters::redis_revocations::RedisRevocations;

use crate::config::Config;

pub async fn redis_revocations(config: &Config) -> anyhow::Result<Option<RedisRevocations>> {
    let Some(url) = &config.redis_url else {
        return Ok(None);
    };
    let client = redis::client(url, "session revocations")
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Some(RedisRevocations::new(client, &config.redis_prefix)))
}
