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
use entity::room_users::RoomRole;
use entity::{room_events, rooms};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, EntityTrait, Iden, Set};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::clock;
use crate::error::{Error, Result};
use crate::messages::mentions::Broadcast;

pub use entity::room_events::EventKind;

/// What an event says, typed: stored as the `kind` column plus a JSON payload with the other fields
/// (camelCase), and read back only through [`EventData::of`], so a payload that does not fit its kind is an
/// error rather than a silent default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum EventData {
    /// The sender and the mentioned let live streams derive each member's MESSAGE alert from the event
    /// alone, with no stored row per member (events written before they were recorded have neither).
    MessageAdded {
        message_id: Uuid,
        parent_id: Option<Uuid>,
        #[serde(default)]
        sender_id: Option<Uuid>,
        /// Named mentions only: a broadcast's reach (possibly thousands) is in `broadcast`, not listed.
        #[serde(default)]
        mentioned_ids: Vec<Uuid>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        broadcast: Option<Broadcast>,
    },
    MessageEdited {
        message_id: Uuid,
    },
    MessageDeleted {
        message_id: Uuid,
    },
    ReactionChanged {
        message_id: Uuid,
        emoji: String,
        user_id: Uuid,
        added: bool,
    },
    ReadReceipt {
        user_id: Uuid,
        last_read_seq: i64,
        seen_at: DateTime<Utc>,
    },
    /// `by` is who added them (null when they joined by themselves).
    MemberJoined {
        user_id: Uuid,
        by: Option<Uuid>,
    },
    MemberLeft {
        user_id: Uuid,
    },
    /// Not (yet) a `RoomEvent` of the API, stored so the log stays complete.
    MemberRoleChanged {
        user_id: Uuid,
        role: RoomRole,
        by: Option<Uuid>,
    },
    /// A message's link preview arrived, changed or was removed (`crate::previews`). Clients receive it as a
    /// `MessageEdited` of the message, whose `editedAt` tells whether the text changed too.
    LinkPreviewChanged {
        message_id: Uuid,
    },
}

impl EventData {
    pub fn kind(&self) -> EventKind {
        match self {
            EventData::MessageAdded { .. } => EventKind::MessageAdded,
            EventData::MessageEdited { .. } => EventKind::MessageEdited,
            EventData::MessageDeleted { .. } => EventKind::MessageDeleted,
            EventData::ReactionChanged { .. } => EventKind::ReactionChanged,
            EventData::ReadReceipt { .. } => EventKind::ReadReceipt,
            EventData::MemberJoined { .. } => EventKind::MemberJoined,
            EventData::MemberLeft { .. } => EventKind::MemberLeft,
            EventData::MemberRoleChanged { .. } => EventKind::MemberRoleChanged,
            EventData::LinkPreviewChanged { .. } => EventKind::LinkPreviewChanged,
        }
    }

    /// The typed event of a stored row.
    pub fn of(row: &room_events::Model) -> Result<Self> {
        let mut tagged = row.payload.clone();
        let Some(fields) = tagged.as_object_mut() else {
            return Err(Error::internal(format!(
                "room event {}/{}: payload is not an object",
                row.room_id, row.seq
            )));
        };
        fields.insert(
            "kind".to_owned(),
            serde_json::to_value(row.kind).map_err(Error::internal)?,
        );
        serde_json::from_value(tagged).map_err(|err| {
            Error::internal(format!(
                "room event {}/{} ({:?}): {err}",
                row.room_id, row.seq, row.kind
            ))
        })
    }

    /// The payload column: every field but the kind, which has a column of its own.
    fn payload(&self) -> Result<Value> {
        let mut value = serde_json::to_value(self).map_err(Error::internal)?;
        if let Some(fields) = value.as_object_mut() {
            fields.remove("kind");
        }
        Ok(value)
    }

    pub fn message_added(
        message_id: Uuid,
        parent_id: Option<Uuid>,
        sender_id: Uuid,
        named: &[Uuid],
        broadcast: Option<Broadcast>,
    ) -> Self {
        EventData::MessageAdded {
            message_id,
            parent_id,
            sender_id: Some(sender_id),
            mentioned_ids: named.to_vec(),
            broadcast,
        }
    }

    pub fn message_edited(message_id: Uuid) -> Self {
        EventData::MessageEdited { message_id }
    }

    pub fn message_deleted(message_id: Uuid) -> Self {
        EventData::MessageDeleted { message_id }
    }

    pub fn reaction_changed(message_id: Uuid, emoji: &str, user_id: Uuid, added: bool) -> Self {
        EventData::ReactionChanged {
            message_id,
            emoji: emoji.to_owned(),
            user_id,
            added,
        }
    }

    pub fn read_receipt(user_id: Uuid, last_read_seq: i64, seen_at: DateTime<Utc>) -> Self {
        EventData::ReadReceipt {
            user_id,
            last_read_seq,
            seen_at,
        }
    }

    pub fn member_joined(user_id: Uuid, by: Option<Uuid>) -> Self {
        EventData::MemberJoined { user_id, by }
    }

    pub fn member_left(user_id: Uuid) -> Self {
        EventData::MemberLeft { user_id }
    }

    pub fn member_role_changed(user_id: Uuid, role: RoomRole, by: Option<Uuid>) -> Self {
        EventData::MemberRoleChanged { user_id, role, by }
    }

    pub fn link_preview_changed(message_id: Uuid) -> Self {
        EventData::LinkPreviewChanged { message_id }
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
    events: Vec<EventData>,
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
    events: Vec<EventData>,
) -> Result<Vec<room_events::Model>> {
    let now = clock::now();
    let rows: Vec<room_events::Model> = events
        .into_iter()
        .enumerate()
        .map(|(i, event)| {
            Ok(room_events::Model {
                room_id,
                seq: first + i as i64,
                kind: event.kind(),
                payload: event.payload()?,
                created_at: now,
            })
        })
        .collect::<Result<_>>()?;
    // Bounded batches keep every statement under the bind-parameter limits of both backends.
    for chunk in rows.chunks(500) {
        room_events::Entity::insert_many(chunk.iter().map(|row| room_events::ActiveModel {
            room_id: Set(row.room_id),
            seq: Set(row.seq),
            kind: Set(row.kind),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(data: &EventData) -> room_events::Model {
        room_events::Model {
            room_id: Uuid::now_v7(),
            seq: 7,
            kind: data.kind(),
            payload: data.payload().unwrap(),
            created_at: clock::now(),
        }
    }

    #[test]
    fn every_kind_round_trips_through_its_row() {
        let user = Uuid::now_v7();
        let message = Uuid::now_v7();
        for data in [
            EventData::message_added(message, None, user, &[], None),
            EventData::message_added(
                message,
                Some(Uuid::now_v7()),
                user,
                &[Uuid::now_v7()],
                Some(Broadcast::Here),
            ),
            EventData::message_edited(message),
            EventData::message_deleted(message),
            EventData::reaction_changed(message, "👍", user, false),
            EventData::read_receipt(user, 42, clock::now()),
            EventData::member_joined(user, Some(Uuid::now_v7())),
            EventData::member_left(user),
            EventData::member_role_changed(user, RoomRole::Admin, None),
            EventData::link_preview_changed(message),
        ] {
            let stored = row(&data);
            assert!(stored.payload.get("kind").is_none(), "{stored:?}");
            assert_eq!(EventData::of(&stored).unwrap(), data);
        }
    }

    #[test]
    fn the_stored_payload_keeps_its_wire_names() {
        let user = Uuid::now_v7();
        let stored = row(&EventData::read_receipt(user, 3, clock::now()));
        assert_eq!(stored.payload["userId"], serde_json::json!(user));
        assert_eq!(stored.payload["lastReadSeq"], 3);
        let role = row(&EventData::member_role_changed(user, RoomRole::Owner, None));
        assert_eq!(role.payload["role"], "OWNER");
    }

    #[test]
    fn a_payload_that_does_not_fit_its_kind_is_an_error() {
        let mut stored = row(&EventData::member_left(Uuid::now_v7()));
        stored.kind = EventKind::MessageAdded;
        assert_eq!(EventData::of(&stored).unwrap_err().code(), "INTERNAL");
        stored.payload = serde_json::json!("not an object");
        assert!(EventData::of(&stored).is_err());
    }
}
