//! Access tokens (short-lived, signed: `chorus_adapters::jwt`) and refresh tokens (opaque random strings
//! stored only as hashes).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::context::{Auth, Viewer};
use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct TokenSettings {
    pub secret: Vec<u8>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: chrono::Duration,
    pub refresh_ttl: chrono::Duration,
    /// A rotated refresh token presented again within this is answered with another token of its family
    /// instead of revoking it (concurrent refreshes); later it counts as reuse.
    pub refresh_reuse_grace: chrono::Duration,
}

/// Signs and checks access tokens.
pub trait TokenIssuer: Send + Sync + 'static {
    fn settings(&self) -> &TokenSettings;
    /// Signs an access token for `user_id` in session `sid`; returns it with its lifetime in seconds.
    fn issue_access(&self, user_id: Uuid, sid: Uuid) -> Result<(String, i64)>;
    /// The caller a token names, or UNAUTHENTICATED with the reason (expired, invalid).
    fn verify_access(&self, token: &str) -> Result<Viewer>;

    /// Turns an `Authorization` header value (or a bare token) into [`Auth`], checking the token only; the edge
    /// also refuses revoked sessions ([`super::sessions::check`]).
    fn authenticate(&self, header: Option<&str>) -> Auth {
        let Some(value) = header.map(str::trim).filter(|v| !v.is_empty()) else {
            return Auth::Anonymous;
        };
        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            Some(_) => return Auth::Invalid("unsupported authorization scheme"),
            None => value,
        };
        match self.verify_access(token) {
            Ok(viewer) => Auth::Viewer(viewer),
            Err(Error::Unauthenticated(reason)) => Auth::Invalid(reason),
            Err(_) => Auth::Invalid("invalid access token"),
        }
    }
}

/// A fresh refresh token: 256 random bits, URL-safe base64.
pub fn new_refresh_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored for a refresh token: its SHA-256, hex encoded. The token itself never touches the database.
pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
