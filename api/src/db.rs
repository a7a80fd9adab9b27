//! Database connection and migrations for both backends.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

/// Connects a pool. `timeout` bounds every wait for a connection: while the database is down or restarting,
/// requests fail with UNAVAILABLE after it instead of hanging, and the pool replaces broken connections by
/// itself (each is checked before use) once the database is back.
pub async fn connect(url: &str, timeout: Duration) -> anyhow::Result<DatabaseConnection> {
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(timeout)
        .acquire_timeout(timeout)
        .test_before_acquire(true)
        .sqlx_logging(false);
    if sqlite {
        // SQLite allows one writer; a single connection serialises transactions instead of failing them with
        // SQLITE_BUSY when two of them upgrade to writes at once. PostgreSQL is the choice for real load.
        options.max_connections(1).min_connections(1);
    } else {
        options.max_connections(20).min_connections(1);
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            .await?;
    }
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}
