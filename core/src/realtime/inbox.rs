//! The viewer's stored notification rows (MENTION, INVITE), live: the source of the `mentions` subscription
//! and of the stored notification items of the per-viewer stream (and through it of `notifications`), with
//! the recipient's settings applied at delivery time.
//!
//! A stream given `after` first replays the stored rows after it (ids are UUIDv7, so they sort by creation),
//! then goes live, with nothing doubled at the seam: it subscribes to the bus, then notes the newest stored
//! row (`start`); the replay reads up to `start`, the live part delivers only rows above it.

use entity::{messages, notifications, room_users, users};
use futures_util::{Stream, StreamExt};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::bus::{Signal, channels};
use super::publish::UserSignal;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::notifications::NotificationKind;
use crate::rooms::permissions;

/// Stored rows read back at a time by a replay.
const PAGE: u64 = 200;

/// Mention rows as they are stored, from rooms the recipient is still in: with `after` (see [`check_after`]),
/// first the stored ones after it, in order, then live; without it, live only.
pub async fn mentions(
    deps: Deps,
    viewer: Viewer,
    after: Option<Uuid>,
) -> Result<impl Stream<Item = Result<notifications::Model>> + Send + 'static> {
    if let Some(after) = after {
        check_after(&deps.db, viewer.user_id, after).await?;
    }
    let (start, live) = inbox(deps.clone(), viewer).await?;
    let rows = replay(deps.db.clone(), viewer.user_id, after, start).chain(live.map(Ok));
    Ok(rows.filter_map(move |row| {
        let deps = deps.clone();
        async move {
            let row = match row {
                Ok(row) => row,
                Err(err) => return Some(Err(err)),
            };
            if NotificationKind::parse(&row.kind) != Some(NotificationKind::Mention) {
                return None;
            }
            match current_membership(&deps, &row).await {
                Ok(Some(_)) => Some(Ok(row)),
                Ok(None) => None,
                Err(err) => {
                    tracing::warn!(error = %err, "checking a mention's room failed");
                    None
                }
            }
        }
    }))
}

/// Whether a replay may start after `after`: the id of a notification the viewer received, that is one of
/// their stored notifications or a MESSAGE alert (the id of a message in a room they are in). Anything else
/// is BAD_USER_INPUT, the same for an unknown id as for someone else's, so ids cannot be probed.
pub async fn check_after(db: &DatabaseConnection, me: Uuid, after: Uuid) -> Result<()> {
    let stored = notifications::Entity::find_by_id(after)
        .filter(notifications::Column::UserId.eq(me))
        .count(db)
        .await?
        > 0;
    if stored {
        return Ok(());
    }
    let room = messages::Entity::find_by_id(after)
        .select_only()
        .column(messages::Column::RoomId)
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    if let Some(room) = room
        && permissions::membership(db, room, me).await?.is_some()
    {
        return Ok(());
    }
    Err(Error::invalid(
        "after",
        "after is not one of your notifications",
    ))
}

/// The stored rows of `me` with `after < id <= upto`, in id order, read a page at a time; nothing without
/// `after` or `upto`. Ends with an error if storage fails (the client subscribes again).
pub fn replay(
    db: DatabaseConnection,
    me: Uuid,
    after: Option<Uuid>,
    upto: Option<Uuid>,
) -> impl Stream<Item = Result<notifications::Model>> + Send + 'static {
    async_stream::stream! {
        let (Some(mut last), Some(upto)) = (after, upto) else { return };
        loop {
            let query = notifications::Entity::find()
                .filter(notifications::Column::UserId.eq(me))
                .filter(notifications::Column::Id.gt(last))
                .filter(notifications::Column::Id.lte(upto))
                .order_by_asc(notifications::Column::Id)
                .limit(PAGE);
            // A task of its own, so an unpolled stream never holds a pooled connection.
            let db = db.clone();
            let page = match tokio::spawn(async move { query.all(&db).await }).await {
                Ok(Ok(page)) => page,
                Ok(Err(err)) => {
                    yield Err(err.into());
                    return;
                }
                Err(err) => {
                    yield Err(err.into());
                    return;
                }
            };
            let full = page.len() as u64 == PAGE;
            for row in page {
                last = row.id;
                yield Ok(row);
            }
            if !full {
                return;
            }
        }
    }
}

/// The viewer's new notification rows, live, and `start`: the newest stored row when the stream was
/// subscribed (the rows it delivers are all above it). Rows missed while lagging are read back from storage
/// (ids are UUIDv7, so they sort by creation).
pub async fn inbox(
    deps: Deps,
    viewer: Viewer,
) -> Result<(
    Option<Uuid>,
    impl Stream<Item = notifications::Model> + Send + 'static,
)> {
    let mut signals = deps.bus.subscribe(&channels::user(viewer.user_id)).await?;
    let me = viewer.user_id;
    // Where this stream starts: a row stored after it (even while the bus is down) is caught up on the next
    // lag signal.
    let start: Option<Uuid> = notifications::Entity::find()
        .select_only()
        .column(notifications::Column::Id)
        .filter(notifications::Column::UserId.eq(me))
        .order_by_desc(notifications::Column::Id)
        .into_tuple::<Uuid>()
        .one(&deps.db)
        .await?;
    let mut last = start;
    let stream = async_stream::stream! {
        while let Some(signal) = signals.recv().await {
            match signal {
                Signal::Message(text) => match serde_json::from_str::<UserSignal>(&text) {
                    Ok(UserSignal::Notification(row)) if row.user_id == me => {
                        if last.is_none_or(|l| row.id > l) {
                            last = Some(row.id);
                            yield row;
                        }
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "unreadable user signal"),
                },
                Signal::Lagged => {
                    let mut missed = notifications::Entity::find()
                        .filter(notifications::Column::UserId.eq(me));
                    if let Some(after) = last {
                        missed = missed.filter(notifications::Column::Id.gt(after));
                    }
                    // A task of its own, so an unpolled stream never holds a pooled connection.
                    let db = deps.db.clone();
                    let missed = tokio::spawn(async move {
                        missed
                            .order_by_asc(notifications::Column::Id)
                            .limit(1000)
                            .all(&db)
                            .await
                    })
                    .await
                    .unwrap_or_else(|err| Err(sea_orm::DbErr::Custom(err.to_string())));
                    match missed {
                        Ok(rows) => for row in rows {
                            last = Some(row.id);
                            yield row;
                        },
                        Err(err) => tracing::warn!(error = %err, "recovering notifications failed"),
                    }
                }
            }
        }
    };
    Ok((start, stream))
}

/// Whether a stored notification is pushed, per the recipient's settings now.
pub async fn wanted(deps: &Deps, row: &notifications::Model) -> Result<bool> {
    let Some(user) = users::Entity::find_by_id(row.user_id).one(&deps.db).await? else {
        return Ok(false);
    };
    if !user.notifications_enabled {
        return Ok(false);
    }
    let Some(member) = current_membership(deps, row).await? else {
        return Ok(false);
    };
    Ok(NotificationKind::parse(&row.kind) == Some(NotificationKind::Mention) || !member.muted)
}

/// The recipient's membership of the notification's room, if they are still in it.
async fn current_membership(
    deps: &Deps,
    row: &notifications::Model,
) -> Result<Option<room_users::Model>> {
    Ok(room_users::Entity::find_by_id((row.room_id, row.user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .one(&deps.db)
        .await?)
}
