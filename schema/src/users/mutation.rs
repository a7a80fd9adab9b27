use async_graphql::{Context, Object};

use super::types::{UpdateProfileInput, User};
use crate::context::ContextExt;
use crate::ids;
use chorus_core::users::service::{self, ProfileChanges};

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Changes the caller's profile; omitted fields stay as they are.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
    ) -> async_graphql::Result<User> {
        let viewer = ctx.viewer()?;
        let changes = ProfileChanges {
            nickname: input.nickname,
            avatar_attachment_id: input
                .avatar_attachment_id
                .as_ref()
                .map(|id| ids::parse("avatarAttachmentId", id))
                .transpose()?,
        };
        Ok(User(
            service::update_profile(ctx.deps(), viewer, changes).await?,
        ))
    }
}
