//! Sending a message, top level or in a thread: checked and validated first, then written in one
//! transaction (the message, its `MessageAdded` event, mentions and MENTION notifications, claimed
//! attachments, a revived direct room), then published.
//!
//! No row is written per member: the other members' MESSAGE alerts are derived live from the
//! `MessageAdded` event (`crate::realtime::viewer_stream`), and unread counts come from read markers.

use std::collections::HashSet;

use entity::room_users::{self, RoomRole};
use entity::{attachments, messages, rooms};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::{mentions, validate};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result, is_unique_violation};
use crate::events::{self, EventData, Outcome};
use crate::notifications::NotificationKind;
use crate::notifications::service::{self as notifications_service, NewNotification};
use crate::realtime::publish;
use crate::rooms::permissions::{self, require_member};
use crate::rooms::service::revive;
use crate::search::index as search_index;

/// Where a new message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Top level of a room.
    Room(Uuid),
    /// The thread of a message; a reply to a reply attaches to its root (threads are one level deep).
    Thread(Uuid),
}

/// A new message (`sendMessage`, `replyInThread`).
pub struct NewMessage {
    pub target: Target,
    pub content: String,
    /// Makes retries idempotent: a second send with the same id by the same sender in the same room returns
    /// the first message.
    pub client_id: Option<String>,
    pub attachment_ids: Vec<Uuid>,
    /// How an incoming webhook's post asks to be shown (checked by the webhook service); empty otherwise.
    pub display: Display,
}

/// The name and avatar a message is shown with instead of its sender's (incoming webhooks only).
#[derive(Clone, Debug, Default)]
pub struct Display {
    pub name: Option<String>,
    pub avatar_url: Option<String>,
}

/// Sends a message: the stored message, with what it wrote for the room's subscribers.
pub async fn post(
    deps: &Deps,
    viewer: Viewer,
    input: NewMessage,
) -> Result<Outcome<messages::Model>> {
    let prepared = prepare(deps, viewer, input).await?;
    let txn = deps.db.begin().await?;
    match write(deps, &txn, viewer, &prepared).await? {
        Stored::New(outcome) => {
            let outcome = publish::commit(deps, txn, outcome).await?;
            // The message clears the sender's typing indicator: typing after it is announced at once.
            deps.typing.forget(viewer.user_id, outcome.value.room_id);
            crate::previews::service::after_send(deps, &outcome.value);
            Ok(outcome)
        }
        Stored::Duplicate(original) => Ok(Outcome::unchanged(original)),
        Stored::Raced { room_id, client_id } => {
            // A concurrent retry with the same clientId won: return its message.
            txn.rollback().await?;
            find_by_client_id(&deps.db, viewer.user_id, room_id, client_id)
                .await?
                .map(Outcome::unchanged)
                .ok_or_else(|| Error::internal("clientId conflict without a message"))
        }
    }
}

/// What passed the checks that need no transaction.
struct Prepared {
    target: Target,
    content: String,
    client_id: Option<String>,
    attachment_ids: Vec<Uuid>,
    display: Display,
}

/// The sender's rate, then the input: distinct attachments within the limit, content, client id.
async fn prepare(deps: &Deps, viewer: Viewer, input: NewMessage) -> Result<Prepared> {
    deps.rate.message(viewer.user_id).await?;
    let mut seen = HashSet::new();
    let attachment_ids: Vec<Uuid> = input
        .attachment_ids
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();
    if attachment_ids.len() > validate::ATTACHMENTS_MAX {
        return Err(Error::invalid(
            "attachmentIds",
            format!("at most {} attachments", validate::ATTACHMENTS_MAX),
        ));
    }
    Ok(Prepared {
        target: input.target,
        content: validate::content(&input.content, !attachment_ids.is_empty())?,
        client_id: input
            .client_id
            .as_deref()
            .map(validate::client_id)
            .transpose()?,
        attachment_ids,
        display: input.display,
    })
}

enum Stored<'a> {
    New(Outcome<messages::Model>),
    /// A retry of a send that already succeeded: nothing written.
    Duplicate(messages::Model),
    /// The insert lost a race with a concurrent retry of the same client id; the transaction must be
    /// rolled back.
    Raced {
        room_id: Uuid,
        client_id: &'a str,
    },
}

/// Everything the send writes, in `txn`.
async fn write<'a>(
    deps: &Deps,
    txn: &DatabaseTransaction,
    viewer: Viewer,
    input: &'a Prepared,
) -> Result<Stored<'a>> {
    let (room, member, root_id) = resolve_target(txn, viewer, input.target).await?;
    if let Some(client_id) = &input.client_id
        && let Some(original) = find_by_client_id(txn, viewer.user_id, room.id, client_id).await?
    {
        return Ok(Stored::Duplicate(original));
    }
    claim_attachments(txn, viewer.user_id, &input.attachment_ids).await?;

    // A hidden direct room comes back for whoever had left it.
    let revived = if room.is_group {
        Vec::new()
    } else {
        revive(txn, room.id, None).await?
    };
    // After the revival: whoever it brought back can be mentioned.
    let mentioned =
        mentioned_members(deps, txn, viewer, &room, member.role, &input.content).await?;
    let mut new_events: Vec<EventData> = revived
        .iter()
        .map(|&id| EventData::member_joined(id, None))
        .collect();
    let message_id = Uuid::now_v7();
    new_events.push(EventData::message_added(
        message_id,
        root_id,
        viewer.user_id,
        &mentioned.named,
        mentioned.broadcast,
    ));
    let now = clock::now();
    let first = events::reserve_touching(txn, room.id, new_events.len() as i64, Some(now)).await?;
    let message = messages::Model {
        id: message_id,
        room_id: room.id,
        // The message's seq is the seq of its MessageAdded event (see `crate::events`).
        seq: first + new_events.len() as i64 - 1,
        sender_id: Some(viewer.user_id),
        parent_id: root_id,
        content: Some(input.content.clone()),
        client_id: input.client_id.clone(),
        inserted_at: now,
        edited_at: None,
        deleted_at: None,
        display_name: input.display.name.clone(),
        display_avatar_url: input.display.avatar_url.clone(),
    };
    if let Err(err) = messages::Entity::insert(messages::ActiveModel::from(message.clone()))
        .exec_without_returning(txn)
        .await
    {
        if let (true, Some(client_id)) = (is_unique_violation(&err), &input.client_id) {
            return Ok(Stored::Raced {
                room_id: room.id,
                client_id,
            });
        }
        return Err(err.into());
    }
    search_index::sync(txn, message_id, message.content.as_deref()).await?;
    if !input.attachment_ids.is_empty() {
        attachments::Entity::update_many()
            .col_expr(attachments::Column::MessageId, Expr::value(message_id))
            .filter(attachments::Column::Id.is_in(input.attachment_ids.iter().copied()))
            .exec(txn)
            .await?;
    }
    let events = events::append_at(txn, room.id, first, new_events).await?;
    let notifications = notify_mentioned(txn, &message, &mentioned).await?;
    Ok(Stored::New(Outcome::new(
        message,
        events::Written {
            events,
            notifications,
        },
    )))
}

/// The room a message goes to (the caller must be a member) and, in a thread, the thread's root.
async fn resolve_target(
    txn: &DatabaseTransaction,
    viewer: Viewer,
    target: Target,
) -> Result<(rooms::Model, room_users::Model, Option<Uuid>)> {
    let (room_id, root_id) = match target {
        Target::Room(room_id) => (room_id, None),
        Target::Thread(parent_id) => {
            let (parent, _) =
                permissions::message_for_member(txn, parent_id, viewer.user_id).await?;
            if parent.deleted_at.is_some() {
                return Err(Error::invalid(
                    "parentId",
                    "cannot reply to a deleted message",
                ));
            }
            (parent.room_id, Some(parent.parent_id.unwrap_or(parent.id)))
        }
    };
    let (room, member) = require_member(txn, room_id, viewer.user_id).await?;
    Ok((room, member, root_id))
}

/// Who `content` mentions among the room's current members (never the sender): the members it names and, in
/// a group room, those its `@here`/`@everyone`/`@room` reaches (OWNER/ADMIN only: FORBIDDEN on `content`
/// for a MEMBER). The member list is only read when the content has an `@` token at all.
async fn mentioned_members(
    deps: &Deps,
    txn: &DatabaseTransaction,
    viewer: Viewer,
    room: &rooms::Model,
    role: RoomRole,
    content: &str,
) -> Result<mentions::Mentioned> {
    if mentions::tokens(content).is_empty() {
        return Ok(mentions::Mentioned::default());
    }
    let broadcast = mentions::broadcast(content).filter(|_| room.is_group);
    if broadcast.is_some() && !permissions::can_moderate(role) {
        return Err(mentions::broadcast_refused());
    }
    let members = mentions::member_nicknames(txn, room.id).await?;
    let named = mentions::resolve(content, &members, viewer.user_id);
    let reached = match broadcast {
        Some(broadcast) => {
            mentions::reach(&deps.presence, broadcast, &members, viewer.user_id, &named).await?
        }
        None => Vec::new(),
    };
    Ok(mentions::Mentioned {
        named,
        broadcast,
        reached,
    })
}

/// Records the message's mentions and one MENTION notification per mentioned member (named or reached by a
/// broadcast), in batches. The other members get no row: their MESSAGE alert is derived from the
/// `MessageAdded` event when it is delivered.
async fn notify_mentioned(
    txn: &DatabaseTransaction,
    message: &messages::Model,
    mentioned: &mentions::Mentioned,
) -> Result<Vec<entity::notifications::Model>> {
    mentions::insert(txn, message.id, &mentioned.named, false).await?;
    mentions::insert(txn, message.id, &mentioned.reached, true).await?;
    let mut notes: Vec<NewNotification> = mentioned
        .all()
        .map(|id| NewNotification {
            user_id: id,
            kind: NotificationKind::Mention,
            room_id: message.room_id,
            message_id: Some(message.id),
        })
        .collect();
    notes.sort_by_key(|n| n.user_id);
    notifications_service::insert(txn, notes).await
}

/// The message a sender already sent to `room` with `client_id` (a retry), if any.
async fn find_by_client_id(
    db: &impl ConnectionTrait,
    sender: Uuid,
    room: Uuid,
    client_id: &str,
) -> Result<Option<messages::Model>> {
    Ok(messages::Entity::find()
        .filter(messages::Column::SenderId.eq(sender))
        .filter(messages::Column::RoomId.eq(room))
        .filter(messages::Column::ClientId.eq(client_id))
        .one(db)
        .await?)
}

/// Attachments must be the sender's own uploads, not yet sent with another message.
async fn claim_attachments(txn: &DatabaseTransaction, sender: Uuid, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let found = attachments::Entity::find()
        .filter(attachments::Column::Id.is_in(ids.iter().copied()))
        .filter(attachments::Column::UploaderId.eq(sender))
        .filter(attachments::Column::MessageId.is_null())
        .all(txn)
        .await?;
    if found.len() != ids.len() {
        return Err(Error::invalid(
            "attachmentIds",
            "attachmentIds must be your own uploads not yet sent",
        ));
    }
    Ok(())
}
