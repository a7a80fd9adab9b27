//! Ongoing chat in rooms of ten: the load of scenarios 2, 3 and 6. Members send with the web client's
//! `SendMessage` document at a target rate (open loop: a send's latency counts from when it was scheduled, so
//! a saturated server cannot hide its queue), optionally with every member subscribed to `events`; each
//! delivery is checked exactly once and timed from the same scheduled instant.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::docs;
use crate::gql::Gql;
use crate::scenarios::Ctx;
use crate::stats::Latencies;
use crate::subscribers::{Check, Subscribers, Tally};
use crate::world::{self, User};

pub const ROOM_SIZE: usize = 10;
/// Sends in flight at most; beyond it the schedule waits (and the wait shows in the latencies).
const MAX_IN_FLIGHT: usize = 512;
/// After the last send, how long deliveries may still arrive before they count as missing.
const DELIVERY_GRACE: Duration = Duration::from_secs(15);

/// What every member subscribes to, if anything.
#[derive(Clone, Copy, PartialEq)]
pub enum Subscribe {
    Nobody,
    /// `events` with the minimal selection.
    Minimal,
    /// The web client's own `events` document.
    WebClient,
}

pub struct Chat {
    gql: Gql,
    users: Vec<User>,
    rooms: Vec<String>,
    subs: Option<Subscribers>,
    tally: Tally,
    tag: String,
    windows: usize,
    send_doc: String,
}

/// One measured stretch of chat.
pub struct Window {
    pub elapsed: Duration,
    pub sent: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub send_latency: Latencies,
    pub delivery_latency: Latencies,
    pub check: Check,
}

impl Window {
    pub fn achieved_per_second(&self) -> f64 {
        self.sent as f64 / self.elapsed.as_secs_f64().max(1e-6)
    }
}

struct Sent {
    client_id: String,
    room: usize,
    scheduled: Instant,
    outcome: Result<Instant, String>,
}

impl Chat {
    /// Signs up `rooms × 10` users, creates the rooms, subscribes, and proves every subscription live.
    pub async fn setup(
        ctx: &mut Ctx,
        gql: &Gql,
        ws_url: &str,
        rooms: usize,
        subscribe: Subscribe,
    ) -> Result<Self> {
        let users = ctx.sign_up(gql, rooms * ROOM_SIZE).await?;
        Self::with_users(ctx, gql, ws_url, users, subscribe).await
    }

    /// As `setup`, with users signed up before (`users.len()` a multiple of ten).
    pub async fn with_users(
        ctx: &Ctx,
        gql: &Gql,
        ws_url: &str,
        users: Vec<User>,
        subscribe: Subscribe,
    ) -> Result<Self> {
        let rooms = users.len() / ROOM_SIZE;
        let mut room_ids = Vec::with_capacity(rooms);
        for (i, members) in users.chunks(ROOM_SIZE).enumerate() {
            room_ids.push(world::group_room(gql, &format!("chat {i}"), members).await?);
        }
        let subs = match subscribe {
            Subscribe::Nobody => None,
            Subscribe::Minimal | Subscribe::WebClient => {
                // Like the web client: each member resumes its room from the seq it holds.
                let mut each = Vec::with_capacity(users.len());
                for (i, user) in users.iter().enumerate() {
                    let room = &room_ids[i / ROOM_SIZE];
                    let after = world::last_seq(gql, &user.token, room).await?;
                    each.push((user.token.clone(), world::positions(room, after)));
                }
                let query = match subscribe {
                    Subscribe::WebClient => docs::web_events(),
                    _ => docs::MIN_EVENTS.to_owned(),
                };
                Some(Subscribers::open(ws_url, &each, &query).await?)
            }
        };
        let mut chat = Self {
            gql: gql.clone(),
            users,
            rooms: room_ids,
            subs,
            tally: Tally::default(),
            tag: ctx.tag.clone(),
            windows: 0,
            send_doc: docs::web_send_message(),
        };
        // One message per room before anything is timed: every subscription must be live.
        let warm_up = chat
            .run_for(chat.rooms.len() as f64 * 10.0, Duration::from_millis(100))
            .await?;
        if warm_up.errors > 0 || !warm_up.check.ok() {
            bail!(
                "chat warm-up failed: {} send errors ({}), {}",
                warm_up.errors,
                warm_up.first_error.unwrap_or_default(),
                warm_up.check.describe()
            );
        }
        Ok(chat)
    }

    pub async fn run_for(&mut self, rate: f64, duration: Duration) -> Result<Window> {
        let stop = CancellationToken::new();
        let timer = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(duration).await;
            timer.cancel();
        });
        self.run(rate, stop).await
    }

    /// Sends at `rate` per second until `stop`, then waits for the deliveries.
    pub async fn run(&mut self, rate: f64, stop: CancellationToken) -> Result<Window> {
        let window = self.windows;
        self.windows += 1;
        let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
        // Burst: ticks missed while the schedule waited are sent as soon as possible, so the offered load
        // stays the target and the wait shows in the latencies.
        ticker.set_missed_tick_behavior(MissedTickBehavior::Burst);
        let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
        let mut sends: JoinSet<Sent> = JoinSet::new();
        let mut done: Vec<Sent> = Vec::new();
        let started = Instant::now();
        let mut k = 0usize;
        loop {
            tokio::select! {
                biased;
                _ = stop.cancelled() => break,
                Some(delivery) = next_delivery(&mut self.subs) => self.tally.record(delivery),
                Some(sent) = sends.join_next(), if !sends.is_empty() => done.push(sent?),
                scheduled = ticker.tick() => {
                    let permit = in_flight.clone().acquire_owned().await?;
                    let room = k % self.rooms.len();
                    let member = (k / self.rooms.len()) % ROOM_SIZE;
                    let user = &self.users[room * ROOM_SIZE + member];
                    let client_id = format!("{}-w{window}-{k}", self.tag);
                    let input = json!({"roomId": self.rooms[room], "content": format!("chat {k}"), "clientId": client_id});
                    let gql = self.gql.clone();
                    let token = user.token.clone();
                    let doc = self.send_doc.clone();
                    sends.spawn(async move {
                        let outcome = gql
                            .call(Some(&token), &doc, json!({ "input": input }))
                            .await
                            .map(|_| Instant::now())
                            .map_err(|e| format!("{e:#}"));
                        drop(permit);
                        Sent { client_id, room, scheduled: scheduled.into_std(), outcome }
                    });
                    k += 1;
                }
            }
        }
        let elapsed = started.elapsed();
        while let Some(sent) = sends.join_next().await {
            done.push(sent?);
        }
        self.finish(done, elapsed).await
    }

    async fn finish(&mut self, done: Vec<Sent>, elapsed: Duration) -> Result<Window> {
        let mut window = Window {
            elapsed,
            sent: 0,
            errors: 0,
            first_error: None,
            send_latency: Latencies::default(),
            delivery_latency: Latencies::default(),
            check: Check::default(),
        };
        for sent in &done {
            match &sent.outcome {
                Ok(answered) => {
                    window.sent += 1;
                    window.send_latency.push(*answered - sent.scheduled);
                }
                Err(e) => {
                    window.errors += 1;
                    window.first_error.get_or_insert_with(|| e.clone());
                }
            }
        }
        let Some(subs) = &mut self.subs else {
            return Ok(window);
        };
        let acknowledged: Vec<&Sent> = done.iter().filter(|s| s.outcome.is_ok()).collect();
        let expected = acknowledged.len() * ROOM_SIZE;
        subs.collect_until(&mut self.tally, DELIVERY_GRACE, |tally| {
            acknowledged
                .iter()
                .map(|s| tally.receivers(&s.client_id))
                .sum::<usize>()
                >= expected
        })
        .await;
        subs.check().context("a chat subscriber ended")?;
        for sent in acknowledged {
            let first = u32::try_from(sent.room * ROOM_SIZE)?;
            window.check.add(
                self.tally
                    .check(&sent.client_id, first..first + ROOM_SIZE as u32),
            );
            for at in self.tally.arrivals(&sent.client_id) {
                window
                    .delivery_latency
                    .push(at.saturating_duration_since(sent.scheduled));
            }
        }
        Ok(window)
    }

    pub async fn close(self) -> Result<()> {
        if let Some(subs) = self.subs {
            subs.close().await?;
        }
        Ok(())
    }
}

async fn next_delivery(subs: &mut Option<Subscribers>) -> Option<crate::ws::Delivery> {
    match subs {
        Some(subs) => subs.deliveries.recv().await,
        None => std::future::pending().await,
    }
}
