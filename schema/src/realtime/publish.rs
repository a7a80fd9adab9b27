//! After commit, announce what a change wrote: its room events on the room's channel, its notifications on
//! each recipient's channel. Never inside the transaction: a subscriber woken by a signal must find the
//! change in storage.

use entity::notifications;
use sea_orm::DatabaseTransaction;
use serde::{Deserialize, Serialize};

use super::bus::channels;
use super::room_stream::RoomSignal;
use crate::context::Deps;
use crate::error::Result;
use crate::events::{Outcome, Written};

/// What is published on a user's channel.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum UserSignal {
    Notification(notifications::Model),
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

pub async fn publish(deps: &Deps, written: &Written) {
    for event in &written.events {
        let channel = channels::room(event.room_id);
        send(deps, &channel, &RoomSignal::Event(event.clone())).await;
    }
    for notification in &written.notifications {
        let channel = channels::user(notification.user_id);
        send(
            deps,
            &channel,
            &UserSignal::Notification(notification.clone()),
        )
        .await;
    }
}

pub async fn send(deps: &Deps, channel: &str, signal: &impl Serialize) {
    let payload = match serde_json::to_string(signal) {
        Ok(payload) => payload,
        Err(err) => return tracing::error!(error = %err, channel, "serialising a bus signal"),
    };
    if let Err(err) = deps.bus.publish(channel, payload).await {
        tracing::warn!(error = ?err, channel, "publishing on the bus failed");
    }
}
