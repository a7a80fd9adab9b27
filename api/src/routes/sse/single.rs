//! Single connection mode of `graphql-sse`: one event stream carries the results of many operations, each
//! started by its own request. For HTTP/1 browsers, which allow only six connections per host.
//!
//! `PUT` reserves a stream and answers its token (201). `GET` with the token opens it (once: a second `GET`
//! is 409). Each `POST` with the token and `extensions.operationId` starts an operation (202; a request error
//! is 400 with the errors, nothing started); its results arrive on the stream as `next` events
//! `{id, payload}` and a final `complete` `{id}`. `DELETE ?operationId=…` stops one. Closing the stream stops
//! every operation on it and forgets the reservation.
//!
//! Every one of these requests is authenticated like any other (`Authorization`), and a stream belongs to
//! whoever reserved it: the same user (or, for anonymous reservations, an anonymous caller from the same
//! address). Anyone else presenting the token is told the stream does not exist (404), so a leaked token
//! neither shows someone's results nor lets another user attach. Each operation runs as the caller of its
//! own `POST` and ends, like in distinct connections mode, when that caller's access token expires or session
//! is revoked; the stream itself ends when the session that opened it is revoked.
//!
//! The state lives in this process's memory, bounded: [`MAX_PER_OWNER`] streams per user (or anonymous
//! address), [`MAX_STREAMS`] in all, [`MAX_OPERATIONS`] running operations per stream, and a reservation not
//! opened within [`UNUSED_TTL`] is dropped. Behind a load balancer, the requests of one stream must reach the
//! same process (the token is unknown elsewhere: 404, and the client starts over).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::{FutureExt, StreamExt};
use schema::{Auth, Error};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use uuid::Uuid;

use super::{KEEP_ALIVE, serialise, watched};
use crate::auth::{Edge, WatchedEdge};
use crate::routes::graphql;
use crate::routes::negotiate::Media;
use crate::startup::AppState;

/// The header that carries the stream token (the protocol's; `?token=` works too).
pub const TOKEN_HEADER: &str = "x-graphql-event-stream-token";
/// Streams (reserved or open) one user, or one anonymous address, may hold in a process.
pub const MAX_PER_OWNER: usize = 8;
/// Streams one process holds at most.
pub const MAX_STREAMS: usize = 10_000;
/// Operations running at once on one stream.
pub const MAX_OPERATIONS: usize = 100;
/// A reservation not opened within this is dropped.
pub const UNUSED_TTL: Duration = Duration::from_secs(30);
/// Events waiting for a slow (or not yet connected) reader before operations wait in turn.
const BUFFER: usize = 64;

/// Whose stream it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    User(Uuid),
    Anonymous(Option<IpAddr>),
}

/// The caller as an owner; a caller with bad credentials gets no stream.
fn owner(edge: &Edge) -> Result<Owner, Error> {
    match edge.auth {
        Auth::Viewer(viewer) => Ok(Owner::User(viewer.user_id)),
        Auth::Anonymous => Ok(Owner::Anonymous(edge.client.0)),
        Auth::Invalid(reason) => Err(Error::Unauthenticated(reason)),
        Auth::Unavailable(reason) => Err(Error::Unavailable(reason)),
    }
}

/// The answer to a refused request (with `Retry-After` when retrying soon may work).
fn refuse(err: &Error) -> Response {
    let mut response = graphql::error_response(err);
    if matches!(err, Error::Unavailable(_)) {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// The streams of this process.
#[derive(Default)]
pub struct Streams {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    streams: HashMap<String, Stream>,
    /// Tells an operation from a later one that reuses its id.
    next_operation: u64,
}

struct Stream {
    owner: Owner,
    sender: mpsc::Sender<Event>,
    /// Taken by the `GET` that opens the stream.
    receiver: Option<mpsc::Receiver<Event>>,
    operations: HashMap<String, Operation>,
}

struct Operation {
    seq: u64,
    /// Set right after the operation's task is spawned.
    task: Option<AbortHandle>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        for operation in self.operations.values() {
            if let Some(task) = &operation.task {
                task.abort();
            }
        }
    }
}

impl Streams {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The caller's stream `token`, if it is theirs.
    fn owned<'a>(inner: &'a mut Inner, token: &str, owner: Owner) -> Option<&'a mut Stream> {
        inner.streams.get_mut(token).filter(|s| s.owner == owner)
    }

    /// Forgets a finished operation (unless its id was reused since).
    fn finish(&self, token: &str, id: &str, seq: u64) {
        let mut inner = self.lock();
        if let Some(stream) = inner.streams.get_mut(token)
            && stream.operations.get(id).is_some_and(|op| op.seq == seq)
        {
            stream.operations.remove(id);
        }
    }
}

/// `PUT`: a new stream for the caller, answered with its token (201, `text/plain`).
pub fn reserve(state: &AppState, caller: &Edge) -> Response {
    let owner = match owner(caller) {
        Ok(owner) => owner,
        Err(err) => return refuse(&err),
    };
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        return graphql::error_response(&Error::Unavailable("no randomness for a stream token"));
    }
    let token = URL_SAFE_NO_PAD.encode(bytes);
    {
        let mut inner = state.sse_streams.lock();
        if inner.streams.len() >= MAX_STREAMS {
            return refuse(&Error::Unavailable("too many event streams; retry later"));
        }
        let held = inner.streams.values().filter(|s| s.owner == owner).count();
        if held >= MAX_PER_OWNER {
            return graphql::error_response(&Error::RateLimited(
                "too many event streams: close one first",
            ));
        }
        let (sender, receiver) = mpsc::channel(BUFFER);
        inner.streams.insert(
            token.clone(),
            Stream {
                owner,
                sender,
                receiver: Some(receiver),
                operations: HashMap::new(),
            },
        );
    }
    let streams = state.sse_streams.clone();
    let expiring = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(UNUSED_TTL).await;
        let mut inner = streams.lock();
        if inner
            .streams
            .get(&expiring)
            .is_some_and(|s| s.receiver.is_some())
        {
            inner.streams.remove(&expiring);
        }
    });
    (
        StatusCode::CREATED,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        token,
    )
        .into_response()
}

/// Removes its stream when the `GET` that opened it ends (the client went away, or its session ended).
struct Opened {
    streams: Arc<Streams>,
    token: String,
}

impl Drop for Opened {
    fn drop(&mut self) {
        self.streams.lock().streams.remove(&self.token);
    }
}

/// `GET` with a token: the reserved stream's events, until the client leaves or the session that opened it
/// is revoked.
pub fn open(state: &AppState, caller: WatchedEdge, token: &str) -> Response {
    let owner = match owner(&caller.edge) {
        Ok(owner) => owner,
        Err(err) => return refuse(&err),
    };
    let mut receiver = {
        let mut inner = state.sse_streams.lock();
        let Some(stream) = Streams::owned(&mut inner, token, owner) else {
            return not_found();
        };
        let Some(receiver) = stream.receiver.take() else {
            return conflict("the stream is already open");
        };
        receiver
    };
    let opened = Opened {
        streams: state.sse_streams.clone(),
        token: token.to_owned(),
    };
    let watch = caller.watch;
    let events = async_stream::stream! {
        let _opened = opened;
        let revoked = match &watch {
            Some(watch) => watch.revoked().boxed(),
            None => std::future::pending().boxed(),
        };
        let mut revoked = std::pin::pin!(revoked);
        loop {
            tokio::select! {
                event = receiver.recv() => match event {
                    Some(event) => yield Ok::<_, std::convert::Infallible>(event),
                    None => return,
                },
                () = &mut revoked => return,
            }
        }
    };
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

/// `POST` with a token: starts the operation on the caller's stream (202), or refuses it: 404 for an unknown
/// stream, 400 without an operation id or when the request does not parse or validate, 409 for an id in use.
pub fn execute(
    state: &AppState,
    caller: WatchedEdge,
    token: &str,
    request: async_graphql::Request,
) -> Response {
    let owner = match owner(&caller.edge) {
        Ok(owner) => owner,
        Err(err) => return refuse(&err),
    };
    let id = match request.extensions.get("operationId") {
        Some(async_graphql::Value::String(id)) if !id.is_empty() => id.clone(),
        Some(async_graphql::Value::Number(id)) => id.to_string(),
        _ => {
            return graphql::bad_request(
                "single connection mode needs `extensions.operationId`".to_owned(),
            );
        }
    };
    let (sender, seq) = {
        let mut inner = state.sse_streams.lock();
        inner.next_operation += 1;
        let seq = inner.next_operation;
        let Some(stream) = Streams::owned(&mut inner, token, owner) else {
            return not_found();
        };
        if stream.operations.contains_key(&id) {
            return conflict("an operation with this id is running on the stream");
        }
        if stream.operations.len() >= MAX_OPERATIONS {
            return graphql::error_response(&Error::RateLimited(
                "too many operations on this stream",
            ));
        }
        stream
            .operations
            .insert(id.clone(), Operation { seq, task: None });
        (stream.sender.clone(), seq)
    };

    let WatchedEdge { edge, watch } = caller;
    let auth = edge.auth;
    let (mut responses, started) = super::execute(state, edge, request);
    // Parsing, validation and selecting the operation need no I/O: a request error is already there at the
    // first poll, and is answered like on `POST /graphql` instead of being streamed. (A subscription does not
    // pass through `Started`; its own errors name the field they come from.)
    let first = match responses.next().now_or_never() {
        Some(Some(response))
            if !started.get()
                && !response.errors.is_empty()
                && response.errors.iter().all(|e| e.path.is_empty()) =>
        {
            state.sse_streams.finish(token, &id, seq);
            return graphql::respond(response, false, Media::GraphQLResponse);
        }
        other => other,
    };
    let rest = match first {
        Some(None) => futures_util::stream::empty().boxed(),
        _ => responses,
    };
    let results = futures_util::stream::iter(first.flatten()).chain(rest);
    let mut results = watched(results.map(serialise).boxed(), auth, watch);

    let streams = state.sse_streams.clone();
    let (task_token, task_id) = (token.to_owned(), id.clone());
    let quoted = serde_json::to_string(&id).unwrap_or_default();
    let task = tokio::spawn(async move {
        while let Some(data) = results.next().await {
            let next = format!("{{\"id\":{quoted},\"payload\":{data}}}");
            if sender
                .send(Event::default().event("next").data(next))
                .await
                .is_err()
            {
                return;
            }
        }
        let complete = format!("{{\"id\":{quoted}}}");
        let _ = sender
            .send(Event::default().event("complete").data(complete))
            .await;
        streams.finish(&task_token, &task_id, seq);
    });
    let mut inner = state.sse_streams.lock();
    match inner
        .streams
        .get_mut(token)
        .and_then(|s| s.operations.get_mut(&id))
        .filter(|op| op.seq == seq)
    {
        Some(operation) => operation.task = Some(task.abort_handle()),
        // Stopped (or the stream closed) in the meantime.
        None => task.abort(),
    }
    StatusCode::ACCEPTED.into_response()
}

/// `DELETE ?operationId=…` with a token: stops the operation (200, also when it already ended).
pub fn stop(state: &AppState, caller: &Edge, token: &str, operation_id: Option<&str>) -> Response {
    let owner = match owner(caller) {
        Ok(owner) => owner,
        Err(err) => return refuse(&err),
    };
    let mut inner = state.sse_streams.lock();
    let Some(stream) = Streams::owned(&mut inner, token, owner) else {
        return not_found();
    };
    let Some(id) = operation_id else {
        return graphql::bad_request("`operationId` is missing".to_owned());
    };
    if let Some(operation) = stream.operations.remove(id)
        && let Some(task) = operation.task
    {
        task.abort();
    }
    StatusCode::OK.into_response()
}

/// The same answer for a token that was never issued, has expired, or is someone else's.
pub fn not_found() -> Response {
    graphql::error_response(&Error::NotFound("no such event stream"))
}

fn conflict(message: &str) -> Response {
    graphql::error_response(&Error::Conflict {
        field: None,
        message: message.to_owned(),
    })
}
