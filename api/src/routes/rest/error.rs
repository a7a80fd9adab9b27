//! The error shape of the REST facade, `{"error": {"code", "message", "field"}}` with the status of its code.
//! Errors of the GraphQL operations behind the endpoints come from their `extensions` ([`ApiError::graphql`]);
//! the facade's own (a body, path or query string it cannot decode, an unknown path) from [`schema::Error`].

use async_graphql::ServerError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schema::Error;
use serde::Serialize;

/// A REST error response.
#[derive(Debug, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    code: String,
    message: String,
    field: Option<String>,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Input names that differ between an endpoint and the GraphQL operation behind it: `(GraphQL argument, REST
/// parameter)`, e.g. `("roomId", "id")` where the room id comes from the path.
pub type Renames = &'static [(&'static str, &'static str)];

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        // The facade's own errors: this is their transport boundary.
        err.log_if_internal();
        ApiError {
            status: StatusCode::from_u16(err.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: err.code().to_owned(),
            message: err.public_message(),
            field: err.field().map(str::to_owned),
        }
    }
}

impl ApiError {
    /// The REST form of a GraphQL error: its `extensions.code` and `extensions.field` (renamed to the
    /// endpoint's parameter through `renames`), its message as it is. The schema already logged what was
    /// internal. An error without a code is one of the request (the endpoint's variables did not fit the
    /// operation: a missing field, a wrong type) when it has no path, else an unexpected failure.
    pub fn graphql(err: &ServerError, renames: Renames) -> Self {
        let extension = |key: &str| match err.extensions.as_ref()?.get(key)? {
            async_graphql::Value::String(value) => Some(value.clone()),
            _ => None,
        };
        match extension("code") {
            Some(code) => ApiError {
                status: status(&code),
                code,
                message: err.message.clone(),
                field: extension("field").map(|field| {
                    renames
                        .iter()
                        .find(|(graphql, _)| *graphql == field)
                        .map_or(field, |(_, rest)| (*rest).to_owned())
                }),
            },
            None if err.path.is_empty() => ApiError::from(Error::Validation {
                field: None,
                message: err.message.clone(),
            }),
            None => ApiError::from(Error::internal(err.message.clone())),
        }
    }
}

fn status(code: &str) -> StatusCode {
    StatusCode::from_u16(chorus_core::error::http_status_of(code))
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut response = (status, Json(serde_json::json!({ "error": self }))).into_response();
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
    ApiError::from(Error::Validation {
        field,
        message: message.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_get_the_status_of_their_domain_error() {
        assert_eq!(status("UNAUTHENTICATED"), StatusCode::UNAUTHORIZED);
        assert_eq!(status("NOT_FOUND"), StatusCode::NOT_FOUND);
        assert_eq!(status("BAD_USER_INPUT"), StatusCode::BAD_REQUEST);
        assert_eq!(status("CONFLICT"), StatusCode::CONFLICT);
        assert_eq!(status("RATE_LIMITED"), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(status("PAYLOAD_TOO_LARGE"), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(status("UNAVAILABLE"), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status("INTERNAL"), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(status("SOMETHING_NEW"), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn graphql_errors_keep_their_code_and_message_and_rename_their_field() {
        let mut err = ServerError::new("last must be at most 100", None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", "BAD_USER_INPUT");
        extensions.set("field", "last");
        err.extensions = Some(extensions);
        let rest = ApiError::graphql(&err, &[("last", "limit")]);
        assert_eq!(rest.status, StatusCode::BAD_REQUEST);
        assert_eq!(rest.code, "BAD_USER_INPUT");
        assert_eq!(rest.message, "last must be at most 100");
        assert_eq!(rest.field.as_deref(), Some("limit"));

        let unrenamed = ApiError::graphql(&err, &[("roomId", "id")]);
        assert_eq!(unrenamed.field.as_deref(), Some("last"));

        let request = ApiError::graphql(&ServerError::new("variable $input is missing", None), &[]);
        assert_eq!(
            (request.status, request.code.as_str()),
            (StatusCode::BAD_REQUEST, "BAD_USER_INPUT")
        );
    }
}
