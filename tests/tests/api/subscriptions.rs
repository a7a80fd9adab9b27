//! Live delivery over WebSocket: every room event kind, exactly-once resume with `afterSeq`, authorisation,
//! the end of a stream on leaving, slow subscribers, notifications with their settings, mention alerts, and
//! their resume with `after` (replay in order, the seam with the live part, refused ids, settings).

use std::time::Duration;

use chorus_core::realtime::room_stream::{self, RoomItem};
use chorus_tests::chat::{self, group, last_seq, mutate, send};
use chorus_tests::live::{mentions_ready, notifications_ready, room_events_ready};
use chorus_tests::{Session, TestApp, WAIT, WsClient, spawn_app, spawn_app_with};
use futures_util::StreamExt;
use serde_json::{Value, json};

const ROOM_EVENTS: &str = "subscription($room: ID!, $after: Int) { roomEvents(roomId: $room, afterSeq: $after) {
  __typename
  ... on MessageAdded { seq roomId at message { id seq content parentId sender { nickname } } }
  ... on MessageEdited { seq message { id content editedAt } }
  ... on MessageDeleted { seq message { id content deletedAt } }
  ... on ReactionChanged { seq emoji added user { nickname } message { id reactions { emoji count } } }
  ... on ReadReceipt { seq lastReadSeq seenAt user { nickname } }
  ... on TypingStarted { seq at user { nickname } }
  ... on MemberJoined { seq user { nickname } }
  ... on MemberLeft { seq user { nickname } }
  ... on MemberRoleChanged { seq role user { nickname } }
} }";

/// A socket of `who` with operation "r" on the room's events, from its current position on.
async fn listen_from_now(app: &TestApp, who: &Session, room: &str) -> WsClient {
    let mut ws = app.socket(who).await;
    let after = last_seq(app, who, room).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room, "after": after }))
        .await;
    ws
}

/// The next room event of operation `id`.
async fn event(ws: &mut WsClient, id: &str) -> Value {
    ws.next_data(id).await["roomEvents"].clone()
}

#[tokio::test]
async fn a_member_receives_every_kind_of_room_event_live_in_seq_order() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let start = last_seq(&app, &bob, &room).await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room, "after": start }))
        .await;

    let m = send(&app, &alice, &room, "hello @bob").await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(ev["__typename"], "MessageAdded");
    assert_eq!(ev["seq"], start + 1);
    assert_eq!(ev["roomId"], room.as_str());
    assert_eq!(ev["message"]["content"], "hello @bob");
    assert_eq!(ev["message"]["sender"]["nickname"], "alice");
    let mid = m["id"].as_str().unwrap();

    mutate(
        &app,
        &alice,
        "mutation($id: ID!) { editMessage(id: $id, content: \"edited\") { id } }",
        json!({ "id": mid }),
    )
    .await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["__typename"].as_str(), ev["seq"].as_i64()),
        (Some("MessageEdited"), Some(start + 2))
    );
    assert_eq!(ev["message"]["content"], "edited");
    assert!(ev["message"]["editedAt"].is_string());

    let react = "mutation($id: ID!, $e: String!) { addReaction(messageId: $id, emoji: $e) { id } }";
    mutate(&app, &bob, react, json!({ "id": mid, "e": "👍" })).await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(ev["__typename"], "ReactionChanged");
    assert_eq!(
        (ev["emoji"].as_str(), ev["added"].as_bool()),
        (Some("👍"), Some(true))
    );
    assert_eq!(ev["user"]["nickname"], "bob");
    assert_eq!(ev["message"]["reactions"][0]["count"], 1);
    let unreact =
        "mutation($id: ID!, $e: String!) { removeReaction(messageId: $id, emoji: $e) { id } }";
    mutate(&app, &bob, unreact, json!({ "id": mid, "e": "👍" })).await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["__typename"].as_str(), ev["added"].as_bool()),
        (Some("ReactionChanged"), Some(false))
    );

    mutate(
        &app,
        &bob,
        "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { id } }",
        json!({ "r": room, "m": mid }),
    )
    .await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(ev["__typename"], "ReadReceipt");
    assert_eq!(ev["user"]["nickname"], "bob");
    assert_eq!(ev["lastReadSeq"], start + 1);

    let reply = chorus_tests::chat::reply(&app, &bob, mid, "in thread").await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(ev["__typename"], "MessageAdded");
    assert_eq!(ev["message"]["parentId"], mid);
    assert_eq!(ev["message"]["id"], reply["id"]);

    mutate(
        &app,
        &alice,
        "mutation($id: ID!) { deleteMessage(id: $id) { id } }",
        json!({ "id": mid }),
    )
    .await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(ev["__typename"], "MessageDeleted");
    assert!(ev["message"]["content"].is_null());
    assert!(ev["message"]["deletedAt"].is_string());

    mutate(
        &app,
        &alice,
        "mutation($r: ID!) { setTyping(roomId: $r) }",
        json!({ "r": room }),
    )
    .await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(ev["__typename"], "TypingStarted");
    assert!(ev["seq"].is_null(), "typing is ephemeral");
    assert_eq!(ev["user"]["nickname"], "alice");

    mutate(
        &app,
        &alice,
        "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
        json!({ "r": room, "u": [carol.user_id] }),
    )
    .await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["__typename"].as_str(), ev["user"]["nickname"].as_str()),
        (Some("MemberJoined"), Some("carol"))
    );

    chat::leave(&app, &carol, &room).await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["__typename"].as_str(), ev["user"]["nickname"].as_str()),
        (Some("MemberLeft"), Some("carol"))
    );

    // Stored events took every seq in between: dense, in order.
    assert_eq!(
        last_seq(&app, &bob, &room).await,
        ev["seq"].as_i64().unwrap()
    );
    assert_eq!(ev["seq"], start + 9);
}

#[tokio::test]
async fn reconnecting_with_after_seq_delivers_exactly_the_missed_events_in_order() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;

    let mut ws = listen_from_now(&app, &bob, &room).await;
    send(&app, &alice, &room, "before").await;
    let held = event(&mut ws, "r").await["seq"].as_i64().unwrap();
    ws.close().await;

    // While Bob is away.
    let mut missed = Vec::new();
    for i in 0..5 {
        missed.push(send(&app, &alice, &room, &format!("missed {i}")).await);
    }
    let edit = "mutation($id: ID!) { editMessage(id: $id, content: \"missed 0 (edited)\") { id } }";
    mutate(&app, &alice, edit, json!({ "id": missed[0]["id"] })).await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room, "after": held }))
        .await;
    for (i, m) in missed.iter().enumerate() {
        let ev = event(&mut ws, "r").await;
        assert_eq!(ev["__typename"], "MessageAdded");
        assert_eq!(ev["seq"], held + 1 + i as i64);
        assert_eq!(ev["message"]["id"], m["id"]);
    }
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["__typename"].as_str(), ev["seq"].as_i64()),
        (Some("MessageEdited"), Some(held + 6))
    );
    // Then live, without repeating anything.
    send(&app, &alice, &room, "live").await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["seq"].as_i64(), ev["message"]["content"].as_str()),
        (Some(held + 7), Some("live"))
    );
    // Events of one operation arrive in order: a repeat would come before the next message.
    send(&app, &alice, &room, "next").await;
    assert_eq!(event(&mut ws, "r").await["seq"], held + 8);
}

/// Without `afterSeq` a stream starts where the room is when it opens, never before. Checked on the
/// service the resolver hands `afterSeq` to: a stream that replays nothing sends nothing when it starts, so
/// over a socket nothing tells when it listens, while here it listens once `open` returns.
#[tokio::test]
async fn without_after_seq_the_stream_is_live_only() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    send(&app, &alice, &room, "old").await;

    let stream = room_stream::open(&app.deps, bob.viewer(), room.parse().unwrap(), None)
        .await
        .expect("a member opens the stream");
    let mut stream = std::pin::pin!(stream);
    let new = send(&app, &alice, &room, "new").await;
    let item = tokio::time::timeout(WAIT, stream.next())
        .await
        .expect("the stream stalled")
        .expect("the stream ended")
        .expect("an event");
    let RoomItem::Stored(event) = item else {
        panic!("expected a stored event, got {item:?}");
    };
    assert_eq!(
        (event.kind.as_str(), event.seq),
        ("MessageAdded", new["seq"].as_i64().unwrap()),
        "history is not replayed: {event:?}"
    );
}

#[tokio::test]
async fn a_non_member_is_refused_and_the_socket_stays_open() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mallory = app.sign_up("mallory").await;
    let room = group(&app, &alice, "team", &[&bob]).await;

    let mut ws = app.socket(&mallory).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room, "after": 0 }))
        .await;
    let msg = ws.next_message().await;
    assert_eq!(msg["type"], "next", "{msg}");
    assert_eq!(
        msg["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{msg}"
    );
    ws.expect_complete("r").await;

    // Same socket, another operation still works.
    ws.subscribe("me", "{ me { user { nickname } } }", json!({}))
        .await;
    assert_eq!(
        ws.next_data("me").await["me"]["user"]["nickname"],
        "mallory"
    );
}

#[tokio::test]
async fn leaving_a_room_ends_its_stream_after_the_own_member_left_event() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = app.socket(&bob).await;
    room_events_ready(&app, &mut ws, &bob, "r", ROOM_EVENTS, &room).await;

    chat::leave(&app, &bob, &room).await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        (ev["__typename"].as_str(), ev["user"]["nickname"].as_str()),
        (Some("MemberLeft"), Some("bob"))
    );
    ws.expect_complete("r").await;
}

#[tokio::test]
async fn a_slow_subscriber_gets_all_5000_events_in_order_once_it_reads() {
    // Keep-alive far away: the subscriber deliberately reads nothing for a while.
    let app = spawn_app_with(|c| {
        c.ws_keepalive = Duration::from_secs(300);
        c.rate.messages_per_minute = 1_000_000;
        c.rate.message_burst = 10_000;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let start = last_seq(&app, &bob, &room).await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room, "after": start }))
        .await;

    const N: i64 = 5000;
    let senders = 8;
    let mut tasks = Vec::new();
    let app = std::sync::Arc::new(app);
    for s in 0..senders {
        let (app, alice, room) = (app.clone(), alice.clone(), room.clone());
        tasks.push(tokio::spawn(async move {
            for i in (s..N).step_by(senders as usize) {
                send(&app, &alice, &room, &format!("m{i}")).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }

    let mut expected = start + 1;
    while expected <= start + N {
        let ev = event(&mut ws, "r").await;
        assert_eq!(ev["__typename"], "MessageAdded");
        assert_eq!(ev["seq"], expected, "in order, no gaps, no duplicates");
        expected += 1;
    }
    // Nothing repeated after the last one either: the next event is the next message.
    send(&app, &alice, &room, "after").await;
    assert_eq!(event(&mut ws, "r").await["seq"], start + N + 1);
}

const NOTIFICATIONS: &str = "subscription($after: ID) { notifications(after: $after) {
  id kind read room { id } message { content } } }";

/// The next notification of operation "n".
async fn next_alert(ws: &mut WsClient) -> Value {
    ws.next_data("n").await["notifications"].clone()
}

#[tokio::test]
async fn notifications_are_pushed_honouring_mute_and_the_global_switch() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = app.socket(&bob).await;
    notifications_ready(&app, &mut ws, &bob, &alice, "n", NOTIFICATIONS).await;

    let plain = send(&app, &alice, &room, "plain").await;
    let n = next_alert(&mut ws).await;
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MESSAGE"), Some("plain"))
    );
    assert_eq!(n["read"], false);
    assert_eq!(n["id"], plain["id"], "a MESSAGE alert has its message's id");

    // Muted room: only mentions pass.
    let settings = "mutation($i: NotificationSettingsInput!) { setNotificationSettings(input: $i) { notificationsEnabled } }";
    mutate(
        &app,
        &bob,
        settings,
        json!({ "i": { "roomId": room, "muted": true } }),
    )
    .await;
    send(&app, &alice, &room, "muted plain").await;
    send(&app, &alice, &room, "hey @bob").await;
    let n = next_alert(&mut ws).await;
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MENTION"), Some("hey @bob"))
    );

    // Off globally: nothing at all (the next push below is the next message), but still stored.
    mutate(&app, &bob, settings, json!({ "i": { "enabled": false } })).await;
    send(&app, &alice, &room, "off plain").await;
    send(&app, &alice, &room, "off @bob").await;
    let stored = mutate(
        &app,
        &bob,
        "{ notifications(first: 1) { edges { node { kind message { content } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        stored["notifications"]["edges"][0]["node"]["message"]["content"],
        "off @bob"
    );

    // Back on and unmuted: plain messages flow again.
    mutate(
        &app,
        &bob,
        settings,
        json!({ "i": { "enabled": true, "roomId": room, "muted": false } }),
    )
    .await;
    send(&app, &alice, &room, "back").await;
    let n = next_alert(&mut ws).await;
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MESSAGE"), Some("back")),
        "nothing of what was sent while off"
    );
}

#[tokio::test]
async fn message_alerts_reach_every_other_member_live_and_never_the_sender() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "team", &[&bob, &carol]).await;
    // Each made ready in a room of its own with someone else, so no stream hears of another's readiness.
    let mut bob_ws = app.socket(&bob).await;
    notifications_ready(&app, &mut bob_ws, &bob, &alice, "n", NOTIFICATIONS).await;
    let mut carol_ws = app.socket(&carol).await;
    notifications_ready(&app, &mut carol_ws, &carol, &alice, "n", NOTIFICATIONS).await;
    let mut alice_ws = app.socket(&alice).await;
    notifications_ready(&app, &mut alice_ws, &alice, &bob, "n", NOTIFICATIONS).await;

    let first = send(&app, &alice, &room, "from alice").await;
    for ws in [&mut bob_ws, &mut carol_ws] {
        let n = next_alert(ws).await;
        assert_eq!(
            (n["kind"].as_str(), n["message"]["content"].as_str()),
            (Some("MESSAGE"), Some("from alice"))
        );
        assert_eq!(n["id"], first["id"]);
        assert_eq!(n["room"]["id"], room.as_str());
    }
    // Alice's next alert is Bob's message: her own never came.
    send(&app, &bob, &room, "from bob").await;
    let n = next_alert(&mut alice_ws).await;
    assert_eq!(n["message"]["content"], "from bob");
    assert_eq!(
        next_alert(&mut carol_ws).await["message"]["content"],
        "from bob"
    );
    send(&app, &carol, &room, "from carol").await;
    assert_eq!(
        next_alert(&mut bob_ws).await["message"]["content"],
        "from carol",
        "not his own"
    );
    assert_eq!(
        next_alert(&mut alice_ws).await["message"]["content"],
        "from carol"
    );
    // Live only: none of them is in the stored list (the invitations and the readiness mention are).
    let stored = mutate(
        &app,
        &bob,
        "{ notifications { edges { node { kind } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        stored["notifications"]["edges"],
        json!([
            { "node": { "kind": "MENTION" } },
            { "node": { "kind": "INVITE" } },
            { "node": { "kind": "INVITE" } },
        ])
    );
}

const MENTIONS: &str = "subscription($after: ID) { mentions(after: $after) {
  id by { nickname } room { id } message { content } } }";

/// The next mention alert of operation "m".
async fn next_mention(ws: &mut WsClient) -> Value {
    ws.next_data("m").await["mentions"].clone()
}

#[tokio::test]
async fn a_mention_raises_an_alert_for_the_mentioned_member_only() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "team", &[&bob, &carol]).await;
    let mut bob_ws = app.socket(&bob).await;
    mentions_ready(&app, &mut bob_ws, &bob, &alice, "m", MENTIONS).await;
    let mut carol_ws = app.socket(&carol).await;
    mentions_ready(&app, &mut carol_ws, &carol, &alice, "m", MENTIONS).await;

    let ping = send(&app, &alice, &room, "ping @bob").await;
    let alert = next_mention(&mut bob_ws).await;
    assert_eq!(alert["by"]["nickname"], "alice");
    assert_eq!(alert["room"]["id"], room.as_str());
    assert_eq!(alert["message"]["content"], "ping @bob");
    assert_ne!(
        alert["id"], ping["id"],
        "the notification's id, not the message's"
    );

    // An edit that adds a mention alerts too; Carol's next alert is hers (Bob's mention never reached her).
    let m = send(&app, &alice, &room, "no mention yet").await;
    mutate(
        &app,
        &alice,
        "mutation($id: ID!) { editMessage(id: $id, content: \"now @carol\") { id } }",
        json!({ "id": m["id"] }),
    )
    .await;
    assert_eq!(
        next_mention(&mut carol_ws).await["message"]["content"],
        "now @carol"
    );
    // Bob heard none of Carol's mentions: his next alert is his next mention.
    send(&app, &alice, &room, "last @bob").await;
    assert_eq!(
        next_mention(&mut bob_ws).await["message"]["content"],
        "last @bob"
    );
}

#[tokio::test]
async fn set_typing_is_throttled_and_members_only() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mallory = app.sign_up("mallory").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let q = "mutation($r: ID!) { setTyping(roomId: $r) }";
    assert_eq!(
        mutate(&app, &alice, q, json!({ "r": room })).await["setTyping"],
        true
    );
    assert_eq!(
        mutate(&app, &alice, q, json!({ "r": room })).await["setTyping"],
        false
    );
    // Bob's message does not open Alice's window; Alice's own message does (it clears her indicator, so
    // typing after it is news at once).
    send(&app, &bob, &room, "bob's").await;
    assert_eq!(
        mutate(&app, &alice, q, json!({ "r": room })).await["setTyping"],
        false
    );
    send(&app, &alice, &room, "sent").await;
    assert_eq!(
        mutate(&app, &alice, q, json!({ "r": room })).await["setTyping"],
        true
    );
    assert_eq!(
        mutate(&app, &alice, q, json!({ "r": room })).await["setTyping"],
        false
    );
    let refused = app
        .graphql(Some(&mallory.access_token), q, json!({ "r": room }))
        .await;
    assert_eq!(chorus_tests::error_code(&refused), Some("NOT_FOUND"));
}

/// Bob's stored notifications, newest first: (id, kind, message content).
async fn stored(app: &TestApp, bob: &Session) -> Vec<(String, String, Value)> {
    let data = mutate(
        app,
        bob,
        "{ notifications(first: 100) { edges { node { id kind message { content } } } } }",
        json!({}),
    )
    .await;
    data["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["id"].as_str().unwrap().to_owned(),
                n["kind"].as_str().unwrap().to_owned(),
                n["message"]["content"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn notifications_after_replays_the_stored_ones_after_it_in_order_then_goes_live() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    // A MESSAGE alert's id (its message's) is a place to resume from too.
    let hi = send(&app, &alice, &team, "hi").await;
    send(&app, &alice, &team, "one @bob").await;
    let other = group(&app, &alice, "other", &[&bob]).await;
    send(&app, &alice, &team, "plain, never stored").await;
    let [invite, one, _] = <[_; 3]>::try_from(stored(&app, &bob).await).unwrap();
    assert_eq!((one.1.as_str(), invite.1.as_str()), ("MENTION", "INVITE"));
    mutate(
        &app,
        &bob,
        "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }",
        json!({ "ids": [one.0] }),
    )
    .await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("n", NOTIFICATIONS, json!({ "after": hi["id"] }))
        .await;
    let n = next_alert(&mut ws).await;
    assert_eq!(
        (n["id"].as_str(), n["kind"].as_str()),
        (Some(one.0.as_str()), Some("MENTION"))
    );
    assert_eq!(n["message"]["content"], "one @bob");
    assert_eq!(n["read"], true, "as stored now");
    let n = next_alert(&mut ws).await;
    assert_eq!(
        (n["id"].as_str(), n["kind"].as_str()),
        (Some(invite.0.as_str()), Some("INVITE"))
    );
    assert_eq!(n["room"]["id"], other.as_str());
    assert!(n["message"].is_null());
    // Then live: the next one is the next notification (no MESSAGE alert of before, nothing twice).
    send(&app, &alice, &team, "live @bob").await;
    let n = next_alert(&mut ws).await;
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MENTION"), Some("live @bob"))
    );
    send(&app, &alice, &team, "live plain").await;
    assert_eq!(
        next_alert(&mut ws).await["message"]["content"],
        "live plain"
    );

    // Resuming after a stored one replays what is stored after it, the last live one included.
    let mut again = app.socket(&bob).await;
    again
        .subscribe("n", NOTIFICATIONS, json!({ "after": one.0 }))
        .await;
    assert_eq!(next_alert(&mut again).await["id"], invite.0.as_str());
    assert_eq!(
        next_alert(&mut again).await["message"]["content"],
        "live @bob"
    );
}

#[tokio::test]
async fn mentions_after_resumes_a_reconnect_with_exactly_the_missed_mentions() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    let [(invite, ..)] = <[_; 1]>::try_from(stored(&app, &bob).await).unwrap();

    // After an invitation: its first item is the next mention, whether it is replayed or live.
    let mut ws = app.socket(&bob).await;
    ws.subscribe("m", MENTIONS, json!({ "after": invite }))
        .await;
    send(&app, &alice, &team, "a @bob").await;
    let held = next_mention(&mut ws).await;
    assert_eq!(held["message"]["content"], "a @bob");
    ws.close().await;

    // While Bob is away: mentions, a plain message and an invitation.
    send(&app, &alice, &team, "b @bob").await;
    send(&app, &alice, &team, "plain").await;
    group(&app, &alice, "other", &[&bob]).await;
    send(&app, &alice, &team, "c @bob").await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("m", MENTIONS, json!({ "after": held["id"] }))
        .await;
    for missed in ["b @bob", "c @bob"] {
        let alert = next_mention(&mut ws).await;
        assert_eq!(alert["message"]["content"], missed);
        assert_eq!(alert["by"]["nickname"], "alice");
    }
    send(&app, &alice, &team, "d @bob").await;
    assert_eq!(
        next_mention(&mut ws).await["message"]["content"],
        "d @bob",
        "then live, nothing twice"
    );
}

/// Mentions sent while both streams start: each is delivered once, in order, whether it falls in the replay,
/// in the live part or on the seam between them.
#[tokio::test]
async fn a_replay_and_the_live_stream_meet_without_a_gap_or_a_double() {
    let app = spawn_app_with(|c| {
        c.rate.messages_per_minute = 1_000_000;
        c.rate.message_burst = 10_000;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    let [(invite, ..)] = <[_; 1]>::try_from(stored(&app, &bob).await).unwrap();

    const N: usize = 40;
    let app = std::sync::Arc::new(app);
    let sender = {
        let (app, alice, team) = (app.clone(), alice.clone(), team.clone());
        tokio::spawn(async move {
            for k in 0..N {
                send(&app, &alice, &team, &format!("k{k} @bob")).await;
            }
        })
    };
    let mut ws = app.socket(&bob).await;
    ws.subscribe("n", NOTIFICATIONS, json!({ "after": invite }))
        .await;
    ws.subscribe("m", MENTIONS, json!({ "after": invite }))
        .await;
    sender.await.unwrap();

    let expected: Vec<String> = (0..N).map(|k| format!("k{k} @bob")).collect();
    let (mut n, mut m) = (Vec::new(), Vec::new());
    while n.len() < N || m.len() < N {
        let msg = ws.next_message().await;
        assert_eq!(msg["type"], "next", "{msg}");
        assert!(msg["payload"]["errors"].is_null(), "{msg}");
        let data = &msg["payload"]["data"];
        match msg["id"].as_str() {
            Some("n") => n.push(data["notifications"]["message"]["content"].clone()),
            Some("m") => m.push(data["mentions"]["message"]["content"].clone()),
            _ => panic!("unexpected operation: {msg}"),
        }
    }
    assert_eq!(n, expected);
    assert_eq!(m, expected);
    // Nothing doubled later either: the next item of each is the next mention.
    send(&app, &alice, &team, "after @bob").await;
    let mut next = [ws.next_message().await, ws.next_message().await];
    next.sort_by_key(|msg| msg["id"].to_string());
    assert_eq!(
        next[0]["payload"]["data"]["mentions"]["message"]["content"],
        "after @bob"
    );
    assert_eq!(
        next[1]["payload"]["data"]["notifications"]["message"]["content"],
        "after @bob"
    );
}

#[tokio::test]
async fn after_must_be_a_notification_of_ones_own() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    group(&app, &alice, "team", &[&bob]).await;
    // Carol's invitation, and a message of a room Bob is not in.
    let secret = group(&app, &alice, "secret", &[&carol]).await;
    let [(carols, ..)] = <[_; 1]>::try_from(stored(&app, &carol).await).unwrap();
    let hidden = send(&app, &alice, &secret, "hidden").await;

    let mut ws = app.socket(&bob).await;
    let mut messages = Vec::new();
    for query in [NOTIFICATIONS, MENTIONS] {
        for after in [
            json!(carols),
            json!(hidden["id"]),
            json!(uuid::Uuid::now_v7().to_string()),
        ] {
            ws.subscribe("x", query, json!({ "after": after })).await;
            let msg = ws.next_message().await;
            assert_eq!(msg["type"], "next", "{msg}");
            let error = &msg["payload"]["errors"][0];
            assert_eq!(
                (
                    error["extensions"]["code"].as_str(),
                    error["extensions"]["field"].as_str()
                ),
                (Some("BAD_USER_INPUT"), Some("after")),
                "{after}: {msg}"
            );
            messages.push(error["message"].clone());
            ws.expect_complete("x").await;
        }
        ws.subscribe("x", query, json!({ "after": "not an id" }))
            .await;
        let msg = ws.next_message().await;
        assert_eq!(
            msg["payload"]["errors"][0]["extensions"]["field"], "after",
            "{msg}"
        );
        ws.expect_complete("x").await;
    }
    assert!(
        messages.iter().all(|m| *m == messages[0]),
        "someone else's id and an unknown one get the same answer: {messages:?}"
    );
}

/// What a replay delivers passes the same filters as a live push: from a muted room only mentions, nothing
/// from a room left since; `mentions` ignores mutes but not leaving. (Notifications off: see the
/// service-level test, since a stream then delivers nothing that could show its replay is over.)
#[tokio::test]
async fn a_replay_honours_mutes_and_rooms_left() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    let [(invite, ..)] = <[_; 1]>::try_from(stored(&app, &bob).await).unwrap();
    let muted = group(&app, &alice, "muted", &[&bob]).await;
    mutate(
        &app,
        &bob,
        "mutation($i: NotificationSettingsInput!) { setNotificationSettings(input: $i) { notificationsEnabled } }",
        json!({ "i": { "roomId": muted, "muted": true } }),
    )
    .await;
    send(&app, &alice, &muted, "muted @bob").await;
    let gone = group(&app, &alice, "gone", &[&bob]).await;
    send(&app, &alice, &gone, "gone @bob").await;
    chat::leave(&app, &bob, &gone).await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("n", NOTIFICATIONS, json!({ "after": invite }))
        .await;
    ws.subscribe("m", MENTIONS, json!({ "after": invite }))
        .await;
    // Stored, so it comes once in either part, after everything replayed.
    send(&app, &alice, &team, "live @bob").await;
    let (mut n, mut m) = (Vec::new(), Vec::new());
    let live = json!("live @bob");
    while n.last() != Some(&live) || m.last() != Some(&live) {
        let msg = ws.next_message().await;
        assert_eq!(msg["type"], "next", "{msg}");
        let data = &msg["payload"]["data"];
        match msg["id"].as_str() {
            Some("n") => n.push(data["notifications"]["message"]["content"].clone()),
            Some("m") => m.push(data["mentions"]["message"]["content"].clone()),
            _ => panic!("unexpected operation: {msg}"),
        }
    }
    assert_eq!(n, [json!("muted @bob"), live.clone()], "notifications");
    assert_eq!(m, [json!("muted @bob"), live], "mentions");
}
