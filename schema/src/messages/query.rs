use async_graphql::{Context, ID, Object};

use super::service::{self, PageArgs};
use super::types::MessageConnection;
use crate::context::ContextExt;
use crate::ids;

#[derive(Default)]
pub struct MessageQuery;

#[Object]
impl MessageQuery {
    /// Top-level messages of a room I am a member of, oldest first within a page. `first`/`after` page
    /// forward, `last`/`before` backward; with neither, the newest 50. At most 100 a page (more is
    /// BAD_USER_INPUT).
    #[graphql(
        complexity = "crate::pagination::page_complexity(child_complexity, first.max(last), crate::pagination::DEFAULT_PAGE)"
    )]
    async fn messages(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<MessageConnection> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(service::history(ctx.deps(), viewer, room_id, args)
            .await?
            .into())
    }

    /// Replies of a thread, oldest first: `first` (at most 100, default 50) after the cursor `after`.
    #[graphql(
        complexity = "crate::pagination::page_complexity(child_complexity, first, crate::pagination::DEFAULT_PAGE)"
    )]
    async fn thread(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<MessageConnection> {
        let viewer = ctx.viewer()?;
        let message_id = ids::parse("messageId", &message_id)?;
        Ok(
            service::thread(ctx.deps(), viewer, message_id, first, after.as_deref())
                .await?
                .into(),
        )
    }
}
