//! `POST /hooks/<id>/<secret>`: incoming webhooks (`chorus_core::integrations::webhooks`). No credentials
//! but the secret in the path; errors in the REST shape (`{"error": {"code", "message", "field"}}`): 400
//! BAD_USER_INPUT, 404 NOT_FOUND (unknown or deleted hook, wrong secret), 413 PAYLOAD_TOO_LARGE, 429
//! RATE_LIMITED.

use axum::extract::State;
use axum::http::StatusCode;
use chorus_core::integrations::webhooks::{self, Post};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::rest::error::ApiResult;
use super::rest::extract::{Json, Path};
use crate::startup::AppState;

/// Largest accepted body: a message's text with room for the other fields and JSON escapes.
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Body {
    text: String,
    username: Option<String>,
    avatar_url: Option<String>,
}

pub async fn post(
    State(state): State<AppState>,
    Path((id, secret)): Path<(String, String)>,
    Json(body): Json<Body>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    // An id that is not a UUID names no hook.
    let id = Uuid::parse_str(&id).map_err(|_| webhooks::HOOK_NOT_FOUND)?;
    let post = Post {
        text: body.text,
        username: body.username,
        avatar_url: body.avatar_url,
    };
    let message = webhooks::post(&state.deps, id, &secret, post).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": message.id.to_string(),
            "roomId": message.room_id.to_string(),
            "seq": message.seq,
        })),
    ))
}
