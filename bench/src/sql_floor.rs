//! Database floors, measured by the tool with plain SQL on the run's own database after the api stopped:
//! what the storage alone can do for the work an api request needs. A floor that cannot be measured is
//! reported as missing, never as an error of the run.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::future::try_join_all;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, Value};

use crate::server::Storage;

const INSERT_WRITERS: usize = 16;
const INSERT_FOR: Duration = Duration::from_secs(3);
const PAGE: i64 = 50;
const PAGES: usize = 300;

/// Single-row inserts per second (autocommit, `INSERT_WRITERS` connections) into a scratch table.
pub async fn inserts_per_second(storage: &Storage) -> Option<f64> {
    match measure_inserts(storage).await {
        Ok(rate) => Some(rate),
        Err(e) => {
            eprintln!("warning: insert floor not measured: {e:#}");
            None
        }
    }
}

async fn connect(storage: &Storage) -> Result<DatabaseConnection> {
    Database::connect(storage.sql_url())
        .await
        .context("connecting to the run's database")
}

async fn measure_inserts(storage: &Storage) -> Result<f64> {
    let db = connect(storage).await?;
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS bench_floor_inserts \
         (id VARCHAR(64) PRIMARY KEY, room VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, content TEXT NOT NULL)",
    )
    .await?;
    let started = Instant::now();
    let writers = (0..INSERT_WRITERS).map(|w| {
        let db = db.clone();
        async move {
            let mut n = 0u64;
            while started.elapsed() < INSERT_FOR {
                let statement = Statement::from_sql_and_values(
                    db.get_database_backend(),
                    "INSERT INTO bench_floor_inserts (id, room, seq, content) VALUES ($1, $2, $3, $4)",
                    [
                        Value::from(format!("{w}-{n}")),
                        Value::from(format!("room-{w}")),
                        Value::from(i64::try_from(n)?),
                        Value::from("floor insert"),
                    ],
                );
                db.execute_raw(statement).await?;
                n += 1;
            }
            Ok::<u64, anyhow::Error>(n)
        }
    });
    let total: u64 = try_join_all(writers).await?.into_iter().sum();
    let rate = total as f64 / started.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_floor_inserts")
        .await?;
    Ok(rate)
}

/// Mean time of one keyset page (50 newest messages before a seq) of `room`, read straight from `messages`.
pub async fn keyset_page_ms(storage: &Storage, room: uuid::Uuid, last_seq: i64) -> Option<f64> {
    match measure_pages(storage, room, last_seq).await {
        Ok(ms) => Some(ms),
        Err(e) => {
            eprintln!("warning: keyset page floor not measured: {e:#}");
            None
        }
    }
}

async fn measure_pages(storage: &Storage, room: uuid::Uuid, last_seq: i64) -> Result<f64> {
    let db = connect(storage).await?;
    // A fixed pseudo-random walk over the room, so runs compare; no dependency on a random generator.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let started = Instant::now();
    for _ in 0..PAGES {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let before = PAGE + i64::try_from(state % u64::try_from(last_seq.max(1))?)?;
        let statement = Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT id, seq, sender_id, content, inserted_at FROM messages \
             WHERE room_id = $1 AND parent_id IS NULL AND seq < $2 ORDER BY seq DESC LIMIT $3",
            [Value::from(room), Value::from(before), Value::from(PAGE)],
        );
        db.query_all_raw(statement).await?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / PAGES as f64)
}
