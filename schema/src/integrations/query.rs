use async_graphql::{Context, Object};
use chorus_core::integrations::{bots, tokens};

use super::types::ApiToken;
use crate::context::ContextExt;
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
}
