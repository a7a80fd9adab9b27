//! The room event log: every change to a room's stored state appends `room_events` rows inside the
//! transaction that makes the change, so live delivery only has to read and publish them.
//!
//! # Sequence numbers
//! Each room has one counter, `rooms.last_seq`. Every stored event takes the next value, so event seqs are
//! dense (1, 2, 3 … with no gaps) and `roomEvents(afterSeq)` can replay exactly what a client missed. The
//! counter is advanced with `UPDATE rooms SET last_seq = last_seq + n … RETURNING last_seq` on the caller's
//! transaction, never with a database sequence (sequences leak values on rollback): the row lock taken by the
//! `UPDATE` serialises concurrent writers of one room until commit.
//!
//! A new message's `messages.seq` is the seq of its `MessageAdded` event. Message seqs are therefore
//! increasing and unique per room but not dense among messages (edits, reactions, receipts … take seqs in
//! between). Cursors, read markers (`last_read_seq`) and unread counts only compare seqs, so that is enough.

use chrono::{DateTime, Utc};
use entity::{room_events, rooms};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, EntityTrait, Iden, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::clock;
use crate::error::{Error, Result};

/// What happened. Stored as the `kind` column; the payload holds the ids needed to rebuild the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `{messageId, parentId, senderId, mentionedIds}`: the sender and the mentioned let live streams derive
    /// each member's MESSAGE alert from the event alone, with no stored row per member.
    MessageAdded,
    /// `{messageId}`
    MessageEdited,
    /// `{messageId}`
    MessageDeleted,
    /// `{messageId, emoji, userId, added}`
    ReactionChanged,
    /// `{userId, lastReadSeq, seenAt}`
    ReadReceipt,
    /// `{userId, by}`: `by` is who added them (null when they joined by themselves).
    MemberJoined,
    /// `{userId}`
    MemberLeft,
    /// `{userId, role, by}`: not (yet) a `RoomEvent` of the API, stored so the log stays complete.
    MemberRoleChanged,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::MessageAdded => "MessageAdded",
            EventKind::MessageEdited => "MessageEdited",
            EventKind::MessageDeleted => "MessageDeleted",
            EventKind::ReactionChanged => "ReactionChanged",
            EventKind::ReadReceipt => "ReadReceipt",
            EventKind::MemberJoined => "MemberJoined",
            EventKind::MemberLeft => "MemberLeft",
            EventKind::MemberRoleChanged => "MemberRoleChanged",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        Some(match kind {
            "MessageAdded" => EventKind::MessageAdded,
            "MessageEdited" => EventKind::MessageEdited,
            "MessageDeleted" => EventKind::MessageDeleted,
            "ReactionChanged" => EventKind::ReactionChanged,
            "ReadReceipt" => EventKind::ReadReceipt,
            "MemberJoined" => EventKind::MemberJoined,
            "MemberLeft" => EventKind::MemberLeft,
            "MemberRoleChanged" => EventKind::MemberRoleChanged,
            _ => return None,
        })
    }
}

/// An event about to be appended.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub kind: EventKind,
    pub payload: Value,
}

impl NewEvent {
    pub fn message_added(
        message_id: Uuid,
        parent_id: Option<Uuid>,
        sender_id: Uuid,
        mentioned: &[Uuid],
    ) -> Self {
        Self {
            kind: EventKind::MessageAdded,
            payload: json!({
                "messageId": message_id,
                "parentId": parent_id,
                "senderId": sender_id,
                "mentionedIds": mentioned,
            }),
        }
    }

    pub fn message_edited(message_id: Uuid) -> Self {
        Self {
            kind: EventKind::MessageEdited,
            payload: json!({ "messageId": message_id }),
        }
    }

    pub fn message_deleted(message_id: Uuid) -> Self {
        Self {
            kind: EventKind::MessageDeleted,
            payload: json!({ "messageId": message_id }),
        }
    }

    pub fn reaction_changed(message_id: Uuid, emoji: &str, user_id: Uuid, added: bool) -> Self {
        Self {
            kind: EventKind::ReactionChanged,
            payload: json!({ "messageId": message_id, "emoji": emoji, "userId": user_id, "added": added }),
        }
    }

    pub fn read_receipt(user_id: Uuid, last_read_seq: i64, seen_at: DateTime<Utc>) -> Self {
        Self {
            kind: EventKind::ReadReceipt,
            payload: json!({ "userId": user_id, "lastReadSeq": last_read_seq, "seenAt": seen_at }),
        }
    }

    pub fn member_joined(user_id: Uuid, by: Option<Uuid>) -> Self {
        Self {
            kind: EventKind::MemberJoined,
            payload: json!({ "userId": user_id, "by": by }),
        }
    }

    pub fn member_left(user_id: Uuid) -> Self {
        Self {
            kind: EventKind::MemberLeft,
            payload: json!({ "userId": user_id }),
        }
    }

    pub fn member_role_changed(user_id: Uuid, role: &str, by: Option<Uuid>) -> Self {
        Self {
            kind: EventKind::MemberRoleChanged,
            payload: json!({ "userId": user_id, "role": role, "by": by }),
        }
    }
}

/// Advances the room's counter by `n` and returns the first of the `n` seqs now reserved.
/// Must run on the transaction that writes what the seqs are for.
pub async fn reserve(db: &impl ConnectionTrait, room_id: Uuid, n: i64) -> Result<i64> {
    reserve_touching(db, room_id, n, None).await
}

/// Like [`reserve`], and sets the room's `last_activity_at` to `activity` in the same row update (a send
/// touches the room row once, not twice).
pub async fn reserve_touching(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    n: i64,
    activity: Option<DateTime<Utc>>,
) -> Result<i64> {
    let mut stmt = Query::update();
    stmt.table(rooms::Entity)
        .value(
            rooms::Column::LastSeq,
            Expr::col(rooms::Column::LastSeq).add(n),
        )
        .and_where(Expr::col(rooms::Column::Id).eq(room_id))
        .returning_col(rooms::Column::LastSeq);
    if let Some(at) = activity {
        stmt.value(rooms::Column::LastActivityAt, at);
    }
    let row = db
        .query_one(&stmt)
        .await?
        .ok_or(Error::NotFound("room not found"))?;
    let last: i64 = row.try_get("", &rooms::Column::LastSeq.to_string())?;
    Ok(last - n + 1)
}

/// Appends events to the room's log with the room's next seqs, in order. Returns the stored rows.
pub async fn append(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    events: Vec<NewEvent>,
) -> Result<Vec<room_events::Model>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let first = reserve(db, room_id, events.len() as i64).await?;
    append_at(db, room_id, first, events).await
}

/// Stores events at seqs already reserved with [`reserve`] (`first`, `first + 1`, …).
pub async fn append_at(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    first: i64,
    events: Vec<NewEvent>,
) -> Result<Vec<room_events::Model>> {
    let now = clock::now();
    let rows: Vec<room_events::Model> = events
        .into_iter()
        .enumerate()
        .map(|(i, event)| room_events::Model {
            room_id,
            seq: first + i as i64,
            kind: event.kind.as_str().to_owned(),
            payload: event.payload,
            created_at: now,
        })
        .collect();
    // Bounded batches keep every statement under the bind-parameter limits of both backends.
    for chunk in rows.chunks(500) {
        room_events::Entity::insert_many(chunk.iter().map(|row| room_events::ActiveModel {
            room_id: Set(row.room_id),
            seq: Set(row.seq),
            kind: Set(row.kind.clone()),
            payload: Set(row.payload.clone()),
            created_at: Set(row.created_at),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(rows)
}

/// What an operation stored besides its result: the events and notifications to publish once the
/// transaction has committed (`crate::realtime::publish::commit`).
#[derive(Debug, Default)]
pub struct Written {
    pub events: Vec<room_events::Model>,
    pub notifications: Vec<entity::notifications::Model>,
}

impl Written {
    /// Room events only, no notifications.
    pub fn events(events: Vec<room_events::Model>) -> Self {
        Self {
            events,
            notifications: Vec::new(),
        }
    }

    pub fn extend(&mut self, other: Written) {
        self.events.extend(other.events);
        self.notifications.extend(other.notifications);
    }
}

/// A service result together with what it wrote.
#[derive(Debug)]
pub struct Outcome<T> {
    pub value: T,
    pub written: Written,
}

impl<T> Outcome<T> {
    pub fn new(value: T, written: Written) -> Self {
        Self { value, written }
    }

    /// A result that changed nothing (idempotent repeats, no-ops).
    pub fn unchanged(value: T) -> Self {
        Self {
            value,
            written: Written::default(),
        }
    }
}
