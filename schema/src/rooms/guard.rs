//! The membership rule of the graph, applied where room data is resolved rather than where it is reached:
//! every field of a `Room` or `Message` object first checks that the caller is a current member of the room
//! (see `#[Object(guard = …)]` on both types). However a room or a message was reached (a notification, a
//! mention, an event, a future field), someone who is not (or no longer) a member reads nothing of it and
//! gets NOT_FOUND, the same answer as for an id that does not exist. An API token limited to rooms is no
//! member of any other room here.
//!
//! The check goes through a DataLoader keyed by `(room, caller)`: the fields of a whole page resolve
//! together and share one query, and the answer holds for the rest of that execution only
//! ([`FreshMembership`]).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{Context, Guard, Response};
use uuid::Uuid;

use crate::context::ContextExt;
use crate::loaders::Loaders;
use crate::realtime::resolve_once::ImpliedMember;
use chorus_core::error::Error;
use chorus_core::rooms::permissions::{MESSAGE_NOT_FOUND, NOT_A_MEMBER};

/// Guards every field of an object that belongs to one room.
pub struct MemberOf {
    room_id: Uuid,
    refusal: fn() -> Error,
}

impl MemberOf {
    /// For the fields of the room itself.
    pub fn room(room_id: Uuid) -> Self {
        Self {
            room_id,
            refusal: || NOT_A_MEMBER,
        }
    }

    /// For the fields of a message of the room.
    pub fn message_of(room_id: Uuid) -> Self {
        Self {
            room_id,
            refusal: || MESSAGE_NOT_FOUND,
        }
    }
}

impl Guard for MemberOf {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        if is_member(ctx, self.room_id).await? {
            Ok(())
        } else {
            Err((self.refusal)().into())
        }
    }
}

/// Whether the caller is a current member of the room (UNAUTHENTICATED without a caller).
pub async fn is_member(ctx: &Context<'_>, room_id: Uuid) -> async_graphql::Result<bool> {
    if ctx
        .data_opt::<ImpliedMember>()
        .is_some_and(|implied| implied.0 == room_id)
    {
        return Ok(true);
    }
    let viewer = ctx.viewer()?;
    if !ctx.deps().api_tokens.allows_room(viewer, room_id).await? {
        return Ok(false);
    }
    ctx.loaders()
        .membership
        .is_member(room_id, viewer.user_id)
        .await
        .map_err(Into::into)
}

/// Forgets cached memberships before each execution: the loaders of a subscription live as long as it does,
/// and each of its events must see who is a member when it is resolved.
pub struct FreshMembership;

impl ExtensionFactory for FreshMembership {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FreshMembership)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for FreshMembership {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(loaders) = ctx.data_opt::<Loaders>() {
            loaders.membership.clear();
        }
        next.run(ctx, operation_name).await
    }
}
