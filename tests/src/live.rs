//! Starting live subscriptions so that a test knows they listen before it acts.
//!
//! A stream that replays from storage proves it listens by its first replayed item: the server subscribes to
//! the bus before it reads storage, so everything committed after that read reaches the stream. `roomEvents`
//! replays after `afterSeq` ([`room_events_ready`]); `notifications` and `mentions` replay the stored
//! notifications after `after` ([`notifications_ready`], [`mentions_ready`]).

use serde_json::{Value, json};

use crate::chat::{group, last_seq, mutate, send};
use crate::{Session, TestApp, WsClient};

/// Starts operation `id` on `ws`: `query` is a `roomEvents` subscription taking `$room` and `$after` and
/// selecting `seq`. It starts just before the room's last stored event and returns once that event is
/// replayed (returned): from then on the operation receives every new event of the room.
pub async fn room_events_ready(
    app: &TestApp,
    ws: &mut WsClient,
    who: &Session,
    id: &str,
    query: &str,
    room: &str,
) -> Value {
    let last = last_seq(app, who, room).await;
    assert!(last > 0, "a room has stored events from its creation on");
    ws.subscribe(id, query, json!({ "room": room, "after": last - 1 }))
        .await;
    let replayed = ws.next_data(id).await["roomEvents"].clone();
    assert_eq!(
        replayed["seq"], last,
        "the replay starts after afterSeq: {replayed}"
    );
    replayed
}

/// Starts operation `id` of `who` on `ws`: `query` is a `notifications` subscription taking `$after` and
/// selecting `id`. Returns once it replayed a stored notification made for the purpose (returned): from then
/// on the operation receives every new notification of `who`. See [`inbox_ready`] for what it stores.
pub async fn notifications_ready(
    app: &TestApp,
    ws: &mut WsClient,
    who: &Session,
    by: &Session,
    id: &str,
    query: &str,
) -> Value {
    inbox_ready(app, ws, who, by, id, query, "notifications").await
}

/// Like [`notifications_ready`] for a `mentions` subscription taking `$after` and selecting `id`.
pub async fn mentions_ready(
    app: &TestApp,
    ws: &mut WsClient,
    who: &Session,
    by: &Session,
    id: &str,
    query: &str,
) -> Value {
    inbox_ready(app, ws, who, by, id, query, "mentions").await
}

/// `by` opens a group room "ready" with `who` alone (an INVITE for `who`) and mentions them there (a
/// MENTION). Operation `id` (subscription `field`) starts after the INVITE, so its first item is the
/// MENTION, replayed from storage. Nobody else is in that room, so no other stream hears of it (`by` is
/// never notified of their own room or message); `who` must have notifications on.
async fn inbox_ready(
    app: &TestApp,
    ws: &mut WsClient,
    who: &Session,
    by: &Session,
    id: &str,
    query: &str,
    field: &str,
) -> Value {
    let room = group(app, by, "ready", &[who]).await;
    send(app, by, &room, &format!("ready? @{}", who.nickname)).await;
    let stored = mutate(
        app,
        who,
        "{ notifications(first: 2) { edges { node { id kind room { id } } } } }",
        json!({}),
    )
    .await;
    let node = |i: usize| stored["notifications"]["edges"][i]["node"].clone();
    let (mention, invite) = (node(0), node(1));
    for (node, kind) in [(&mention, "MENTION"), (&invite, "INVITE")] {
        assert_eq!(
            (node["kind"].as_str(), node["room"]["id"].as_str()),
            (Some(kind), Some(room.as_str())),
            "{stored}"
        );
    }
    ws.subscribe(id, query, json!({ "after": invite["id"] }))
        .await;
    let replayed = ws.next_data(id).await[field].clone();
    assert_eq!(
        replayed["id"], mention["id"],
        "the replay starts after `after`: {replayed}"
    );
    replayed
}
