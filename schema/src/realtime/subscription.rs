//! The subscription root. Each subscription authorises when it starts (an error of the subscription; the
//! socket stays open) and then streams.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, ID, Subscription};
use entity::{notifications, room_users, users};
use futures_util::{Stream, StreamExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::bus::{Signal, channels};
use super::presence::{PresenceChange, PresenceStatus};
use super::publish::UserSignal;
use super::room_stream::{self, RoomItem};
use super::types::{
    MentionAlert, NotificationAdded, Presence, PresenceEvent, RoomAdded, RoomEvent,
    RoomPositionInput, RoomRemoved, UserUpdated, ViewerEvent,
};
use super::viewer_stream::{self, ViewerItem};
use crate::context::{ContextExt, Deps, Viewer};
use crate::error::{Error, Result};
use crate::ids;
use crate::notifications::types::{Notification, NotificationKind};

#[derive(Default)]
pub struct RealtimeSubscription;

#[Subscription]
impl RealtimeSubscription {
    /// Events of a room you are a member of: with `afterSeq`, first every stored event with a higher seq, then
    /// live; without it, live only. Each stored event arrives exactly once and in seq order, across
    /// reconnects and servers. Ends after your own `MemberLeft`.
    async fn room_events(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        after_seq: Option<i64>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<RoomEvent>> + use<>> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let stream = room_stream::open(ctx.deps(), viewer, room_id, after_seq).await?;
        Ok(stream.filter_map(|item| async move {
            match item {
                Ok(RoomItem::UserUpdated { .. }) => None,
                Ok(item) => Some(RoomEvent::from_item(item).map_err(Into::into)),
                Err(err) => Some(Err(err.into())),
            }
        }))
    }

    /// One stream for everything live of yours: the events of every room you are a member of (each with
    /// `roomId` and `seq`), `RoomAdded`/`RoomRemoved` as you join and leave rooms, `UserUpdated`, your
    /// notifications and mention alerts, and typing. Rooms listed in `positions` first replay their stored
    /// events after `afterSeq`, exactly once and in order; the others start live. Resume after a reconnect
    /// by listing the last seq you hold for each room.
    async fn events(
        &self,
        ctx: &Context<'_>,
        positions: Option<Vec<RoomPositionInput>>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ViewerEvent>> + use<>> {
        let viewer = ctx.viewer()?;
        let positions = positions
            .unwrap_or_default()
            .iter()
            .map(|p| Ok((ids::parse("positions", &p.room_id)?, p.after_seq)))
            .collect::<Result<Vec<_>>>()?;
        let deps = ctx.deps().clone();
        let stream = viewer_stream::open(&deps, viewer, positions).await?;
        Ok(stream
            .then(move |item| {
                let deps = deps.clone();
                async move { viewer_events(&deps, item).await }
            })
            .flat_map(futures_util::stream::iter))
    }

    /// `@mentions` of you, as they happen (not from a room you have left since).
    async fn mentions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = MentionAlert> + use<>> {
        let viewer = ctx.viewer()?;
        let deps = ctx.deps().clone();
        let inbox = inbox(deps.clone(), viewer).await?;
        Ok(inbox.filter_map(move |row| {
            let deps = deps.clone();
            async move {
                if NotificationKind::parse(&row.kind) != Some(NotificationKind::Mention) {
                    return None;
                }
                match current_membership(&deps, &row).await {
                    Ok(Some(_)) => Some(MentionAlert(row)),
                    Ok(None) => None,
                    Err(err) => {
                        tracing::warn!(error = ?err, "checking a mention's room failed");
                        None
                    }
                }
            }
        }))
    }

    /// New messages in your rooms, mentions and invites, honouring your settings: nothing while
    /// notifications are off (they are still stored), only mentions from muted rooms, nothing from a room you
    /// have left since.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = Notification> + use<>> {
        let viewer = ctx.viewer()?;
        let deps = ctx.deps().clone();
        let inbox = inbox(deps.clone(), viewer).await?;
        Ok(inbox.filter_map(move |row| {
            let deps = deps.clone();
            async move {
                match wanted(&deps, &row).await {
                    Ok(true) => Some(Notification(row)),
                    Ok(false) => None,
                    Err(err) => {
                        // Skipping one push is better than ending the stream.
                        tracing::warn!(error = ?err, "checking notification settings failed");
                        None
                    }
                }
            }
        }))
    }

    /// Presence of people you share a room with (others: FORBIDDEN): first their current state, then changes.
    async fn presence(
        &self,
        ctx: &Context<'_>,
        user_ids: Vec<ID>,
    ) -> async_graphql::Result<impl Stream<Item = PresenceEvent> + use<>> {
        let viewer = ctx.viewer()?;
        let deps = ctx.deps().clone();
        let wanted: HashSet<Uuid> = user_ids
            .iter()
            .map(|id| ids::parse("userIds", id))
            .collect::<Result<_>>()?;
        require_visible(&deps, viewer, &wanted).await?;

        let mut signals = deps.bus.subscribe(channels::PRESENCE).await?;
        let mut ordered: Vec<Uuid> = wanted.iter().copied().collect();
        ordered.sort();
        // Presence must not fail the subscription: unknown (store unreachable) reads as OFFLINE until the
        // store answers again (the next lag signal compares).
        let statuses = deps
            .presence
            .store()
            .status(&ordered)
            .await
            .unwrap_or_default();
        let seen: Vec<users::Model> = users::Entity::find()
            .filter(users::Column::Id.is_in(ordered.clone()))
            .all(&deps.db)
            .await?;
        let current: Vec<PresenceEvent> = seen
            .into_iter()
            .map(|u| PresenceEvent {
                user_id: u.id,
                presence: Presence {
                    status: statuses
                        .get(&u.id)
                        .copied()
                        .unwrap_or(PresenceStatus::Offline),
                    last_seen_at: u.last_seen_at,
                },
            })
            .collect();

        let mut known: HashMap<Uuid, PresenceStatus> = current
            .iter()
            .map(|e| (e.user_id, e.presence.status))
            .collect();
        let live = async_stream::stream! {
            while let Some(signal) = signals.recv().await {
                match signal {
                    Signal::Message(text) => match serde_json::from_str::<PresenceChange>(&text) {
                        Ok(change) if wanted.contains(&change.user_id) => {
                            known.insert(change.user_id, change.status);
                            yield PresenceEvent {
                                user_id: change.user_id,
                                presence: Presence { status: change.status, last_seen_at: change.last_seen_at },
                            };
                        }
                        Ok(_) => {}
                        Err(err) => tracing::warn!(error = %err, "unreadable presence signal"),
                    },
                    // Changes may have been missed: compare with the store and report what differs.
                    Signal::Lagged => match deps.presence.store().status(&ordered).await {
                        Ok(now) => {
                            for user in &ordered {
                                let status = now.get(user).copied().unwrap_or(PresenceStatus::Offline);
                                if known.insert(*user, status) != Some(status) {
                                    yield PresenceEvent {
                                        user_id: *user,
                                        presence: Presence { status, last_seen_at: None },
                                    };
                                }
                            }
                        }
                        Err(err) => tracing::debug!(error = ?err, "presence store unavailable"),
                    },
                }
            }
        };
        Ok(futures_util::stream::iter(current).chain(live))
    }
}

/// The viewer's new notification rows, live. Rows missed while lagging are read back from storage (ids are
/// UUIDv7, so they sort by creation).
pub(crate) async fn inbox(
    deps: Deps,
    viewer: Viewer,
) -> Result<impl Stream<Item = notifications::Model> + Send + 'static> {
    let mut signals = deps.bus.subscribe(&channels::user(viewer.user_id)).await?;
    let me = viewer.user_id;
    // Where this stream starts: a row stored after it (even while the bus is down) is caught up on the next
    // lag signal.
    let mut last: Option<Uuid> = notifications::Entity::find()
        .select_only()
        .column(notifications::Column::Id)
        .filter(notifications::Column::UserId.eq(me))
        .order_by_desc(notifications::Column::Id)
        .into_tuple::<Uuid>()
        .one(&deps.db)
        .await?;
    Ok(async_stream::stream! {
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
    })
}

/// Whether a stored notification is pushed, per the recipient's settings now.
pub(crate) async fn wanted(deps: &Deps, row: &notifications::Model) -> Result<bool> {
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

/// Everyone in `wanted` must be the viewer or share a current room with them.
async fn require_visible(deps: &Deps, viewer: Viewer, wanted: &HashSet<Uuid>) -> Result<()> {
    let my_rooms = room_users::Entity::find()
        .select_only()
        .column(room_users::Column::RoomId)
        .filter(room_users::Column::UserId.eq(viewer.user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .into_query();
    let others: Vec<Uuid> = wanted
        .iter()
        .copied()
        .filter(|u| *u != viewer.user_id)
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    let visible: HashSet<Uuid> = room_users::Entity::find()
        .select_only()
        .column(room_users::Column::UserId)
        .distinct()
        .filter(room_users::Column::RoomId.in_subquery(my_rooms))
        .filter(room_users::Column::UserId.is_in(others.clone()))
        .filter(room_users::Column::LeftAt.is_null())
        .into_tuple::<Uuid>()
        .all(&deps.db)
        .await?
        .into_iter()
        .collect();
    if others.iter().all(|u| visible.contains(u)) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "you can only follow the presence of people you share a room with",
        ))
    }
}

/// The GraphQL events of one stream item: none for a notification the viewer's settings filter out, two
/// for a mention (a notification and an alert).
async fn viewer_events(
    deps: &Deps,
    item: Result<ViewerItem>,
) -> Vec<async_graphql::Result<ViewerEvent>> {
    let event = match item {
        Err(err) => Err(err),
        Ok(ViewerItem::Room { item, .. }) => RoomEvent::from_item(item).map(ViewerEvent::Room),
        Ok(ViewerItem::RoomAdded { room_id, at }) => Ok(ViewerEvent::RoomAdded(RoomAdded {
            room_id: ids::to_id(room_id),
            at,
            id: room_id,
        })),
        Ok(ViewerItem::RoomRemoved { room_id, at }) => Ok(ViewerEvent::RoomRemoved(RoomRemoved {
            room_id: ids::to_id(room_id),
            at,
        })),
        Ok(ViewerItem::UserUpdated { user_id, at }) => {
            Ok(ViewerEvent::UserUpdated(UserUpdated { at, user_id }))
        }
        Ok(ViewerItem::Notification(row)) => {
            let mut events = Vec::new();
            if NotificationKind::parse(&row.kind) == Some(NotificationKind::Mention) {
                events.push(Ok(ViewerEvent::MentionAlert(MentionAlert(row.clone()))));
            }
            if wanted(deps, &row).await.unwrap_or(false) {
                events.push(Ok(ViewerEvent::NotificationAdded(NotificationAdded {
                    notification: Notification(row),
                })));
            }
            return events;
        }
    };
    vec![event.map_err(Into::into)]
}
