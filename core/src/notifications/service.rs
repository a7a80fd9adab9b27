//! The notification inbox: rows written by room and message services (MENTION, INVITE), listed and marked
//! read here, and the caller's notification settings. MESSAGE alerts are never stored (one row per member
//! per message would not scale): they are derived live by `crate::realtime::viewer_stream`.

use entity::{notifications, room_users, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use super::NotificationKind;
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::pagination::Page;
use crate::realtime::bus::channels;
use crate::realtime::publish::{self, UserSignal};
use crate::users::service::me;

/// A notification about to be stored.
pub struct NewNotification {
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub room_id: Uuid,
    pub message_id: Option<Uuid>,
}

/// Stores notifications on the caller's transaction; returns the rows (to publish after commit).
pub async fn insert(
    db: &impl ConnectionTrait,
    items: Vec<NewNotification>,
) -> Result<Vec<notifications::Model>> {
    let now = clock::now();
    let rows: Vec<notifications::Model> = items
        .into_iter()
        .map(|n| notifications::Model {
            id: Uuid::now_v7(),
            user_id: n.user_id,
            kind: n.kind.as_str().to_owned(),
            room_id: n.room_id,
            message_id: n.message_id,
            created_at: now,
            read_at: None,
        })
        .collect();
    for chunk in rows.chunks(500) {
        notifications::Entity::insert_many(chunk.iter().map(|row| notifications::ActiveModel {
            id: Set(row.id),
            user_id: Set(row.user_id),
            kind: Set(row.kind.clone()),
            room_id: Set(row.room_id),
            message_id: Set(row.message_id),
            created_at: Set(row.created_at),
            read_at: Set(None),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(rows)
}

/// The caller's notifications, newest first (ids are time-ordered UUIDv7, so they are the sort key): `limit`
/// older than the notification `after`. Only
/// those of rooms the caller is a member of now: after leaving a room its notifications are not listed (they
/// come back if the caller rejoins), so nothing of a former room is reachable through them.
pub async fn list(
    deps: &Deps,
    viewer: Viewer,
    limit: u64,
    after: Option<Uuid>,
    unread_only: bool,
) -> Result<Page<notifications::Model>> {
    let my_rooms = room_users::Entity::find()
        .select_only()
        .column(room_users::Column::RoomId)
        .filter(room_users::Column::UserId.eq(viewer.user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .into_query();
    let mut query = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(viewer.user_id))
        .filter(notifications::Column::RoomId.in_subquery(my_rooms))
        .order_by_desc(notifications::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(notifications::Column::Id.lt(after));
    }
    if unread_only {
        query = query.filter(notifications::Column::ReadAt.is_null());
    }
    let mut items = query.all(&deps.db).await?;
    let has_next_page = items.len() as u64 > limit;
    items.truncate(limit as usize);
    Ok(Page {
        items,
        has_next_page,
        has_previous_page: after.is_some(),
    })
}

/// Marks the caller's notifications read; ids of others' or already read notifications are ignored.
/// Returns how many changed.
pub async fn mark_read(deps: &Deps, viewer: Viewer, ids: Vec<Uuid>) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    if ids.len() > 1_000 {
        return Err(Error::invalid("ids", "at most 1000 ids at once"));
    }
    let res = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(clock::now()))
        .filter(notifications::Column::UserId.eq(viewer.user_id))
        .filter(notifications::Column::Id.is_in(ids))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(&deps.db)
        .await?;
    Ok(res.rows_affected)
}

/// `setNotificationSettings`: the global switch and/or one room's mute flag.
#[derive(Debug, Default)]
pub struct Settings {
    pub enabled: Option<bool>,
    pub room_id: Option<Uuid>,
    pub muted: Option<bool>,
}

pub async fn set_settings(deps: &Deps, viewer: Viewer, settings: Settings) -> Result<users::Model> {
    let mute = match (settings.room_id, settings.muted) {
        (Some(room_id), Some(muted)) => Some((room_id, muted)),
        (None, None) => None,
        (Some(_), None) => return Err(Error::invalid("muted", "muted is required with roomId")),
        (None, Some(_)) => return Err(Error::invalid("roomId", "roomId is required with muted")),
    };
    let user = me(deps, viewer).await?;
    let txn = deps.db.begin().await?;
    if let Some((room_id, muted)) = mute {
        let res = room_users::Entity::update_many()
            .col_expr(room_users::Column::Muted, Expr::value(muted))
            .filter(room_users::Column::RoomId.eq(room_id))
            .filter(room_users::Column::UserId.eq(viewer.user_id))
            .filter(room_users::Column::LeftAt.is_null())
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(crate::rooms::permissions::NOT_A_MEMBER);
        }
    }
    let user = match settings.enabled {
        Some(enabled) if enabled != user.notifications_enabled => {
            let mut active: users::ActiveModel = user.into();
            active.notifications_enabled = Set(enabled);
            active.update(&txn).await?
        }
        _ => user,
    };
    txn.commit().await?;
    // Live streams hold the settings in memory to filter MESSAGE alerts: tell them to reload.
    publish::send(
        deps,
        &channels::user(viewer.user_id),
        &UserSignal::SettingsChanged,
    )
    .await;
    Ok(user)
}
