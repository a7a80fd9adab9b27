//! The only task that writes to a socket. Everything else hands it frames through bounded channels: a small
//! one for the connection's own messages (ack, pong, pings) and one shared by the operations for results. When
//! the client reads slowly, the writer blocks on the socket, the channels fill up and the senders wait: memory
//! per socket stays bounded by the channel capacities plus tungstenite's write buffer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message};
use futures_util::{Sink, SinkExt};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::protocol::Close;

/// Capacity of the control channel: replies to the client's own messages, so a client that floods pings
/// without reading waits here.
const CONTROL_FRAMES: usize = 16;

/// Shared between an operation and the connection: lets the connection withdraw frames the operation already
/// queued when the client completes it (no `next` may follow the client's `complete`).
#[derive(Debug, Default)]
pub(crate) struct OperationState {
    cancelled: AtomicBool,
}

impl OperationState {
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }
}

/// A serialised frame of one operation.
pub(crate) struct OperationFrame {
    pub(crate) text: String,
    pub(crate) state: Arc<OperationState>,
}

/// The connection's handle on its writer task.
pub(crate) struct Writer {
    pub(crate) control: mpsc::Sender<Message>,
    pub(crate) operations: mpsc::Sender<OperationFrame>,
    close: Option<oneshot::Sender<Close>>,
    task: JoinHandle<()>,
}

impl Writer {
    pub(crate) fn spawn<Si>(sink: Si, operation_frames: usize) -> Self
    where
        Si: Sink<Message> + Send + Unpin + 'static,
    {
        let (control, control_rx) = mpsc::channel(CONTROL_FRAMES);
        let (operations, operations_rx) = mpsc::channel(operation_frames.max(1));
        let (close, close_rx) = oneshot::channel();
        let task = tokio::spawn(write_loop(sink, control_rx, operations_rx, close_rx));
        Self {
            control,
            operations,
            close: Some(close),
            task,
        }
    }

    /// Asks the writer to send what the connection queued so far, then the close frame, and stop.
    pub(crate) fn close(&mut self, close: Close) {
        if let Some(sender) = self.close.take() {
            let _ = sender.send(close);
        }
    }

    /// Stops the writer: waits up to `grace` for it to finish sending (a close frame), then aborts it, which
    /// drops the socket's sending half.
    pub(crate) async fn finish(mut self, grace: Duration) {
        // Without a close request, dropping the oneshot tells the writer to stop.
        drop(self.close.take());
        if tokio::time::timeout(grace, &mut self.task).await.is_err() {
            self.task.abort();
        }
    }
}

async fn write_loop<Si>(
    mut sink: Si,
    mut control: mpsc::Receiver<Message>,
    mut operations: mpsc::Receiver<OperationFrame>,
    mut close: oneshot::Receiver<Close>,
) where
    Si: Sink<Message> + Unpin,
{
    loop {
        // Connection messages first: a pong or the ack must not wait behind a backlog of results.
        let message = tokio::select! {
            biased;
            close = &mut close => {
                if let Ok(close) = close {
                    // What the connection queued before deciding to close (a legacy `connection_error`) goes
                    // out before the close frame.
                    while let Ok(message) = control.try_recv() {
                        if sink.feed(message).await.is_err() {
                            return;
                        }
                    }
                    let _ = sink.send(close_message(close)).await;
                }
                return;
            }
            Some(message) = control.recv() => message,
            Some(frame) = operations.recv() => {
                if frame.state.is_cancelled() {
                    continue;
                }
                Message::Text(frame.text.into())
            }
            else => return,
        };
        if sink.feed(message).await.is_err() {
            return;
        }
        // Batch bursts into few TCP writes; flush as soon as nothing else is waiting.
        if control.is_empty() && operations.is_empty() && sink.flush().await.is_err() {
            return;
        }
    }
}

fn close_message(close: Close) -> Message {
    Message::Close(Some(CloseFrame {
        code: close.code,
        reason: close.reason.into_owned().into(),
    }))
}
