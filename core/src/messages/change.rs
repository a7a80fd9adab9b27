//! Changing a sent message: edits (the author) and soft deletes (the author or a room admin).

use std::collections::{HashMap, HashSet};

use entity::room_users::{self, RoomRole};
use entity::{attachments, mentions, message_reactions, messages, notifications, rooms};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use super::{mentions as mention_parser, validate};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::events::{self, EventData, Outcome, Written};
use crate::notifications::NotificationKind;
use crate::notifications::service::{self as notifications_service, NewNotification};
use crate::realtime::publish;
use crate::rooms::permissions::{self};
use crate::search::index as search_index;

/// A message and the caller's membership of its room: NOT_FOUND both for an unknown message and for one of a
/// room the caller is not a member of.
pub(crate) async fn message_for_member(
    txn: &DatabaseTransaction,
    viewer: Viewer,
    message_id: Uuid,
) -> Result<(messages::Model, room_users::Model)> {
    permissions::message_for_member(txn, message_id, viewer.user_id).await
}

/// `editMessage`: the author only, not on a deleted message. Sets `edited_at` and re-parses mentions; people
/// newly mentioned get a MENTION notification (see [`remention`] for `@here`/`@everyone`).
pub async fn edit(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    content: &str,
) -> Result<Outcome<messages::Model>> {
    let txn = deps.db.begin().await?;
    let (message, member) = message_for_member(&txn, viewer, message_id).await?;
    if message.sender_id != Some(viewer.user_id) {
        return Err(Error::Forbidden("only the author can edit a message"));
    }
    if message.deleted_at.is_some() {
        return Err(Error::invalid("id", "a deleted message cannot be edited"));
    }
    let has_attachments = attachments::Entity::find()
        .filter(attachments::Column::MessageId.eq(message_id))
        .count(&txn)
        .await?
        > 0;
    let content = validate::content(content, has_attachments)?;
    if message.content.as_deref() == Some(content.as_str()) {
        return Ok(Outcome::unchanged(message));
    }
    let now = clock::now();
    messages::Entity::update_many()
        .col_expr(messages::Column::Content, Expr::value(content.clone()))
        .col_expr(messages::Column::EditedAt, Expr::value(now))
        .filter(messages::Column::Id.eq(message_id))
        .exec(&txn)
        .await?;
    search_index::sync(&txn, message_id, Some(&content)).await?;

    let added = remention(deps, &txn, viewer, &message, member.role, &content).await?;
    let notifications = notifications_service::insert(
        &txn,
        added
            .iter()
            .map(|&user_id| NewNotification {
                user_id,
                kind: NotificationKind::Mention,
                room_id: message.room_id,
                message_id: Some(message_id),
            })
            .collect(),
    )
    .await?;
    let events = events::append(
        &txn,
        message.room_id,
        vec![EventData::message_edited(message_id)],
    )
    .await?;
    let message = reload(&txn, message_id).await?;
    let outcome = Outcome::new(
        message,
        Written {
            events,
            notifications,
        },
    );
    let outcome = publish::commit(deps, txn, outcome).await?;
    crate::previews::service::after_edit(deps, &outcome.value);
    Ok(outcome)
}

/// `deleteMessage`: the author, or an OWNER/ADMIN of the room. Soft: the row stays as a tombstone (content
/// null, `deleted_at` set) so threads and pagination keep their shape; its mentions, reactions and
/// notifications go. Deleting twice changes nothing.
pub async fn delete(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
) -> Result<Outcome<messages::Model>> {
    let txn = deps.db.begin().await?;
    let (message, member) = message_for_member(&txn, viewer, message_id).await?;
    if message.sender_id != Some(viewer.user_id) && !permissions::can_moderate(member.role) {
        return Err(Error::Forbidden(
            "only the author or a room admin can delete a message",
        ));
    }
    if message.deleted_at.is_some() {
        return Ok(Outcome::unchanged(message));
    }
    messages::Entity::update_many()
        .col_expr(
            messages::Column::Content,
            Expr::value(Option::<String>::None),
        )
        .col_expr(messages::Column::DeletedAt, Expr::value(clock::now()))
        .filter(messages::Column::Id.eq(message_id))
        .filter(messages::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    search_index::sync(&txn, message_id, None).await?;
    mentions::Entity::delete_many()
        .filter(mentions::Column::MessageId.eq(message_id))
        .exec(&txn)
        .await?;
    message_reactions::Entity::delete_many()
        .filter(message_reactions::Column::MessageId.eq(message_id))
        .exec(&txn)
        .await?;
    notifications::Entity::delete_many()
        .filter(notifications::Column::MessageId.eq(message_id))
        .exec(&txn)
        .await?;
    let events = events::append(
        &txn,
        message.room_id,
        vec![EventData::message_deleted(message_id)],
    )
    .await?;
    let message = reload(&txn, message_id).await?;
    let outcome = Outcome::new(message, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

/// Brings a message's mention rows in line with its edited `content`; returns who is mentioned now and was
/// not before (they get a MENTION notification). Named mentions follow the text. A broadcast the edit adds
/// (none before, or `@here` widened to `@everyone`) needs OWNER/ADMIN, exactly as when sending, and reaches
/// the members it would reach now; one the message already had reaches nobody new, and everyone mentioned
/// before stays mentioned while the text keeps any broadcast.
async fn remention(
    deps: &Deps,
    txn: &DatabaseTransaction,
    viewer: Viewer,
    message: &messages::Model,
    role: RoomRole,
    content: &str,
) -> Result<Vec<Uuid>> {
    let is_group = rooms::Entity::find_by_id(message.room_id)
        .one(txn)
        .await?
        .is_some_and(|room| room.is_group);
    let broadcast_of = |text: &str| mention_parser::broadcast(text).filter(|_| is_group);
    let was = message.content.as_deref().and_then(broadcast_of);
    let now = broadcast_of(content);
    let widened = now > was;
    if widened && !permissions::can_moderate(role) {
        return Err(mention_parser::broadcast_refused());
    }
    let before: HashMap<Uuid, bool> = mentions::Entity::find()
        .filter(mentions::Column::MessageId.eq(message.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.mentioned_user_id, m.broadcast))
        .collect();
    let members = mention_parser::member_nicknames(txn, message.room_id).await?;
    let named = mention_parser::resolve(content, &members, viewer.user_id);
    let named_set: HashSet<Uuid> = named.iter().copied().collect();
    let reached: Vec<Uuid> = match now {
        Some(broadcast) if widened => {
            mention_parser::reach(&deps.presence, broadcast, &members, viewer.user_id, &named)
                .await?
        }
        Some(_) => before
            .keys()
            .filter(|id| !named_set.contains(id))
            .copied()
            .collect(),
        None => Vec::new(),
    };
    let wanted: HashMap<Uuid, bool> = named
        .iter()
        .map(|id| (*id, false))
        .chain(reached.iter().map(|id| (*id, true)))
        .collect();
    let removed: Vec<Uuid> = before
        .keys()
        .filter(|id| !wanted.contains_key(id))
        .copied()
        .collect();
    mention_parser::remove(txn, message.id, &removed).await?;
    let (mut added_named, mut added_reached) = (Vec::new(), Vec::new());
    let (mut now_named, mut now_reached) = (Vec::new(), Vec::new());
    for (&id, &broadcast) in &wanted {
        match (before.get(&id), broadcast) {
            (None, false) => added_named.push(id),
            (None, true) => added_reached.push(id),
            (Some(true), false) => now_named.push(id),
            (Some(false), true) => now_reached.push(id),
            (Some(_), _) => {}
        }
    }
    mention_parser::insert(txn, message.id, &added_named, false).await?;
    mention_parser::insert(txn, message.id, &added_reached, true).await?;
    mention_parser::set_broadcast(txn, message.id, &now_named, false).await?;
    mention_parser::set_broadcast(txn, message.id, &now_reached, true).await?;
    let mut added = [added_named, added_reached].concat();
    added.sort();
    Ok(added)
}

pub(crate) async fn reload(db: &impl ConnectionTrait, message_id: Uuid) -> Result<messages::Model> {
    messages::Entity::find_by_id(message_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("message not found"))
}
