//! The Chorus GraphQL schema: types, thin resolvers over `chorus_core`'s services, DataLoaders and the Relay
//! mapping. No HTTP here: the `api` crate authenticates requests and serves this schema.

pub mod access;
pub mod attachments;
pub mod auth;
pub mod context;
pub mod errors;
pub mod ids;
pub mod integrations;
pub mod limits;
pub mod loaders;
pub mod messages;
pub mod notifications;
pub mod pagination;
pub mod phase;
pub mod realtime;
pub mod rooms;
pub mod search;
pub mod server_info;
pub mod users;

use std::sync::Arc;

use async_graphql::{MergedObject, MergedSubscription, Schema};

pub use chorus_core::error::{Error, Result};
pub use context::{Auth, ClientIp, ContextExt, Deps, Viewer};
pub use limits::Limits;

use crate::loaders::Loaders;
use crate::realtime::resolve_once::{CurrentItem, SharedEvents};

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    users::query::UserQuery,
    rooms::query::RoomQuery,
    messages::query::MessageQuery,
    notifications::query::NotificationQuery,
    search::query::SearchQuery,
    server_info::ServerInfoQuery,
    integrations::query::IntegrationQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    auth::mutation::AuthMutation,
    users::mutation::UserMutation,
    rooms::mutation::RoomMutation,
    messages::mutation::MessageMutation,
    notifications::mutation::NotificationMutation,
    realtime::mutation::RealtimeMutation,
    attachments::mutation::AttachmentMutation,
    integrations::mutation::IntegrationMutation,
);

#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(realtime::subscription::RealtimeSubscription);

pub type ChorusSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
}

/// The schema served by the api. `events` is where deliveries of stored events share their loading and
/// their serialised results (`realtime::resolve_once`); the api reads its counters for `/metrics`.
pub fn build_schema(deps: Deps, limits: Limits, events: Arc<SharedEvents>) -> ChorusSchema {
    let mut builder = builder()
        .data(events)
        .data(deps)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_recursive_depth(limits.recursive_depth)
        .limit_directives(limits.directives_per_field)
        .extension(errors::ErrorCodes)
        .extension(limits::CostGuard(limits))
        .extension(phase::Phase)
        .extension(access::TokenAccess)
        .extension(rooms::guard::FreshMembership)
        .extension(realtime::resolve_once::ResolveOnce);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The SDL of the schema, as committed in `codegen/schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// Attaches what one request needs: the caller, fresh DataLoaders and (for a subscription) the slot its
/// streams name each stored event in.
pub fn prepare_request(
    request: async_graphql::Request,
    deps: &Deps,
    auth: Auth,
) -> async_graphql::Request {
    request
        .data(auth)
        .data(Loaders::new(deps))
        .data(Arc::new(CurrentItem::default()))
}
