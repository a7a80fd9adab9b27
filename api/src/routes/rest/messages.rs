//! `/api/messages/*`: the message operations and a thread's replies behind JSON.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, SubsecRound, Utc};
use schema::Error;
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiResult, Renames};
use super::extract::{Caller, Json, Object, Path, Query};
use super::operation::{message, nodes, pick, run};
use crate::startup::AppState;

/// `?before=&after=&limit=` of a page. Strings, so an empty parameter counts as absent and a bad number is
/// reported with its name.
#[derive(Deserialize)]
pub struct PageQuery {
    pub before: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

/// An optional query parameter: empty means absent.
pub fn param(raw: Option<String>) -> Option<String> {
    raw.filter(|v| !v.is_empty())
}

/// The page size parameter, `limit`; its range is checked by the operation (`first`/`last`, renamed back).
pub fn limit(raw: Option<String>) -> Result<Option<i32>, Error> {
    param(raw)
        .map(|v| {
            v.parse::<i32>()
                .map_err(|_| Error::invalid("limit", "limit must be an integer"))
        })
        .transpose()
}

/// 201 when the operation stored `value` (it was created at or after `since`, the time the request began),
/// 200 when it returned what was already there (a `clientId` retry, an existing direct room). Timestamps are
/// kept to the microsecond, so `since` is too.
pub fn created(value: &Value, since: DateTime<Utc>) -> StatusCode {
    let created_at = value["createdAt"]
        .as_str()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok());
    match created_at {
        Some(at) if at < since.trunc_subsecs(6) => StatusCode::OK,
        _ => StatusCode::CREATED,
    }
}

/// Runs a message operation on the message `id` from the path and returns the message.
async fn on_message(
    state: &AppState,
    caller: Caller,
    operation: &str,
    mut variables: Object,
    (id_variable, root): (&'static str, &str),
    id: String,
) -> ApiResult<Json<Value>> {
    variables.insert(id_variable.to_owned(), id.into());
    let renames: Renames = if id_variable == "messageId" {
        &[("messageId", "id")]
    } else {
        &[]
    };
    let mut data = run(state, caller, operation, variables.into(), renames).await?;
    Ok(Json(message(data[root].take())))
}

/// `PATCH /api/messages/{id}` `{content}`: the author only.
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Object>,
) -> ApiResult<Json<Value>> {
    let variables = pick(&body, &["content"]);
    on_message(&state, caller, "Edit", variables, ("id", "editMessage"), id).await
}

/// `DELETE /api/messages/{id}`: the author or a room OWNER/ADMIN; returns the tombstone.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let variables = Object::new();
    on_message(
        &state,
        caller,
        "Delete",
        variables,
        ("id", "deleteMessage"),
        id,
    )
    .await
}

/// `POST /api/messages/{id}/reactions` `{emoji}`: idempotent.
pub async fn add_reaction(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Object>,
) -> ApiResult<Json<Value>> {
    let variables = pick(&body, &["emoji"]);
    let target = ("messageId", "addReaction");
    on_message(&state, caller, "AddReaction", variables, target, id).await
}

/// `DELETE /api/messages/{id}/reactions/{emoji}` (the emoji URL-encoded): idempotent.
pub async fn remove_reaction(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, emoji)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut variables = Object::new();
    variables.insert("emoji".to_owned(), emoji.into());
    let target = ("messageId", "removeReaction");
    on_message(&state, caller, "RemoveReaction", variables, target, id).await
}

/// `POST /api/messages/{id}/threads` `{content, clientId?, attachmentIds?}`: a reply in the message's thread
/// (201; 200 with the original on a `clientId` retry).
pub async fn reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Object>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let since = Utc::now();
    let mut input = pick(&body, &["content", "clientId", "attachmentIds"]);
    input.insert("parentId".to_owned(), id.into());
    let variables = json!({ "input": input });
    let mut data = run(&state, caller, "Reply", variables, &[("parentId", "id")]).await?;
    let sent = message(data["replyInThread"].take());
    Ok((created(&sent, since), Json(sent)))
}

/// `GET /api/messages/{id}/threads?after=&limit=` → `{messages, hasMore, nextAfter}`: the thread's replies,
/// oldest first.
pub async fn thread(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Value>> {
    let after = param(query.after);
    let variables = json!({ "messageId": id, "first": limit(query.limit)?, "after": after });
    let renames = &[("messageId", "id"), ("first", "limit")];
    let mut data = run(&state, caller, "Thread", variables, renames).await?;
    let mut page = data["thread"].take();
    let messages = nodes(&mut page);
    let has_more = page["pageInfo"]["hasNextPage"] == true;
    let next_after = match page["pageInfo"]["endCursor"].take() {
        _ if !has_more => Value::Null,
        Value::Null => after.into(),
        cursor => cursor,
    };
    Ok(Json(
        json!({ "messages": messages, "hasMore": has_more, "nextAfter": next_after }),
    ))
}
