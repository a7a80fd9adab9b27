//! How an endpoint runs: one operation of the committed documents in `documents/` against the schema, with
//! the caller's [`Auth`] and per-request loaders exactly as `POST /graphql` would, then `data` reshaped. The
//! REST shapes are the GraphQL ones; only the people a message refers to become id lists ([`message`]).

use async_graphql::Variables;
use schema::Auth;
use serde_json::Value;

use super::error::{ApiError, ApiResult, Renames};
use super::extract::{Caller, Object};
use crate::edge::ClientIp;
use crate::startup::AppState;

/// Every operation of the facade, selected by name. One document, so every fragment is used by some
/// operation (GraphQL refuses documents with unused fragments).
const DOCUMENT: &str = concat!(
    include_str!("documents/fragments.graphql"),
    include_str!("documents/auth.graphql"),
    include_str!("documents/rooms.graphql"),
    include_str!("documents/messages.graphql"),
);

/// Runs `operation` of the facade's document for a signed-in caller; see [`execute`].
pub async fn run(
    state: &AppState,
    Caller(edge): Caller,
    operation: &str,
    variables: Value,
    renames: Renames,
) -> ApiResult<Value> {
    execute(
        state,
        edge.auth,
        edge.client,
        request(operation, variables),
        renames,
    )
    .await
}

/// The request for `operation` of the facade's document.
pub fn request(operation: &str, variables: Value) -> async_graphql::Request {
    async_graphql::Request::new(DOCUMENT)
        .operation_name(operation)
        .variables(Variables::from_json(variables))
}

/// Executes `request` and returns its `data`, or the first error in the REST shape (input names renamed by
/// `renames`). Partial results are errors here: a REST response is whole or refused.
pub async fn execute(
    state: &AppState,
    auth: Auth,
    client: ClientIp,
    request: async_graphql::Request,
    renames: Renames,
) -> ApiResult<Value> {
    let request = client.attach(schema::prepare_request(request, &state.deps, auth));
    let response = state.schema.execute(request).await;
    if let Some(err) = response.errors.first() {
        return Err(ApiError::graphql(err, renames));
    }
    response
        .data
        .into_json()
        .map_err(|err| ApiError::from(schema::Error::internal(err)))
}

/// The members of `body` an operation takes, as its variables (or an input object's fields). Anything else in
/// the body is ignored, as a JSON API does, where GraphQL would refuse an unknown input field.
pub fn pick(body: &Object, keys: &[&str]) -> Object {
    keys.iter()
        .filter_map(|&key| Some((key.to_owned(), body.get(key)?.clone())))
        .collect()
}

/// A `Message` in the REST shape: `senderId` beside `sender`, and `mentions`, `seenBy` and each reaction's
/// `users` (as `userIds`) as lists of user ids.
pub fn message(mut value: Value) -> Value {
    if let Value::Object(fields) = &mut value {
        let sender_id = fields
            .get("sender")
            .and_then(|sender| sender.get("id"))
            .cloned()
            .unwrap_or(Value::Null);
        fields.insert("senderId".to_owned(), sender_id);
        for key in ["mentions", "seenBy"] {
            if let Some(users) = fields.get_mut(key) {
                *users = ids(users.take());
            }
        }
        if let Some(Value::Array(groups)) = fields.get_mut("reactions") {
            for group in groups.iter_mut().filter_map(Value::as_object_mut) {
                let users = group.remove("users").unwrap_or(Value::Null);
                group.insert("userIds".to_owned(), ids(users));
            }
        }
    }
    value
}

/// A `Room` in the REST shape: its last message as [`message`].
pub fn room(mut value: Value) -> Value {
    if let Some(last) = value.get_mut("lastMessage").filter(|last| !last.is_null()) {
        *last = message(last.take());
    }
    value
}

/// The messages of a connection, in its order.
pub fn nodes(connection: &mut Value) -> Vec<Value> {
    match connection["edges"].take() {
        Value::Array(edges) => edges
            .into_iter()
            .map(|mut edge| message(edge["node"].take()))
            .collect(),
        _ => Vec::new(),
    }
}

/// `[{id}, …]` → `[id, …]`.
fn ids(users: Value) -> Value {
    match users {
        Value::Array(users) => users
            .into_iter()
            .map(|mut user| user["id"].take())
            .collect(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn messages_name_people_by_id() {
        let graphql = json!({
            "id": "m", "sender": { "id": "a", "nickname": "alice", "avatarUrl": null },
            "mentions": [{ "id": "b" }], "seenBy": [{ "id": "a" }, { "id": "b" }],
            "reactions": [{ "emoji": "👍", "count": 1, "reactedByMe": true, "users": [{ "id": "b" }] }],
        });
        assert_eq!(
            message(graphql),
            json!({
                "id": "m", "sender": { "id": "a", "nickname": "alice", "avatarUrl": null }, "senderId": "a",
                "mentions": ["b"], "seenBy": ["a", "b"],
                "reactions": [{ "emoji": "👍", "count": 1, "reactedByMe": true, "userIds": ["b"] }],
            })
        );
        assert_eq!(message(json!({ "sender": null }))["senderId"], Value::Null);
        assert_eq!(
            room(json!({ "lastMessage": null })),
            json!({ "lastMessage": null })
        );
    }

    #[test]
    fn only_the_named_members_of_a_body_are_passed_on() {
        let body = json!({ "content": "hi", "roomId": "x", "extra": 1 });
        let Value::Object(body) = body else {
            unreachable!()
        };
        assert_eq!(
            Value::Object(pick(&body, &["content", "clientId"])),
            json!({ "content": "hi" })
        );
    }
}
