//! `/api/rooms/*`: the room operations and a room's history behind JSON.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::error::ApiResult;
use super::extract::{Caller, Json, Object, Path, Query};
use super::messages::{PageQuery, created, limit, param};
use super::operation::{message, nodes, pick, room, run};
use crate::startup::AppState;

/// `GET /api/rooms` → `{rooms}`: my rooms, most recent activity first.
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let mut data = run(&state, caller, "Rooms", json!({}), &[]).await?;
    let rooms: Vec<Value> = match data["rooms"].take() {
        Value::Array(rooms) => rooms.into_iter().map(room).collect(),
        _ => Vec::new(),
    };
    Ok(Json(json!({ "rooms": rooms })))
}

/// `GET /api/rooms/{id}`: one of my rooms; 404 for anyone else's.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut data = run(&state, caller, "Room", json!({ "id": id }), &[]).await?;
    match data["room"].take() {
        Value::Null => Err(schema::Error::NotFound("room not found").into()),
        found => Ok(Json(room(found))),
    }
}

/// `POST /api/rooms/direct` `{userId}`: 201 when the room was created, 200 when it was there already.
pub async fn create_direct(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<Object>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let since = chrono::Utc::now();
    let variables = Value::Object(pick(&body, &["userId"]));
    let mut data = run(&state, caller, "CreateDirect", variables, &[]).await?;
    let found = room(data["createDirectRoom"].take());
    Ok((created(&found, since), Json(found)))
}

/// `POST /api/rooms` `{name, memberIds}`: a new group room I own.
pub async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<Object>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut input = pick(&body, &["name", "memberIds"]);
    input.entry("memberIds").or_insert_with(|| json!([]));
    let variables = json!({ "input": input });
    let mut data = run(&state, caller, "CreateGroup", variables, &[]).await?;
    Ok((
        StatusCode::CREATED,
        Json(room(data["createGroupRoom"].take())),
    ))
}

/// `GET /api/rooms/{id}/messages?before=&limit=` → `{messages, hasMore, nextBefore}`: the newest `limit` top-level
/// messages before the cursor `before`, newest first (the GraphQL connection pages backward with `last`).
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Value>> {
    let before = param(query.before);
    let variables = json!({ "roomId": id, "last": limit(query.limit)?, "before": before });
    let renames = &[("roomId", "id"), ("last", "limit")];
    let mut data = run(&state, caller, "History", variables, renames).await?;
    let mut page = data["messages"].take();
    let mut messages = nodes(&mut page);
    messages.reverse();
    let has_more = page["pageInfo"]["hasPreviousPage"] == true;
    let next_before = match page["pageInfo"]["startCursor"].take() {
        _ if !has_more => Value::Null,
        Value::Null => before.into(),
        cursor => cursor,
    };
    Ok(Json(
        json!({ "messages": messages, "hasMore": has_more, "nextBefore": next_before }),
    ))
}

/// `POST /api/rooms/{id}/messages` `{content, clientId?, attachmentIds?}`: 201 with the new message, or 200 with
/// the original when `clientId` was already used (a retry).
pub async fn send(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Object>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let since = chrono::Utc::now();
    let mut input = pick(&body, &["content", "clientId", "attachmentIds"]);
    input.insert("roomId".to_owned(), id.into());
    let variables = json!({ "input": input });
    let mut data = run(&state, caller, "Send", variables, &[("roomId", "id")]).await?;
    let sent = message(data["sendMessage"].take());
    Ok((created(&sent, since), Json(sent)))
}

/// `POST /api/rooms/{id}/read` `{messageId}`: moves my read marker forward (never back).
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Object>,
) -> ApiResult<Json<Value>> {
    let mut variables = pick(&body, &["messageId"]);
    variables.insert("roomId".to_owned(), id.into());
    let renames = &[("roomId", "id")];
    let mut data = run(&state, caller, "MarkRead", variables.into(), renames).await?;
    Ok(Json(room(data["markRead"].take())))
}
