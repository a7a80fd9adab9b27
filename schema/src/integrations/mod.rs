//! Bots and API tokens: `createBot`, `createApiToken`, `revokeApiToken`, `apiTokens`, `myBots`. What a token
//! may do once minted is decided in `crate::access`.

pub mod mutation;
pub mod query;
pub mod types;
