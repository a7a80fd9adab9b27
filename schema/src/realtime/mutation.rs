use async_graphql::{Context, ID, Object};

use super::bus::channels;
use super::presence::PresenceStatus;
use super::publish;
use super::room_stream::RoomSignal;
use crate::clock;
use crate::context::ContextExt;
use crate::error::Error;
use crate::ids;
use crate::rooms::permissions;

#[derive(Default)]
pub struct RealtimeMutation;

#[Object]
impl RealtimeMutation {
    /// Tells the room you are typing (ephemeral `TypingStarted`). At most one per room every 3 s: false when
    /// this call was absorbed by the throttle.
    async fn set_typing(&self, ctx: &Context<'_>, room_id: ID) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let deps = ctx.deps();
        permissions::require_member(&deps.db, room_id, viewer.user_id).await?;
        if !deps.typing.allow(viewer.user_id, room_id) {
            return Ok(false);
        }
        let signal = RoomSignal::Typing {
            user_id: viewer.user_id,
            at: clock::now(),
        };
        publish::send(deps, &channels::room(room_id), &signal).await;
        Ok(true)
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
        ctx.deps().rate.presence_change(viewer.user_id).await?;
        ctx.deps().presence.set_away(viewer.user_id, away).await?;
        Ok(true)
    }
}
