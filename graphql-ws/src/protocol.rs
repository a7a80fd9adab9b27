//! The wire formats of the two GraphQL-over-WebSocket subprotocols, decoded into one set of client messages and
//! encoded from one set of server messages, so the connection state machine is written once.
//!
//! - `graphql-transport-ws`: <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>
//! - `graphql-ws` (legacy subscriptions-transport-ws):
//!   <https://github.com/apollographql/subscriptions-transport-ws/blob/master/PROTOCOL.md>

use std::borrow::Cow;

use async_graphql::{Request, Response, ServerError};
use serde::Serialize;
use serde_json::Value;

/// A negotiated subprotocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `graphql-transport-ws`, spoken by the `graphql-ws` client library.
    TransportWs,
    /// `graphql-ws`, spoken by Apollo's deprecated `subscriptions-transport-ws` client.
    Legacy,
}

impl Protocol {
    /// Subprotocol names in the server's order of preference (offered both, the modern one wins).
    pub const NAMES: [&'static str; 2] = ["graphql-transport-ws", "graphql-ws"];

    pub fn name(self) -> &'static str {
        match self {
            Protocol::TransportWs => Self::NAMES[0],
            Protocol::Legacy => Self::NAMES[1],
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case(Self::NAMES[0]) {
            Some(Protocol::TransportWs)
        } else if name.eq_ignore_ascii_case(Self::NAMES[1]) {
            Some(Protocol::Legacy)
        } else {
            None
        }
    }
}

/// Close codes (graphql-ws `CloseCode`, reused for the legacy protocol so both fail the same way).
pub mod close_code {
    pub const NORMAL: u16 = 1000;
    /// Keep-alive gave up on the peer. 1001 is one the `graphql-ws` client retries on.
    pub const GOING_AWAY: u16 = 1001;
    /// Policy violation: the socket kept exceeding its rate limits.
    pub const POLICY_VIOLATION: u16 = 1008;
    pub const MESSAGE_TOO_BIG: u16 = 1009;
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const CONNECTION_INITIALISATION_TIMEOUT: u16 = 4408;
    pub const SUBSCRIBER_ALREADY_EXISTS: u16 = 4409;
    pub const TOO_MANY_INITIALISATION_REQUESTS: u16 = 4429;
}

/// Why the server closes a socket: code and reason as sent in the close frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Close {
    pub code: u16,
    pub reason: Cow<'static, str>,
}

impl Close {
    /// RFC 6455 caps a close reason at 123 bytes.
    const MAX_REASON: usize = 123;

    pub fn new(code: u16, reason: impl Into<Cow<'static, str>>) -> Self {
        let mut reason = reason.into();
        if reason.len() > Self::MAX_REASON {
            let mut end = Self::MAX_REASON;
            while !reason.is_char_boundary(end) {
                end -= 1;
            }
            reason = Cow::Owned(reason[..end].to_owned());
        }
        Self { code, reason }
    }

    pub fn bad_request(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::new(close_code::BAD_REQUEST, reason)
    }

    pub fn unauthorized() -> Self {
        Self::new(close_code::UNAUTHORIZED, "Unauthorized")
    }

    pub fn forbidden() -> Self {
        Self::new(close_code::FORBIDDEN, "Forbidden")
    }

    pub fn token_expired() -> Self {
        Self::new(close_code::FORBIDDEN, "Forbidden: access token expired")
    }

    pub fn session_revoked() -> Self {
        Self::new(close_code::FORBIDDEN, "Forbidden: session ended")
    }

    pub fn init_timeout() -> Self {
        Self::new(
            close_code::CONNECTION_INITIALISATION_TIMEOUT,
            "Connection initialisation timeout",
        )
    }

    pub fn subscriber_exists(id: &str) -> Self {
        Self::new(
            close_code::SUBSCRIBER_ALREADY_EXISTS,
            format!("Subscriber for {id} already exists"),
        )
    }

    pub fn too_many_inits() -> Self {
        Self::new(
            close_code::TOO_MANY_INITIALISATION_REQUESTS,
            "Too many initialisation requests",
        )
    }

    pub fn keepalive_timeout() -> Self {
        Self::new(close_code::GOING_AWAY, "Keep-alive timeout")
    }

    pub fn shutting_down() -> Self {
        Self::new(close_code::GOING_AWAY, "Server shutting down")
    }

    /// The client kept sending but has not read what the server sent for too long.
    pub fn not_reading() -> Self {
        Self::new(close_code::GOING_AWAY, "Client is not reading")
    }

    pub fn rate_limited() -> Self {
        Self::new(close_code::POLICY_VIOLATION, "Rate limit exceeded")
    }

    pub fn message_too_big() -> Self {
        Self::new(close_code::MESSAGE_TOO_BIG, "Message too big")
    }

    pub fn normal() -> Self {
        Self::new(close_code::NORMAL, "")
    }
}

/// A client message of either protocol, after validation.
#[derive(Debug)]
pub enum ClientMessage {
    /// `connection_init`, with its payload (`None` when absent or null).
    Init { payload: Option<Value> },
    /// `subscribe` (legacy: `start`).
    Subscribe { id: String, request: Box<Request> },
    /// `complete` (legacy: `stop`): the client no longer wants this operation.
    Complete { id: String },
    /// `ping` (graphql-transport-ws only): answered with a `pong` carrying the same payload.
    Ping { payload: Option<Value> },
    /// `pong`: only proves the client is alive.
    Pong,
    /// Legacy `connection_terminate`.
    Terminate,
}

impl Protocol {
    /// Decodes one text frame. The error is the close reason of a 4400.
    pub fn decode(self, text: &str) -> Result<ClientMessage, Close> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Close::bad_request(format!("Invalid message received: {e}")))?;
        let Value::Object(mut message) = value else {
            return Err(Close::bad_request(
                "Invalid message received: not an object",
            ));
        };
        let kind = match message.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            _ => return Err(Close::bad_request("Invalid message received: missing type")),
        };
        // Absent and null payloads are the same thing to both protocols.
        let payload = message.remove("payload").filter(|p| !p.is_null());
        let id = |message: &serde_json::Map<String, Value>| match message.get("id") {
            Some(Value::String(id)) if !id.is_empty() => Ok(id.clone()),
            _ => Err(Close::bad_request(format!(
                "Invalid message received: \"{kind}\" needs a non-empty string id"
            ))),
        };

        match (self, kind.as_str()) {
            (_, "connection_init") => {
                if payload.as_ref().is_some_and(|p| !p.is_object()) {
                    return Err(Close::bad_request(
                        "Invalid message received: connection_init payload must be an object",
                    ));
                }
                Ok(ClientMessage::Init { payload })
            }
            (Protocol::TransportWs, "subscribe") | (Protocol::Legacy, "start") => {
                let id = id(&message)?;
                let request = decode_request(&kind, payload)?;
                Ok(ClientMessage::Subscribe { id, request })
            }
            (Protocol::TransportWs, "complete") | (Protocol::Legacy, "stop") => {
                Ok(ClientMessage::Complete { id: id(&message)? })
            }
            (Protocol::TransportWs, "ping") => Ok(ClientMessage::Ping { payload }),
            (Protocol::TransportWs, "pong") => Ok(ClientMessage::Pong),
            (Protocol::Legacy, "connection_terminate") => Ok(ClientMessage::Terminate),
            _ => Err(Close::bad_request(format!(
                "Invalid message received: unexpected type \"{kind}\""
            ))),
        }
    }
}

/// The operation of a `subscribe`/`start`: an object with a string `query` (both reference servers insist).
fn decode_request(kind: &str, payload: Option<Value>) -> Result<Box<Request>, Close> {
    let invalid =
        |why: &str| Close::bad_request(format!("Invalid message received: \"{kind}\" {why}"));
    let Some(payload) = payload else {
        return Err(invalid("needs a payload"));
    };
    if !payload.get("query").is_some_and(Value::is_string) {
        return Err(invalid("payload needs a string query"));
    }
    serde_json::from_value::<Request>(payload)
        .map(Box::new)
        .map_err(|e| invalid(&format!("payload is not a GraphQL request: {e}")))
}

/// A server message of either protocol, encoded by [`Protocol::encode`].
#[derive(Debug)]
pub enum ServerMessage<'a> {
    ConnectionAck,
    /// Legacy only: the `connection_init` was refused (sent before the 4403 close).
    ConnectionError {
        message: &'a str,
    },
    Ping,
    Pong {
        payload: Option<&'a Value>,
    },
    /// Legacy only: `ka`, the keep-alive.
    KeepAlive,
    /// One execution result (legacy: `data`).
    Next {
        id: &'a str,
        payload: &'a Response,
    },
    /// One execution result serialised already (the JSON of a whole `Response`).
    NextSerialized {
        id: &'a str,
        payload: &'a str,
    },
    /// The operation failed before executing (parse, validation): ends it without a `complete`.
    Error {
        id: &'a str,
        errors: &'a [ServerError],
    },
    Complete {
        id: &'a str,
    },
}

/// One frame on the wire: `{"id"?, "type", "payload"?}`.
#[derive(Serialize)]
struct Envelope<'a, P: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<P>,
}

#[derive(Serialize)]
struct ErrorMessage<'a> {
    message: &'a str,
}

impl Protocol {
    pub fn encode(self, message: &ServerMessage<'_>) -> String {
        fn frame<P: Serialize>(id: Option<&str>, kind: &'static str, payload: Option<P>) -> String {
            // Serialising our own structs and async-graphql's `Response` cannot fail.
            serde_json::to_string(&Envelope { id, kind, payload }).expect("serialisable frame")
        }
        let legacy = self == Protocol::Legacy;
        match *message {
            ServerMessage::ConnectionAck => frame::<()>(None, "connection_ack", None),
            ServerMessage::ConnectionError { message } => {
                frame(None, "connection_error", Some(ErrorMessage { message }))
            }
            ServerMessage::Ping => frame::<()>(None, "ping", None),
            ServerMessage::Pong { payload } => frame(None, "pong", payload),
            ServerMessage::KeepAlive => frame::<()>(None, "ka", None),
            ServerMessage::Next { id, payload } => frame(
                Some(id),
                if legacy { "data" } else { "next" },
                Some(payload),
            ),
            ServerMessage::NextSerialized { id, payload } => {
                let raw = frame(Some(id), if legacy { "data" } else { "next" }, Some(0));
                // `{"id":…,"type":…,"payload":0}` with the payload spliced in for the `0`.
                let head = raw
                    .strip_suffix("0}")
                    .expect("the payload is serialised last");
                let mut text = String::with_capacity(head.len() + payload.len() + 1);
                text.push_str(head);
                text.push_str(payload);
                text.push('}');
                text
            }
            ServerMessage::Error { id, errors } => frame(Some(id), "error", Some(errors)),
            ServerMessage::Complete { id } => frame::<()>(Some(id), "complete", None),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decode(protocol: Protocol, value: Value) -> Result<ClientMessage, Close> {
        protocol.decode(&value.to_string())
    }

    #[test]
    fn subscribe_needs_an_id_and_a_query() {
        let p = Protocol::TransportWs;
        let bad = [
            json!({ "type": "subscribe", "payload": { "query": "{ a }" } }),
            json!({ "type": "subscribe", "id": "", "payload": { "query": "{ a }" } }),
            json!({ "type": "subscribe", "id": 1, "payload": { "query": "{ a }" } }),
            json!({ "type": "subscribe", "id": "1" }),
            json!({ "type": "subscribe", "id": "1", "payload": { "variables": {} } }),
            json!({ "type": "subscribe", "id": "1", "payload": "{ a }" }),
        ];
        for message in bad {
            let close = decode(p, message.clone()).expect_err(&message.to_string());
            assert_eq!(close.code, close_code::BAD_REQUEST, "{message}");
        }
        let ok = decode(
            p,
            json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ a }", "variables": null } }),
        );
        assert!(matches!(ok, Ok(ClientMessage::Subscribe { id, .. }) if id == "1"));
    }

    #[test]
    fn each_protocol_only_accepts_its_own_message_types() {
        let start = json!({ "type": "start", "id": "1", "payload": { "query": "{ a }" } });
        assert!(decode(Protocol::Legacy, start.clone()).is_ok());
        assert!(decode(Protocol::TransportWs, start).is_err());
        assert!(decode(Protocol::Legacy, json!({ "type": "ping" })).is_err());
        assert!(decode(Protocol::TransportWs, json!({ "type": "connection_ack" })).is_err());
        assert!(decode(Protocol::TransportWs, json!({ "type": "next", "id": "1" })).is_err());
    }

    #[test]
    fn malformed_frames_close_with_4400_and_a_reason() {
        for text in [
            "not json",
            "[]",
            "{}",
            r#"{"type":7}"#,
            r#"{"type":"connection_init","payload":1}"#,
        ] {
            let close = Protocol::TransportWs.decode(text).expect_err(text);
            assert_eq!(close.code, close_code::BAD_REQUEST);
            assert!(
                close.reason.starts_with("Invalid message received"),
                "{close:?}"
            );
        }
    }

    #[test]
    fn close_reasons_fit_in_a_close_frame() {
        let long_id = "é".repeat(200);
        let close = Close::subscriber_exists(&long_id);
        assert!(close.reason.len() <= 123);
        assert!(close.reason.starts_with("Subscriber for é"));
    }

    #[test]
    fn results_are_next_or_legacy_data() {
        let response = Response::new(async_graphql::Value::Null);
        let next = ServerMessage::Next {
            id: "7",
            payload: &response,
        };
        let modern: Value = serde_json::from_str(&Protocol::TransportWs.encode(&next)).unwrap();
        assert_eq!(
            modern,
            json!({ "id": "7", "type": "next", "payload": { "data": null } })
        );
        let legacy: Value = serde_json::from_str(&Protocol::Legacy.encode(&next)).unwrap();
        assert_eq!(legacy["type"], "data");
        let ack: Value =
            serde_json::from_str(&Protocol::TransportWs.encode(&ServerMessage::ConnectionAck))
                .unwrap();
        assert_eq!(ack, json!({ "type": "connection_ack" }));
    }

    #[test]
    fn serialised_results_are_sent_as_they_are() {
        let response =
            Response::new(async_graphql::Value::from_json(json!({ "a": [1, "x"] })).unwrap());
        let serialised = serde_json::to_string(&response).unwrap();
        for protocol in [Protocol::TransportWs, Protocol::Legacy] {
            let shared = protocol.encode(&ServerMessage::NextSerialized {
                id: "a\"b",
                payload: &serialised,
            });
            let plain = protocol.encode(&ServerMessage::Next {
                id: "a\"b",
                payload: &response,
            });
            assert_eq!(shared, plain);
        }
    }
}
