//! Presence: online while a socket is open, AWAY on request, OFFLINE with `lastSeenAt` when the last socket
//! closes; visible only to people who share a room.

use std::time::Duration;

use chorus_tests::chat::group;
use chorus_tests::{Session, TestApp, WsClient, error_code, spawn_app};
use serde_json::{Value, json};

const PRESENCE: &str = "subscription($ids: [ID!]!) { presence(userIds: $ids) { user { id nickname } status lastSeenAt } }";

async fn presence_event(ws: &mut WsClient) -> Value {
    ws.next_data("p").await["presence"].clone()
}

async fn status_of(app: &TestApp, viewer: &Session, who: &Session) -> Value {
    let q = "query($id: ID!) { user(id: $id) { presence { status lastSeenAt } } }";
    app.ok(Some(&viewer.access_token), q, json!({ "id": who.user_id }))
        .await["user"]["presence"]
        .clone()
}

#[tokio::test]
async fn presence_follows_sockets_and_manual_away() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    group(&app, &alice, "team", &[&bob]).await;

    let mut watcher = app.socket(&alice).await;
    watcher
        .subscribe("p", PRESENCE, json!({ "ids": [bob.user_id] }))
        .await;
    let first = presence_event(&mut watcher).await;
    assert_eq!(
        (first["user"]["nickname"].as_str(), first["status"].as_str()),
        (Some("bob"), Some("OFFLINE"))
    );
    assert_eq!(status_of(&app, &alice, &bob).await["status"], "OFFLINE");

    let bob_ws = app.socket(&bob).await;
    assert_eq!(presence_event(&mut watcher).await["status"], "ONLINE");
    assert_eq!(status_of(&app, &alice, &bob).await["status"], "ONLINE");

    // A second socket changes nothing; closing one of two keeps him online.
    let bob_second = app.socket(&bob).await;
    bob_second.close().await;
    watcher.expect_silence(Duration::from_millis(300)).await;

    let set = "mutation($s: PresenceStatus!) { setPresence(status: $s) }";
    app.ok(Some(&bob.access_token), set, json!({ "s": "AWAY" }))
        .await;
    assert_eq!(presence_event(&mut watcher).await["status"], "AWAY");
    app.ok(Some(&bob.access_token), set, json!({ "s": "ONLINE" }))
        .await;
    assert_eq!(presence_event(&mut watcher).await["status"], "ONLINE");
    let bad = app
        .graphql(Some(&bob.access_token), set, json!({ "s": "OFFLINE" }))
        .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"));

    bob_ws.close().await;
    let offline = presence_event(&mut watcher).await;
    assert_eq!(offline["status"], "OFFLINE");
    assert!(offline["lastSeenAt"].is_string(), "{offline}");
    let stored = status_of(&app, &alice, &bob).await;
    assert_eq!(stored["status"], "OFFLINE");
    assert_eq!(stored["lastSeenAt"], offline["lastSeenAt"]);
}

#[tokio::test]
async fn presence_of_strangers_is_forbidden() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let stranger = app.sign_up("stranger").await;
    let mut ws = app.socket(&alice).await;
    ws.subscribe("p", PRESENCE, json!({ "ids": [stranger.user_id] }))
        .await;
    let msg = ws.next_message().await;
    assert_eq!(
        msg["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{msg}"
    );
    ws.expect_complete("p").await;
    // Oneself is always visible.
    ws.subscribe("me", PRESENCE, json!({ "ids": [alice.user_id] }))
        .await;
    assert_eq!(ws.next_data("me").await["presence"]["status"], "ONLINE");
}
