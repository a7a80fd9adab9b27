pub mod files;
pub mod graphql;
pub mod health;
pub mod negotiate;
pub mod rest;
pub mod spa;
pub mod sse;
pub mod ws;
