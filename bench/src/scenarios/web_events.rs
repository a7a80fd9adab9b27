//! Scenario 3: the web client's own `events` subscription document (every fragment it uses) for every member
//! of rooms of ten, while members send at a given rate; delivery p99.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::procfs::{self, CpuMeter};
use crate::report::{self, Row};
use crate::scenarios::Ctx;
use crate::scenarios::chat::{Chat, Subscribe};
use crate::server::Argon2;
use crate::stats::ms;

pub async fn run(ctx: &mut Ctx, rate: f64, rooms: usize, duration: Duration) -> Result<Row> {
    let (mut api, gql) = ctx.start_api(Argon2::Cheap)?;
    let mut chat = Chat::setup(ctx, &gql, &api.ws_url(), rooms, Subscribe::WebClient).await?;
    let cpu = CpuMeter::start(api.pid())?;
    let window = chat.run_for(rate, duration).await?;
    let cpu = cpu.percent()?;
    let rss = procfs::rss_kib(api.pid())?;
    api.check_alive()?;
    chat.close().await?;
    api.stop()?;

    let mut row = Row::new(
        "web client's `events` document",
        format!(
            "{rate:.0} msg/s offered, {rooms} rooms of 10, all subscribed, {} s",
            duration.as_secs()
        ),
    );
    row.figure = format!(
        "delivery p99 {} (p50 {}); {:.0} msg/s sent, send p99 {}{}",
        ms(window.delivery_latency.percentile_ms(99.0)),
        ms(window.delivery_latency.percentile_ms(50.0)),
        window.achieved_per_second(),
        ms(window.send_latency.percentile_ms(99.0)),
        if window.errors > 0 {
            format!(
                "; {} send errors (first: {})",
                window.errors,
                window.first_error.as_deref().unwrap_or("?")
            )
        } else {
            String::new()
        }
    );
    row.cpu = format!("{cpu:.0} %");
    row.rss = report::mib(rss);
    row.check = window.check.describe();
    if ctx.smoke && (window.errors > 0 || !window.check.ok()) {
        bail!(
            "web events: {} errors, {}",
            window.errors,
            window.check.describe()
        );
    }
    Ok(row)
}
