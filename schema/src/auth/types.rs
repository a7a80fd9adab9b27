use async_graphql::{InputObject, SimpleObject};

use crate::users::types::User;
use chorus_core::auth::service::Session;

/// A signed-in session. Send `accessToken` as `Authorization: Bearer …`; trade `refreshToken` for a new pair
/// before `expiresIn` seconds have passed.
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    /// Single use: every refresh returns a new one. Reusing an old one ends the session.
    pub refresh_token: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
    pub user: User,
}

impl From<Session> for AuthPayload {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            expires_in: s.expires_in,
            user: User(s.user),
        }
    }
}

#[derive(InputObject)]
pub struct SignUpInput {
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    /// 2–32 of `A-Z a-z 0-9 _ . -`, unique case-insensitively.
    pub nickname: String,
}

#[derive(InputObject)]
pub struct LogInInput {
    pub email: String,
    pub password: String,
}
