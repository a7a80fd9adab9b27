//! The Chorus domain: the services that hold every rule (accounts, rooms, messages, notifications, search,
//! files, presence), the event log with its per-room `seq`, and the ports they reach the outside through (the
//! event bus, the presence store, file storage, tokens). Transports live elsewhere: the `schema` crate maps
//! this to GraphQL, the `api` crate serves it over HTTP, WebSocket and SSE.

pub mod attachments;
pub mod auth;
pub mod clock;
pub mod context;
pub mod documents;
pub mod error;
pub mod events;
pub mod integrations;
pub mod messages;
pub mod notifications;
pub mod pagination;
pub mod previews;
pub mod rate;
pub mod realtime;
pub mod rooms;
pub mod search;
pub mod users;

pub use context::{Access, Auth, ClientIp, Deps, Viewer};
pub use error::{Error, Result};
