//! Scenario 5: memory of idle subscriptions. RSS of a fresh api process before N subscribers connect, with
//! them connected and idle (after one message proved each live), and after they all closed; the same for the
//! floor server's bare sockets.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::docs;
use crate::floor::Trigger;
use crate::procfs;
use crate::report::{self, Row};
use crate::scenarios::Ctx;
use crate::server::{Argon2, FloorServer};
use crate::subscribers::{Subscribers, Tally};
use crate::world;

/// Time for allocations to settle (tasks parked, buffers trimmed) before RSS is read.
const SETTLE: Duration = Duration::from_secs(3);
/// Longest wait for the proof message to reach every subscriber.
const LIVE_WITHIN: Duration = Duration::from_secs(180);
/// After the sockets close, time for the server to notice and free them.
const AFTER_CLOSE: Duration = Duration::from_secs(5);

/// RSS in KiB before, with the sockets open, and after they closed.
struct Memory {
    before: u64,
    open: u64,
    after: u64,
}

impl Memory {
    fn per_socket_kib(&self, n: usize) -> f64 {
        self.open.saturating_sub(self.before) as f64 / n as f64
    }

    fn describe(&self) -> String {
        format!(
            "{} → {} → {} after close",
            report::mib(self.before),
            report::mib(self.open),
            report::mib(self.after)
        )
    }
}

pub async fn run(ctx: &mut Ctx, subscribers: usize) -> Result<Row> {
    // Smoke checks delivery only: no need to let memory settle.
    let (settle, after_close) = if ctx.smoke {
        (Duration::from_millis(200), Duration::from_millis(200))
    } else {
        (SETTLE, AFTER_CLOSE)
    };
    // Seeding allocates in the api too: it happens in a process of its own, measured from a fresh one.
    let (room, users) = {
        let (api, gql) = ctx.start_api(Argon2::Cheap)?;
        let seeded = ctx.big_room(&gql, subscribers).await?;
        api.stop()?;
        seeded
    };
    let (mut api, gql) = ctx.start_api(Argon2::Cheap)?;
    let after = world::last_seq(&gql, &users[0].token, &room).await?;
    let each: Vec<(String, Value)> = users[1..]
        .iter()
        .map(|u| (u.token.clone(), world::positions(&room, after)))
        .collect();
    tokio::time::sleep(settle).await;
    let before = procfs::rss_kib(api.pid())?;
    let mut subs = Subscribers::open(&api.ws_url(), &each, docs::MIN_EVENTS).await?;
    let client_id = format!("{}-idle{subscribers}", ctx.tag);
    gql.call(
        Some(&users[0].token),
        docs::SEND_MESSAGE_MIN,
        json!({"input": {"roomId": room, "content": "are you there", "clientId": client_id}}),
    )
    .await?;
    let mut tally = Tally::default();
    // Opening thousands of `events` streams queues work in the api: the bound is generous, and a subscriber
    // still not live after it is reported in the check rather than stopping the measurement.
    subs.collect_until(&mut tally, LIVE_WITHIN, |t| {
        t.receivers(&client_id) >= subscribers
    })
    .await;
    let check = tally.check(&client_id, 0..u32::try_from(subscribers)?);
    tokio::time::sleep(settle).await;
    let open = procfs::rss_kib(api.pid())?;
    subs.close().await?;
    tokio::time::sleep(after_close).await;
    let after = procfs::rss_kib(api.pid())?;
    api.check_alive()?;
    api.stop()?;
    let api_memory = Memory {
        before,
        open,
        after,
    };

    let floor = floor(&each, settle, after_close).await?;
    let figure = api_memory.per_socket_kib(subscribers);
    let floor_each = floor.per_socket_kib(subscribers);
    let returned = 100.0 * (after as f64 - before as f64) / before as f64;
    let mut row = Row::new(
        "idle subscription memory",
        format!("{subscribers} idle `events` subscriptions"),
    );
    row.figure = format!("{figure:.1} KiB each; after close {returned:+.0} % of the RSS before");
    row.floor = format!("{floor_each:.1} KiB each ({})", floor.describe());
    row.ratio = report::ratio(Some(figure), Some(floor_each));
    row.rss = api_memory.describe();
    row.check = check.describe();
    if ctx.smoke && !check.ok() {
        bail!("idle: {}", check.describe());
    }
    Ok(row)
}

async fn floor(
    each: &[(String, Value)],
    settle: Duration,
    after_close: Duration,
) -> Result<Memory> {
    let server = FloorServer::start()?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = procfs::rss_kib(server.pid())?;
    let mut subs = Subscribers::open(&server.ws_url(), each, docs::MIN_EVENTS).await?;
    let mut trigger = Trigger::connect(&server.ws_url()).await?;
    // A frame the tool's client understands, so the same liveness proof applies.
    let frame = json!({"id": "1", "type": "next", "payload": {"data": {"events": {"message": {"clientId": "floor-idle"}}}}});
    trigger.broadcast(&frame.to_string()).await?;
    let mut tally = Tally::default();
    let live = subs
        .collect_until(&mut tally, Duration::from_secs(60), |t| {
            t.receivers("floor-idle") >= each.len()
        })
        .await;
    if !live {
        bail!("the floor server did not reach every socket");
    }
    tokio::time::sleep(settle).await;
    let open = procfs::rss_kib(server.pid())?;
    drop(trigger);
    subs.close().await?;
    tokio::time::sleep(after_close).await;
    let after = procfs::rss_kib(server.pid()).context("floor RSS")?;
    server.stop()?;
    Ok(Memory {
        before,
        open,
        after,
    })
}
