//! The event bus: a wake-up signal between api processes, never the source of truth (that is the
//! `room_events` table). Publish after commit; a subscriber that misses signals (lag, reconnect) is told so
//! and recovers from storage.
//!
//! Two implementations: [`LocalBus`] (one process, tokio broadcast channels) and [`RedisBus`] (Redis pub/sub
//! through fred, for several processes). Both deliver through the same per-channel [`Hub`], so their
//! subscribers behave identically.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fred::clients::{Client, SubscriberClient};
use fred::interfaces::{ClientLike, EventInterface, PubsubInterface};
use fred::types::Builder;
use fred::types::config::Config as RedisConfig;
use futures_util::future::BoxFuture;
use tokio::sync::broadcast;

use crate::error::{Error, Result};

/// Signals buffered per channel and subscriber before it counts as lagging.
const CHANNEL_CAPACITY: usize = 1024;

/// Channel names, without the deployment prefix (the bus adds it).
pub mod channels {
    use uuid::Uuid;

    pub fn room(id: Uuid) -> String {
        format!("room:{id}")
    }

    pub fn user(id: Uuid) -> String {
        format!("user:{id}")
    }

    pub const PRESENCE: &str = "presence";

    /// A session (sign-in) was revoked: payload is its id.
    pub const SESSION_REVOKED: &str = "session-revoked";
}

/// What a subscriber receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A published payload (JSON text).
    Message(Arc<str>),
    /// Signals were lost (this subscriber lagged, or the bus lost its connection): recover from storage.
    Lagged,
}

pub trait Bus: Send + Sync + 'static {
    /// Publishes `payload` on `channel`. Call after the change it announces is committed.
    fn publish<'a>(&'a self, channel: &'a str, payload: String) -> BoxFuture<'a, Result<()>>;
    /// Subscribes to `channel`; the subscription is live when the future resolves.
    fn subscribe<'a>(&'a self, channel: &'a str) -> BoxFuture<'a, Result<Subscription>>;
    /// Whether the bus is reachable (readiness).
    fn ping(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async { Ok(()) })
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

/// Per-channel fan-out inside one process.
#[derive(Default)]
struct Hub {
    senders: Mutex<HashMap<String, broadcast::Sender<Signal>>>,
}

impl Hub {
    /// Subscribes; returns whether this is the channel's first local subscriber.
    fn subscribe(&self, channel: &str) -> (Subscription, bool) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = senders.get(channel) {
            return (Subscription { rx: tx.subscribe() }, false);
        }
        let (tx, rx) = broadcast::channel(CHANNEL_CAPACITY);
        senders.insert(channel.to_owned(), tx);
        (Subscription { rx }, true)
    }

    fn deliver(&self, channel: &str, signal: Signal) {
        let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = senders.get(channel) {
            let _ = tx.send(signal);
        }
    }

    fn lag_all(&self) {
        let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        for tx in senders.values() {
            let _ = tx.send(Signal::Lagged);
        }
    }

    /// Forgets channels nobody listens to any more; returns their names.
    fn sweep(&self) -> Vec<String> {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        let idle: Vec<String> = senders
            .iter()
            .filter(|(_, tx)| tx.receiver_count() == 0)
            .map(|(name, _)| name.clone())
            .collect();
        for name in &idle {
            senders.remove(name);
        }
        idle
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
        Box::pin(async move { Ok(self.hub.subscribe(channel).0) })
    }
}

/// Redis pub/sub through fred: one connection publishes, one subscribes to the channels this process has
/// local subscribers for, and a dispatcher task fans messages out to them.
pub struct RedisBus {
    prefix: String,
    publisher: Client,
    subscriber: SubscriberClient,
    hub: Arc<Hub>,
    /// Serialises Redis SUBSCRIBE/UNSUBSCRIBE so an unsubscribe of an idle channel cannot undo a new
    /// subscriber's SUBSCRIBE.
    subscribing: tokio::sync::Mutex<()>,
}

impl RedisBus {
    /// Connects to `url`; channel names get `prefix` (e.g. `chorus:`; tests use a unique one).
    pub async fn connect(url: &str, prefix: &str) -> Result<Arc<Self>> {
        let config =
            RedisConfig::from_url(url).map_err(|e| Error::internal(format!("REDIS_URL: {e}")))?;
        let mut builder = Builder::from_config(config);
        builder.with_performance_config(|perf| {
            // fred hands messages to us through a broadcast channel: give it room for bursts.
            perf.broadcast_channel_capacity = 16 * 1024;
        });
        let publisher = builder.build().map_err(Error::internal)?;
        let subscriber = builder.build_subscriber_client().map_err(Error::internal)?;
        publisher
            .init()
            .await
            .map_err(|e| Error::internal(format!("connecting to Redis: {e}")))?;
        subscriber
            .init()
            .await
            .map_err(|e| Error::internal(format!("connecting to Redis: {e}")))?;
        // Re-subscribes to every tracked channel after a reconnect.
        subscriber.manage_subscriptions();

        let bus = Arc::new(Self {
            prefix: prefix.to_owned(),
            publisher,
            subscriber,
            hub: Arc::new(Hub::default()),
            subscribing: tokio::sync::Mutex::new(()),
        });
        bus.spawn_dispatcher();
        bus.spawn_sweeper();
        Ok(bus)
    }

    fn spawn_dispatcher(self: &Arc<Self>) {
        let hub = self.hub.clone();
        let prefix = self.prefix.clone();
        let mut messages = self.subscriber.message_rx();
        let mut reconnects = self.subscriber.reconnect_rx();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    msg = messages.recv() => match msg {
                        Ok(msg) => {
                            let Some(channel) = msg.channel.strip_prefix(prefix.as_str()) else { continue };
                            match msg.value.as_string() {
                                Some(text) => hub.deliver(channel, Signal::Message(text.into())),
                                None => tracing::warn!(channel, "non-text message on the bus"),
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(missed)) => {
                            tracing::warn!(missed, "Redis bus dispatcher lagged: subscribers recover from storage");
                            hub.lag_all();
                        }
                        Err(broadcast::error::RecvError::Closed) => break,
                    },
                    reconnect = reconnects.recv() => match reconnect {
                        // Messages published while disconnected are gone: everyone recovers from storage.
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => hub.lag_all(),
                        Err(broadcast::error::RecvError::Closed) => break,
                    },
                }
            }
        });
    }

    fn spawn_sweeper(self: &Arc<Self>) {
        let bus = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(bus) = bus.upgrade() else { break };
                let _guard = bus.subscribing.lock().await;
                let idle = bus.hub.sweep();
                if !idle.is_empty() {
                    let names: Vec<String> =
                        idle.iter().map(|c| format!("{}{c}", bus.prefix)).collect();
                    if let Err(err) = bus.subscriber.unsubscribe(names).await {
                        tracing::warn!(error = %err, "Redis UNSUBSCRIBE failed");
                    }
                }
            }
        });
    }
}

impl Bus for RedisBus {
    fn publish<'a>(&'a self, channel: &'a str, payload: String) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let name = format!("{}{channel}", self.prefix);
            self.publisher
                .publish::<(), _, _>(name, payload)
                .await
                .map_err(Error::internal)
        })
    }

    fn subscribe<'a>(&'a self, channel: &'a str) -> BoxFuture<'a, Result<Subscription>> {
        Box::pin(async move {
            let _guard = self.subscribing.lock().await;
            let (subscription, first) = self.hub.subscribe(channel);
            if first {
                let name = format!("{}{channel}", self.prefix);
                self.subscriber
                    .subscribe(name)
                    .await
                    .map_err(Error::internal)?;
            }
            Ok(subscription)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            self.publisher
                .ping::<()>(None)
                .await
                .map_err(Error::internal)
        })
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
    async fn idle_channels_are_forgotten() {
        let bus = LocalBus::new();
        let sub = bus.subscribe("room:a").await.unwrap();
        drop(sub);
        bus.publish("room:a", "x".into()).await.unwrap();
        assert!(bus.hub.senders.lock().unwrap().is_empty());
    }
}
