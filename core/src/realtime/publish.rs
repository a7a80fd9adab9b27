//! After commit, announce what a change wrote: its room events on the room's channel, its notifications on
//! each recipient's channel (MENTION and INVITE only: a message's MESSAGE alerts are derived by subscribers
//! from its room event, so a send wakes one room channel, not one channel per member). Never inside the transaction: a subscriber woken by a signal must find the
//! change in storage.

use entity::notifications;
use sea_orm::DatabaseTransaction;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::bus::channels;
use super::room_stream::RoomSignal;
use crate::context::Deps;
use crate::error::Result;
use crate::events::{EventData, EventKind, Outcome, Written};

/// What is published on a user's channel.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum UserSignal {
    Notification(notifications::Model),
    /// The user became a member of a room (created, invited, a DM opened or revived): per-user streams start
    /// following it after `after_seq` (just before their own `MemberJoined`).
    RoomAdded {
        room_id: Uuid,
        after_seq: i64,
    },
    /// The user changed their own profile (also announced in each of their rooms).
    UserUpdated {
        at: chrono::DateTime<chrono::Utc>,
    },
    /// The user changed their notification settings: per-user streams reload them before deriving the next
    /// MESSAGE alert.
    SettingsChanged,
}

/// Announces a profile change to everyone sharing a room with `user` (on each room's channel) and to the
/// user's own other sessions. Ephemeral: clients reload the profile.
pub async fn user_updated(deps: &Deps, user: Uuid, rooms: &[Uuid]) {
    let at = crate::clock::now();
    let room_signal = payload(&RoomSignal::UserUpdated { user_id: user, at });
    let own = payload(&UserSignal::UserUpdated { at });
    let sends = rooms
        .iter()
        .map(|room| (channels::room(*room), room_signal.clone()))
        .chain(std::iter::once((channels::user(user), own)))
        .filter_map(|(channel, payload)| Some((channel, payload?)))
        .map(|(channel, payload)| async move {
            if let Err(err) = deps.bus.publish(&channel, payload).await {
                tracing::warn!(error = ?err, channel, "publishing on the bus failed");
            }
        });
    futures_util::future::join_all(sends).await;
}

/// Commits `txn`, then publishes what `outcome` wrote. The change stands even if publishing fails (the bus
/// is only a wake-up call; subscribers catch up from storage on the next signal).
pub async fn commit<T>(
    deps: &Deps,
    txn: DatabaseTransaction,
    outcome: Outcome<T>,
) -> Result<Outcome<T>> {
    txn.commit().await?;
    publish(deps, &outcome.written).await;
    Ok(outcome)
}

/// Announces everything `written` holds. The publishes go out together (one pipelined burst, not one round
/// trip after another), and the bus bounds each wait, so a slow or absent Redis cannot hold the answer back.
pub async fn publish(deps: &Deps, written: &Written) {
    let rooms = written.events.iter().map(|event| {
        (
            channels::room(event.room_id),
            payload(&RoomSignal::Event(event.clone())),
        )
    });
    let users = written.notifications.iter().map(|notification| {
        (
            channels::user(notification.user_id),
            payload(&UserSignal::Notification(notification.clone())),
        )
    });
    // Whoever joined a room is told on their own channel, so their per-user streams start following it.
    let joins = written
        .events
        .iter()
        .filter(|event| event.kind == EventKind::MemberJoined)
        .filter_map(|event| {
            let Ok(EventData::MemberJoined { user_id: user, .. }) = EventData::of(event) else {
                return None;
            };
            let signal = UserSignal::RoomAdded {
                room_id: event.room_id,
                after_seq: event.seq - 1,
            };
            Some((channels::user(user), payload(&signal)))
        });
    let sends = rooms
        .chain(users)
        .chain(joins)
        .filter_map(|(channel, payload)| Some((channel, payload?)))
        .map(|(channel, payload)| async move {
            if let Err(err) = deps.bus.publish(&channel, payload).await {
                tracing::warn!(error = ?err, channel, "publishing on the bus failed");
            }
        });
    futures_util::future::join_all(sends).await;
}

pub async fn send(deps: &Deps, channel: &str, signal: &impl Serialize) {
    let Some(payload) = payload(signal) else {
        return;
    };
    if let Err(err) = deps.bus.publish(channel, payload).await {
        tracing::warn!(error = ?err, channel, "publishing on the bus failed");
    }
}

fn payload(signal: &impl Serialize) -> Option<String> {
    serde_json::to_string(signal)
        .map_err(|err| tracing::error!(error = %err, "serialising a bus signal"))
        .ok()
}
