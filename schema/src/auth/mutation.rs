use async_graphql::{Context, Object};

use super::types::{AuthPayload, LogInInput, SignUpInput};
use crate::context::ContextExt;
use chorus_core::auth::service::{self, SignUp};

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Creates an account and signs it in.
    async fn sign_up(
        &self,
        ctx: &Context<'_>,
        input: SignUpInput,
    ) -> async_graphql::Result<AuthPayload> {
        let input = SignUp {
            email: input.email,
            password: input.password,
            nickname: input.nickname,
            client_ip: ctx.client_ip(),
        };
        Ok(service::sign_up(ctx.deps(), input).await?.into())
    }

    /// Signs in with e-mail and password. Unknown e-mail and wrong password give the same error.
    async fn log_in(
        &self,
        ctx: &Context<'_>,
        input: LogInInput,
    ) -> async_graphql::Result<AuthPayload> {
        Ok(
            service::log_in(ctx.deps(), &input.email, &input.password, ctx.client_ip())
                .await?
                .into(),
        )
    }

    /// Trades a refresh token for a new session; the old refresh token stops working.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<AuthPayload> {
        Ok(service::refresh(ctx.deps(), &refresh_token).await?.into())
    }

    /// Ends the session of this refresh token. False when it was unknown or already ended.
    async fn log_out(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<bool> {
        Ok(service::log_out(ctx.deps(), &refresh_token).await?)
    }
}
