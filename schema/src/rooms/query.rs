use async_graphql::{Context, ID, Object};

use super::types::{Room, RoomConnection};
use crate::context::ContextExt;
use crate::{ids, pagination};
use chorus_core::rooms::service;

#[derive(Default)]
pub struct RoomQuery;

#[Object]
impl RoomQuery {
    /// Rooms I am a member of, most recent activity first: the 200 most recently active (page through all
    /// of them with `roomsConnection`).
    #[graphql(
        complexity = "crate::pagination::list_complexity(child_complexity, service::ROOMS_LIST_MAX)"
    )]
    async fn rooms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Room>> {
        let viewer = ctx.viewer()?;
        let mut rooms = service::list(ctx.deps(), viewer).await?;
        // A token limited to rooms lists only those (see `crate::access`).
        if let Some(allowed) = ctx.deps().api_tokens.room_limit(viewer).await? {
            rooms.retain(|room| allowed.contains(&room.id));
        }
        Ok(rooms.into_iter().map(Room).collect())
    }

    /// Rooms I am a member of, most recent activity first, a page at a time (`first` at most 100, default
    /// 50). A room with new activity moves to the front, so it may show up again on a later page.
    #[graphql(
        complexity = "crate::pagination::page_complexity(child_complexity, first, crate::pagination::DEFAULT_PAGE)"
    )]
    async fn rooms_connection(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<RoomConnection> {
        let viewer = ctx.viewer()?;
        let limit = pagination::size("first", first, pagination::DEFAULT_PAGE)?;
        let after = after
            .map(|c| pagination::parse_activity_cursor("after", &c))
            .transpose()?;
        Ok(service::page(ctx.deps(), viewer, limit, after)
            .await?
            .into())
    }

    /// One of my rooms. NOT_FOUND when I am not a member (whether or not it exists).
    async fn room(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Room>> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(Some(Room(service::get(ctx.deps(), viewer, id).await?)))
    }
}
