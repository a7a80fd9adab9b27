//! `POST /api/upload`: multipart image upload (field `file`), the same service as `uploadImage`.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use chorus_core::attachments::service;
use schema::Error;

use super::dto::Attachment;
use super::error::{ApiError, ApiResult, bad_request};
use super::extract::{Caller, Json};
use crate::startup::AppState;

pub async fn upload(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let mut multipart = multipart.map_err(|e| bad_request(None, e.body_text()))?;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let bytes = field.bytes().await.map_err(multipart_error)?;
        let row = service::upload_image(&state.deps, viewer, bytes.to_vec()).await?;
        let attachment = Attachment::new(row, &state.deps.file_urls, viewer.user_id);
        return Ok((StatusCode::CREATED, Json(attachment)));
    }
    Err(bad_request(
        Some("file"),
        "multipart field `file` is required".to_owned(),
    ))
}

fn multipart_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(Error::PayloadTooLarge(err.body_text()))
    } else {
        bad_request(None, err.body_text())
    }
}
