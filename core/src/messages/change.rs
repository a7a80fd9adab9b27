//! Changing a sent message: edits (the author) and soft deletes (the author or a room admin).

use std::collections::HashSet;

use entity::{attachments, mentions, message_reactions, messages, notifications, room_users};
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
/// newly mentioned get a MENTION notification.
pub async fn edit(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    content: &str,
) -> Result<Outcome<messages::Model>> {
    let txn = deps.db.begin().await?;
    let (message, _) = message_for_member(&txn, viewer, message_id).await?;
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

    let members = mention_parser::member_nicknames(&txn, message.room_id).await?;
    let now_mentioned = mention_parser::resolve(&content, &members, viewer.user_id);
    let before: HashSet<Uuid> = mentions::Entity::find()
        .filter(mentions::Column::MessageId.eq(message_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.mentioned_user_id)
        .collect();
    let removed: Vec<Uuid> = before
        .iter()
        .filter(|id| !now_mentioned.contains(id))
        .copied()
        .collect();
    if !removed.is_empty() {
        mentions::Entity::delete_many()
            .filter(mentions::Column::MessageId.eq(message_id))
            .filter(mentions::Column::MentionedUserId.is_in(removed))
            .exec(&txn)
            .await?;
    }
    let added: Vec<Uuid> = now_mentioned
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    mention_parser::insert(&txn, message_id, &added).await?;
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

pub(crate) async fn reload(db: &impl ConnectionTrait, message_id: Uuid) -> Result<messages::Model> {
    messages::Entity::find_by_id(message_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("message not found"))
}
