//! The delivery contract of `events(positions)`: one stream per user over every room they are a member of.
//!
//! - Rooms listed in `positions` replay from storage after their `afterSeq`, exactly once and in seq order
//!   (the `roomEvents` contract, per room); the viewer's other rooms go live.
//! - A room the viewer joins (created on another device, a DM someone opened, an invite) is announced on the
//!   viewer's own channel: the stream emits `RoomAdded` and follows the room from just before the viewer's
//!   own `MemberJoined`.
//! - A room the viewer leaves ends with their `MemberLeft` and then `RoomRemoved`; a listed room they are no
//!   longer in gets `RoomRemoved` at once.
//! - Profile changes of people sharing a room (and the viewer's own), the viewer's notifications and typing
//!   come through too. One socket, one subscription, any number of rooms.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use entity::notifications;
use futures_util::stream::SelectAll;
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::bus::{Signal, channels};
use super::inbox::inbox;
use super::publish::UserSignal;
use super::room_stream::{self, RoomItem, is_own_leave};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::rooms::permissions::room_ids_of;

/// At most this many rooms can be listed in `positions` (more than anyone is a member of).
pub const MAX_POSITIONS: usize = 10_000;

/// Profile changes remembered to drop the copies that arrive through each shared room.
const RECENT_UPDATES: usize = 256;

/// One item of a viewer's stream.
#[derive(Clone, Debug)]
pub enum ViewerItem {
    Room { item: RoomItem, room_id: Uuid },
    RoomAdded { room_id: Uuid, at: DateTime<Utc> },
    RoomRemoved { room_id: Uuid, at: DateTime<Utc> },
    UserUpdated { user_id: Uuid, at: DateTime<Utc> },
    Notification(notifications::Model),
}

type Tagged = std::pin::Pin<Box<dyn Stream<Item = (Uuid, Result<RoomItem>)> + Send>>;

async fn follow(deps: &Deps, viewer: Viewer, room_id: Uuid, after: Option<i64>) -> Result<Tagged> {
    let stream = room_stream::open(deps, viewer, room_id, after).await?;
    Ok(Box::pin(stream.map(move |item| (room_id, item))))
}

/// Opens the stream. `positions` are `(roomId, afterSeq)` pairs.
pub async fn open(
    deps: &Deps,
    viewer: Viewer,
    positions: Vec<(Uuid, i64)>,
) -> Result<impl Stream<Item = Result<ViewerItem>> + Send + use<>> {
    if positions.len() > MAX_POSITIONS {
        return Err(Error::invalid(
            "positions",
            format!("at most {MAX_POSITIONS} positions"),
        ));
    }
    let me = viewer.user_id;
    // Listen on our own channel before listing rooms: a room joined meanwhile is announced to us.
    let mut control = deps.bus.subscribe(&channels::user(me)).await?;
    let notes = inbox(deps.clone(), viewer).await?;
    let positions: HashMap<Uuid, i64> = positions.into_iter().collect();
    let mut following: HashSet<Uuid> = HashSet::new();
    let mut streams: SelectAll<Tagged> = SelectAll::new();
    for room_id in room_ids_of(&deps.db, me).await? {
        let after = positions.get(&room_id).map(|seq| (*seq).max(0));
        streams.push(follow(deps, viewer, room_id, after).await?);
        following.insert(room_id);
    }
    let gone: Vec<Uuid> = positions
        .keys()
        .copied()
        .filter(|room| !following.contains(room))
        .collect();
    let deps = deps.clone();

    Ok(async_stream::stream! {
        for room_id in gone {
            yield Ok(ViewerItem::RoomRemoved { room_id, at: clock::now() });
        }
        let mut notes = std::pin::pin!(notes);
        let mut recent: VecDeque<(Uuid, DateTime<Utc>)> = VecDeque::new();
        loop {
            tokio::select! {
                next = streams.next(), if !streams.is_empty() => {
                    let Some((room_id, item)) = next else { continue };
                    match item {
                        Ok(RoomItem::UserUpdated { user_id, at }) => {
                            if !recent.contains(&(user_id, at)) {
                                if recent.len() == RECENT_UPDATES {
                                    recent.pop_front();
                                }
                                recent.push_back((user_id, at));
                                yield Ok(ViewerItem::UserUpdated { user_id, at });
                            }
                        }
                        Ok(item) => {
                            let leaving = matches!(&item, RoomItem::Stored(event) if is_own_leave(event, me));
                            yield Ok(ViewerItem::Room { item, room_id });
                            if leaving {
                                following.remove(&room_id);
                                yield Ok(ViewerItem::RoomRemoved { room_id, at: clock::now() });
                            }
                        }
                        Err(err) => {
                            // The client resumes with its positions; nothing is lost.
                            yield Err(err);
                            return;
                        }
                    }
                }
                signal = control.recv() => match signal {
                    None => return,
                    Some(Signal::Message(text)) => match serde_json::from_str::<UserSignal>(&text) {
                        Ok(UserSignal::RoomAdded { room_id, after_seq }) if !following.contains(&room_id) => {
                            match follow(&deps, viewer, room_id, Some(after_seq)).await {
                                Ok(stream) => {
                                    following.insert(room_id);
                                    streams.push(stream);
                                    yield Ok(ViewerItem::RoomAdded { room_id, at: clock::now() });
                                }
                                // Not a member any more (joined and left again): nothing to follow.
                                Err(Error::NotFound(_)) => {}
                                // Never drop a join silently: the client resumes with its positions.
                                Err(err) => {
                                    yield Err(err);
                                    return;
                                }
                            }
                        }
                        Ok(UserSignal::UserUpdated { at }) if !recent.contains(&(me, at)) => {
                            recent.push_back((me, at));
                            yield Ok(ViewerItem::UserUpdated { user_id: me, at });
                        }
                        Ok(_) => {}
                        Err(err) => tracing::warn!(error = %err, "unreadable user signal"),
                    },
                    // A join may have been missed: follow any room we are in but not following, live.
                    Some(Signal::Lagged) => match room_ids_of(&deps.db, me).await {
                        Ok(rooms) => for room_id in rooms {
                            if following.contains(&room_id) {
                                continue;
                            }
                            match follow(&deps, viewer, room_id, None).await {
                                Ok(stream) => {
                                    following.insert(room_id);
                                    streams.push(stream);
                                    yield Ok(ViewerItem::RoomAdded { room_id, at: clock::now() });
                                }
                                Err(Error::NotFound(_)) => {}
                                Err(err) => {
                                    yield Err(err);
                                    return;
                                }
                            }
                        },
                        Err(err) => {
                            yield Err(err);
                            return;
                        }
                    },
                },
                note = notes.next() => match note {
                    Some(row) => yield Ok(ViewerItem::Notification(row)),
                    None => return,
                },
            }
        }
    })
}
