//! Emoji reactions: adding and removing them, and their summary per message.

use std::collections::{HashMap, HashSet};

use entity::{message_reactions, messages};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;

use super::change::{message_for_member, reload};
use super::validate;
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result, is_unique_violation};
use crate::events::{self, EventData, Outcome, Written};
use crate::realtime::publish;

/// Most distinct emojis one message can carry.
pub const MAX_DISTINCT_REACTIONS: u64 = 50;

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
    announce(deps, txn, viewer, message, &emoji, true).await
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
    announce(deps, txn, viewer, message, &emoji, false).await
}

/// Records the `ReactionChanged` event of a change made in `txn`, commits and publishes it.
async fn announce(
    deps: &Deps,
    txn: DatabaseTransaction,
    viewer: Viewer,
    message: messages::Model,
    emoji: &str,
    added: bool,
) -> Result<Outcome<messages::Model>> {
    let events = events::append(
        &txn,
        message.room_id,
        vec![EventData::reaction_changed(
            message.id,
            emoji,
            viewer.user_id,
            added,
        )],
    )
    .await?;
    let outcome = Outcome::new(message, Written::events(events));
    publish::commit(deps, txn, outcome).await
}

/// One emoji's reactions on a message. The same for every reader: whether the reader is among them is
/// asked of it ([`ReactionSummary::reacted_by`]), so one summary serves every subscriber of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionSummary {
    pub emoji: String,
    /// Who reacted, earliest first.
    pub user_ids: Vec<Uuid>,
}

impl ReactionSummary {
    pub fn reacted_by(&self, user_id: Uuid) -> bool {
        self.user_ids.contains(&user_id)
    }
}

/// Groups a message's reaction rows (oldest first) by emoji, in the order each emoji was first used.
pub fn group_reactions(rows: Vec<message_reactions::Model>) -> Vec<ReactionSummary> {
    let mut groups: Vec<ReactionSummary> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let i = *index.entry(row.emoji.clone()).or_insert_with(|| {
            groups.push(ReactionSummary {
                emoji: row.emoji.clone(),
                user_ids: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].user_ids.push(row.user_id);
    }
    groups
}
