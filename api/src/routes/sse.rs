//! Subscriptions over Server-Sent Events (graphql-sse "distinct connections" mode), for clients that cannot
//! use WebSockets, and over HTTP/3: `GET /graphql/sse?query=…&variables=…` or `POST /graphql/stream` with a
//! JSON body, `Authorization: Bearer …` as on `POST /graphql`. Each result is an `event: next` with the
//! GraphQL response as data; the stream ends with `event: complete`. A signed-in caller's stream also ends
//! when the access token expires or the session is revoked (log-out).

use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_graphql::http::parse_query_string;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use axum::http::header::ALLOW;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use schema::realtime::resolve_once::{ShareFrames, shared_frame};
use schema::{Auth, Error};

use super::graphql;
use crate::auth::WatchedEdge;
use crate::startup::AppState;

/// `GET /graphql/sse`: queries and subscriptions only. A mutation over GET is refused with 405 before it runs
/// (GraphQL over HTTP): URLs end up in logs, histories and caches, and a link must not change anything.
pub async fn get(
    State(state): State<AppState>,
    caller: WatchedEdge,
    RawQuery(query): RawQuery,
    params: Result<Query<GetParams>, QueryRejection>,
) -> Response {
    match parse_query_string(query.as_deref().unwrap_or_default()) {
        Ok(mut request) => {
            if request.operation_name.is_none() {
                request.operation_name = params.ok().and_then(|Query(p)| p.operation_name);
            }
            if is_mutation(&mut request, state.config.graphql_limits.tokens) {
                return mutation_over_get();
            }
            stream(&state, caller, request).into_response()
        }
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    }
}

/// `operationName` as GraphQL over HTTP spells it (async-graphql's query-string parser only reads
/// `operation_name`).
#[derive(serde::Deserialize)]
pub struct GetParams {
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
}

/// Whether the operation the request selects is a mutation. Documents that are too long or do not parse are
/// left to the schema, which refuses them with its usual errors.
fn is_mutation(request: &mut async_graphql::Request, max_tokens: usize) -> bool {
    if schema::limits::exceeds_tokens(&request.query, max_tokens) {
        return false;
    }
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let selected = match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name.as_str()).map(|op| &op.node)
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    selected.is_some_and(|op| op.ty == OperationType::Mutation)
}

fn mutation_over_get() -> Response {
    let body = graphql::error_body(&Error::Validation {
        field: None,
        message: "mutations are not allowed over GET: POST them to /graphql".to_owned(),
    });
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(ALLOW, "POST")],
        Json(body),
    )
        .into_response()
}

pub async fn post(
    State(state): State<AppState>,
    caller: WatchedEdge,
    Json(request): Json<async_graphql::Request>,
) -> Response {
    stream(&state, caller, request).into_response()
}

/// Runs the operation; a signed-in caller's stream ends, as a WebSocket would be closed, when the access token
/// expires or its session is revoked: with an UNAUTHENTICATED result, then `complete`, so the client
/// subscribes again with fresh credentials.
fn stream(
    state: &AppState,
    caller: WatchedEdge,
    request: async_graphql::Request,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let WatchedEdge { edge, watch } = caller;
    let request = edge
        .client
        .attach(schema::prepare_request(request, &state.deps, edge.auth))
        .data(ShareFrames);
    let results = state.schema.execute_stream(request).map(|mut response| {
        let data = match shared_frame(&mut response) {
            // Serialised once for every subscriber with the same document: JSON, so UTF-8.
            Some(frame) => String::from_utf8_lossy(&frame).into_owned(),
            None => serde_json::to_string(&response).unwrap_or_else(|_| "{}".to_owned()),
        };
        Ok(Event::default().event("next").data(data))
    });
    let results = match (edge.auth, watch) {
        (Auth::Viewer(viewer), Some(watch)) => {
            let expires_at =
                UNIX_EPOCH + Duration::from_secs(u64::try_from(viewer.expires_at).unwrap_or(0));
            let left = expires_at
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            let revoked = watch.revoked();
            let ended = async move {
                // The watch lives as long as the stream is running.
                let _watch = watch;
                tokio::select! {
                    () = tokio::time::sleep(left) => "access token expired",
                    () = revoked => "session ended; please sign in again",
                }
            };
            until_ended(results, ended).boxed()
        }
        _ => results.boxed(),
    };
    let complete =
        futures_util::stream::once(async { Ok(Event::default().event("complete").data("")) });
    Sse::new(results.chain(complete)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `results` until `ended` resolves, then one UNAUTHENTICATED result saying why.
fn until_ended(
    results: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
    ended: impl Future<Output = &'static str> + Send + 'static,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    async_stream::stream! {
        let mut results = std::pin::pin!(results);
        let mut ended = std::pin::pin!(ended);
        loop {
            tokio::select! {
                item = results.next() => match item {
                    Some(item) => yield item,
                    None => return,
                },
                reason = &mut ended => {
                    let body = graphql::error_body(&Error::Unauthenticated(reason));
                    yield Ok(Event::default().event("next").data(body.to_string()));
                    return;
                }
            }
        }
    }
}
