//! Rooms: direct and group rooms, membership (invite, leave, roles) and read markers. Every change writes its
//! `room_events` rows on the same transaction (see [`crate::events`]).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::room_users::{self, RoomRole};
use entity::{messages, rooms, users};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::permissions::{self, NOT_A_MEMBER, require_member};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result, is_unique_violation};
use crate::events::{self, NewEvent, Outcome, Written};
use crate::notifications::NotificationKind;
use crate::notifications::service::{self as notifications, NewNotification};
use crate::pagination::{self, Page};
use crate::realtime::publish;

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

/// `roomsConnection(first, after)`: one page of the caller's rooms in activity order. A room with new
/// activity moves to the front, so a client paging while messages arrive may see it twice or miss it until
/// its next refresh; `after` is the cursor of the last room of the previous page.
pub async fn page(
    deps: &Deps,
    viewer: Viewer,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<Page<rooms::Model>> {
    let limit = pagination::page_size("first", first)?.unwrap_or(pagination::DEFAULT_PAGE);
    let after = after
        .map(|c| pagination::parse_activity_cursor("after", c))
        .transpose()?;
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
                NewEvent::member_joined(id, (id != viewer.user_id).then_some(viewer.user_id))
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
            .map(|&id| NewEvent::member_joined(id, None))
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

async fn reload(db: &impl ConnectionTrait, room_id: Uuid) -> Result<rooms::Model> {
    rooms::Entity::find_by_id(room_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("room not found"))
}

async fn insert_members(
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
async fn require_users(db: &impl ConnectionTrait, ids: &[Uuid], field: &'static str) -> Result<()> {
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

fn dedup(ids: Vec<Uuid>, without: Uuid) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .filter(|id| *id != without && seen.insert(*id))
        .collect()
}

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
    let mut joined = vec![NewEvent::member_joined(viewer.user_id, None)];
    joined.extend(
        invited
            .iter()
            .map(|&id| NewEvent::member_joined(id, Some(viewer.user_id))),
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
    let wanted = dedup(user_ids, viewer.user_id);
    let txn = deps.db.begin().await?;
    let (room, _) = require_member(&txn, room_id, viewer.user_id).await?;
    if !room.is_group {
        return Err(Error::invalid(
            "roomId",
            "people cannot be invited into a direct room",
        ));
    }
    require_users(&txn, &wanted, "userIds").await?;
    let existing: HashMap<Uuid, room_users::Model> = room_users::Entity::find()
        .filter(room_users::Column::RoomId.eq(room_id))
        .all(&txn)
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
        if add_member(&txn, room_id, user_id, existing.contains_key(&user_id), now).await? {
            added.push(user_id);
        }
    }
    let events = events::append(
        &txn,
        room_id,
        added
            .iter()
            .map(|&id| NewEvent::member_joined(id, Some(viewer.user_id)))
            .collect(),
    )
    .await?;
    let notifications = notifications::insert(&txn, invitations(room_id, &added)).await?;
    let room = reload(&txn, room_id).await?;
    let outcome = Outcome::new(
        room,
        Written {
            events,
            notifications,
        },
    );
    publish::commit(deps, txn, outcome).await
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
    let mut new_events = vec![NewEvent::member_left(viewer.user_id)];
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
        new_events.push(NewEvent::member_role_changed(heir, "OWNER", None));
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
    let role_name = role.to_value();
    let events = events::append(
        &txn,
        room_id,
        vec![NewEvent::member_role_changed(
            user_id,
            &role_name,
            Some(viewer.user_id),
        )],
    )
    .await?;
    let room = reload(&txn, room_id).await?;
    let outcome = Outcome::new(room, Written::events(events));
    publish::commit(deps, txn, outcome).await
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
        vec![NewEvent::read_receipt(viewer.user_id, message.seq, now)],
    )
    .await?;
    let room = reload(&txn, room_id).await?;
    let outcome = Outcome::new(room, Written::events(events));
    publish::commit(deps, txn, outcome).await
}
