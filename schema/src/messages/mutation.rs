use async_graphql::{Context, ID, Object};

use super::types::{Message, ReplyInput, SendMessageInput};
use crate::context::ContextExt;
use crate::ids;
use crate::rooms::mutation::parse_ids;
use chorus_core::messages::service::{self, Reply, SendMessage};

#[derive(Default)]
pub struct MessageMutation;

#[Object]
impl MessageMutation {
    /// Posts a message in a room I am a member of.
    async fn send_message(
        &self,
        ctx: &Context<'_>,
        input: SendMessageInput,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let input = SendMessage {
            room_id: ids::parse("roomId", &input.room_id)?,
            content: input.content,
            client_id: input.client_id,
            attachment_ids: parse_ids("attachmentIds", &input.attachment_ids.unwrap_or_default())?,
        };
        Ok(Message(
            service::send(ctx.deps(), viewer, input).await?.value,
        ))
    }

    /// Replies in the thread of a message.
    async fn reply_in_thread(
        &self,
        ctx: &Context<'_>,
        input: ReplyInput,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let input = Reply {
            parent_id: ids::parse("parentId", &input.parent_id)?,
            content: input.content,
            client_id: input.client_id,
            attachment_ids: parse_ids("attachmentIds", &input.attachment_ids.unwrap_or_default())?,
        };
        Ok(Message(
            service::reply(ctx.deps(), viewer, input).await?.value,
        ))
    }

    /// Changes the text of my message.
    async fn edit_message(
        &self,
        ctx: &Context<'_>,
        id: ID,
        content: String,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(Message(
            service::edit(ctx.deps(), viewer, id, &content).await?.value,
        ))
    }

    /// Deletes a message (mine, or anyone's as room OWNER/ADMIN), leaving a tombstone.
    async fn delete_message(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(Message(
            service::delete(ctx.deps(), viewer, id).await?.value,
        ))
    }

    /// Adds my reaction (one emoji); adding it twice changes nothing.
    async fn add_reaction(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
        emoji: String,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let message_id = ids::parse("messageId", &message_id)?;
        Ok(Message(
            service::add_reaction(ctx.deps(), viewer, message_id, &emoji)
                .await?
                .value,
        ))
    }

    /// Removes my reaction; removing one that is not there changes nothing.
    async fn remove_reaction(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
        emoji: String,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let message_id = ids::parse("messageId", &message_id)?;
        Ok(Message(
            service::remove_reaction(ctx.deps(), viewer, message_id, &emoji)
                .await?
                .value,
        ))
    }
}
