//! The edge under abuse from clients without (or with one) account: silent connections, connection floods,
//! password guessing and lock-out, sign-up floods, socket hoarding, message floods, unknown subprotocols, and
//! rate limits shared by several api processes through Redis.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use chorus_tests::chat::group;
use chorus_tests::{Frame, TestApp, WAIT, WsClient, error_code, error_field, spawn_app_with};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const LOG_IN: &str = "mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }";
const SIGN_UP: &str = "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }";

/// A TCP connection to `to` from loopback address `from` (all of 127.0.0.0/8 is local on Linux).
async fn connect_from(from: [u8; 4], to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::from((from, 0)))
        .expect("bind source address");
    tokio::time::timeout(WAIT, socket.connect(to))
        .await
        .expect("connect in time")
        .expect("connect")
}

/// An HTTP client whose connections come from `from`.
fn client_from(from: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from(from))
        .build()
        .expect("client")
}

/// Waits until the server closes `stream` (EOF or reset); returns how long that took.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(
            wait.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            // A response (e.g. 408) before the close is fine.
            Ok(Ok(_)) => continue,
        }
    }
}

/// POSTs a GraphQL operation through a (pretend) proxy that says the client is `client`.
async fn graphql_as(app: &TestApp, client: &str, query: &str, variables: Value) -> Value {
    let request = app
        .http
        .post(app.url("/graphql"))
        .header("x-forwarded-for", client)
        .json(&json!({ "query": query, "variables": variables }));
    let response = tokio::time::timeout(WAIT, request.send())
        .await
        .expect("answer in time")
        .expect("request");
    response.json().await.expect("json")
}

fn log_in_vars(email: &str, password: &str) -> Value {
    json!({ "input": { "email": email, "password": password } })
}

#[tokio::test]
async fn a_connection_that_sends_no_headers_is_closed_after_the_header_timeout() {
    let app = spawn_app_with(|c| c.edge.header_timeout = Duration::from_millis(500)).await;
    let mut silent = connect_from([127, 0, 0, 1], app.addr).await;
    let took = closed_within(&mut silent, WAIT)
        .await
        .expect("silent connection closed");
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "closed after {took:?}"
    );

    // Trickling a request head byte by byte does not keep it open either (slowloris).
    let mut slow = connect_from([127, 0, 0, 1], app.addr).await;
    let started = Instant::now();
    let head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ";
    let mut closed = false;
    for byte in head.iter().chain(std::iter::repeat(&b'a')) {
        if slow.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        if started.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    if !closed {
        closed = closed_within(&mut slow, Duration::from_millis(100))
            .await
            .is_some();
    }
    assert!(closed, "a trickled request head kept the connection open");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // A real client is unaffected.
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_flood_of_silent_connections_from_one_address_leaves_the_server_to_everyone_else() {
    let app = spawn_app_with(|c| {
        c.edge.header_timeout = Duration::from_secs(5);
        c.edge.max_connections = 50;
        c.edge.max_connections_per_ip = 20;
    })
    .await;
    let mut flood = Vec::new();
    for _ in 0..300 {
        flood.push(connect_from([127, 0, 0, 1], app.addr).await);
    }
    // Everything beyond the address's share is closed at once, long before the header timeout.
    let mut closed = 0;
    for stream in flood.iter_mut().rev().take(200) {
        if closed_within(stream, Duration::from_millis(100))
            .await
            .is_some()
        {
            closed += 1;
        }
    }
    assert!(
        closed >= 150,
        "only {closed} of the surplus connections were closed"
    );

    let started = Instant::now();
    let res = tokio::time::timeout(
        WAIT,
        client_from([127, 0, 0, 2]).get(app.url("/healthz")).send(),
    )
    .await
    .expect("answer in time")
    .expect("request");
    assert_eq!(res.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(flood);
}

#[tokio::test]
async fn at_the_global_connection_cap_silent_connections_time_out_and_real_requests_get_through() {
    let app = spawn_app_with(|c| {
        c.edge.header_timeout = Duration::from_millis(500);
        c.edge.max_connections = 50;
    })
    .await;
    // 300 silent connections from many addresses: six times the cap.
    let mut flood = Vec::new();
    for i in 0..300u32 {
        let from = [127, 0, 1, (i % 200 + 1) as u8];
        flood.push(connect_from(from, app.addr).await);
    }
    let started = Instant::now();
    let res = tokio::time::timeout(
        Duration::from_secs(15),
        client_from([127, 0, 0, 3]).get(app.url("/healthz")).send(),
    )
    .await
    .expect("the server stayed reachable")
    .expect("request");
    assert_eq!(res.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Every silent one was closed by the server.
    for stream in flood.iter_mut().take(10) {
        assert!(closed_within(stream, WAIT).await.is_some());
    }
}

#[tokio::test]
async fn a_lockout_from_another_address_does_not_lock_out_the_real_user() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = api::edge::TrustedProxies::parse("127.0.0.1").unwrap();
        c.rate.login_per_minute = 3;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let attacker = "203.0.113.9";
    for _ in 0..3 {
        let body = graphql_as(
            &app,
            attacker,
            LOG_IN,
            log_in_vars(&alice.email, "wrong-guess"),
        )
        .await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    }
    let body = graphql_as(
        &app,
        attacker,
        LOG_IN,
        log_in_vars(&alice.email, &alice.password),
    )
    .await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");

    // Alice, from her own address, still gets in.
    let body = graphql_as(
        &app,
        "198.51.100.7",
        LOG_IN,
        log_in_vars(&alice.email, &alice.password),
    )
    .await;
    assert!(body["data"]["logIn"]["accessToken"].is_string(), "{body}");
    // Over REST as well.
    let res = app
        .http
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", "198.51.100.7")
        .json(&json!({ "email": alice.email, "password": alice.password }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn forwarded_addresses_from_untrusted_peers_are_ignored() {
    let app = spawn_app_with(|c| c.rate.login_per_minute = 2).await;
    let alice = app.sign_up("alice").await;
    for spoofed in ["192.0.2.1", "192.0.2.2"] {
        let body = graphql_as(
            &app,
            spoofed,
            LOG_IN,
            log_in_vars(&alice.email, "wrong-guess"),
        )
        .await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    }
    // A fresh X-Forwarded-For does not buy a fresh budget: the peer is the client.
    let body = graphql_as(
        &app,
        "192.0.2.3",
        LOG_IN,
        log_in_vars(&alice.email, "wrong-guess"),
    )
    .await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
}

#[tokio::test]
async fn log_in_refuses_a_megabyte_password_without_hashing_it() {
    let app = spawn_app_with(|c| {
        // Expensive hashing makes skipping it obvious.
        c.argon2.memory_kib = 2048;
        c.argon2.iterations = 8;
    })
    .await;
    let email = "alice@example.com";
    let started = Instant::now();
    let body = app
        .graphql(None, LOG_IN, log_in_vars(email, "not-the-password"))
        .await;
    let hashing = started.elapsed();
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");

    let huge = "p".repeat(1_000_000);
    let started = Instant::now();
    let body = app.graphql(None, LOG_IN, log_in_vars(email, &huge)).await;
    let refusing = started.elapsed();
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(error_field(&body), Some("password"), "{body}");
    assert!(
        refusing * 2 < hashing,
        "refusing took {refusing:?}, one hash takes {hashing:?}"
    );

    let res = app
        .http
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": email, "password": huge }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn sign_ups_are_limited_per_client_address() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = api::edge::TrustedProxies::parse("127.0.0.1").unwrap();
        c.rate.signups_per_ip_per_hour = 2;
    })
    .await;
    let sign_up = |n: u32| json!({ "input": { "email": format!("u{n}@example.com"), "password": "long-enough-pw", "nickname": format!("user{n}") } });
    for n in 0..2 {
        let body = graphql_as(&app, "203.0.113.1", SIGN_UP, sign_up(n)).await;
        assert!(body["data"]["signUp"]["accessToken"].is_string(), "{body}");
    }
    let body = graphql_as(&app, "203.0.113.1", SIGN_UP, sign_up(2)).await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    let body = graphql_as(&app, "203.0.113.2", SIGN_UP, sign_up(3)).await;
    assert!(body["data"]["signUp"]["accessToken"].is_string(), "{body}");
}

/// A graphql-transport-ws socket that sent `connection_init` for `token` (no ack awaited).
async fn socket_init(app: &TestApp, token: &str) -> WsClient {
    let mut ws = app.ws_connect("graphql-transport-ws").await;
    ws.send_init(token).await;
    ws
}

#[tokio::test]
async fn a_user_cannot_hold_more_sockets_than_the_cap() {
    let app = spawn_app_with(|c| c.max_sockets_per_user = 3).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(app.socket(&alice).await);
    }
    let mut fourth = socket_init(&app, &alice.access_token).await;
    assert_eq!(fourth.expect_close().await, Some(4429));
    // Others are not affected.
    let _bob = app.socket(&bob).await;

    // Closing one frees its place.
    open.pop().expect("socket").close().await;
    let deadline = Instant::now() + WAIT;
    loop {
        let mut again = socket_init(&app, &alice.access_token).await;
        match again.next_frame().await {
            Frame::Json(v) if v["type"] == "connection_ack" => break,
            Frame::Close(Some(4429), _) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => panic!("expected an ack once a socket closed, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_socket_that_keeps_sending_past_its_message_rate_is_closed_with_1008() {
    let app = spawn_app_with(|c| {
        // A burst of two, then one a minute: nothing refills during the test.
        c.rate.messages_per_minute = 1;
        c.rate.message_burst = 2;
        c.ws_max_rate_limited = 3;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = app.socket(&alice).await;
    let send = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }";
    let (mut sent, mut limited) = (0, 0);
    for i in 0..20 {
        ws.subscribe(
            &format!("m{i}"),
            send,
            json!({ "input": { "roomId": room, "content": format!("flood {i}") } }),
        )
        .await;
        let frame = loop {
            match ws.next_frame().await {
                Frame::Json(v) if v["type"] == "ping" || v["type"] == "complete" => continue,
                other => break other,
            }
        };
        match frame {
            Frame::Json(v) if v["type"] == "next" => {
                if v["payload"]["errors"][0]["extensions"]["code"] == "RATE_LIMITED" {
                    limited += 1;
                } else {
                    assert!(v["payload"]["data"]["sendMessage"]["id"].is_string(), "{v}");
                    sent += 1;
                }
            }
            Frame::Close(code, reason) => {
                assert_eq!(code, Some(1008), "{reason}");
                assert_eq!(sent, 2, "the burst went through");
                assert!(limited >= 1, "RATE_LIMITED errors came first");
                return;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    panic!("never closed: {sent} sent, {limited} refused");
}

#[tokio::test]
async fn a_socket_flooding_subscribes_gets_rate_limited_then_closed_with_1008() {
    let app = spawn_app_with(|c| {
        c.ws_messages_per_second = 2;
        c.ws_max_rate_limited = 3;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let mut ws = app.socket(&alice).await;
    let burst: Vec<Value> = (0..12)
        .map(|i| json!({ "type": "subscribe", "id": format!("q{i}"), "payload": { "query": "{ me { email } }" } }))
        .collect();
    ws.send_burst(&burst).await;
    let mut limited = 0;
    loop {
        match ws.next_frame().await {
            Frame::Json(v) if v["type"] == "error" => {
                assert_eq!(v["payload"][0]["extensions"]["code"], "RATE_LIMITED", "{v}");
                limited += 1;
            }
            Frame::Json(_) => {}
            Frame::Close(code, reason) => {
                assert_eq!(code, Some(1008), "{reason}");
                assert!(limited >= 1);
                return;
            }
            Frame::Ended => panic!("ended without a close frame"),
        }
    }
}

#[tokio::test]
async fn an_unknown_websocket_subprotocol_is_refused_before_the_upgrade() {
    let app = spawn_app_with(|_| {}).await;
    let mut request = app.ws_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("mqtt"));
    match tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(request))
        .await
        .expect("answer in time")
    {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 400);
        }
        Ok(_) => panic!("upgraded a subprotocol the server does not speak"),
        Err(other) => panic!("handshake failed otherwise: {other}"),
    }
}

#[tokio::test]
async fn api_processes_sharing_redis_share_one_login_budget() {
    let limit = |c: &mut api::Config| c.rate.login_per_minute = 4;
    let a = spawn_app_with(limit).await;
    if a.redis.is_none() {
        eprintln!("TEST_REDIS_URL not set: skipping a multi-process test");
        return;
    }
    let b = a.spawn_sibling(limit).await;
    let alice = a.sign_up("alice").await;
    let wrong = log_in_vars(&alice.email, "wrong-guess");
    for app in [&a, &a, &b, &b] {
        let body = app.graphql(None, LOG_IN, wrong.clone()).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    }
    // Four attempts spent across both processes: the fifth is refused by either.
    for app in [&a, &b] {
        let body = app.graphql(None, LOG_IN, wrong.clone()).await;
        assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    }
}

/// Past `CHORUS_MAX_IN_FLIGHT` running requests the next one is refused at once (503, `Retry-After`,
/// UNAVAILABLE) instead of queueing; when the running one ends, requests are admitted again.
#[tokio::test]
async fn requests_beyond_the_in_flight_cap_are_shed_at_once() {
    let app = spawn_app_with(|c| c.max_in_flight = 1).await;
    let probe = || async {
        app.http
            .post(app.url("/graphql"))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap()
    };
    // A request whose body never completes holds the only slot.
    let mut held = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    held.write_all(
        b"POST /graphql HTTP/1.1\r\nHost: chorus\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    .await
    .unwrap();
    let mut shed = None;
    for _ in 0..100 {
        let response = probe().await;
        if response.status() == 503 {
            shed = Some(response);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let shed = shed.expect("the held request never took the slot");
    assert_eq!(shed.headers()["retry-after"], "1");
    let body: Value = shed.json().await.unwrap();
    assert_eq!(error_code(&body), Some("UNAVAILABLE"), "{body}");

    drop(held);
    let mut admitted = false;
    for _ in 0..100 {
        if probe().await.status() == 200 {
            admitted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        admitted,
        "the slot was not released when the held request ended"
    );
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("chorus_requests_shed_total ") && !l.ends_with(" 0")),
        "{metrics}"
    );
}
