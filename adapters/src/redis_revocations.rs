//! The Redis mirror of revoked sessions: one key per revoked session, expiring with its last access token.

use std::time::Duration;

use chorus_core::auth::sessions::RevocationMirror;
use chorus_core::error::{Error, Result};
use fred::clients::Client;
use fred::interfaces::{ClientLike, KeysInterface};
use fred::types::Expiration;
use futures_util::future::BoxFuture;
use uuid::Uuid;

/// Redis half of the revocation set: one key per revoked session, expiring with its last access token.
pub struct RedisRevocations {
    client: Client,
    prefix: String,
}

impl RedisRevocations {
    pub fn new(client: Client, prefix: &str) -> Self {
        Self {
            client,
            prefix: prefix.to_owned(),
        }
    }

    fn key(&self, sid: Uuid) -> String {
        format!("{}session-revoked:{sid}", self.prefix)
    }
}

impl RevocationMirror for RedisRevocations {
    fn is_connected(&self) -> bool {
        self.client.is_connected()
    }

    fn contains(&self, sid: Uuid) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async move {
            let found: i64 = self
                .client
                .exists(self.key(sid))
                .await
                .map_err(Error::internal)?;
            Ok(found > 0)
        })
    }

    fn insert(&self, sid: Uuid, ttl: Duration) -> BoxFuture<'_, Result<()>> {
        let secs = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX).max(1);
        Box::pin(async move {
            self.client
                .set::<(), _, _>(self.key(sid), 1, Some(Expiration::EX(secs)), None, false)
                .await
                .map_err(Error::internal)
        })
    }
}
