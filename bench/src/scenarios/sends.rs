//! Scenario 2: persisted sends at a target rate in rooms of ten; send latency p50/p99 and the rate achieved,
//! optionally with every member subscribed (then delivery p99 and exactly-once too). The floor is what the
//! same database takes in plain single-row inserts (see `sql_floor`).

use std::time::Duration;

use anyhow::{Result, bail};

use crate::procfs::{self, CpuMeter};
use crate::report::{self, Row};
use crate::scenarios::Ctx;
use crate::scenarios::chat::{Chat, Subscribe};
use crate::server::Argon2;
use crate::sql_floor;
use crate::stats::ms;

pub async fn run(
    ctx: &mut Ctx,
    rate: f64,
    rooms: usize,
    duration: Duration,
    subscribed: bool,
) -> Result<Row> {
    let (mut api, gql) = ctx.start_api(Argon2::Cheap)?;
    let subscribe = if subscribed {
        Subscribe::Minimal
    } else {
        Subscribe::Nobody
    };
    let mut chat = Chat::setup(ctx, &gql, &api.ws_url(), rooms, subscribe).await?;
    let cpu = CpuMeter::start(api.pid())?;
    let window = chat.run_for(rate, duration).await?;
    let cpu = cpu.percent()?;
    let rss = procfs::rss_kib(api.pid())?;
    api.check_alive()?;
    chat.close().await?;
    api.stop()?;

    let floor = if ctx.smoke {
        None
    } else {
        sql_floor::inserts_per_second(&ctx.storage).await
    };
    let achieved = window.achieved_per_second();
    let who = if subscribed {
        ", every member subscribed"
    } else {
        ""
    };
    let mut row = Row::new(
        "persisted sends",
        format!(
            "{rate:.0} msg/s offered, {rooms} rooms of 10{who}, {} s",
            duration.as_secs()
        ),
    );
    row.figure = format!(
        "{achieved:.0} msg/s; send p50 {} p99 {}{}{}",
        ms(window.send_latency.percentile_ms(50.0)),
        ms(window.send_latency.percentile_ms(99.0)),
        if subscribed {
            format!(
                "; delivery p99 {}",
                ms(window.delivery_latency.percentile_ms(99.0))
            )
        } else {
            String::new()
        },
        if window.errors > 0 {
            format!(
                "; {} errors ({})",
                window.errors,
                window.first_error.clone().unwrap_or_default()
            )
        } else {
            String::new()
        }
    );
    row.floor = floor.map_or("—".to_owned(), |f| format!("{f:.0} inserts/s"));
    row.ratio = report::ratio(Some(achieved), floor);
    row.cpu = format!("{cpu:.0} %");
    row.rss = report::mib(rss);
    row.check = if subscribed {
        window.check.describe()
    } else {
        format!("{} acknowledged", window.sent)
    };
    if ctx.smoke && (window.errors > 0 || !window.check.ok()) {
        bail!(
            "sends: {} errors, {}",
            window.errors,
            window.check.describe()
        );
    }
    Ok(row)
}
