pub mod mentions;
pub mod mutation;
pub mod query;
pub mod service;
pub mod types;
pub mod validate;
