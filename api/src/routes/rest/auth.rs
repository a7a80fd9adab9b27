//! `/api/auth/*` and `/api/me`: `signUp`, `logIn`, `refreshToken`, `logOut` and `me` behind JSON.

use axum::extract::State;
use axum::http::StatusCode;
use schema::Auth;
use serde_json::{Value, json};

use super::error::ApiResult;
use super::extract::{Caller, Json, Object};
use super::operation::{execute, pick, request, run};
use crate::edge::ClientIp;
use crate::startup::AppState;

/// Runs an operation that needs no signed-in caller; the client's address feeds its rate limits.
async fn anonymous(
    state: &AppState,
    client: ClientIp,
    operation: &str,
    variables: Value,
) -> ApiResult<Value> {
    let request = request(operation, variables);
    execute(state, Auth::Anonymous, client, request, &[]).await
}

/// `POST /api/auth/signup` `{email, password, nickname}` → 201 with a session.
pub async fn sign_up(
    State(state): State<AppState>,
    client: ClientIp,
    Json(body): Json<Object>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let input = pick(&body, &["email", "password", "nickname"]);
    let mut data = anonymous(&state, client, "SignUp", json!({ "input": input })).await?;
    Ok((StatusCode::CREATED, Json(data["signUp"].take())))
}

/// `POST /api/auth/login` `{email, password}`.
pub async fn log_in(
    State(state): State<AppState>,
    client: ClientIp,
    Json(body): Json<Object>,
) -> ApiResult<Json<Value>> {
    let input = pick(&body, &["email", "password"]);
    let mut data = anonymous(&state, client, "LogIn", json!({ "input": input })).await?;
    Ok(Json(data["logIn"].take()))
}

/// `POST /api/auth/refresh` `{refreshToken}`: rotates the refresh token.
pub async fn refresh(
    State(state): State<AppState>,
    client: ClientIp,
    Json(body): Json<Object>,
) -> ApiResult<Json<Value>> {
    let variables = Value::Object(pick(&body, &["refreshToken"]));
    let mut data = anonymous(&state, client, "Refresh", variables).await?;
    Ok(Json(data["refreshToken"].take()))
}

/// `POST /api/auth/logout` `{refreshToken}` → `{loggedOut}`: the refresh token is the credential.
pub async fn log_out(
    State(state): State<AppState>,
    client: ClientIp,
    Json(body): Json<Object>,
) -> ApiResult<Json<Value>> {
    let variables = Value::Object(pick(&body, &["refreshToken"]));
    let mut data = anonymous(&state, client, "LogOut", variables).await?;
    Ok(Json(json!({ "loggedOut": data["logOut"].take() })))
}

/// `GET /api/me`.
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let mut data = run(&state, caller, "Me", json!({}), &[]).await?;
    Ok(Json(data["me"].take()))
}
