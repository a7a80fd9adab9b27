//! Reading messages: history pages of a room (both ways, or around one message) and thread replies.

use entity::messages;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::pagination::{self, DEFAULT_PAGE, Page};
use crate::rooms::permissions::{self, require_member};

/// Page arguments of a Relay connection.
#[derive(Debug, Default, Clone)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
    /// Centre the page on this message (a thread reply centres on its root).
    pub around: Option<Uuid>,
    /// Centre the page on the first top-level message with a seq at or above this one (e.g. the first unread:
    /// my `lastReadSeq` + 1), or on the newest message when there is none.
    pub around_seq: Option<i64>,
}

/// `messages(roomId, …)`: top-level messages (tombstones included, thread replies excluded) in seq order.
/// `first`/`after` pages forward, `last`/`before` backward; without either the newest 50.
pub async fn history(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    args: PageArgs,
) -> Result<Page<messages::Model>> {
    let first = pagination::page_size("first", args.first)?;
    let last = pagination::page_size("last", args.last)?;
    if first.is_some() && last.is_some() {
        return Err(Error::invalid("last", "pass first or last, not both"));
    }
    if args.around.is_some() || args.around_seq.is_some() {
        return around(deps, viewer, room_id, &args, first.or(last)).await;
    }
    let after = args
        .after
        .as_deref()
        .map(|c| pagination::parse_seq_cursor("after", c))
        .transpose()?;
    let before = args
        .before
        .as_deref()
        .map(|c| pagination::parse_seq_cursor("before", c))
        .transpose()?;
    require_member(&deps.db, room_id, viewer.user_id).await?;

    let mut query = messages::Entity::find()
        .filter(messages::Column::RoomId.eq(room_id))
        .filter(messages::Column::ParentId.is_null());
    if let Some(after) = after {
        query = query.filter(messages::Column::Seq.gt(after));
    }
    if let Some(before) = before {
        query = query.filter(messages::Column::Seq.lt(before));
    }
    let forward = first.is_some() || (last.is_none() && after.is_some() && before.is_none());
    if forward {
        let limit = first.unwrap_or(DEFAULT_PAGE);
        let mut items = query
            .order_by_asc(messages::Column::Seq)
            .limit(limit + 1)
            .all(&deps.db)
            .await?;
        let more = items.len() as u64 > limit;
        items.truncate(limit as usize);
        Ok(Page {
            items,
            has_next_page: more || (before.is_some() && limit == 0),
            has_previous_page: after.is_some(),
        })
    } else {
        let limit = last.unwrap_or(DEFAULT_PAGE);
        let mut items = query
            .order_by_desc(messages::Column::Seq)
            .limit(limit + 1)
            .all(&deps.db)
            .await?;
        let more = items.len() as u64 > limit;
        items.truncate(limit as usize);
        items.reverse();
        Ok(Page {
            items,
            has_next_page: before.is_some(),
            has_previous_page: more,
        })
    }
}

/// `messages(roomId, around: …)`: a page of `size` (default 50) top-level messages centred on one message
/// (about half before it, the message itself and the rest after it), with `hasPreviousPage`/`hasNextPage`
/// exact on both sides so the client pages further either way with `before`/`after`.
async fn around(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    args: &PageArgs,
    size: Option<u64>,
) -> Result<Page<messages::Model>> {
    let field = if args.around.is_some() {
        "around"
    } else {
        "aroundSeq"
    };
    if args.around.is_some() && args.around_seq.is_some() {
        return Err(Error::invalid(field, "pass around or aroundSeq, not both"));
    }
    if args.after.is_some() || args.before.is_some() {
        return Err(Error::invalid(
            field,
            format!("{field} cannot be combined with after or before"),
        ));
    }
    if args.around_seq.is_some_and(|seq| seq < 0) {
        return Err(Error::invalid(field, "aroundSeq must not be negative"));
    }
    require_member(&deps.db, room_id, viewer.user_id).await?;
    let size = size.unwrap_or(DEFAULT_PAGE).max(1);
    let top_level = || {
        messages::Entity::find()
            .filter(messages::Column::RoomId.eq(room_id))
            .filter(messages::Column::ParentId.is_null())
    };

    // The seq of the message the page is centred on; every row at or after it goes to the second half.
    let centre = if let Some(id) = args.around {
        let message = messages::Entity::find_by_id(id)
            .filter(messages::Column::RoomId.eq(room_id))
            .one(&deps.db)
            .await?
            .ok_or(Error::NotFound("message not found in this room"))?;
        match message.parent_id {
            None => message.seq,
            Some(root) => {
                messages::Entity::find_by_id(root)
                    .one(&deps.db)
                    .await?
                    .ok_or(Error::NotFound("message not found in this room"))?
                    .seq
            }
        }
    } else {
        let from = args.around_seq.unwrap_or(0);
        let at_or_after = top_level()
            .filter(messages::Column::Seq.gte(from))
            .order_by_asc(messages::Column::Seq)
            .one(&deps.db)
            .await?;
        match at_or_after {
            Some(m) => m.seq,
            // Nothing that new: the newest message is the centre (the page is the end of the history).
            None => match top_level()
                .order_by_desc(messages::Column::Seq)
                .one(&deps.db)
                .await?
            {
                Some(m) => m.seq,
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        has_next_page: false,
                        has_previous_page: false,
                    });
                }
            },
        }
    };

    let before_count = (size - 1) / 2;
    let after_count = size - before_count;
    let mut older = top_level()
        .filter(messages::Column::Seq.lt(centre))
        .order_by_desc(messages::Column::Seq)
        .limit(before_count + 1)
        .all(&deps.db)
        .await?;
    let mut newer = top_level()
        .filter(messages::Column::Seq.gte(centre))
        .order_by_asc(messages::Column::Seq)
        .limit(after_count + 1)
        .all(&deps.db)
        .await?;
    let has_previous_page = older.len() as u64 > before_count;
    let has_next_page = newer.len() as u64 > after_count;
    older.truncate(before_count as usize);
    newer.truncate(after_count as usize);
    older.reverse();
    older.append(&mut newer);
    Ok(Page {
        items: older,
        has_next_page,
        has_previous_page,
    })
}

/// `thread(messageId, …)`: the replies of a thread, oldest first. A reply's id selects its thread.
pub async fn thread(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<Page<messages::Model>> {
    let limit = pagination::page_size("first", first)?.unwrap_or(DEFAULT_PAGE);
    let after = after
        .map(|c| pagination::parse_seq_cursor("after", c))
        .transpose()?;
    let (message, _) =
        permissions::message_for_member(&deps.db, message_id, viewer.user_id).await?;
    let root = message.parent_id.unwrap_or(message.id);
    let mut query = messages::Entity::find()
        .filter(messages::Column::ParentId.eq(root))
        .order_by_asc(messages::Column::Seq)
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(messages::Column::Seq.gt(after));
    }
    let mut items = query.all(&deps.db).await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    Ok(Page {
        items,
        has_next_page: more,
        has_previous_page: after.is_some(),
    })
}
