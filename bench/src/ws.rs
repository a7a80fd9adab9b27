//! A graphql-transport-ws client: one socket, one subscription (id "1"), every `next` frame reported as a
//! delivery. The api and the floor server are measured with this same code.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One `next` frame seen by subscriber `sub`.
pub struct Delivery {
    pub sub: u32,
    /// The delivered message's `clientId` (None for events without a message, e.g. receipts).
    pub client_id: Option<String>,
    pub at: Instant,
    /// The frame's text, kept only when the subscriber was asked to (to replay it from the floor server).
    pub frame: Option<Arc<str>>,
}

/// An open socket with an active subscription.
pub struct Subscription {
    socket: Socket,
}

/// Connects to `url` (`ws://…/graphql/ws`), authenticates, waits for `connection_ack` and subscribes.
pub async fn subscribe(
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<Subscription> {
    let mut request = url.into_client_request()?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    // Lean buffers: ten thousand clients with tungstenite's default 128 KiB each way would take the
    // machine's memory from the servers being measured.
    let (mut socket, _) = tokio::time::timeout(
        Duration::from_secs(30),
        tokio_tungstenite::connect_async_with_config(
            request,
            Some(crate::floor::lean_buffers()),
            true,
        ),
    )
    .await
    .context("WebSocket connect timed out")?
    .context("WebSocket connect")?;
    send_json(
        &mut socket,
        json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}}),
    )
    .await?;
    let ack = tokio::time::timeout(Duration::from_secs(30), next_json(&mut socket))
        .await
        .context("no connection_ack within 30 s")??;
    if ack["type"] != "connection_ack" {
        bail!("expected connection_ack, got {ack}");
    }
    send_json(
        &mut socket,
        json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}),
    )
    .await?;
    Ok(Subscription { socket })
}

async fn send_json(socket: &mut Socket, value: Value) -> Result<()> {
    socket.send(Message::text(value.to_string())).await?;
    Ok(())
}

async fn next_json(socket: &mut Socket) -> Result<Value> {
    loop {
        match socket.next().await.context("socket closed")?? {
            Message::Text(text) => return Ok(serde_json::from_str(&text)?),
            Message::Close(frame) => bail!("closed: {frame:?}"),
            _ => {}
        }
    }
}

/// The `clientId` of the message an event carries: `data.<root field>.message.clientId`.
fn message_client_id(frame: &Value) -> Option<String> {
    let data = frame["payload"]["data"].as_object()?;
    let event = data.values().next()?;
    event["message"]["clientId"].as_str().map(str::to_owned)
}

impl Subscription {
    /// Reads frames until `stop` (then closes the socket politely) or the server ends the subscription,
    /// reporting each `next` frame on `deliveries`. Protocol pings are answered; WebSocket pings are
    /// answered by tungstenite itself while reading.
    pub async fn run(
        mut self,
        sub: u32,
        keep_frames: bool,
        deliveries: mpsc::UnboundedSender<Delivery>,
        stop: CancellationToken,
    ) -> Result<()> {
        loop {
            let message = tokio::select! {
                _ = stop.cancelled() => {
                    // Completing, then closing, is what a well-behaved client does; the server's clean-up
                    // path is part of what the idle-memory scenario measures.
                    let _ = send_json(&mut self.socket, json!({"id": "1", "type": "complete"})).await;
                    let _ = self.socket.close(None).await;
                    return Ok(());
                }
                message = self.socket.next() => message,
            };
            let Some(message) = message else {
                bail!("subscriber {sub}: the server closed the socket");
            };
            let text = match message.with_context(|| format!("subscriber {sub}"))? {
                Message::Text(text) => text,
                Message::Close(frame) => bail!("subscriber {sub}: closed by the server: {frame:?}"),
                _ => continue,
            };
            let at = Instant::now();
            if std::env::var_os("CHORUS_BENCH_DEBUG").is_some() {
                eprintln!("sub {sub}: {text}");
            }
            let frame: Value = serde_json::from_str(&text)?;
            match frame["type"].as_str() {
                Some("next") => {
                    let delivery = Delivery {
                        sub,
                        client_id: message_client_id(&frame),
                        at,
                        frame: keep_frames.then(|| Arc::from(text.as_str())),
                    };
                    // The collector is gone only when the scenario is over.
                    if deliveries.send(delivery).is_err() {
                        return Ok(());
                    }
                }
                Some("ping") => send_json(&mut self.socket, json!({"type": "pong"})).await?,
                Some("error") => bail!("subscriber {sub}: subscription error {frame}"),
                Some("complete") => {
                    bail!("subscriber {sub}: the server completed the subscription")
                }
                _ => {}
            }
        }
    }
}
