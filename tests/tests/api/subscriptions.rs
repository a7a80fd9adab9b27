//! Live delivery over WebSocket: every room event kind, exactly-once resume with `afterSeq`, authorisation,
//! the end of a stream on leaving, slow subscribers, notifications with their settings, mention alerts.

use std::time::Duration;

use chorus_tests::chat::{self, group, last_seq, mutate, send};
use chorus_tests::live::{room_events_ready, until_live};
use chorus_tests::{Session, TestApp, WsClient, spawn_app, spawn_app_with};
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

#[tokio::test]
async fn without_after_seq_the_stream_is_live_only() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    send(&app, &alice, &room, "old").await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room }))
        .await;
    // Nothing to replay, so only deliveries tell when it listens: each must be a probe, never "old".
    until_live(&app, &mut ws, &["r"], &bob, &room, "probe").await;
    send(&app, &alice, &room, "new").await;
    let ev = event(&mut ws, "r").await;
    assert_eq!(
        ev["message"]["content"], "new",
        "history is not replayed: {ev}"
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

const NOTIFICATIONS: &str =
    "subscription { notifications { id kind read room { id } message { content } } }";

#[tokio::test]
async fn notifications_are_pushed_honouring_mute_and_the_global_switch() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = app.socket(&bob).await;
    ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    until_live(&app, &mut ws, &["n"], &alice, &room, "probe").await;

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

/// The next notification that is not a probe of [`until_live`] (the probes that made another member's socket
/// live reach this one too).
async fn next_alert(ws: &mut WsClient) -> Value {
    loop {
        let n = ws.next_data("n").await["notifications"].clone();
        if !n["message"]["content"]
            .as_str()
            .is_some_and(|c| c.starts_with("probe "))
        {
            return n;
        }
    }
}

#[tokio::test]
async fn message_alerts_reach_every_other_member_live_and_never_the_sender() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "team", &[&bob, &carol]).await;
    // One after the other: a stream never alerts of messages sent before it opened, so each one's probes
    // reach only the sockets already live (and the sender's never).
    let mut bob_ws = app.socket(&bob).await;
    bob_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    until_live(&app, &mut bob_ws, &["n"], &alice, &room, "probe").await;
    let mut carol_ws = app.socket(&carol).await;
    carol_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    until_live(&app, &mut carol_ws, &["n"], &alice, &room, "probe").await;
    let mut alice_ws = app.socket(&alice).await;
    alice_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    until_live(&app, &mut alice_ws, &["n"], &bob, &room, "probe").await;

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
    // Live only: none of them is in the stored list.
    let stored = mutate(
        &app,
        &bob,
        "{ notifications { edges { node { kind } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        stored["notifications"]["edges"],
        json!([{ "node": { "kind": "INVITE" } }])
    );
}

#[tokio::test]
async fn a_mention_raises_an_alert_for_the_mentioned_member_only() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "team", &[&bob, &carol]).await;
    let q = "subscription { mentions { by { nickname } room { id } message { content } } }";
    let mut bob_ws = app.socket(&bob).await;
    bob_ws.subscribe("m", q, json!({})).await;
    let mut carol_ws = app.socket(&carol).await;
    carol_ws.subscribe("m", q, json!({})).await;

    let alerts = until_live(&app, &mut bob_ws, &["m"], &alice, &room, "ping @bob").await;
    let alert = alerts[0]["payload"]["data"]["mentions"].clone();
    assert_eq!(alert["by"]["nickname"], "alice");
    assert_eq!(alert["room"]["id"], room.as_str());
    assert!(
        alert["message"]["content"]
            .as_str()
            .unwrap()
            .starts_with("ping @bob")
    );

    // Carol's alerts are only her mentions (a mention of Bob among them fails here).
    until_live(&app, &mut carol_ws, &["m"], &alice, &room, "ping @carol").await;

    // An edit that adds a mention alerts too.
    let m = send(&app, &alice, &room, "no mention yet").await;
    mutate(
        &app,
        &alice,
        "mutation($id: ID!) { editMessage(id: $id, content: \"now @carol\") { id } }",
        json!({ "id": m["id"] }),
    )
    .await;
    let alert = carol_ws.next_data("m").await["mentions"].clone();
    assert_eq!(alert["message"]["content"], "now @carol");
    // Bob heard none of Carol's mentions: his next alert is his next mention.
    send(&app, &alice, &room, "last @bob").await;
    let alert = bob_ws.next_data("m").await["mentions"].clone();
    assert_eq!(alert["message"]["content"], "last @bob");
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
    let refused = app
        .graphql(Some(&mallory.access_token), q, json!({ "r": room }))
        .await;
    assert_eq!(chorus_tests::error_code(&refused), Some("NOT_FOUND"));
}
