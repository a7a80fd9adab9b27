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
//! - MESSAGE alerts are not stored: each is derived from a `MessageAdded` event that happened while the
//!   stream was open (never from replay), for anyone but its sender and those it mentions (who have a stored
//!   MENTION), honouring the viewer's global switch and room mutes. The settings are held in memory and
//!   reloaded when the viewer changes them (a signal on their own channel), so an alert costs no query.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use entity::{notifications, room_events, room_users, users};
use futures_util::stream::SelectAll;
use futures_util::{Stream, StreamExt};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::bus::{Signal, channels};
use super::inbox::{self, inbox};
use super::presence::PresenceStatus;
use super::publish::UserSignal;
use super::room_stream::{self, RoomItem, is_own_leave};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::events::{EventData, EventKind};
use crate::messages::mentions::Broadcast;
use crate::notifications::NotificationKind;
use crate::rooms::permissions::room_ids_of;

/// At most this many rooms can be listed in `positions` (more than anyone is a member of).
pub const MAX_POSITIONS: usize = 10_000;

/// Profile changes remembered to drop the copies that arrive through each shared room.
const RECENT_UPDATES: usize = 256;

/// One item of a viewer's stream.
#[derive(Clone, Debug)]
pub enum ViewerItem {
    Room {
        item: RoomItem,
        room_id: Uuid,
    },
    RoomAdded {
        room_id: Uuid,
        at: DateTime<Utc>,
    },
    RoomRemoved {
        room_id: Uuid,
        at: DateTime<Utc>,
    },
    UserUpdated {
        user_id: Uuid,
        at: DateTime<Utc>,
    },
    /// A stored notification (MENTION, INVITE), before the viewer's settings are applied.
    Notification(notifications::Model),
    /// A MESSAGE alert derived from a live `MessageAdded` (the room's event `seq`), already filtered by the
    /// viewer's settings. Never stored: its id is the message's id, so a client sees the same id for the same
    /// message every time.
    MessageAlert {
        row: notifications::Model,
        seq: i64,
    },
}

type Tagged = std::pin::Pin<Box<dyn Stream<Item = (Uuid, Result<RoomItem>)> + Send>>;

/// Follows a room; returns the stream and the seq above which its events are live news (for alerts).
async fn follow(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    after: Option<i64>,
) -> Result<(Tagged, i64)> {
    let (opened_at, stream) = room_stream::open_marked(deps, viewer, room_id, after).await?;
    Ok((Box::pin(stream.map(move |item| (room_id, item))), opened_at))
}

/// The viewer's notification settings, as alerts need them.
#[derive(Debug, Default)]
struct Prefs {
    enabled: bool,
    muted: HashSet<Uuid>,
}

impl Prefs {
    async fn load(db: DatabaseConnection, me: Uuid) -> Result<Self> {
        // A task of its own, so an unpolled stream never holds a pooled connection.
        tokio::spawn(async move {
            let enabled = users::Entity::find_by_id(me)
                .select_only()
                .column(users::Column::NotificationsEnabled)
                .into_tuple::<bool>()
                .one(&db)
                .await?
                .unwrap_or(false);
            let muted = room_users::Entity::find()
                .select_only()
                .column(room_users::Column::RoomId)
                .filter(room_users::Column::UserId.eq(me))
                .filter(room_users::Column::LeftAt.is_null())
                .filter(room_users::Column::Muted.eq(true))
                .into_tuple::<Uuid>()
                .all(&db)
                .await?;
            Ok(Prefs {
                enabled,
                muted: muted.into_iter().collect(),
            })
        })
        .await?
    }
}

/// What a new message raises for `me` besides a stored MENTION.
enum Alert {
    Message(notifications::Model),
    /// An `@here` message: its MESSAGE alert stands only if `me` is not connected now (connected members were
    /// reached and have a stored MENTION instead).
    UnlessConnected(notifications::Model),
}

/// The MESSAGE alert `event` raises for `me`, if any: a new message by someone else that does not mention
/// `me` (a mention has its stored MENTION notification), in a room `me` has not muted, with notifications on.
/// `@everyone` reaches every member but the sender; `@here` the connected ones, which only presence can tell.
fn message_alert(event: &room_events::Model, me: Uuid, prefs: &Prefs) -> Option<Alert> {
    if event.kind != EventKind::MessageAdded
        || !prefs.enabled
        || prefs.muted.contains(&event.room_id)
    {
        return None;
    }
    let Ok(EventData::MessageAdded {
        message_id,
        // An event without its sender cannot be told apart from the viewer's own message: no alert.
        sender_id: Some(sender),
        mentioned_ids,
        broadcast,
        ..
    }) = EventData::of(event)
    else {
        return None;
    };
    if sender == me || mentioned_ids.contains(&me) || broadcast == Some(Broadcast::Everyone) {
        return None;
    }
    let alert = notifications::Model {
        id: message_id,
        user_id: me,
        kind: NotificationKind::Message.as_str().to_owned(),
        room_id: event.room_id,
        message_id: Some(message_id),
        created_at: event.created_at,
        read_at: None,
    };
    Some(match broadcast {
        Some(Broadcast::Here) => Alert::UnlessConnected(alert),
        _ => Alert::Message(alert),
    })
}

/// Opens the stream. `positions` are `(roomId, afterSeq)` pairs.
pub async fn open(
    deps: &Deps,
    viewer: Viewer,
    positions: Vec<(Uuid, i64)>,
) -> Result<impl Stream<Item = Result<ViewerItem>> + Send + use<>> {
    Ok(open_marked(deps, viewer, positions).await?.1)
}

/// Like [`open`], and also returns the viewer's newest stored notification when the stream subscribed: the
/// stored notifications it delivers are all newer (where a replay of older ones ends).
async fn open_marked(
    deps: &Deps,
    viewer: Viewer,
    positions: Vec<(Uuid, i64)>,
) -> Result<(
    Option<Uuid>,
    impl Stream<Item = Result<ViewerItem>> + Send + use<>,
)> {
    if positions.len() > MAX_POSITIONS {
        return Err(Error::invalid(
            "positions",
            format!("at most {MAX_POSITIONS} positions"),
        ));
    }
    let me = viewer.user_id;
    // Listen on our own channel before listing rooms: a room joined meanwhile is announced to us.
    let mut control = deps.bus.subscribe(&channels::user(me)).await?;
    let (notes_start, notes) = inbox(deps.clone(), viewer).await?;
    let mut prefs = Prefs::load(deps.db.clone(), me).await?;
    let positions: HashMap<Uuid, i64> = positions.into_iter().collect();
    // The rooms followed, each with the seq above which its events are live news.
    let mut following: HashMap<Uuid, i64> = HashMap::new();
    let mut streams: SelectAll<Tagged> = SelectAll::new();
    for room_id in room_ids_of(&deps.db, me).await? {
        let after = positions.get(&room_id).map(|seq| (*seq).max(0));
        let (stream, live_from) = follow(deps, viewer, room_id, after).await?;
        streams.push(stream);
        following.insert(room_id, live_from);
    }
    let gone: Vec<Uuid> = positions
        .keys()
        .copied()
        .filter(|room| !following.contains_key(room))
        .collect();
    let deps = deps.clone();

    let stream = async_stream::stream! {
        for room_id in gone {
            yield Ok(ViewerItem::RoomRemoved { room_id, at: clock::now() });
        }
        let mut notes = std::pin::pin!(notes);
        let mut recent: VecDeque<(Uuid, DateTime<Utc>)> = VecDeque::new();
        loop {
            tokio::select! {
                // The viewer's own channel first: a settings change published before a message is applied
                // before that message's alert is derived.
                biased;
                signal = control.recv() => match signal {
                    None => return,
                    Some(Signal::Message(text)) => match serde_json::from_str::<UserSignal>(&text) {
                        Ok(UserSignal::RoomAdded { room_id, after_seq }) if !following.contains_key(&room_id) => {
                            match follow(&deps, viewer, room_id, Some(after_seq)).await {
                                Ok((stream, _)) => {
                                    // Everything after the viewer joined is news to them.
                                    following.insert(room_id, after_seq);
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
                            match Prefs::load(deps.db.clone(), me).await {
                                Ok(loaded) => prefs = loaded,
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
                        Ok(UserSignal::SettingsChanged) => match Prefs::load(deps.db.clone(), me).await {
                            Ok(loaded) => prefs = loaded,
                            Err(err) => {
                                yield Err(err);
                                return;
                            }
                        },
                        Ok(_) => {}
                        Err(err) => tracing::warn!(error = %err, "unreadable user signal"),
                    },
                    // A join or a settings change may have been missed: reload the settings, and follow any
                    // room we are in but not following, live.
                    Some(Signal::Lagged) => {
                        match Prefs::load(deps.db.clone(), me).await {
                            Ok(loaded) => prefs = loaded,
                            Err(err) => {
                                yield Err(err);
                                return;
                            }
                        }
                        match room_ids_of(&deps.db, me).await {
                            Ok(rooms) => for room_id in rooms {
                                if following.contains_key(&room_id) {
                                    continue;
                                }
                                match follow(&deps, viewer, room_id, None).await {
                                    Ok((stream, live_from)) => {
                                        following.insert(room_id, live_from);
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
                        }
                    }
                },
                note = notes.next() => match note {
                    Some(row) => yield Ok(ViewerItem::Notification(row)),
                    None => return,
                },
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
                            let seq = match &item {
                                RoomItem::Stored(event) => event.seq,
                                _ => 0,
                            };
                            let alert = match &item {
                                RoomItem::Stored(event)
                                    if following.get(&room_id).is_some_and(|live_from| event.seq > *live_from) =>
                                {
                                    message_alert(event, me, &prefs)
                                }
                                _ => None,
                            };
                            yield Ok(ViewerItem::Room { item, room_id });
                            let alert = match alert {
                                Some(Alert::Message(alert)) => Some(alert),
                                // Rare (owners and admins only): one presence read per viewer is affordable.
                                Some(Alert::UnlessConnected(alert)) => match deps.presence.status_of(me).await {
                                    Ok(PresenceStatus::Offline) => Some(alert),
                                    Ok(_) => None,
                                    Err(err) => {
                                        tracing::warn!(error = %err, "reading presence for an @here alert failed");
                                        None
                                    }
                                },
                                None => None,
                            };
                            if let Some(row) = alert {
                                yield Ok(ViewerItem::MessageAlert { row, seq });
                            }
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
            }
        }
    };
    Ok((notes_start, stream))
}

/// The viewer's notifications as the `notifications` subscription pushes them: stored ones their settings
/// let through now, and the live MESSAGE alerts of [`open`]. With `after` (see [`inbox::check_after`]), the
/// stored ones after it come first, in order, through the same settings; MESSAGE alerts are never replayed.
/// Ends with an error when the stream does (the client subscribes again).
pub async fn notifications(
    deps: &Deps,
    viewer: Viewer,
    after: Option<Uuid>,
) -> Result<impl Stream<Item = Result<notifications::Model>> + Send + use<>> {
    Ok(notifications_of_events(deps, viewer, after)
        .await?
        .map(|pushed| pushed.map(|(row, _)| row)))
}

/// [`notifications`], each with the seq of the room event a MESSAGE alert was raised by (`None` for stored
/// notifications): every member's alert of one event shows the same message, so it can be resolved once.
pub async fn notifications_of_events(
    deps: &Deps,
    viewer: Viewer,
    after: Option<Uuid>,
) -> Result<impl Stream<Item = Result<(notifications::Model, Option<i64>)>> + Send + use<>> {
    if let Some(after) = after {
        inbox::check_after(&deps.db, viewer.user_id, after).await?;
    }
    let (start, live) = open_marked(deps, viewer, Vec::new()).await?;
    // The live stream is subscribed already and buffers (or catches up from storage) while this is read.
    let stream = inbox::replay(deps.db.clone(), viewer.user_id, after, start)
        .map(|row| row.map(ViewerItem::Notification))
        .chain(live);
    let deps = deps.clone();
    Ok(stream.filter_map(move |item| {
        let deps = deps.clone();
        async move {
            match item {
                Ok(ViewerItem::MessageAlert { row, seq }) => Some(Ok((row, Some(seq)))),
                Ok(ViewerItem::Notification(row)) => match inbox::wanted(&deps, &row).await {
                    Ok(true) => Some(Ok((row, None))),
                    Ok(false) => None,
                    Err(err) => {
                        // Skipping one push is better than ending the stream.
                        tracing::warn!(error = %err, "checking notification settings failed");
                        None
                    }
                },
                Ok(_) => None,
                Err(err) => Some(Err(err)),
            }
        }
    }))
}
