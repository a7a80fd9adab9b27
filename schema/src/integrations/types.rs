use async_graphql::{ID, InputObject, Object, SimpleObject};
use chorus_core::integrations::scopes::{Scope, Scopes};
use chorus_core::integrations::tokens;
use chrono::{DateTime, Utc};
use entity::api_tokens;

use crate::ids::to_id;

/// An API token as its creator sees it later: never its value.
pub struct ApiToken(pub api_tokens::Model);

#[Object]
impl ApiToken {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The scopes it carries, e.g. `messages:read`.
    async fn scopes(&self) -> Vec<&'static str> {
        Scopes::from_stored(&self.0.scopes)
            .iter()
            .map(Scope::as_str)
            .collect()
    }

    /// The only rooms it may see and act in; null: every room of its user.
    async fn room_ids(&self) -> Option<Vec<ID>> {
        tokens::room_ids(&self.0).map(|ids| ids.into_iter().map(to_id).collect())
    }

    /// The bot it acts as; null when it acts as you.
    async fn bot_id(&self) -> Option<ID> {
        (self.0.user_id != self.0.created_by).then(|| to_id(self.0.user_id))
    }

    /// Null: it does not expire.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    /// When it was last used (recorded at most once a minute); null: never.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Whether it was revoked (it is then refused everywhere).
    async fn revoked(&self) -> bool {
        self.0.revoked_at.is_some()
    }
}

/// A token just created. `token` is shown this once: only its hash is kept.
#[derive(SimpleObject)]
pub struct ApiTokenCreated {
    /// The secret to send as `Authorization: Bearer <token>` (or in `connection_init`). Store it now.
    pub token: String,
    pub api_token: ApiToken,
}

#[derive(InputObject)]
pub struct CreateBotInput {
    /// As for people: 2–32 of `A-Z a-z 0-9 _ . -`, unique case-insensitively.
    pub nickname: String,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    /// A label for you, 1–64 characters.
    pub name: String,
    /// At least one of `messages:read`, `messages:write`, `rooms:read`, `rooms:write`, `reactions:write`,
    /// `files:write`, `profile:write`.
    pub scopes: Vec<String>,
    /// Limit the token to these rooms (at most 100); omitted: every room of its user.
    pub room_ids: Option<Vec<ID>>,
    /// When it stops working; omitted: never (revoke it instead).
    pub expires_at: Option<DateTime<Utc>>,
    /// One of your bots to mint it for; omitted: for you.
    pub bot_id: Option<ID>,
}
