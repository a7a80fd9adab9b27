use async_graphql::ID;
use async_graphql::{Context, Object};
use chorus_core::integrations::{bots, commands, outgoing, tokens, webhooks};

use super::types::{ApiToken, IncomingWebhook, OutgoingWebhook, SlashCommand};
use crate::context::ContextExt;
use crate::ids;
use crate::users::types::User;

#[derive(Default)]
pub struct IntegrationQuery;

#[Object]
impl IntegrationQuery {
    /// Your API tokens and your bots' tokens, newest first, revoked ones included. Signed-in people only.
    async fn api_tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiToken>> {
        let viewer = ctx.viewer()?;
        Ok(tokens::list(ctx.deps(), viewer)
            .await?
            .into_iter()
            .map(ApiToken)
            .collect())
    }

    /// The bots you own, oldest first. Signed-in people only.
    async fn my_bots(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let viewer = ctx.viewer()?;
        Ok(bots::mine(ctx.deps(), viewer)
            .await?
            .into_iter()
            .map(User)
            .collect())
    }

    /// The room's incoming webhooks, oldest first (their URLs are not shown again). The room's owner and
    /// admins only; signed-in people only.
    async fn incoming_webhooks(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
    ) -> async_graphql::Result<Vec<IncomingWebhook>> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        Ok(webhooks::list(ctx.deps(), viewer, room_id)
            .await?
            .into_iter()
            .map(|row| IncomingWebhook { row, secret: None })
            .collect())
    }

    /// The room's outgoing webhooks, oldest first, with their recent deliveries (secrets are not shown
    /// again). The room's owner and admins only; signed-in people only.
    async fn outgoing_webhooks(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
    ) -> async_graphql::Result<Vec<OutgoingWebhook>> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        Ok(outgoing::list(ctx.deps(), viewer, room_id)
            .await?
            .into_iter()
            .map(|(row, deliveries)| OutgoingWebhook {
                row,
                deliveries,
                secret: None,
            })
            .collect())
    }

    /// The room's slash commands by name, for any member: the composer suggests them when `/` is typed.
    /// URLs are shown to the room's owner and admins only.
    async fn slash_commands(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
    ) -> async_graphql::Result<Vec<SlashCommand>> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let (rows, moderator) = commands::list(ctx.deps(), viewer, room_id).await?;
        Ok(rows
            .into_iter()
            .map(|row| SlashCommand {
                row,
                moderator,
                secret: None,
            })
            .collect())
    }
}
