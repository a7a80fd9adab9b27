//! Following people's presence: the current state of each, then changes, for people the viewer shares a room
//! with.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{room_users, users};
use futures_util::{Stream, StreamExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::bus::{Signal, channels};
use super::presence::{PresenceChange, PresenceStatus};
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};

/// One person's presence as the stream reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresenceUpdate {
    pub user_id: Uuid,
    pub status: PresenceStatus,
    /// Known when the change carries it (a disconnect), otherwise `None`.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// First the current presence of everyone in `wanted`, then their changes. Everyone must be the viewer or
/// share a current room with them (others: FORBIDDEN).
pub async fn watch(
    deps: Deps,
    viewer: Viewer,
    wanted: HashSet<Uuid>,
) -> Result<impl Stream<Item = PresenceUpdate> + Send + 'static> {
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
    let current: Vec<PresenceUpdate> = seen
        .into_iter()
        .map(|u| PresenceUpdate {
            user_id: u.id,
            status: statuses
                .get(&u.id)
                .copied()
                .unwrap_or(PresenceStatus::Offline),
            last_seen_at: u.last_seen_at,
        })
        .collect();

    let mut known: HashMap<Uuid, PresenceStatus> =
        current.iter().map(|e| (e.user_id, e.status)).collect();
    let live = async_stream::stream! {
        while let Some(signal) = signals.recv().await {
            match signal {
                Signal::Message(text) => match serde_json::from_str::<PresenceChange>(&text) {
                    Ok(change) if wanted.contains(&change.user_id) => {
                        known.insert(change.user_id, change.status);
                        yield PresenceUpdate {
                            user_id: change.user_id,
                            status: change.status,
                            last_seen_at: change.last_seen_at,
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
                                yield PresenceUpdate { user_id: *user, status, last_seen_at: None };
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
