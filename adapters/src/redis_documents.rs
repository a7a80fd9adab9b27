//! Persisted documents (APQ) in Redis, shared by every api process, each kept for a TTL after its last
//! registration.

use std::time::Duration;

use chorus_core::documents::SharedDocuments;
use fred::clients::Client;
use fred::interfaces::KeysInterface;
use fred::types::Expiration;
use futures_util::future::BoxFuture;

use crate::redis::Resting;

/// Longest wait for Redis on a request's path: a lookup that takes longer counts as a miss (the client then
/// sends its document), a registration as done in-process only.
const DEADLINE: Duration = Duration::from_millis(300);
/// How long Redis is left alone after it failed.
const REST: Duration = Duration::from_secs(5);

pub struct RedisDocuments {
    client: Client,
    prefix: String,
    ttl_secs: i64,
    resting: Resting,
}

impl RedisDocuments {
    /// `client` should have a short command timeout and a reconnect policy (see `api::realtime`).
    pub fn new(client: Client, prefix: &str, ttl: Duration) -> Self {
        Self {
            client,
            prefix: format!("{prefix}apq:"),
            ttl_secs: i64::try_from(ttl.as_secs().max(1)).unwrap_or(i64::MAX),
            resting: Resting::new(REST),
        }
    }

    async fn bounded<T>(
        &self,
        what: &'static str,
        command: impl Future<Output = Result<T, fred::error::Error>>,
    ) -> Option<T> {
        if self.resting.now() {
            return None;
        }
        match tokio::time::timeout(DEADLINE, command).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, what, "persisted documents: Redis failed, in-process only for a while");
                self.resting.start();
                None
            }
            Err(_) => {
                tracing::warn!(
                    what,
                    "persisted documents: Redis did not answer in time, in-process only for a while"
                );
                self.resting.start();
                None
            }
        }
    }
}

impl SharedDocuments for RedisDocuments {
    fn get<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            let key = format!("{}{hash}", self.prefix);
            self.bounded("lookup", self.client.get::<Option<String>, _>(key))
                .await
                .flatten()
        })
    }

    fn put<'a>(&'a self, hash: &'a str, document: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let key = format!("{}{hash}", self.prefix);
            let set = self.client.set::<(), _, _>(
                key,
                document,
                Some(Expiration::EX(self.ttl_secs)),
                None,
                false,
            );
            self.bounded("registration", set).await;
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Instant;

    use chorus_core::documents::{DocumentSettings, Documents, PersistedQuery, sha256};
    use chorus_core::{Auth, Error};
    use fred::interfaces::ClientLike;

    use super::*;

    #[tokio::test]
    async fn an_unreachable_redis_neither_hangs_nor_fails_a_registration() {
        use fred::types::config::{Config, ReconnectPolicy, ServerConfig};
        // Nothing listens on port 1.
        let config = Config {
            server: ServerConfig::new_centralized("127.0.0.1", 1),
            ..Config::default()
        };
        let client = fred::types::Builder::from_config(config)
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2))
            .with_performance_config(|p| p.default_command_timeout = Duration::from_millis(300))
            .build()
            .unwrap();
        let _connection = client.connect();
        let shared = RedisDocuments::new(client, "t:", Duration::from_secs(60));
        let docs = Documents::new(
            "{}",
            DocumentSettings::default(),
            Some(Arc::new(shared)),
            Box::new(|_| true),
        )
        .unwrap();
        let started = Instant::now();
        let unknown = PersistedQuery {
            version: 1,
            sha256_hash: sha256("{ a }"),
        };
        assert!(matches!(
            docs.resolve(&Auth::Anonymous, None, Some(&unknown)).await,
            Err(Error::PersistedQueryNotFound)
        ));
        let q = "{ b }";
        let apq = PersistedQuery {
            version: 1,
            sha256_hash: sha256(q),
        };
        docs.resolve(&Auth::Anonymous, Some(q), Some(&apq))
            .await
            .unwrap();
        // Kept in-process meanwhile.
        assert_eq!(
            docs.resolve(&Auth::Anonymous, None, Some(&apq))
                .await
                .unwrap()
                .as_deref(),
            Some(q)
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
}
