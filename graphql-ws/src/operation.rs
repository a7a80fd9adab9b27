//! One running operation (`subscribe`/`start`) and the table of those running on a socket.
//!
//! Each operation runs in its own task, serialises its results there (not in the writer) and pushes them into
//! the writer's bounded channel, so a slow reader stops the operation's stream from being polled instead of
//! buffering results.
//!
//! Only the connection task adds to and removes from the table. An operation whose stream has ended asks the
//! connection to remove it and sends its final `complete`/`error` only once removed. Hence (as in the
//! graphql-ws reference server) an id is free again before the client can see that final message, and a
//! duplicate `subscribe` arriving while the operation is still listed is always a 4409, never a race.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use async_graphql::{ErrorExtensionValues, Response, ServerError};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::AbortHandle;

use super::Reply;
use super::protocol::{Protocol, ServerMessage};
use super::writer::{OperationFrame, OperationState};

/// An operation whose stream has ended, asking to be removed from the table.
pub(crate) struct Finished {
    pub(crate) id: String,
    pub(crate) key: u64,
    /// Answered once the operation is removed; dropped if the client cancelled it meanwhile.
    pub(crate) removed: oneshot::Sender<()>,
}

/// RATE_LIMITED answers a socket collected, from its operations and from the connection itself.
#[derive(Debug, Default)]
pub(crate) struct Strikes {
    count: AtomicU32,
    added: Notify,
}

impl Strikes {
    pub(crate) fn hit(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.added.notify_one();
    }

    pub(crate) fn count(&self) -> u32 {
        self.count.load(Ordering::Relaxed)
    }

    /// Resolves after the next [`Self::hit`] (or at once if one happened since the last call).
    pub(crate) async fn added(&self) {
        self.added.notified().await;
    }
}

/// The operations running on one socket, by client-chosen id.
pub(crate) struct Operations {
    protocol: Protocol,
    strikes: Arc<Strikes>,
    frames: mpsc::Sender<OperationFrame>,
    finished: mpsc::Sender<Finished>,
    finished_rx: mpsc::Receiver<Finished>,
    running: HashMap<String, Running>,
    /// Tells apart two operations that used the same id one after the other.
    next_key: u64,
}

struct Running {
    key: u64,
    state: Arc<OperationState>,
    task: AbortHandle,
}

impl Operations {
    /// `frames` is the writer's channel for results; `max` the most operations that will run at once.
    pub(crate) fn new(
        protocol: Protocol,
        frames: mpsc::Sender<OperationFrame>,
        max: usize,
        strikes: Arc<Strikes>,
    ) -> Self {
        // Each operation asks once, so with room for all of them asking hardly ever waits (only when a
        // cancelled operation asked just before it was aborted); the connection drains it in any case.
        let (finished, finished_rx) = mpsc::channel(max.max(1));
        Self {
            protocol,
            strikes,
            frames,
            finished,
            finished_rx,
            running: HashMap::new(),
            next_key: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.running.len()
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.running.contains_key(id)
    }

    /// Starts `stream` as operation `id`; the caller has checked that `id` is free.
    pub(crate) fn start(&mut self, id: String, stream: BoxStream<'static, Reply>) {
        self.next_key += 1;
        let key = self.next_key;
        let state = Arc::new(OperationState::default());
        let output = Output {
            protocol: self.protocol,
            id: id.clone(),
            frames: self.frames.clone(),
            state: state.clone(),
            strikes: self.strikes.clone(),
        };
        let task = tokio::spawn(run(output, key, stream, self.finished.clone())).abort_handle();
        self.running.insert(id, Running { key, state, task });
    }

    /// The client no longer wants `id`: stop its task (dropping its stream) and withdraw its queued frames.
    /// Returns whether it was running.
    pub(crate) fn cancel(&mut self, id: &str) -> bool {
        match self.running.remove(id) {
            Some(running) => {
                running.stop();
                true
            }
            None => false,
        }
    }

    /// The next operation whose stream has ended. Never resolves while none has.
    pub(crate) async fn next_finished(&mut self) -> Finished {
        match self.finished_rx.recv().await {
            Some(finished) => finished,
            // Unreachable: `self.finished` keeps the channel open.
            None => std::future::pending().await,
        }
    }

    /// Removes an operation that ended by itself, unless it was cancelled (or its id reused) meanwhile.
    pub(crate) fn finish(&mut self, finished: Finished) {
        if self
            .running
            .get(&finished.id)
            .is_some_and(|running| running.key == finished.key)
        {
            self.running.remove(&finished.id);
            let _ = finished.removed.send(());
        }
    }

    pub(crate) fn cancel_all(&mut self) {
        for (_, running) in self.running.drain() {
            running.stop();
        }
    }
}

impl Running {
    fn stop(self) {
        self.state.cancel();
        self.task.abort();
    }
}

impl Drop for Operations {
    fn drop(&mut self) {
        self.cancel_all();
    }
}

/// Where an operation's frames go.
struct Output {
    protocol: Protocol,
    id: String,
    frames: mpsc::Sender<OperationFrame>,
    state: Arc<OperationState>,
    strikes: Arc<Strikes>,
}

impl Output {
    /// Queues one frame, waiting while the writer's channel is full. `false`: the socket is gone.
    async fn send(&self, message: &ServerMessage<'_>) -> bool {
        let frame = OperationFrame {
            text: self.protocol.encode(message),
            state: self.state.clone(),
        };
        self.frames.send(frame).await.is_ok()
    }
}

/// How an operation ended by itself.
enum End {
    Complete,
    /// Request errors: the operation never executed.
    Error(Vec<ServerError>),
}

async fn run(
    output: Output,
    key: u64,
    mut stream: BoxStream<'static, Reply>,
    finished: mpsc::Sender<Finished>,
) {
    let id = output.id.as_str();
    let mut first = true;
    let end = loop {
        let response = match stream.next().await {
            None => break End::Complete,
            Some(Reply::Response(response)) => response,
            Some(Reply::Serialized(payload)) => {
                first = false;
                // Only a `Response` serialised by the application comes here, which is JSON, so UTF-8.
                let Ok(payload) = std::str::from_utf8(&payload) else {
                    tracing::error!(id, "a serialised result is not UTF-8: dropped");
                    continue;
                };
                if !output
                    .send(&ServerMessage::NextSerialized { id, payload })
                    .await
                {
                    return;
                }
                continue;
            }
        };
        if std::mem::take(&mut first) && is_request_error(&response) {
            break End::Error(response.errors);
        }
        let next = ServerMessage::Next {
            id,
            payload: &response,
        };
        if !output.send(&next).await {
            return;
        }
        if is_rate_limited(&response) {
            output.strikes.hit();
        }
    };
    // Release what the stream holds (bus subscriptions, …) before waiting on the connection.
    drop(stream);

    let (removed, was_removed) = oneshot::channel();
    let request = Finished {
        id: id.to_owned(),
        key,
        removed,
    };
    if finished.send(request).await.is_err() || was_removed.await.is_err() {
        // The socket ended, or the client completed the operation first: it expects nothing more.
        return;
    }
    let last = match &end {
        End::Complete => ServerMessage::Complete { id },
        End::Error(errors) => ServerMessage::Error { id, errors },
    };
    output.send(&last).await;
}

/// async-graphql reports a request that failed before execution (syntax, validation, limits) as a stream of a
/// single response without data whose errors point at no field. Errors raised while executing carry a
/// `path`, and those results are sent as `next` like the spec asks.
fn is_request_error(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// The `error` payload for a `subscribe` refused without running.
pub(crate) fn refusal(message: &str) -> Vec<ServerError> {
    vec![ServerError::new(message, None)]
}

/// The `extensions.code` of errors that count towards [`crate::Settings::max_rate_limited`], and of the
/// engine's own refusals over [`crate::Settings::max_messages_per_second`].
pub const RATE_LIMITED: &str = "RATE_LIMITED";

/// The `error` payload for a `subscribe` over the socket's message rate, with the usual error code.
pub(crate) fn rate_limited(message: &str) -> Vec<ServerError> {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", RATE_LIMITED);
    error.extensions = Some(extensions);
    vec![error]
}

fn is_rate_limited(response: &Response) -> bool {
    response.errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .is_some_and(|code| *code == async_graphql::Value::from(RATE_LIMITED))
    })
}

#[cfg(test)]
mod tests {
    use async_graphql::{PathSegment, Value};

    use super::*;

    #[test]
    fn rate_limited_results_are_recognised_by_their_code() {
        let refused = Response::from_errors(rate_limited("slow down"));
        assert!(is_rate_limited(&refused));
        assert!(!is_rate_limited(&Response::from_errors(refusal("nope"))));
        assert!(!is_rate_limited(&Response::new(Value::Null)));
    }

    #[test]
    fn only_errors_without_data_and_path_are_request_errors() {
        let parse = Response::from_errors(vec![ServerError::new("syntax error", None)]);
        assert!(is_request_error(&parse));

        let mut resolver = ServerError::new("UNAUTHENTICATED", None);
        resolver.path = vec![PathSegment::Field("me".into())];
        assert!(!is_request_error(&Response::from_errors(vec![resolver])));

        assert!(!is_request_error(&Response::new(Value::Null)));
        let mut partial = Response::new(Value::from_json(serde_json::json!({ "a": 1 })).unwrap());
        partial.errors.push(ServerError::new("late", None));
        assert!(!is_request_error(&partial));
    }
}
