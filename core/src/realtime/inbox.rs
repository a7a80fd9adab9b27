//! The viewer's stored notification rows (MENTION, INVITE), live: the source of the `mentions` subscription
//! and of the stored notification items of the per-viewer stream (and through it of `notifications`), with
//! the recipient's settings applied at delivery time.
//!
//! A stream given `after` first replays the stored rows after it (ids are UUIDv7, so they sort by creation),
//! then goes live, with nothing doubled at the seam: it subscribes to the bus, then notes the newest stored
//! row (`start`); the replay reads up to `start`, the live part delivers only rows above it.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

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
    let mut delivered = Delivered::default();
    let stream = async_stream::stream! {
        while let Some(signal) = signals.recv().await {
            match signal {
                Signal::Message(text) => match serde_json::from_str::<UserSignal>(&text) {
                    Ok(UserSignal::Notification(row)) if row.user_id == me => {
                        if start.is_none_or(|s| row.id > s) && delivered.insert(row.id) {
                            yield row;
                        }
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "unreadable user signal"),
                },
                Signal::Lagged => {
                    let mut missed = notifications::Entity::find()
                        .filter(notifications::Column::UserId.eq(me));
                    if let Some(after) = delivered.recheck_after().max(start) {
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
                            if delivered.insert(row.id) {
                                yield row;
                            }
                        },
                        Err(err) => tracing::warn!(error = %err, "recovering notifications failed"),
                    }
                }
            }
        }
    };
    Ok((start, stream))
}

/// The notifications a live stream delivered lately, so that none is delivered twice and none is skipped.
///
/// Ids are UUIDv7 (ordered by when they were made, in the writer's transaction), but transactions commit and
/// publish in any order: a row with a lower id can be announced after one with a higher id. So the live
/// path accepts any row it has not delivered yet instead of only rows above the last one, and a catch-up
/// after a lag re-reads a window before the newest delivered row ([`RECHECK`]) and skips what it delivered.
#[derive(Default)]
struct Delivered {
    recent: VecDeque<Uuid>,
    seen: HashSet<Uuid>,
    newest: Option<Uuid>,
}

/// How many delivered ids are remembered; far more than the rows one catch-up window can hold.
const REMEMBERED: usize = 1024;

/// How far before the newest delivered row a catch-up reads again: longer than any send transaction.
const RECHECK: Duration = Duration::from_secs(30);

impl Delivered {
    /// Records `id`; false if it was delivered already.
    fn insert(&mut self, id: Uuid) -> bool {
        if !self.seen.insert(id) {
            return false;
        }
        self.recent.push_back(id);
        if self.recent.len() > REMEMBERED
            && let Some(old) = self.recent.pop_front()
        {
            self.seen.remove(&old);
        }
        self.newest = self.newest.max(Some(id));
        true
    }

    /// The id a catch-up reads after: the smallest UUIDv7 of [`RECHECK`] before the newest delivered row.
    fn recheck_after(&self) -> Option<Uuid> {
        let newest = self.newest?;
        let (secs, nanos) = newest.get_timestamp()?.to_unix();
        let millis = (u128::from(secs) * 1000 + u128::from(nanos / 1_000_000))
            .saturating_sub(RECHECK.as_millis());
        Some(v7_floor(u64::try_from(millis).unwrap_or(0)))
    }
}

/// The smallest UUIDv7 with the given Unix time in milliseconds.
fn v7_floor(millis: u64) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    bytes[6] = 0x70;
    bytes[8] = 0x80;
    Uuid::from_bytes(bytes)
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

#[cfg(test)]
mod tests {
    use uuid::{NoContext, Timestamp};

    use super::*;

    fn v7_at(millis: u64) -> Uuid {
        Uuid::new_v7(Timestamp::from_unix(
            NoContext,
            millis / 1000,
            (millis % 1000) as u32 * 1_000_000,
        ))
    }

    #[test]
    fn the_floor_sorts_before_every_id_of_its_millisecond_and_after_the_one_before() {
        let millis = 1_780_000_000_123;
        let floor = v7_floor(millis);
        assert_eq!(floor.get_version_num(), 7);
        for _ in 0..100 {
            assert!(floor <= v7_at(millis));
            assert!(floor > v7_at(millis - 1));
        }
    }

    #[test]
    fn rows_are_delivered_once_in_whatever_order_they_are_announced() {
        let mut delivered = Delivered::default();
        let (low, high) = (v7_at(1_000_000), v7_at(1_000_005));
        assert!(delivered.insert(high));
        assert!(
            delivered.insert(low),
            "an older row announced later still goes out"
        );
        assert!(!delivered.insert(high));
        assert!(!delivered.insert(low));
        let after = delivered.recheck_after().expect("something was delivered");
        assert!(after < low, "a catch-up re-reads before the newest row");
    }

    #[test]
    fn memory_is_bounded() {
        let mut delivered = Delivered::default();
        for i in 0..(REMEMBERED as u64 * 3) {
            delivered.insert(v7_at(1_000_000 + i));
        }
        assert_eq!(delivered.recent.len(), REMEMBERED);
        assert_eq!(delivered.seen.len(), REMEMBERED);
    }
}
