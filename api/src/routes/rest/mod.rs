//! The REST facade (`/api/...`): the same services as the GraphQL API behind JSON endpoints, with no rules of
//! its own. Handlers extract, call a service and shape the result ([`dto`]); errors use the GraphQL codes with
//! their HTTP status ([`error`]). The endpoint table is in `docs/rest.md`.

mod auth;
pub mod dto;
pub mod error;
pub mod extract;
mod messages;
mod rooms;
mod uploads;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};

use self::error::ApiError;
use crate::startup::AppState;

pub fn router(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/auth/signup", post(auth::sign_up))
        .route("/auth/login", post(auth::log_in))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::log_out))
        .route("/me", get(auth::me))
        .route("/rooms", get(rooms::list).post(rooms::create_group))
        .route("/rooms/direct", post(rooms::create_direct))
        .route("/rooms/{id}", get(rooms::get))
        .route(
            "/rooms/{id}/messages",
            get(rooms::history).post(rooms::send),
        )
        .route("/rooms/{id}/read", post(rooms::mark_read))
        .route(
            "/messages/{id}",
            axum::routing::patch(messages::edit).delete(messages::delete),
        )
        .route("/messages/{id}/reactions", post(messages::add_reaction))
        .route(
            "/messages/{id}/reactions/{emoji}",
            delete(messages::remove_reaction),
        )
        .route(
            "/messages/{id}/threads",
            get(messages::thread).post(messages::reply),
        )
        .route(
            "/upload",
            post(uploads::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .fallback(not_found)
}

/// Unknown `/api/...` paths answer in the facade's error shape.
async fn not_found() -> ApiError {
    ApiError(schema::Error::NotFound("no such endpoint"))
}
