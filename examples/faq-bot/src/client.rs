//! The three operations the bot needs, over Chorus's public API: `me` and `replyInThread` as GraphQL over
//! HTTP, the `mentions` subscription over WebSocket (graphql-transport-ws). The documents are the files in
//! `queries/`, the results plain serde structs shaped like their selections.

use std::fmt;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const ME: &str = include_str!("../queries/me.graphql");
const MENTIONS: &str = include_str!("../queries/mentions.graphql");
const REPLY: &str = include_str!("../queries/reply.graphql");

/// The bot pings after [`PING_EVERY`] of silence and the server answers with a pong, so [`SILENCE_LIMIT`]
/// without a frame means a dead connection that TCP has not noticed.
const PING_EVERY: Duration = Duration::from_secs(20);
const SILENCE_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub nickname: String,
    pub is_bot: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub room_id: String,
    pub content: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MentionAlert {
    /// What `mentions(after:)` resumes from.
    pub id: String,
    pub by: User,
    pub message: Message,
}

#[derive(Debug)]
pub enum Error {
    /// The network, the server restarting, a dropped socket: worth trying again after a pause.
    Transport(String),
    /// A GraphQL error with its `extensions.code`.
    Graphql { code: String, message: String },
    /// The server closed the WebSocket with this code.
    Closed(Option<u16>, String),
}

impl Error {
    /// Retrying cannot help: the token is unknown, expired or revoked, or lacks a scope.
    pub fn is_fatal(&self) -> bool {
        match self {
            Error::Graphql { code, .. } => code == "UNAUTHENTICATED" || code == "FORBIDDEN",
            // 4401/4403: graphql-transport-ws's "unauthorized" and "forbidden".
            Error::Closed(code, _) => matches!(code, Some(4401 | 4403)),
            Error::Transport(_) => false,
        }
    }

    /// Whether the same request may succeed later (as opposed to a refusal of this request).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Graphql { code, .. } => {
                matches!(code.as_str(), "RATE_LIMITED" | "UNAVAILABLE" | "INTERNAL")
            }
            Error::Closed(..) => !self.is_fatal(),
            Error::Transport(_) => true,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Graphql { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => write!(f, "{e}"),
            Error::Graphql { code, message } => write!(f, "{code}: {message}"),
            Error::Closed(code, reason) => write!(f, "socket closed ({code:?}) {reason}"),
        }
    }
}

impl std::error::Error for Error {}

fn transport(e: impl fmt::Display) -> Error {
    Error::Transport(e.to_string())
}

/// The first GraphQL error of a response's `errors` (or a subscription's `error` payload).
fn first_error(errors: &Value) -> Error {
    let first = &errors[0];
    Error::Graphql {
        code: first["extensions"]["code"]
            .as_str()
            .unwrap_or("UNKNOWN")
            .to_owned(),
        message: first["message"].as_str().unwrap_or_default().to_owned(),
    }
}

pub struct Client {
    http: reqwest::Client,
    graphql_url: String,
    ws_url: String,
    token: String,
}

impl Client {
    /// `base` is the server's address, `http://host:port` (no path).
    pub fn new(base: &str, token: &str) -> anyhow::Result<Self> {
        let base = base.trim_end_matches('/');
        let ws_base = if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            anyhow::bail!("CHORUS_URL must start with http:// (this example has no TLS client)");
        };
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
            graphql_url: format!("{base}/graphql"),
            ws_url: format!("{ws_base}/graphql/ws"),
            token: token.to_owned(),
        })
    }

    async fn execute<T: DeserializeOwned>(
        &self,
        query: &str,
        variables: Value,
    ) -> Result<T, Error> {
        let response = self
            .http
            .post(&self.graphql_url)
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| Error::Transport(format!("HTTP {status} without a GraphQL body: {e}")))?;
        if body["errors"].as_array().is_some_and(|e| !e.is_empty()) {
            return Err(first_error(&body["errors"]));
        }
        serde_json::from_value(body["data"].clone()).map_err(transport)
    }

    /// The token's user (the bot).
    pub async fn me(&self) -> Result<User, Error> {
        #[derive(Deserialize)]
        struct Me {
            user: User,
        }
        #[derive(Deserialize)]
        struct Data {
            me: Me,
        }
        let data: Data = self.execute(ME, json!({})).await?;
        Ok(data.me.user)
    }

    /// Replies in the thread of `parent_id`. `client_id` makes a retry return the first reply instead of
    /// posting twice.
    pub async fn reply(
        &self,
        parent_id: &str,
        content: &str,
        client_id: &str,
    ) -> Result<(), Error> {
        let input = json!({ "parentId": parent_id, "content": content, "clientId": client_id });
        let _: Value = self.execute(REPLY, json!({ "input": input })).await?;
        Ok(())
    }

    /// Opens a socket, authenticates with the token and subscribes to `mentions(after:)`.
    pub async fn mentions(&self, after: Option<&str>) -> Result<Mentions, Error> {
        let mut request = self
            .ws_url
            .as_str()
            .into_client_request()
            .map_err(transport)?;
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (ws, _) =
            tokio::time::timeout(SILENCE_LIMIT, tokio_tungstenite::connect_async(request))
                .await
                .map_err(|_| transport("WebSocket handshake timed out"))?
                .map_err(transport)?;
        let mut mentions = Mentions { ws };
        mentions
            .send(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", self.token) } }))
            .await?;
        let ack = mentions.next_frame().await?;
        if ack["type"] != "connection_ack" {
            return Err(transport(format!("expected connection_ack, got {ack}")));
        }
        mentions
            .send(json!({ "id": "mentions", "type": "subscribe", "payload": { "query": MENTIONS, "variables": { "after": after } } }))
            .await?;
        Ok(mentions)
    }
}

/// A live `mentions` subscription.
pub struct Mentions {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Mentions {
    async fn send(&mut self, frame: Value) -> Result<(), Error> {
        self.ws
            .send(WsMessage::text(frame.to_string()))
            .await
            .map_err(transport)
    }

    /// The next protocol message other than ping/pong, keeping the connection checked.
    async fn next_frame(&mut self) -> Result<Value, Error> {
        let mut silent_for = Duration::ZERO;
        loop {
            let received = match tokio::time::timeout(PING_EVERY, self.ws.next()).await {
                Ok(received) => received,
                Err(_) => {
                    silent_for += PING_EVERY;
                    if silent_for >= SILENCE_LIMIT {
                        return Err(transport("the server stopped answering"));
                    }
                    self.send(json!({ "type": "ping" })).await?;
                    continue;
                }
            };
            silent_for = Duration::ZERO;
            let frame: Value = match received {
                None => return Err(transport("the socket ended")),
                Some(Err(e)) => return Err(transport(e)),
                Some(Ok(WsMessage::Text(text))) => {
                    serde_json::from_str(&text).map_err(transport)?
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    return Err(match frame {
                        Some(f) => Error::Closed(Some(u16::from(f.code)), f.reason.to_string()),
                        None => Error::Closed(None, String::new()),
                    });
                }
                Some(Ok(_)) => continue,
            };
            match frame["type"].as_str() {
                Some("ping") => self.send(json!({ "type": "pong" })).await?,
                Some("pong") => {}
                _ => return Ok(frame),
            }
        }
    }

    /// The next mention alert; an error ends the subscription.
    pub async fn next(&mut self) -> Result<MentionAlert, Error> {
        #[derive(Deserialize)]
        struct Data {
            mentions: MentionAlert,
        }
        loop {
            let frame = self.next_frame().await?;
            match frame["type"].as_str() {
                Some("next") => {
                    let payload = &frame["payload"];
                    if payload["errors"].as_array().is_some_and(|e| !e.is_empty()) {
                        return Err(first_error(&payload["errors"]));
                    }
                    let data: Data =
                        serde_json::from_value(payload["data"].clone()).map_err(transport)?;
                    return Ok(data.mentions);
                }
                Some("error") => return Err(first_error(&frame["payload"])),
                Some("complete") => return Err(transport("the server ended the subscription")),
                _ => {}
            }
        }
    }
}
