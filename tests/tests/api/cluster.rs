//! Several api processes on one database and one Redis: fan-out, resume and presence across them. These run
//! when `TEST_REDIS_URL` is set (CI sets it); without Redis each process has its own in-process bus.

use std::time::Duration;

use chorus_tests::chat::{group, send};
use chorus_tests::{TestApp, socket_at, spawn_app, spawn_app_with};
use serde_json::json;

const EVENTS: &str =
    "subscription($room: ID!, $after: Int) { roomEvents(roomId: $room, afterSeq: $after) {
  __typename ... on MessageAdded { seq message { content } } } }";
const PRESENCE: &str =
    "subscription($ids: [ID!]!) { presence(userIds: $ids) { status lastSeenAt } }";

fn redis_available(app: &TestApp) -> bool {
    if app.redis.is_none() {
        eprintln!("TEST_REDIS_URL not set: skipping a multi-process test");
        return false;
    }
    true
}

#[tokio::test]
async fn a_subscriber_on_one_process_receives_what_is_sent_through_another() {
    let a = spawn_app().await;
    if !redis_available(&a) {
        return;
    }
    let b = a.spawn_sibling(|_| {}).await;
    let alice = a.sign_up("alice").await;
    let bob = a.sign_up("bob").await;
    let room = group(&a, &alice, "team", &[&bob]).await;
    let start = send(&a, &alice, &room, "start").await["seq"]
        .as_i64()
        .unwrap();

    let mut ws = a.socket(&bob).await;
    ws.subscribe("r", EVENTS, json!({ "room": room, "after": start }))
        .await;
    for i in 0..20 {
        send(&b, &alice, &room, &format!("via b {i}")).await;
    }
    for i in 0..20 {
        let ev = ws.next_data("r").await["roomEvents"].clone();
        assert_eq!(ev["seq"], start + 1 + i);
        assert_eq!(ev["message"]["content"], format!("via b {i}"));
    }

    // Reconnect on the other process and resume: nothing lost, nothing doubled.
    let held = start + 20;
    ws.close().await;
    send(&a, &alice, &room, "while away").await;
    let mut ws = b.socket(&bob).await;
    ws.subscribe("r", EVENTS, json!({ "room": room, "after": held }))
        .await;
    let ev = ws.next_data("r").await["roomEvents"].clone();
    assert_eq!(
        (ev["seq"].as_i64(), ev["message"]["content"].as_str()),
        (Some(held + 1), Some("while away"))
    );
    send(&a, &alice, &room, "live").await;
    let ev = ws.next_data("r").await["roomEvents"].clone();
    assert_eq!(
        (ev["seq"].as_i64(), ev["message"]["content"].as_str()),
        (Some(held + 2), Some("live"))
    );
    // Events of one operation arrive in order: a repeat would come before the next message.
    send(&b, &alice, &room, "next").await;
    let ev = ws.next_data("r").await["roomEvents"].clone();
    assert_eq!(ev["seq"], held + 3);
}

#[tokio::test]
async fn presence_is_seen_across_processes() {
    let a = spawn_app().await;
    if !redis_available(&a) {
        return;
    }
    let b = a.spawn_sibling(|_| {}).await;
    let alice = a.sign_up("alice").await;
    let bob = a.sign_up("bob").await;
    group(&a, &alice, "team", &[&bob]).await;

    let mut watcher = a.socket(&alice).await;
    watcher
        .subscribe("p", PRESENCE, json!({ "ids": [bob.user_id] }))
        .await;
    assert_eq!(
        watcher.next_data("p").await["presence"]["status"],
        "OFFLINE"
    );
    let bob_ws = b.socket(&bob).await;
    assert_eq!(watcher.next_data("p").await["presence"]["status"], "ONLINE");
    bob_ws.close().await;
    assert_eq!(
        watcher.next_data("p").await["presence"]["status"],
        "OFFLINE"
    );
}

#[tokio::test]
async fn users_of_a_crashed_process_go_offline_within_the_presence_ttl() {
    let ttl = Duration::from_secs(3);
    let a = spawn_app_with(move |c| c.presence_ttl = ttl).await;
    if !redis_available(&a) {
        return;
    }
    let mut b = a.spawn_detached_sibling(move |c| c.presence_ttl = ttl);
    let alice = a.sign_up("alice").await;
    let bob = a.sign_up("bob").await;
    group(&a, &alice, "team", &[&bob]).await;

    let mut watcher = a.socket(&alice).await;
    watcher
        .subscribe("p", PRESENCE, json!({ "ids": [bob.user_id] }))
        .await;
    assert_eq!(
        watcher.next_data("p").await["presence"]["status"],
        "OFFLINE"
    );
    let _bob_ws = socket_at(&b.ws_url(), &bob).await;
    assert_eq!(watcher.next_data("p").await["presence"]["status"], "ONLINE");

    // Outlive a few heartbeats first: a live process keeps its users online past the TTL.
    watcher.expect_silence(ttl * 2).await;

    b.kill();
    let started = tokio::time::Instant::now();
    let offline = watcher.next_data("p").await["presence"].clone();
    assert_eq!(offline["status"], "OFFLINE");
    assert!(offline["lastSeenAt"].is_string());
    assert!(started.elapsed() <= ttl * 2, "took {:?}", started.elapsed());
}
