use async_graphql::{Context, ID, Object};
use chorus_core::integrations::{bots, outgoing, tokens, webhooks};

use super::types::{
    ApiToken, ApiTokenCreated, CreateApiTokenInput, CreateBotInput, CreateOutgoingWebhookInput,
    IncomingWebhook, OutgoingWebhook,
};
use crate::context::ContextExt;
use crate::ids;
use crate::users::types::User;

#[derive(Default)]
pub struct IntegrationMutation;

#[Object]
impl IntegrationMutation {
    /// Creates a bot you own: a user invited into rooms like anyone, acting through API tokens you mint for
    /// it. Signed-in people only (FORBIDDEN with an API token).
    async fn create_bot(
        &self,
        ctx: &Context<'_>,
        input: CreateBotInput,
    ) -> async_graphql::Result<User> {
        let viewer = ctx.viewer()?;
        Ok(User(
            bots::create(ctx.deps(), viewer, &input.nickname).await?,
        ))
    }

    /// Mints an API token for you or for one of your bots. Its value is in the answer only. Signed-in people
    /// only (FORBIDDEN with an API token).
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> async_graphql::Result<ApiTokenCreated> {
        let viewer = ctx.viewer()?;
        let input = tokens::NewToken {
            name: input.name,
            scopes: input.scopes,
            room_ids: input
                .room_ids
                .as_deref()
                .map(|ids| ids::parse_all("roomIds", ids))
                .transpose()?,
            expires_at: input.expires_at,
            bot_id: input
                .bot_id
                .as_ref()
                .map(|id| ids::parse("botId", id))
                .transpose()?,
        };
        let created = tokens::create(ctx.deps(), viewer, input).await?;
        Ok(ApiTokenCreated {
            token: created.token,
            api_token: ApiToken(created.row),
        })
    }

    /// Revokes one of your tokens (or your bots'): refused from now on, and its open subscriptions end.
    /// False when it was already revoked; NOT_FOUND when it is not yours.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(tokens::revoke(ctx.deps(), viewer, id).await?)
    }

    /// Creates an incoming webhook of a group room, posting as a new bot named `name` (nickname rules; the
    /// bot is yours and joins the room). Its `url`, holding the secret, is in this answer only. The room's
    /// owner and admins only; signed-in people only.
    async fn create_incoming_webhook(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        name: String,
    ) -> async_graphql::Result<IncomingWebhook> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let created = webhooks::create(ctx.deps(), viewer, room_id, &name).await?;
        Ok(IncomingWebhook {
            row: created.hook,
            secret: Some(created.secret),
        })
    }

    /// Deletes an incoming webhook: its URL stops working and its bot leaves the room (its messages stay).
    /// The room's owner and admins only; NOT_FOUND for anyone else.
    async fn delete_incoming_webhook(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        webhooks::delete(ctx.deps(), viewer, id).await?;
        Ok(true)
    }

    /// Registers an outgoing webhook: the room's events of the kinds in `events`, from now on, are POSTed to
    /// `url`, signed with the returned `secret` (shown in this answer only). The room's owner and admins
    /// only; signed-in people only.
    async fn create_outgoing_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateOutgoingWebhookInput,
    ) -> async_graphql::Result<OutgoingWebhook> {
        let viewer = ctx.viewer()?;
        let input = outgoing::NewHook {
            room_id: ids::parse("roomId", &input.room_id)?,
            url: input.url,
            events: input.events,
        };
        let created = outgoing::create(ctx.deps(), viewer, input).await?;
        Ok(OutgoingWebhook {
            row: created.hook,
            deliveries: Vec::new(),
            secret: Some(created.secret),
        })
    }

    /// Deletes an outgoing webhook: nothing more is delivered. The room's owner and admins only; NOT_FOUND
    /// for anyone else.
    async fn delete_outgoing_webhook(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        outgoing::delete(ctx.deps(), viewer, id).await?;
        Ok(true)
    }
}
