//! Persisted documents: which GraphQL document a request runs when it names one by hash, and who may send a
//! document of their own.
//!
//! - Automatic persisted queries (Apollo's APQ, `extensions.persistedQuery {version: 1, sha256Hash}`): a
//!   request with the hash alone runs the document registered under it, or fails with
//!   [`Error::PersistedQueryNotFound`], on which the client sends the hash with the document; that request is
//!   checked (the hash must be the SHA-256 of the document's text), runs, and registers the document for the
//!   next ones. Registered documents live in an LRU in this process, bounded by count and by bytes, and in a
//!   store shared by every process when one is configured (Redis, with a TTL). The shared store is a cache:
//!   when it fails, lookups miss (the client sends the document again) and registrations stay in-process,
//!   so no request carrying its document fails because of it.
//! - Trusted documents: the web client's operations, emitted by codegen as a manifest built into the server,
//!   always resolve by hash. With `trusted_only`, a caller that [`may_send_any_document`] refuses runs
//!   nothing else: documents of its own are FORBIDDEN, whether sent as text or registered by hash.
//!
//! Nothing here knows GraphQL beyond the text of a document: the transports read the request and put the
//! resolved text back (see `api::routes::persisted`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::context::{Access, Auth, Viewer};
use crate::error::{Error, Result};

/// The only version of Apollo's `persistedQuery` extension there is.
pub const APQ_VERSION: i64 = 1;

/// Documents registered by any process, shared between them (Redis). Failures are the store's to log and
/// are answered as a miss (`get`) or ignored (`put`): the in-process cache carries on meanwhile.
pub trait SharedDocuments: Send + Sync + 'static {
    fn get<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<String>>;
    fn put<'a>(&'a self, hash: &'a str, document: &'a str) -> BoxFuture<'a, ()>;
}

#[derive(Clone, Copy, Debug)]
pub struct DocumentSettings {
    /// Documents the in-process LRU holds at most.
    pub max_entries: usize,
    /// Bytes of document text the in-process LRU holds at most (a larger document is run but not kept).
    pub max_bytes: usize,
    /// Refuse documents outside the trusted manifest to callers that [`may_send_any_document`] refuses.
    pub trusted_only: bool,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            max_entries: 1_000,
            max_bytes: 4 * 1024 * 1024,
            trusted_only: false,
        }
    }
}

/// `extensions.persistedQuery` of a request, as the transport read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersistedQuery {
    pub version: i64,
    pub sha256_hash: String,
}

/// Tells a document worth keeping (it parses, it is within the size limits) from one that is run only to
/// answer with its errors. Given by the transport, which knows GraphQL.
pub type Keepable = Box<dyn Fn(&str) -> bool + Send + Sync>;

pub struct Documents {
    /// The trusted manifest: hash (lowercase hex) → document.
    trusted: HashMap<String, Arc<str>>,
    cache: Mutex<Cache>,
    shared: Option<Arc<dyn SharedDocuments>>,
    settings: DocumentSettings,
    keepable: Keepable,
}

impl Documents {
    /// `trusted`: the manifest, `{"sha256:<hex>" | "<hex>": document}` (client-preset's
    /// `persisted-documents.json`). A key that is not the SHA-256 of its document is an error: the manifest
    /// and the client would disagree on what a hash means.
    pub fn new(
        trusted: &str,
        settings: DocumentSettings,
        shared: Option<Arc<dyn SharedDocuments>>,
        keepable: Keepable,
    ) -> Result<Self, String> {
        let manifest: HashMap<String, String> = serde_json::from_str(trusted).map_err(|err| {
            format!("the trusted documents manifest is not a JSON object of strings: {err}")
        })?;
        let trusted = manifest
            .into_iter()
            .map(|(key, document)| {
                let hash = key
                    .strip_prefix("sha256:")
                    .unwrap_or(&key)
                    .to_ascii_lowercase();
                if sha256(&document) != hash {
                    return Err(format!(
                        "trusted document {key} is not the SHA-256 of its text"
                    ));
                }
                Ok((hash, Arc::from(document)))
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            trusted,
            cache: Mutex::new(Cache::new(settings.max_entries, settings.max_bytes)),
            shared,
            settings,
            keepable,
        })
    }

    /// The document a request runs. `query`: the text it carries (`None` or empty: none); `persisted`: its
    /// `persistedQuery` extension. `Ok(Some(text))`: run `text` instead; `Ok(None)`: run `query` as it is.
    pub async fn resolve(
        &self,
        auth: &Auth,
        query: Option<&str>,
        persisted: Option<&PersistedQuery>,
    ) -> Result<Option<String>> {
        let query = query.filter(|q| !q.is_empty());
        let Some(persisted) = persisted else {
            // Hashing a plain document is needed only to tell the manifest's text in trusted-only mode.
            if let Some(query) = query.filter(|_| self.settings.trusted_only) {
                self.check_own(auth, &sha256(query))?;
            }
            return Ok(None);
        };
        if persisted.version != APQ_VERSION {
            return Err(invalid(format!(
                "persistedQuery version {} is not supported: use {APQ_VERSION}",
                persisted.version
            )));
        }
        let hash = persisted.sha256_hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(
                "persistedQuery.sha256Hash must be a SHA-256 hash in hex".to_owned(),
            ));
        }
        match query {
            Some(query) => {
                if sha256(query) != hash {
                    return Err(invalid("provided sha does not match query".to_owned()));
                }
                self.check_own(auth, &hash)?;
                if !self.trusted.contains_key(&hash) {
                    self.register(&hash, query).await;
                }
                Ok(None)
            }
            None => {
                if let Some(document) = self.trusted.get(&hash) {
                    return Ok(Some(document.to_string()));
                }
                self.check_own(auth, &hash)?;
                self.lookup(&hash)
                    .await
                    .map(Some)
                    .ok_or(Error::PersistedQueryNotFound)
            }
        }
    }

    /// FORBIDDEN (or the credentials' own failure) for a document outside the manifest, in trusted-only mode,
    /// from a caller that may not send its own.
    fn check_own(&self, auth: &Auth, hash: &str) -> Result<()> {
        if !self.settings.trusted_only || self.trusted.contains_key(hash) {
            return Ok(());
        }
        may_send_any_document(auth)
    }

    async fn lookup(&self, hash: &str) -> Option<String> {
        if let Some(document) = self.cache().get(hash) {
            return Some(document);
        }
        let document = self.shared.as_ref()?.get(hash).await?;
        // Whatever the shared store says is checked like a client's registration: a key is its text's hash.
        if sha256(&document) != hash {
            tracing::warn!(
                hash,
                "a shared persisted document does not match its hash: ignored"
            );
            return None;
        }
        self.cache().put(hash, &document);
        Some(document)
    }

    async fn register(&self, hash: &str, document: &str) {
        if !(self.keepable)(document) {
            return;
        }
        self.cache().put(hash, document);
        if let Some(shared) = &self.shared {
            shared.put(hash, document).await;
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Documents and bytes the in-process cache holds.
    pub fn cached(&self) -> (usize, usize) {
        let cache = self.cache();
        (cache.entries.len(), cache.bytes)
    }
}

/// Whether `auth` may run documents outside the trusted manifest when `trusted_only` is on: the one rule,
/// for every transport. API tokens, which scripts and bots hold, may. Browser sessions may not: a caller
/// signed in with a password (the web client's access tokens, [`Access::Session`]) or without credentials
/// at all. A caller whose credentials are invalid or cannot be checked learns that rather than FORBIDDEN.
pub fn may_send_any_document(auth: &Auth) -> Result<()> {
    match auth {
        Auth::Viewer(Viewer {
            access: Access::Token { .. },
            ..
        }) => Ok(()),
        Auth::Viewer(_) | Auth::Anonymous => Err(Error::Forbidden(
            "this server runs only the web client's own documents for signed-in sessions: send the document's \
             hash from the trusted manifest, or use an API token",
        )),
        Auth::Invalid(reason) => Err(Error::Unauthenticated(reason)),
        Auth::Unavailable(reason) => Err(Error::Unavailable(reason)),
    }
}

/// The lowercase hex SHA-256 of a document's text, as APQ and the manifest name it.
pub fn sha256(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

fn invalid(message: String) -> Error {
    Error::Validation {
        field: None,
        message,
    }
}

/// Least recently used documents, bounded by count and by total bytes of text.
struct Cache {
    entries: LruCache<String, Arc<str>>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl Cache {
    fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: LruCache::unbounded(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    fn get(&mut self, hash: &str) -> Option<String> {
        self.entries.get(hash).map(|d| d.to_string())
    }

    fn put(&mut self, hash: &str, document: &str) {
        let size = hash.len() + document.len();
        if self.max_entries == 0 || size > self.max_bytes {
            return;
        }
        if let Some(old) = self.entries.put(hash.to_owned(), Arc::from(document)) {
            self.bytes -= hash.len() + old.len();
        }
        self.bytes += size;
        while self.entries.len() > self.max_entries || self.bytes > self.max_bytes {
            let Some((hash, document)) = self.entries.pop_lru() else {
                break;
            };
            self.bytes -= hash.len() + document.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    const DOC: &str = "{ serverInfo { version } }";

    fn documents(settings: DocumentSettings) -> Documents {
        let manifest = serde_json::json!({ format!("sha256:{}", sha256(DOC)): DOC }).to_string();
        Documents::new(&manifest, settings, None, Box::new(|d| !d.contains("junk"))).unwrap()
    }

    fn apq(document: &str) -> PersistedQuery {
        PersistedQuery {
            version: 1,
            sha256_hash: sha256(document),
        }
    }

    fn viewer() -> Auth {
        Auth::Viewer(Viewer {
            user_id: Uuid::now_v7(),
            expires_at: i64::MAX,
            session_id: Uuid::now_v7(),
            access: Access::Session,
        })
    }

    #[tokio::test]
    async fn a_hash_misses_until_its_document_is_registered() {
        let docs = documents(DocumentSettings::default());
        let q = "{ me { email } }";
        let miss = docs.resolve(&viewer(), None, Some(&apq(q))).await;
        assert_eq!(miss.unwrap_err().code(), "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(
            docs.resolve(&viewer(), Some(q), Some(&apq(q)))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            docs.resolve(&viewer(), Some(""), Some(&apq(q)))
                .await
                .unwrap()
                .as_deref(),
            Some(q)
        );
    }

    #[tokio::test]
    async fn a_hash_that_is_not_the_documents_is_refused_and_not_kept() {
        let docs = documents(DocumentSettings::default());
        let err = docs
            .resolve(&viewer(), Some("{ a }"), Some(&apq("{ b }")))
            .await
            .unwrap_err();
        assert_eq!(err.public_message(), "provided sha does not match query");
        assert_eq!(docs.cached().0, 0);
        let bad = PersistedQuery {
            version: 2,
            sha256_hash: sha256("{ a }"),
        };
        assert_eq!(
            docs.resolve(&viewer(), Some("{ a }"), Some(&bad))
                .await
                .unwrap_err()
                .code(),
            "BAD_USER_INPUT"
        );
    }

    #[tokio::test]
    async fn the_cache_is_bounded_by_count_and_bytes() {
        let docs = documents(DocumentSettings {
            max_entries: 3,
            max_bytes: 250,
            ..DocumentSettings::default()
        });
        for i in 0..5 {
            let q = format!("{{ f{i} }}");
            docs.resolve(&viewer(), Some(&q), Some(&apq(&q)))
                .await
                .unwrap();
        }
        assert_eq!(docs.cached().0, 3);
        // The oldest went first.
        assert!(
            docs.resolve(&viewer(), None, Some(&apq("{ f0 }")))
                .await
                .is_err()
        );
        assert!(
            docs.resolve(&viewer(), None, Some(&apq("{ f4 }")))
                .await
                .is_ok()
        );
        let big = format!("{{ {} }}", "x".repeat(150));
        docs.resolve(&viewer(), Some(&big), Some(&apq(&big)))
            .await
            .unwrap();
        let (entries, bytes) = docs.cached();
        assert!(bytes <= 250 && entries == 1, "{entries} {bytes}");
        // Larger than the whole cache: run, not kept.
        let huge = format!("{{ {} }}", "y".repeat(300));
        docs.resolve(&viewer(), Some(&huge), Some(&apq(&huge)))
            .await
            .unwrap();
        assert!(
            docs.resolve(&viewer(), None, Some(&apq(&huge)))
                .await
                .is_err()
        );
        // Not keepable: run, not kept.
        let junk = "{ junk }";
        docs.resolve(&viewer(), Some(junk), Some(&apq(junk)))
            .await
            .unwrap();
        assert!(
            docs.resolve(&viewer(), None, Some(&apq(junk)))
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn trusted_only_refuses_own_documents_to_sessions_but_not_the_manifests() {
        let docs = documents(DocumentSettings {
            trusted_only: true,
            ..DocumentSettings::default()
        });
        for auth in [viewer(), Auth::Anonymous] {
            assert_eq!(
                docs.resolve(&auth, None, Some(&apq(DOC)))
                    .await
                    .unwrap()
                    .as_deref(),
                Some(DOC)
            );
            assert_eq!(docs.resolve(&auth, Some(DOC), None).await.unwrap(), None);
            let own = "{ me { email } }";
            for (query, persisted) in [
                (Some(own), None),
                (Some(own), Some(apq(own))),
                (None, Some(apq(own))),
            ] {
                let err = docs
                    .resolve(&auth, query, persisted.as_ref())
                    .await
                    .unwrap_err();
                assert_eq!(err.code(), "FORBIDDEN");
            }
        }
        assert_eq!(docs.cached().0, 0);
        // API tokens may send anything.
        let token = Auth::Viewer(Viewer {
            access: Access::Token {
                scopes: crate::integrations::scopes::Scopes::default(),
                room_limited: false,
            },
            ..match viewer() {
                Auth::Viewer(v) => v,
                _ => unreachable!(),
            }
        });
        let own = "{ me { email } }";
        assert_eq!(docs.resolve(&token, Some(own), None).await.unwrap(), None);
        assert_eq!(
            docs.resolve(&token, Some(own), Some(&apq(own)))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            docs.resolve(&token, None, Some(&apq(own)))
                .await
                .unwrap()
                .as_deref(),
            Some(own)
        );
        let err = docs
            .resolve(&Auth::Invalid("token expired"), Some("{ a }"), None)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "UNAUTHENTICATED");
    }

    #[test]
    fn a_manifest_key_must_be_its_documents_hash() {
        let manifest = serde_json::json!({ format!("sha256:{}", sha256("{ a }")): "{ b }" });
        let err = Documents::new(
            &manifest.to_string(),
            DocumentSettings::default(),
            None,
            Box::new(|_| true),
        );
        assert!(err.is_err());
    }
}
