//! The viewer's stored notification rows (MENTION, INVITE), live: the source of the `mentions` subscription
//! and of the stored notification items of the per-viewer stream (and through it of `notifications`), with
//! the recipient's settings applied at delivery time.

use entity::{notifications, room_users, users};
use futures_util::{Stream, StreamExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::bus::{Signal, channels};
use super::publish::UserSignal;
use crate::context::{Deps, Viewer};
use crate::error::Result;
use crate::notifications::NotificationKind;

/// Mention rows as they are stored, from rooms the recipient is still in.
pub async fn mentions(
    deps: Deps,
    viewer: Viewer,
) -> Result<impl Stream<Item = notifications::Model> + Send + 'static> {
    let rows = inbox(deps.clone(), viewer).await?;
    Ok(rows.filter_map(move |row| {
        let deps = deps.clone();
        async move {
            if NotificationKind::parse(&row.kind) != Some(NotificationKind::Mention) {
                return None;
            }
            match current_membership(&deps, &row).await {
                Ok(Some(_)) => Some(row),
                Ok(None) => None,
                Err(err) => {
                    tracing::warn!(error = %err, "checking a mention's room failed");
                    None
                }
            }
        }
    }))
}

/// The viewer's new notification rows, live. Rows missed while lagging are read back from storage (ids are
/// UUIDv7, so they sort by creation).
pub async fn inbox(
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
