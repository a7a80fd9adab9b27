use async_graphql::{Context, ID, Object};

use super::types::MessageConnection;
use crate::context::ContextExt;
use crate::ids;
use crate::pagination;
use chorus_core::Error;
use chorus_core::messages::history::{self, Centre, Window};

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
        let window = window(first, after, last, before, around, around_seq)?;
        Ok(history::history(ctx.deps(), viewer, room_id, window)
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
        let limit = pagination::size("first", first, pagination::DEFAULT_PAGE)?;
        let after = after
            .map(|c| pagination::parse_seq_cursor("after", &c))
            .transpose()?;
        Ok(
            history::thread(ctx.deps(), viewer, message_id, limit, after)
                .await?
                .into(),
        )
    }
}

/// The history window a Relay page asks for. `first`/`after` page forward, `last`/`before` backward; with
/// neither size, `after` alone pages forward and anything else reads the newest page.
fn window(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    around: Option<ID>,
    around_seq: Option<i32>,
) -> chorus_core::Result<Window> {
    let first = pagination::page_size("first", first)?;
    let last = pagination::page_size("last", last)?;
    if first.is_some() && last.is_some() {
        return Err(Error::invalid("last", "pass first or last, not both"));
    }
    let size = first.or(last).unwrap_or(pagination::DEFAULT_PAGE);
    if around.is_some() || around_seq.is_some() {
        let field = if around.is_some() {
            "around"
        } else {
            "aroundSeq"
        };
        if around.is_some() && around_seq.is_some() {
            return Err(Error::invalid(field, "pass around or aroundSeq, not both"));
        }
        if after.is_some() || before.is_some() {
            return Err(Error::invalid(
                field,
                format!("{field} cannot be combined with after or before"),
            ));
        }
        let centre = match (around, around_seq) {
            (Some(id), _) => Centre::Message(ids::parse("around", &id)?),
            (None, Some(seq)) if seq < 0 => {
                return Err(Error::invalid(field, "aroundSeq must not be negative"));
            }
            (None, seq) => Centre::Seq(i64::from(seq.unwrap_or(0))),
        };
        return Ok(Window::Around { centre, size });
    }
    let after = after
        .map(|c| pagination::parse_seq_cursor("after", &c))
        .transpose()?;
    let before = before
        .map(|c| pagination::parse_seq_cursor("before", &c))
        .transpose()?;
    let forward = first.is_some() || (last.is_none() && after.is_some() && before.is_none());
    Ok(if forward {
        Window::Forward {
            after,
            before,
            limit: size,
        }
    } else {
        Window::Backward {
            after,
            before,
            limit: size,
        }
    })
}
