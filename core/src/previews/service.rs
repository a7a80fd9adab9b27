//! Storing previews: the task started after a send or an edit commits, the cache by URL, and the author's
//! `removeLinkPreview`.

use chrono::Utc;
use entity::{link_previews, message_link_previews, messages};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use url::Url;
use uuid::Uuid;

use super::{FetchError, PagePreview, links};
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::events::{self, EventData, Outcome, Written};
use crate::messages::change::{message_for_member, reload};
use crate::realtime::publish;
use crate::rooms::permissions::require_member;

/// How one preview task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// A preview was stored, replaced or cleared, and announced.
    Changed,
    /// Nothing to do (no link and no preview, the same link as the stored preview, a deleted message, or a
    /// later edit changed the link meanwhile: its own task takes over).
    Unchanged,
    /// The page had nothing to show.
    Empty,
    Refused,
    Failed,
}

/// After a send has committed: previews the message's first link in the background, if it has one.
pub fn after_send(deps: &Deps, message: &messages::Model) {
    let has_link = message
        .content
        .as_deref()
        .and_then(links::first_url)
        .is_some();
    if has_link {
        spawn(deps, message.id);
    }
}

/// After an edit has committed: the link may have changed or gone, so the preview is looked at again.
pub fn after_edit(deps: &Deps, message: &messages::Model) {
    spawn(deps, message.id);
}

fn spawn(deps: &Deps, message_id: Uuid) {
    if !deps.previews.enabled() {
        return;
    }
    let deps = deps.clone();
    tokio::spawn(async move {
        let ended = match refresh(&deps, message_id).await {
            Ok(ended) => ended,
            Err(err) => {
                tracing::debug!(error = %err, %message_id, "storing a link preview failed");
                Refreshed::Failed
            }
        };
        deps.previews.count(|tally| match ended {
            Refreshed::Changed => tally.changed += 1,
            Refreshed::Unchanged => tally.unchanged += 1,
            Refreshed::Empty => tally.empty += 1,
            Refreshed::Refused => tally.refused += 1,
            Refreshed::Failed => tally.failed += 1,
        });
    });
}

/// Brings a message's preview in line with its current first link: fetches (or takes from the cache) the
/// page, then stores and announces the preview, or clears a preview whose link is gone. Runs outside any
/// request; every check is made again in the writing transaction, under the room's lock.
pub async fn refresh(deps: &Deps, message_id: Uuid) -> Result<Refreshed> {
    let Some(message) = messages::Entity::find_by_id(message_id)
        .one(&deps.db)
        .await?
    else {
        return Ok(Refreshed::Unchanged);
    };
    let target = live_link(&message);
    let stored = message_link_previews::Entity::find_by_id(message_id)
        .one(&deps.db)
        .await?;
    let page = match (&target, &stored) {
        (None, None) => return Ok(Refreshed::Unchanged),
        (Some(url), Some(row)) if row.url == url.as_str() => return Ok(Refreshed::Unchanged),
        (None, Some(_)) => None,
        (Some(url), _) => match page(deps, url).await {
            Ok(page) if page.is_empty() => None,
            Ok(page) => Some(page),
            Err(FetchError::Refused(reason)) => {
                tracing::debug!(%url, reason, "link preview refused");
                return finish(deps, &message, &target, None, Refreshed::Refused).await;
            }
            Err(FetchError::Failed(reason)) => {
                tracing::debug!(%url, reason, "link preview fetch failed");
                return finish(deps, &message, &target, None, Refreshed::Failed).await;
            }
        },
    };
    let nothing = if page.is_none() && target.is_some() {
        Refreshed::Empty
    } else {
        Refreshed::Changed
    };
    finish(deps, &message, &target, page, nothing).await
}

/// The link a message should preview now: none once deleted.
fn live_link(message: &messages::Model) -> Option<Url> {
    if message.deleted_at.is_some() {
        return None;
    }
    message.content.as_deref().and_then(links::first_url)
}

/// Writes the outcome for `target`: `page` stored under the message, or, without a page, any preview of
/// another link cleared (a stale preview must not outlive its link). `without_change` is what the task
/// reports when nothing visible changed.
async fn finish(
    deps: &Deps,
    message: &messages::Model,
    target: &Option<Url>,
    page: Option<PagePreview>,
    without_change: Refreshed,
) -> Result<Refreshed> {
    let Some(sender) = message.sender_id else {
        return Ok(Refreshed::Unchanged);
    };
    let txn = deps.db.begin().await?;
    // The sender's membership, then the room's lock (taken by the event's seq): concurrent edits and
    // preview tasks of this room wait here, so the checks below see the latest committed text.
    require_member(&txn, message.room_id, sender).await?;
    let events = events::append(
        &txn,
        message.room_id,
        vec![EventData::link_preview_changed(message.id)],
    )
    .await?;
    let current = reload(&txn, message.id).await?;
    if live_link(&current) != *target {
        txn.rollback().await?;
        return Ok(Refreshed::Unchanged);
    }
    let stored = message_link_previews::Entity::find_by_id(message.id)
        .one(&txn)
        .await?;
    let visible_before = stored.as_ref().is_some_and(|row| row.removed_at.is_none());
    if let (Some(url), Some(row)) = (target, &stored)
        && row.url == url.as_str()
    {
        // Another task stored this link meanwhile (or the author removed its preview).
        txn.rollback().await?;
        return Ok(Refreshed::Unchanged);
    }
    if stored.is_some() {
        message_link_previews::Entity::delete_by_id(message.id)
            .exec(&txn)
            .await?;
    }
    let shown = match (target, page) {
        (Some(url), Some(page)) => {
            message_link_previews::Entity::insert(message_link_previews::ActiveModel {
                message_id: Set(message.id),
                url: Set(url.to_string()),
                title: Set(page.title),
                description: Set(page.description),
                image_url: Set(page.image_url),
                site_name: Set(page.site_name),
                created_at: Set(clock::now()),
                removed_at: Set(None),
            })
            .exec_without_returning(&txn)
            .await?;
            true
        }
        _ => false,
    };
    if !shown && !visible_before {
        // Nothing a client shows changed: no event.
        txn.rollback().await?;
        return Ok(without_change);
    }
    publish::commit(deps, txn, Outcome::new((), Written::events(events))).await?;
    Ok(if shown {
        Refreshed::Changed
    } else {
        without_change
    })
}

/// The page of `url`: from the cache while fresh, else fetched (at most [`super::CONCURRENT_FETCHES`] at once
/// per process) and cached when it has something to show.
async fn page(deps: &Deps, url: &Url) -> std::result::Result<PagePreview, FetchError> {
    let previews = &deps.previews;
    let Some(fetcher) = previews.fetcher.as_ref() else {
        return Err(FetchError::Refused("link previews are switched off".into()));
    };
    let fresh_after =
        clock::now() - chrono::Duration::from_std(previews.cache_ttl).unwrap_or_default();
    match cached(&deps.db, url, fresh_after).await {
        Ok(Some(page)) => return Ok(page),
        Ok(None) => {}
        Err(err) => tracing::debug!(error = %err, "reading the link preview cache failed"),
    }
    let page = {
        let _permit = previews
            .permits
            .acquire()
            .await
            .map_err(|_| FetchError::Failed("shutting down".into()))?;
        previews.count(|tally| tally.fetched += 1);
        fetcher.fetch(url).await?.tidy()
    };
    if !page.is_empty()
        && let Err(err) = remember(&deps.db, url, &page, fresh_after).await
    {
        tracing::debug!(error = %err, "writing the link preview cache failed");
    }
    Ok(page)
}

async fn cached(
    db: &impl ConnectionTrait,
    url: &Url,
    fresh_after: chrono::DateTime<Utc>,
) -> Result<Option<PagePreview>> {
    Ok(link_previews::Entity::find_by_id(url.to_string())
        .filter(link_previews::Column::FetchedAt.gt(fresh_after))
        .one(db)
        .await?
        .map(|row| PagePreview {
            title: row.title,
            description: row.description,
            image_url: row.image_url,
            site_name: row.site_name,
        }))
}

/// Stores a fetched page in the cache (replacing an expired copy) and prunes expired rows.
async fn remember(
    db: &impl ConnectionTrait,
    url: &Url,
    page: &PagePreview,
    fresh_after: chrono::DateTime<Utc>,
) -> Result<()> {
    link_previews::Entity::delete_many()
        .filter(link_previews::Column::FetchedAt.lte(fresh_after))
        .exec(db)
        .await?;
    link_previews::Entity::insert(link_previews::ActiveModel {
        url: Set(url.to_string()),
        title: Set(page.title.clone()),
        description: Set(page.description.clone()),
        image_url: Set(page.image_url.clone()),
        site_name: Set(page.site_name.clone()),
        fetched_at: Set(clock::now()),
    })
    .on_conflict(
        OnConflict::column(link_previews::Column::Url)
            .update_columns([
                link_previews::Column::Title,
                link_previews::Column::Description,
                link_previews::Column::ImageUrl,
                link_previews::Column::SiteName,
                link_previews::Column::FetchedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `removeLinkPreview`: the author hides their message's preview, for everyone, announced like an edit.
/// The choice is kept: an edit that keeps the same link does not bring the preview back (another link does).
/// Removing when there is none changes nothing.
pub async fn remove(
    deps: &Deps,
    viewer: Viewer,
    message_id: Uuid,
) -> Result<Outcome<messages::Model>> {
    let txn = deps.db.begin().await?;
    let (message, _) = message_for_member(&txn, viewer, message_id).await?;
    if message.sender_id != Some(viewer.user_id) {
        return Err(Error::Forbidden(
            "only the author can remove a message's link preview",
        ));
    }
    let events = events::append(
        &txn,
        message.room_id,
        vec![EventData::link_preview_changed(message_id)],
    )
    .await?;
    let removed = message_link_previews::Entity::update_many()
        .col_expr(
            message_link_previews::Column::RemovedAt,
            sea_orm::sea_query::Expr::value(clock::now()),
        )
        .filter(message_link_previews::Column::MessageId.eq(message_id))
        .filter(message_link_previews::Column::RemovedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if removed == 0 {
        txn.rollback().await?;
        return Ok(Outcome::unchanged(message));
    }
    let message = reload(&txn, message_id).await?;
    publish::commit(deps, txn, Outcome::new(message, Written::events(events))).await
}
