//! Subscriptions over Server-Sent Events (graphql-sse "distinct connections" mode), for clients that cannot
//! use WebSockets, and over HTTP/3: `GET /graphql/sse?query=…&variables=…` or `POST /graphql/stream` with a
//! JSON body, `Authorization: Bearer …` as on `POST /graphql`. Each result is an `event: next` with the
//! GraphQL response as data; the stream ends with `event: complete`.

use std::convert::Infallible;
use std::time::Duration;

use async_graphql::http::parse_query_string;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};

use crate::edge::ClientIp;
use crate::startup::AppState;

pub async fn get(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match parse_query_string(query.as_deref().unwrap_or_default()) {
        Ok(request) => stream(&state, &headers, client.attach(request)).into_response(),
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    }
}

pub async fn post(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Json(request): Json<async_graphql::Request>,
) -> Response {
    stream(&state, &headers, client.attach(request)).into_response()
}

fn stream(
    state: &AppState,
    headers: &HeaderMap,
    request: async_graphql::Request,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let auth = state
        .deps
        .tokens
        .authenticate(headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()));
    let request = schema::prepare_request(request, &state.deps, auth);
    let results = state.schema.execute_stream(request).map(|response| {
        let data = serde_json::to_string(&response).unwrap_or_else(|_| "{}".to_owned());
        Ok(Event::default().event("next").data(data))
    });
    let complete =
        futures_util::stream::once(async { Ok(Event::default().event("complete").data("")) });
    Sse::new(results.chain(complete)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
