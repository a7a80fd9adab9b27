//! Reading messages: history pages of a room (both ways, or around one message) and thread replies.

use entity::messages;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::pagination::Page;
use crate::rooms::permissions::{self, require_member};

/// Which top-level messages of a room a history page holds. Cursors are message seqs (exclusive bounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The oldest `limit` messages after `after` (and below `before`).
    Forward {
        after: Option<i64>,
        before: Option<i64>,
        limit: u64,
    },
    /// The newest `limit` messages below `before` (and after `after`).
    Backward {
        after: Option<i64>,
        before: Option<i64>,
        limit: u64,
    },
    /// `size` messages centred on one: about half before it, the message and the rest after it.
    Around { centre: Centre, size: u64 },
}

/// The message a page is centred on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Centre {
    /// This message (a thread reply stands for its root).
    Message(Uuid),
    /// The first top-level message with a seq at or above this one (e.g. the first unread: my
    /// `lastReadSeq` + 1), or the newest message when there is none.
    Seq(i64),
}

/// A room's top-level messages (tombstones included, thread replies excluded) in seq order, in the window
/// asked for.
pub async fn history(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    window: Window,
) -> Result<Page<messages::Model>> {
    let (after, before, limit, forward) = match window {
        Window::Around { centre, size } => {
            return around(deps, viewer, room_id, centre, size).await;
        }
        Window::Forward {
            after,
            before,
            limit,
        } => (after, before, limit, true),
        Window::Backward {
            after,
            before,
            limit,
        } => (after, before, limit, false),
    };
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
    if forward {
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

/// A page of `size` top-level messages centred on one message, with `hasPreviousPage`/`hasNextPage` exact
/// on both sides so the client pages further either way.
async fn around(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    centre: Centre,
    size: u64,
) -> Result<Page<messages::Model>> {
    require_member(&deps.db, room_id, viewer.user_id).await?;
    let size = size.max(1);
    let top_level = || {
        messages::Entity::find()
            .filter(messages::Column::RoomId.eq(room_id))
            .filter(messages::Column::ParentId.is_null())
    };

    // The seq of the message the page is centred on; every row at or after it goes to the second half.
    let centre = match centre {
        Centre::Message(id) => {
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
        }
        Centre::Seq(from) => {
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

/// The replies of a thread, oldest first: `limit` after the reply with seq `after`. A reply's id selects
/// its thread.
pub async fn thread(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    limit: u64,
    after: Option<i64>,
) -> Result<Page<messages::Model>> {
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
