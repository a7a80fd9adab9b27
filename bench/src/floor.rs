//! The floor: the least a WebSocket server on this machine must do to broadcast one frame to N sockets. A bare
//! tokio-tungstenite server that speaks just enough graphql-transport-ws for the tool's own client
//! (`connection_init` → `connection_ack`, `subscribe`, `ping` → `pong`) and sends the same pre-serialised
//! frame to every subscribed socket when any client sends `{"type":"broadcast","payload":"<frame>"}`. No
//! authentication, storage or GraphQL: whatever the api costs above this is its own work.

use anyhow::{Context, Result};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

/// Runs the floor server until killed: binds 127.0.0.1 on a free port and prints its address.
pub async fn serve() -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("floor listening on ws://{}", listener.local_addr()?);
    // Large enough that no socket lags behind a benchmark's bursts; a lagging socket just skips frames.
    let (frames, _) = broadcast::channel::<Utf8Bytes>(4096);
    loop {
        let (stream, _) = listener.accept().await?;
        let frames = frames.clone();
        tokio::spawn(async move {
            // A client that disconnects mid-handshake is not the floor's problem.
            let _ = connection(stream, frames).await;
        });
    }
}

async fn connection(stream: TcpStream, frames: broadcast::Sender<Utf8Bytes>) -> Result<()> {
    let _ = stream.set_nodelay(true);
    let mut socket = tokio_tungstenite::accept_hdr_async_with_config(
        stream,
        agree_to_subprotocol,
        Some(lean_buffers()),
    )
    .await?;
    let mut receiver: Option<broadcast::Receiver<Utf8Bytes>> = None;
    loop {
        let incoming = match &mut receiver {
            Some(rx) => tokio::select! {
                frame = rx.recv() => {
                    match frame {
                        Ok(frame) => socket.send(Message::Text(frame)).await?,
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return Ok(()),
                    }
                    continue;
                }
                incoming = socket.next() => incoming,
            },
            None => socket.next().await,
        };
        let Some(incoming) = incoming else {
            return Ok(());
        };
        let text = match incoming? {
            Message::Text(text) => text,
            Message::Close(_) => return Ok(()),
            _ => continue,
        };
        let message: Value = serde_json::from_str(&text).context("not JSON")?;
        match message["type"].as_str() {
            Some("connection_init") => {
                socket
                    .send(Message::text(json!({"type": "connection_ack"}).to_string()))
                    .await?
            }
            Some("subscribe") => receiver = Some(frames.subscribe()),
            Some("complete") => receiver = None,
            Some("ping") => {
                socket
                    .send(Message::text(json!({"type": "pong"}).to_string()))
                    .await?
            }
            Some("broadcast") => {
                let frame = message["payload"]
                    .as_str()
                    .context("broadcast without payload")?;
                let _ = frames.send(Utf8Bytes::from(frame.to_owned()));
            }
            _ => {}
        }
    }
}

/// tungstenite's default buffers are 128 KiB each way per socket; a server built to hold many idle sockets
/// sizes them to its frames (ours are under 4 KiB), and so does the floor, so that its idle memory is a floor.
pub fn lean_buffers() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
}

/// Clients ask for graphql-transport-ws and (rightly) refuse a server that does not agree to it; the tool's
/// trigger connection asks for none. The signature is tungstenite's handshake callback, whose error type is
/// large by its design.
#[allow(clippy::result_large_err)]
fn agree_to_subprotocol(
    request: &Request,
    mut response: Response,
) -> Result<Response, ErrorResponse> {
    if request.headers().contains_key("Sec-WebSocket-Protocol") {
        response.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
    }
    Ok(response)
}

/// A connection that asks the floor server to broadcast frames.
pub struct Trigger {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>,
}

impl Trigger {
    pub async fn connect(url: &str) -> Result<Self> {
        let (socket, _) = tokio_tungstenite::connect_async(url).await?;
        Ok(Self { socket })
    }

    pub async fn broadcast(&mut self, frame: &str) -> Result<()> {
        let message = json!({"type": "broadcast", "payload": frame});
        self.socket.send(Message::text(message.to_string())).await?;
        Ok(())
    }
}
