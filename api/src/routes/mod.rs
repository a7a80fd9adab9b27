pub mod graphql;
pub mod health;
pub mod ws;
