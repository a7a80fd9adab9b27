use async_graphql::{Context, ID, Object};

use super::types::{User, Viewer};
use crate::context::ContextExt;
use crate::{ids, pagination};
use chorus_core::users::service;

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Viewer> {
        let viewer = ctx.viewer()?;
        Ok(Viewer(service::me(ctx.deps(), viewer).await?))
    }

    /// A user by id; null when there is none.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<User>> {
        ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(ctx.loaders().users().load_one(id).await?.map(User))
    }

    /// Users whose nickname starts with `query` (case-insensitive), alphabetically; `first` at most 50.
    #[graphql(
        complexity = "crate::pagination::list_complexity(child_complexity, first.map_or(20, |n| n.clamp(0, service::SEARCH_MAX as i32) as u64))"
    )]
    async fn search_users(
        &self,
        ctx: &Context<'_>,
        query: String,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> async_graphql::Result<Vec<User>> {
        ctx.viewer()?;
        // A non-positive size asks for nothing; more than the maximum is refused (not silently capped).
        let limit =
            pagination::page_size_max("first", first.map(|n| n.max(0)), service::SEARCH_MAX)?;
        Ok(service::search(ctx.deps(), &query, limit.unwrap_or(20))
            .await?
            .into_iter()
            .map(User)
            .collect())
    }
}
