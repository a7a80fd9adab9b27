//! GraphQL over HTTP (the GraphQL over HTTP spec): `POST /graphql` with a JSON body (or a GraphQL multipart
//! request, for uploads) and `GET /graphql?query=…` for queries; GraphiQL on `GET /graphql` for browsers.
//! The response is `application/graphql-response+json` when the client asks for it, else `application/json`
//! (see [`negotiate`]); with the former, request errors (the document does not parse or validate, variables
//! do not coerce) are 400 without `data`, with the latter every well-formed request is 200. Unreadable
//! requests are 400 either way, a missing or foreign `Content-Type` 415. Persisted queries (APQ) and trusted
//! documents are resolved first ([`persisted`]), so `GET` refuses a mutation named only by its hash too.

use std::collections::HashMap;

use async_graphql::ParseRequestError;
use async_graphql::http::{MultipartOptions, receive_body};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use schema::Error;
use schema::phase::Started;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::negotiate::{self, Media};
use super::persisted;
use crate::auth::Edge;
use crate::startup::{AppState, upload_request_limit};

/// `POST /graphql`: the caller is authenticated here, at the edge, and handed to the schema. JSON bodies are
/// capped at `CHORUS_BODY_LIMIT`; GraphQL multipart requests (uploads) at the upload limit.
pub async fn execute(State(state): State<AppState>, caller: Edge, request: Request) -> Response {
    let Some(media) = negotiate::graphql_media(request.headers()) else {
        return not_acceptable();
    };
    let mut request = match read_post(&state, request, true).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    if let Err(err) = persisted::resolve(&state.documents, &caller.auth, &mut request).await {
        return refused(&err, media);
    }
    run(&state, caller, request, media).await
}

/// `GET /graphql`: GraphiQL for a browser (`Accept: text/html`); for anyone else the query of the URL
/// (`query`, `operationName`, `variables` and `extensions` as JSON), run like a POST. Mutations are refused
/// with 405: a URL must not change anything (it ends up in logs, histories and caches).
pub async fn get(
    State(state): State<AppState>,
    caller: Edge,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if negotiate::wants_html(&headers) {
        return Html(include_str!("graphiql.html")).into_response();
    }
    let Some(media) = negotiate::graphql_media(&headers) else {
        return not_acceptable();
    };
    let params = match params {
        Ok(Query(params)) => params,
        Err(err) => return bad_request(err.body_text()),
    };
    let mut request = match params.into_request() {
        Ok(request) => request,
        Err(err) => return error_response(&err),
    };
    if let Err(err) = persisted::resolve(&state.documents, &caller.auth, &mut request).await {
        return refused(&err, media);
    }
    if is_mutation(&mut request, state.config.graphql_limits.tokens) {
        return mutation_over_get();
    }
    run(&state, caller, request, media).await
}

/// The parameters of a GraphQL request in a URL (GraphQL over HTTP): `variables` and `extensions` are JSON.
#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

impl GetParams {
    pub fn into_request(self) -> Result<async_graphql::Request, Error> {
        let object =
            |name: &str, raw: Option<String>| -> Result<Option<Map<String, Value>>, Error> {
                match raw.as_deref().map(serde_json::from_str::<Value>) {
                    None => Ok(None),
                    Some(Ok(Value::Object(map))) => Ok(Some(map)),
                    Some(Ok(Value::Null)) => Ok(None),
                    Some(_) => Err(invalid(format!("`{name}` must be a JSON object"))),
                }
            };
        let params = Params {
            query: self.query,
            operation_name: self.operation_name,
            variables: object("variables", self.variables)?,
            extensions: object("extensions", self.extensions)?,
        };
        params.into_request()
    }
}

/// A JSON request body. Stricter than async-graphql's own reading: each parameter must have its type or be
/// null, and `query` must be there, so a malformed request is a 400 rather than a GraphQL error.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
}

impl Params {
    pub fn into_request(self) -> Result<async_graphql::Request, Error> {
        // A persisted query (APQ) names its document by hash: the query comes from `persisted::resolve`.
        let query = match self.query {
            Some(query) => query,
            None if self
                .extensions
                .as_ref()
                .is_some_and(persisted::names_a_document) =>
            {
                String::new()
            }
            None => return Err(invalid("the request has no `query`".to_owned())),
        };
        let mut request = async_graphql::Request::new(query);
        request.operation_name = self.operation_name;
        if let Some(variables) = self.variables {
            request.variables = async_graphql::Variables::from_json(Value::Object(variables));
        }
        if let Some(extensions) = self.extensions {
            request.extensions = async_graphql::Extensions(
                extensions
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, async_graphql::Value::from_json(v).ok()?)))
                    .collect::<HashMap<_, _>>(),
            );
        }
        Ok(request)
    }
}

/// Reads a POST body into a request: JSON (`application/json`), or a GraphQL multipart request when `uploads`
/// are taken. Anything else, or no `Content-Type`, is 415.
pub async fn read_post(
    state: &AppState,
    request: Request,
    uploads: bool,
) -> Result<async_graphql::Request, Response> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(kind) = content_type
        .as_deref()
        .and_then(|t| t.parse::<mime::Mime>().ok())
    else {
        return Err(unsupported_media_type());
    };
    let multipart = uploads && kind.type_() == mime::MULTIPART;
    let json = kind.type_() == mime::APPLICATION
        && (kind.subtype() == mime::JSON || kind.suffix() == Some(mime::JSON))
        && kind
            .get_param(mime::CHARSET)
            .is_none_or(|c| c.as_str().eq_ignore_ascii_case("utf-8"));
    if !multipart && !json {
        return Err(unsupported_media_type());
    }
    let limit = if multipart {
        upload_request_limit(&state.config)
    } else {
        state.config.body_limit
    };
    let body = match axum::body::to_bytes(request.into_body(), limit).await {
        Ok(body) => body,
        Err(_) => {
            return Err(error_response(&Error::PayloadTooLarge(
                "request body too large".to_owned(),
            )));
        }
    };
    if json {
        return match serde_json::from_slice::<Params>(&body) {
            Ok(params) => params.into_request().map_err(|err| error_response(&err)),
            Err(err) if err.is_data() => Err(bad_request(format!("invalid request: {err}"))),
            Err(err) => Err(bad_request(format!("the body is not JSON: {err}"))),
        };
    }
    let options = MultipartOptions::default()
        .max_file_size(state.config.max_upload_bytes)
        .max_num_files(1);
    match receive_body(content_type, futures_util::io::Cursor::new(body), options).await {
        Ok(request) => Ok(request),
        Err(ParseRequestError::PayloadTooLarge) => Err(error_response(&Error::PayloadTooLarge(
            "file too large".to_owned(),
        ))),
        Err(err) => Err(bad_request(err.to_string())),
    }
}

/// Runs `request` as `caller` and writes the response in `media`.
async fn run(
    state: &AppState,
    caller: Edge,
    request: async_graphql::Request,
    media: Media,
) -> Response {
    let started = Started::default();
    let request = caller
        .client
        .attach(schema::prepare_request(request, &state.deps, caller.auth))
        .data(started.clone());
    let response = state.schema.execute(request).await;
    respond(response, started.get(), media)
}

/// The HTTP response of an executed request. An operation that failed as a whole because a dependency is
/// down answers 503 (with `Retry-After`), so HTTP clients and proxies see a retryable failure and not a
/// success carrying errors. A request error (the operation never `started`) has no `data`, and is 400 when
/// the client reads `application/graphql-response+json`.
pub fn respond(response: async_graphql::Response, started: bool, media: Media) -> Response {
    let request_error = !started && !response.errors.is_empty();
    let status = if unavailable(&response) {
        StatusCode::SERVICE_UNAVAILABLE
    } else if request_error && media == Media::GraphQLResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let cache_control = response
        .is_ok()
        .then(|| response.cache_control.value())
        .flatten();
    let extra_headers = response.http_headers.clone();
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| Value::Object(Map::new()));
    if request_error && let Value::Object(fields) = &mut body {
        fields.remove("data");
    }
    let mut http = (
        status,
        [(CONTENT_TYPE, media.content_type())],
        serde_json::to_vec(&body).unwrap_or_default(),
    )
        .into_response();
    let headers = http.headers_mut();
    if let Some(value) = cache_control.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(CACHE_CONTROL, value);
    }
    headers.extend(extra_headers);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    http
}

/// Whether the operation failed as a whole, and only because a dependency is down.
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

/// Whether the operation the request selects is a mutation. Documents that are too long or do not parse are
/// left to the schema, which refuses them with its usual errors.
pub fn is_mutation(request: &mut async_graphql::Request, max_tokens: usize) -> bool {
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

/// 405 for a mutation sent with GET.
pub fn mutation_over_get() -> Response {
    let body = error_body(&Error::Validation {
        field: None,
        message: "mutations are not allowed over GET: POST them".to_owned(),
    });
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(ALLOW, "POST")],
        axum::Json(body),
    )
        .into_response()
}

/// `{"errors": [{message, extensions: {code, field?}}]}` for an error raised by the transport itself (not by
/// the schema), spelled as the schema spells its own. Internal causes are logged here, once.
pub fn error_body(err: &Error) -> serde_json::Value {
    err.log_if_internal();
    serde_json::json!({ "errors": [schema::errors::server_error(err)] })
}

/// A request that could not be read: [`error_body`] with the error's HTTP status.
pub fn error_response(err: &Error) -> Response {
    let status =
        StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(error_body(err))).into_response()
}

/// BAD_USER_INPUT (400): the request is not a GraphQL request (bad JSON, parameters of the wrong type).
pub fn invalid(message: String) -> Error {
    Error::Validation {
        field: None,
        message,
    }
}

/// A request refused before it ran (persisted documents), with the error's status (200 for a persisted
/// query not found, as Apollo's clients expect) in the negotiated media type.
pub fn refused(err: &Error, media: Media) -> Response {
    let status =
        StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (
        status,
        [(CONTENT_TYPE, media.content_type())],
        error_body(err).to_string(),
    )
        .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// [`invalid`] as a response.
pub fn bad_request(message: String) -> Response {
    error_response(&invalid(message))
}

fn unsupported_media_type() -> Response {
    let body = error_body(&Error::Validation {
        field: None,
        message: "send the request as application/json (or multipart/form-data for uploads)"
            .to_owned(),
    });
    (StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(body)).into_response()
}

fn not_acceptable() -> Response {
    let body = error_body(&Error::Validation {
        field: None,
        message: format!(
            "the response is JSON: accept {} or application/json",
            negotiate::GRAPHQL_RESPONSE_JSON
        ),
    });
    (StatusCode::NOT_ACCEPTABLE, axum::Json(body)).into_response()
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
