//! The subscription root. Each subscription authorises when it starts (an error of the subscription; the
//! socket stays open) and then streams.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::{Context, ID, Subscription};
use chorus_core::error::Result;
use chorus_core::notifications::NotificationKind;
use chorus_core::realtime::room_stream::{self, RoomItem};
use chorus_core::realtime::viewer_stream::{self, ViewerItem};
use chorus_core::realtime::{inbox, presence_watch};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::resolve_once::{CurrentItem, ItemKey};
use super::types::{
    MentionAlert, NotificationAdded, Presence, PresenceEvent, RoomAdded, RoomEvent,
    RoomPositionInput, RoomRemoved, UserUpdated, ViewerEvent,
};
use crate::context::{ContextExt, Deps};
use crate::ids;
use crate::notifications::types::Notification;

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
        let current = current_item(ctx);
        Ok(stream.filter_map(move |item| {
            let current = current.clone();
            async move {
                let (key, event) = match item {
                    Ok(RoomItem::UserUpdated { .. }) => return None,
                    Ok(item) => (item_key(&item), RoomEvent::from_item(item)),
                    Err(err) => (None, Err(err)),
                };
                current.set(key);
                Some(event.map_err(Into::into))
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
        let current = current_item(ctx);
        Ok(stream
            .then(move |item| {
                let deps = deps.clone();
                async move { viewer_events(&deps, item).await }
            })
            .flat_map(futures_util::stream::iter)
            .map(move |(key, event)| {
                current.set(key);
                event
            }))
    }

    /// `@mentions` of you, as they happen (not from a room you have left since). With `after`, first every
    /// stored mention newer than it, oldest first, then live, none twice: resume after a reconnect with the
    /// `id` of the last alert you hold.
    async fn mentions(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The `id` of a notification of yours (a `MentionAlert`'s, or any `Notification`'s): \
                          replay what came after it. Anything else is BAD_USER_INPUT, also an id that is gone \
                          (its message was deleted): then subscribe without it."
        )]
        after: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<MentionAlert>> + use<>>
    {
        let viewer = ctx.viewer()?;
        let after = after.map(|id| ids::parse("after", &id)).transpose()?;
        let stream = inbox::mentions(ctx.deps().clone(), viewer, after).await?;
        Ok(stream.map(|row| row.map(MentionAlert).map_err(Into::into)))
    }

    /// New messages in your rooms, mentions and invites, honouring your settings: nothing while
    /// notifications are off (mentions and invites are still stored), only mentions from muted rooms, nothing
    /// from a room you have left since, never your own messages. MESSAGE alerts are live only (not in the
    /// stored `notifications` list); each has its message's id as its id, the same on every delivery. With
    /// `after`, first every stored notification newer than it that your settings let through now, oldest
    /// first, then live, none twice (MESSAGE alerts are never replayed).
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The `id` of a notification you received (stored, or a MESSAGE alert of a room you \
                          are in): replay the stored ones after it. Anything else is BAD_USER_INPUT, also an id \
                          that is gone (its message was deleted): then subscribe without it."
        )]
        after: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Notification>> + use<>>
    {
        let viewer = ctx.viewer()?;
        let after = after.map(|id| ids::parse("after", &id)).transpose()?;
        let stream = viewer_stream::notifications_of_events(ctx.deps(), viewer, after).await?;
        let current = current_item(ctx);
        Ok(stream.map(move |pushed| match pushed {
            Ok((row, seq)) => {
                // A MESSAGE alert resolves from its event's shared rows, as on `events`.
                current.set(seq.map(|seq| ItemKey {
                    room_id: row.room_id,
                    seq,
                    alert: true,
                }));
                Ok(Notification(row))
            }
            Err(err) => {
                current.set(None);
                Err(err.into())
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
        let wanted: HashSet<Uuid> = user_ids
            .iter()
            .map(|id| ids::parse("userIds", id))
            .collect::<Result<_>>()?;
        let stream = presence_watch::watch(ctx.deps().clone(), viewer, wanted).await?;
        Ok(stream.map(|update| PresenceEvent {
            user_id: update.user_id,
            presence: Presence {
                status: update.status.into(),
                last_seen_at: update.last_seen_at,
            },
        }))
    }
}

/// Where a stream names the stored event its next execution resolves (see [`super::resolve_once`]).
fn current_item(ctx: &Context<'_>) -> Arc<CurrentItem> {
    // Registered per request by `crate::prepare_request`; a bare slot is harmless where none was.
    ctx.data_opt::<Arc<CurrentItem>>()
        .cloned()
        .unwrap_or_default()
}

fn item_key(item: &RoomItem) -> Option<ItemKey> {
    match item {
        RoomItem::Stored(row) => Some(ItemKey {
            room_id: row.room_id,
            seq: row.seq,
            alert: false,
        }),
        RoomItem::Typing { .. } | RoomItem::UserUpdated { .. } => None,
    }
}

/// The GraphQL events of one stream item, each with the stored event it resolves: none for a notification
/// the viewer's settings filter out, two for a mention (a notification and an alert).
async fn viewer_events(
    deps: &Deps,
    item: Result<ViewerItem>,
) -> Vec<(Option<ItemKey>, async_graphql::Result<ViewerEvent>)> {
    let event = match item {
        Err(err) => Err(err),
        Ok(ViewerItem::Room { item, .. }) => {
            let key = item_key(&item);
            return vec![(
                key,
                RoomEvent::from_item(item)
                    .map(ViewerEvent::Room)
                    .map_err(Into::into),
            )];
        }
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
        Ok(ViewerItem::MessageAlert { row, seq }) => {
            // Resolved from the event's shared rows: every member's alert shows the same message.
            let key = ItemKey {
                room_id: row.room_id,
                seq,
                alert: true,
            };
            return vec![(
                Some(key),
                Ok(ViewerEvent::NotificationAdded(NotificationAdded {
                    notification: Notification(row),
                })),
            )];
        }
        Ok(ViewerItem::Notification(row)) => {
            let mut events = Vec::new();
            if NotificationKind::parse(&row.kind) == Some(NotificationKind::Mention) {
                events.push((
                    None,
                    Ok(ViewerEvent::MentionAlert(MentionAlert(row.clone()))),
                ));
            }
            if inbox::wanted(deps, &row).await.unwrap_or(false) {
                events.push((
                    None,
                    Ok(ViewerEvent::NotificationAdded(NotificationAdded {
                        notification: Notification(row),
                    })),
                ));
            }
            return events;
        }
    };
    vec![(None, event.map_err(Into::into))]
}
