//! Group rooms and their membership: creating a group, inviting, leaving (ownership handed over) and roles.

use std::collections::HashMap;

use chrono::Utc;
use entity::room_users::{self, RoomRole};
use entity::rooms;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use super::permissions::{self, NOT_A_MEMBER, require_member};
use super::service::{GROUP_NAME_MAX, Rules, dedup, insert_members, reload, require_users};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::events::{self, EventData, Outcome, Written};
use crate::notifications::NotificationKind;
use crate::notifications::service::{self as notifications, NewNotification};
use crate::realtime::publish;

pub fn validate_group_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    let len = name.chars().count();
    if !(1..=GROUP_NAME_MAX).contains(&len) {
        return Err(Error::invalid(
            "name",
            format!("name must be 1 to {GROUP_NAME_MAX} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "name must not contain control characters",
        ));
    }
    Ok(name.to_owned())
}

pub struct CreateGroup {
    pub name: String,
    pub member_ids: Vec<Uuid>,
}

/// `createGroupRoom`: the caller becomes OWNER, everyone else MEMBER with an INVITE notification.
pub async fn create_group(
    deps: &Deps,
    viewer: Viewer,
    input: CreateGroup,
    rules: &Rules,
) -> Result<Outcome<rooms::Model>> {
    let name = validate_group_name(&input.name)?;
    deps.rate.room_creation(viewer.user_id).await?;
    let invited = dedup(input.member_ids, viewer.user_id);
    if invited.len() + 1 > rules.max_group_members {
        return Err(Error::invalid(
            "memberIds",
            format!("a group has at most {} members", rules.max_group_members),
        ));
    }
    let txn = deps.db.begin().await?;
    require_users(&txn, &invited, "memberIds").await?;
    let now = clock::now();
    let room = rooms::Model {
        id: Uuid::now_v7(),
        name: Some(name),
        is_group: true,
        direct_key: None,
        created_by: Some(viewer.user_id),
        last_seq: 0,
        last_activity_at: now,
        created_at: now,
    };
    rooms::Entity::insert(rooms::ActiveModel::from(room.clone()))
        .exec_without_returning(&txn)
        .await?;
    let mut members = vec![viewer.user_id];
    members.extend(invited.iter().copied());
    let owner = viewer.user_id;
    insert_members(
        &txn,
        room.id,
        &members,
        |id| {
            if id == owner {
                RoomRole::Owner
            } else {
                RoomRole::Member
            }
        },
        now,
    )
    .await?;
    let mut joined = vec![EventData::member_joined(viewer.user_id, None)];
    joined.extend(
        invited
            .iter()
            .map(|&id| EventData::member_joined(id, Some(viewer.user_id))),
    );
    let events = events::append(&txn, room.id, joined).await?;
    let notifications = notifications::insert(&txn, invitations(room.id, &invited)).await?;
    let room = reload(&txn, room.id).await?;
    let outcome = Outcome::new(
        room,
        Written {
            events,
            notifications,
        },
    );
    publish::commit(deps, txn, outcome).await
}

fn invitations(room_id: Uuid, users: &[Uuid]) -> Vec<NewNotification> {
    users
        .iter()
        .map(|&user_id| NewNotification {
            user_id,
            kind: NotificationKind::Invite,
            room_id,
            message_id: None,
        })
        .collect()
}

/// `inviteToRoom`: any member of a group may add people; current members are skipped, former members
/// come back as MEMBER.
pub async fn invite(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    user_ids: Vec<Uuid>,
    rules: &Rules,
) -> Result<Outcome<rooms::Model>> {
    let txn = deps.db.begin().await?;
    let outcome = invite_in(&txn, viewer, room_id, user_ids, rules).await?;
    publish::commit(deps, txn, outcome).await
}

/// [`invite`] inside the caller's transaction, for services that add someone together with other rows
/// (a webhook's bot with its hook); the caller commits with [`publish::commit`].
pub async fn invite_in(
    txn: &DatabaseTransaction,
    viewer: Viewer,
    room_id: Uuid,
    user_ids: Vec<Uuid>,
    rules: &Rules,
) -> Result<Outcome<rooms::Model>> {
    let wanted = dedup(user_ids, viewer.user_id);
    let (room, _) = require_member(txn, room_id, viewer.user_id).await?;
    if !room.is_group {
        return Err(Error::invalid(
            "roomId",
            "people cannot be invited into a direct room",
        ));
    }
    require_users(txn, &wanted, "userIds").await?;
    let existing: HashMap<Uuid, room_users::Model> = room_users::Entity::find()
        .filter(room_users::Column::RoomId.eq(room_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m))
        .collect();
    let active = existing.values().filter(|m| m.left_at.is_none()).count();
    let newcomers: Vec<Uuid> = wanted
        .into_iter()
        .filter(|id| existing.get(id).is_none_or(|m| m.left_at.is_some()))
        .collect();
    if newcomers.is_empty() {
        return Ok(Outcome::unchanged(room));
    }
    if active + newcomers.len() > rules.max_group_members {
        return Err(Error::invalid(
            "userIds",
            format!("a group has at most {} members", rules.max_group_members),
        ));
    }
    let now = clock::now();
    let mut added = Vec::new();
    for &user_id in &newcomers {
        if add_member(txn, room_id, user_id, existing.contains_key(&user_id), now).await? {
            added.push(user_id);
        }
    }
    let events = events::append(
        txn,
        room_id,
        added
            .iter()
            .map(|&id| EventData::member_joined(id, Some(viewer.user_id)))
            .collect(),
    )
    .await?;
    let notifications = notifications::insert(txn, invitations(room_id, &added)).await?;
    let room = reload(txn, room_id).await?;
    Ok(Outcome::new(
        room,
        Written {
            events,
            notifications,
        },
    ))
}

/// Adds one member, or brings a former one back; false when a concurrent invite got there first.
async fn add_member(
    txn: &DatabaseTransaction,
    room_id: Uuid,
    user_id: Uuid,
    was_member: bool,
    now: chrono::DateTime<Utc>,
) -> Result<bool> {
    if was_member {
        let res = room_users::Entity::update_many()
            .col_expr(
                room_users::Column::LeftAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .col_expr(
                room_users::Column::Role,
                Expr::value(RoomRole::Member.to_value()),
            )
            .col_expr(room_users::Column::JoinedAt, Expr::value(now))
            .filter(room_users::Column::RoomId.eq(room_id))
            .filter(room_users::Column::UserId.eq(user_id))
            .filter(room_users::Column::LeftAt.is_not_null())
            .exec(txn)
            .await?;
        return Ok(res.rows_affected == 1);
    }
    let inserted = room_users::Entity::insert(room_users::ActiveModel {
        room_id: Set(room_id),
        user_id: Set(user_id),
        role: Set(RoomRole::Member),
        joined_at: Set(now),
        last_read_seq: Set(0),
        seen_at: Set(None),
        muted: Set(false),
        left_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([room_users::Column::RoomId, room_users::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(inserted == 1)
}

/// `leaveRoom`: records `seen_at`, ends the membership and, for a departing OWNER of a group, hands ownership
/// to the longest-standing ADMIN, else the longest-standing MEMBER. The last member leaving leaves the room
/// empty but intact; a left direct room comes back with its next message.
pub async fn leave(deps: &Deps, viewer: Viewer, room_id: Uuid) -> Result<Outcome<()>> {
    let txn = deps.db.begin().await?;
    let (room, me) = require_member(&txn, room_id, viewer.user_id).await?;
    let now = clock::now();
    let res = room_users::Entity::update_many()
        .col_expr(room_users::Column::LeftAt, Expr::value(now))
        .col_expr(room_users::Column::SeenAt, Expr::value(now))
        .col_expr(
            room_users::Column::Role,
            Expr::value(RoomRole::Member.to_value()),
        )
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::UserId.eq(viewer.user_id))
        .filter(room_users::Column::LeftAt.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(NOT_A_MEMBER);
    }
    let mut new_events = vec![EventData::member_left(viewer.user_id)];
    if room.is_group
        && me.role == RoomRole::Owner
        && let Some(heir) = successor(&txn, room_id).await?
    {
        room_users::Entity::update_many()
            .col_expr(
                room_users::Column::Role,
                Expr::value(RoomRole::Owner.to_value()),
            )
            .filter(room_users::Column::RoomId.eq(room_id))
            .filter(room_users::Column::UserId.eq(heir))
            .exec(&txn)
            .await?;
        new_events.push(EventData::member_role_changed(heir, RoomRole::Owner, None));
    }
    let events = events::append(&txn, room_id, new_events).await?;
    let outcome = Outcome::new((), Written::events(events));
    publish::commit(deps, txn, outcome).await
}

/// The longest-standing ADMIN, else the longest-standing MEMBER, of the remaining members.
async fn successor(db: &impl ConnectionTrait, room_id: Uuid) -> Result<Option<Uuid>> {
    let remaining = room_users::Entity::find()
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::LeftAt.is_null())
        .order_by_asc(room_users::Column::JoinedAt)
        .order_by_asc(room_users::Column::UserId)
        .all(db)
        .await?;
    Ok(remaining
        .iter()
        .find(|m| m.role == RoomRole::Admin)
        .or(remaining.first())
        .map(|m| m.user_id))
}

/// Sets another member's role to ADMIN or MEMBER (the OWNER only; ownership moves by leaving).
pub async fn set_role(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    user_id: Uuid,
    role: RoomRole,
) -> Result<Outcome<rooms::Model>> {
    if role == RoomRole::Owner {
        return Err(Error::invalid(
            "role",
            "ownership passes on when the owner leaves",
        ));
    }
    let txn = deps.db.begin().await?;
    let (room, me) = require_member(&txn, room_id, viewer.user_id).await?;
    if !room.is_group {
        return Err(Error::invalid("roomId", "direct rooms have no roles"));
    }
    if !permissions::can_change_roles(me.role) {
        return Err(Error::Forbidden("only the owner can change roles"));
    }
    if user_id == viewer.user_id {
        return Err(Error::invalid(
            "userId",
            "the owner cannot change their own role",
        ));
    }
    let target = permissions::membership(&txn, room_id, user_id)
        .await?
        .ok_or_else(|| Error::invalid("userId", "not a member of this room"))?;
    if target.role == role {
        return Ok(Outcome::unchanged(room));
    }
    room_users::Entity::update_many()
        .col_expr(room_users::Column::Role, Expr::value(role.to_value()))
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let events = events::append(
        &txn,
        room_id,
        vec![EventData::member_role_changed(
            user_id,
            role,
            Some(viewer.user_id),
        )],
    )
    .await?;
    let room = reload(&txn, room_id).await?;
    let outcome = Outcome::new(room, Written::events(events));
    publish::commit(deps, txn, outcome).await
}
