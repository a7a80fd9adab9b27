//! What every service call gets: the shared handles ([`Deps`]) and the caller as the edge authenticated it
//! ([`Auth`], [`Viewer`]).

use std::net::IpAddr;
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::attachments::service::UploadRules;
use crate::attachments::signing::FileUrls;
use crate::attachments::storage::Storage;
use crate::auth::sessions::Sessions;
use crate::auth::{password::PasswordHasher, token::TokenIssuer};
use crate::error::{Error, Result};
use crate::integrations::outgoing::WebhookSender;
use crate::integrations::scopes::{Scope, Scopes};
use crate::integrations::tokens::ApiTokens;
use crate::previews::LinkPreviews;
use crate::rate::RateLimits;
use crate::realtime::bus::Bus;
use crate::realtime::presence::Presence;
use crate::realtime::typing::TypingThrottle;
use crate::rooms::service::Rules;

/// Handles shared by every service. Cheap to clone.
#[derive(Clone)]
pub struct Deps {
    pub db: DatabaseConnection,
    pub tokens: Arc<dyn TokenIssuer>,
    pub passwords: Arc<dyn PasswordHasher>,
    /// Wake-up signals between processes (in-process or Redis).
    pub bus: Arc<dyn Bus>,
    pub presence: Arc<Presence>,
    pub typing: Arc<TypingThrottle>,
    /// Uploaded files (local disk or S3).
    pub storage: Arc<dyn Storage>,
    /// Largest accepted upload of any kind, in bytes (images have their own, lower, limit in `upload_rules`).
    pub max_upload_bytes: usize,
    pub rate: Arc<RateLimits>,
    pub room_rules: Rules,
    /// Revoked sessions (log-out, refresh-token reuse), checked on every authenticated request.
    pub sessions: Arc<Sessions>,
    /// Signs and checks `/files/…` URLs.
    pub file_urls: Arc<FileUrls>,
    /// Upload rules beyond the byte size (image size and area, daily quota).
    pub upload_rules: UploadRules,
    /// Bounds how many images are decoded and thumbnailed at once (on the blocking pool).
    pub image_work: Arc<tokio::sync::Semaphore>,
    /// PostgreSQL search: scopes of at most this many events are read room by room rather than through the
    /// trigram index (`CHORUS_SEARCH_SCAN_MESSAGES`, see `crate::search::plan::SCAN_SCOPE`).
    pub search_scan_messages: i64,
    /// Link previews of sent messages (the fetcher, its concurrency bound and cache lifetime).
    pub previews: Arc<LinkPreviews>,
    /// API tokens as the edge checks them (a short cache over the `api_tokens` table).
    pub api_tokens: Arc<ApiTokens>,
    /// Where outgoing webhook deliveries go (HTTP under the link preview address rules).
    pub webhooks: Arc<dyn WebhookSender>,
}

/// The authenticated caller, attached at the edge (HTTP `Authorization` header or WebSocket
/// `connection_init`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: Uuid,
    /// Unix time (seconds) at which the access token that authenticated this caller expires.
    pub expires_at: i64,
    /// The sign-in (refresh-token family) the access token belongs to; for an API token, the token's id
    /// (revoking it ends its sockets and streams like a log-out ends a session's).
    pub session_id: Uuid,
    /// What the credential allows: everything (a sign-in) or an API token's scopes and rooms.
    pub access: Access,
}

/// The rights of a credential beyond its user's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A person signed in (access token): every right of the account.
    Session,
    /// An API token (its id is the viewer's `session_id`): only its scopes; `room_limited` when it may only
    /// see and act in the rooms listed on it ([`ApiTokens::rooms`]).
    Token { scopes: Scopes, room_limited: bool },
}

impl Viewer {
    /// FORBIDDEN, naming the scope, unless the credential carries `scope` (a sign-in carries every scope).
    pub fn require(&self, scope: Scope) -> Result<()> {
        match self.access {
            Access::Session => Ok(()),
            Access::Token { scopes, .. } if scopes.contains(scope) => Ok(()),
            Access::Token { .. } => Err(Error::Forbidden(scope.missing())),
        }
    }

    /// FORBIDDEN for API tokens: bots and tokens are managed by a person signed in.
    pub fn require_session(&self) -> Result<()> {
        match self.access {
            Access::Session => Ok(()),
            Access::Token { .. } => Err(Error::Forbidden(
                "API tokens cannot manage bots or tokens; sign in to do that",
            )),
        }
    }

    /// The API token this caller presented, if any.
    pub fn token_id(&self) -> Option<Uuid> {
        match self.access {
            Access::Session => None,
            Access::Token { .. } => Some(self.session_id),
        }
    }
}

/// Result of authenticating a request at the edge. An invalid token does not fail the request by itself:
/// operations that need a caller fail with UNAUTHENTICATED and the reason, public ones (sign-up, log-in) work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    Anonymous,
    Invalid(&'static str),
    /// The credentials could not be checked right now (the session store is unreachable): retry, do not
    /// sign out.
    Unavailable(&'static str),
    Viewer(Viewer),
}

impl Auth {
    pub fn viewer(&self) -> Result<Viewer> {
        match self {
            Auth::Viewer(viewer) => Ok(*viewer),
            Auth::Anonymous => Err(Error::Unauthenticated("authentication required")),
            Auth::Invalid(reason) => Err(Error::Unauthenticated(reason)),
            Auth::Unavailable(reason) => Err(Error::Unavailable(reason)),
        }
    }
}

/// The client's address as the edge determined it (the socket's peer, or `X-Forwarded-For` from a trusted
/// proxy): the key of the per-address rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);
