//! Message search over GraphQL: the `search` query and its result types. The query language and the backends
//! are in `chorus_core::search`.

pub mod query;
pub mod types;
