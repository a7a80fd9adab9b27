//! Who may do what in a room. Non-members get the same answer whether the room exists or not, so ids of
//! other people's rooms and messages cannot be probed: NOT_FOUND for every read or action by room id or by
//! message id, exactly as for an id that was never issued. FORBIDDEN is only for members lacking a right
//! (editing someone else's message, changing roles without being the owner).

use entity::room_users::{self, RoomRole};
use entity::{messages, rooms};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::{Error, Result};

/// What a non-member learns about a room: the same as about a room that does not exist.
pub const NOT_A_MEMBER: Error = Error::NotFound("room not found");
/// What a non-member learns about a message of another room: the same as about an unknown id.
pub const MESSAGE_NOT_FOUND: Error = Error::NotFound("message not found");

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

/// The room and the caller's membership, or NOT_FOUND (also for a room that does not exist).
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

/// A message and the caller's current membership of its room, or NOT_FOUND: an unknown id and a message of
/// a room the caller is not in get the same answer.
pub async fn message_for_member(
    db: &impl ConnectionTrait,
    message_id: Uuid,
    user_id: Uuid,
) -> Result<(messages::Model, room_users::Model)> {
    let Some(message) = messages::Entity::find_by_id(message_id).one(db).await? else {
        return Err(MESSAGE_NOT_FOUND);
    };
    match membership(db, message.room_id, user_id).await? {
        Some(member) => Ok((message, member)),
        None => Err(MESSAGE_NOT_FOUND),
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
