//! Seeding through the public API: users signed up, group rooms created and filled.

use anyhow::{Context, Result};
use futures_util::{StreamExt, TryStreamExt, stream};
use serde_json::json;

use crate::docs;
use crate::gql::Gql;

pub const PASSWORD: &str = "bench-password-1";

#[derive(Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// Signs up `n` users named `<prefix><i>` (prefix unique per run), `concurrency` at a time.
pub async fn sign_up(gql: &Gql, prefix: &str, n: usize, concurrency: usize) -> Result<Vec<User>> {
    stream::iter(0..n)
        .map(|i| async move {
            let nickname = format!("{prefix}{i}");
            let email = format!("{nickname}@bench.test");
            let input = json!({"email": email, "password": PASSWORD, "nickname": nickname});
            let data = gql
                .call(None, docs::SIGN_UP, json!({ "input": input }))
                .await
                .with_context(|| format!("signing up {nickname}"))?;
            Ok::<_, anyhow::Error>(User {
                id: data["signUp"]["user"]["id"]
                    .as_str()
                    .context("signUp without user id")?
                    .to_owned(),
                token: data["signUp"]["accessToken"]
                    .as_str()
                    .context("signUp without token")?
                    .to_owned(),
                email,
            })
        })
        .buffered(concurrency)
        .try_collect()
        .await
}

/// A group room owned by `members[0]` with all of `members`; large rooms are filled by invitations of 500
/// at a time so no single request carries thousands of rows.
pub async fn group_room(gql: &Gql, name: &str, members: &[User]) -> Result<String> {
    const BATCH: usize = 500;
    let (owner, rest) = members.split_first().context("a room needs an owner")?;
    let mut batches = rest.chunks(BATCH);
    let first: Vec<&str> = batches
        .next()
        .unwrap_or_default()
        .iter()
        .map(|u| u.id.as_str())
        .collect();
    let input = json!({"name": name, "memberIds": first});
    let data = gql
        .call(
            Some(&owner.token),
            docs::CREATE_GROUP_ROOM,
            json!({ "input": input }),
        )
        .await
        .context("creating a group room")?;
    let room_id = data["createGroupRoom"]["id"]
        .as_str()
        .context("createGroupRoom without id")?
        .to_owned();
    for batch in batches {
        let ids: Vec<&str> = batch.iter().map(|u| u.id.as_str()).collect();
        gql.call(
            Some(&owner.token),
            docs::INVITE_TO_ROOM,
            json!({"roomId": room_id, "userIds": ids}),
        )
        .await
        .context("inviting to a room")?;
    }
    Ok(room_id)
}

/// The room's last seq: subscribing with `positions: [{roomId, afterSeq: <it>}]` then receives every later
/// event exactly once, however long the subscription takes to go live (without positions, events sent
/// before it is live are not delivered: that is the contract of a live-only stream).
pub async fn last_seq(gql: &Gql, token: &str, room: &str) -> Result<i64> {
    let data = gql
        .call(Some(token), docs::ROOM_LAST_SEQ, json!({ "id": room }))
        .await?;
    data["room"]["lastSeq"]
        .as_i64()
        .context("room without lastSeq")
}

/// `events` variables resuming `room` after `after_seq`.
pub fn positions(room: &str, after_seq: i64) -> serde_json::Value {
    json!({ "positions": [{ "roomId": room, "afterSeq": after_seq }] })
}
