//! Authentication at the edge, the same for every transport: `POST /graphql`, SSE, the REST facade (an
//! `Authorization: Bearer …` header, [`Edge`] and [`WatchedEdge`]) and WebSocket (the `connection_init`
//! payload, [`connection_init`]). Each produces a [`schema::Auth`] for the schema: a valid access token whose
//! session is still live is a viewer; a missing one is anonymous; an invalid, expired or revoked one is
//! `Invalid` (UNAUTHENTICATED, 401, close 4403); a session store that cannot be reached is `Unavailable`
//! (UNAVAILABLE, 503, close 1013), so nobody is signed out by an outage. Transports only translate these.
//!
//! An API token (`chorus_pat_…`, told apart by its prefix) is accepted wherever an access token is: it is
//! checked against its stored hash, expiry and revocation, and its viewer carries the token's scopes and room
//! limit. Its id stands for the session, so revoking it ends open sockets and streams the same way.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chorus_core::auth::sessions::{self, SessionWatch};
use chorus_core::integrations::tokens;
use schema::{Auth, Deps};
use serde_json::Value;

use crate::edge::ClientIp;
use crate::startup::AppState;

/// Extractor: the caller of an HTTP request (from `Authorization`) and where it came from. Never rejects:
/// the schema (or [`crate::routes::rest::extract::Caller`]) decides what an anonymous caller may do.
pub struct Edge {
    pub auth: Auth,
    pub client: ClientIp,
}

impl FromRequestParts<AppState> for Edge {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (auth, _) = authenticate(&state.deps, authorization(parts), false).await;
        Ok(Edge {
            auth,
            client: ClientIp::from_parts(parts, state),
        })
    }
}

/// Extractor: [`Edge`] plus a watch on the caller's session, for responses that outlive the request (SSE):
/// they end when the session is revoked.
pub struct WatchedEdge {
    pub edge: Edge,
    /// Present exactly when `edge.auth` is a viewer.
    pub watch: Option<SessionWatch>,
}

impl FromRequestParts<AppState> for WatchedEdge {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (auth, watch) = authenticate(&state.deps, authorization(parts), true).await;
        Ok(WatchedEdge {
            edge: Edge {
                auth,
                client: ClientIp::from_parts(parts, state),
            },
            watch,
        })
    }
}

/// The caller of a WebSocket, from its `connection_init` payload, with a watch on the session (present exactly
/// when the result is a viewer): the socket is closed when the session is revoked.
pub async fn connection_init(deps: &Deps, payload: Option<&Value>) -> (Auth, Option<SessionWatch>) {
    authenticate(deps, init_token(payload), true).await
}

fn authorization(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

/// The one check behind every transport: the token (an access token or an API token), then its session.
async fn authenticate(
    deps: &Deps,
    credential: Option<&str>,
    watch: bool,
) -> (Auth, Option<SessionWatch>) {
    let token = match api_token(credential) {
        Some(token) => deps.api_tokens.authenticate(token).await,
        None => deps.tokens.authenticate(credential),
    };
    let Auth::Viewer(viewer) = token else {
        return (token, None);
    };
    // Watch before checking: a revocation in between is not missed.
    let watch = watch.then(|| deps.sessions.watch(viewer.session_id));
    let auth = sessions::check(deps, token, viewer.session_id).await;
    let watch = watch.filter(|_| matches!(auth, Auth::Viewer(_)));
    (auth, watch)
}

/// The API token of a credential (`Bearer chorus_pat_…`, or bare), if it is one.
fn api_token(credential: Option<&str>) -> Option<&str> {
    let value = credential?.trim();
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        Some(_) => return None,
        None => value,
    };
    tokens::is_api_token(token).then_some(token)
}

/// The token of a `connection_init` payload: `{"authorization": "Bearer …"}` (what the web client sends),
/// `{"Authorization": …}` (headers copied as they are) or `{"token": "…"}`.
fn init_token(payload: Option<&Value>) -> Option<&str> {
    let payload = payload?;
    ["authorization", "Authorization", "token"]
        .into_iter()
        .find_map(|key| payload.get(key)?.as_str())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_init_token_comes_from_any_of_the_accepted_keys() {
        assert_eq!(
            init_token(Some(&json!({ "authorization": "Bearer a" }))),
            Some("Bearer a")
        );
        assert_eq!(
            init_token(Some(&json!({ "Authorization": "Bearer b" }))),
            Some("Bearer b")
        );
        assert_eq!(init_token(Some(&json!({ "token": "c" }))), Some("c"));
        assert_eq!(init_token(Some(&json!({ "token": 1 }))), None);
        assert_eq!(init_token(None), None);
    }

    #[test]
    fn api_tokens_are_told_apart_by_their_prefix() {
        assert_eq!(api_token(Some("Bearer chorus_pat_x")), Some("chorus_pat_x"));
        assert_eq!(
            api_token(Some("bearer  chorus_pat_x ")),
            Some("chorus_pat_x")
        );
        assert_eq!(api_token(Some("chorus_pat_x")), Some("chorus_pat_x"));
        assert_eq!(api_token(Some("Bearer eyJhbGciOi")), None);
        assert_eq!(api_token(Some("Basic chorus_pat_x")), None);
        assert_eq!(api_token(None), None);
    }
}
