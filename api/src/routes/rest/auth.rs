//! `/api/auth/*` and `/api/me`: the auth and user services behind JSON.

use axum::extract::State;
use axum::http::StatusCode;
use chorus_core::auth::service::{self, SignUp};
use chorus_core::users::service as users;

use super::dto::{LogInBody, LoggedOut, Me, RefreshTokenBody, Session, SignUpBody};
use super::error::ApiResult;
use super::extract::{Caller, Json};
use crate::edge::ClientIp;
use crate::startup::AppState;

/// `POST /api/auth/signup` → 201 with a session.
pub async fn sign_up(
    State(state): State<AppState>,
    ClientIp(client_ip): ClientIp,
    Json(body): Json<SignUpBody>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let input = SignUp {
        email: body.email,
        password: body.password,
        nickname: body.nickname,
        client_ip,
    };
    let session = service::sign_up(&state.deps, input).await?;
    Ok((StatusCode::CREATED, Json(session.into())))
}

/// `POST /api/auth/login`.
pub async fn log_in(
    State(state): State<AppState>,
    ClientIp(client_ip): ClientIp,
    Json(body): Json<LogInBody>,
) -> ApiResult<Json<Session>> {
    let session = service::log_in(&state.deps, &body.email, &body.password, client_ip).await?;
    Ok(Json(session.into()))
}

/// `POST /api/auth/refresh`: rotates the refresh token.
pub async fn refresh(
    State(state): State<AppState>,
    Json(body): Json<RefreshTokenBody>,
) -> ApiResult<Json<Session>> {
    let session = service::refresh(&state.deps, &body.refresh_token).await?;
    Ok(Json(session.into()))
}

/// `POST /api/auth/logout`: the refresh token is the credential, as in GraphQL's `logOut`.
pub async fn log_out(
    State(state): State<AppState>,
    Json(body): Json<RefreshTokenBody>,
) -> ApiResult<Json<LoggedOut>> {
    let logged_out = service::log_out(&state.deps, &body.refresh_token).await?;
    Ok(Json(LoggedOut { logged_out }))
}

/// `GET /api/me`.
pub async fn me(State(state): State<AppState>, Caller(viewer): Caller) -> ApiResult<Json<Me>> {
    Ok(Json(users::me(&state.deps, viewer).await?.into()))
}
