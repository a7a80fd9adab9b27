//! What the room verbs share: deployment rules, member helpers and read markers. Every change writes its
//! `room_events` rows on the same transaction (see [`crate::events`]).

use std::collections::HashSet;

use chrono::Utc;
use entity::room_users::{self, RoomRole};
use entity::{messages, rooms, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use super::permissions::require_member;
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::events::{self, EventData, Outcome, Written};
use crate::realtime::publish;

pub use super::direct::{create_direct, direct_key, revive};
pub use super::list::{ROOMS_LIST_MAX, get, list, page};
pub use super::membership::{
    CreateGroup, create_group, invite, leave, set_role, validate_group_name,
};

pub const GROUP_NAME_MAX: usize = 80;

/// Room rules that deployments may tune.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// Largest group, the owner included.
    pub max_group_members: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            max_group_members: 1_000,
        }
    }
}

pub(super) async fn reload(db: &impl ConnectionTrait, room_id: Uuid) -> Result<rooms::Model> {
    rooms::Entity::find_by_id(room_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("room not found"))
}

pub(super) async fn insert_members(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    user_ids: &[Uuid],
    role: impl Fn(Uuid) -> RoomRole,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    for chunk in user_ids.chunks(500) {
        room_users::Entity::insert_many(chunk.iter().map(|&user_id| room_users::ActiveModel {
            room_id: Set(room_id),
            user_id: Set(user_id),
            role: Set(role(user_id)),
            joined_at: Set(now),
            last_read_seq: Set(0),
            seen_at: Set(None),
            muted: Set(false),
            left_at: Set(None),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Checks that every id names a user; `field` is the input field blamed otherwise.
pub(super) async fn require_users(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    field: &'static str,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut found = 0;
    for chunk in ids.chunks(500) {
        found += users::Entity::find()
            .filter(users::Column::Id.is_in(chunk.iter().copied()))
            .count(db)
            .await?;
    }
    if found as usize != ids.len() {
        return Err(Error::invalid(
            field,
            format!("{field} contains an unknown user"),
        ));
    }
    Ok(())
}

pub(super) fn dedup(ids: Vec<Uuid>, without: Uuid) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .filter(|id| *id != without && seen.insert(*id))
        .collect()
}

/// `markRead`: moves the caller's read marker to the message, forward only, and stamps `seen_at`.
pub async fn mark_read(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    message_id: Uuid,
) -> Result<Outcome<rooms::Model>> {
    let txn = deps.db.begin().await?;
    let (room, _) = require_member(&txn, room_id, viewer.user_id).await?;
    let message = messages::Entity::find_by_id(message_id)
        .filter(messages::Column::RoomId.eq(room_id))
        .one(&txn)
        .await?
        .ok_or_else(|| Error::invalid("messageId", "no such message in this room"))?;
    let now = clock::now();
    let res = room_users::Entity::update_many()
        .col_expr(room_users::Column::LastReadSeq, Expr::value(message.seq))
        .col_expr(room_users::Column::SeenAt, Expr::value(now))
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::UserId.eq(viewer.user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .filter(room_users::Column::LastReadSeq.lt(message.seq))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        // Already at or past it: markers never move back.
        return Ok(Outcome::unchanged(room));
    }
    let events = events::append(
        &txn,
        room_id,
        vec![EventData::read_receipt(viewer.user_id, message.seq, now)],
    )
    .await?;
    let room = reload(&txn, room_id).await?;
    let outcome = Outcome::new(room, Written::events(events));
    publish::commit(deps, txn, outcome).await
}
