//! `/api/messages/*`: the message services behind JSON.

use axum::extract::State;
use axum::http::StatusCode;
use chorus_core::events::Written;
use chorus_core::messages::send::{self, NewMessage, Target};
use chorus_core::messages::{change, history, reactions};
use chorus_core::pagination::seq_cursor;
use schema::loaders::Loaders;
use uuid::Uuid;

use super::dto::{self, EditBody, Message, PostBody, ReactionBody, ThreadPage, ThreadQuery};
use super::error::{ApiResult, rename_field};
use super::extract::{Caller, Json, Path, Query, id};
use crate::startup::AppState;

/// 201 when the operation stored something new, 200 when it returned what was already there (a `clientId`
/// retry, an existing direct room).
pub(super) fn created(written: &Written) -> StatusCode {
    if written.events.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

pub(super) fn attachment_ids(raw: &[String]) -> schema::Result<Vec<Uuid>> {
    raw.iter().map(|a| id("attachmentIds", a)).collect()
}

async fn present(
    state: &AppState,
    viewer: schema::Viewer,
    m: entity::messages::Model,
) -> ApiResult<Json<Message>> {
    let loaders = Loaders::new(&state.deps);
    Ok(Json(
        dto::message(&loaders, &state.deps.file_urls, viewer, m).await?,
    ))
}

/// `PATCH /api/messages/{id}` `{content}`: the author only.
pub async fn edit(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(message_id): Path<String>,
    Json(body): Json<EditBody>,
) -> ApiResult<Json<Message>> {
    let message_id = id("id", &message_id)?;
    let outcome = change::edit(&state.deps, viewer, message_id, &body.content).await?;
    present(&state, viewer, outcome.value).await
}

/// `DELETE /api/messages/{id}`: the author or a room OWNER/ADMIN; returns the tombstone.
pub async fn delete(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(message_id): Path<String>,
) -> ApiResult<Json<Message>> {
    let message_id = id("id", &message_id)?;
    let outcome = change::delete(&state.deps, viewer, message_id).await?;
    present(&state, viewer, outcome.value).await
}

/// `POST /api/messages/{id}/reactions` `{emoji}`: idempotent.
pub async fn add_reaction(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(message_id): Path<String>,
    Json(body): Json<ReactionBody>,
) -> ApiResult<Json<Message>> {
    let message_id = id("id", &message_id)?;
    let outcome = reactions::add_reaction(&state.deps, viewer, message_id, &body.emoji).await?;
    present(&state, viewer, outcome.value).await
}

/// `DELETE /api/messages/{id}/reactions/{emoji}` (the emoji URL-encoded): idempotent.
pub async fn remove_reaction(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path((message_id, emoji)): Path<(String, String)>,
) -> ApiResult<Json<Message>> {
    let message_id = id("id", &message_id)?;
    let outcome = reactions::remove_reaction(&state.deps, viewer, message_id, &emoji).await?;
    present(&state, viewer, outcome.value).await
}

/// `POST /api/messages/{id}/threads` `{content, clientId?, attachmentIds?}`: a reply in the message's thread
/// (201; 200 with the original on a `clientId` retry).
pub async fn reply(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(parent_id): Path<String>,
    Json(body): Json<PostBody>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let input = NewMessage {
        target: Target::Thread(id("id", &parent_id)?),
        attachment_ids: attachment_ids(&body.attachment_ids)?,
        content: body.content,
        client_id: body.client_id,
    };
    let outcome = send::post(&state.deps, viewer, input).await?;
    let status = created(&outcome.written);
    Ok((status, present(&state, viewer, outcome.value).await?))
}

/// `GET /api/messages/{id}/threads?after=&limit=`: the thread's replies, oldest first.
pub async fn thread(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(message_id): Path<String>,
    Query(query): Query<ThreadQuery>,
) -> ApiResult<Json<ThreadPage>> {
    let message_id = id("id", &message_id)?;
    let after = dto::param(query.after);
    let limit = dto::limit(query.limit)?;
    let page = history::thread(&state.deps, viewer, message_id, limit, after.as_deref())
        .await
        .map_err(|e| rename_field(e, "first", "limit"))?;
    let has_more = page.has_next_page;
    let next_after = has_more
        .then(|| page.items.last().map(|m| seq_cursor(m.seq)).or(after))
        .flatten();
    let loaders = Loaders::new(&state.deps);
    Ok(Json(ThreadPage {
        messages: dto::messages(&loaders, &state.deps.file_urls, viewer, page.items).await?,
        has_more,
        next_after,
    }))
}
