//! Extractors of the REST facade. Their rejections are [`ApiError`]s, so a malformed body, path or query
//! string is a 400 BAD_USER_INPUT in the usual error shape (never axum's plain-text rejections), and a
//! missing or invalid token is a 401.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use schema::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{ApiError, bad_request};
use crate::auth::Edge;
use crate::startup::AppState;

/// A JSON request body (rejections become [`ApiError`]) or a JSON response body.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::from(Error::PayloadTooLarge(rejection.body_text()))
        }
        status if status.is_server_error() => {
            ApiError::from(Error::internal(rejection.body_text()))
        }
        // Syntax errors, wrong or missing fields, a missing `Content-Type: application/json`.
        _ => bad_request(None, rejection.body_text()),
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Path parameters (rejections become [`ApiError`]).
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(path_rejection(rejection)),
        }
    }
}

fn path_rejection(rejection: PathRejection) -> ApiError {
    if rejection.status().is_server_error() {
        ApiError::from(Error::internal(rejection.body_text()))
    } else {
        bad_request(None, rejection.body_text())
    }
}

/// Query-string parameters (rejections become [`ApiError`]).
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> ApiError {
    bad_request(None, rejection.body_text())
}

/// The authenticated caller (`Authorization: Bearer <accessToken>`, checked by [`Edge`]); without a valid token
/// the request is refused with 401 before its body is read.
pub struct Caller(pub Edge);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(edge) = Edge::from_request_parts(parts, state).await;
        edge.auth.viewer()?;
        Ok(Caller(edge))
    }
}

/// A JSON object body, handed to the GraphQL operation as variables.
pub type Object = serde_json::Map<String, serde_json::Value>;
