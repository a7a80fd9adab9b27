//! GraphQL over WebSocket on `/graphql/ws`, frame by frame: the graphql-transport-ws handshake, operations sent
//! with `subscribe`, every close code of the spec, keep-alive, the legacy `graphql-ws` subprotocol, the Origin
//! check and the socket limits. Operations that keep running (4409, cancellation, back-pressure) are also
//! covered by the unit tests in `api/src/ws/tests.rs`.

use std::time::{Duration, Instant};

use chorus_tests::{Frame, TEST_JWT_SECRET, WsClient, spawn_app, spawn_app_with, ws_connect_with};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

const TRANSPORT_WS: &str = "graphql-transport-ws";
const LEGACY: &str = "graphql-ws";
const ME: &str = "{ me { email } }";

fn subscribe(id: &str, query: &str) -> Value {
    json!({ "type": "subscribe", "id": id, "payload": { "query": query } })
}

/// Expects the server to close with `code` and returns the reason.
async fn expect_close_with(ws: &mut WsClient, code: u16) -> String {
    loop {
        match ws.next_frame().await {
            Frame::Close(Some(got), reason) => {
                assert_eq!(got, code, "closed with {got} {reason:?}");
                return reason;
            }
            Frame::Json(v)
                if matches!(v["type"].as_str(), Some("ping" | "ka" | "connection_error")) => {}
            other => panic!("expected close {code}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_query_sent_with_subscribe_yields_next_with_the_viewer_then_complete() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;

    ws.send_json(subscribe("q1", ME)).await;
    assert_eq!(
        ws.next_message().await,
        json!({ "id": "q1", "type": "next", "payload": { "data": { "me": { "email": alice.email } } } })
    );
    assert_eq!(
        ws.next_message().await,
        json!({ "id": "q1", "type": "complete" })
    );
}

#[tokio::test]
async fn a_mutation_runs_as_the_viewer_of_the_socket() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;

    ws.send_json(subscribe(
        "m1",
        r#"mutation { updateProfile(input: { nickname: "Alicia" }) { id nickname } }"#,
    ))
    .await;
    let next = ws.next_message().await;
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(
        next["payload"]["data"]["updateProfile"]["id"],
        alice.user_id.as_str()
    );
    assert_eq!(
        next["payload"]["data"]["updateProfile"]["nickname"],
        "Alicia"
    );
    assert_eq!(ws.next_message().await["type"], "complete");
}

#[tokio::test]
async fn operations_on_one_socket_run_side_by_side() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;

    let ids = ["a", "b", "c"];
    let burst: Vec<Value> = ids.iter().map(|id| subscribe(id, ME)).collect();
    ws.send_burst(&burst).await;
    let mut completed = Vec::new();
    while completed.len() < ids.len() {
        let message = ws.next_message().await;
        match message["type"].as_str() {
            Some("next") => assert_eq!(
                message["payload"]["data"]["me"]["email"],
                alice.email.as_str()
            ),
            Some("complete") => completed.push(message["id"].as_str().unwrap().to_owned()),
            _ => panic!("unexpected {message}"),
        }
    }
    completed.sort();
    assert_eq!(completed, ids);
}

#[tokio::test]
async fn an_invalid_query_yields_an_error_message_and_no_complete() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;

    ws.send_json(subscribe("bad", "{ noSuchField }")).await;
    let error = ws.next_message().await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "bad");
    let errors = error["payload"]
        .as_array()
        .expect("payload is a list of GraphQL errors");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("noSuchField"),
        "{error}"
    );

    // A ping round trip proves nothing (no `complete`) followed the error.
    ws.send_json(json!({ "type": "ping" })).await;
    assert_eq!(ws.next_message().await, json!({ "type": "pong" }));
    // The socket is still usable, and so is the id.
    ws.send_json(subscribe("bad", ME)).await;
    assert_eq!(ws.next_message().await["type"], "next");
}

#[tokio::test]
async fn the_token_may_also_come_under_token_or_authorization_keys() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    for payload in [
        json!({ "token": alice.access_token }),
        json!({ "Authorization": format!("Bearer {}", alice.access_token) }),
    ] {
        let mut ws = app.ws_connect(TRANSPORT_WS).await;
        ws.send_json(json!({ "type": "connection_init", "payload": payload }))
            .await;
        assert_eq!(
            ws.next_message().await["type"],
            "connection_ack",
            "{payload}"
        );
    }
}

#[tokio::test]
async fn ping_is_answered_with_a_pong_echoing_its_payload() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;

    // Allowed before the handshake too.
    ws.send_json(json!({ "type": "ping", "payload": { "at": 1 } }))
        .await;
    assert_eq!(
        ws.next_json().await,
        json!({ "type": "pong", "payload": { "at": 1 } })
    );
    ws.init(&alice.access_token).await;
    ws.send_json(json!({ "type": "ping" })).await;
    assert_eq!(ws.next_json().await, json!({ "type": "pong" }));
    // A pong from the client needs no answer: the answer to the next ping is the very next frame.
    ws.send_json(json!({ "type": "pong" })).await;
    ws.send_json(json!({ "type": "ping", "payload": { "at": 2 } }))
        .await;
    assert_eq!(
        ws.next_json().await,
        json!({ "type": "pong", "payload": { "at": 2 } })
    );
}

#[tokio::test]
async fn invalid_json_closes_with_4400() {
    let app = spawn_app().await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.send_text("{ not json").await;
    let reason = expect_close_with(&mut ws, 4400).await;
    assert!(reason.starts_with("Invalid message received"), "{reason}");
}

#[tokio::test]
async fn an_unknown_message_type_closes_with_4400() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;
    ws.send_json(json!({ "type": "start", "id": "1", "payload": { "query": ME } }))
        .await;
    let reason = expect_close_with(&mut ws, 4400).await;
    assert!(reason.contains("start"), "{reason}");
}

#[tokio::test]
async fn a_subscribe_without_id_or_payload_closes_with_4400() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    for message in [
        json!({ "type": "subscribe", "payload": { "query": ME } }),
        json!({ "type": "subscribe", "id": "1" }),
        json!({ "type": "subscribe", "id": "1", "payload": { "query": 42 } }),
    ] {
        let mut ws = app.ws_connect(TRANSPORT_WS).await;
        ws.init(&alice.access_token).await;
        ws.send_json(message).await;
        expect_close_with(&mut ws, 4400).await;
    }
}

#[tokio::test]
async fn subscribe_before_ack_closes_with_4401() {
    let app = spawn_app().await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.send_json(subscribe("1", ME)).await;
    assert_eq!(expect_close_with(&mut ws, 4401).await, "Unauthorized");
}

#[tokio::test]
async fn connection_init_without_a_token_closes_with_4403() {
    let app = spawn_app().await;
    for init in [
        json!({ "type": "connection_init" }),
        json!({ "type": "connection_init", "payload": {} }),
        json!({ "type": "connection_init", "payload": { "authorization": "" } }),
    ] {
        let mut ws = app.ws_connect(TRANSPORT_WS).await;
        ws.send_json(init).await;
        assert_eq!(expect_close_with(&mut ws, 4403).await, "Forbidden");
    }
}

#[tokio::test]
async fn connection_init_with_a_bad_token_closes_with_4403() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let now = chrono::Utc::now().timestamp();
    let claims = json!({ "sub": alice.user_id, "exp": now + 600, "iat": now, "nbf": now, "iss": "chorus", "aud": "chorus", "jti": uuid::Uuid::new_v4() });
    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(b"not-the-server-secret-not-the-server-secret"),
    )
    .unwrap();
    for token in [
        "garbage".to_owned(),
        forged,
        format!("Basic {}", alice.access_token),
    ] {
        let mut ws = app.ws_connect(TRANSPORT_WS).await;
        ws.send_json(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }))
            .await;
        expect_close_with(&mut ws, 4403).await;
    }
}

#[tokio::test]
async fn connection_init_with_an_expired_token_closes_with_4403() {
    let app = spawn_app_with(|c| c.access_token_ttl = Duration::from_secs(1)).await;
    let alice = app.sign_up("Alice").await;
    // `exp` is whole seconds after issue: 1.5 s later the token's expiry instant has passed in any case.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.send_json(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", alice.access_token) } }))
        .await;
    expect_close_with(&mut ws, 4403).await;
}

#[tokio::test]
async fn a_token_signed_by_us_but_expired_is_refused_too() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let now = chrono::Utc::now().timestamp();
    let claims = json!({ "sub": alice.user_id, "exp": now - 10, "iat": now - 100, "nbf": now - 100, "iss": "chorus", "aud": "chorus", "jti": uuid::Uuid::new_v4() });
    let expired = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(TEST_JWT_SECRET),
    )
    .unwrap();
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.send_json(json!({ "type": "connection_init", "payload": { "token": expired } }))
        .await;
    expect_close_with(&mut ws, 4403).await;
}

#[tokio::test]
async fn the_socket_closes_with_4403_when_the_access_token_expires() {
    // 2 s: the token expires 1 to 2 s after sign-up (whole seconds), well after the handshake.
    let app = spawn_app_with(|c| c.access_token_ttl = Duration::from_secs(2)).await;
    let alice = app.sign_up("Alice").await;
    let signed_up = Instant::now();
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;
    ws.send_json(subscribe("1", ME)).await;
    assert_eq!(ws.next_message().await["type"], "next");
    assert_eq!(ws.next_message().await["type"], "complete");

    let reason = expect_close_with(&mut ws, 4403).await;
    assert!(reason.contains("expired"), "{reason}");
    let after = signed_up.elapsed();
    assert!(
        after >= Duration::from_millis(900) && after < Duration::from_secs(4),
        "closed {after:?} after sign-up"
    );
}

#[tokio::test]
async fn no_connection_init_within_the_timeout_closes_with_4408() {
    let app = spawn_app_with(|c| c.ws_init_timeout = Duration::from_millis(300)).await;
    let started = Instant::now();
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    // Pings do not count as initialisation.
    ws.send_json(json!({ "type": "ping" })).await;
    assert_eq!(ws.next_json().await["type"], "pong");
    assert_eq!(
        expect_close_with(&mut ws, 4408).await,
        "Connection initialisation timeout"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_duplicate_id_while_the_operation_runs_closes_with_4409() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;

    // Sent in one write, the server reads the second `subscribe` before it looks at how the first one is
    // doing (it handles client messages first), so the first one is still listed however fast it runs.
    ws.send_burst(&[subscribe("dup", ME), subscribe("dup", ME)])
        .await;
    assert_eq!(
        expect_close_with_results(&mut ws, 4409).await,
        "Subscriber for dup already exists"
    );
}

/// Like [`expect_close_with`], but results of operations may come before the close.
async fn expect_close_with_results(ws: &mut WsClient, code: u16) -> String {
    loop {
        match ws.next_frame().await {
            Frame::Close(Some(got), reason) => {
                assert_eq!(got, code, "closed with {got} {reason:?}");
                return reason;
            }
            // The first operation's result may be on its way; its `complete` never is: it is still running.
            Frame::Json(v) if v["type"] == "next" => {}
            other => panic!("expected close {code}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_second_connection_init_closes_with_4429() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;
    ws.send_json(json!({ "type": "connection_init", "payload": { "token": alice.access_token } }))
        .await;
    assert_eq!(
        expect_close_with(&mut ws, 4429).await,
        "Too many initialisation requests"
    );
}

#[tokio::test]
async fn the_server_pings_and_closes_a_client_that_stopped_answering() {
    let app = spawn_app_with(|c| c.ws_keepalive = Duration::from_millis(200)).await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;

    // Reading answers the server's WebSocket pings (tungstenite does it), answering its `ping`s keeps the
    // socket open well past the idle timeout (3 x 200 ms).
    let until = Instant::now() + Duration::from_millis(1200);
    let mut pings = 0;
    while Instant::now() < until {
        if let Some(frame) = ws.next_frame_within(Duration::from_millis(100)).await {
            match frame {
                Frame::Json(v) if v == json!({ "type": "ping" }) => {
                    pings += 1;
                    ws.send_json(json!({ "type": "pong" })).await;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    assert!(pings >= 3, "{pings} pings in 1.2 s");

    // A client that neither reads nor writes looks dead: closed within the idle timeout.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    expect_close_with(&mut ws, 1001).await;
}

#[tokio::test]
async fn an_oversized_message_closes_with_1009() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(TRANSPORT_WS).await;
    ws.init(&alice.access_token).await;
    let huge = format!("{{ me {{ email }} }} #{}", "x".repeat(100 * 1024));
    ws.send_json(subscribe("big", &huge)).await;
    expect_close_with(&mut ws, 1009).await;
}

#[tokio::test]
async fn the_negotiated_subprotocol_is_echoed() {
    let app = spawn_app().await;
    assert_eq!(
        app.ws_connect(TRANSPORT_WS)
            .await
            .accepted_protocol
            .as_deref(),
        Some(TRANSPORT_WS)
    );
    assert_eq!(
        app.ws_connect(LEGACY).await.accepted_protocol.as_deref(),
        Some(LEGACY)
    );
    // Offered both, the modern protocol wins.
    let both = ws_connect_with(
        &app.ws_url(),
        &[("Sec-WebSocket-Protocol", "graphql-ws, graphql-transport-ws")],
    )
    .await
    .expect("upgrade");
    assert_eq!(both.accepted_protocol.as_deref(), Some(TRANSPORT_WS));
}

#[tokio::test]
async fn a_client_offering_no_subprotocol_is_spoken_to_in_graphql_transport_ws() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = ws_connect_with(&app.ws_url(), &[]).await.expect("upgrade");
    // Echoing a subprotocol the client did not offer would fail the handshake in browsers.
    assert_eq!(ws.accepted_protocol, None);
    ws.init(&alice.access_token).await;
    ws.send_json(subscribe("1", ME)).await;
    assert_eq!(ws.next_message().await["type"], "next");
}

#[tokio::test]
async fn legacy_protocol_acks_keeps_alive_and_streams_data_then_complete() {
    let app = spawn_app().await;
    let alice = app.sign_up("Alice").await;
    let mut ws = app.ws_connect(LEGACY).await;
    ws.send_json(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", alice.access_token) } }))
        .await;
    assert_eq!(ws.next_json().await, json!({ "type": "connection_ack" }));
    assert_eq!(ws.next_json().await, json!({ "type": "ka" }));

    ws.send_json(json!({ "type": "start", "id": "1", "payload": { "query": ME } }))
        .await;
    assert_eq!(
        ws.next_message().await,
        json!({ "id": "1", "type": "data", "payload": { "data": { "me": { "email": alice.email } } } })
    );
    assert_eq!(
        ws.next_message().await,
        json!({ "id": "1", "type": "complete" })
    );

    ws.send_json(json!({ "type": "start", "id": "2", "payload": { "query": "{ nope }" } }))
        .await;
    let error = ws.next_message().await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "2");

    ws.send_json(json!({ "type": "connection_terminate" }))
        .await;
    expect_close_with(&mut ws, 1000).await;
}

#[tokio::test]
async fn legacy_protocol_reports_a_bad_token_with_connection_error_then_closes_with_4403() {
    let app = spawn_app().await;
    let mut ws = app.ws_connect(LEGACY).await;
    ws.send_json(
        json!({ "type": "connection_init", "payload": { "authorization": "Bearer nope" } }),
    )
    .await;
    let error = ws.next_json().await;
    assert_eq!(error["type"], "connection_error", "{error}");
    assert!(error["payload"]["message"].is_string(), "{error}");
    assert_eq!(expect_close_with(&mut ws, 4403).await, "Forbidden");
}

#[tokio::test]
async fn an_origin_outside_the_allowed_list_is_refused_with_403() {
    let app = spawn_app_with(|c| {
        c.allowed_origins = Some(vec!["https://chat.example.com".to_owned()]);
    })
    .await;
    let alice = app.sign_up("Alice").await;
    let protocol = ("Sec-WebSocket-Protocol", TRANSPORT_WS);

    let refused = ws_connect_with(
        &app.ws_url(),
        &[protocol, ("Origin", "https://evil.example.com")],
    )
    .await;
    assert_eq!(refused.err(), Some(403));

    let mut allowed = ws_connect_with(
        &app.ws_url(),
        &[protocol, ("Origin", "https://chat.example.com")],
    )
    .await
    .expect("allowed origin upgrades");
    allowed.init(&alice.access_token).await;
    // Clients that are not browsers send no Origin.
    let mut no_origin = ws_connect_with(&app.ws_url(), &[protocol])
        .await
        .expect("upgrade without Origin");
    no_origin.init(&alice.access_token).await;
}

#[tokio::test]
async fn any_origin_is_accepted_when_no_list_is_configured() {
    let app = spawn_app().await;
    let ws = ws_connect_with(
        &app.ws_url(),
        &[
            ("Sec-WebSocket-Protocol", TRANSPORT_WS),
            ("Origin", "https://anywhere.example"),
        ],
    )
    .await;
    assert!(ws.is_ok());
}
