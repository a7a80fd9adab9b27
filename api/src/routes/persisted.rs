//! Persisted documents at the edge, the same for every transport (`POST`/`GET /graphql`, graphql-sse in both
//! modes, WebSocket `subscribe`): [`resolve`] reads `extensions.persistedQuery` of a request that was read
//! but not yet run, and puts the document it names in its place (see `chorus_core::documents` for the
//! rules). A transport calls it right after reading a request and answers its error like a refused request;
//! only the codes differ from other refusals: a miss is `PERSISTED_QUERY_NOT_FOUND` with HTTP 200 (what
//! Apollo's clients expect before sending the document), a hash that is not the document's is
//! `BAD_USER_INPUT`, a document refused in trusted-only mode `FORBIDDEN`.
//!
//! async-graphql's own `ApolloPersistedQueries` extension runs inside the executor: its errors carry no
//! `extensions.code`, a miss could not be told from a request error (400 with
//! `application/graphql-response+json`), `GET` could not refuse a mutation named only by its hash before it
//! runs, and it knows nothing of the caller, which trusted-only mode needs.

use std::sync::Arc;

use async_graphql::Request;
use chorus_core::documents::{Documents, PersistedQuery, SharedDocuments};
use schema::{Auth, Error};
use serde::Deserialize;

use crate::config::Config;

/// The web client's operations as codegen emitted them (`persistedDocuments` of client-preset): the server
/// and the client it serves are built from the same commit, so every hash the client sends resolves.
pub const MANIFEST: &str = include_str!("../../../frontend/src/gql/persisted-documents.json");

/// The name of the extension (Apollo's).
const EXTENSION: &str = "persistedQuery";

/// The persisted documents of this process: the trusted manifest, an in-process LRU and, with Redis,
/// `shared`.
pub fn documents(
    config: &Config,
    shared: Option<Arc<dyn SharedDocuments>>,
) -> anyhow::Result<Documents> {
    let max_tokens = config.graphql_limits.tokens;
    // Only documents that could run are kept: one that is too long or does not parse is answered with its
    // errors and forgotten.
    let keepable = Box::new(move |document: &str| {
        !schema::limits::exceeds_tokens(document, max_tokens)
            && async_graphql::parser::parse_query(document).is_ok()
    });
    Documents::new(MANIFEST, config.documents.into(), shared, keepable)
        .map_err(|err| anyhow::anyhow!(err))
}

/// Whether the request carries `extensions.persistedQuery` (then it needs no `query`).
pub fn names_a_document(extensions: &serde_json::Map<String, serde_json::Value>) -> bool {
    extensions.get(EXTENSION).is_some_and(|v| !v.is_null())
}

/// Puts the document the request names by hash in its place, registers one it sends with its hash, and
/// refuses what `documents` refuses to `auth`.
pub async fn resolve(
    documents: &Documents,
    auth: &Auth,
    request: &mut Request,
) -> Result<(), Error> {
    let persisted = match request.extensions.remove(EXTENSION) {
        None | Some(async_graphql::Value::Null) => None,
        Some(value) => Some(parse(value)?),
    };
    if let Some(document) = documents
        .resolve(auth, Some(&request.query), persisted.as_ref())
        .await?
    {
        request.query = document;
    }
    Ok(())
}

fn parse(value: async_graphql::Value) -> Result<PersistedQuery, Error> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Extension {
        version: i64,
        sha256_hash: String,
    }
    let json = value.into_json().unwrap_or(serde_json::Value::Null);
    let extension: Extension = serde_json::from_value(json).map_err(|_| Error::Validation {
        field: None,
        message: "extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<hex>\"}"
            .to_owned(),
    })?;
    Ok(PersistedQuery {
        version: extension.version,
        sha256_hash: extension.sha256_hash,
    })
}
