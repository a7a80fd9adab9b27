//! Direct rooms: one per pair of people (notes to self included), hidden by leaving and revived by the
//! next message.

use chrono::Utc;
use entity::room_users::{self, RoomRole};
use entity::{rooms, users};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::service::{insert_members, reload};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result, is_unique_violation};
use crate::events::{self, EventData, Outcome, Written};
use crate::realtime::publish;

/// The one room of an unordered pair of users (the same user twice makes a notes-to-self room).
pub fn direct_key(a: Uuid, b: Uuid) -> String {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    format!("{lo}:{hi}")
}

/// `createDirectRoom`: idempotent and race-safe through the unique `direct_key`. Reopens the room for the
/// caller when they had left it.
pub async fn create_direct(
    deps: &Deps,
    viewer: Viewer,
    other_id: Uuid,
) -> Result<Outcome<rooms::Model>> {
    users::Entity::find_by_id(other_id)
        .one(&deps.db)
        .await?
        .ok_or(Error::NotFound("user not found"))?;
    let key = direct_key(viewer.user_id, other_id);
    if let Some(room) = find_direct(&deps.db, &key).await? {
        return rejoin_direct(deps, viewer, room).await;
    }
    deps.rate.room_creation(viewer.user_id).await?;

    let txn = deps.db.begin().await?;
    let now = clock::now();
    let room = rooms::Model {
        id: Uuid::now_v7(),
        name: None,
        is_group: false,
        direct_key: Some(key.clone()),
        created_by: Some(viewer.user_id),
        last_seq: 0,
        last_activity_at: now,
        created_at: now,
    };
    if let Err(err) = rooms::Entity::insert(rooms::ActiveModel::from(room.clone()))
        .exec_without_returning(&txn)
        .await
    {
        if !is_unique_violation(&err) {
            return Err(err.into());
        }
        // A concurrent call created it first: the transaction is unusable now, read what won.
        txn.rollback().await?;
        let room = find_direct(&deps.db, &key)
            .await?
            .ok_or_else(|| Error::internal("direct room vanished after a key conflict"))?;
        return rejoin_direct(deps, viewer, room).await;
    }
    let mut members = vec![viewer.user_id];
    if other_id != viewer.user_id {
        members.push(other_id);
    }
    insert_members(&txn, room.id, &members, |_| RoomRole::Member, now).await?;
    let events = events::append(
        &txn,
        room.id,
        members
            .iter()
            .map(|&id| {
                EventData::member_joined(id, (id != viewer.user_id).then_some(viewer.user_id))
            })
            .collect(),
    )
    .await?;
    let room = reload(&txn, room.id).await?;
    let outcome = Outcome::new(room, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

async fn find_direct(db: &impl ConnectionTrait, key: &str) -> Result<Option<rooms::Model>> {
    Ok(rooms::Entity::find()
        .filter(rooms::Column::DirectKey.eq(key))
        .one(db)
        .await?)
}

/// Makes the caller a member of their existing direct room again if they had left it.
async fn rejoin_direct(
    deps: &Deps,
    viewer: Viewer,
    room: rooms::Model,
) -> Result<Outcome<rooms::Model>> {
    let txn = deps.db.begin().await?;
    let revived = revive(&txn, room.id, Some(viewer.user_id)).await?;
    if revived.is_empty() {
        return Ok(Outcome::unchanged(room));
    }
    let events = events::append(
        &txn,
        room.id,
        revived
            .iter()
            .map(|&id| EventData::member_joined(id, None))
            .collect(),
    )
    .await?;
    let room = reload(&txn, room.id).await?;
    let outcome = Outcome::new(room, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

/// Clears `left_at` of the room's departed members (only `only` when given); returns who came back. Used to
/// bring a hidden direct room back for both sides when a message arrives.
pub async fn revive(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<Uuid>> {
    let mut query = room_users::Entity::find()
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::LeftAt.is_not_null());
    if let Some(user_id) = only {
        query = query.filter(room_users::Column::UserId.eq(user_id));
    }
    let left = query.all(db).await?;
    let mut revived = Vec::new();
    for member in left {
        let res = room_users::Entity::update_many()
            .col_expr(
                room_users::Column::LeftAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .filter(room_users::Column::RoomId.eq(room_id))
            .filter(room_users::Column::UserId.eq(member.user_id))
            .filter(room_users::Column::LeftAt.is_not_null())
            .exec(db)
            .await?;
        if res.rows_affected == 1 {
            revived.push(member.user_id);
        }
    }
    Ok(revived)
}
