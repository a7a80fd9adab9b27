//! The protocol layer against an in-memory socket and a fake [`Handler`]: operations that keep running,
//! cancellation, back-pressure, keep-alive timing, close codes.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use async_graphql::{Request, Response, ServerError, Value};
use axum::body::Bytes;
use axum::extract::ws::Message;
use futures_util::stream::{self, BoxStream};
use futures_util::{Sink, Stream, StreamExt};
use serde_json::json;
use tokio::sync::{Notify, mpsc};

use super::protocol::close_code;
use super::{Handler, Protocol, Rejection, Reply, Settings, serve};

const WAIT: Duration = Duration::from_secs(5);

/// Accepts `{"token": "good"}` (no expiry) and `{"token": "short"}` (expires in 300 ms). Runs operations by
/// their query text: `one` yields one result, `pending` never ends, `endless` yields results as fast as they
/// are taken, `invalid` fails like a validation error.
#[derive(Default)]
struct FakeHandler {
    /// Streams of `pending` operations dropped so far.
    dropped: Arc<AtomicUsize>,
    /// Results `endless` operations produced so far.
    produced: Arc<AtomicUsize>,
}

struct FakeSession {
    expires_at: Option<SystemTime>,
}

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Handler for FakeHandler {
    type Session = FakeSession;

    async fn connect(&self, payload: Option<serde_json::Value>) -> Result<FakeSession, Rejection> {
        match payload.as_ref().and_then(|p| p["token"].as_str()) {
            Some("good") => Ok(FakeSession { expires_at: None }),
            Some("short") => Ok(FakeSession {
                expires_at: Some(SystemTime::now() + Duration::from_millis(300)),
            }),
            Some("expired") => Ok(FakeSession {
                expires_at: Some(SystemTime::now() - Duration::from_secs(1)),
            }),
            _ => Err(Rejection::new("no entry")),
        }
    }

    fn expires_at(&self, session: &FakeSession) -> Option<SystemTime> {
        session.expires_at
    }

    fn execute(&self, _: &FakeSession, request: Request) -> BoxStream<'static, Reply> {
        if request.query == "serialised" {
            let payload = Bytes::from_static(br#"{"data":{"shared":true}}"#);
            return stream::iter([Reply::Serialized(payload)]).boxed();
        }
        self.responses(request).map(Reply::from).boxed()
    }
}

impl FakeHandler {
    fn responses(&self, request: Request) -> BoxStream<'static, Response> {
        match request.query.as_str() {
            "one" => stream::iter([Response::new(Value::from(1))]).boxed(),
            "pending" => {
                let guard = DropCounter(self.dropped.clone());
                stream::pending()
                    .map(move |response: Response| {
                        let _ = &guard;
                        response
                    })
                    .boxed()
            }
            "endless" => {
                let produced = self.produced.clone();
                stream::repeat_with(move || {
                    produced.fetch_add(1, Ordering::SeqCst);
                    Response::new(Value::from(1))
                })
                .boxed()
            }
            _ => stream::iter([Response::from_errors(vec![ServerError::new(
                "Unknown field",
                None,
            )])])
            .boxed(),
        }
    }
}

/// What the server wrote, and a switch that makes its writes block like a client that stopped reading.
#[derive(Default)]
struct Wire {
    sent: Mutex<VecDeque<Message>>,
    arrived: Notify,
    blocked: AtomicBool,
    unblocked: Mutex<Option<Waker>>,
}

/// The server's end of the in-memory socket.
struct ServerEnd {
    inbound: mpsc::UnboundedReceiver<Message>,
    wire: Arc<Wire>,
}

impl Stream for ServerEnd {
    type Item = Result<Message, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inbound.poll_recv(cx).map(|m| m.map(Ok))
    }
}

impl ServerEnd {
    fn poll_writable(&self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        if self.wire.blocked.load(Ordering::SeqCst) {
            *self.wire.unblocked.lock().unwrap() = Some(cx.waker().clone());
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    }
}

impl Sink<Message> for ServerEnd {
    type Error = Infallible;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.poll_writable(cx)
    }

    fn start_send(self: Pin<&mut Self>, message: Message) -> Result<(), Infallible> {
        self.wire.sent.lock().unwrap().push_back(message);
        self.wire.arrived.notify_one();
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.poll_writable(cx)
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
}

struct Client {
    to_server: Option<mpsc::UnboundedSender<Message>>,
    wire: Arc<Wire>,
    handler: Arc<FakeHandler>,
}

fn settings() -> Settings {
    Settings {
        keepalive: Duration::ZERO,
        close_timeout: Duration::from_millis(100),
        ..Settings::new(WAIT, Duration::ZERO)
    }
}

fn connect(protocol: Protocol, settings: Settings) -> Client {
    let (to_server, inbound) = mpsc::unbounded_channel();
    let wire = Arc::new(Wire::default());
    let handler = Arc::new(FakeHandler::default());
    let socket = ServerEnd {
        inbound,
        wire: wire.clone(),
    };
    tokio::spawn(serve(socket, protocol, handler.clone(), settings));
    Client {
        to_server: Some(to_server),
        wire,
        handler,
    }
}

impl Client {
    fn send(&self, value: serde_json::Value) {
        let sender = self.to_server.as_ref().expect("client still connected");
        let _ = sender.send(Message::Text(value.to_string().into()));
    }

    /// The client goes away without a close frame.
    fn disconnect(&mut self) {
        self.to_server = None;
    }

    fn block_writes(&self, blocked: bool) {
        self.wire.blocked.store(blocked, Ordering::SeqCst);
        if !blocked && let Some(waker) = self.wire.unblocked.lock().unwrap().take() {
            waker.wake();
        }
    }

    async fn next_message(&self) -> Option<Message> {
        let wait = async {
            loop {
                if let Some(message) = self.wire.sent.lock().unwrap().pop_front() {
                    return message;
                }
                self.wire.arrived.notified().await;
            }
        };
        tokio::time::timeout(WAIT, wait).await.ok()
    }

    /// The next text frame as JSON, skipping WebSocket pings.
    async fn next_json(&self) -> serde_json::Value {
        loop {
            match self.next_message().await.expect("a frame in time") {
                Message::Text(text) => return serde_json::from_str(text.as_str()).expect("json"),
                Message::Ping(_) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    async fn expect_close(&self) -> u16 {
        loop {
            match self.next_message().await.expect("a close frame in time") {
                Message::Close(Some(frame)) => return frame.code,
                Message::Close(None) => panic!("close frame without a code"),
                _ => continue,
            }
        }
    }

    async fn expect_nothing_for(&self, wait: Duration) {
        tokio::time::sleep(wait).await;
        let sent = self.wire.sent.lock().unwrap();
        assert!(sent.is_empty(), "unexpected frames: {sent:?}");
    }

    async fn init(&self) {
        self.send(json!({ "type": "connection_init", "payload": { "token": "good" } }));
        assert_eq!(self.next_json().await["type"], "connection_ack");
    }

    fn subscribe(&self, id: &str, query: &str) {
        self.send(json!({ "type": "subscribe", "id": id, "payload": { "query": query } }));
    }

    async fn eventually(&self, what: &str, condition: impl Fn(&FakeHandler) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !condition(&self.handler) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

#[tokio::test]
async fn a_duplicate_id_of_a_running_operation_closes_with_4409() {
    let client = connect(Protocol::TransportWs, settings());
    client.init().await;
    client.subscribe("a", "pending");
    client.subscribe("b", "pending");
    client.subscribe("a", "one");
    assert_eq!(
        client.expect_close().await,
        close_code::SUBSCRIBER_ALREADY_EXISTS
    );
    // Closing ends every operation of the socket.
    client
        .eventually("both streams dropped", |h| {
            h.dropped.load(Ordering::SeqCst) == 2
        })
        .await;
}

#[tokio::test]
async fn complete_from_the_client_drops_the_stream_silently_and_frees_the_id() {
    let client = connect(Protocol::TransportWs, settings());
    client.init().await;
    client.subscribe("a", "pending");
    client.send(json!({ "type": "complete", "id": "a" }));
    client
        .eventually("the stream dropped", |h| {
            h.dropped.load(Ordering::SeqCst) == 1
        })
        .await;
    client.expect_nothing_for(Duration::from_millis(100)).await;

    client.subscribe("a", "one");
    assert_eq!(
        client.next_json().await,
        json!({ "id": "a", "type": "next", "payload": { "data": 1 } })
    );
    assert_eq!(
        client.next_json().await,
        json!({ "id": "a", "type": "complete" })
    );
}

#[tokio::test]
async fn a_serialised_result_is_sent_as_a_next_of_the_operation() {
    let client = connect(Protocol::TransportWs, settings());
    client.init().await;
    client.subscribe("s", "serialised");
    assert_eq!(
        client.next_json().await,
        json!({ "id": "s", "type": "next", "payload": { "data": { "shared": true } } })
    );
    assert_eq!(
        client.next_json().await,
        json!({ "id": "s", "type": "complete" })
    );
}

#[tokio::test]
async fn an_id_is_free_again_once_its_complete_was_sent() {
    let client = connect(Protocol::TransportWs, settings());
    client.init().await;
    for _ in 0..20 {
        client.subscribe("same", "one");
        assert_eq!(client.next_json().await["type"], "next");
        assert_eq!(client.next_json().await["type"], "complete");
    }
}

#[tokio::test]
async fn a_request_error_is_an_error_message_without_complete() {
    let client = connect(Protocol::TransportWs, settings());
    client.init().await;
    client.subscribe("a", "invalid");
    let error = client.next_json().await;
    assert_eq!(error["type"], "error");
    assert_eq!(error["id"], "a");
    assert_eq!(error["payload"][0]["message"], "Unknown field");
    client.expect_nothing_for(Duration::from_millis(100)).await;
}

#[tokio::test]
async fn legacy_stop_is_confirmed_and_a_reused_id_replaces_the_running_operation() {
    let client = connect(Protocol::Legacy, settings());
    client.send(json!({ "type": "connection_init", "payload": { "token": "good" } }));
    assert_eq!(client.next_json().await["type"], "connection_ack");
    assert_eq!(client.next_json().await["type"], "ka");

    let start =
        |id: &str, query: &str| json!({ "type": "start", "id": id, "payload": { "query": query } });
    client.send(start("1", "pending"));
    client.send(start("1", "one"));
    client
        .eventually("the replaced stream dropped", |h| {
            h.dropped.load(Ordering::SeqCst) == 1
        })
        .await;
    assert_eq!(
        client.next_json().await,
        json!({ "id": "1", "type": "data", "payload": { "data": 1 } })
    );
    assert_eq!(
        client.next_json().await,
        json!({ "id": "1", "type": "complete" })
    );

    client.send(start("2", "pending"));
    client.send(json!({ "type": "stop", "id": "2" }));
    assert_eq!(
        client.next_json().await,
        json!({ "id": "2", "type": "complete" })
    );
    client.send(json!({ "type": "connection_terminate" }));
    assert_eq!(client.expect_close().await, close_code::NORMAL);
}

#[tokio::test]
async fn a_client_that_stops_reading_stops_the_operation_instead_of_buffering() {
    let settings = settings();
    let buffered = settings.outbound_frames;
    let client = connect(Protocol::TransportWs, settings);
    client.init().await;
    client.block_writes(true);
    client.subscribe("a", "endless");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let produced = client.handler.produced.load(Ordering::SeqCst);
    // The channel, the frame waiting to enter it and the one the writer holds.
    assert!(
        produced <= buffered + 3,
        "{produced} results produced for a blocked socket"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(client.handler.produced.load(Ordering::SeqCst), produced);

    client.block_writes(false);
    client.wire.sent.lock().unwrap().clear();
    client
        .eventually("production to resume", |h| {
            h.produced.load(Ordering::SeqCst) > produced + 100
        })
        .await;
}

#[tokio::test]
async fn a_client_that_sends_without_reading_is_dropped() {
    let settings = Settings {
        close_timeout: Duration::from_millis(100),
        ..Settings::new(WAIT, Duration::from_millis(50))
    };
    let client = connect(Protocol::TransportWs, settings);
    client.init().await;
    client.block_writes(true);
    // Each ping needs a pong: the connection's queue fills and it stops reading, then gives up.
    for _ in 0..100 {
        client.send(json!({ "type": "ping" }));
    }
    let to_server = client.to_server.as_ref().unwrap();
    tokio::time::timeout(WAIT, to_server.closed())
        .await
        .expect("the server dropped the socket");
}

#[tokio::test]
async fn an_expiring_session_is_closed_with_4403() {
    let client = connect(Protocol::TransportWs, settings());
    client.send(json!({ "type": "connection_init", "payload": { "token": "short" } }));
    assert_eq!(client.next_json().await["type"], "connection_ack");
    client.subscribe("a", "pending");
    assert_eq!(client.expect_close().await, close_code::FORBIDDEN);
    client
        .eventually("the stream dropped", |h| {
            h.dropped.load(Ordering::SeqCst) == 1
        })
        .await;
}

#[tokio::test]
async fn a_session_already_expired_is_refused() {
    let client = connect(Protocol::TransportWs, settings());
    client.send(json!({ "type": "connection_init", "payload": { "token": "expired" } }));
    assert_eq!(client.expect_close().await, close_code::FORBIDDEN);
}

#[tokio::test]
async fn a_silent_client_is_pinged_then_closed() {
    let settings = Settings {
        close_timeout: Duration::from_millis(100),
        ..Settings::new(WAIT, Duration::from_millis(50))
    };
    let client = connect(Protocol::TransportWs, settings);
    client.init().await;
    let mut ws_pings = 0;
    let mut pings = 0;
    let code = loop {
        match client.next_message().await.expect("frames in time") {
            Message::Ping(_) => ws_pings += 1,
            Message::Text(text) => {
                let value: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                assert_eq!(value, json!({ "type": "ping" }));
                pings += 1;
            }
            Message::Close(Some(frame)) => break frame.code,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(code, close_code::GOING_AWAY);
    assert!(
        ws_pings >= 2 && pings >= 2,
        "{ws_pings} WebSocket pings, {pings} pings"
    );
}

#[tokio::test]
async fn a_client_that_answers_pings_stays_connected() {
    let settings = Settings {
        close_timeout: Duration::from_millis(100),
        ..Settings::new(WAIT, Duration::from_millis(50))
    };
    let client = connect(Protocol::TransportWs, settings);
    client.init().await;
    let until = tokio::time::Instant::now() + Duration::from_millis(400);
    while tokio::time::Instant::now() < until {
        match client.next_message().await.expect("pings in time") {
            Message::Ping(_) => {}
            Message::Text(text) => {
                assert_eq!(text.as_str(), r#"{"type":"ping"}"#);
                client.send(json!({ "type": "pong" }));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn operations_beyond_the_limit_are_refused_with_an_error() {
    let settings = Settings {
        max_operations: 2,
        ..settings()
    };
    let client = connect(Protocol::TransportWs, settings);
    client.init().await;
    client.subscribe("a", "pending");
    client.subscribe("b", "pending");
    client.subscribe("c", "pending");
    let error = client.next_json().await;
    assert_eq!(error["type"], "error");
    assert_eq!(error["id"], "c");
}

#[tokio::test]
async fn a_client_that_goes_away_leaves_no_operation_running() {
    let mut client = connect(Protocol::TransportWs, settings());
    client.init().await;
    client.subscribe("a", "pending");
    client.subscribe("b", "pending");
    tokio::time::sleep(Duration::from_millis(20)).await;
    client.disconnect();
    client
        .eventually("both streams dropped", |h| {
            h.dropped.load(Ordering::SeqCst) == 2
        })
        .await;
}

#[tokio::test]
async fn a_ping_is_answered_before_and_after_the_ack() {
    let client = connect(Protocol::TransportWs, settings());
    client.send(json!({ "type": "ping", "payload": { "n": 1 } }));
    assert_eq!(
        client.next_json().await,
        json!({ "type": "pong", "payload": { "n": 1 } })
    );
    client.init().await;
    client.send(json!({ "type": "ping" }));
    assert_eq!(client.next_json().await, json!({ "type": "pong" }));
}
