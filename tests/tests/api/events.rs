//! `events(positions)`: one stream per user over all their rooms.

use std::collections::HashSet;
use std::time::Duration;

use chorus_tests::chat::{self, group, send};
use chorus_tests::{spawn_app, spawn_app_with};
use serde_json::{Value, json};

const EVENTS: &str =
    "subscription($positions: [RoomPositionInput!]) { events(positions: $positions) {
  __typename
  ... on MessageAdded { seq roomId message { content } }
  ... on MemberJoined { seq roomId user { nickname } }
  ... on MemberLeft { seq roomId user { nickname } }
  ... on TypingStarted { roomId user { nickname } }
  ... on RoomAdded { roomId room { name } }
  ... on RoomRemoved { roomId }
  ... on UserUpdated { user { nickname } }
  ... on NotificationAdded { notification { kind } }
  ... on MentionAlert { room { id } by { nickname } } } }";

#[tokio::test]
async fn a_user_in_300_rooms_receives_live_events_from_every_one_on_one_subscription() {
    let app = spawn_app_with(|c| {
        c.rate.rooms_per_hour = 10_000;
        c.rate.message_burst = 10_000;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mut rooms = Vec::new();
    for i in 0..300 {
        rooms.push(group(&app, &alice, &format!("room {i}"), &[&bob]).await);
    }
    let mut ws = app.socket(&bob).await;
    // Replay from one listed room proves the subscription is live before the sends.
    let first = &rooms[0];
    ws.subscribe(
        "e",
        EVENTS,
        json!({ "positions": [{ "roomId": first, "afterSeq": 0 }] }),
    )
    .await;
    loop {
        let ev = ws.next_data("e").await["events"].clone();
        if ev["__typename"] == "MemberJoined" && ev["user"]["nickname"] == "bob" {
            break;
        }
    }
    // Read while sending: a socket left unread for the whole run would miss the server's keep-alive pings.
    let sends = async {
        for room in &rooms {
            send(&app, &alice, room, "hello").await;
        }
    };
    let reads = async {
        let mut seen = HashSet::new();
        while seen.len() < rooms.len() {
            let ev = ws.next_data("e").await["events"].clone();
            if ev["__typename"] == "MessageAdded" {
                assert!(
                    seen.insert(ev["roomId"].as_str().unwrap().to_owned()),
                    "one event per room: {ev}"
                );
            }
        }
        seen
    };
    let ((), seen) = tokio::join!(sends, reads);
    assert_eq!(seen, rooms.iter().cloned().collect::<HashSet<_>>());
}

async fn next_of(ws: &mut chorus_tests::WsClient, kinds: &[&str]) -> Value {
    loop {
        let ev = ws.next_data("e").await["events"].clone();
        if kinds.contains(&ev["__typename"].as_str().unwrap_or_default()) {
            return ev;
        }
    }
}

#[tokio::test]
async fn events_replay_listed_rooms_and_follow_rooms_joined_and_left_and_profile_changes() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let team = group(&app, &alice, "team", &[&bob, &carol]).await;
    let held = send(&app, &alice, &team, "seen before").await["seq"]
        .as_i64()
        .unwrap();
    send(&app, &alice, &team, "missed 1").await;
    send(&app, &alice, &team, "missed 2").await;

    let mut ws = app.socket(&bob).await;
    ws.subscribe(
        "e",
        EVENTS,
        json!({ "positions": [{ "roomId": team, "afterSeq": held }] }),
    )
    .await;
    // Exactly what was missed, in order.
    for (i, content) in ["missed 1", "missed 2"].iter().enumerate() {
        let ev = ws.next_data("e").await["events"].clone();
        assert_eq!(ev["__typename"], "MessageAdded");
        assert_eq!(ev["seq"], held + 1 + i as i64);
        assert_eq!(ev["message"]["content"], *content);
        assert_eq!(ev["roomId"], team.as_str());
    }

    // A room created elsewhere with bob in it appears at once, starting with bob's own MemberJoined.
    let side = group(&app, &carol, "side", &[&bob]).await;
    let added = next_of(&mut ws, &["RoomAdded"]).await;
    assert_eq!(added["roomId"], side.as_str());
    assert_eq!(added["room"]["name"], "side");
    let joined = next_of(&mut ws, &["MemberJoined"]).await;
    assert_eq!(
        (
            joined["roomId"].as_str(),
            joined["user"]["nickname"].as_str()
        ),
        (Some(side.as_str()), Some("bob"))
    );
    send(&app, &carol, &side, "welcome").await;
    let ev = next_of(&mut ws, &["MessageAdded"]).await;
    assert_eq!(ev["message"]["content"], "welcome");

    // A mention arrives as an alert and a notification.
    send(&app, &carol, &side, "hi @bob").await;
    let mut kinds = HashSet::new();
    while kinds.len() < 3 {
        let ev = next_of(
            &mut ws,
            &["MessageAdded", "MentionAlert", "NotificationAdded"],
        )
        .await;
        kinds.insert(ev["__typename"].as_str().unwrap().to_owned());
    }

    // A profile change of someone sharing two rooms with bob comes once.
    app.ok(
        Some(&carol.access_token),
        "mutation { updateProfile(input: { nickname: \"caroline\" }) { nickname } }",
        json!({}),
    )
    .await;
    let updated = next_of(&mut ws, &["UserUpdated"]).await;
    assert_eq!(updated["user"]["nickname"], "caroline");

    // Leaving ends that room with bob's MemberLeft, then RoomRemoved; the other room goes on.
    chat::leave(&app, &bob, &side).await;
    let left = next_of(&mut ws, &["MemberLeft", "UserUpdated"]).await;
    assert_eq!(left["__typename"], "MemberLeft", "no second UserUpdated");
    assert_eq!(left["user"]["nickname"], "bob");
    let removed = next_of(&mut ws, &["RoomRemoved"]).await;
    assert_eq!(removed["roomId"], side.as_str());
    send(&app, &alice, &team, "still here").await;
    let ev = next_of(&mut ws, &["MessageAdded"]).await;
    assert_eq!(
        (ev["roomId"].as_str(), ev["message"]["content"].as_str()),
        (Some(team.as_str()), Some("still here"))
    );
    // Only that message's notification may follow: nothing more of the room bob left.
    while let Some(frame) = ws.next_frame_within(Duration::from_millis(500)).await {
        if let chorus_tests::Frame::Json(v) = frame
            && v["type"] == "next"
        {
            assert_eq!(
                v["payload"]["data"]["events"]["__typename"], "NotificationAdded",
                "{v}"
            );
        }
    }
}

#[tokio::test]
async fn a_listed_room_the_user_has_left_is_removed_at_once() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    chat::leave(&app, &bob, &team).await;
    let mut ws = app.socket(&bob).await;
    ws.subscribe(
        "e",
        EVENTS,
        json!({ "positions": [{ "roomId": team, "afterSeq": 0 }] }),
    )
    .await;
    let ev = ws.next_data("e").await["events"].clone();
    assert_eq!(
        (ev["__typename"].as_str(), ev["roomId"].as_str()),
        (Some("RoomRemoved"), Some(team.as_str()))
    );
    // Nothing of the room leaks afterwards.
    send(&app, &alice, &team, "after bob left").await;
    ws.expect_silence(Duration::from_millis(500)).await;
}

#[tokio::test]
async fn message_alerts_come_live_to_other_members_honouring_mute_and_the_global_switch() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    send(&app, &alice, &team, "before").await;
    let query = "subscription($positions: [RoomPositionInput!]) { events(positions: $positions) {
  __typename
  ... on MessageAdded { message { content } }
  ... on MemberJoined { user { nickname } }
  ... on NotificationAdded { notification { id kind read room { id } message { id content } } } } }";
    let mut bob_ws = app.socket(&bob).await;
    bob_ws
        .subscribe(
            "e",
            query,
            json!({ "positions": [{ "roomId": team, "afterSeq": 0 }] }),
        )
        .await;
    let mut alice_ws = app.socket(&alice).await;
    alice_ws
        .subscribe(
            "e",
            query,
            json!({ "positions": [{ "roomId": team, "afterSeq": 0 }] }),
        )
        .await;
    // Both are live once the replay reached "before"; a replayed message raises no alert.
    for ws in [&mut bob_ws, &mut alice_ws] {
        let ev = next_of(ws, &["MessageAdded", "NotificationAdded"]).await;
        assert_eq!(ev["message"]["content"], "before", "{ev}");
    }
    let alert = |ev: Value| ev["notification"].clone();

    let live = send(&app, &alice, &team, "live").await;
    let n = alert(next_of(&mut bob_ws, &["NotificationAdded"]).await);
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MESSAGE"), Some("live"))
    );
    assert_eq!(
        n["id"], live["id"],
        "the message's id: stable across deliveries"
    );
    assert_eq!(n["message"]["id"], live["id"]);
    assert_eq!(
        (n["read"].as_bool(), n["room"]["id"].as_str()),
        (Some(false), Some(team.as_str()))
    );
    // Alice's first alert is Bob's answer: none for her own message.
    send(&app, &bob, &team, "answer").await;
    let n = alert(next_of(&mut alice_ws, &["NotificationAdded"]).await);
    assert_eq!(n["message"]["content"], "answer");

    // Muted: a plain message raises nothing, a mention still comes (as MENTION, not twice).
    let settings = "mutation($i: NotificationSettingsInput!) { setNotificationSettings(input: $i) { notificationsEnabled } }";
    app.ok(
        Some(&bob.access_token),
        settings,
        json!({ "i": { "roomId": team, "muted": true } }),
    )
    .await;
    send(&app, &alice, &team, "muted plain").await;
    send(&app, &alice, &team, "muted @bob").await;
    let n = alert(next_of(&mut bob_ws, &["NotificationAdded"]).await);
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MENTION"), Some("muted @bob"))
    );

    // Off: nothing; back on and unmuted: plain messages come again, and only them.
    app.ok(
        Some(&bob.access_token),
        settings,
        json!({ "i": { "enabled": false, "roomId": team, "muted": false } }),
    )
    .await;
    send(&app, &alice, &team, "off plain").await;
    send(&app, &alice, &team, "off @bob").await;
    app.ok(
        Some(&bob.access_token),
        settings,
        json!({ "i": { "enabled": true } }),
    )
    .await;
    send(&app, &alice, &team, "back").await;
    let n = alert(next_of(&mut bob_ws, &["NotificationAdded"]).await);
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MESSAGE"), Some("back"))
    );
}
