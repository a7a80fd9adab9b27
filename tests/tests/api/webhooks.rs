//! Webhooks. Incoming: created by a room's owner or admin (refused to members and to API tokens), a post to
//! its URL appears as a message of its bot, live on a subscription; wrong secrets and deleted hooks are
//! NOT_FOUND; bad bodies, oversized bodies and the per-hook rate limit get their typed errors.

use chorus_tests::chat::{self, group};
use chorus_tests::{Session, TestApp, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const CREATE_HOOK: &str = "mutation($r: ID!, $n: String!) { createIncomingWebhook(roomId: $r, name: $n) { id name url roomId botId } }";
const LIST_HOOKS: &str = "query($r: ID!) { incomingWebhooks(roomId: $r) { id name url } }";
const DELETE_HOOK: &str = "mutation($id: ID!) { deleteIncomingWebhook(id: $id) }";

/// Creates a hook of `room` as `who`; returns the hook.
async fn create_hook(app: &TestApp, who: &Session, room: &str, name: &str) -> Value {
    chat::mutate(app, who, CREATE_HOOK, json!({ "r": room, "n": name })).await["createIncomingWebhook"]
        .clone()
}

/// Posts `body` to the hook's `path`; returns the status and the JSON answer.
async fn post_hook(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let res = app
        .http
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("hook post");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn rest_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_post_to_an_incoming_webhook_appears_as_a_message_of_its_bot_live() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let hook = create_hook(&app, &alice, &room, "deploys").await;
    let url = hook["url"].as_str().expect("url shown at creation");
    assert!(
        url.starts_with(&format!("/hooks/{}/", hook["id"].as_str().unwrap())),
        "{url}"
    );
    assert_eq!(hook["name"], "deploys");

    let after = chat::last_seq(&app, &bob, &room).await;
    let mut ws = app.socket(&bob).await;
    ws.subscribe(
        "r",
        "subscription($r: ID!, $a: Int) { roomEvents(roomId: $r, afterSeq: $a) { __typename ... on MessageAdded { message { content sender { id nickname isBot } mentions { nickname } } } } }",
        json!({ "r": room, "a": after }),
    )
    .await;
    let (status, answer) = post_hook(
        &app,
        url,
        json!({ "text": "**v1.2** is out, @bob", "username": "CI", "avatarUrl": "https://example.com/a.png" }),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["roomId"], room);

    let live = loop {
        let data = ws.next_data("r").await;
        if data["roomEvents"]["__typename"] == "MessageAdded" {
            break data["roomEvents"]["message"].clone();
        }
    };
    // Markdown is kept for the client to render; mentions work as in any message.
    assert_eq!(live["content"], "**v1.2** is out, @bob");
    assert_eq!(live["sender"]["id"], hook["botId"]);
    assert_eq!(live["sender"]["nickname"], "deploys");
    assert_eq!(live["sender"]["isBot"], true);
    assert_eq!(live["mentions"], json!([{ "nickname": "bob" }]));

    // In history too, and the URL is not shown again.
    let listed = chat::mutate(&app, &alice, LIST_HOOKS, json!({ "r": room })).await;
    assert_eq!(
        listed["incomingWebhooks"],
        json!([{ "id": hook["id"], "name": "deploys", "url": null }])
    );
}

#[tokio::test]
async fn a_wrong_secret_an_unknown_hook_and_a_deleted_hook_are_not_found() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let hook = create_hook(&app, &alice, &room, "alerts").await;
    let id = hook["id"].as_str().unwrap();
    let url = hook["url"].as_str().unwrap().to_owned();
    let body = json!({ "text": "hello" });

    for path in [
        format!("/hooks/{id}/not-the-secret"),
        format!(
            "/hooks/{}/{}",
            uuid::Uuid::now_v7(),
            url.rsplit('/').next().unwrap()
        ),
        "/hooks/not-an-id/x".to_owned(),
    ] {
        let (status, answer) = post_hook(&app, &path, body.clone()).await;
        assert_eq!(
            (status, rest_code(&answer)),
            (404, "NOT_FOUND"),
            "{path}: {answer}"
        );
    }
    let (status, _) = post_hook(&app, &url, body.clone()).await;
    assert_eq!(status, 201);

    chat::mutate(&app, &alice, DELETE_HOOK, json!({ "id": id })).await;
    let (status, answer) = post_hook(&app, &url, body).await;
    assert_eq!((status, rest_code(&answer)), (404, "NOT_FOUND"), "{answer}");
    // Its bot left the room; its message stayed.
    let room_now = chat::room(&app, &alice, &room).await;
    assert!(!room_now.to_string().contains("alerts\""), "{room_now}");
    let again = chat::try_mutate(&app, &alice, DELETE_HOOK, json!({ "id": id })).await;
    assert_eq!(error_code(&again), Some("NOT_FOUND"), "{again}");
}

#[tokio::test]
async fn bad_and_oversized_bodies_get_typed_errors() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let url = create_hook(&app, &alice, &room, "alerts").await["url"]
        .as_str()
        .unwrap()
        .to_owned();
    for body in [json!({ "text": "   " }), json!({ "nope": 1 }), json!([1])] {
        let (status, answer) = post_hook(&app, &url, body.clone()).await;
        assert_eq!(
            (status, rest_code(&answer)),
            (400, "BAD_USER_INPUT"),
            "{body}: {answer}"
        );
    }
    let (status, answer) = post_hook(&app, &url, json!({ "text": "x".repeat(70_000) })).await;
    assert_eq!(
        (status, rest_code(&answer)),
        (413, "PAYLOAD_TOO_LARGE"),
        "{answer}"
    );
}

#[tokio::test]
async fn each_incoming_webhook_has_its_own_rate_limit() {
    let app = spawn_app_with(|c| c.rate.webhook_posts_per_minute = 2).await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let first = create_hook(&app, &alice, &room, "first").await;
    let second = create_hook(&app, &alice, &room, "second").await;
    let first = first["url"].as_str().unwrap();
    for _ in 0..2 {
        let (status, _) = post_hook(&app, first, json!({ "text": "hi" })).await;
        assert_eq!(status, 201);
    }
    let (status, answer) = post_hook(&app, first, json!({ "text": "hi" })).await;
    assert_eq!(
        (status, rest_code(&answer)),
        (429, "RATE_LIMITED"),
        "{answer}"
    );
    let (status, _) = post_hook(
        &app,
        second["url"].as_str().unwrap(),
        json!({ "text": "hi" }),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn only_the_rooms_owner_and_admins_manage_its_incoming_webhooks_and_never_with_a_token() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let hook = create_hook(&app, &alice, &room, "alerts").await;

    // A member: FORBIDDEN; someone outside the room: NOT_FOUND, as for any room.
    for (who, code) in [(&bob, "FORBIDDEN"), (&carol, "NOT_FOUND")] {
        let created =
            chat::try_mutate(&app, who, CREATE_HOOK, json!({ "r": room, "n": "mine" })).await;
        assert_eq!(error_code(&created), Some(code), "{created}");
        let listed = chat::try_mutate(&app, who, LIST_HOOKS, json!({ "r": room })).await;
        assert_eq!(error_code(&listed), Some(code), "{listed}");
    }
    let deleted = chat::try_mutate(&app, &carol, DELETE_HOOK, json!({ "id": hook["id"] })).await;
    assert_eq!(error_code(&deleted), Some("NOT_FOUND"), "{deleted}");
    let deleted = chat::try_mutate(&app, &bob, DELETE_HOOK, json!({ "id": hook["id"] })).await;
    assert_eq!(error_code(&deleted), Some("FORBIDDEN"), "{deleted}");

    // The name follows the nickname rules and shares their namespace.
    let taken = chat::try_mutate(&app, &alice, CREATE_HOOK, json!({ "r": room, "n": "bob" })).await;
    assert_eq!(error_code(&taken), Some("CONFLICT"), "{taken}");

    // API tokens, whatever their scopes, do not manage webhooks.
    let token = chat::mutate(
        &app,
        &alice,
        "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
        json!({ "i": { "name": "t", "scopes": ["messages:read", "messages:write", "rooms:read", "rooms:write"] } }),
    )
    .await["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for (query, variables) in [
        (CREATE_HOOK, json!({ "r": room, "n": "sneaky" })),
        (LIST_HOOKS, json!({ "r": room })),
        (DELETE_HOOK, json!({ "id": hook["id"] })),
    ] {
        let body = app.graphql(Some(&token), query, variables).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
    }
    let listed = chat::mutate(&app, &alice, LIST_HOOKS, json!({ "r": room })).await;
    assert_eq!(listed["incomingWebhooks"].as_array().unwrap().len(), 1);
}
