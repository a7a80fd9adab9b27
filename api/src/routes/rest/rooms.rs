//! `/api/rooms/*`: the room and message services behind JSON.

use axum::extract::State;
use axum::http::StatusCode;
use chorus_core::messages::history::{self as messages, PageArgs};
use chorus_core::messages::send::{self, NewMessage, Target};
use chorus_core::pagination::seq_cursor;
use chorus_core::rooms::service::{self as rooms, CreateGroup};
use schema::loaders::Loaders;

use super::dto::{
    self, DirectRoomBody, GroupRoomBody, HistoryPage, HistoryQuery, MarkReadBody, PostBody, Room,
    Rooms,
};
use super::error::{ApiResult, rename_field};
use super::extract::{Caller, Json, Path, Query, id};
use super::messages::{attachment_ids, created};
use crate::startup::AppState;

/// `GET /api/rooms`: my rooms, most recent activity first.
pub async fn list(State(state): State<AppState>, Caller(viewer): Caller) -> ApiResult<Json<Rooms>> {
    let found = rooms::list(&state.deps, viewer).await?;
    let loaders = Loaders::new(&state.deps);
    Ok(Json(Rooms {
        rooms: dto::rooms(&loaders, &state.deps.file_urls, viewer, found).await?,
    }))
}

/// `GET /api/rooms/{id}`: one of my rooms; 404 for anyone else's.
pub async fn get(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(room_id): Path<String>,
) -> ApiResult<Json<Room>> {
    let room = rooms::get(&state.deps, viewer, id("id", &room_id)?).await?;
    let loaders = Loaders::new(&state.deps);
    Ok(Json(
        dto::room(&loaders, &state.deps.file_urls, viewer, room).await?,
    ))
}

/// `POST /api/rooms/direct` `{userId}`: 201 when the room was created (or reopened), 200 when it was there.
pub async fn create_direct(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Json(body): Json<DirectRoomBody>,
) -> ApiResult<(StatusCode, Json<Room>)> {
    let other = id("userId", &body.user_id)?;
    let outcome = rooms::create_direct(&state.deps, viewer, other).await?;
    let status = created(&outcome.written);
    let loaders = Loaders::new(&state.deps);
    Ok((
        status,
        Json(dto::room(&loaders, &state.deps.file_urls, viewer, outcome.value).await?),
    ))
}

/// `POST /api/rooms` `{name, memberIds}`: a new group room I own.
pub async fn create_group(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Json(body): Json<GroupRoomBody>,
) -> ApiResult<(StatusCode, Json<Room>)> {
    let input = CreateGroup {
        name: body.name,
        member_ids: body
            .member_ids
            .iter()
            .map(|raw| id("memberIds", raw))
            .collect::<Result<_, _>>()?,
    };
    // The schema is built with the default rules too (see `schema::Limits`).
    let outcome = rooms::create_group(&state.deps, viewer, input, &state.deps.room_rules).await?;
    let loaders = Loaders::new(&state.deps);
    Ok((
        StatusCode::CREATED,
        Json(dto::room(&loaders, &state.deps.file_urls, viewer, outcome.value).await?),
    ))
}

/// `GET /api/rooms/{id}/messages?before=&limit=`: the newest `limit` (default 50, at most 100) top-level
/// messages before the cursor `before` (the newest of the room without it), newest first.
pub async fn history(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(room_id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryPage>> {
    let room_id = id("id", &room_id)?;
    let before = dto::param(query.before);
    let args = PageArgs {
        last: dto::limit(query.limit)?,
        before: before.clone(),
        ..PageArgs::default()
    };
    let page = messages::history(&state.deps, viewer, room_id, args)
        .await
        .map_err(|e| rename_field(e, "last", "limit"))?;
    // The service pages backward: `hasPreviousPage` says whether older messages exist.
    let has_more = page.has_previous_page;
    let next_before = has_more
        .then(|| page.items.first().map(|m| seq_cursor(m.seq)).or(before))
        .flatten();
    let mut items = page.items;
    items.reverse();
    let loaders = Loaders::new(&state.deps);
    Ok(Json(HistoryPage {
        messages: dto::messages(&loaders, &state.deps.file_urls, viewer, items).await?,
        has_more,
        next_before,
    }))
}

/// `POST /api/rooms/{id}/messages` `{content, clientId?, attachmentIds?}`: 201 with the new message, or 200 with
/// the original when `clientId` was already used (a retry).
pub async fn send(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(room_id): Path<String>,
    Json(body): Json<PostBody>,
) -> ApiResult<(StatusCode, Json<dto::Message>)> {
    let input = NewMessage {
        target: Target::Room(id("id", &room_id)?),
        attachment_ids: attachment_ids(&body.attachment_ids)?,
        content: body.content,
        client_id: body.client_id,
    };
    let outcome = send::post(&state.deps, viewer, input).await?;
    let status = created(&outcome.written);
    let loaders = Loaders::new(&state.deps);
    Ok((
        status,
        Json(dto::message(&loaders, &state.deps.file_urls, viewer, outcome.value).await?),
    ))
}

/// `POST /api/rooms/{id}/read` `{messageId}`: moves my read marker forward (never back).
pub async fn mark_read(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(room_id): Path<String>,
    Json(body): Json<MarkReadBody>,
) -> ApiResult<Json<Room>> {
    let room_id = id("id", &room_id)?;
    let message_id = id("messageId", &body.message_id)?;
    let outcome = rooms::mark_read(&state.deps, viewer, room_id, message_id).await?;
    let loaders = Loaders::new(&state.deps);
    Ok(Json(
        dto::room(&loaders, &state.deps.file_urls, viewer, outcome.value).await?,
    ))
}
