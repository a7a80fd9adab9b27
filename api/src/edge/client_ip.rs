//! The client's address: the socket's peer, or what `X-Forwarded-For` says when (and only when) the peer is
//! one of `CHORUS_TRUSTED_PROXIES`. Anyone can send that header, so believing it from anyone else would let a
//! client pick the key of its own rate limits.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::startup::AppState;

/// Addresses and networks whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated IPs and CIDRs, e.g. `10.0.0.0/8, 127.0.0.1, ::1`.
    pub fn parse(list: &str) -> anyhow::Result<Self> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => IpNet::from(item.parse::<IpAddr>().map_err(|_| {
                    anyhow::anyhow!("{item:?} is neither an IP address nor a CIDR")
                })?),
            };
            nets.push(net);
        }
        Ok(Self(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// IPv4 clients of a dual-stack socket show up as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The client of a request that reached us from `peer`. Through trusted proxies, the first address of
/// `X-Forwarded-For` from the right that is not itself a trusted proxy (each proxy appends the address it saw,
/// so entries left of the first untrusted one are the client's word, not a proxy's).
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        let Some(ip) = parse_forwarded(entry) else {
            // Garbage from further left cannot be trusted either: stop at what the proxies vouched for.
            break;
        };
        client = canonical(ip);
        if !trusted.contains(client) {
            break;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:5678`).
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// Extractor: the client's address. Requests served by [`super::serve`] and HTTP/3 always carry the peer
/// (`ConnectInfo`); without it (a router called directly) the client is unknown.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    pub fn from_parts(parts: &Parts, state: &AppState) -> Self {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Self(peer.map(|peer| resolve(peer, &parts.headers, &state.config.trusted_proxies)))
    }

    /// Hands the address to the schema (the per-address rate limits of `signUp` and `logIn`).
    pub fn attach(self, request: async_graphql::Request) -> async_graphql::Request {
        match self.0 {
            Some(ip) => request.data(schema::ClientIp(ip)),
            None => request,
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts, state))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(xff: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in xff {
            headers.append("x-forwarded-for", HeaderValue::from_static(value));
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_trusted() {
        let none = TrustedProxies::default();
        assert_eq!(
            resolve(ip("203.0.113.5"), &headers(&["1.2.3.4"]), &none),
            ip("203.0.113.5")
        );
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(
            resolve(ip("203.0.113.5"), &headers(&["1.2.3.4"]), &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_address() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        // The client claims 6.6.6.6; the outer proxy saw 198.51.100.2; an inner proxy at 10.1.1.1.
        let h = headers(&["6.6.6.6, 198.51.100.2", "10.1.1.1"]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &trusted), ip("198.51.100.2"));
        assert_eq!(
            resolve(ip("127.0.0.1"), &headers(&["[2001:db8::1]:443"]), &trusted),
            ip("2001:db8::1")
        );
        // No header: the proxy itself.
        assert_eq!(
            resolve(ip("10.0.0.7"), &HeaderMap::new(), &trusted),
            ip("10.0.0.7")
        );
        // Garbage stops the walk at what the proxies vouched for.
        assert_eq!(
            resolve(ip("10.0.0.7"), &headers(&["nonsense"]), &trusted),
            ip("10.0.0.7")
        );
        assert_eq!(
            resolve(ip("::ffff:127.0.0.1"), &headers(&["192.0.2.1"]), &trusted),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn trusted_proxies_take_addresses_and_networks() {
        let t = TrustedProxies::parse(" 127.0.0.1 ,fd00::/8,").unwrap();
        assert!(t.contains(ip("127.0.0.1")));
        assert!(!t.contains(ip("127.0.0.2")));
        assert!(t.contains(ip("fd12::1")));
        assert!(TrustedProxies::parse("localhost").is_err());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }
}
