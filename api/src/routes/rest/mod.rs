//! The REST facade (`/api/...`): a projection of the GraphQL API. Each endpoint runs one operation of a fixed,
//! committed document (`documents/*.graphql`) against the schema and reshapes its `data` ([`operation`]);
//! errors are the operation's `extensions.code` with their HTTP status ([`error`]). So REST has no rules and
//! no shapes of its own. The endpoint table is in `docs/rest.md`.

mod auth;
pub mod error;
pub mod extract;
mod messages;
pub mod operation;
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
    ApiError::from(schema::Error::NotFound("no such endpoint"))
}
