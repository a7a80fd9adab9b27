//! Scenario 6: 200 log-ins at once (the server's real argon2 cost) while a chat goes on in rooms of ten with
//! every member subscribed: delivery p99 before and during the burst, and the api's RSS before, at its peak,
//! and after the burst.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::future::join_all;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::docs;
use crate::procfs;
use crate::report::{self, Row};
use crate::scenarios::Ctx;
use crate::scenarios::chat::{Chat, ROOM_SIZE, Subscribe};
use crate::server::Argon2;
use crate::stats::{Latencies, ms};
use crate::world::{PASSWORD, User};

/// How long the chat runs before the burst, and the least it runs during it.
const BEFORE: Duration = Duration::from_secs(5);
const DURING_AT_LEAST: Duration = Duration::from_secs(1);
/// When RSS is read again after the burst.
const AFTER: Duration = Duration::from_secs(10);

pub async fn run(ctx: &mut Ctx, logins: usize, rooms: usize, rate: f64) -> Result<Row> {
    // Smoke checks delivery only: cheap hashing and short windows keep it fast.
    let (argon2, before_for, after_for) = if ctx.smoke {
        (
            Argon2::Cheap,
            Duration::from_secs(1),
            Duration::from_millis(200),
        )
    } else {
        (Argon2::Default, BEFORE, AFTER)
    };
    // Signing up hashes passwords at the real cost too: done by a process of its own, so the measured
    // process starts clean.
    let (chat_users, login_users) = {
        let (api, gql) = ctx.start_api(argon2)?;
        let chat_users = ctx.sign_up(&gql, rooms * ROOM_SIZE).await?;
        let login_users = ctx.sign_up(&gql, logins).await?;
        api.stop()?;
        (chat_users, login_users)
    };
    let (mut api, gql) = ctx.start_api(argon2)?;
    let mut chat =
        Chat::with_users(ctx, &gql, &api.ws_url(), chat_users, Subscribe::Minimal).await?;
    let rss_before = procfs::rss_kib(api.pid())?;
    let before = chat.run_for(rate, before_for).await?;

    let stop = CancellationToken::new();
    let burst = {
        let stop = stop.clone();
        let gql = gql.clone();
        async move {
            let started = Instant::now();
            let results = join_all(login_users.iter().map(|u| log_in(&gql, u))).await;
            // The chat window covers the whole burst, and at least a second of it.
            tokio::time::sleep(DURING_AT_LEAST.saturating_sub(started.elapsed())).await;
            stop.cancel();
            (results, started.elapsed())
        }
    };
    let (during, (results, burst_time)) = tokio::join!(chat.run(rate, stop.clone()), burst);
    let during = during?;
    let peak = procfs::peak_rss_kib(api.pid())?;
    tokio::time::sleep(after_for).await;
    let rss_after = procfs::rss_kib(api.pid())?;
    api.check_alive()?;
    chat.close().await?;
    api.stop()?;

    let mut login_latency = Latencies::default();
    let mut failed = 0;
    let mut first_failure = None;
    for result in results {
        match result {
            Ok(d) => login_latency.push(d),
            Err(e) => {
                failed += 1;
                first_failure.get_or_insert(format!("{e:#}"));
            }
        }
    }
    let p99_before = before.delivery_latency.percentile_ms(99.0);
    let p99_during = during.delivery_latency.percentile_ms(99.0);
    let rise = match (p99_before, p99_during) {
        (Some(b), Some(d)) if b > 0.0 => format!(" ({:+.0} %)", 100.0 * (d - b) / b),
        _ => String::new(),
    };
    let mut row = Row::new(
        "log-ins during chat",
        format!(
            "{logins} log-ins at once; chat {rate:.0} msg/s in {rooms} rooms of 10, all subscribed"
        ),
    );
    row.figure = format!(
        "delivery p99 {} → {}{rise}; log-ins p50 {} p99 {}, all done in {:.1} s{}",
        ms(p99_before),
        ms(p99_during),
        ms(login_latency.percentile_ms(50.0)),
        ms(login_latency.percentile_ms(99.0)),
        burst_time.as_secs_f64(),
        if failed > 0 {
            format!("; {failed} failed ({})", first_failure.unwrap_or_default())
        } else {
            String::new()
        }
    );
    row.rss = format!(
        "{} → peak {} → {} after {} s",
        report::mib(rss_before),
        report::mib(peak),
        report::mib(rss_after),
        after_for.as_secs()
    );
    let mut check = before.check;
    check.add(during.check);
    row.check = check.describe();
    if ctx.smoke && (failed > 0 || !check.ok() || before.errors + during.errors > 0) {
        bail!("log-ins: {failed} failed log-ins, {}", check.describe());
    }
    Ok(row)
}

async fn log_in(gql: &crate::gql::Gql, user: &User) -> Result<Duration> {
    let started = Instant::now();
    let data = gql
        .call(
            None,
            &docs::web_log_in(),
            json!({"input": {"email": user.email, "password": PASSWORD}}),
        )
        .await?;
    data["logIn"]["accessToken"]
        .as_str()
        .context("logIn without a token")?;
    Ok(started.elapsed())
}
