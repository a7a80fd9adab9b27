//! The event bus across api processes: Redis pub/sub through fred. Redis is an accelerator here, never a
//! dependency of a write or of correctness:
//!
//! - a publish delivers to this process's subscribers at once, then to Redis with a bounded wait; a publish
//!   that fails is remembered and, once Redis answers again, replaced by a "resync" signal on its channel so
//!   other processes read what they missed from storage;
//! - one manager task owns every SUBSCRIBE/UNSUBSCRIBE (no lock is held across a Redis call); after a
//!   reconnect it subscribes again to every channel with local listeners and tells them to catch up from
//!   storage; while Redis is unreachable it tells them to check storage every `poll_interval`, so live
//!   delivery degrades to "a little late", never to "stopped".
//!
//! On the wire each message is `"{origin} {kind} {payload}"`: `origin` identifies the publishing process
//! (which already delivered it locally and ignores its echo), `kind` is `m` (a payload for subscribers) or `r`
//! (resync: read storage).

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use fred::clients::{Client, SubscriberClient};
use fred::interfaces::{ClientLike, EventInterface, PubsubInterface};
use futures_util::future::BoxFuture;
use tokio::sync::{Notify, broadcast};

use crate::redis;
use chorus_core::error::{Error, Result};
use chorus_core::realtime::bus::{Bus, BusHealth, Counters, Hub, Signal, Subscription};

/// Channel (unprefixed) on which a process asks every other one to resync all its subscribers: used when it
/// failed to publish on more channels than it keeps track of.
const RESYNC_ALL: &str = "resync";

/// Channels whose failed publishes are remembered individually; beyond this, one RESYNC_ALL replaces them.
const MISSED_CAP: usize = 10_000;

/// How often the manager reconciles subscriptions and checks the connection.
const TICK: Duration = Duration::from_millis(250);

#[derive(Clone, Debug)]
pub struct RedisBusSettings {
    /// Prefix of every channel (e.g. `chorus:`; tests use a unique one).
    pub prefix: String,
    /// Longest wait for Redis to take a publish; the writer's answer never waits longer.
    pub publish_timeout: Duration,
    /// While Redis is unreachable, subscribers check storage this often.
    pub poll_interval: Duration,
    /// Longest wait of a new subscription for Redis to confirm it (it then starts degraded and catches up).
    pub subscribe_wait: Duration,
}

impl Default for RedisBusSettings {
    fn default() -> Self {
        Self {
            prefix: "chorus:".into(),
            publish_timeout: Duration::from_millis(250),
            poll_interval: Duration::from_secs(1),
            subscribe_wait: Duration::from_secs(1),
        }
    }
}

#[derive(Default)]
struct Missed {
    channels: HashSet<String>,
    overflow: bool,
}

pub struct RedisBus {
    settings: RedisBusSettings,
    /// This process, on the wire.
    origin: String,
    publisher: Client,
    subscriber: SubscriberClient,
    hub: Arc<Hub>,
    counters: Arc<Counters>,
    /// Wakes the manager (a new channel wants subscribing).
    wake: Notify,
    missed: Mutex<Missed>,
}

impl RedisBus {
    /// Connects to `url`. Redis being down is not an error: the bus starts disconnected and connects when
    /// Redis comes up.
    pub async fn connect(url: &str, settings: RedisBusSettings) -> Result<Arc<Self>> {
        let builder = redis::builder(url)?;
        let publisher = builder.build().map_err(Error::internal)?;
        let subscriber = {
            let mut builder = builder;
            builder.with_performance_config(|perf| {
                // fred hands messages to us through a broadcast channel: give it room for bursts.
                perf.broadcast_channel_capacity = 16 * 1024;
                perf.default_command_timeout = redis::COMMAND_TIMEOUT;
            });
            builder.build_subscriber_client().map_err(Error::internal)?
        };
        tokio::join!(
            redis::start(&publisher, "event bus (publish)"),
            redis::start(&subscriber, "event bus (subscribe)")
        );
        let bus = Arc::new(Self {
            settings,
            origin: uuid::Uuid::new_v4().simple().to_string(),
            publisher,
            subscriber,
            hub: Arc::new(Hub::default()),
            counters: Arc::new(Counters::default()),
            wake: Notify::new(),
            missed: Mutex::new(Missed::default()),
        });
        bus.spawn_dispatcher();
        bus.spawn_manager();
        // Start with the resync channel confirmed, when Redis is up.
        bus.wake.notify_one();
        Ok(bus)
    }

    fn name(&self, channel: &str) -> String {
        format!("{}{channel}", self.settings.prefix)
    }

    fn note_missed(&self, channel: &str) {
        let failures = self
            .counters
            .publish_failures
            .fetch_add(1, Ordering::Relaxed);
        if failures == 0 || failures.is_power_of_two() {
            tracing::warn!(
                failures = failures + 1,
                "publishing on the Redis bus failed: other processes will catch up from storage"
            );
        }
        let mut missed = self.missed.lock().unwrap_or_else(|e| e.into_inner());
        if missed.channels.len() < MISSED_CAP {
            missed.channels.insert(channel.to_owned());
        } else {
            missed.overflow = true;
        }
    }

    async fn send(&self, channel: &str, kind: &str, payload: &str) -> bool {
        if !self.publisher.is_connected() {
            return false;
        }
        let message = format!("{} {kind} {payload}", self.origin);
        matches!(
            tokio::time::timeout(
                self.settings.publish_timeout,
                self.publisher
                    .publish::<(), _, _>(self.name(channel), message)
            )
            .await,
            Ok(Ok(()))
        )
    }

    /// Tells other processes to read from storage what this one failed to announce.
    async fn flush_missed(&self) {
        let Missed { channels, overflow } =
            std::mem::take(&mut *self.missed.lock().unwrap_or_else(|e| e.into_inner()));
        if channels.is_empty() && !overflow {
            return;
        }
        let resync: Vec<String> = if overflow {
            vec![RESYNC_ALL.to_owned()]
        } else {
            channels.into_iter().collect()
        };
        let sent =
            futures_util::future::join_all(resync.iter().map(|c| self.send(c, "r", ""))).await;
        let failed: Vec<&String> = resync
            .iter()
            .zip(sent)
            .filter(|(_, ok)| !ok)
            .map(|(c, _)| c)
            .collect();
        if failed.is_empty() {
            tracing::info!(
                channels = resync.len(),
                "Redis bus: sent resync for missed publishes"
            );
            return;
        }
        let mut missed = self.missed.lock().unwrap_or_else(|e| e.into_inner());
        for channel in failed {
            if channel == RESYNC_ALL {
                missed.overflow = true;
            } else {
                missed.channels.insert(channel.clone());
            }
        }
    }

    /// Fans Redis messages out to this process's subscribers.
    fn spawn_dispatcher(self: &Arc<Self>) {
        let hub = self.hub.clone();
        let prefix = self.settings.prefix.clone();
        let origin = self.origin.clone();
        let mut messages = self.subscriber.message_rx();
        tokio::spawn(async move {
            loop {
                match messages.recv().await {
                    Ok(msg) => {
                        let Some(channel) = msg.channel.strip_prefix(prefix.as_str()) else {
                            continue;
                        };
                        let Some(text) = msg.value.as_str() else {
                            tracing::warn!(channel, "non-text message on the bus");
                            continue;
                        };
                        let mut parts = text.splitn(3, ' ');
                        let (Some(from), Some(kind)) = (parts.next(), parts.next()) else {
                            tracing::warn!(channel, "malformed message on the bus");
                            continue;
                        };
                        if from == origin {
                            // Delivered locally when it was published.
                            continue;
                        }
                        match kind {
                            "m" => hub.deliver(
                                channel,
                                Signal::Message(parts.next().unwrap_or_default().into()),
                            ),
                            "r" if channel == RESYNC_ALL => hub.lag_all(),
                            "r" => hub.deliver(channel, Signal::Lagged),
                            _ => tracing::warn!(channel, kind, "unknown message kind on the bus"),
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(
                            missed,
                            "Redis bus dispatcher lagged: subscribers recover from storage"
                        );
                        hub.lag_all();
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
    }

    /// The one owner of Redis subscriptions and of the connection state.
    fn spawn_manager(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        let mut reconnects = self.subscriber.reconnect_rx();
        let mut publisher_reconnects = self.publisher.reconnect_rx();
        tokio::spawn(async move {
            let mut manager = Manager {
                subscribed: HashSet::new(),
                was_connected: false,
                last_poll: Instant::now(),
            };
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let Some(wake) = weak.upgrade() else { break };
                let woken = async move { wake.wake.notified().await };
                tokio::select! {
                    _ = tick.tick() => {}
                    () = woken => {}
                    event = reconnects.recv() => match event {
                        // Redis forgot our subscriptions (or we cannot tell): subscribe again.
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => manager.forget(&weak),
                        Err(broadcast::error::RecvError::Closed) => break,
                    },
                    _ = publisher_reconnects.recv() => {}
                }
                let Some(bus) = weak.upgrade() else { break };
                manager.step(&bus).await;
            }
        });
    }
}

/// The manager task's own state.
struct Manager {
    /// Channels Redis delivers to us, as far as we know.
    subscribed: HashSet<String>,
    was_connected: bool,
    last_poll: Instant,
}

impl Manager {
    fn forget(&mut self, bus: &Weak<RedisBus>) {
        self.subscribed.clear();
        if let Some(bus) = bus.upgrade() {
            bus.hub.unconfirm_all();
        }
    }

    async fn step(&mut self, bus: &RedisBus) {
        if !bus.subscriber.is_connected() {
            self.disconnected(bus);
            return;
        }
        // Channels nobody listens to any more.
        let idle: Vec<String> = bus
            .hub
            .sweep()
            .into_iter()
            .filter(|name| self.subscribed.remove(name))
            .collect();
        if !idle.is_empty() {
            let names: Vec<String> = idle.iter().map(|c| bus.name(c)).collect();
            if let Ok(Err(err)) =
                tokio::time::timeout(redis::COMMAND_TIMEOUT, bus.subscriber.unsubscribe(names))
                    .await
            {
                tracing::debug!(error = %err, "Redis UNSUBSCRIBE failed");
            }
        }
        let wanted: Vec<String> = bus
            .hub
            .names()
            .into_iter()
            .chain(std::iter::once(RESYNC_ALL.to_owned()))
            .filter(|name| !self.subscribed.contains(name))
            .collect();
        if !wanted.is_empty() {
            let names: Vec<String> = wanted.iter().map(|c| bus.name(c)).collect();
            match tokio::time::timeout(redis::COMMAND_TIMEOUT, bus.subscriber.subscribe(names))
                .await
            {
                Ok(Ok(())) => {
                    self.subscribed.extend(wanted.iter().cloned());
                    bus.hub.confirm(&wanted);
                }
                Ok(Err(err)) => {
                    tracing::warn!(error = %err, "Redis SUBSCRIBE failed; retrying");
                    self.disconnected(bus);
                    return;
                }
                Err(_) => {
                    tracing::warn!("Redis SUBSCRIBE timed out; retrying");
                    self.disconnected(bus);
                    return;
                }
            }
        }
        if !self.was_connected {
            tracing::info!("Redis bus connected: live delivery across processes");
            self.was_connected = true;
        }
        bus.counters.connected.store(true, Ordering::Relaxed);
        bus.flush_missed().await;
    }

    fn disconnected(&mut self, bus: &RedisBus) {
        if self.was_connected {
            bus.counters.disconnects.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                poll = ?bus.settings.poll_interval,
                "Redis bus disconnected: subscribers read storage periodically until it returns"
            );
            self.was_connected = false;
        }
        bus.counters.connected.store(false, Ordering::Relaxed);
        if !self.subscribed.is_empty() {
            self.subscribed.clear();
            bus.hub.unconfirm_all();
        }
        if self.last_poll.elapsed() >= bus.settings.poll_interval {
            self.last_poll = Instant::now();
            bus.hub.lag_all();
        }
    }
}

impl Bus for RedisBus {
    fn publish<'a>(&'a self, channel: &'a str, payload: String) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            // This process's subscribers never wait for Redis.
            self.hub
                .deliver(channel, Signal::Message(payload.as_str().into()));
            if !self.send(channel, "m", &payload).await {
                self.note_missed(channel);
            }
            Ok(())
        })
    }

    fn subscribe<'a>(&'a self, channel: &'a str) -> BoxFuture<'a, Result<Subscription>> {
        Box::pin(async move {
            let (subscription, confirmed) = self.hub.subscribe(channel, false);
            if confirmed {
                return Ok(subscription);
            }
            self.wake.notify_one();
            let confirmed = async {
                loop {
                    let notified = self.hub.confirmations();
                    tokio::pin!(notified);
                    notified.as_mut().enable();
                    if self.hub.is_confirmed(channel) {
                        return;
                    }
                    notified.await;
                }
            };
            // Redis unreachable: go on degraded; the confirmation (or the storage polling) catches up.
            let _ = tokio::time::timeout(self.settings.subscribe_wait, confirmed).await;
            Ok(subscription)
        })
    }

    fn health(&self) -> BusHealth {
        let mut health = self.counters.snapshot();
        health.connected &= self.publisher.is_connected() && self.subscriber.is_connected();
        health
    }
}

impl Drop for RedisBus {
    fn drop(&mut self) {
        let (publisher, subscriber) = (self.publisher.clone(), self.subscriber.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = publisher.quit().await;
                let _ = subscriber.quit().await;
            });
        }
    }
}
