use async_graphql::ParseRequestError;
use async_graphql::http::{MultipartOptions, receive_body};
use async_graphql_axum::GraphQLResponse;
use axum::extract::{Path, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use schema::Error;

use crate::auth::Edge;
use crate::startup::{AppState, upload_request_limit};

/// `POST /graphql`: the caller is authenticated here, at the edge, and handed to the schema. JSON bodies are
/// capped at `CHORUS_BODY_LIMIT`; GraphQL multipart requests (uploads) at the upload limit.
pub async fn execute(State(state): State<AppState>, caller: Edge, request: Request) -> Response {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let multipart = content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("multipart/"));
    let limit = if multipart {
        upload_request_limit(&state.config)
    } else {
        state.config.body_limit
    };
    let body = match axum::body::to_bytes(request.into_body(), limit).await {
        Ok(body) => body,
        Err(_) => {
            return error_response(&Error::PayloadTooLarge("request body too large".to_owned()));
        }
    };
    let options = MultipartOptions::default()
        .max_file_size(state.config.max_upload_bytes)
        .max_num_files(1);
    let request =
        match receive_body(content_type, futures_util::io::Cursor::new(body), options).await {
            Ok(request) => request,
            Err(ParseRequestError::PayloadTooLarge) => {
                return error_response(&Error::PayloadTooLarge("file too large".to_owned()));
            }
            Err(err) => {
                return error_response(&Error::Validation {
                    field: None,
                    message: err.to_string(),
                });
            }
        };
    let request = caller
        .client
        .attach(schema::prepare_request(request, &state.deps, caller.auth));
    let response = state.schema.execute(request).await;
    let unavailable = unavailable(&response);
    let mut http = GraphQLResponse::from(response).into_response();
    if unavailable {
        *http.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        http.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    http
}

/// An operation that failed as a whole because a dependency is down answers 503 (with `Retry-After`), so
/// HTTP clients and proxies see a retryable failure and not a success carrying errors.
fn unavailable(response: &async_graphql::Response) -> bool {
    let code = async_graphql::Value::String(Error::Unavailable("").code().to_owned());
    let nothing = match &response.data {
        async_graphql::Value::Null => true,
        async_graphql::Value::Object(fields) => {
            fields.values().all(|v| *v == async_graphql::Value::Null)
        }
        _ => false,
    };
    nothing
        && !response.errors.is_empty()
        && response.errors.iter().all(|err| {
            err.extensions
                .as_ref()
                .and_then(|ext| ext.get("code"))
                .is_some_and(|c| *c == code)
        })
}

/// `{"errors": [{message, extensions: {code, field?}}]}` for an error raised by the transport itself (not by
/// the schema), spelled as the schema spells its own. Internal causes are logged here, once.
pub fn error_body(err: &Error) -> serde_json::Value {
    err.log_if_internal();
    serde_json::json!({ "errors": [schema::errors::server_error(err)] })
}

/// A request that could not be read: [`error_body`] with the error's HTTP status.
fn error_response(err: &Error) -> Response {
    let status =
        StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(error_body(err))).into_response()
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
