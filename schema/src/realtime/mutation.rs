use async_graphql::{Context, ID, Object};

use super::types::PresenceStatus;
use crate::context::ContextExt;
use crate::ids;
use chorus_core::error::Error;
use chorus_core::realtime::{presence, typing};

#[derive(Default)]
pub struct RealtimeMutation;

#[Object]
impl RealtimeMutation {
    /// Tells the room you are typing (ephemeral `TypingStarted`). At most one per room every 3 s: false when
    /// this call was absorbed by the throttle.
    async fn set_typing(&self, ctx: &Context<'_>, room_id: ID) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        Ok(typing::start(ctx.deps(), viewer, room_id).await?)
    }

    /// Manual AWAY, or back to ONLINE. (OFFLINE is not settable: it means no open connection.)
    async fn set_presence(
        &self,
        ctx: &Context<'_>,
        status: PresenceStatus,
    ) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let away = match status {
            PresenceStatus::Away => true,
            PresenceStatus::Online => false,
            PresenceStatus::Offline => {
                return Err(Error::invalid("status", "status must be ONLINE or AWAY").into());
            }
        };
        presence::set_away(ctx.deps(), viewer, away).await?;
        Ok(true)
    }
}
