//! Access tokens as short-lived HS256 JWTs.

use chorus_core::auth::token::{TokenIssuer, TokenSettings};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use chorus_core::context::{Access, Viewer};
use chorus_core::error::{Error, Result};

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
}

impl TokenIssuer for Tokens {
    fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    /// Signs an access token for `user_id` in session `sid`; returns it with its lifetime in seconds.
    fn issue_access(&self, user_id: Uuid, sid: Uuid) -> Result<(String, i64)> {
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

    fn verify_access(&self, token: &str) -> Result<Viewer> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Ok(Viewer {
                user_id: data.claims.sub,
                expires_at: data.claims.exp,
                session_id: data.claims.sid,
                access: Access::Session,
            }),
            Err(err) => Err(Error::Unauthenticated(match err.kind() {
                ErrorKind::ExpiredSignature => "access token expired",
                _ => "invalid access token",
            })),
        }
    }
}
