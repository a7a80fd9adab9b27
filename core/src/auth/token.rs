//! Access tokens (short-lived HS256 JWTs) and refresh tokens (opaque random strings stored only as hashes).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
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

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
    /// The session (refresh-token family) the token belongs to: revoking it ends the token early.
    pub sid: Uuid,
}

pub struct Tokens {
    settings: TokenSettings,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Tokens {
    pub fn new(settings: TokenSettings) -> Self {
        // Pin the algorithm: a token announcing anything else (`none`, RS256 …) is rejected.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.validate_nbf = true;
        // One service signs and checks its own tokens: no clock skew to absorb.
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(&settings.secret),
            decoding: DecodingKey::from_secret(&settings.secret),
            validation,
            settings,
        }
    }

    pub fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    /// Signs an access token for `user_id` in session `sid`; returns it with its lifetime in seconds.
    pub fn issue_access(&self, user_id: Uuid, sid: Uuid) -> Result<(String, i64)> {
        let now = Utc::now().timestamp();
        let ttl = self.settings.access_ttl.num_seconds();
        let claims = Claims {
            sub: user_id,
            iat: now,
            nbf: now,
            exp: now + ttl,
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            jti: Uuid::now_v7(),
            sid,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(Error::internal)?;
        Ok((token, ttl))
    }

    pub fn verify_access(&self, token: &str) -> Result<Viewer> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Ok(Viewer {
                user_id: data.claims.sub,
                expires_at: data.claims.exp,
                session_id: data.claims.sid,
            }),
            Err(err) => Err(Error::Unauthenticated(match err.kind() {
                ErrorKind::ExpiredSignature => "access token expired",
                _ => "invalid access token",
            })),
        }
    }

    /// Turns an `Authorization` header value (or a bare token) into [`Auth`], checking the token only; the edge
    /// uses [`super::sessions::authenticate`], which also refuses revoked sessions.
    pub fn authenticate(&self, header: Option<&str>) -> Auth {
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
