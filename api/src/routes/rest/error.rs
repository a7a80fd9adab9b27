//! The one mapping of [`schema::Error`] to an HTTP response for the REST facade: the status comes from
//! [`schema::Error::http_status`], the body is `{"error": {"code", "message", "field"}}` with the same codes as
//! GraphQL's `extensions.code`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schema::Error;
use serde::Serialize;

/// A REST error response. Wraps [`schema::Error`] (a foreign type cannot implement axum's `IntoResponse` here).
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        ApiError(err)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: String,
    field: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log_if_internal();
        let status =
            StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Body {
            error: Detail {
                code: err.code(),
                message: err.public_message(),
                field: err.field(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: tell the client which scheme to use.
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// BAD_USER_INPUT for a request the facade could not even decode (body, path or query string).
pub fn bad_request(field: Option<&'static str>, message: impl Into<String>) -> ApiError {
    ApiError(Error::Validation {
        field,
        message: message.into(),
    })
}

/// Renames the input field a service blamed, where the REST parameter has another name than the GraphQL
/// argument the service was written for (e.g. `last` → `limit`).
pub fn rename_field(err: Error, from: &str, to: &'static str) -> Error {
    match err {
        Error::Validation {
            field: Some(field),
            message,
        } if field == from => Error::Validation {
            field: Some(to),
            message: message.replacen(from, to, 1),
        },
        other => other,
    }
}
