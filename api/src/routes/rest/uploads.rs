//! `POST /api/upload`: multipart upload of a file of any type (field `file`), run as `uploadImage`.

use std::io::{Seek, Write};

use async_graphql::UploadValue;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use schema::Error;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult, bad_request};
use super::extract::{Caller, Json};
use super::operation::{execute, request};
use crate::startup::AppState;

pub async fn upload(
    State(state): State<AppState>,
    Caller(edge): Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut multipart = multipart.map_err(|e| bad_request(None, e.body_text()))?;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("file").to_owned();
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        // async-graphql hands uploads over as files, as its own multipart parser does.
        let content = tokio::task::spawn_blocking(move || {
            let mut file = tempfile::tempfile()?;
            file.write_all(&bytes)?;
            file.rewind()?;
            Ok::<_, std::io::Error>(file)
        })
        .await
        .map_err(Error::from)?
        .map_err(Error::internal)?;
        let mut request = request("Upload", json!({ "file": null }));
        request.set_upload(
            "variables.file",
            UploadValue {
                filename,
                content_type,
                content,
            },
        );
        let mut data = execute(&state, edge.auth, edge.client, request, &[]).await?;
        return Ok((StatusCode::CREATED, Json(data["uploadImage"].take())));
    }
    Err(bad_request(
        Some("file"),
        "multipart field `file` is required".to_owned(),
    ))
}

fn multipart_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::from(Error::PayloadTooLarge(err.body_text()))
    } else {
        bad_request(None, err.body_text())
    }
}
