use async_graphql::{Context, ID, Object};

use super::types::MessageConnection;
use crate::context::ContextExt;
use crate::ids;
use chorus_core::messages::history::{self, PageArgs};

#[derive(Default)]
pub struct MessageQuery;

#[Object]
impl MessageQuery {
    /// Top-level messages of a room I am a member of, oldest first within a page. `first`/`after` page
    /// forward, `last`/`before` backward; with neither, the newest 50. At most 100 a page (more is
    /// BAD_USER_INPUT).
    ///
    /// `around` (a message id; a thread reply stands for its root) or `aroundSeq` (the first message at or
    /// after that seq, e.g. my `lastReadSeq + 1` for the first unread; the newest message when none is that
    /// new) centres the page on one message: about half of `first` (or `last`, default 50) before it, the
    /// message and the rest after it, with `hasPreviousPage` and `hasNextPage` both exact. Not combinable
    /// with `after`/`before`; page on from the page's `startCursor`/`endCursor`.
    #[allow(clippy::too_many_arguments)]
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
        around: Option<ID>,
        around_seq: Option<i32>,
    ) -> async_graphql::Result<MessageConnection> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let around = around.map(|id| ids::parse("around", &id)).transpose()?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
            around,
            around_seq: around_seq.map(i64::from),
        };
        Ok(history::history(ctx.deps(), viewer, room_id, args)
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
            history::thread(ctx.deps(), viewer, message_id, first, after.as_deref())
                .await?
                .into(),
        )
    }
}
