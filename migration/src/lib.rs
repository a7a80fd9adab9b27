//! Database migrations for Chorus. Every migration works on both PostgreSQL
//! and SQLite (foreign keys are declared inline in `CREATE TABLE`).

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_initial;
mod m20261201_000001_sessions_and_uploads;
mod m20261201_000002_client_id_per_room;
mod m20261202_000001_message_search;
mod m20261203_000001_no_stored_message_alerts;
mod m20261203_000002_broadcast_mentions;
mod m20261204_000001_link_previews;
mod m20261205_000001_bots_and_api_tokens;
mod m20261206_000001_webhooks;
mod m20261207_000001_slash_commands;
mod m20261207_000002_message_display;
mod m20261207_000003_attachment_files;
pub mod search_text;

pub use m20261202_000001_message_search::PG_FOLD_FUNCTION;

/// Runs all Chorus migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_initial::Migration),
            Box::new(m20261201_000001_sessions_and_uploads::Migration),
            Box::new(m20261201_000002_client_id_per_room::Migration),
            Box::new(m20261202_000001_message_search::Migration),
            Box::new(m20261203_000001_no_stored_message_alerts::Migration),
            Box::new(m20261203_000002_broadcast_mentions::Migration),
            Box::new(m20261204_000001_link_previews::Migration),
            Box::new(m20261205_000001_bots_and_api_tokens::Migration),
            Box::new(m20261206_000001_webhooks::Migration),
            Box::new(m20261207_000001_slash_commands::Migration),
            Box::new(m20261207_000002_message_display::Migration),
            Box::new(m20261207_000003_attachment_files::Migration),
        ]
    }
}
