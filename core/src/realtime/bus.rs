//! The event bus: a wake-up signal between api processes, never the source of truth (that is the
//! `room_events` table). Publish after commit; a subscriber that misses signals (lag, reconnect) is told so
//! and recovers from storage.
//!
//! Two implementations: [`LocalBus`] (one process, tokio broadcast channels) and `chorus_adapters::RedisBus`
//! (Redis pub/sub, for several processes). Both deliver through the same per-channel [`Hub`], so their
//! subscribers behave identically.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_util::future::BoxFuture;
use tokio::sync::{Notify, broadcast};

use crate::error::Result;

/// Signals buffered per channel and subscriber before it counts as lagging (and catches up from storage).
/// Every channel allocates this many slots up front, and each user's own channel is one more per connected
/// user: 256 slots (about 12 KiB) instead of 1,024 took ~35 KiB off every idle `events` subscription
/// (chorus-bench idle, 500 subscriptions: 119 → 83 KiB each), while a burst beyond it costs one storage read.
const CHANNEL_CAPACITY: usize = 256;

/// The same for a user's own channel, one per connected user: it carries what happens to that person only
/// (a notification, a room joined, a settings change), rarely more than a few signals a minute, so a
/// smaller buffer keeps every idle connection about 9 KiB lighter; a burst beyond it is recovered like any
/// lag.
const USER_CHANNEL_CAPACITY: usize = 64;

/// Channel names, without the deployment prefix (the bus adds it).
pub mod channels {
    use uuid::Uuid;

    pub fn room(id: Uuid) -> String {
        format!("room:{id}")
    }

    pub fn user(id: Uuid) -> String {
        format!("user:{id}")
    }

    /// Whether `name` (with or without the deployment prefix) is a user's own channel.
    pub fn is_user(name: &str) -> bool {
        name.rsplit_once(':')
            .is_some_and(|(head, _)| head == "user" || head.ends_with(":user"))
    }

    pub const PRESENCE: &str = "presence";

    /// A session (sign-in) was revoked: payload is its id.
    pub const SESSION_REVOKED: &str = "session-revoked";
}

/// What a subscriber receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A published payload (JSON text).
    Message(std::sync::Arc<str>),
    /// Signals may have been lost (this subscriber lagged, or the bus lost its connection): recover from
    /// storage.
    Lagged,
}

/// The bus's state as readiness checks and metrics report it. Reading it does no I/O.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BusHealth {
    /// False while the bus cannot reach its broker: delivery across processes then falls back to periodic
    /// reads from storage ("a little late").
    pub connected: bool,
    /// Publishes that failed or timed out since start (their subscribers caught up from storage).
    pub publish_failures: u64,
    /// Times the bus lost its broker connection since start.
    pub disconnects: u64,
}

pub trait Bus: Send + Sync + 'static {
    /// Publishes `payload` on `channel`. Call after the change it announces is committed. Never waits longer
    /// than the bus's publish timeout; a failure is counted and recovered from, not returned to the writer.
    fn publish<'a>(&'a self, channel: &'a str, payload: String) -> BoxFuture<'a, Result<()>>;
    /// Subscribes to `channel`. The subscription is live when the future resolves, or, when the broker is
    /// unreachable, after a bounded wait with a [`Signal::Lagged`] to follow once it is live.
    fn subscribe<'a>(&'a self, channel: &'a str) -> BoxFuture<'a, Result<Subscription>>;
    /// Connection state and counters, without I/O.
    fn health(&self) -> BusHealth {
        BusHealth {
            connected: true,
            ..BusHealth::default()
        }
    }
}

/// One subscriber's view of one channel. Memory is bounded: past [`CHANNEL_CAPACITY`] unread signals the
/// oldest are dropped and the subscriber gets [`Signal::Lagged`].
pub struct Subscription {
    rx: broadcast::Receiver<Signal>,
}

impl Subscription {
    /// The next signal; `None` when the bus shut down.
    pub async fn recv(&mut self) -> Option<Signal> {
        match self.rx.recv().await {
            Ok(signal) => Some(signal),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Signal::Lagged),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

struct Channel {
    tx: broadcast::Sender<Signal>,
    /// Whether the broker is known to deliver this channel to us (always true for the local bus).
    confirmed: bool,
}

/// Per-channel fan-out inside one process.
#[derive(Default)]
pub struct Hub {
    channels: Mutex<HashMap<String, Channel>>,
    /// Woken whenever channels are confirmed.
    confirmed: Notify,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Channel>> {
        self.channels.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Subscribes; returns whether the broker already delivers the channel. `confirm_new` says whether a new
    /// channel counts as confirmed at once (no broker to ask).
    pub fn subscribe(&self, channel: &str, confirm_new: bool) -> (Subscription, bool) {
        let mut channels = self.lock();
        if let Some(entry) = channels.get(channel) {
            return (
                Subscription {
                    rx: entry.tx.subscribe(),
                },
                entry.confirmed,
            );
        }
        let capacity = if channels::is_user(channel) {
            USER_CHANNEL_CAPACITY
        } else {
            CHANNEL_CAPACITY
        };
        let (tx, rx) = broadcast::channel(capacity);
        channels.insert(
            channel.to_owned(),
            Channel {
                tx,
                confirmed: confirm_new,
            },
        );
        (Subscription { rx }, confirm_new)
    }

    pub fn is_confirmed(&self, channel: &str) -> bool {
        self.lock().get(channel).is_some_and(|c| c.confirmed)
    }

    pub fn deliver(&self, channel: &str, signal: Signal) {
        if let Some(entry) = self.lock().get(channel) {
            let _ = entry.tx.send(signal);
        }
    }

    pub fn lag_all(&self) {
        for entry in self.lock().values() {
            let _ = entry.tx.send(Signal::Lagged);
        }
    }

    /// Names of the channels someone listens to.
    pub fn names(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// Marks `names` as delivered by the broker and tells their subscribers to check storage once: anything
    /// published before the broker delivered to us is there.
    pub fn confirm(&self, names: &[String]) {
        {
            let mut channels = self.lock();
            for name in names {
                if let Some(entry) = channels.get_mut(name) {
                    entry.confirmed = true;
                    let _ = entry.tx.send(Signal::Lagged);
                }
            }
        }
        self.confirmed.notify_waiters();
    }

    /// The broker connection was lost: nothing is confirmed any more.
    pub fn unconfirm_all(&self) {
        for entry in self.lock().values_mut() {
            entry.confirmed = false;
        }
    }

    pub fn confirmations(&self) -> tokio::sync::futures::Notified<'_> {
        self.confirmed.notified()
    }

    /// Forgets channels nobody listens to any more; returns their names.
    pub fn sweep(&self) -> Vec<String> {
        let mut channels = self.lock();
        let idle: Vec<String> = channels
            .iter()
            .filter(|(_, c)| c.tx.receiver_count() == 0)
            .map(|(name, _)| name.clone())
            .collect();
        for name in &idle {
            channels.remove(name);
        }
        idle
    }
}

/// Counters shared by a bus and its background tasks.
#[derive(Default)]
pub struct Counters {
    pub connected: AtomicBool,
    pub publish_failures: AtomicU64,
    pub disconnects: AtomicU64,
}

impl Counters {
    pub fn snapshot(&self) -> BusHealth {
        BusHealth {
            connected: self.connected.load(Ordering::Relaxed),
            publish_failures: self.publish_failures.load(Ordering::Relaxed),
            disconnects: self.disconnects.load(Ordering::Relaxed),
        }
    }
}

/// The bus of a single process.
#[derive(Default)]
pub struct LocalBus {
    hub: Hub,
}

impl LocalBus {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Bus for LocalBus {
    fn publish<'a>(&'a self, channel: &'a str, payload: String) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.hub.deliver(channel, Signal::Message(payload.into()));
            // Dropping idle channels here keeps the map as small as the set of live subscriptions.
            self.hub.sweep();
            Ok(())
        })
    }

    fn subscribe<'a>(&'a self, channel: &'a str) -> BoxFuture<'a, Result<Subscription>> {
        Box::pin(async move { Ok(self.hub.subscribe(channel, true).0) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_subscribers_get_messages_of_their_channel_only() {
        let bus = LocalBus::new();
        let mut a = bus.subscribe("room:a").await.unwrap();
        let mut b = bus.subscribe("room:b").await.unwrap();
        bus.publish("room:a", "1".into()).await.unwrap();
        bus.publish("room:b", "2".into()).await.unwrap();
        assert_eq!(a.recv().await, Some(Signal::Message("1".into())));
        assert_eq!(b.recv().await, Some(Signal::Message("2".into())));
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_to_recover() {
        let bus = LocalBus::new();
        let mut slow = bus.subscribe("room:a").await.unwrap();
        for i in 0..(CHANNEL_CAPACITY + 10) {
            bus.publish("room:a", i.to_string()).await.unwrap();
        }
        assert_eq!(slow.recv().await, Some(Signal::Lagged));
        // Then the newest signals still buffered.
        assert!(matches!(slow.recv().await, Some(Signal::Message(_))));
    }

    #[tokio::test]
    async fn a_users_channel_buffers_less_and_a_burst_beyond_it_is_a_lag() {
        assert!(channels::is_user(
            "user:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        ));
        assert!(channels::is_user(
            "chorus:user:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        ));
        assert!(!channels::is_user(
            "chorus:room:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        ));
        assert!(!channels::is_user("chorus:superuser:x"));
        let bus = LocalBus::new();
        let mut slow = bus.subscribe("user:a").await.unwrap();
        for i in 0..(USER_CHANNEL_CAPACITY + 1) {
            bus.publish("user:a", i.to_string()).await.unwrap();
        }
        assert_eq!(slow.recv().await, Some(Signal::Lagged));
    }

    #[tokio::test]
    async fn a_channel_confirmed_by_the_broker_tells_its_subscribers_to_check_storage() {
        let hub = Hub::default();
        let (mut sub, confirmed) = hub.subscribe("room:a", false);
        assert!(!confirmed);
        assert!(!hub.is_confirmed("room:a"));
        hub.confirm(&["room:a".to_owned()]);
        assert!(hub.is_confirmed("room:a"));
        // Anything published before the broker delivered to us is in storage: look once.
        assert_eq!(sub.recv().await, Some(Signal::Lagged));
        // A second subscriber of a confirmed channel needs no wait.
        assert!(hub.subscribe("room:a", false).1);
        hub.unconfirm_all();
        assert!(!hub.is_confirmed("room:a"));
    }

    #[tokio::test]
    async fn idle_channels_are_forgotten() {
        let bus = LocalBus::new();
        let sub = bus.subscribe("room:a").await.unwrap();
        drop(sub);
        bus.publish("room:a", "x".into()).await.unwrap();
        assert!(bus.hub.names().is_empty());
    }
}
