//! The edge: what protects the server before any account is involved. Connection caps (global and per
//! client address), header-read and idle timeouts on every HTTP connection (plain, TLS, HTTP/2), the TLS
//! handshake deadline, and the client address every rate limit is keyed on.

pub mod client_ip;
mod serve;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use client_ip::{ClientIp, TrustedProxies};
pub use serve::{serve, serve_connection};

/// Timeouts and caps of the TCP listeners (see the README's configuration table).
#[derive(Clone, Debug)]
pub struct EdgeSettings {
    /// A connection must complete its TLS handshake and the head of its first request within this; an
    /// HTTP/1 connection the head of every later request too (counted from when the server starts waiting).
    pub header_timeout: Duration,
    /// A connection with no request in progress for this long is closed (HTTP/2: GOAWAY).
    pub idle_timeout: Duration,
    /// Open connections over all listeners (TCP; QUIC counts too). At the cap the server stops accepting
    /// until one ends; the header timeout makes sure silent ones do.
    pub max_connections: usize,
    /// Open connections per client address; beyond it new ones are closed at once. Trusted proxies are
    /// exempt (all their clients share their address).
    pub max_connections_per_ip: usize,
}

impl Default for EdgeSettings {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(75),
            max_connections: 4096,
            max_connections_per_ip: 128,
        }
    }
}

/// Open connections per client address.
type PerIp = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// Connection accounting shared by every listener of one server.
pub struct Edge {
    pub settings: EdgeSettings,
    pub trusted: TrustedProxies,
    global: Arc<Semaphore>,
    per_ip: PerIp,
}

impl Edge {
    pub fn new(settings: EdgeSettings, trusted: TrustedProxies) -> Arc<Self> {
        Arc::new(Self {
            global: Arc::new(Semaphore::new(settings.max_connections.max(1))),
            per_ip: Arc::default(),
            settings,
            trusted,
        })
    }

    /// Waits for a free slot under the global cap.
    pub async fn slot(&self) -> OwnedSemaphorePermit {
        // The semaphore is never closed.
        self.global
            .clone()
            .acquire_owned()
            .await
            .expect("connection semaphore open")
    }

    /// A free slot under the global cap, now or never (QUIC: refuse instead of queueing).
    pub fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.global.clone().try_acquire_owned().ok()
    }

    /// Admits a connection from `peer` holding `slot`, unless the address is over its own cap.
    pub fn admit(&self, slot: OwnedSemaphorePermit, peer: IpAddr) -> Option<ConnPermit> {
        if self.trusted.contains(peer) {
            return Some(ConnPermit {
                _slot: slot,
                ip: None,
            });
        }
        let mut per_ip = self.per_ip.lock().unwrap_or_else(|e| e.into_inner());
        let open = per_ip.entry(peer).or_insert(0);
        if *open >= self.settings.max_connections_per_ip {
            return None;
        }
        *open += 1;
        Some(ConnPermit {
            _slot: slot,
            ip: Some((peer, self.per_ip.clone())),
        })
    }

    /// Connections open from `ip` (tests, diagnostics).
    pub fn open_from(&self, ip: IpAddr) -> usize {
        let per_ip = self.per_ip.lock().unwrap_or_else(|e| e.into_inner());
        per_ip.get(&ip).copied().unwrap_or(0)
    }
}

/// One admitted connection: frees its slots when dropped. It travels inside the connection's I/O, so an
/// upgraded WebSocket keeps counting until the socket closes.
pub struct ConnPermit {
    _slot: OwnedSemaphorePermit,
    ip: Option<(IpAddr, PerIp)>,
}

impl Drop for ConnPermit {
    fn drop(&mut self) {
        if let Some((ip, per_ip)) = &self.ip {
            let mut per_ip = per_ip.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(open) = per_ip.get_mut(ip) {
                *open -= 1;
                if *open == 0 {
                    per_ip.remove(ip);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_per_address_cap_frees_with_its_connections() {
        let edge = Edge::new(
            EdgeSettings {
                max_connections: 10,
                max_connections_per_ip: 2,
                ..EdgeSettings::default()
            },
            TrustedProxies::parse("10.0.0.1").unwrap(),
        );
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let first = edge.admit(edge.slot().await, a).unwrap();
        let _second = edge.admit(edge.slot().await, a).unwrap();
        assert!(edge.admit(edge.slot().await, a).is_none());
        assert!(
            edge.admit(edge.slot().await, "192.0.2.2".parse().unwrap())
                .is_some()
        );
        drop(first);
        assert_eq!(edge.open_from(a), 1);
        let _third = edge.admit(edge.slot().await, a).unwrap();
        // Proxies are exempt.
        let proxy: Vec<_> = (0..5)
            .map(|_| edge.admit(edge.try_slot().unwrap(), "10.0.0.1".parse().unwrap()))
            .collect();
        assert!(proxy.iter().all(Option::is_some));
        // 2 + 5 held, refused and dropped ones gave their slot back: 3 left.
        let left: Vec<_> = std::iter::from_fn(|| edge.try_slot()).take(20).collect();
        assert_eq!(left.len(), 3);
    }
}
