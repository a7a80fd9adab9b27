use async_graphql::{Context, ID, Object};
use chorus_core::integrations::{bots, tokens};

use super::types::{ApiToken, ApiTokenCreated, CreateApiTokenInput, CreateBotInput};
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
}
