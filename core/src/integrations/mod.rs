//! Integrations: bots (users of kind BOT owned by a person) and API tokens (for bots and for people's own
//! scripts) with scopes and an optional room limit. The edge authenticates a token through [`tokens::ApiTokens`];
//! what a token may do is decided by [`crate::Viewer::require`] and the room limit.

pub mod bots;
pub mod commands;
pub mod outgoing;
pub mod scopes;
pub mod tokens;
pub mod webhooks;
