//! Scenario 4: history pages of one big room with the web client's own `Messages` document (50 per page,
//! walking back with `before`), at each given concurrency for a fixed time: pages per second and latency.
//! One row per concurrency, so saturation shows as throughput levelling off or collapsing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{StreamExt, TryStreamExt, stream};
use sea_orm::{ConnectionTrait, Database, Statement, Value};
use serde_json::json;

use crate::docs;
use crate::gql::Gql;
use crate::procfs::{self, CpuMeter};
use crate::report::{self, Row};
use crate::scenarios::Ctx;
use crate::server::Argon2;
use crate::sql_floor;
use crate::stats::{Latencies, ms};
use crate::world::{self, User};

const PAGE: i64 = 50;
const SEED_CONCURRENCY: usize = 32;

/// How the big room is filled.
#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
pub enum Seed {
    /// `sendMessage` through the API (any database; slow beyond ~100k messages).
    Api,
    /// One `INSERT … SELECT generate_series` straight into `messages` (PostgreSQL only): a bench-only step
    /// that writes what many sends would have written to the history read path (no room events, so the
    /// room's event replay does not see these messages).
    Sql,
}

pub async fn run(
    ctx: &mut Ctx,
    messages: usize,
    seed: Seed,
    concurrencies: &[usize],
    duration: Duration,
) -> Result<Vec<Row>> {
    let (api, gql) = ctx.start_api(Argon2::Cheap)?;
    let users = ctx.sign_up(&gql, 2).await?;
    let room = world::group_room(&gql, "history", &users).await?;
    let seeded_at = Instant::now();
    match seed {
        Seed::Api => seed_via_api(&gql, &users[0], &room, messages).await?,
        Seed::Sql => seed_via_sql(ctx, &users[0], &room, messages).await?,
    }
    let seed_label = match seed {
        Seed::Api => "seeded via the API",
        Seed::Sql => "seeded by SQL",
    };
    eprintln!(
        "history: {messages} messages {seed_label} in {:.0} s",
        seeded_at.elapsed().as_secs_f64()
    );
    // A fresh process reads the seeded room: seeding's allocations are not the history path's.
    api.stop()?;
    let (mut api2, gql) = ctx.start_api(Argon2::Cheap)?;
    let reader = users[1].token.clone();
    if ctx.smoke {
        check_pages(&gql, &reader, &room, messages).await?;
    }
    let mut measured = Vec::new();
    for &concurrency in concurrencies {
        let cpu = CpuMeter::start(api2.pid())?;
        let (pages, latency, errors) = load(&gql, &reader, &room, concurrency, duration).await;
        let cpu = cpu.percent()?;
        let rss = procfs::rss_kib(api2.pid())?;
        measured.push((concurrency, pages, latency, errors, cpu, rss));
        api2.check_alive()?;
    }
    api2.stop()?;

    let floor = if ctx.smoke {
        None
    } else {
        sql_floor::keyset_page_ms(
            &ctx.storage,
            room.parse().context("room id")?,
            i64::try_from(messages)?,
        )
        .await
    };
    let mut rows = Vec::new();
    for (concurrency, pages, latency, errors, cpu, rss) in measured {
        let rate = pages as f64 / duration.as_secs_f64();
        let mut row = Row::new(
            "history pages",
            format!(
                "{messages}-message room ({seed_label}), {concurrency} concurrent readers, {} s",
                duration.as_secs()
            ),
        );
        row.figure = format!(
            "{rate:.0} pages/s; p50 {} p99 {}{}",
            ms(latency.percentile_ms(50.0)),
            ms(latency.percentile_ms(99.0)),
            if errors > 0 {
                format!("; {errors} errors")
            } else {
                String::new()
            }
        );
        row.floor = floor.map_or("—".to_owned(), |f| format!("{f:.2} ms per keyset page"));
        row.ratio =
            report::ratio(latency.percentile_ms(50.0), floor).replace('×', "× (p50 / floor)");
        row.cpu = format!("{cpu:.0} %");
        row.rss = report::mib(rss);
        row.check = format!("{} pages of 50", latency.len());
        if ctx.smoke && errors > 0 {
            bail!("history: {errors} errors");
        }
        rows.push(row);
    }
    Ok(rows)
}

async fn seed_via_api(gql: &Gql, sender: &User, room: &str, messages: usize) -> Result<()> {
    stream::iter(0..messages)
        .map(|i| async move {
            gql.call(
                Some(&sender.token),
                docs::SEND_MESSAGE_MIN,
                json!({"input": {"roomId": room, "content": format!("history {i}"), "clientId": format!("h{i}")}}),
            )
            .await
        })
        .buffer_unordered(SEED_CONCURRENCY)
        .try_for_each(|_| async { Ok(()) })
        .await
}

async fn seed_via_sql(ctx: &Ctx, sender: &User, room: &str, messages: usize) -> Result<()> {
    if !ctx.storage.is_postgres() {
        bail!("--history-seed sql needs PostgreSQL (--postgres)");
    }
    let db = Database::connect(ctx.storage.sql_url()).await?;
    let room: uuid::Uuid = room.parse()?;
    let sender: uuid::Uuid = sender.id.parse()?;
    let n = i64::try_from(messages)?;
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO messages (id, room_id, seq, sender_id, content, inserted_at) \
         SELECT gen_random_uuid(), r.id, r.last_seq + i, $2, 'history ' || i, \
                now() - make_interval(secs => ($3 - i)::double precision) \
         FROM rooms r, generate_series(1, $3::bigint) i WHERE r.id = $1",
        [Value::from(room), Value::from(sender), Value::from(n)],
    ))
    .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "UPDATE rooms SET last_seq = last_seq + $2 WHERE id = $1",
        [Value::from(room), Value::from(n)],
    ))
    .await?;
    db.execute_unprepared("ANALYZE messages").await?;
    Ok(())
}

/// Smoke: walking back from the newest page sees every seeded message once, newest last on each page.
async fn check_pages(gql: &Gql, token: &str, room: &str, messages: usize) -> Result<()> {
    let mut before: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    loop {
        let data = gql
            .call(
                Some(token),
                &docs::web_messages(),
                json!({"roomId": room, "last": PAGE, "before": before}),
            )
            .await?;
        let page = &data["messages"];
        for edge in page["edges"].as_array().context("no edges")? {
            if let Some(content) = edge["node"]["content"].as_str()
                && content.starts_with("history ")
                && !seen.insert(content.to_owned())
            {
                bail!("history: {content} appeared twice while paging");
            }
        }
        if page["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = page["pageInfo"]["startCursor"].as_str().map(str::to_owned);
    }
    if seen.len() != messages {
        bail!("history: paging saw {} of {messages} messages", seen.len());
    }
    Ok(())
}

/// `concurrency` readers walking back through the room for `duration`; pages, latencies, errors.
async fn load(
    gql: &Gql,
    token: &str,
    room: &str,
    concurrency: usize,
    duration: Duration,
) -> (usize, Latencies, usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let doc = docs::web_messages();
    let readers = (0..concurrency).map(|_| {
        let (stop, doc) = (stop.clone(), doc.clone());
        async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut before: Option<String> = None;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                match gql
                    .call(
                        Some(token),
                        &doc,
                        json!({"roomId": room, "last": PAGE, "before": before}),
                    )
                    .await
                {
                    Ok(data) => {
                        latencies.push(started.elapsed());
                        let info = &data["messages"]["pageInfo"];
                        before = if info["hasPreviousPage"] == true {
                            info["startCursor"].as_str().map(str::to_owned)
                        } else {
                            None
                        };
                    }
                    Err(_) => errors += 1,
                }
            }
            (latencies, errors)
        }
    });
    let timer = {
        let stop = stop.clone();
        async move {
            tokio::time::sleep(duration).await;
            stop.store(true, Ordering::Relaxed);
        }
    };
    let (results, ()) = tokio::join!(futures_util::future::join_all(readers), timer);
    let mut all = Latencies::default();
    let mut errors = 0;
    for (latencies, e) in results {
        errors += e;
        for l in latencies {
            all.push(l);
        }
    }
    (all.len(), all, errors)
}
