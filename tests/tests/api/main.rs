//! The end-to-end suite as one test binary: every module links against the same build of the whole stack,
//! so a change costs one link instead of one per file. Shared helpers live in the `chorus_tests` harness
//! (`tests/src`); a module holds only its tests and what is particular to them.

mod attachments;
mod auth;
mod cluster;
mod events;
mod fanout;
mod faq_bot;
mod graphql_http;
mod http3;
mod integrations;
mod messages;
mod notifications;
mod persisted;
mod presence;
mod previews;
mod rest;
mod rooms;
mod schema_stability;
mod search;
mod security_authz;
mod security_edge;
mod security_sessions;
mod server;
mod server_info;
mod services;
mod slash_commands;
mod sse;
mod subscriptions;
mod uploads;
mod webhooks;
mod websocket;
