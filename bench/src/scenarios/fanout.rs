//! Scenario 1: one message to a room of N subscribers; the time from the send to the last subscriber's
//! delivery. Each subscriber is its own user on its own socket with the one-stream `events` subscription
//! (minimal selection). The floor broadcasts the very frame the api sent, to the same number of sockets,
//! measured by the same client code.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::docs;
use crate::floor::Trigger;
use crate::procfs::{self, CpuMeter};
use crate::report::{self, Row};
use crate::scenarios::Ctx;
use crate::server::{Argon2, FloorServer};
use crate::stats::{Latencies, ms};
use crate::subscribers::{Check, Subscribers, Tally};
use crate::world;

/// Longest wait for one message to reach everyone; past it the missing deliveries are reported.
const ROUND_TIMEOUT: Duration = Duration::from_secs(60);

pub async fn run(ctx: &mut Ctx, subscribers: usize, rounds: usize) -> Result<Row> {
    let (mut api, gql) = ctx.start_api(Argon2::Cheap)?;
    let (room, users) = ctx.big_room(&gql, subscribers).await?;
    let sender = &users[0];
    let after = world::last_seq(&gql, &sender.token, &room).await?;
    let each: Vec<(String, Value)> = users[1..]
        .iter()
        .map(|u| (u.token.clone(), world::positions(&room, after)))
        .collect();
    let mut subs = Subscribers::open(&api.ws_url(), &each, docs::MIN_EVENTS).await?;
    let mut tally = Tally::default();
    let mut check = Check::default();
    let expected: Vec<u32> = (0..u32::try_from(subscribers)?).collect();

    // Round 0 warms up and proves every subscription is live before anything is timed.
    let mut last = Latencies::default();
    let mut cpu = None;
    for round in 0..=rounds {
        if round == 1 {
            cpu = Some(CpuMeter::start(api.pid())?);
        }
        let client_id = format!("{}-fan{subscribers}-{round}", ctx.tag);
        let sent = Instant::now();
        gql.call(
            Some(&sender.token),
            docs::SEND_MESSAGE_MIN,
            json!({"input": {"roomId": room, "content": format!("fan-out {round}"), "clientId": client_id}}),
        )
        .await
        .context("sending the fan-out message")?;
        let all = subs
            .collect_until(&mut tally, ROUND_TIMEOUT, |t| {
                t.receivers(&client_id) >= subscribers
            })
            .await;
        if round > 0 {
            if let Some(at) = tally.last_arrival(&client_id) {
                last.push(at - sent);
            }
        } else if !all {
            subs.check()?;
            bail!(
                "the warm-up message reached {} of {subscribers} subscribers",
                tally.receivers(&client_id)
            );
        }
        check.add(tally.check(&client_id, expected.iter().copied()));
        subs.check()?;
    }
    let cpu = cpu.context("no rounds")?.percent()?;
    let rss = procfs::rss_kib(api.pid())?;
    api.check_alive()?;
    let (sample_id, sample_frame) = tally
        .sample_frame
        .clone()
        .context("no frame was kept to replay from the floor")?;
    subs.close().await?;
    api.stop()?;

    let floor = floor(&each, &sample_id, &sample_frame, rounds).await?;
    let figure = last.percentile_ms(50.0);
    let mut row = Row::new(
        "fan-out: last delivery",
        format!("{subscribers} subscribers, median of {rounds} messages"),
    );
    row.figure = format!("{} (max {})", ms(figure), ms(last.max_ms()));
    row.floor = ms(floor);
    row.ratio = report::ratio(figure, floor);
    row.cpu = format!("{cpu:.0} %");
    row.rss = report::mib(rss);
    row.check = check.describe();
    if ctx.smoke && !check.ok() {
        bail!("fan-out: {}", check.describe());
    }
    Ok(row)
}

/// The same frame broadcast by the floor server to as many sockets; the median last delivery.
async fn floor(
    each: &[(String, Value)],
    sample_id: &str,
    frame: &str,
    rounds: usize,
) -> Result<Option<f64>> {
    let server = FloorServer::start()?;
    let mut subs = Subscribers::open(&server.ws_url(), each, docs::MIN_EVENTS).await?;
    let mut trigger = Trigger::connect(&server.ws_url()).await?;
    let mut tally = Tally::default();
    let mut last = Latencies::default();
    for round in 0..=rounds {
        // Same length as the api's clientId would not matter; same bytes otherwise.
        let client_id = format!("floor-{round}");
        let frame = frame.replace(sample_id, &client_id);
        let sent = Instant::now();
        trigger.broadcast(&frame).await?;
        let all = subs
            .collect_until(&mut tally, ROUND_TIMEOUT, |t| {
                t.receivers(&client_id) >= each.len()
            })
            .await;
        if !all {
            bail!("the floor server did not reach every socket");
        }
        if round > 0
            && let Some(at) = tally.last_arrival(&client_id)
        {
            last.push(at - sent);
        }
    }
    subs.close().await?;
    server.stop()?;
    Ok(last.percentile_ms(50.0))
}
