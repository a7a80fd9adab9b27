//! Many subscriptions at once, and the exactly-once bookkeeping of what they received.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{StreamExt, TryStreamExt, stream};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::ws::{self, Delivery};

/// Sockets opened at once: more would only overflow the server's accept backlog and measure retries.
const CONNECT_CONCURRENCY: usize = 200;

pub struct Subscribers {
    stop: CancellationToken,
    tasks: JoinSet<Result<()>>,
    pub deliveries: mpsc::UnboundedReceiver<Delivery>,
}

impl Subscribers {
    /// Opens one socket and subscription per (token, variables); subscriber `i` is `each[i]`. Subscriber 0
    /// keeps the text of its frames (the floor replays one).
    pub async fn open(url: &str, each: &[(String, Value)], query: &str) -> Result<Self> {
        let (tx, deliveries) = mpsc::unbounded_channel();
        let stop = CancellationToken::new();
        let subscriptions: Vec<ws::Subscription> = stream::iter(each)
            .map(|(token, variables)| ws::subscribe(url, token, query, variables.clone()))
            .buffered(CONNECT_CONCURRENCY)
            .try_collect()
            .await
            .context("opening subscriptions")?;
        let mut tasks = JoinSet::new();
        for (i, subscription) in subscriptions.into_iter().enumerate() {
            let sub = u32::try_from(i)?;
            tasks.spawn(subscription.run(sub, i == 0, tx.clone(), stop.clone()));
        }
        Ok(Self {
            stop,
            tasks,
            deliveries,
        })
    }

    /// Fails when a subscriber has already ended (the server closed or errored it).
    pub fn check(&mut self) -> Result<()> {
        if let Some(ended) = self.tasks.try_join_next() {
            ended??;
            bail!("a subscriber ended early");
        }
        Ok(())
    }

    /// Closes every socket (complete + close) and waits for the readers to finish.
    pub async fn close(mut self) -> Result<()> {
        self.stop.cancel();
        while let Some(ended) = self.tasks.join_next().await {
            ended??;
        }
        Ok(())
    }

    /// Receives deliveries into `tally` until `done(tally)` or `within` passes; true when done.
    pub async fn collect_until(
        &mut self,
        tally: &mut Tally,
        within: Duration,
        mut done: impl FnMut(&Tally) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while !done(tally) {
            match tokio::time::timeout_at(deadline, self.deliveries.recv()).await {
                Ok(Some(delivery)) => tally.record(delivery),
                Ok(None) | Err(_) => return done(tally),
            }
        }
        true
    }
}

/// What each subscriber received, by message `clientId`.
#[derive(Default)]
pub struct Tally {
    /// clientId → subscriber → (times received, first arrival).
    seen: HashMap<String, HashMap<u32, (u32, Instant)>>,
    /// The text of one delivered frame, kept by subscriber 0.
    pub sample_frame: Option<(String, std::sync::Arc<str>)>,
}

/// Exactly-once outcome of a set of expected deliveries.
#[derive(Default, Clone, Copy)]
pub struct Check {
    pub expected: usize,
    pub missing: usize,
    pub duplicates: usize,
}

impl Check {
    pub fn add(&mut self, other: Check) {
        self.expected += other.expected;
        self.missing += other.missing;
        self.duplicates += other.duplicates;
    }

    pub fn ok(&self) -> bool {
        self.missing == 0 && self.duplicates == 0
    }

    pub fn describe(&self) -> String {
        if self.ok() {
            format!("{} delivered once each", self.expected)
        } else {
            format!(
                "{} expected: {} not received within the wait, {} duplicated",
                self.expected, self.missing, self.duplicates
            )
        }
    }
}

impl Tally {
    pub fn record(&mut self, delivery: Delivery) {
        let Some(client_id) = delivery.client_id else {
            return;
        };
        if let Some(frame) = delivery.frame
            && self.sample_frame.is_none()
        {
            self.sample_frame = Some((client_id.clone(), frame));
        }
        self.seen
            .entry(client_id)
            .or_default()
            .entry(delivery.sub)
            .and_modify(|(count, _)| *count += 1)
            .or_insert((1, delivery.at));
    }

    /// How many distinct subscribers received `client_id`.
    pub fn receivers(&self, client_id: &str) -> usize {
        self.seen.get(client_id).map_or(0, HashMap::len)
    }

    /// The last first-arrival of `client_id` over its receivers.
    pub fn last_arrival(&self, client_id: &str) -> Option<Instant> {
        self.seen.get(client_id)?.values().map(|(_, at)| *at).max()
    }

    /// First arrivals of `client_id`, one per receiver.
    pub fn arrivals(&self, client_id: &str) -> impl Iterator<Item = Instant> + '_ {
        self.seen
            .get(client_id)
            .into_iter()
            .flat_map(|subs| subs.values().map(|(_, at)| *at))
    }

    /// Compares what arrived for `client_id` with the subscribers that should have received it once.
    pub fn check(&self, client_id: &str, expected: impl IntoIterator<Item = u32>) -> Check {
        let got = self.seen.get(client_id);
        let mut check = Check::default();
        for sub in expected {
            check.expected += 1;
            match got.and_then(|subs| subs.get(&sub)) {
                None => check.missing += 1,
                Some((count, _)) if *count > 1 => check.duplicates += 1,
                Some(_) => {}
            }
        }
        check
    }
}
