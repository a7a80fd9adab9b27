//! `serverInfo` (what a client may rely on, without introspection or a session) and `Room.lastActivityAt`.

use api::Config;
use chorus_tests::chat::{group, reply, send};
use chorus_tests::files::{gradient_png, upload};
use chorus_tests::{Session, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const SERVER_INFO: &str = "{ serverInfo { version
    uploads { enabled maxBytes types maxPixels maxSide dailyQuotaBytes }
    limits { pageSizeMax pageSizeDefault messageMaxChars attachmentsPerMessageMax clientIdMaxChars
             groupNameMaxChars groupMembersMax roomsListMax nicknameMinChars nicknameMaxChars
             passwordMinChars passwordMaxChars searchUsersMax searchQueryMaxChars } } }";

#[tokio::test]
async fn server_info_reflects_the_configuration_without_introspection_or_a_session() {
    let app = spawn_app_with(|c| {
        c.introspection = false;
        c.max_upload_bytes = 4_000;
        c.max_group_members = 7;
        c.upload_rules.max_pixels = 90_000;
        c.upload_rules.daily_quota_bytes = 1_000_000;
    })
    .await;

    let introspection = app
        .graphql(None, "{ __schema { queryType { name } } }", json!({}))
        .await;
    assert!(
        introspection["data"]["__schema"].is_null(),
        "{introspection}"
    );

    let info = app.ok(None, SERVER_INFO, json!({})).await;
    let info = &info["serverInfo"];
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        info["uploads"],
        json!({
            "enabled": true,
            "maxBytes": 4_000,
            "types": ["image/png", "image/jpeg", "image/gif", "image/webp"],
            "maxPixels": 90_000,
            "maxSide": 16_384,
            "dailyQuotaBytes": 1_000_000,
        })
    );
    assert_eq!(info["limits"]["groupMembersMax"], 7);
    assert_eq!(info["limits"]["pageSizeMax"], 100);
    assert_eq!(info["limits"]["messageMaxChars"], 4_000);
}

#[tokio::test]
async fn the_limits_served_are_the_limits_enforced() {
    let app = spawn_app_with(|c| c.max_upload_bytes = 2_000).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let info = app.ok(None, SERVER_INFO, json!({})).await["serverInfo"].clone();
    let int = |v: &Value| v.as_u64().expect("a number") as usize;

    let max_bytes = int(&info["uploads"]["maxBytes"]);
    let small = gradient_png(2, 2);
    assert!(small.len() <= max_bytes);
    assert_eq!(upload(&app, &alice, small, "a.png").await.status(), 201);
    let big = gradient_png(100, 100);
    assert!(big.len() > max_bytes, "{} bytes", big.len());
    assert_eq!(upload(&app, &alice, big, "a.png").await.status(), 413);

    let room = group(&app, &alice, "team", &[&bob]).await;
    let send_chars = |n: usize| {
        app.graphql(
            Some(&alice.access_token),
            "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }",
            json!({ "input": { "roomId": room, "content": "x".repeat(n) } }),
        )
    };
    let max_chars = int(&info["limits"]["messageMaxChars"]);
    assert!(send_chars(max_chars).await["errors"].is_null());
    assert_eq!(
        error_code(&send_chars(max_chars + 1).await),
        Some("BAD_USER_INPUT")
    );

    let page = |n: usize| {
        app.graphql(
            Some(&alice.access_token),
            "query($room: ID!, $n: Int) { messages(roomId: $room, last: $n) { edges { cursor } } }",
            json!({ "room": room, "n": n }),
        )
    };
    let max_page = int(&info["limits"]["pageSizeMax"]);
    assert!(page(max_page).await["errors"].is_null());
    assert_eq!(
        error_code(&page(max_page + 1).await),
        Some("BAD_USER_INPUT")
    );
}

#[tokio::test]
async fn default_upload_limit_is_the_configured_default() {
    let app = spawn_app().await;
    let info = app.ok(None, SERVER_INFO, json!({})).await;
    assert_eq!(
        info["serverInfo"]["uploads"]["maxBytes"].as_u64(),
        Some(Config::default().max_upload_bytes as u64)
    );
}

#[tokio::test]
async fn rooms_are_listed_by_their_last_activity_which_is_the_newest_message() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let first = group(&app, &alice, "first", &[&bob]).await;
    let second = group(&app, &alice, "second", &[&bob]).await;
    let rooms = |who: &Session| {
        let token = who.access_token.clone();
        let app = &app;
        async move {
            app.ok(
                Some(&token),
                "{ rooms { id lastActivityAt createdAt } }",
                json!({}),
            )
            .await["rooms"]
                .as_array()
                .unwrap()
                .clone()
        }
    };

    let listed = rooms(&alice).await;
    assert_eq!(listed[0]["id"], second.as_str());
    for r in &listed {
        assert_eq!(r["lastActivityAt"], r["createdAt"]);
    }

    // A thread reply is activity too: the room moves to the front at the reply's time.
    let root = send(&app, &bob, &first, "hello").await;
    let reply = reply(&app, &alice, root["id"].as_str().unwrap(), "hi").await;
    let listed = rooms(&bob).await;
    assert_eq!(listed[0]["id"], first.as_str());
    assert_eq!(listed[0]["lastActivityAt"], reply["createdAt"]);
    assert!(listed[0]["lastActivityAt"].as_str() > listed[1]["lastActivityAt"].as_str());
}
