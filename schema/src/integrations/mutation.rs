use async_graphql::{Context, ID, Object};
use chorus_core::integrations::{bots, commands, outgoing, tokens, webhooks};

use super::types::{
    ApiToken, ApiTokenCreated, CreateApiTokenInput, CreateBotInput, CreateOutgoingWebhookInput,
    IncomingWebhook, OutgoingWebhook, RegisterSlashCommandInput, RunSlashCommandInput,
    SlashCommand, SlashCommandResult,
};
use crate::context::ContextExt;
use crate::ids;
use crate::messages::types::Message;
use crate::users::types::User;

#[derive(Default)]
pub struct IntegrationMutation;

#[Object]
impl IntegrationMutation {
    /// Creates a bot you own: a user invited into rooms like anyone, acting through API tokens you mint for
    /// it. Signed-in people only (FORBIDDEN with an API token).
    async fn create_bot(
        &self,
        ctx: &Context<'_>,
        input: CreateBotInput,
    ) -> async_graphql::Result<User> {
        let viewer = ctx.viewer()?;
        Ok(User(
            bots::create(ctx.deps(), viewer, &input.nickname).await?,
        ))
    }

    /// Mints an API token for you or for one of your bots. Its value is in the answer only. Signed-in people
    /// only (FORBIDDEN with an API token).
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> async_graphql::Result<ApiTokenCreated> {
        let viewer = ctx.viewer()?;
        let input = tokens::NewToken {
            name: input.name,
            scopes: input.scopes,
            room_ids: input
                .room_ids
                .as_deref()
                .map(|ids| ids::parse_all("roomIds", ids))
                .transpose()?,
            expires_at: input.expires_at,
            bot_id: input
                .bot_id
                .as_ref()
                .map(|id| ids::parse("botId", id))
                .transpose()?,
        };
        let created = tokens::create(ctx.deps(), viewer, input).await?;
        Ok(ApiTokenCreated {
            token: created.token,
            api_token: ApiToken(created.row),
        })
    }

    /// Revokes one of your tokens (or your bots'): refused from now on, and its open subscriptions end.
    /// False when it was already revoked; NOT_FOUND when it is not yours.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        Ok(tokens::revoke(ctx.deps(), viewer, id).await?)
    }

    /// Creates an incoming webhook of a group room, posting as a new bot named `name` (nickname rules; the
    /// bot is yours and joins the room). Its `url`, holding the secret, is in this answer only. The room's
    /// owner and admins only; signed-in people only.
    async fn create_incoming_webhook(
        &self,
        ctx: &Context<'_>,
        room_id: ID,
        name: String,
    ) -> async_graphql::Result<IncomingWebhook> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &room_id)?;
        let created = webhooks::create(ctx.deps(), viewer, room_id, &name).await?;
        Ok(IncomingWebhook {
            row: created.hook,
            secret: Some(created.secret),
        })
    }

    /// Deletes an incoming webhook: its URL stops working and its bot leaves the room (its messages stay).
    /// The room's owner and admins only; NOT_FOUND for anyone else.
    async fn delete_incoming_webhook(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        webhooks::delete(ctx.deps(), viewer, id).await?;
        Ok(true)
    }

    /// Registers an outgoing webhook: the room's events of the kinds in `events`, from now on, are POSTed to
    /// `url`, signed with the returned `secret` (shown in this answer only). The room's owner and admins
    /// only; signed-in people only.
    async fn create_outgoing_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateOutgoingWebhookInput,
    ) -> async_graphql::Result<OutgoingWebhook> {
        let viewer = ctx.viewer()?;
        let input = outgoing::NewHook {
            room_id: ids::parse("roomId", &input.room_id)?,
            url: input.url,
            events: input.events,
        };
        let created = outgoing::create(ctx.deps(), viewer, input).await?;
        Ok(OutgoingWebhook {
            row: created.hook,
            deliveries: Vec::new(),
            secret: Some(created.secret),
        })
    }

    /// Deletes an outgoing webhook: nothing more is delivered. The room's owner and admins only; NOT_FOUND
    /// for anyone else.
    async fn delete_outgoing_webhook(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        outgoing::delete(ctx.deps(), viewer, id).await?;
        Ok(true)
    }

    /// Registers `/command` in a group room, answered by one of your bots through `url` (the bot joins the
    /// room if needed). Invocations are signed with the returned `secret` (shown in this answer only). The
    /// room's owner and admins only; signed-in people only.
    async fn register_slash_command(
        &self,
        ctx: &Context<'_>,
        input: RegisterSlashCommandInput,
    ) -> async_graphql::Result<SlashCommand> {
        let viewer = ctx.viewer()?;
        let input = commands::NewCommand {
            room_id: ids::parse("roomId", &input.room_id)?,
            name: input.command,
            description: input.description,
            url: input.url,
            bot_id: ids::parse("botId", &input.bot_id)?,
        };
        let registered = commands::register(ctx.deps(), viewer, input).await?;
        Ok(SlashCommand {
            row: registered.command,
            moderator: true,
            secret: Some(registered.secret),
        })
    }

    /// Deletes a slash command (its bot stays in the room). The room's owner and admins only; NOT_FOUND for
    /// anyone else.
    async fn delete_slash_command(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        let id = ids::parse("id", &id)?;
        commands::delete(ctx.deps(), viewer, id).await?;
        Ok(true)
    }

    /// Runs `/command args` in a room you are in: the invocation goes to the command's bot (it is not posted
    /// as a message) and the bot's answer is posted to the room as the bot. BAD_USER_INPUT for a command the
    /// room does not have; UNAVAILABLE when the bot does not answer in time or fails.
    async fn run_slash_command(
        &self,
        ctx: &Context<'_>,
        input: RunSlashCommandInput,
    ) -> async_graphql::Result<SlashCommandResult> {
        let viewer = ctx.viewer()?;
        let room_id = ids::parse("roomId", &input.room_id)?;
        let ran = commands::run(ctx.deps(), viewer, room_id, &input.command, &input.args).await?;
        Ok(SlashCommandResult {
            command: SlashCommand {
                row: ran.command,
                moderator: false,
                secret: None,
            },
            reply: ran.reply.map(Message),
        })
    }
}
