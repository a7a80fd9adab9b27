//! Adapters of the Chorus core's ports to real services: Redis through fred (event bus, presence, rate-limit
//! counters, the session revocation mirror), S3-compatible storage and the local disk for files, HS256 JWTs
//! for access tokens and argon2id for passwords.

pub mod files;
pub mod jwt;
pub mod passwords;
pub mod previews;
pub mod redis;
pub mod redis_bus;
pub mod redis_counters;
pub mod redis_documents;
pub mod redis_presence;
pub mod redis_revocations;

pub use redis_bus::{RedisBus, RedisBusSettings};
