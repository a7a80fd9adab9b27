//! Messages: sending (top level and in threads), history pages, edits, soft deletes and reactions. Each
//! change runs in one transaction that also writes its `room_events` row(s), mentions and notifications.

use std::collections::{HashMap, HashSet};

use entity::{
    attachments, mentions, message_reactions, messages, notifications, room_users, users,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::{mentions as mention_parser, validate};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result, is_unique_violation};
use crate::events::{self, NewEvent, Outcome, Written};
use crate::notifications::NotificationKind;
use crate::notifications::service::{self as notifications_service, NewNotification};
use crate::pagination::{self, DEFAULT_PAGE, Page};
use crate::realtime::publish;
use crate::rooms::permissions::{self, require_member};
use crate::rooms::service::revive;
use crate::search::index as search_index;

/// Most distinct emojis one message can carry.
pub const MAX_DISTINCT_REACTIONS: u64 = 50;

/// A new top-level message.
pub struct SendMessage {
    pub room_id: Uuid,
    pub content: String,
    pub client_id: Option<String>,
    pub attachment_ids: Vec<Uuid>,
}

/// A new thread reply.
pub struct Reply {
    pub parent_id: Uuid,
    pub content: String,
    pub client_id: Option<String>,
    pub attachment_ids: Vec<Uuid>,
}

/// `sendMessage`.
pub async fn send(
    deps: &Deps,
    viewer: Viewer,
    input: SendMessage,
) -> Result<Outcome<messages::Model>> {
    post(
        deps,
        viewer,
        Target::Room(input.room_id),
        &input.content,
        input.client_id.as_deref(),
        input.attachment_ids,
    )
    .await
}

/// `replyInThread`: replies to a reply attach to its root (threads are one level deep).
pub async fn reply(deps: &Deps, viewer: Viewer, input: Reply) -> Result<Outcome<messages::Model>> {
    post(
        deps,
        viewer,
        Target::Thread(input.parent_id),
        &input.content,
        input.client_id.as_deref(),
        input.attachment_ids,
    )
    .await
}

enum Target {
    Room(Uuid),
    Thread(Uuid),
}

async fn post(
    deps: &Deps,
    viewer: Viewer,
    target: Target,
    content: &str,
    client_id: Option<&str>,
    attachment_ids: Vec<Uuid>,
) -> Result<Outcome<messages::Model>> {
    deps.rate.message(viewer.user_id).await?;
    let attachment_ids: Vec<Uuid> = {
        let mut seen = HashSet::new();
        attachment_ids
            .into_iter()
            .filter(|id| seen.insert(*id))
            .collect()
    };
    if attachment_ids.len() > validate::ATTACHMENTS_MAX {
        return Err(Error::invalid(
            "attachmentIds",
            format!("at most {} attachments", validate::ATTACHMENTS_MAX),
        ));
    }
    let content = validate::content(content, !attachment_ids.is_empty())?;
    let client_id = client_id.map(validate::client_id).transpose()?;

    let txn = deps.db.begin().await?;
    let (room_id, parent_id) = match target {
        Target::Room(room_id) => (room_id, None),
        Target::Thread(parent_id) => {
            let (parent, _) =
                permissions::message_for_member(&txn, parent_id, viewer.user_id).await?;
            (parent.room_id, Some(parent))
        }
    };
    let (room, _) = require_member(&txn, room_id, viewer.user_id).await?;

    // A retry of a send that already succeeded returns the original and writes nothing.
    if let Some(client_id) = &client_id
        && let Some(original) = find_by_client_id(&txn, viewer.user_id, room_id, client_id).await?
    {
        return Ok(Outcome::unchanged(original));
    }
    let root_id = match &parent_id {
        None => None,
        Some(parent) if parent.deleted_at.is_some() => {
            return Err(Error::invalid(
                "parentId",
                "cannot reply to a deleted message",
            ));
        }
        Some(parent) => Some(parent.parent_id.unwrap_or(parent.id)),
    };
    let attachments = claim_attachments(&txn, viewer.user_id, &attachment_ids).await?;

    // A hidden direct room comes back for whoever had left it.
    let revived = if room.is_group {
        Vec::new()
    } else {
        revive(&txn, room_id, None).await?
    };
    let mut new_events: Vec<NewEvent> = revived
        .iter()
        .map(|&id| NewEvent::member_joined(id, None))
        .collect();
    let message_id = Uuid::now_v7();
    new_events.push(NewEvent::message_added(message_id, root_id));
    let now = clock::now();
    let first = events::reserve_touching(&txn, room_id, new_events.len() as i64, Some(now)).await?;
    // The message's seq is the seq of its MessageAdded event (see `crate::events`).
    let seq = first + new_events.len() as i64 - 1;
    let message = messages::Model {
        id: message_id,
        room_id,
        seq,
        sender_id: Some(viewer.user_id),
        parent_id: root_id,
        content: Some(content),
        client_id: client_id.clone(),
        inserted_at: now,
        edited_at: None,
        deleted_at: None,
    };
    if let Err(err) = messages::Entity::insert(messages::ActiveModel::from(message.clone()))
        .exec_without_returning(&txn)
        .await
    {
        if let (true, Some(client_id)) = (is_unique_violation(&err), &client_id) {
            // A concurrent retry with the same clientId won: return its message.
            txn.rollback().await?;
            let original = find_by_client_id(&deps.db, viewer.user_id, room_id, client_id)
                .await?
                .ok_or_else(|| Error::internal("clientId conflict without a message"))?;
            return Ok(Outcome::unchanged(original));
        }
        return Err(err.into());
    }
    search_index::sync(&txn, message_id, message.content.as_deref()).await?;
    if !attachments.is_empty() {
        attachments::Entity::update_many()
            .col_expr(attachments::Column::MessageId, Expr::value(message_id))
            .filter(attachments::Column::Id.is_in(attachments.iter().copied()))
            .exec(&txn)
            .await?;
    }
    let events = events::append_at(&txn, room_id, first, new_events).await?;

    let members = member_nicknames(&txn, room_id).await?;
    let mentioned = mention_parser::resolve(
        message.content.as_deref().unwrap_or_default(),
        &members,
        viewer.user_id,
    );
    insert_mentions(&txn, message_id, &mentioned).await?;
    let mut notes: Vec<NewNotification> = members
        .iter()
        .filter(|(id, _)| *id != viewer.user_id)
        .map(|(id, _)| NewNotification {
            user_id: *id,
            kind: if mentioned.contains(id) {
                NotificationKind::Mention
            } else {
                NotificationKind::Message
            },
            room_id,
            message_id: Some(message_id),
        })
        .collect();
    notes.sort_by_key(|n| n.user_id);
    let notifications = notifications_service::insert(&txn, notes).await?;

    let outcome = Outcome::new(
        message,
        Written {
            events,
            notifications,
        },
    );
    publish::commit(deps, txn, outcome).await
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
async fn claim_attachments(
    txn: &DatabaseTransaction,
    sender: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
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
    Ok(ids.to_vec())
}

/// Current members with their nicknames, for mention matching and notifications.
async fn member_nicknames(db: &impl ConnectionTrait, room_id: Uuid) -> Result<Vec<(Uuid, String)>> {
    let rows = room_users::Entity::find()
        .filter(room_users::Column::RoomId.eq(room_id))
        .filter(room_users::Column::LeftAt.is_null())
        .find_also_related(users::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(member, user)| user.map(|u| (member.user_id, u.nickname)))
        .collect())
}

async fn insert_mentions(
    db: &impl ConnectionTrait,
    message_id: Uuid,
    users: &[Uuid],
) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    mentions::Entity::insert_many(users.iter().map(|&user_id| mentions::ActiveModel {
        message_id: Set(message_id),
        mentioned_user_id: Set(user_id),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A message and the caller's membership of its room: NOT_FOUND both for an unknown message and for one of a
/// room the caller is not a member of.
async fn message_for_member(
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

    let members = member_nicknames(&txn, message.room_id).await?;
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
    insert_mentions(&txn, message_id, &added).await?;
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
        vec![NewEvent::message_edited(message_id)],
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
    publish::commit(deps, txn, outcome).await
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
        vec![NewEvent::message_deleted(message_id)],
    )
    .await?;
    let message = reload(&txn, message_id).await?;
    let outcome = Outcome::new(message, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

async fn reload(db: &impl ConnectionTrait, message_id: Uuid) -> Result<messages::Model> {
    messages::Entity::find_by_id(message_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("message not found"))
}

/// `addReaction`: members only, one emoji grapheme, idempotent, at most 50 distinct emojis per message.
pub async fn add_reaction(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    emoji: &str,
) -> Result<Outcome<messages::Model>> {
    let emoji = validate::emoji(emoji)?;
    let txn = deps.db.begin().await?;
    let (message, _) = message_for_member(&txn, viewer, message_id).await?;
    if message.deleted_at.is_some() {
        return Err(Error::invalid(
            "messageId",
            "a deleted message cannot be reacted to",
        ));
    }
    let present: Vec<message_reactions::Model> = message_reactions::Entity::find()
        .filter(message_reactions::Column::MessageId.eq(message_id))
        .all(&txn)
        .await?;
    if present
        .iter()
        .any(|r| r.user_id == viewer.user_id && r.emoji == emoji)
    {
        return Ok(Outcome::unchanged(message));
    }
    let distinct: HashSet<&str> = present.iter().map(|r| r.emoji.as_str()).collect();
    if !distinct.contains(emoji.as_str()) && distinct.len() as u64 >= MAX_DISTINCT_REACTIONS {
        return Err(Error::invalid(
            "emoji",
            format!("a message can carry at most {MAX_DISTINCT_REACTIONS} different emojis"),
        ));
    }
    let inserted = message_reactions::Entity::insert(message_reactions::ActiveModel {
        id: Set(Uuid::now_v7()),
        message_id: Set(message_id),
        user_id: Set(viewer.user_id),
        emoji: Set(emoji.clone()),
        created_at: Set(clock::now()),
    })
    .exec_without_returning(&txn)
    .await;
    if let Err(err) = inserted {
        if is_unique_violation(&err) {
            // The same reaction landed concurrently: adding is idempotent.
            txn.rollback().await?;
            return Ok(Outcome::unchanged(reload(&deps.db, message_id).await?));
        }
        return Err(err.into());
    }
    let events = events::append(
        &txn,
        message.room_id,
        vec![NewEvent::reaction_changed(
            message_id,
            &emoji,
            viewer.user_id,
            true,
        )],
    )
    .await?;
    let outcome = Outcome::new(message, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

/// `removeReaction`: members only; removing a reaction that is not there changes nothing.
pub async fn remove_reaction(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    emoji: &str,
) -> Result<Outcome<messages::Model>> {
    let emoji = validate::emoji(emoji)?;
    let txn = deps.db.begin().await?;
    let (message, _) = message_for_member(&txn, viewer, message_id).await?;
    let res = message_reactions::Entity::delete_many()
        .filter(message_reactions::Column::MessageId.eq(message_id))
        .filter(message_reactions::Column::UserId.eq(viewer.user_id))
        .filter(message_reactions::Column::Emoji.eq(emoji.as_str()))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(Outcome::unchanged(message));
    }
    let events = events::append(
        &txn,
        message.room_id,
        vec![NewEvent::reaction_changed(
            message_id,
            &emoji,
            viewer.user_id,
            false,
        )],
    )
    .await?;
    let outcome = Outcome::new(message, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

/// Page arguments of a Relay connection.
#[derive(Debug, Default, Clone)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
    /// Centre the page on this message (a thread reply centres on its root).
    pub around: Option<Uuid>,
    /// Centre the page on the first top-level message with a seq at or above this one (e.g. the first unread:
    /// my `lastReadSeq` + 1), or on the newest message when there is none.
    pub around_seq: Option<i64>,
}

/// `messages(roomId, …)`: top-level messages (tombstones included, thread replies excluded) in seq order.
/// `first`/`after` pages forward, `last`/`before` backward; without either the newest 50.
pub async fn history(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    args: PageArgs,
) -> Result<Page<messages::Model>> {
    let first = pagination::page_size("first", args.first)?;
    let last = pagination::page_size("last", args.last)?;
    if first.is_some() && last.is_some() {
        return Err(Error::invalid("last", "pass first or last, not both"));
    }
    if args.around.is_some() || args.around_seq.is_some() {
        return around(deps, viewer, room_id, &args, first.or(last)).await;
    }
    let after = args
        .after
        .as_deref()
        .map(|c| pagination::parse_seq_cursor("after", c))
        .transpose()?;
    let before = args
        .before
        .as_deref()
        .map(|c| pagination::parse_seq_cursor("before", c))
        .transpose()?;
    require_member(&deps.db, room_id, viewer.user_id).await?;

    let mut query = messages::Entity::find()
        .filter(messages::Column::RoomId.eq(room_id))
        .filter(messages::Column::ParentId.is_null());
    if let Some(after) = after {
        query = query.filter(messages::Column::Seq.gt(after));
    }
    if let Some(before) = before {
        query = query.filter(messages::Column::Seq.lt(before));
    }
    let forward = first.is_some() || (last.is_none() && after.is_some() && before.is_none());
    if forward {
        let limit = first.unwrap_or(DEFAULT_PAGE);
        let mut items = query
            .order_by_asc(messages::Column::Seq)
            .limit(limit + 1)
            .all(&deps.db)
            .await?;
        let more = items.len() as u64 > limit;
        items.truncate(limit as usize);
        Ok(Page {
            items,
            has_next_page: more || (before.is_some() && limit == 0),
            has_previous_page: after.is_some(),
        })
    } else {
        let limit = last.unwrap_or(DEFAULT_PAGE);
        let mut items = query
            .order_by_desc(messages::Column::Seq)
            .limit(limit + 1)
            .all(&deps.db)
            .await?;
        let more = items.len() as u64 > limit;
        items.truncate(limit as usize);
        items.reverse();
        Ok(Page {
            items,
            has_next_page: before.is_some(),
            has_previous_page: more,
        })
    }
}

/// `messages(roomId, around: …)`: a page of `size` (default 50) top-level messages centred on one message
/// (about half before it, the message itself and the rest after it), with `hasPreviousPage`/`hasNextPage`
/// exact on both sides so the client pages further either way with `before`/`after`.
async fn around(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
    args: &PageArgs,
    size: Option<u64>,
) -> Result<Page<messages::Model>> {
    let field = if args.around.is_some() {
        "around"
    } else {
        "aroundSeq"
    };
    if args.around.is_some() && args.around_seq.is_some() {
        return Err(Error::invalid(field, "pass around or aroundSeq, not both"));
    }
    if args.after.is_some() || args.before.is_some() {
        return Err(Error::invalid(
            field,
            format!("{field} cannot be combined with after or before"),
        ));
    }
    if args.around_seq.is_some_and(|seq| seq < 0) {
        return Err(Error::invalid(field, "aroundSeq must not be negative"));
    }
    require_member(&deps.db, room_id, viewer.user_id).await?;
    let size = size.unwrap_or(DEFAULT_PAGE).max(1);
    let top_level = || {
        messages::Entity::find()
            .filter(messages::Column::RoomId.eq(room_id))
            .filter(messages::Column::ParentId.is_null())
    };

    // The seq of the message the page is centred on; every row at or after it goes to the second half.
    let centre = if let Some(id) = args.around {
        let message = messages::Entity::find_by_id(id)
            .filter(messages::Column::RoomId.eq(room_id))
            .one(&deps.db)
            .await?
            .ok_or(Error::NotFound("message not found in this room"))?;
        match message.parent_id {
            None => message.seq,
            Some(root) => {
                messages::Entity::find_by_id(root)
                    .one(&deps.db)
                    .await?
                    .ok_or(Error::NotFound("message not found in this room"))?
                    .seq
            }
        }
    } else {
        let from = args.around_seq.unwrap_or(0);
        let at_or_after = top_level()
            .filter(messages::Column::Seq.gte(from))
            .order_by_asc(messages::Column::Seq)
            .one(&deps.db)
            .await?;
        match at_or_after {
            Some(m) => m.seq,
            // Nothing that new: the newest message is the centre (the page is the end of the history).
            None => match top_level()
                .order_by_desc(messages::Column::Seq)
                .one(&deps.db)
                .await?
            {
                Some(m) => m.seq,
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        has_next_page: false,
                        has_previous_page: false,
                    });
                }
            },
        }
    };

    let before_count = (size - 1) / 2;
    let after_count = size - before_count;
    let mut older = top_level()
        .filter(messages::Column::Seq.lt(centre))
        .order_by_desc(messages::Column::Seq)
        .limit(before_count + 1)
        .all(&deps.db)
        .await?;
    let mut newer = top_level()
        .filter(messages::Column::Seq.gte(centre))
        .order_by_asc(messages::Column::Seq)
        .limit(after_count + 1)
        .all(&deps.db)
        .await?;
    let has_previous_page = older.len() as u64 > before_count;
    let has_next_page = newer.len() as u64 > after_count;
    older.truncate(before_count as usize);
    newer.truncate(after_count as usize);
    older.reverse();
    older.append(&mut newer);
    Ok(Page {
        items: older,
        has_next_page,
        has_previous_page,
    })
}

/// `thread(messageId, …)`: the replies of a thread, oldest first. A reply's id selects its thread.
pub async fn thread(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<Page<messages::Model>> {
    let limit = pagination::page_size("first", first)?.unwrap_or(DEFAULT_PAGE);
    let after = after
        .map(|c| pagination::parse_seq_cursor("after", c))
        .transpose()?;
    let (message, _) =
        permissions::message_for_member(&deps.db, message_id, viewer.user_id).await?;
    let root = message.parent_id.unwrap_or(message.id);
    let mut query = messages::Entity::find()
        .filter(messages::Column::ParentId.eq(root))
        .order_by_asc(messages::Column::Seq)
        .limit(limit + 1);
    if let Some(after) = after {
        query = query.filter(messages::Column::Seq.gt(after));
    }
    let mut items = query.all(&deps.db).await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    Ok(Page {
        items,
        has_next_page: more,
        has_previous_page: after.is_some(),
    })
}

/// One emoji's reactions on a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionSummary {
    pub emoji: String,
    /// Who reacted, earliest first.
    pub user_ids: Vec<Uuid>,
    pub reacted_by_me: bool,
}

/// Groups a message's reaction rows (oldest first) by emoji, in the order each emoji was first used.
pub fn group_reactions(rows: Vec<message_reactions::Model>, viewer: Uuid) -> Vec<ReactionSummary> {
    let mut groups: Vec<ReactionSummary> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let i = *index.entry(row.emoji.clone()).or_insert_with(|| {
            groups.push(ReactionSummary {
                emoji: row.emoji.clone(),
                user_ids: Vec::new(),
                reacted_by_me: false,
            });
            groups.len() - 1
        });
        let group = &mut groups[i];
        group.reacted_by_me |= row.user_id == viewer;
        group.user_ids.push(row.user_id);
    }
    groups
}
