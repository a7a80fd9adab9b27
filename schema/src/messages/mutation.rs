use async_graphql::{Context, ID, Object};

use super::types::{Message, ReplyInput, SendMessageInput};
use crate::context::ContextExt;
use crate::ids;
use chorus_core::messages::send::{self, NewMessage, Target};
use chorus_core::messages::{change, reactions};
use chorus_core::previews::service as previews;

#[derive(Default)]
pub struct MessageMutation;

#[Object]
impl MessageMutation {
    /// Posts a message in a room I am a member of. `@nickname` mentions a member. In a group room `@here`
    /// mentions every member connected now (presence ONLINE or AWAY) and `@everyone` / `@room` every member:
    /// only the room's OWNER and ADMINs may use them (a MEMBER gets FORBIDDEN with `extensions.field`
    /// "content" and nothing is sent). Each member reached (never the sender) gets one mention, counted in
    /// `unreadMentionCount`, with a MENTION notification and alert, as for `@nickname`; `Message.mentions`
    /// lists only the members named. In a direct room they are plain text, allowed to both members (the other
    /// member is alerted of every message anyway).
    async fn send_message(
        &self,
        ctx: &Context<'_>,
        input: SendMessageInput,
    ) -> async_graphql::Result<Message> {
        let target = Target::Room(ids::parse("roomId", &input.room_id)?);
        post(
            ctx,
            target,
            input.content,
            input.client_id,
            input.attachment_ids,
        )
        .await
    }

    /// Replies in the thread of a message. Mentions as in `sendMessage`.
    async fn reply_in_thread(
        &self,
        ctx: &Context<'_>,
        input: ReplyInput,
    ) -> async_graphql::Result<Message> {
        let target = Target::Thread(ids::parse("parentId", &input.parent_id)?);
        post(
            ctx,
            target,
            input.content,
            input.client_id,
            input.attachment_ids,
        )
        .await
    }

    /// Changes the text of my message. People it names now and did not before get a MENTION notification.
    /// Adding `@here`/`@everyone`/`@room` (or widening `@here` to `@everyone`) follows the rule of
    /// `sendMessage` (OWNER/ADMIN only) and reaches the members it would reach now; a broadcast the message
    /// already had reaches nobody new.
    async fn edit_message(
        &self,
        ctx: &Context<'_>,
        id: ID,
        content: String,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(Message(
            change::edit(ctx.deps(), viewer, id, &content).await?.value,
        ))
    }

    /// Deletes a message (mine, or anyone's as room OWNER/ADMIN), leaving a tombstone.
    async fn delete_message(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(Message(change::delete(ctx.deps(), viewer, id).await?.value))
    }

    /// Removes the link preview of my message, for everyone (announced as `MessageEdited`); an edit that
    /// keeps the same link does not bring it back. Removing when there is none changes nothing.
    async fn remove_link_preview(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
    ) -> async_graphql::Result<Message> {
        let viewer = ctx.viewer()?;
        let message_id = ids::parse("messageId", &message_id)?;
        Ok(Message(
            previews::remove(ctx.deps(), viewer, message_id)
                .await?
                .value,
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
            reactions::add_reaction(ctx.deps(), viewer, message_id, &emoji)
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
            reactions::remove_reaction(ctx.deps(), viewer, message_id, &emoji)
                .await?
                .value,
        ))
    }
}

/// `sendMessage` and `replyInThread` differ only in where the message goes.
async fn post(
    ctx: &Context<'_>,
    target: Target,
    content: String,
    client_id: Option<String>,
    attachment_ids: Option<Vec<ID>>,
) -> async_graphql::Result<Message> {
    let viewer = ctx.viewer()?;
    let input = NewMessage {
        target,
        content,
        client_id,
        attachment_ids: ids::parse_all("attachmentIds", &attachment_ids.unwrap_or_default())?,
        display: Default::default(),
    };
    Ok(Message(send::post(ctx.deps(), viewer, input).await?.value))
}
