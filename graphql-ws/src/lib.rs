//! A GraphQL over WebSocket server around async-graphql's executor, for axum's WebSocket.
//!
//! async-graphql's stock handler answers protocol errors with 1002/1011 instead of the graphql-ws close codes
//! (the reference client decides whether to reconnect from those), has no `connection_init` timeout, silently
//! replaces a duplicate subscription id and never pings, so half-open sockets linger. This crate speaks
//! `graphql-transport-ws` to the letter and the legacy `graphql-ws` (subscriptions-transport-ws) well enough for
//! Apollo's old client, and leaves authentication and execution to the application's [`Handler`] (typically
//! `connect` checks the `connection_init` payload and `execute` calls `Schema::execute_stream`).
//!
//! ```ignore
//! // In an axum handler, after `WebSocketUpgrade` negotiated one of `Protocol::NAMES`:
//! ws.on_upgrade(move |socket| graphql_ws::serve(socket, protocol, Arc::new(MyHandler), settings))
//! ```
//!
//! Layout:
//! - [`protocol`]: both wire formats, decoded into one [`protocol::ClientMessage`] and encoded from one
//!   [`protocol::ServerMessage`]; close codes.
//! - `connection`: the per-socket state machine (init, auth, operation table, keep-alive, token expiry).
//! - `operation`: one running operation, pumping its response stream into the writer.
//! - `writer`: the single task that owns the socket's sending half, fed through bounded channels.
//!
//! Extension points: [`Handler::connect`] may return any session type (hold a presence guard there and it
//! lives exactly as long as the acknowledged socket); [`Handler::execute`] is called once per `subscribe` and
//! may wrap or replace the executor's stream (share pre-serialised results as [`Reply::Serialized`], count
//! subscriptions, …). The only
//! convention shared with the application is the error code `RATE_LIMITED` in `extensions.code`, which counts
//! towards [`Settings::max_rate_limited`].

mod connection;
mod operation;
pub mod protocol;
#[cfg(test)]
mod tests;
mod writer;

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use async_graphql::{Request, Response};
use axum::body::Bytes;
use futures_util::stream::BoxStream;
use serde_json::Value;

pub use connection::serve;
pub use operation::RATE_LIMITED;
pub use protocol::{Close, Protocol};

/// Resolves when a session's credentials were revoked ([`Handler::revoked`]). `Sync` because the connection
/// holding it is borrowed across awaits.
pub type Revoked = std::pin::Pin<Box<dyn Future<Output = ()> + Send + Sync + 'static>>;

/// What the protocol layer needs from the application.
pub trait Handler: Send + Sync + 'static {
    /// Whatever an acknowledged connection keeps: at least the authenticated caller. Dropped when the socket
    /// ends, after every operation of the socket was cancelled.
    type Session: Send + Sync + 'static;

    /// Authenticates a `connection_init` payload (`None` when the client sent none). `Err` refuses the socket
    /// with 4403 (legacy: `connection_error` first). Other messages wait while this runs.
    fn connect(
        &self,
        payload: Option<Value>,
    ) -> impl Future<Output = Result<Self::Session, Rejection>> + Send;

    /// When the session's credentials stop being valid; the socket is closed with 4403 then, so the client
    /// reconnects with fresh ones. A session already expired at `connection_init` is refused.
    fn expires_at(&self, session: &Self::Session) -> Option<SystemTime>;

    /// Resolves when the session's credentials were revoked (log-out elsewhere): the socket is closed with
    /// 4403 then, as on expiry. Called once, after the ack.
    fn revoked(&self, _session: &Self::Session) -> Revoked {
        Box::pin(std::future::pending())
    }

    /// Starts one operation (`subscribe`/`start`). Queries and mutations yield one response, subscriptions
    /// many; a first response with request errors only (parse, validation) becomes an `error` message. The
    /// stream is dropped when the client completes the operation or the socket ends.
    fn execute(&self, session: &Self::Session, request: Request) -> BoxStream<'static, Reply>;
}

/// One result of an operation: a response to serialise, or one serialised already (the JSON of a whole
/// `Response`), which lets an application that sends the same result to many sockets serialise it once.
#[derive(Debug)]
pub enum Reply {
    Response(Response),
    Serialized(Bytes),
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        Reply::Response(response)
    }
}

/// Why [`Handler::connect`] refused a socket; the message goes to legacy clients in `connection_error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub message: Cow<'static, str>,
    /// The close code: 4403 (credentials) unless said otherwise.
    pub code: u16,
}

impl Rejection {
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
            code: protocol::close_code::FORBIDDEN,
        }
    }

    /// The credentials could not be checked right now: 1013 (try again later), which clients retry, unlike
    /// 4403.
    pub fn try_again_later(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
            code: 1013,
        }
    }

    /// The caller has too many sockets open already: 4429, which the graphql-ws client does not retry.
    pub fn too_many_connections() -> Self {
        Self {
            message: "Too many connections".into(),
            code: protocol::close_code::TOO_MANY_INITIALISATION_REQUESTS,
        }
    }
}

/// Timing and memory bounds of one socket.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `connection_init` must arrive within this, else 4408.
    pub init_timeout: Duration,
    /// Interval of server pings after the ack; zero disables pings and the idle check.
    pub keepalive: Duration,
    /// With pings on: a socket that sent nothing at all (not even a pong) for this long is closed.
    pub idle_timeout: Duration,
    /// Operations running at once on one socket; beyond it a `subscribe` gets an `error`.
    pub max_operations: usize,
    /// Result frames queued for the writer, shared by all operations of a socket. When full, operations wait
    /// (their streams are not polled), so a slow reader costs a bounded amount of memory.
    pub outbound_frames: usize,
    /// How long closing may wait for the client's close frame (and a stuck writer) before dropping the socket.
    pub close_timeout: Duration,
    /// Client messages per second a socket may send (a burst of twice as many passes); beyond it a
    /// `subscribe` is answered with a RATE_LIMITED `error`. Zero: unlimited.
    pub max_messages_per_second: u32,
    /// RATE_LIMITED answers (the above, or errors of the operations themselves with that code)
    /// a socket may collect before it is closed with 1008. Zero: never closed for it.
    pub max_rate_limited: u32,
    /// Turns true when the server shuts down: sockets then close with 1001 (going away), so clients reconnect
    /// to another process instead of seeing an abnormal closure.
    pub shutdown: Option<tokio::sync::watch::Receiver<bool>>,
}

impl Settings {
    pub fn new(init_timeout: Duration, keepalive: Duration) -> Self {
        Self {
            init_timeout,
            keepalive,
            // Two missed pings plus slack: a live client answers each one (browsers answer WebSocket pings
            // even in background tabs).
            idle_timeout: keepalive.saturating_mul(3),
            max_operations: 100,
            outbound_frames: 32,
            close_timeout: Duration::from_secs(3),
            max_messages_per_second: 0,
            max_rate_limited: 0,
            shutdown: None,
        }
    }
}

/// Limits to apply to the WebSocket itself when upgrading (axum's defaults allow 64 MiB messages and an
/// unbounded write buffer).
pub mod limits {
    /// Largest client message: an operation with its variables is a few KiB.
    pub const MAX_MESSAGE_SIZE: usize = 64 * 1024;
    pub const MAX_FRAME_SIZE: usize = 64 * 1024;
    /// The chunk each read asks the socket for, allocated per socket up front: clients send a few small
    /// messages (`subscribe`, `pong`), so a small chunk keeps idle sockets cheap; a larger message is read
    /// in several chunks.
    pub const READ_BUFFER_SIZE: usize = 4 * 1024;
    /// Outgoing bytes gathered before a write to the TCP stream (the buffer grows to this only while
    /// frames are waiting, so idle sockets do not hold it).
    pub const WRITE_BUFFER_SIZE: usize = 8 * 1024;
    /// Hard cap on buffered outgoing bytes: the writer waits on the socket before queueing more, so this only
    /// bounds one very large result on top of [`WRITE_BUFFER_SIZE`]; a larger one ends the socket.
    pub const MAX_WRITE_BUFFER_SIZE: usize = 4 * 1024 * 1024;
}
