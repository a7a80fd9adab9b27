use async_graphql::{Context, ID, Object};

use super::service;
use super::types::Room;
use crate::context::ContextExt;
use crate::ids;

#[derive(Default)]
pub struct RoomQuery;

#[Object]
impl RoomQuery {
    /// Rooms I am a member of, most recent activity first.
    async fn rooms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Room>> {
        let viewer = ctx.viewer()?;
        Ok(service::list(ctx.deps(), viewer)
            .await?
            .into_iter()
            .map(Room)
            .collect())
    }

    /// One of my rooms. NOT_FOUND when I am not a member (whether or not it exists).
    async fn room(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Room>> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(Some(Room(service::get(ctx.deps(), viewer, id).await?)))
    }
}
