//! Webhooks. Incoming: created by a room's owner or admin (refused to members and to API tokens), a post to
//! its URL appears as a message of its bot, live on a subscription; wrong secrets and deleted hooks are
//! NOT_FOUND; bad bodies, oversized bodies and the per-hook rate limit get their typed errors. Outgoing:
//! a receiver on loopback (allow-listed) gets each wanted event once per seq, signed; a receiver failing
//! with 500 gets the event again once it recovers, and the attempts are visible to the admin; a hook failing
//! for a day is disabled; loopback is refused without the allow-list; API tokens do not manage hooks.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chorus_adapters::previews::AllowList;
use chorus_tests::chat::{self, group};
use chorus_tests::{Session, TestApp, WAIT, error_code, spawn_app, spawn_app_with};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::Sha256;

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
    // The hook's bot is a MEMBER: no broadcast mentions.
    let (status, answer) = post_hook(&app, &url, json!({ "text": "@everyone look" })).await;
    assert_eq!((status, rest_code(&answer)), (403, "FORBIDDEN"), "{answer}");
    assert_eq!(answer["error"]["field"], "text", "{answer}");
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
    let (token, _) = chat::api_token(
        &app,
        &alice,
        json!({ "scopes": ["messages:read", "messages:write", "rooms:read", "rooms:write"] }),
    )
    .await;
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

const CREATE_OUT: &str = "mutation($i: CreateOutgoingWebhookInput!) { createOutgoingWebhook(input: $i) { id secret url events enabled } }";
const LIST_OUT: &str = "query($r: ID!) { outgoingWebhooks(roomId: $r) { id secret enabled cursorSeq deliveries { seq kind attempts statusCode error deliveredAt nextAttemptAt } } }";

/// What the test receiver got: (signature header, body), and how many requests it still fails with 500.
#[derive(Default)]
struct Received {
    deliveries: Vec<(String, String)>,
    fail_next: usize,
}

type Receiver = Arc<Mutex<Received>>;

async fn receive(State(received): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut received = received.lock().unwrap();
    let signature = headers
        .get("chorus-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    received
        .deliveries
        .push((signature, String::from_utf8_lossy(&body).into_owned()));
    if received.fail_next > 0 {
        received.fail_next -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

/// A receiver on 127.0.0.1; returns its URL and what it received.
async fn receiver(fail_first: usize) -> (String, Receiver) {
    let received: Receiver = Arc::new(Mutex::new(Received {
        fail_next: fail_first,
        ..Received::default()
    }));
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), received)
}

async fn allowing_loopback() -> TestApp {
    spawn_app_with(|c| c.previews.allow_hosts = AllowList::parse("127.0.0.1").unwrap()).await
}

/// Waits until the receiver holds `n` requests; returns them.
async fn wait_for(received: &Receiver, n: usize) -> Vec<(String, String)> {
    tokio::time::timeout(WAIT * 3, async {
        loop {
            let got = received.lock().unwrap().deliveries.clone();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "{n} deliveries expected, got {:?}",
            received.lock().unwrap().deliveries
        )
    })
}

/// Checks `Chorus-Signature: t=…,v1=…` against the secret; returns the parsed body.
fn verified(secret: &str, (signature, body): &(String, String)) -> Value {
    let (t, v1) = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .unwrap_or_else(|| panic!("signature header: {signature:?}"));
    let t: i64 = t.parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - t).abs() < 60, "{t}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap())
        .expect("the signature verifies");
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn an_outgoing_webhook_receives_each_wanted_event_once_per_seq_signed() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    chat::send(&app, &alice, &room, "before the hook").await;
    let (url, received) = receiver(0).await;
    let hook = chat::mutate(
        &app,
        &alice,
        CREATE_OUT,
        json!({ "i": { "roomId": room, "url": url, "events": ["MESSAGE_ADDED", "MESSAGE_EDITED", "MEMBER_LEFT"] } }),
    )
    .await["createOutgoingWebhook"]
        .clone();
    let secret = hook["secret"]
        .as_str()
        .expect("secret shown at creation")
        .to_owned();
    assert_eq!(hook["enabled"], true);

    let first = chat::send(&app, &bob, &room, "hello hook").await;
    // A delivery carries the message as it is when sent: edit only once the first is in.
    wait_for(&received, 1).await;
    chat::mutate(
        &app,
        &bob,
        "mutation($id: ID!) { editMessage(id: $id, content: \"hello again\") { id } }",
        json!({ "id": first["id"] }),
    )
    .await;
    // Not asked for: a reaction.
    chat::mutate(
        &app,
        &bob,
        "mutation($id: ID!) { addReaction(messageId: $id, emoji: \"👍\") { id } }",
        json!({ "id": first["id"] }),
    )
    .await;
    chat::leave(&app, &bob, &room).await;

    let got = wait_for(&received, 3).await;
    let bodies: Vec<Value> = got.iter().map(|d| verified(&secret, d)).collect();
    let kinds: Vec<&str> = bodies.iter().map(|b| b["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["MESSAGE_ADDED", "MESSAGE_EDITED", "MEMBER_LEFT"],
        "{bodies:?}"
    );
    assert!(bodies.iter().all(|b| b["roomId"] == room));
    let seqs: Vec<i64> = bodies.iter().map(|b| b["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(bodies[0]["seq"], first["seq"]);
    assert_eq!(bodies[0]["message"]["content"], "hello hook");
    assert_eq!(bodies[0]["message"]["senderId"], bob.user_id);
    assert_eq!(bodies[1]["message"]["content"], "hello again");
    assert_eq!(bodies[2]["userId"], bob.user_id);

    // Nothing more, and nothing twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(received.lock().unwrap().deliveries.len(), 3);
    let listed = chat::mutate(&app, &alice, LIST_OUT, json!({ "r": room })).await;
    let listed = &listed["outgoingWebhooks"][0];
    assert_eq!(listed["secret"], Value::Null);
    let deliveries = listed["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 3, "{listed}");
    assert!(
        deliveries
            .iter()
            .all(|d| d["statusCode"] == 204 && d["attempts"] == 1 && d["error"].is_null())
    );
}

#[tokio::test]
async fn a_failed_delivery_is_retried_until_the_receiver_recovers() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let (url, received) = receiver(1).await;
    let hook = chat::mutate(
        &app,
        &alice,
        CREATE_OUT,
        json!({ "i": { "roomId": room, "url": url, "events": ["MESSAGE_ADDED"] } }),
    )
    .await["createOutgoingWebhook"]
        .clone();
    let secret = hook["secret"].as_str().unwrap().to_owned();
    let sent = chat::send(&app, &alice, &room, "one").await;

    // The first attempt fails; the delivery is recorded with its status and retried.
    wait_for(&received, 1).await;
    let failing = tokio::time::timeout(WAIT, async {
        loop {
            let listed = chat::mutate(&app, &alice, LIST_OUT, json!({ "r": room })).await;
            let delivery = listed["outgoingWebhooks"][0]["deliveries"][0].clone();
            if delivery["statusCode"] == 500 {
                return delivery;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the failure is recorded");
    assert_eq!(failing["attempts"], 1);
    assert_eq!(failing["error"], "HTTP 500");
    assert!(failing["nextAttemptAt"].is_string(), "{failing}");

    let got = wait_for(&received, 2).await;
    let (first, second) = (verified(&secret, &got[0]), verified(&secret, &got[1]));
    assert_eq!(first["seq"], sent["seq"]);
    assert_eq!(second["seq"], sent["seq"], "the same event, again");
    // A later event follows, delivered once.
    chat::send(&app, &alice, &room, "two").await;
    let got = wait_for(&received, 3).await;
    assert_eq!(verified(&secret, &got[2])["message"]["content"], "two");
    let listed = chat::mutate(&app, &alice, LIST_OUT, json!({ "r": room })).await;
    let deliveries = &listed["outgoingWebhooks"][0]["deliveries"];
    assert_eq!(deliveries[1]["attempts"], 2, "{deliveries}");
    assert_eq!(deliveries[1]["statusCode"], 204);
    assert!(deliveries[1]["deliveredAt"].is_string());
    assert_eq!(deliveries[0]["attempts"], 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(received.lock().unwrap().deliveries.len(), 3);
}

#[tokio::test]
async fn a_hook_failing_for_a_day_is_disabled_and_gets_nothing_more() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let (url, received) = receiver(usize::MAX).await;
    let hook = chat::mutate(
        &app,
        &alice,
        CREATE_OUT,
        json!({ "i": { "roomId": room, "url": url, "events": ["MESSAGE_ADDED"] } }),
    )
    .await["createOutgoingWebhook"]
        .clone();
    // A day of failures, without waiting a day: the hook has been failing since 25 hours ago.
    let hook_id: uuid::Uuid = hook["id"].as_str().unwrap().parse().unwrap();
    entity::outgoing_webhooks::Entity::update_many()
        .col_expr(
            entity::outgoing_webhooks::Column::FailingSince,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(25)),
        )
        .filter(entity::outgoing_webhooks::Column::Id.eq(hook_id))
        .exec(&app.db)
        .await
        .unwrap();

    chat::send(&app, &alice, &room, "one").await;
    wait_for(&received, 1).await;
    let disabled = tokio::time::timeout(WAIT, async {
        loop {
            let listed = chat::mutate(&app, &alice, LIST_OUT, json!({ "r": room })).await;
            let hook = listed["outgoingWebhooks"][0].clone();
            if hook["enabled"] == false {
                return hook;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the hook is disabled");
    let delivery = &disabled["deliveries"][0];
    assert_eq!(delivery["statusCode"], 500, "{disabled}");
    assert!(delivery["nextAttemptAt"].is_null(), "no retry: {disabled}");

    // Nothing more is attempted: neither the failed event nor later ones.
    chat::send(&app, &alice, &room, "two").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(received.lock().unwrap().deliveries.len(), 1);
}

#[tokio::test]
async fn a_loopback_url_is_refused_without_the_allow_list() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://[::1]/x",
        "http://10.0.0.1/x",
        "ftp://example.com/x",
        "nope",
    ] {
        let refused = chat::try_mutate(
            &app,
            &alice,
            CREATE_OUT,
            json!({ "i": { "roomId": room, "url": url, "events": ["MESSAGE_ADDED"] } }),
        )
        .await;
        assert_eq!(
            error_code(&refused),
            Some("BAD_USER_INPUT"),
            "{url}: {refused}"
        );
        assert_eq!(
            chorus_tests::error_field(&refused),
            Some("url"),
            "{refused}"
        );
    }
    let unknown = chat::try_mutate(
        &app,
        &alice,
        CREATE_OUT,
        json!({ "i": { "roomId": room, "url": "https://example.com/x", "events": ["EVERYTHING"] } }),
    )
    .await;
    assert_eq!(
        chorus_tests::error_field(&unknown),
        Some("events"),
        "{unknown}"
    );
}

#[tokio::test]
async fn outgoing_webhooks_are_managed_by_the_rooms_admins_and_never_with_a_token() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let input = json!({ "i": { "roomId": room, "url": "https://example.com/hook", "events": ["MENTION"] } });
    let hook = chat::mutate(&app, &alice, CREATE_OUT, input.clone()).await["createOutgoingWebhook"]
        .clone();
    let refused = chat::try_mutate(&app, &bob, CREATE_OUT, input.clone()).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    let refused = chat::try_mutate(&app, &bob, LIST_OUT, json!({ "r": room })).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");

    let (token, _) = chat::api_token(
        &app,
        &alice,
        json!({ "scopes": ["messages:read", "messages:write", "rooms:read", "rooms:write"] }),
    )
    .await;
    for (query, variables) in [
        (CREATE_OUT, input.clone()),
        (LIST_OUT, json!({ "r": room })),
        (
            "mutation($id: ID!) { deleteOutgoingWebhook(id: $id) }",
            json!({ "id": hook["id"] }),
        ),
    ] {
        let body = app.graphql(Some(&token), query, variables).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
    }
    chat::mutate(
        &app,
        &alice,
        "mutation($id: ID!) { deleteOutgoingWebhook(id: $id) }",
        json!({ "id": hook["id"] }),
    )
    .await;
    let listed = chat::mutate(&app, &alice, LIST_OUT, json!({ "r": room })).await;
    assert_eq!(listed["outgoingWebhooks"], json!([]));
}

#[tokio::test]
async fn with_two_api_processes_each_event_is_delivered_once() {
    let a = allowing_loopback().await;
    let _b = a
        .spawn_sibling(|c| c.previews.allow_hosts = AllowList::parse("127.0.0.1").unwrap())
        .await;
    let alice = a.sign_up("alice").await;
    let room = group(&a, &alice, "ops", &[]).await;
    let (url, received) = receiver(0).await;
    let hook = chat::mutate(
        &a,
        &alice,
        CREATE_OUT,
        json!({ "i": { "roomId": room, "url": url, "events": ["MESSAGE_ADDED"] } }),
    )
    .await["createOutgoingWebhook"]
        .clone();
    let secret = hook["secret"].as_str().unwrap().to_owned();
    let mut sent = Vec::new();
    // With Redis both workers wake on every message and compete for the hook; without it (SQLite, an
    // in-process bus each) only `a` hears them at once, and `b` competes on its poll.
    for i in 0..10 {
        sent.push(
            chat::send(&a, &alice, &room, &format!("m{i}")).await["seq"]
                .as_i64()
                .unwrap(),
        );
    }
    wait_for(&received, 10).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = received.lock().unwrap().deliveries.clone();
    let seqs: Vec<i64> = got
        .iter()
        .map(|d| verified(&secret, d)["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, sent, "each seq once, in order");
}

#[tokio::test]
async fn a_posts_username_and_avatar_are_shown_with_the_message_and_bad_ones_are_refused() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let hook = create_hook(&app, &alice, &room, "deploys").await;
    let url = hook["url"].as_str().unwrap();

    let (status, answer) = post_hook(
        &app,
        url,
        json!({ "text": "shipped", "username": " CI ", "avatarUrl": "https://example.com/ci.png" }),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = post_hook(&app, url, json!({ "text": "plain" })).await;
    assert_eq!(status, 201, "{answer}");
    let history = chat::mutate(
        &app,
        &alice,
        "query($r: ID!) { messages(roomId: $r, last: 5) { edges { node { content displayName displayAvatarUrl sender { nickname } } } } }",
        json!({ "r": room }),
    )
    .await;
    let nodes: Vec<Value> = history["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(
        nodes,
        vec![
            json!({ "content": "shipped", "displayName": "CI", "displayAvatarUrl": "https://example.com/ci.png", "sender": { "nickname": "deploys" } }),
            json!({ "content": "plain", "displayName": null, "displayAvatarUrl": null, "sender": { "nickname": "deploys" } }),
        ]
    );

    for (body, field) in [
        (
            json!({ "text": "x", "avatarUrl": "javascript:alert(1)" }),
            "avatarUrl",
        ),
        (json!({ "text": "x", "username": "a\nb" }), "username"),
    ] {
        let (status, answer) = post_hook(&app, url, body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(rest_code(&answer), "BAD_USER_INPUT", "{answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
}

#[tokio::test]
async fn a_hook_that_cannot_join_its_room_leaves_no_bot_behind() {
    // A full room: the hook's bot cannot join, so neither the bot nor the hook is created.
    let app = spawn_app_with(|c| c.max_group_members = 2).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let refused = chat::try_mutate(
        &app,
        &alice,
        CREATE_HOOK,
        json!({ "r": room, "n": "deploys" }),
    )
    .await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
    let mine = chat::mutate(&app, &alice, "{ myBots { id } }", json!({})).await;
    assert_eq!(mine["myBots"], json!([]));
    let listed = chat::mutate(&app, &alice, LIST_HOOKS, json!({ "r": room })).await;
    assert_eq!(listed["incomingWebhooks"], json!([]));
    // The name is free again.
    let bot = chat::mutate(
        &app,
        &alice,
        "mutation { createBot(input: { nickname: \"deploys\" }) { id } }",
        json!({}),
    )
    .await;
    assert!(bot["createBot"]["id"].is_string());
}
