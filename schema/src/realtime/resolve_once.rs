//! Each stored event is read from the database once per process, however many subscribers it reaches.
//!
//! A subscription's operation resolves every event it delivers with the operation's own selection. Left
//! alone, one message to a room of N subscribers runs N executions, each loading the message, its sender,
//! its reactions… through its own loaders: N times the same queries. Instead:
//!
//! - The subscription streams record, just before yielding, which stored event the next execution resolves
//!   ([`CurrentItem`]; async-graphql executes a stream's items one after the other, right after each is
//!   yielded).
//! - [`ResolveOnce`] wraps each of those executions: it hands the execution the loaders that every delivery
//!   of that event in this process shares ([`SharedEvents`]), which remember what they loaded. The first
//!   subscriber's execution reads the rows (concurrent ones join its batch); the others read them from
//!   memory. Per-viewer fields (`reactedByMe`, signed URLs) are still computed per execution, from those rows.
//! - Membership of the event's own room is implied ([`ImpliedMember`]): the stream delivers a room's events
//!   only to someone who was a member at that point of the room's log (it ends with their own `MemberLeft`),
//!   so the guard of that room's `Message` and `Room` fields need not ask the database per subscriber.
//!
//! - Over WebSocket ([`ShareFrames`]), when subscribers send the same document with the same variables
//!   (those of the subscription field's own arguments aside: `positions`, `roomId`, `afterSeq` only choose the
//!   stream), the first execution's result is serialised once and the same bytes go to every other socket
//!   ([`SHARED_FRAME`]) — unless the execution read who the viewer is ([`ViewerRead`]: signed URLs,
//!   `reactedByMe`, membership of another room…) or failed, and then each subscriber executes its own.
//!
//! The shared loaders live a few seconds: long enough for one fan-out, short enough that an event replayed
//! later reads current rows again (an edit is an event of its own, with a seq of its own, so it never reads
//! the rows remembered for the message's `MessageAdded`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{Directive, ExecutableDocument, FragmentDefinition, Selection};
use async_graphql::{Data, Name, Positioned, Response, ServerResult, Value, Variables};
use bytes::Bytes;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::context::Deps;
use crate::loaders::Loaders;

/// One delivery of a stored event: its room, its place in the room's log, and whether it is delivered as
/// the event itself or as the MESSAGE alert derived from it (the two resolve to different results, from the
/// same rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ItemKey {
    pub room_id: Uuid,
    pub seq: i64,
    pub alert: bool,
}

/// The stored event the operation's next execution resolves, if any (typing, notifications and membership
/// changes of the viewer are per-viewer or ephemeral and resolve on their own). One per operation.
#[derive(Debug, Default)]
pub struct CurrentItem {
    next: Mutex<Option<ItemKey>>,
    /// The document and the variables its results depend on, when the transport shares frames.
    scope: OnceLock<String>,
    /// `scope` with the operation's name, made at the first execution.
    frame_key: OnceLock<Arc<str>>,
}

impl CurrentItem {
    pub fn set(&self, key: Option<ItemKey>) {
        *self.next.lock().unwrap_or_else(|e| e.into_inner()) = key;
    }

    fn take(&self) -> Option<ItemKey> {
        self.next.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn frame_key(&self, operation_name: Option<&str>) -> Option<Arc<str>> {
        let scope = self.scope.get()?;
        Some(
            self.frame_key
                .get_or_init(|| format!("{}\0{scope}", operation_name.unwrap_or_default()).into())
                .clone(),
        )
    }
}

/// Put in a request's data by a transport that sends [`SHARED_FRAME`] results as they are.
pub struct ShareFrames;

/// The `extensions` key of a result that stands for an already serialised one (`Value::Binary` of the JSON
/// of the whole response): only ever returned to requests that carry [`ShareFrames`].
pub const SHARED_FRAME: &str = "chorus.sharedFrame";

/// Takes the serialised response out of a [`SHARED_FRAME`] result.
pub fn shared_frame(response: &mut Response) -> Option<Bytes> {
    match response.extensions.remove(SHARED_FRAME)? {
        Value::Binary(bytes) => Some(bytes),
        _ => None,
    }
}

/// Set when an execution asked who the caller is (see [`crate::context::ContextExt::auth`]): its result is
/// that caller's own and is not shared.
#[derive(Debug, Default)]
pub struct ViewerRead(AtomicBool);

impl ViewerRead {
    pub fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn marked(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The loaders of one event's deliveries, found by [`crate::context::ContextExt::loaders`] before the
/// operation's own.
pub struct SharedLoaders(pub Arc<Loaders>);

/// The room whose event is being resolved: its member guard passes without a lookup (see the module docs).
#[derive(Clone, Copy, Debug)]
pub struct ImpliedMember(pub Uuid);

/// How long the loaders of one event are kept after they were made.
const KEEP: Duration = Duration::from_secs(3);

/// The shared loaders of the events resolved lately in this process.
pub struct SharedEvents {
    deps: Deps,
    entries: Mutex<Entries>,
    executed: AtomicU64,
    shared: AtomicU64,
}

/// Counters of event deliveries since start, for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryStats {
    /// Deliveries of a stored event whose result was computed by running the resolvers.
    pub executed: u64,
    /// Deliveries that sent a result another delivery had serialised.
    pub shared: u64,
}

struct Entries {
    by_key: HashMap<ItemKey, (Instant, Arc<SharedEvent>)>,
    swept: Instant,
}

/// One document's serialised result for one event: set once; `None` when it may not be shared.
type FrameCell = OnceCell<Option<Bytes>>;

/// A document's scope and whether the delivery is the event's alert.
type FrameKey = (Arc<str>, bool);

/// What the deliveries of one event share.
struct SharedEvent {
    loaders: Arc<Loaders>,
    /// By frame key and whether the delivery is the alert: the serialised result, or `None` when it may
    /// not be shared.
    frames: Mutex<HashMap<FrameKey, Arc<FrameCell>>>,
}

impl SharedEvent {
    fn frame(&self, key: FrameKey) -> Arc<FrameCell> {
        self.frames
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .clone()
    }
}

impl SharedEvents {
    pub fn new(deps: Deps) -> Self {
        Self {
            deps,
            entries: Mutex::new(Entries {
                by_key: HashMap::new(),
                swept: Instant::now(),
            }),
            executed: AtomicU64::new(0),
            shared: AtomicU64::new(0),
        }
    }

    pub fn stats(&self) -> DeliveryStats {
        DeliveryStats {
            executed: self.executed.load(Ordering::Relaxed),
            shared: self.shared.load(Ordering::Relaxed),
        }
    }

    /// The loaders every delivery of `key` shares, made on the first ask.
    pub fn loaders(&self, key: ItemKey) -> Arc<Loaders> {
        self.event(key).loaders.clone()
    }

    fn event(&self, key: ItemKey) -> Arc<SharedEvent> {
        // The event and its alerts share the rows.
        let key = ItemKey {
            alert: false,
            ..key
        };
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if now.duration_since(entries.swept) >= KEEP {
            entries
                .by_key
                .retain(|_, (made, _)| now.duration_since(*made) < KEEP);
            entries.swept = now;
        }
        match entries.by_key.get(&key) {
            Some((made, event)) if now.duration_since(*made) < KEEP => event.clone(),
            _ => {
                let event = Arc::new(SharedEvent {
                    loaders: Arc::new(Loaders::remembering(&self.deps)),
                    frames: Mutex::default(),
                });
                entries.by_key.insert(key, (now, event.clone()));
                event
            }
        }
    }

    /// Events whose loaders are kept right now.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_key
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The extension that gives each execution of a stored event the event's shared loaders.
pub struct ResolveOnce;

impl ExtensionFactory for ResolveOnce {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ResolveOnce)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ResolveOnce {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let (Some(current), Some(ShareFrames)) = (
            ctx.data_opt::<Arc<CurrentItem>>(),
            ctx.data_opt::<ShareFrames>(),
        ) {
            let _ = current.scope.set(scope(query, variables, &document));
        }
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let Some(current) = ctx.data_opt::<Arc<CurrentItem>>() else {
            return next.run(ctx, operation_name).await;
        };
        let (Some(key), Some(shared)) = (current.take(), ctx.data_opt::<Arc<SharedEvents>>())
        else {
            return next.run(ctx, operation_name).await;
        };
        let event = shared.event(key);
        let mut data = Data::default();
        data.insert(SharedLoaders(event.loaders.clone()));
        data.insert(ImpliedMember(key.room_id));
        let Some(frame_key) = current.frame_key(operation_name) else {
            shared.executed.fetch_add(1, Ordering::Relaxed);
            return next.run_with_data(ctx, operation_name, data).await;
        };

        // The first execution of this document for this event serialises its result for all; the others
        // wait for it (and if it may not be shared, run their own).
        let cell = event.frame((frame_key, key.alert));
        let mut own = Some((next, data));
        let mut leader = None;
        let frame = cell
            .get_or_init(|| {
                let (next, mut data) = own.take().expect("initialised once");
                let leader = &mut leader;
                async move {
                    shared.executed.fetch_add(1, Ordering::Relaxed);
                    let read = Arc::new(ViewerRead::default());
                    data.insert(read.clone());
                    let response = next.run_with_data(ctx, operation_name, data).await;
                    let frame = (!read.marked() && response.is_ok()).then(|| {
                        // Serialising async-graphql's `Response` cannot fail.
                        Bytes::from(serde_json::to_vec(&response).expect("serialisable response"))
                    });
                    *leader = Some(response);
                    frame
                }
            })
            .await
            .clone();
        match (frame, own, leader) {
            (Some(frame), own, _) => {
                if own.is_some() {
                    shared.shared.fetch_add(1, Ordering::Relaxed);
                }
                frame_response(frame)
            }
            (None, _, Some(response)) => response,
            (None, Some((next, data)), None) => {
                shared.executed.fetch_add(1, Ordering::Relaxed);
                next.run_with_data(ctx, operation_name, data).await
            }
            (None, None, None) => unreachable!("either this execution ran or another one did"),
        }
    }
}

fn frame_response(frame: Bytes) -> Response {
    let mut response = Response::new(Value::Null);
    response
        .extensions
        .insert(SHARED_FRAME.to_owned(), Value::Binary(frame));
    response
}

/// What an execution's result depends on besides the event and the viewer: the document, and the values of
/// the variables used below the subscription field (those only in its own arguments choose the stream, not
/// what an event resolves to).
fn scope(query: &str, variables: &Variables, document: &ExecutableDocument) -> String {
    let mut used = BTreeSet::new();
    let mut seen = HashSet::new();
    for (_, operation) in document.operations.iter() {
        directive_variables(&operation.node.directives, &mut used);
        for selection in &operation.node.selection_set.node.items {
            match &selection.node {
                Selection::Field(field) => {
                    directive_variables(&field.node.directives, &mut used);
                    set_variables(
                        &field.node.selection_set.node.items,
                        document,
                        &mut seen,
                        &mut used,
                    );
                }
                // A fragment at the root may hold the subscription field itself: count all it uses.
                _ => set_variables(
                    std::slice::from_ref(selection),
                    document,
                    &mut seen,
                    &mut used,
                ),
            }
        }
    }
    let values: Vec<_> = used
        .iter()
        .map(|name| (name.as_str(), variables.get(name)))
        .collect();
    // Serialising variables cannot fail.
    let values = serde_json::to_string(&values).expect("serialisable variables");
    format!("{query}\0{values}")
}

fn set_variables<'a>(
    items: &'a [Positioned<Selection>],
    document: &'a ExecutableDocument,
    seen: &mut HashSet<&'a Name>,
    used: &mut BTreeSet<Name>,
) {
    for selection in items {
        match &selection.node {
            Selection::Field(field) => {
                for (_, value) in &field.node.arguments {
                    let _ = value.node.clone().into_const_with(record(used));
                }
                directive_variables(&field.node.directives, used);
                set_variables(&field.node.selection_set.node.items, document, seen, used);
            }
            Selection::InlineFragment(fragment) => {
                directive_variables(&fragment.node.directives, used);
                set_variables(
                    &fragment.node.selection_set.node.items,
                    document,
                    seen,
                    used,
                );
            }
            Selection::FragmentSpread(spread) => {
                directive_variables(&spread.node.directives, used);
                let name = &spread.node.fragment_name.node;
                if seen.insert(name)
                    && let Some(fragment) = document.fragments.get(name)
                {
                    fragment_variables(fragment, document, seen, used);
                }
            }
        }
    }
}

fn fragment_variables<'a>(
    fragment: &'a Positioned<FragmentDefinition>,
    document: &'a ExecutableDocument,
    seen: &mut HashSet<&'a Name>,
    used: &mut BTreeSet<Name>,
) {
    directive_variables(&fragment.node.directives, used);
    set_variables(
        &fragment.node.selection_set.node.items,
        document,
        seen,
        used,
    );
}

fn directive_variables(directives: &[Positioned<Directive>], used: &mut BTreeSet<Name>) {
    for directive in directives {
        for (_, value) in &directive.node.arguments {
            let _ = value.node.clone().into_const_with(record(used));
        }
    }
}

/// Records each variable a value names (converting it to a constant is the parser's walk over a value).
fn record(used: &mut BTreeSet<Name>) -> impl FnMut(Name) -> Result<Value, Infallible> + '_ {
    move |name| {
        used.insert(name);
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use serde_json::json;

    use super::*;

    fn scope_of(query: &str, variables: serde_json::Value) -> String {
        let document = parse_query(query).expect("valid document");
        scope(query, &Variables::from_json(variables), &document)
    }

    #[test]
    fn the_subscription_fields_own_arguments_do_not_split_the_scope() {
        let query =
            "subscription($p: [RoomPositionInput!]) { events(positions: $p) { __typename } }";
        assert_eq!(
            scope_of(query, json!({ "p": [{ "roomId": "a", "afterSeq": 1 }] })),
            scope_of(query, json!({ "p": [{ "roomId": "b", "afterSeq": 9 }] })),
        );
    }

    #[test]
    fn variables_used_below_the_subscription_field_do() {
        let nested =
            "subscription($p: [RoomPositionInput!], $all: Boolean!) { events(positions: $p) {
            ... on MessageAdded { message { content @include(if: $all) } } } }";
        assert_ne!(
            scope_of(nested, json!({ "p": [], "all": true })),
            scope_of(nested, json!({ "p": [], "all": false })),
        );
        let in_fragment = "subscription($r: ID!, $n: Int) { roomEvents(roomId: $r) { ...E } }
            fragment E on RoomEvent { ... on MessageAdded { message { reactions(first: $n) { emoji } } } }";
        assert_ne!(
            scope_of(in_fragment, json!({ "r": "x", "n": 1 })),
            scope_of(in_fragment, json!({ "r": "x", "n": 2 })),
        );
        assert_eq!(
            scope_of(in_fragment, json!({ "r": "x", "n": 1 })),
            scope_of(in_fragment, json!({ "r": "y", "n": 1 })),
        );
        // A directive on the subscription field itself changes what is resolved.
        let directive = "subscription($r: ID!, $skip: Boolean!) { roomEvents(roomId: $r) @skip(if: $skip) { __typename } }";
        assert_ne!(
            scope_of(directive, json!({ "r": "x", "skip": true })),
            scope_of(directive, json!({ "r": "x", "skip": false })),
        );
    }

    #[test]
    fn different_documents_never_share() {
        let a = "subscription { events { __typename } }";
        let b = "subscription { events { ... on MessageAdded { seq } } }";
        assert_ne!(scope_of(a, json!({})), scope_of(b, json!({})));
    }
}
