//! The Redis half of the session revocation set, when `REDIS_URL` is set.

use anyhow::Context;
use fred::interfaces::ClientLike;
use fred::types::Builder;
use fred::types::config::Config as RedisConfig;
use schema::auth::sessions::RedisRevocations;

use crate::config::Config;

pub async fn redis_revocations(config: &Config) -> anyhow::Result<Option<RedisRevocations>> {
    let Some(url) = &config.redis_url else {
        return Ok(None);
    };
    let client = Builder::from_config(RedisConfig::from_url(url).context("REDIS_URL")?).build()?;
    client
        .init()
        .await
        .context("connecting to Redis for session revocations")?;
    Ok(Some(RedisRevocations::new(client, &config.redis_prefix)))
}
