//! Live delivery over GraphQL: the subscription root, its event types and the presence/typing mutations.
//! Delivery rules (replay, resume, visibility) are in `chorus_core::realtime`.

pub mod mutation;
pub mod resolve_once;
pub mod subscription;
pub mod types;
