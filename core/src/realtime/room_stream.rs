//! The delivery contract of `roomEvents(roomId, afterSeq)`: every stored event of the room with a seq above
//! `afterSeq`, exactly once and in seq order, then live, across reconnects and api processes.
//!
//! 1. Authorise (current member).
//! 2. Subscribe to the room's bus channel.
//! 3. Replay stored events with seq > afterSeq from storage (none when afterSeq is null: live only).
//! 4. Live: a signal carrying the very next seq is delivered as it is; one at or below the last seq sent is a
//!    duplicate and dropped; a jump (a gap), a lag or a lost bus connection sends us back to storage to fill
//!    in. Storage is the truth; the bus only wakes us up, so nothing a signal fails to carry can be lost.
//!
//! Memory per subscription is bounded: storage is read in pages and the bus buffers at most its channel
//! capacity before the subscriber counts as lagging (and recovers from storage). The stream ends after
//! delivering the viewer's own `MemberLeft`.

use chrono::{DateTime, Utc};
use entity::room_events;
use futures_util::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::bus::{Signal, channels};
use crate::context::{Deps, Viewer};
use crate::error::Result;
use crate::events::{EventData, EventKind};
use crate::rooms::permissions;

/// Stored events read from storage at a time.
const PAGE: u64 = 200;

/// What is published on a room's channel.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum RoomSignal {
    /// A stored event, just committed.
    Event(room_events::Model),
    /// Someone is typing (ephemeral: never stored, no seq).
    Typing { user_id: Uuid, at: DateTime<Utc> },
    /// A member changed their profile (nickname, avatar): ephemeral, for per-user streams.
    UserUpdated { user_id: Uuid, at: DateTime<Utc> },
}

/// One item of a room's stream.
#[derive(Clone, Debug)]
pub enum RoomItem {
    Stored(room_events::Model),
    Typing {
        room_id: Uuid,
        user_id: Uuid,
        at: DateTime<Utc>,
    },
    UserUpdated {
        user_id: Uuid,
        at: DateTime<Utc>,
    },
}

/// Opens the stream. Authorisation happens here, so a refusal is an error of the subscription itself.
pub async fn open(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    after_seq: Option<i64>,
) -> Result<impl Stream<Item = Result<RoomItem>> + Send + use<>> {
    Ok(open_marked(deps, viewer, room_id, after_seq).await?.1)
}

/// Like [`open`], and also returns the room's last seq when the stream was authorised: events above it
/// happened while the stream was open (what is live news), those at or below it are replay.
pub async fn open_marked(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    after_seq: Option<i64>,
) -> Result<(i64, impl Stream<Item = Result<RoomItem>> + Send + use<>)> {
    let opened_at = permissions::require_member(&deps.db, room_id, viewer.user_id)
        .await?
        .0
        .last_seq;
    // Subscribe before reading the room's position: an event committed after the read is then signalled to us.
    let mut signals = deps.bus.subscribe(&channels::room(room_id)).await?;
    let mut last = match after_seq {
        Some(seq) => seq.max(0),
        None => {
            permissions::require_member(&deps.db, room_id, viewer.user_id)
                .await?
                .0
                .last_seq
        }
    };
    let db = deps.db.clone();
    let me = viewer.user_id;

    let stream = async_stream::stream! {
        let mut catch_up = after_seq.is_some();
        loop {
            if catch_up {
                // The read runs as a task of its own: a stream merged with others (the per-user stream) may
                // sit unpolled while its consumer works, and must not hold a pooled connection meanwhile.
                let page = match tokio::spawn(after(db.clone(), room_id, last)).await {
                    Ok(Ok(page)) => page,
                    Ok(Err(err)) => {
                        yield Err(err);
                        return;
                    }
                    Err(err) => {
                        yield Err(err.into());
                        return;
                    }
                };
                let full = page.len() as u64 == PAGE;
                for event in page {
                    last = event.seq;
                    let leaving = is_own_leave(&event, me);
                    yield Ok(RoomItem::Stored(event));
                    if leaving {
                        return;
                    }
                }
                catch_up = full;
                continue;
            }
            match signals.recv().await {
                None => return,
                Some(Signal::Lagged) => catch_up = true,
                Some(Signal::Message(text)) => match serde_json::from_str::<RoomSignal>(&text) {
                    Ok(RoomSignal::Typing { user_id, at }) => yield Ok(RoomItem::Typing { room_id, user_id, at }),
                    Ok(RoomSignal::UserUpdated { user_id, at }) => yield Ok(RoomItem::UserUpdated { user_id, at }),
                    Ok(RoomSignal::Event(event)) if event.seq <= last => {}
                    Ok(RoomSignal::Event(event)) if event.seq == last + 1 => {
                        last = event.seq;
                        let leaving = is_own_leave(&event, me);
                        yield Ok(RoomItem::Stored(event));
                        if leaving {
                            return;
                        }
                    }
                    Ok(RoomSignal::Event(_)) => catch_up = true,
                    Err(err) => {
                        tracing::warn!(error = %err, "unreadable room signal: recovering from storage");
                        catch_up = true;
                    }
                },
            }
        }
    };
    Ok((opened_at, stream))
}

async fn after(db: DatabaseConnection, room_id: Uuid, seq: i64) -> Result<Vec<room_events::Model>> {
    Ok(room_events::Entity::find()
        .filter(room_events::Column::RoomId.eq(room_id))
        .filter(room_events::Column::Seq.gt(seq))
        .order_by_asc(room_events::Column::Seq)
        .limit(PAGE)
        .all(&db)
        .await?)
}

pub(crate) fn is_own_leave(event: &room_events::Model, me: Uuid) -> bool {
    event.kind == EventKind::MemberLeft
        && matches!(EventData::of(event), Ok(EventData::MemberLeft { user_id }) if user_id == me)
}
