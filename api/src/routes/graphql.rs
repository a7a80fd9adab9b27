use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{Path, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::startup::AppState;

/// `POST /graphql`: the caller is authenticated here, at the edge, and handed to the schema.
pub async fn execute(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let auth = state
        .deps
        .tokens
        .authenticate(headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()));
    let request = schema::prepare_request(request.into_inner(), &state.deps, auth);
    state.schema.execute(request).await.into()
}

/// `GET /graphql`: the GraphiQL playground, with its scripts served by the api (no CDN: it works offline).
pub async fn graphiql() -> Html<&'static str> {
    Html(include_str!("graphiql.html"))
}

/// `GET /graphql/assets/{file}`: GraphiQL's vendored files (`api/assets/graphiql`, see its NOTICE).
pub async fn graphiql_asset(Path(file): Path<String>) -> Response {
    let (body, content_type): (&'static [u8], &str) = match file.as_str() {
        "graphiql.min.js" => (
            include_bytes!("../../assets/graphiql/graphiql.min.js"),
            "text/javascript",
        ),
        "graphiql.min.css" => (
            include_bytes!("../../assets/graphiql/graphiql.min.css"),
            "text/css",
        ),
        "react.production.min.js" => (
            include_bytes!("../../assets/graphiql/react.production.min.js"),
            "text/javascript",
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
            "text/javascript",
        ),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}
