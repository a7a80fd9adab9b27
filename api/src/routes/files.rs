//! `GET /files/{key}?exp=…&viewer=…&sig=…`: uploaded files, behind the short-lived signed URLs that
//! `Attachment.url` and `User.avatarUrl` hand out (see `chorus_core::attachments::signing`). A missing, expired or
//! altered signature, or credentials of another user than the one the URL was signed for, get 403. Local files
//! are then served directly, S3 objects redirect to a presigned URL.
//!
//! Files are served with the type sniffed at upload (markup is stored as `application/octet-stream`, see
//! `chorus_core::attachments::kinds`), and defensively anyway: `nosniff`, a sandboxing CSP (an object opened
//! directly can run nothing), and `Content-Disposition` inline only for the raster image types, `attachment`
//! with the original file name (RFC 6266/5987) for everything else.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    LOCATION, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chorus_core::attachments::service;
use chorus_core::attachments::signing::SignedParams;
use chorus_core::attachments::storage::Fetched;
use schema::Auth;

use crate::auth::Edge;
use crate::startup::AppState;

pub async fn download(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    caller: Edge,
    params: Result<Query<SignedParams>, QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    // `<img>` sends no credentials; a request that does must be the viewer's own.
    let requester = match (headers.contains_key(AUTHORIZATION), caller.auth) {
        (false, _) => None,
        (true, Auth::Viewer(viewer)) => Some(viewer.user_id),
        (true, _) => return forbidden("invalid credentials"),
    };
    let now = chrono::Utc::now().timestamp();
    if let Err(refusal) = state.deps.file_urls.verify(&key, &params, requester, now) {
        tracing::debug!(?refusal, "file URL refused");
        return forbidden(
            "this link is not valid (expired or not yours); reload to get a fresh one",
        );
    }
    let max_age = params.exp.unwrap_or(now).saturating_sub(now).max(0);
    let served = match service::served(&state.deps, &key).await {
        Ok(Some(served)) => served,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "looking up an upload failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match state.deps.storage.fetch(&key, &served).await {
        Ok(Fetched::Bytes(bytes)) => (
            [
                (CONTENT_TYPE, served.content_type.clone()),
                (CONTENT_DISPOSITION, served.disposition()),
                // The bytes behind a key never change; the permission to read them ends with the URL.
                (
                    CACHE_CONTROL,
                    format!("private, max-age={max_age}, immutable"),
                ),
                (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (
                    CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'".to_owned(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(Fetched::Redirect(url)) => (
            StatusCode::FOUND,
            [
                (LOCATION, url.as_str()),
                (CACHE_CONTROL, "no-store"),
                (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
        )
            .into_response(),
        Ok(Fetched::Missing) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "reading an upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn forbidden(message: &'static str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [
            (CACHE_CONTROL, "no-store"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        message,
    )
        .into_response()
}
