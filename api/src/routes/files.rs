//! `GET /files/{key}`: uploaded files. Local files are served directly; S3 objects redirect to a short-lived
//! presigned URL. Keys are unguessable (they contain a random UUID), like the links of most chat products.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use schema::attachments::storage::Fetched;

use crate::startup::AppState;

pub async fn download(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match state.deps.storage.fetch(&key).await {
        Ok(Fetched::Bytes(bytes)) => (
            [
                (CONTENT_TYPE, content_type(&key)),
                // Stored under a fresh key each time: the bytes behind a key never change.
                (CACHE_CONTROL, "private, max-age=31536000, immutable"),
                (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        Ok(Fetched::Redirect(url)) => (
            StatusCode::FOUND,
            [(LOCATION, url.as_str()), (CACHE_CONTROL, "no-store")],
        )
            .into_response(),
        Ok(Fetched::Missing) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "reading an upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Keys end with the extension chosen from the sniffed format at upload.
fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next() {
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}
