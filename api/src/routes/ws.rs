//! `GET /graphql/ws`: checks the origin, negotiates the subprotocol and hands the socket to [`graphql_ws`], with
//! the Chorus schema plugged in as its [`Handler`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_graphql::Request;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::header::{ORIGIN, SEC_WEBSOCKET_PROTOCOL};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use chorus_core::auth::sessions::SessionWatch;
use chorus_core::documents::Documents;
use chorus_core::realtime::presence::Presence;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use schema::realtime::resolve_once::{ShareFrames, shared_frame};
use schema::{Auth, ChorusSchema, Deps, Viewer};
use serde_json::Value;
use tracing::Instrument;
use uuid::Uuid;

use crate::edge::ClientIp;
use crate::routes::persisted;
use crate::startup::AppState;
use graphql_ws::{self as ws, Handler, Protocol, Rejection, Reply, Revoked, Settings, limits};

pub async fn upgrade(
    State(state): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> HttpResponse {
    // Browsers send cookies and open sockets from any page: without this check any site could use a
    // visitor's session. Clients that are not browsers send no Origin and are not concerned.
    if !origin_allowed(state.config.allowed_origins.as_deref(), headers.get(ORIGIN)) {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    // A client that asks for subprotocols none of which we speak would get a socket it cannot understand
    // (and browsers fail a handshake that names none of theirs anyway): say so before upgrading.
    if offers_only_unknown_protocols(&headers) {
        return (
            StatusCode::BAD_REQUEST,
            "unsupported WebSocket subprotocol: use graphql-transport-ws (or graphql-ws)",
        )
            .into_response();
    }
    let ws = ws
        .protocols(Protocol::NAMES)
        .max_message_size(limits::MAX_MESSAGE_SIZE)
        .max_frame_size(limits::MAX_FRAME_SIZE)
        .read_buffer_size(limits::READ_BUFFER_SIZE)
        .write_buffer_size(limits::WRITE_BUFFER_SIZE)
        .max_write_buffer_size(limits::MAX_WRITE_BUFFER_SIZE);
    // A client that offers no subprotocol at all is spoken to in graphql-transport-ws.
    let protocol = ws
        .selected_protocol()
        .and_then(|p| p.to_str().ok())
        .and_then(Protocol::from_name)
        .unwrap_or(Protocol::TransportWs);
    let mut settings = Settings::new(state.config.ws_init_timeout, state.config.ws_keepalive);
    settings.shutdown = Some(state.shutdown.clone());
    settings.max_messages_per_second = state.config.ws_messages_per_second;
    settings.max_rate_limited = state.config.ws_max_rate_limited;
    let handler = Arc::new(ChorusHandler {
        schema: state.schema.clone(),
        deps: state.deps.clone(),
        client,
        user_sockets: state.user_sockets.clone(),
        max_sockets_per_user: state.config.max_sockets_per_user,
        documents: state.documents.clone(),
    });
    let span = tracing::info_span!("ws", protocol = protocol.name());
    let sockets = state.sockets.clone();
    ws.on_upgrade(move |socket| {
        sockets.track_future(ws::serve(socket, protocol, handler, settings).instrument(span))
    })
}

/// True when the handshake names subprotocols and none of them is ours.
fn offers_only_unknown_protocols(headers: &HeaderMap) -> bool {
    let mut offered = headers
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("?").split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .peekable();
    offered.peek().is_some() && !offered.any(|p| Protocol::from_name(p).is_some())
}

/// Open WebSockets per user in this process (`CHORUS_MAX_SOCKETS_PER_USER`).
#[derive(Default)]
pub struct UserSockets(Arc<Mutex<HashMap<Uuid, usize>>>);

impl UserSockets {
    /// Counts one more socket for `user`, unless `max` are open already.
    fn open(&self, user: Uuid, max: usize) -> Option<SocketSlot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(user).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(SocketSlot {
            sockets: self.0.clone(),
            user,
        })
    }

    /// Sockets `user` has open here.
    pub fn count(&self, user: Uuid) -> usize {
        let open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        open.get(&user).copied().unwrap_or(0)
    }
}

/// One counted socket; uncounted when the session ends.
struct SocketSlot {
    sockets: Arc<Mutex<HashMap<Uuid, usize>>>,
    user: Uuid,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut open = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.user) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.user);
            }
        }
    }
}

/// `allowed`: configured origins (no trailing slash); `None` allows any.
fn origin_allowed(allowed: Option<&[String]>, origin: Option<&HeaderValue>) -> bool {
    let (Some(allowed), Some(origin)) = (allowed, origin) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim().trim_end_matches('/');
    // Scheme and host are case-insensitive.
    allowed.iter().any(|a| a.eq_ignore_ascii_case(origin))
}

/// Authenticates `connection_init` with the access token and runs operations through the schema, like
/// `POST /graphql` does for one request.
struct ChorusHandler {
    schema: ChorusSchema,
    deps: Deps,
    /// Where the socket came from, for the operations' rate limits.
    client: ClientIp,
    user_sockets: Arc<UserSockets>,
    max_sockets_per_user: usize,
    documents: Arc<Documents>,
}

struct Session {
    viewer: Viewer,
    /// Ends the socket when the session is revoked (log-out on any api process).
    watch: SessionWatch,
    _online: OnlineGuard,
    _slot: SocketSlot,
}

/// Counts the socket as one of its user's connections for presence, from the ack until the socket ends.
struct OnlineGuard {
    presence: Arc<Presence>,
    user: Uuid,
    conn: Uuid,
}

impl Drop for OnlineGuard {
    fn drop(&mut self) {
        let (presence, user, conn) = (self.presence.clone(), self.user, self.conn);
        // Drop cannot wait: finish in the background. Without a runtime (process shutting down) the
        // connection simply expires from the presence store.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(err) = presence.disconnected(user, conn).await {
                    tracing::warn!(error = ?err, %user, "recording a disconnect failed");
                }
            });
        }
    }
}

impl Handler for ChorusHandler {
    type Session = Session;

    async fn connect(&self, payload: Option<Value>) -> Result<Session, Rejection> {
        let (auth, watch) = crate::auth::connection_init(&self.deps, payload.as_ref()).await;
        match (auth, watch) {
            (Auth::Viewer(viewer), Some(watch)) => {
                let Some(slot) = self
                    .user_sockets
                    .open(viewer.user_id, self.max_sockets_per_user)
                else {
                    tracing::debug!(user = %viewer.user_id, "WebSocket refused: too many open");
                    return Err(Rejection::too_many_connections());
                };
                tracing::debug!(user = %viewer.user_id, "WebSocket authenticated");
                let conn = Uuid::now_v7();
                let presence = self.deps.presence.clone();
                if let Err(err) = presence.connected(viewer.user_id, conn).await {
                    // Presence is a nicety: the socket works without it.
                    tracing::warn!(error = ?err, "recording a connection failed");
                }
                Ok(Session {
                    viewer,
                    _slot: slot,
                    watch,
                    _online: OnlineGuard {
                        presence,
                        user: viewer.user_id,
                        conn,
                    },
                })
            }
            (Auth::Invalid(reason), _) => Err(Rejection::new(reason)),
            (Auth::Unavailable(reason), _) => Err(Rejection::try_again_later(reason)),
            _ => Err(Rejection::new("authentication required")),
        }
    }

    fn expires_at(&self, session: &Session) -> Option<SystemTime> {
        let secs = u64::try_from(session.viewer.expires_at).unwrap_or(0);
        Some(UNIX_EPOCH + Duration::from_secs(secs))
    }

    fn revoked(&self, session: &Session) -> Revoked {
        Box::pin(session.watch.revoked())
    }

    fn execute(&self, session: &Session, mut request: Request) -> BoxStream<'static, Reply> {
        let auth = Auth::Viewer(session.viewer);
        let (schema, deps, documents, client) = (
            self.schema.clone(),
            self.deps.clone(),
            self.documents.clone(),
            self.client,
        );
        // The document first (persisted queries, trusted documents); a refusal is a request error, which
        // the engine answers with an `error` message.
        futures_util::stream::once(async move {
            persisted::resolve(&documents, &auth, &mut request)
                .await
                .map(|()| request)
        })
        .flat_map(move |resolved| match resolved {
            Ok(request) => {
                let request = client
                    .attach(schema::prepare_request(request, &deps, auth))
                    .data(ShareFrames);
                schema
                    .execute_stream(request)
                    .map(|mut response| match shared_frame(&mut response) {
                        Some(frame) => Reply::Serialized(frame),
                        None => Reply::Response(response),
                    })
                    .boxed()
            }
            Err(err) => {
                err.log_if_internal();
                let response =
                    async_graphql::Response::from_errors(vec![schema::errors::server_error(&err)]);
                futures_util::stream::once(async move { Reply::Response(response) }).boxed()
            }
        })
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_only_when_configured_and_sent() {
        let allowed = vec!["https://chat.example.com".to_owned()];
        let origin = |v: &'static str| Some(HeaderValue::from_static(v));
        assert!(origin_allowed(
            None,
            origin("https://evil.example").as_ref()
        ));
        assert!(origin_allowed(Some(&allowed), None));
        assert!(origin_allowed(
            Some(&allowed),
            origin("https://chat.example.com").as_ref()
        ));
        assert!(origin_allowed(
            Some(&allowed),
            origin("HTTPS://Chat.Example.com/").as_ref()
        ));
        assert!(!origin_allowed(
            Some(&allowed),
            origin("https://evil.example").as_ref()
        ));
        assert!(!origin_allowed(Some(&allowed), origin("null").as_ref()));
        assert!(!origin_allowed(
            Some(&allowed),
            origin("https://chat.example.com:8443").as_ref()
        ));
    }

    #[test]
    fn only_handshakes_offering_nothing_we_speak_are_refused() {
        let offer = |values: &[&'static str]| {
            let mut headers = HeaderMap::new();
            for v in values {
                headers.append(SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static(v));
            }
            offers_only_unknown_protocols(&headers)
        };
        assert!(!offer(&[]));
        assert!(!offer(&["graphql-transport-ws"]));
        assert!(!offer(&["mqtt, graphql-ws"]));
        assert!(!offer(&["mqtt", "GraphQL-Transport-WS"]));
        assert!(offer(&["mqtt"]));
        assert!(offer(&["mqtt, wamp"]));
    }

    #[test]
    fn user_sockets_are_capped_and_freed() {
        let sockets = UserSockets::default();
        let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
        let first = sockets.open(alice, 2).unwrap();
        let _second = sockets.open(alice, 2).unwrap();
        assert!(sockets.open(alice, 2).is_none());
        assert!(sockets.open(bob, 2).is_some());
        drop(first);
        assert_eq!(sockets.count(alice), 1);
        assert!(sockets.open(alice, 2).is_some());
    }
}
