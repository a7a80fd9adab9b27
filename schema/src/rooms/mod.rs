pub mod guard;
pub mod mutation;
pub mod permissions;
pub mod query;
pub mod service;
pub mod types;
