use async_graphql::{Context, ID, InputObject, Object};

use crate::context::ContextExt;
use crate::ids;
use crate::users::types::Viewer;
use chorus_core::notifications::service::{self, Settings};

#[derive(InputObject)]
pub struct NotificationSettingsInput {
    /// Global switch for pushed notifications.
    pub enabled: Option<bool>,
    /// With `muted`: the room whose notifications to mute or unmute.
    pub room_id: Option<ID>,
    pub muted: Option<bool>,
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Turns notifications on/off globally and/or mutes one room. Omitted fields stay as they are.
    async fn set_notification_settings(
        &self,
        ctx: &Context<'_>,
        input: NotificationSettingsInput,
    ) -> async_graphql::Result<Viewer> {
        let viewer = ctx.viewer()?;
        let settings = Settings {
            enabled: input.enabled,
            room_id: input
                .room_id
                .as_ref()
                .map(|id| ids::parse("roomId", id))
                .transpose()?,
            muted: input.muted,
        };
        Ok(Viewer(
            service::set_settings(ctx.deps(), viewer, settings).await?,
        ))
    }

    /// Marks my notifications read; returns how many were unread before.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<i32> {
        let viewer = ctx.viewer()?;
        let ids = ids
            .iter()
            .map(|id| crate::ids::parse("ids", id))
            .collect::<Result<Vec<_>, _>>()?;
        let n = service::mark_read(ctx.deps(), viewer, ids).await?;
        Ok(n as i32)
    }
}
