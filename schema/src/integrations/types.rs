use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chorus_core::integrations::scopes::{Scope, Scopes};
use chorus_core::integrations::{tokens, webhooks};
use chrono::{DateTime, Utc};
use entity::{
    api_tokens, incoming_webhooks, outgoing_webhooks, slash_commands, webhook_deliveries,
};

use crate::context::ContextExt;
use crate::ids::to_id;
use crate::messages::types::Message;
use crate::users::types::User;

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

/// An incoming webhook of a room: `POST` JSON `{"text": "…"}` to its URL to post a message as its bot.
pub struct IncomingWebhook {
    pub row: incoming_webhooks::Model,
    /// Known only when the hook was just created.
    pub secret: Option<String>,
}

#[Object]
impl IncomingWebhook {
    async fn id(&self) -> ID {
        to_id(self.row.id)
    }

    /// The hook's name, also the nickname of the bot it posts as.
    async fn name(&self) -> &str {
        &self.row.name
    }

    async fn room_id(&self) -> ID {
        to_id(self.row.room_id)
    }

    /// The bot the hook posts as.
    async fn bot_id(&self) -> ID {
        to_id(self.row.bot_id)
    }

    /// The path to post to, `/hooks/<id>/<secret>`, relative to the server's address. It holds the secret,
    /// so it is only in the answer of `createIncomingWebhook`: null afterwards. Store it now.
    async fn url(&self) -> Option<String> {
        self.secret
            .as_deref()
            .map(|secret| webhooks::path(self.row.id, secret))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}

/// An outgoing webhook of a room: its events of the chosen kinds are POSTed to `url`, signed (see
/// `docs/integrations.md`).
pub struct OutgoingWebhook {
    pub row: outgoing_webhooks::Model,
    pub deliveries: Vec<webhook_deliveries::Model>,
    /// Known only when the hook was just created.
    pub secret: Option<String>,
}

#[Object]
impl OutgoingWebhook {
    async fn id(&self) -> ID {
        to_id(self.row.id)
    }

    async fn room_id(&self) -> ID {
        to_id(self.row.room_id)
    }

    async fn url(&self) -> &str {
        &self.row.url
    }

    /// The event kinds it receives, e.g. `MESSAGE_ADDED`.
    async fn events(&self) -> Vec<&str> {
        self.row.events.split(' ').collect()
    }

    /// The signing secret (`Chorus-Signature`), only in the answer of `createOutgoingWebhook`: null
    /// afterwards. Store it now.
    async fn secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }

    /// False once deliveries failed for a day: nothing more is sent (delete it and create another).
    async fn enabled(&self) -> bool {
        self.row.disabled_at.is_none()
    }

    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.row.disabled_at
    }

    /// The last room event seq handled (delivered, or not of a kind it receives).
    async fn cursor_seq(&self) -> i64 {
        self.row.cursor_seq
    }

    /// Its most recent deliveries (at most 20), newest first.
    async fn deliveries(&self) -> Vec<WebhookDelivery<'_>> {
        self.deliveries.iter().map(WebhookDelivery).collect()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}

/// The delivery of one room event to an outgoing webhook, as of its latest attempt.
pub struct WebhookDelivery<'a>(&'a webhook_deliveries::Model);

#[Object]
impl WebhookDelivery<'_> {
    /// The room event's seq (also in the delivered body, for de-duplication).
    async fn seq(&self) -> i64 {
        self.0.seq
    }

    async fn kind(&self) -> &str {
        &self.0.kind
    }

    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// The receiver's HTTP status of the latest attempt; null: no answer (see `error`).
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }

    /// Why the latest attempt failed; null once delivered.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }

    /// When it is tried again; null when delivered or given up.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_attempt_at
    }
}

#[derive(InputObject)]
pub struct CreateOutgoingWebhookInput {
    pub room_id: ID,
    /// An absolute http(s) URL; the address rules of link previews apply (no private or loopback addresses
    /// unless allow-listed in `CHORUS_PREVIEW_ALLOW_HOSTS`).
    pub url: String,
    /// At least one of `MESSAGE_ADDED`, `MESSAGE_EDITED`, `MESSAGE_DELETED`, `REACTION_CHANGED`,
    /// `MEMBER_JOINED`, `MEMBER_LEFT`, `MENTION`.
    pub events: Vec<String>,
}

/// A slash command of a room: `/name args` typed by a member is delivered to its bot, whose answer posts to
/// the room (see `docs/integrations.md`).
pub struct SlashCommand {
    pub row: slash_commands::Model,
    /// The caller is one of the room's owner and admins (who see the URL).
    pub moderator: bool,
    /// Known only when the command was just registered.
    pub secret: Option<String>,
}

#[Object]
impl SlashCommand {
    async fn id(&self) -> ID {
        to_id(self.row.id)
    }

    async fn room_id(&self) -> ID {
        to_id(self.row.room_id)
    }

    /// The name, without the slash: typed as `/name args`.
    async fn command(&self) -> &str {
        &self.row.name
    }

    async fn description(&self) -> &str {
        &self.row.description
    }

    /// The bot that answers.
    async fn bot(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(ctx
            .loaders()
            .users()
            .load_one(self.row.bot_id)
            .await?
            .map(User))
    }

    /// Where invocations are POSTed; null except for the room's owner and admins.
    async fn url(&self) -> Option<&str> {
        self.moderator.then_some(self.row.url.as_str())
    }

    /// The signing secret (`Chorus-Signature`), only in the answer of `registerSlashCommand`: null
    /// afterwards. Store it now.
    async fn secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}

#[derive(InputObject)]
pub struct RegisterSlashCommandInput {
    pub room_id: ID,
    /// The name, e.g. `deploy` (a leading `/` is dropped, capitals lowered): 1 to 32 of `a-z 0-9 _ -`,
    /// unique in the room.
    pub command: String,
    /// Shown when members type `/` (at most 200 characters).
    #[graphql(default)]
    pub description: String,
    /// An absolute http(s) URL; the address rules of outgoing webhooks apply.
    pub url: String,
    /// One of your bots: it answers in the room (and joins it if it is not in it).
    pub bot_id: ID,
}

#[derive(InputObject)]
pub struct RunSlashCommandInput {
    pub room_id: ID,
    /// The command's name, with or without its slash.
    pub command: String,
    /// Everything after the name, as typed (trimmed).
    #[graphql(default)]
    pub args: String,
}

/// What running a slash command produced.
#[derive(SimpleObject)]
pub struct SlashCommandResult {
    pub command: SlashCommand,
    /// The bot's answer, posted to the room; null when the bot answered without text.
    pub reply: Option<Message>,
}
