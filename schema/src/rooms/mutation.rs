use async_graphql::{Context, ID, Object};

use super::types::{CreateGroupRoomInput, Room, RoomRole};
use crate::context::ContextExt;
use crate::ids;
use chorus_core::rooms::service::{self, CreateGroup};

#[derive(Default)]
pub struct RoomMutation;

#[Object]
impl RoomMutation {
    /// The direct room with `userId` (with myself: a notes-to-self room). Always the same room for a pair;
    /// reopens it if I had left.
    async fn create_direct_room(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> async_graphql::Result<Room> {
        let viewer = ctx.viewer()?;
        let other = ids::parse("userId", &user_id)?;
        Ok(Room(
            service::create_direct(ctx.deps(), viewer, other)
                .await?
                .value,
        ))
    }

    /// A new group room: I am its OWNER, the others MEMBERs.
    async fn create_group_room(
        &self,
        ctx: &Context<'_>,
        input: CreateGroupRoomInput,
    ) -> async_graphql::Result<Room> {
        let viewer = ctx.viewer()?;
        let input = CreateGroup {
            name: input.name,
            member_ids: ids::parse_all("memberIds", &input.member_ids)?,
        };
        Ok(Room(
            service::create_group(ctx.deps(), viewer, input, &ctx.deps().room_rules)
                .await?
                .value,
        ))
    }

    /// Adds people to a group room I am a member of; current members are skipped.
    async fn invite_to_room(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        user_ids: Vec<ID>,
    ) -> async_graphql::Result<Room> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let user_ids = ids::parse_all("userIds", &user_ids)?;
        Ok(Room(
            service::invite(
                ctx.deps(),
                viewer,
                room_id,
                user_ids,
                &ctx.deps().room_rules,
            )
            .await?
            .value,
        ))
    }

    /// Leaves a room. A departing owner hands ownership on; a left direct room comes back with its next
    /// message.
    async fn leave_room(&self, ctx: &Context<'_>, room_id: ID) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        service::leave(ctx.deps(), viewer, room_id).await?;
        Ok(true)
    }

    /// Makes a member ADMIN or MEMBER (room OWNER only).
    async fn set_room_role(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        user_id: ID,
        role: RoomRole,
    ) -> async_graphql::Result<Room> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let user_id = ids::parse("userId", &user_id)?;
        Ok(Room(
            service::set_role(ctx.deps(), viewer, room_id, user_id, role.into())
                .await?
                .value,
        ))
    }

    /// Moves my read marker to `messageId`, never back.
    async fn mark_read(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        message_id: ID,
    ) -> async_graphql::Result<Room> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let message_id = ids::parse("messageId", &message_id)?;
        Ok(Room(
            service::mark_read(ctx.deps(), viewer, room_id, message_id)
                .await?
                .value,
        ))
    }
}
