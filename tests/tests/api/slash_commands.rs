//! Slash commands. A room's owner or admin registers `/name` answered by one of their bots through a URL
//! (members and API tokens cannot); a member's `/name args` reaches the receiver on loopback (allow-listed)
//! signed, with the args and the invoker, is not posted as a message, and the receiver's `{"text"}` answer
//! is posted as the bot, live for the other members. An unknown command is BAD_USER_INPUT, someone outside
//! the room gets NOT_FOUND, and a receiver that is down, fails or hangs gets the invoker UNAVAILABLE within the
//! command timeout (5 s).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chorus_adapters::previews::AllowList;
use chorus_tests::chat::{self, group};
use chorus_tests::{Session, TestApp, error_code, error_field, spawn_app_with};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const REGISTER: &str = "mutation($i: RegisterSlashCommandInput!) { registerSlashCommand(input: $i) { id command description url secret bot { id nickname } } }";
const LIST: &str = "query($r: ID!) { slashCommands(roomId: $r) { id command description url secret bot { nickname } } }";
const RUN: &str = "mutation($i: RunSlashCommandInput!) { runSlashCommand(input: $i) { command { command } reply { id content sender { id nickname isBot } } } }";
const DELETE: &str = "mutation($id: ID!) { deleteSlashCommand(id: $id) }";

/// What the receiver got: (signature header, body).
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// Answers every invocation with `{"text": "you said: <args>"}`.
async fn answer(
    State(received): State<Received>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    let signature = headers
        .get("chorus-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = String::from_utf8_lossy(&body).into_owned();
    let args = serde_json::from_str::<Value>(&body).unwrap()["args"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    received.lock().unwrap().push((signature, body));
    (
        StatusCode::OK,
        Json(json!({ "text": format!("you said: {args}") })),
    )
}

async fn failing() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

async fn hanging() -> StatusCode {
    tokio::time::sleep(Duration::from_secs(60)).await;
    StatusCode::OK
}

/// A receiver on 127.0.0.1: `/answer` replies, `/fail` answers 500, `/hang` answers after a minute.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route("/answer", axum::routing::post(answer))
        .route("/fail", axum::routing::post(failing))
        .route("/hang", axum::routing::post(hanging))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), received)
}

async fn allowing_loopback() -> TestApp {
    spawn_app_with(|c| c.previews.allow_hosts = AllowList::parse("127.0.0.1").unwrap()).await
}

async fn bot(app: &TestApp, owner: &Session, nickname: &str) -> String {
    chat::mutate(
        app,
        owner,
        "mutation($n: String!) { createBot(input: { nickname: $n }) { id } }",
        json!({ "n": nickname }),
    )
    .await["createBot"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn register_input(room: &str, command: &str, url: &str, bot: &str) -> Value {
    json!({ "i": { "roomId": room, "command": command, "description": "Echoes its args", "url": url, "botId": bot } })
}

fn run_input(room: &str, command: &str, args: &str) -> Value {
    json!({ "i": { "roomId": room, "command": command, "args": args } })
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
async fn a_command_reaches_its_bot_signed_and_the_answer_is_posted_live_as_the_bot() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let echo = bot(&app, &alice, "echo").await;
    let (base, received) = receiver().await;
    let registered = chat::mutate(
        &app,
        &alice,
        REGISTER,
        register_input(&room, "/Echo", &format!("{base}/answer"), &echo),
    )
    .await["registerSlashCommand"]
        .clone();
    assert_eq!(registered["command"], "echo");
    assert_eq!(registered["bot"]["id"], echo);
    let secret = registered["secret"].as_str().expect("secret shown once");

    // Every member sees the room's commands (for the composer), without URL or secret.
    let listed = chat::mutate(&app, &bob, LIST, json!({ "r": room })).await;
    assert_eq!(
        listed["slashCommands"],
        json!([{ "id": registered["id"], "command": "echo", "description": "Echoes its args", "url": null, "secret": null, "bot": { "nickname": "echo" } }])
    );

    let after = chat::last_seq(&app, &alice, &room).await;
    let mut ws = app.socket(&alice).await;
    ws.subscribe(
        "r",
        "subscription($r: ID!, $a: Int) { roomEvents(roomId: $r, afterSeq: $a) { __typename ... on MessageAdded { message { content sender { id isBot } } } } }",
        json!({ "r": room, "a": after }),
    )
    .await;

    let ran = chat::mutate(&app, &bob, RUN, run_input(&room, "/echo", "  hello there ")).await;
    let reply = &ran["runSlashCommand"]["reply"];
    assert_eq!(reply["content"], "you said: hello there");
    assert_eq!(reply["sender"]["id"], echo);
    assert_eq!(reply["sender"]["isBot"], true);

    let delivered = received.lock().unwrap().clone();
    assert_eq!(delivered.len(), 1);
    let body = verified(secret, &delivered[0]);
    assert_eq!(body["kind"], "command");
    assert_eq!(body["command"], "echo");
    assert_eq!(body["args"], "hello there");
    assert_eq!(body["roomId"], room);
    assert_eq!(body["commandId"], registered["id"]);
    assert_eq!(
        body["user"],
        json!({ "id": bob.user_id, "nickname": "bob" })
    );

    // Alice sees the bot's answer live, and nothing else: the invocation is not a message.
    let live = ws.next_data("r").await;
    assert_eq!(live["roomEvents"]["__typename"], "MessageAdded", "{live}");
    assert_eq!(
        live["roomEvents"]["message"]["content"],
        "you said: hello there"
    );
    assert_eq!(live["roomEvents"]["message"]["sender"]["id"], echo);
    let history = chat::mutate(
        &app,
        &alice,
        "query($r: ID!) { messages(roomId: $r, last: 10) { edges { node { content } } } }",
        json!({ "r": room }),
    )
    .await;
    let contents: Vec<&Value> = history["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["content"])
        .collect();
    assert_eq!(contents, vec![&json!("you said: hello there")]);
}

#[tokio::test]
async fn unknown_commands_are_refused_and_outsiders_cannot_run_any() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let echo = bot(&app, &alice, "echo").await;
    let (base, received) = receiver().await;
    chat::mutate(
        &app,
        &alice,
        REGISTER,
        register_input(&room, "echo", &format!("{base}/answer"), &echo),
    )
    .await;

    for name in ["nope", "/nope", "a/b"] {
        let unknown = chat::try_mutate(&app, &bob, RUN, run_input(&room, name, "x")).await;
        assert_eq!(error_code(&unknown), Some("BAD_USER_INPUT"), "{unknown}");
        assert_eq!(error_field(&unknown), Some("command"), "{unknown}");
        let message = unknown["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("//"), "{message}");
    }
    let outside = chat::try_mutate(&app, &carol, RUN, run_input(&room, "echo", "x")).await;
    assert_eq!(error_code(&outside), Some("NOT_FOUND"), "{outside}");
    let listed = chat::try_mutate(&app, &carol, LIST, json!({ "r": room })).await;
    assert_eq!(error_code(&listed), Some("NOT_FOUND"), "{listed}");
    assert!(received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn only_the_rooms_owner_and_admins_register_commands_with_their_own_bots() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "ops", &[&bob]).await;
    let alices = bot(&app, &alice, "alices").await;
    let bobs = bot(&app, &bob, "bobs").await;
    let (base, _) = receiver().await;
    let url = format!("{base}/answer");

    // A member: FORBIDDEN; someone outside the room: NOT_FOUND, as for any room.
    for (who, bot, code) in [(&bob, &bobs, "FORBIDDEN"), (&carol, &alices, "NOT_FOUND")] {
        let refused =
            chat::try_mutate(&app, who, REGISTER, register_input(&room, "x", &url, bot)).await;
        assert_eq!(error_code(&refused), Some(code), "{refused}");
    }
    // Only a bot of one's own.
    let theirs = chat::try_mutate(
        &app,
        &alice,
        REGISTER,
        register_input(&room, "x", &url, &bobs),
    )
    .await;
    assert_eq!(error_field(&theirs), Some("botId"), "{theirs}");
    // One command of a name per room; bad names are refused.
    let first = chat::mutate(
        &app,
        &alice,
        REGISTER,
        register_input(&room, "x", &url, &alices),
    )
    .await["registerSlashCommand"]
        .clone();
    let again = chat::try_mutate(
        &app,
        &alice,
        REGISTER,
        register_input(&room, "X", &url, &alices),
    )
    .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    let bad = chat::try_mutate(
        &app,
        &alice,
        REGISTER,
        register_input(&room, "a b", &url, &alices),
    )
    .await;
    assert_eq!(error_field(&bad), Some("command"), "{bad}");
    // The bot joined the room with its command.
    let members = chat::room(&app, &alice, &room).await;
    assert!(members.to_string().contains("alices"), "{members}");

    // API tokens, whatever their scopes, do not register commands.
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
    let body = app
        .graphql(
            Some(&token),
            REGISTER,
            register_input(&room, "y", &url, &alices),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    // A member cannot delete it; the admin can, and it is gone.
    let deleted = chat::try_mutate(&app, &bob, DELETE, json!({ "id": first["id"] })).await;
    assert_eq!(error_code(&deleted), Some("FORBIDDEN"), "{deleted}");
    chat::mutate(&app, &alice, DELETE, json!({ "id": first["id"] })).await;
    let listed = chat::mutate(&app, &bob, LIST, json!({ "r": room })).await;
    assert_eq!(listed["slashCommands"], json!([]));
}

#[tokio::test]
async fn a_receiver_that_is_down_failing_or_hanging_gets_the_invoker_unavailable_soon() {
    let app = allowing_loopback().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "ops", &[]).await;
    let echo = bot(&app, &alice, "echo").await;
    // A port nobody listens on any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let (base, _) = receiver().await;
    for (name, url) in [
        ("down", format!("http://{closed}/hook")),
        ("broken", format!("{base}/fail")),
        ("slow", format!("{base}/hang")),
    ] {
        chat::mutate(
            &app,
            &alice,
            REGISTER,
            register_input(&room, name, &url, &echo),
        )
        .await;
        let started = Instant::now();
        // The operation failed as a whole because a dependency is down: HTTP 503, as for the database.
        let response = app
            .http
            .post(app.url("/graphql"))
            .bearer_auth(&alice.access_token)
            .json(&json!({ "query": RUN, "variables": run_input(&room, name, "") }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
        let failed: Value = response.json().await.unwrap();
        assert_eq!(error_code(&failed), Some("UNAVAILABLE"), "{failed}");
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{:?}",
            started.elapsed()
        );
        let message = failed["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("bot"), "{message}");
    }
}
