//! Per-request DataLoaders: every list field and every nested lookup goes through one of these, so a page of
//! results costs a fixed number of queries whatever its size.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::{DateTime, Utc};
use entity::{
    attachments, mentions, message_link_previews, message_reactions, messages, room_users, rooms,
    users,
};
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::context::Deps;
use chorus_core::error::Error;
use chorus_core::realtime::presence::{PresenceStatus, PresenceStore};

const REQUEST_BATCH_DELAY: Duration = Duration::from_micros(200);
const SHARED_BATCH_DELAY: Duration = Duration::from_millis(1);

/// A loader that can remember what it loaded (only [`Loaders::remembering`] turns that on).
pub type Cached<T> = DataLoader<T, HashMapCache>;

/// The loaders of one request (or one WebSocket operation). Built fresh each time so nothing cached outlives
/// the request; each loader is created on first use, so an operation pays only for the loaders it needs (a
/// subscription event typically needs two or three of the thirteen).
///
/// Per request they batch but remember nothing: a subscription's operation lives for hours and each event
/// must read current rows. The loaders shared by every delivery of one stored event in this process
/// ([`Loaders::remembering`], see `crate::realtime::resolve_once`) remember, so that however many
/// subscribers resolve the event, each row is read once.
pub struct Loaders {
    db: DatabaseConnection,
    remember: bool,
    presence_store: Arc<dyn PresenceStore>,
    users: OnceLock<Cached<UserLoader>>,
    rooms: OnceLock<Cached<RoomLoader>>,
    messages: OnceLock<Cached<MessageLoader>>,
    members: OnceLock<Cached<MembersLoader>>,
    last_message: OnceLock<Cached<LastMessageLoader>>,
    unread: OnceLock<Cached<UnreadLoader>>,
    reactions: OnceLock<Cached<ReactionsLoader>>,
    mentions: OnceLock<Cached<MentionsLoader>>,
    attachments: OnceLock<Cached<AttachmentsLoader>>,
    replies: OnceLock<Cached<ReplyStatsLoader>>,
    attachment: OnceLock<Cached<AttachmentLoader>>,
    link_previews: OnceLock<Cached<LinkPreviewLoader>>,
    presence: OnceLock<Cached<PresenceLoader>>,
    shares_room: OnceLock<Cached<SharedRoomLoader>>,
    /// Current membership keyed by `(room, user)`: the guard of every `Room` and `Message` field.
    pub membership: MembershipCheck,
}

impl Loaders {
    pub fn new(deps: &Deps) -> Self {
        Self::build(deps, false)
    }

    /// Loaders that keep every row they load for their whole life: for data that does not change while
    /// they live (the resolution of one event).
    pub fn remembering(deps: &Deps) -> Self {
        Self::build(deps, true)
    }

    fn build(deps: &Deps, remember: bool) -> Self {
        Self {
            db: deps.db.clone(),
            remember,
            presence_store: deps.presence.store().clone(),
            users: OnceLock::new(),
            rooms: OnceLock::new(),
            messages: OnceLock::new(),
            members: OnceLock::new(),
            last_message: OnceLock::new(),
            unread: OnceLock::new(),
            reactions: OnceLock::new(),
            mentions: OnceLock::new(),
            attachments: OnceLock::new(),
            replies: OnceLock::new(),
            attachment: OnceLock::new(),
            link_previews: OnceLock::new(),
            presence: OnceLock::new(),
            shares_room: OnceLock::new(),
            membership: MembershipCheck::new(Db(deps.db.clone())),
        }
    }

    fn db(&self) -> Db {
        Db(self.db.clone())
    }

    fn loader<T: Loader<K>, K>(&self, loader: T) -> Cached<T>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        T::Value: Clone,
    {
        // A request's fields register their keys within one poll of the executor, so a short wait gathers a
        // whole page into one batch; the default millisecond would be idle time on every level of nesting
        // (three or four per history page). Shared loaders wait the full default: their keys come from many
        // subscribers' executions, which start over a longer span.
        let delay = if self.remember {
            SHARED_BATCH_DELAY
        } else {
            REQUEST_BATCH_DELAY
        };
        let loader =
            DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default()).delay(delay);
        loader.enable_all_cache(self.remember);
        loader
    }

    pub fn users(&self) -> &Cached<UserLoader> {
        self.users
            .get_or_init(|| self.loader(UserLoader(self.db())))
    }

    pub fn rooms(&self) -> &Cached<RoomLoader> {
        self.rooms
            .get_or_init(|| self.loader(RoomLoader(self.db())))
    }

    pub fn messages(&self) -> &Cached<MessageLoader> {
        self.messages
            .get_or_init(|| self.loader(MessageLoader(self.db())))
    }

    /// Current members of a room, longest-standing first (also serves `muted` and `seenBy`).
    pub fn members(&self) -> &Cached<MembersLoader> {
        self.members
            .get_or_init(|| self.loader(MembersLoader(self.db())))
    }

    pub fn last_message(&self) -> &Cached<LastMessageLoader> {
        self.last_message
            .get_or_init(|| self.loader(LastMessageLoader(self.db())))
    }

    /// Unread counts keyed by `(room, user, up to seq)`.
    pub fn unread(&self) -> &Cached<UnreadLoader> {
        self.unread
            .get_or_init(|| self.loader(UnreadLoader(self.db())))
    }

    pub fn reactions(&self) -> &Cached<ReactionsLoader> {
        self.reactions
            .get_or_init(|| self.loader(ReactionsLoader(self.db())))
    }

    pub fn mentions(&self) -> &Cached<MentionsLoader> {
        self.mentions
            .get_or_init(|| self.loader(MentionsLoader(self.db())))
    }

    pub fn attachments(&self) -> &Cached<AttachmentsLoader> {
        self.attachments
            .get_or_init(|| self.loader(AttachmentsLoader(self.db())))
    }

    pub fn replies(&self) -> &Cached<ReplyStatsLoader> {
        self.replies
            .get_or_init(|| self.loader(ReplyStatsLoader(self.db())))
    }

    /// Attachments by their own id (avatars).
    pub fn attachment(&self) -> &Cached<AttachmentLoader> {
        self.attachment
            .get_or_init(|| self.loader(AttachmentLoader(self.db())))
    }

    /// The shown link preview of a message (none once its author removed it).
    pub fn link_previews(&self) -> &Cached<LinkPreviewLoader> {
        self.link_previews
            .get_or_init(|| self.loader(LinkPreviewLoader(self.db())))
    }

    /// Presence status (from the presence store, not the database).
    pub fn presence(&self) -> &Cached<PresenceLoader> {
        self.presence
            .get_or_init(|| self.loader(PresenceLoader(self.presence_store.clone())))
    }

    /// Whether two users share a current room, keyed by `(viewer, other)` (who may see whose presence).
    pub fn shares_room(&self) -> &Cached<SharedRoomLoader> {
        self.shares_room
            .get_or_init(|| self.loader(SharedRoomLoader(self.db())))
    }
}

/// The connection a loader reads from.
pub struct Db(DatabaseConnection);

/// What a loader fails with: the domain error, shared by every caller waiting on the batch (a loader error
/// must be `Clone`). Resolvers return it with `?` and the schema maps it like any other domain error.
pub type LoadError = Arc<Error>;

type LoadResult<V> = Result<HashMap<Uuid, V>, LoadError>;

fn loader_error(err: impl Into<Error>) -> LoadError {
    Arc::new(err.into())
}

fn ids(keys: &[Uuid]) -> impl Iterator<Item = Uuid> + '_ {
    keys.iter().copied()
}

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Vec<T>> {
    let mut map: HashMap<Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

pub struct UserLoader(Db);

impl Loader<Uuid> for UserLoader {
    type Value = users::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = users::Entity::find()
            .filter(users::Column::Id.is_in(ids(keys)))
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

pub struct RoomLoader(Db);

impl Loader<Uuid> for RoomLoader {
    type Value = rooms::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = rooms::Entity::find()
            .filter(rooms::Column::Id.is_in(ids(keys)))
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

pub struct MessageLoader(Db);

impl Loader<Uuid> for MessageLoader {
    type Value = messages::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = messages::Entity::find()
            .filter(messages::Column::Id.is_in(ids(keys)))
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|m| (m.id, m)).collect())
    }
}

pub struct MembersLoader(Db);

impl Loader<Uuid> for MembersLoader {
    type Value = Vec<room_users::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = room_users::Entity::find()
            .filter(room_users::Column::RoomId.is_in(ids(keys)))
            .filter(room_users::Column::LeftAt.is_null())
            .order_by_asc(room_users::Column::JoinedAt)
            .order_by_asc(room_users::Column::UserId)
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(group(rows, |m| m.room_id))
    }
}

/// The newest top-level message of each room: the max seq per room, then those rows (two queries a batch).
pub struct LastMessageLoader(Db);

impl Loader<Uuid> for LastMessageLoader {
    type Value = messages::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let db = &self.0.0;
        let stmt = Query::select()
            .column(messages::Column::RoomId)
            .expr_as(Expr::col(messages::Column::Seq).max(), "max_seq")
            .from(messages::Entity)
            .and_where(Expr::col(messages::Column::RoomId).is_in(ids(keys)))
            .and_where(Expr::col(messages::Column::ParentId).is_null())
            .group_by_col(messages::Column::RoomId)
            .to_owned();
        let mut latest = Condition::any();
        let mut any = false;
        for row in db.query_all(&stmt).await.map_err(loader_error)? {
            let room_id: Uuid = row.try_get("", "room_id").map_err(loader_error)?;
            let seq: i64 = row.try_get("", "max_seq").map_err(loader_error)?;
            latest = latest.add(
                Condition::all()
                    .add(messages::Column::RoomId.eq(room_id))
                    .add(messages::Column::Seq.eq(seq)),
            );
            any = true;
        }
        if !any {
            return Ok(HashMap::new());
        }
        let rows = messages::Entity::find()
            .filter(latest)
            .all(db)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|m| (m.room_id, m)).collect())
    }
}

/// Unread counts of one member of one room.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unread {
    /// Top-level, not deleted messages from others after the read marker.
    pub messages: i64,
    /// Not deleted messages after the read marker that mention the member.
    pub mentions: i64,
}

pub struct UnreadLoader(Db);

/// `(room, member, seq)`: the member's unread counts among the room's messages up to `seq`, the `lastSeq` of
/// the room row the counts are shown with. Counts and `lastSeq` then describe the same moment, so a client that
/// adds the messages arriving after `lastSeq` counts each one once, even one sent while the row was being read.
pub type UnreadKey = (Uuid, Uuid, i64);

impl Loader<UnreadKey> for UnreadLoader {
    type Value = Unread;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[UnreadKey],
    ) -> Result<HashMap<UnreadKey, Self::Value>, Self::Error> {
        // One query pair per round in which each room has one bound (several bounds of one room are rare: two
        // copies of it read at different moments in one request).
        let mut rounds: Vec<HashMap<Uuid, i64>> = Vec::new();
        for &(room, _, seq) in keys {
            match rounds
                .iter_mut()
                .find(|r| r.get(&room).is_none_or(|&s| s == seq))
            {
                Some(round) => {
                    round.insert(room, seq);
                }
                None => rounds.push(HashMap::from([(room, seq)])),
            }
        }
        let mut out = HashMap::new();
        for round in rounds {
            let found = self.load_round(keys, &round).await?;
            out.extend(found);
        }
        Ok(out)
    }
}

impl UnreadLoader {
    async fn load_round(
        &self,
        keys: &[UnreadKey],
        bounds: &HashMap<Uuid, i64>,
    ) -> Result<HashMap<UnreadKey, Unread>, LoadError> {
        let db = &self.0.0;
        let user_ids: HashSet<Uuid> = keys
            .iter()
            .filter(|k| bounds.get(&k.0) == Some(&k.2))
            .map(|k| k.1)
            .collect();
        let (ru, m) = (room_users::Entity, messages::Entity);
        let within = bounds.iter().fold(Condition::any(), |any, (&room, &seq)| {
            any.add(
                Condition::all()
                    .add(Expr::col((ru, room_users::Column::RoomId)).eq(room))
                    .add(Expr::col((m, messages::Column::Seq)).lte(seq)),
            )
        });
        let base = || {
            Query::select()
                .column((ru, room_users::Column::RoomId))
                .column((ru, room_users::Column::UserId))
                .expr_as(Expr::col((m, messages::Column::Id)).count(), "n")
                .from(ru)
                .inner_join(
                    m,
                    Condition::all()
                        .add(
                            Expr::col((m, messages::Column::RoomId))
                                .equals((ru, room_users::Column::RoomId)),
                        )
                        .add(
                            Expr::col((m, messages::Column::Seq))
                                .gt(Expr::col((ru, room_users::Column::LastReadSeq))),
                        )
                        .add(Expr::col((m, messages::Column::DeletedAt)).is_null()),
                )
                .cond_where(within.clone())
                .and_where(
                    Expr::col((ru, room_users::Column::UserId)).is_in(user_ids.iter().copied()),
                )
                .group_by_col((ru, room_users::Column::RoomId))
                .group_by_col((ru, room_users::Column::UserId))
                .to_owned()
        };
        let unread_messages = base()
            .and_where(Expr::col((m, messages::Column::ParentId)).is_null())
            .cond_where(
                Condition::any()
                    .add(Expr::col((m, messages::Column::SenderId)).is_null())
                    .add(
                        Expr::col((m, messages::Column::SenderId))
                            .ne(Expr::col((ru, room_users::Column::UserId))),
                    ),
            )
            .to_owned();
        let mn = mentions::Entity;
        let unread_mentions = base()
            .inner_join(
                mn,
                Condition::all()
                    .add(
                        Expr::col((mn, mentions::Column::MessageId))
                            .equals((m, messages::Column::Id)),
                    )
                    .add(
                        Expr::col((mn, mentions::Column::MentionedUserId))
                            .equals((ru, room_users::Column::UserId)),
                    ),
            )
            .to_owned();
        let wanted: HashSet<UnreadKey> = keys.iter().copied().collect();
        let mut out: HashMap<UnreadKey, Unread> = HashMap::new();
        for (stmt, is_mentions) in [(unread_messages, false), (unread_mentions, true)] {
            for row in db.query_all(&stmt).await.map_err(loader_error)? {
                let room: Uuid = row.try_get("", "room_id").map_err(loader_error)?;
                let user: Uuid = row.try_get("", "user_id").map_err(loader_error)?;
                let key = (room, user, bounds[&room]);
                if !wanted.contains(&key) {
                    continue;
                }
                let n: i64 = row.try_get("", "n").map_err(loader_error)?;
                let entry = out.entry(key).or_default();
                if is_mentions {
                    entry.mentions = n;
                } else {
                    entry.messages = n;
                }
            }
        }
        Ok(out)
    }
}

pub struct ReactionsLoader(Db);

impl Loader<Uuid> for ReactionsLoader {
    type Value = Vec<message_reactions::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = message_reactions::Entity::find()
            .filter(message_reactions::Column::MessageId.is_in(ids(keys)))
            .order_by_asc(message_reactions::Column::CreatedAt)
            .order_by_asc(message_reactions::Column::Id)
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(group(rows, |r| r.message_id))
    }
}

/// User ids each message names with `@nickname` (not those reached only through `@here`/`@everyone`).
pub struct MentionsLoader(Db);

impl Loader<Uuid> for MentionsLoader {
    type Value = Vec<Uuid>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = mentions::Entity::find()
            .filter(mentions::Column::MessageId.is_in(ids(keys)))
            .filter(mentions::Column::Broadcast.eq(false))
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for row in rows {
            out.entry(row.message_id)
                .or_default()
                .push(row.mentioned_user_id);
        }
        Ok(out)
    }
}

pub struct LinkPreviewLoader(Db);

impl Loader<Uuid> for LinkPreviewLoader {
    type Value = message_link_previews::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = message_link_previews::Entity::find()
            .filter(message_link_previews::Column::MessageId.is_in(ids(keys)))
            .filter(message_link_previews::Column::RemovedAt.is_null())
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|p| (p.message_id, p)).collect())
    }
}

pub struct AttachmentsLoader(Db);

impl Loader<Uuid> for AttachmentsLoader {
    type Value = Vec<attachments::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        let rows = attachments::Entity::find()
            .filter(attachments::Column::MessageId.is_in(ids(keys)))
            .order_by_asc(attachments::Column::Id)
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(group(rows, |a| a.message_id.unwrap_or_default()))
    }
}

/// Reply count and newest reply time of each thread root.
#[derive(Clone, Copy, Debug)]
pub struct ReplyStats {
    pub count: i64,
    pub last_at: DateTime<Utc>,
}

pub struct ReplyStatsLoader(Db);

impl Loader<Uuid> for ReplyStatsLoader {
    type Value = ReplyStats;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Self::Value> {
        // Counts and the newest seq per thread in one query; the newest replies' rows give `last_at`.
        let stmt = Query::select()
            .column(messages::Column::ParentId)
            .expr_as(Expr::col(messages::Column::Id).count(), "n")
            .expr_as(Expr::col(messages::Column::Seq).max(), "max_seq")
            .from(messages::Entity)
            .and_where(Expr::col(messages::Column::ParentId).is_in(ids(keys)))
            .group_by_col(messages::Column::ParentId)
            .to_owned();
        let db = &self.0.0;
        let mut counts: HashMap<Uuid, (i64, i64)> = HashMap::new();
        for row in db.query_all(&stmt).await.map_err(loader_error)? {
            let parent: Uuid = row.try_get("", "parent_id").map_err(loader_error)?;
            let n: i64 = row.try_get("", "n").map_err(loader_error)?;
            let max_seq: i64 = row.try_get("", "max_seq").map_err(loader_error)?;
            counts.insert(parent, (n, max_seq));
        }
        if counts.is_empty() {
            return Ok(HashMap::new());
        }
        let mut newest = Condition::any();
        for (parent, (_, seq)) in &counts {
            newest = newest.add(
                Condition::all()
                    .add(messages::Column::ParentId.eq(*parent))
                    .add(messages::Column::Seq.eq(*seq)),
            );
        }
        let rows = messages::Entity::find()
            .filter(newest)
            .all(db)
            .await
            .map_err(loader_error)?;
        Ok(rows
            .into_iter()
            .filter_map(|m| {
                let parent = m.parent_id?;
                let (count, _) = counts.get(&parent)?;
                Some((
                    parent,
                    ReplyStats {
                        count: *count,
                        last_at: m.inserted_at,
                    },
                ))
            })
            .collect())
    }
}

pub struct PresenceLoader(std::sync::Arc<dyn PresenceStore>);

impl Loader<Uuid> for PresenceLoader {
    type Value = PresenceStatus;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<PresenceStatus> {
        // Presence must not break a page: while its store is unreachable everyone reads as OFFLINE.
        Ok(self.0.status(keys).await.unwrap_or_else(|err| {
            tracing::debug!(error = ?err, "presence unavailable");
            HashMap::new()
        }))
    }
}

pub struct AttachmentLoader(Db);

impl Loader<Uuid> for AttachmentLoader {
    type Value = attachments::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<attachments::Model> {
        let rows = attachments::Entity::find()
            .filter(attachments::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|a| (a.id, a)).collect())
    }
}

/// Whether users are current members of rooms, answered once per `(room, user)` for one execution (a query,
/// a mutation or one event of a subscription: [`crate::rooms::guard::FreshMembership`] clears it before
/// each), so a long-lived subscription sees a departure at its next event. Every field of a page asks at
/// once: the first ask of a key starts one batched load, the others share its result, which keeps a page
/// at one lookup however many fields it has.
pub struct MembershipCheck {
    loader: Arc<DataLoader<MembershipLoader>>,
    asked: Mutex<HashMap<(Uuid, Uuid), SharedCheck>>,
}

type SharedCheck = Shared<BoxFuture<'static, Result<bool, LoadError>>>;

impl MembershipCheck {
    fn new(db: Db) -> Self {
        Self {
            loader: Arc::new(DataLoader::new(MembershipLoader(db), tokio::spawn)),
            asked: Mutex::new(HashMap::new()),
        }
    }

    pub async fn is_member(&self, room_id: Uuid, user_id: Uuid) -> Result<bool, LoadError> {
        let key = (room_id, user_id);
        let check = self
            .asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert_with(|| {
                let loader = self.loader.clone();
                async move { Ok(loader.load_one(key).await?.is_some()) }
                    .boxed()
                    .shared()
            })
            .clone();
        check.await
    }

    /// Forgets every answer (see [`crate::rooms::guard::FreshMembership`]).
    pub fn clear(&self) {
        self.asked.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

pub struct MembershipLoader(Db);

impl Loader<(Uuid, Uuid)> for MembershipLoader {
    type Value = room_users::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid)],
    ) -> Result<HashMap<(Uuid, Uuid), Self::Value>, Self::Error> {
        let room_ids: HashSet<Uuid> = keys.iter().map(|k| k.0).collect();
        let user_ids: HashSet<Uuid> = keys.iter().map(|k| k.1).collect();
        let wanted: HashSet<(Uuid, Uuid)> = keys.iter().copied().collect();
        let rows = room_users::Entity::find()
            .filter(room_users::Column::RoomId.is_in(room_ids))
            .filter(room_users::Column::UserId.is_in(user_ids))
            .filter(room_users::Column::LeftAt.is_null())
            .all(&self.0.0)
            .await
            .map_err(loader_error)?;
        Ok(rows
            .into_iter()
            .map(|m| ((m.room_id, m.user_id), m))
            .filter(|(key, _)| wanted.contains(key))
            .collect())
    }
}

pub struct SharedRoomLoader(Db);

impl Loader<(Uuid, Uuid)> for SharedRoomLoader {
    type Value = bool;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid)],
    ) -> Result<HashMap<(Uuid, Uuid), bool>, Self::Error> {
        let viewers: HashSet<Uuid> = keys.iter().map(|k| k.0).collect();
        let others: HashSet<Uuid> = keys.iter().map(|k| k.1).collect();
        // Pairs (a, b) of current members of one room, a among the viewers and b among the others.
        let (mine, theirs) = (Alias::new("mine"), Alias::new("theirs"));
        let stmt = Query::select()
            .distinct()
            .expr_as(
                Expr::col((mine.clone(), room_users::Column::UserId)),
                "viewer_id",
            )
            .expr_as(
                Expr::col((theirs.clone(), room_users::Column::UserId)),
                "other_id",
            )
            .from_as(room_users::Entity, mine.clone())
            .join_as(
                JoinType::InnerJoin,
                room_users::Entity,
                theirs.clone(),
                Expr::col((theirs.clone(), room_users::Column::RoomId))
                    .equals((mine.clone(), room_users::Column::RoomId)),
            )
            .and_where(Expr::col((mine.clone(), room_users::Column::UserId)).is_in(viewers))
            .and_where(Expr::col((theirs.clone(), room_users::Column::UserId)).is_in(others))
            .and_where(Expr::col((mine, room_users::Column::LeftAt)).is_null())
            .and_where(Expr::col((theirs, room_users::Column::LeftAt)).is_null())
            .to_owned();
        let mut shared = HashSet::new();
        for row in self.0.0.query_all(&stmt).await.map_err(loader_error)? {
            let viewer: Uuid = row.try_get("", "viewer_id").map_err(loader_error)?;
            let other: Uuid = row.try_get("", "other_id").map_err(loader_error)?;
            shared.insert((viewer, other));
        }
        Ok(keys
            .iter()
            .map(|key| (*key, key.0 == key.1 || shared.contains(key)))
            .collect())
    }
}
