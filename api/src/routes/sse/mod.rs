//! GraphQL over Server-Sent Events, the `graphql-sse` protocol, for clients that cannot use WebSockets and
//! over HTTP/3. `Authorization: Bearer …` as on `POST /graphql`.
//!
//! Distinct connections mode: `GET /graphql/sse?query=…&variables=…`, or `POST /graphql/sse` (and
//! `POST /graphql/stream`) with a JSON body. The response is the stream of one operation: each result is an
//! `event: next` with the GraphQL response as data, then `event: complete`. Errors found before the operation
//! runs (it does not parse or validate) come the same way, as the protocol asks.
//!
//! Single connection mode ([`single`]): `PUT /graphql/sse` reserves a stream and answers its token; `GET
//! /graphql/sse` with the token (header `X-GraphQL-Event-Stream-Token` or parameter `token`) opens it; each
//! `POST /graphql/sse` with the token runs one operation (its id in `extensions.operationId`), answered 202
//! and streamed as `next`/`complete` events carrying that id; `DELETE /graphql/sse?operationId=…` stops one.
//!
//! A signed-in caller's operation ends when its access token expires or its session is revoked (log-out):
//! with an UNAUTHENTICATED result, then `complete`, so the client subscribes again with fresh credentials.
//! Mutations are never run from a GET. Persisted queries (APQ) and trusted documents are resolved before
//! anything runs, as on `/graphql`; a refusal comes as the operation's only `next` in distinct connections
//! mode, as the answer to the `POST` in single connection mode.

pub mod single;

use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use schema::phase::Started;
use schema::realtime::resolve_once::{ShareFrames, shared_frame};
use schema::{Auth, Error};

use super::{graphql, persisted};
use crate::auth::{Edge, WatchedEdge};
use crate::startup::AppState;

/// How often an idle stream sends a comment, so proxies and clients see it alive.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The parameters of the URL that are not the GraphQL request's: the stream token of single connection mode
/// (for clients that cannot set headers, e.g. `EventSource`) and the operation `DELETE` stops.
#[derive(serde::Deserialize, Default)]
pub struct StreamParams {
    token: Option<String>,
    #[serde(rename = "operationId")]
    operation_id: Option<String>,
}

/// The reservation token of single connection mode, from the header or the URL.
fn stream_token(headers: &HeaderMap, params: &StreamParams) -> Option<String> {
    headers
        .get(single::TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| params.token.clone())
        .filter(|t| !t.is_empty())
}

/// `GET /graphql/sse`: with a stream token, opens that reserved stream (single connection mode); otherwise
/// runs the query or subscription of the URL (distinct connections mode). A mutation is refused with 405
/// before it runs: URLs end up in logs, histories and caches, and a link must not change anything.
pub async fn get(
    State(state): State<AppState>,
    caller: WatchedEdge,
    headers: HeaderMap,
    stream: Result<Query<StreamParams>, QueryRejection>,
    params: Result<Query<graphql::GetParams>, QueryRejection>,
) -> Response {
    let stream = stream.map(|Query(p)| p).unwrap_or_default();
    if let Some(token) = stream_token(&headers, &stream) {
        return single::open(&state, caller, &token);
    }
    let params = match params {
        Ok(Query(params)) => params,
        Err(err) => return graphql::bad_request(err.body_text()),
    };
    let mut request = match params.into_request() {
        Ok(request) => request,
        Err(err) => return graphql::error_response(&err),
    };
    if let Err(err) = persisted::resolve(&state.documents, &caller.edge.auth, &mut request).await {
        return refused(&err);
    }
    if graphql::is_mutation(&mut request, state.config.graphql_limits.tokens) {
        return graphql::mutation_over_get();
    }
    distinct(&state, caller, request).into_response()
}

/// `POST /graphql/sse` and `POST /graphql/stream`: with a stream token, one operation of single connection
/// mode (202, results on the reserved stream); otherwise the operation's own stream.
pub async fn post(
    State(state): State<AppState>,
    caller: WatchedEdge,
    stream: Result<Query<StreamParams>, QueryRejection>,
    request: Request,
) -> Response {
    let stream = stream.map(|Query(p)| p).unwrap_or_default();
    let token = stream_token(request.headers(), &stream);
    let mut request = match graphql::read_post(&state, request, false).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    if let Err(err) = persisted::resolve(&state.documents, &caller.edge.auth, &mut request).await {
        return match token {
            // Like any request error of single connection mode: nothing starts, the errors are the answer.
            Some(_) => graphql::error_response(&err),
            None => refused(&err),
        };
    }
    match token {
        Some(token) => single::execute(&state, caller, &token, request),
        None => distinct(&state, caller, request).into_response(),
    }
}

/// `PUT /graphql/sse`: reserves a stream of single connection mode for the caller.
pub async fn reserve(State(state): State<AppState>, caller: Edge) -> Response {
    single::reserve(&state, &caller)
}

/// `DELETE /graphql/sse?operationId=…`: stops one operation of a reserved stream.
pub async fn stop(
    State(state): State<AppState>,
    caller: Edge,
    headers: HeaderMap,
    stream: Result<Query<StreamParams>, QueryRejection>,
) -> Response {
    let stream = stream.map(|Query(p)| p).unwrap_or_default();
    let Some(token) = stream_token(&headers, &stream) else {
        return single::not_found();
    };
    single::stop(&state, &caller, &token, stream.operation_id.as_deref())
}

/// A request refused before it ran (persisted documents), in distinct connections mode: like its other request
/// errors, one `next` with the errors, then `complete`.
fn refused(err: &Error) -> Response {
    let body = graphql::error_body(err).to_string();
    let events = futures_util::stream::iter([
        Ok::<_, Infallible>(Event::default().event("next").data(body)),
        Ok(Event::default().event("complete").data("")),
    ]);
    Sse::new(events).into_response()
}

/// The stream of one operation (distinct connections mode).
fn distinct(
    state: &AppState,
    caller: WatchedEdge,
    request: async_graphql::Request,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let WatchedEdge { edge, watch } = caller;
    let auth = edge.auth;
    let (responses, _) = execute(state, edge, request);
    let results = watched(responses.map(serialise).boxed(), auth, watch)
        .map(|data| Ok(Event::default().event("next").data(data)));
    let complete =
        futures_util::stream::once(async { Ok(Event::default().event("complete").data("")) });
    Sse::new(results.chain(complete)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// Starts `request` as `edge`'s caller: its results, and whether its operation started executing.
fn execute(
    state: &AppState,
    edge: Edge,
    request: async_graphql::Request,
) -> (BoxStream<'static, async_graphql::Response>, Started) {
    let started = Started::default();
    let request = edge
        .client
        .attach(schema::prepare_request(request, &state.deps, edge.auth))
        .data(ShareFrames)
        .data(started.clone());
    (state.schema.execute_stream(request), started)
}

/// One result as JSON text: serialised once for every subscriber with the same document when it can be.
fn serialise(mut response: async_graphql::Response) -> String {
    match shared_frame(&mut response) {
        // JSON, so UTF-8.
        Some(frame) => String::from_utf8_lossy(&frame).into_owned(),
        None => serde_json::to_string(&response).unwrap_or_else(|_| "{}".to_owned()),
    }
}

/// `results` until the signed-in caller's access token expires or its session is revoked, then one
/// UNAUTHENTICATED result saying why.
fn watched(
    results: BoxStream<'static, String>,
    auth: Auth,
    watch: Option<chorus_core::auth::sessions::SessionWatch>,
) -> BoxStream<'static, String> {
    let (Auth::Viewer(viewer), Some(watch)) = (auth, watch) else {
        return results;
    };
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

/// `results` until `ended` resolves, then one UNAUTHENTICATED result saying why.
fn until_ended(
    results: impl Stream<Item = String> + Send + 'static,
    ended: impl Future<Output = &'static str> + Send + 'static,
) -> impl Stream<Item = String> + Send + 'static {
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
                    yield graphql::error_body(&Error::Unauthenticated(reason)).to_string();
                    return;
                }
            }
        }
    }
}
