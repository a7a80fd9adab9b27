//! The state machine of one socket: `connection_init` within the timeout, authentication, the operation table,
//! keep-alive pings, the idle check and the token's expiry. Runs in the task axum hands the upgraded socket to;
//! it reads, the writer task writes.

use std::fmt::Display;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::ws::Message;
use futures_util::{Sink, Stream, StreamExt};
use tokio::time::{Instant, Interval, MissedTickBehavior};

use super::operation::{self, Operations, Strikes};
use super::protocol::{ClientMessage, Close, Protocol, ServerMessage};
use super::writer::Writer;
use super::{Handler, Rejection, Revoked, Settings};

/// Serves one upgraded socket until either side ends it.
pub async fn serve<S, E, H>(socket: S, protocol: Protocol, handler: Arc<H>, settings: Settings)
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Send + 'static,
    E: Display,
    H: Handler,
{
    let (sink, mut inbound) = socket.split();
    let mut writer = Writer::spawn(sink, settings.outbound_frames);
    let strikes = Arc::new(Strikes::default());
    let mut connection = Connection {
        protocol,
        operations: Operations::new(
            protocol,
            writer.operations.clone(),
            settings.max_operations,
            strikes.clone(),
        ),
        strikes,
        bucket: Bucket::new(settings.max_messages_per_second),
        control: writer.control.clone(),
        handler,
        session: None,
        init_deadline: after(settings.init_timeout),
        expires_at: None,
        revoked: None,
        keepalive: None,
        last_seen: Instant::now(),
        settings,
    };
    let end = connection.run(&mut inbound).await;
    let close_timeout = connection.settings.close_timeout;
    // Cancels every operation and drops the session (and whatever the handler tied to it) now, not after
    // the close handshake.
    drop(connection);

    match end {
        End::Close(close) => {
            tracing::debug!(code = close.code, reason = %close.reason, "closing WebSocket");
            writer.close(close);
            // Read until the client answers the close frame, so the TCP connection ends cleanly (closing with
            // unread input would reset it and could destroy the close frame in flight).
            let _ = tokio::time::timeout(close_timeout, drain(&mut inbound)).await;
        }
        End::ClosedByClient => {
            // Reading on lets tungstenite send its automatic reply to the client's close frame.
            let _ = tokio::time::timeout(close_timeout, drain(&mut inbound)).await;
        }
        End::Gone => {}
    }
    writer.finish(close_timeout).await;
}

/// Reads and discards until the client's close frame (the stream ends) or an error.
async fn drain<E>(inbound: &mut (impl Stream<Item = Result<Message, E>> + Unpin)) {
    while let Some(Ok(_)) = inbound.next().await {}
}

/// A client message over [`super::limits::MAX_MESSAGE_SIZE`] gets a 1009 close, which the graphql-ws client
/// does not retry (a plain disconnect would make it reconnect and resend the same message forever). Other read
/// errors (resets, protocol violations) leave nothing worth saying. axum hides tungstenite's error type, so
/// this goes by its message; the end-to-end test of the limit notices if that changes.
fn read_failed(error: &impl Display) -> End {
    if error.to_string().starts_with("Space limit exceeded") {
        End::Close(Close::message_too_big())
    } else {
        End::Gone
    }
}

/// How the read loop ended.
enum End {
    /// The server closes the socket with this code.
    Close(Close),
    /// The client sent a close frame.
    ClosedByClient,
    /// The socket broke or the writer stopped: nothing left to say.
    Gone,
}

struct Connection<H: Handler> {
    protocol: Protocol,
    handler: Arc<H>,
    settings: Settings,
    /// The writer's channel for the connection's own messages.
    control: tokio::sync::mpsc::Sender<Message>,
    operations: Operations,
    /// Set by a successful `connection_init`.
    session: Option<H::Session>,
    /// `None` when the configured timeout is too large to represent: never.
    init_deadline: Option<Instant>,
    expires_at: Option<Instant>,
    /// Resolves when the session is revoked (set at the ack).
    revoked: Option<Revoked>,
    keepalive: Option<Interval>,
    /// When the client last sent anything (including WebSocket pongs).
    last_seen: Instant,
    /// RATE_LIMITED answers so far.
    strikes: Arc<Strikes>,
    /// The socket's own message rate.
    bucket: Bucket,
}

/// A token bucket: `rate` messages per second, bursts of twice as many.
struct Bucket {
    rate: f64,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn new(per_second: u32) -> Self {
        let rate = f64::from(per_second);
        Self {
            rate,
            tokens: rate * 2.0,
            at: Instant::now(),
        }
    }

    /// Takes one token; `false` when the socket is over its rate. Always `true` when unlimited.
    fn take(&mut self) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.rate * 2.0);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl<H: Handler> Connection<H> {
    async fn run<E: Display>(
        &mut self,
        inbound: &mut (impl Stream<Item = Result<Message, E>> + Unpin),
    ) -> End {
        loop {
            let acknowledged = self.session.is_some();
            tokio::select! {
                // The client's messages before the operations' news: a `subscribe` that arrives while an
                // operation with the same id is still listed is a duplicate, whatever the timing (see
                // `operation`).
                biased;
                frame = inbound.next() => match frame {
                    Some(Ok(message)) => {
                        self.last_seen = Instant::now();
                        if let Some(end) = self.on_message(message).await {
                            return end;
                        }
                    }
                    Some(Err(error)) => {
                        tracing::debug!(%error, "WebSocket read failed");
                        return read_failed(&error);
                    }
                    None => return End::Gone,
                },
                finished = self.operations.next_finished() => self.operations.finish(finished),
                () = sleep_until(self.init_deadline), if !acknowledged => {
                    return End::Close(Close::init_timeout());
                }
                () = sleep_until(self.expires_at) => return End::Close(Close::token_expired()),
                () = revoked(&mut self.revoked) => return End::Close(Close::session_revoked()),
                () = shutting_down(&mut self.settings.shutdown) => return End::Close(Close::shutting_down()),
                () = self.strikes.added() => {
                    let max = self.settings.max_rate_limited;
                    if max > 0 && self.strikes.count() >= max {
                        return End::Close(Close::rate_limited());
                    }
                }
                () = tick(&mut self.keepalive) => {
                    if self.last_seen.elapsed() >= self.settings.idle_timeout {
                        return End::Close(Close::keepalive_timeout());
                    }
                    self.ping();
                }
            }
        }
    }

    async fn on_message(&mut self, message: Message) -> Option<End> {
        let text = match &message {
            Message::Text(text) => text.as_str(),
            // Both protocols are JSON text; tolerate clients that send it in binary frames.
            Message::Binary(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    return Some(End::Close(Close::bad_request(
                        "Invalid message received: binary frame is not UTF-8",
                    )));
                }
            },
            // tungstenite answers pings itself; both only count as signs of life.
            Message::Ping(_) | Message::Pong(_) => return None,
            Message::Close(_) => return Some(End::ClosedByClient),
        };
        let message = match self.protocol.decode(text) {
            Ok(message) => message,
            Err(close) => return Some(End::Close(close)),
        };
        match message {
            ClientMessage::Init { payload } => self.on_init(payload).await,
            ClientMessage::Subscribe { id, request } => {
                if !self.bucket.take() {
                    self.strikes.hit();
                    let errors =
                        operation::rate_limited("too many messages on this connection; slow down");
                    return self
                        .send(&ServerMessage::Error {
                            id: &id,
                            errors: &errors,
                        })
                        .await;
                }
                self.on_subscribe(id, *request).await
            }
            ClientMessage::Complete { id } => {
                let was_running = self.operations.cancel(&id);
                // The legacy protocol confirms a `stop`, graphql-transport-ws expects silence.
                if was_running && self.protocol == Protocol::Legacy {
                    return self.send(&ServerMessage::Complete { id: &id }).await;
                }
                None
            }
            ClientMessage::Ping { payload } => {
                if !self.bucket.take() {
                    // A ping flood gets no answers, and counts against the socket.
                    self.strikes.hit();
                    return None;
                }
                self.send(&ServerMessage::Pong {
                    payload: payload.as_ref(),
                })
                .await
            }
            ClientMessage::Pong => None,
            ClientMessage::Terminate => Some(End::Close(Close::normal())),
        }
    }

    async fn on_init(&mut self, payload: Option<serde_json::Value>) -> Option<End> {
        if self.session.is_some() {
            return Some(End::Close(Close::too_many_inits()));
        }
        let refused = match self.handler.connect(payload).await {
            Ok(session) => {
                let expires_at = self.handler.expires_at(&session).and_then(deadline);
                if expires_at.is_none_or(|at| at > Instant::now()) {
                    return self.acknowledge(session, expires_at).await;
                }
                Rejection::new("access token expired")
            }
            Err(rejection) => rejection,
        };
        tracing::debug!(reason = %refused.message, code = refused.code, "WebSocket connection_init refused");
        if self.protocol == Protocol::Legacy {
            let error = ServerMessage::ConnectionError {
                message: &refused.message,
            };
            if let Some(end) = self.send(&error).await {
                return Some(end);
            }
        }
        Some(End::Close(if refused.code == Close::forbidden().code {
            Close::forbidden()
        } else {
            Close::new(refused.code, refused.message)
        }))
    }

    async fn acknowledge(
        &mut self,
        session: H::Session,
        expires_at: Option<Instant>,
    ) -> Option<End> {
        self.revoked = Some(self.handler.revoked(&session));
        self.session = Some(session);
        self.expires_at = expires_at;
        if let Some(end) = self.send(&ServerMessage::ConnectionAck).await {
            return Some(end);
        }
        if self.protocol == Protocol::Legacy {
            // Apollo's legacy client starts its keep-alive timer on the first `ka`.
            if let Some(end) = self.send(&ServerMessage::KeepAlive).await {
                return Some(end);
            }
        }
        let period = self.settings.keepalive;
        if let Some(first) = after(period).filter(|_| !period.is_zero()) {
            let mut interval = tokio::time::interval_at(first, period);
            interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
            self.keepalive = Some(interval);
        }
        None
    }

    async fn on_subscribe(&mut self, id: String, request: async_graphql::Request) -> Option<End> {
        let Some(session) = &self.session else {
            return Some(End::Close(Close::unauthorized()));
        };
        if self.operations.contains(&id) {
            match self.protocol {
                Protocol::TransportWs => return Some(End::Close(Close::subscriber_exists(&id))),
                // subscriptions-transport-ws replaces the running operation; its clients rely on that.
                Protocol::Legacy => {
                    self.operations.cancel(&id);
                }
            }
        }
        if self.operations.len() >= self.settings.max_operations {
            let errors = operation::refusal("too many operations on this connection");
            return self
                .send(&ServerMessage::Error {
                    id: &id,
                    errors: &errors,
                })
                .await;
        }
        let stream = self.handler.execute(session, request);
        self.operations.start(id, stream);
        None
    }

    /// Keep-alive: a WebSocket ping, which browsers and tungstenite answer by themselves (legacy clients never
    /// answer `ka`), plus the protocol's own message, which the graphql-ws client answers with a `pong`.
    fn ping(&self) {
        let message = match self.protocol {
            Protocol::TransportWs => ServerMessage::Ping,
            Protocol::Legacy => ServerMessage::KeepAlive,
        };
        // A full channel means the client is not reading: more pings would not reach it either.
        let _ = self.control.try_send(Message::Ping(Bytes::new()));
        let _ = self
            .control
            .try_send(Message::Text(self.protocol.encode(&message).into()));
    }

    /// Queues one of the connection's own messages. While the client sends without reading, this waits (and
    /// so stops reading from it in turn), but not past the init timeout or the token's expiry nor, with
    /// keep-alive on, for longer than a silent client would be given.
    async fn send(&self, message: &ServerMessage<'_>) -> Option<End> {
        let text = self.protocol.encode(message);
        let stalled = after(self.settings.idle_timeout).filter(|_| self.keepalive.is_some());
        tokio::select! {
            sent = self.control.send(Message::Text(text.into())) => sent.err().map(|_| End::Gone),
            () = sleep_until(self.init_deadline), if self.session.is_none() => {
                Some(End::Close(Close::init_timeout()))
            }
            () = sleep_until(self.expires_at) => Some(End::Close(Close::token_expired())),
            () = sleep_until(stalled) => Some(End::Close(Close::not_reading())),
        }
    }
}

/// Resolves once the server starts shutting down (never without a shutdown signal).
async fn shutting_down(signal: &mut Option<tokio::sync::watch::Receiver<bool>>) {
    match signal {
        Some(rx) => {
            if rx.wait_for(|stopping| *stopping).await.is_err() {
                // The sender is gone without a shutdown: nothing will ever come.
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending::<()>().await,
    }
}

/// Converts a wall-clock expiry into the runtime's clock (`None`: too far away to represent).
fn deadline(at: SystemTime) -> Option<Instant> {
    match at.duration_since(SystemTime::now()) {
        Ok(left) => after(left),
        Err(_) => Some(Instant::now()),
    }
}

/// `Instant + Duration` panics on overflow; configured durations may be absurdly large.
fn after(duration: std::time::Duration) -> Option<Instant> {
    Instant::now().checked_add(duration)
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

async fn revoked(revoked: &mut Option<Revoked>) {
    match revoked {
        Some(revoked) => revoked.await,
        None => std::future::pending().await,
    }
}

async fn tick(interval: &mut Option<Interval>) {
    match interval {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}
