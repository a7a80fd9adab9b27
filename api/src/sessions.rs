//! The Redis half of the session revocation set, when `REDIS_URL` is set. Its client reconnects by itself and
//! never waits long (`schema::realtime::redis`): while Redis is away the database answers instead.

use schema::auth::sessions::RedisRevocations;
use schema::realtime::redis;

use crate::config::Config;

pub async fn redis_revocations(config: &Config) -> anyhow::Result<Option<RedisRevocations>> {
    let Some(url) = &config.redis_url else {
        return Ok(None);
    };
    let client = redis::client(url, "session revocations")
        .await
        .map_err(|e| anyhow::anyhow!(e.public_message()))?;
    Ok(Some(RedisRevocations::new(client, &config.redis_prefix)))
}
