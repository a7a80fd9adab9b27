//! Reading the caller's rooms: the bounded list, pages in activity order, one room.

use chrono::{DateTime, Utc};
use entity::room_users::{self};
use entity::rooms;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::permissions::require_member;
use crate::context::{Deps, Viewer};
use crate::error::Result;
use crate::pagination::Page;

/// Most rooms the plain `rooms` list returns (the most recently active ones); `roomsConnection` pages through
/// all of them.
pub const ROOMS_LIST_MAX: u64 = 200;

/// The caller's rooms, most recent activity first, at most [`ROOMS_LIST_MAX`].
pub async fn list(deps: &Deps, viewer: Viewer) -> Result<Vec<rooms::Model>> {
    Ok(my_rooms(viewer).limit(ROOMS_LIST_MAX).all(&deps.db).await?)
}

/// The caller's current rooms in activity order (newest first; the id breaks ties).
fn my_rooms(viewer: Viewer) -> sea_orm::Select<rooms::Entity> {
    rooms::Entity::find()
        .inner_join(room_users::Entity)
        .filter(room_users::Column::UserId.eq(viewer.user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .order_by_desc(rooms::Column::LastActivityAt)
        .order_by_desc(rooms::Column::Id)
}

/// One page of the caller's rooms in activity order: `limit` rooms after the room at `after` (its last
/// activity and id, see [`crate::pagination::activity_cursor`]). A room with new activity moves to the front, so a
/// client paging while messages arrive may see it twice or miss it until its next refresh.
pub async fn page(
    deps: &Deps,
    viewer: Viewer,
    limit: u64,
    after: Option<(DateTime<Utc>, Uuid)>,
) -> Result<Page<rooms::Model>> {
    let mut query = my_rooms(viewer).limit(limit + 1);
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any()
                .add(rooms::Column::LastActivityAt.lt(at))
                .add(
                    Condition::all()
                        .add(rooms::Column::LastActivityAt.eq(at))
                        .add(rooms::Column::Id.lt(id)),
                ),
        );
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

/// A room of the caller; NOT_FOUND for non-members, so its existence does not leak.
pub async fn get(deps: &Deps, viewer: Viewer, room_id: Uuid) -> Result<rooms::Model> {
    Ok(require_member(&deps.db, room_id, viewer.user_id).await?.0)
}
