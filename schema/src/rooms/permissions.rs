//! Who may do what in a room. Non-members get the same answer whether the room exists or not, so ids of
//! other people's rooms cannot be probed: FORBIDDEN for actions and reads by room id, NOT_FOUND for
//! `room(id)`.

use entity::room_users::{self, RoomRole};
use entity::rooms;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::{Error, Result};

pub const NOT_A_MEMBER: Error = Error::Forbidden("not a member of this room");

/// The caller's current membership (not left), if any.
pub async fn membership(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    user_id: Uuid,
) -> Result<Option<room_users::Model>> {
    Ok(room_users::Entity::find_by_id((room_id, user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .one(db)
        .await?)
}

/// The rooms `user_id` is a current member of.
pub async fn room_ids_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(room_users::Entity::find()
        .select_only()
        .column(room_users::Column::RoomId)
        .filter(room_users::Column::UserId.eq(user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// The room and the caller's membership, or FORBIDDEN (also for a room that does not exist).
pub async fn require_member(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    user_id: Uuid,
) -> Result<(rooms::Model, room_users::Model)> {
    let found = rooms::Entity::find_by_id(room_id)
        .find_also_related(room_users::Entity)
        .filter(room_users::Column::UserId.eq(user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .one(db)
        .await?;
    match found {
        Some((room, Some(member))) => Ok((room, member)),
        _ => Err(NOT_A_MEMBER),
    }
}

/// Moderators may delete other people's messages.
pub fn can_moderate(role: RoomRole) -> bool {
    matches!(role, RoomRole::Owner | RoomRole::Admin)
}

/// Only the owner hands out and takes back the admin role.
pub fn can_change_roles(role: RoomRole) -> bool {
    role == RoomRole::Owner
}
