//! Link previews over HTTP (`chorus_core::previews::PreviewFetcher`), with the server-side request forgery
//! rules: a message's link must not make the server reach into its own network.
//!
//! - Only `http` and `https`, without credentials in the URL.
//! - Every address is vetted before it is connected to: host names are resolved here, by a resolver that
//!   hands reqwest only the addresses that pass ([`Guard::permits`]), so the connection goes to a vetted
//!   address and no second lookup can answer differently (DNS rebinding); IP literals, which reqwest does not
//!   resolve, are vetted before the request and before each redirect. Refused: loopback, private (RFC 1918,
//!   `fc00::/7`), link-local, unspecified, multicast, broadcast and reserved, CGNAT (`100.64.0.0/10`),
//!   documentation and benchmarking ranges, and the IPv6 forms that embed any of these (IPv4-mapped,
//!   IPv4-compatible, NAT64, 6to4). Hosts, addresses or networks in `CHORUS_PREVIEW_ALLOW_HOSTS` pass.
//! - At most [`MAX_REDIRECTS`] redirects, each vetted like the first URL.
//! - Outgoing webhook deliveries ([`HttpWebhooks`]) follow the same address rules and allow-list, and follow
//!   no redirect at all (a receiver answers; it does not send the delivery elsewhere).
//! - One time limit over the whole fetch; the body is read up to a byte limit and no further; only
//!   `text/html` (and XHTML) is parsed, with an HTML5 parser (`scraper`), never by hand.

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chorus_core::integrations::outgoing::{SIGNATURE_HEADER, WebhookSender};
use chorus_core::previews::{FetchError, PagePreview, PreviewFetcher};
use futures_util::future::BoxFuture;
use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use reqwest::redirect::{Attempt, Policy};
use scraper::{Html, Selector};
use url::{Host, Url};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 3;

/// What the fetcher is allowed and how long and large a fetch may be.
#[derive(Clone, Debug)]
pub struct PreviewSettings {
    pub allow: AllowList,
    /// The whole fetch: connecting, redirects, headers and body.
    pub timeout: Duration,
    /// Bytes of the body read at most; the rest is never read.
    pub max_bytes: usize,
}

/// Hosts, addresses and networks exempt from the address rules (`CHORUS_PREVIEW_ALLOW_HOSTS`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowList {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl AllowList {
    /// Comma-separated host names, IP addresses and CIDR networks; blanks are skipped.
    pub fn parse(value: &str) -> Result<Self, String> {
        let mut list = Self::default();
        for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let bare = item.trim_start_matches('[').trim_end_matches(']');
            if let Ok(net) = bare.parse::<IpNet>() {
                list.nets.push(net);
            } else if let Ok(ip) = bare.parse::<IpAddr>() {
                list.nets.push(IpNet::from(ip));
            } else {
                let host = item.trim_end_matches('.').to_ascii_lowercase();
                if host.is_empty()
                    || !host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                {
                    return Err(format!(
                        "`{item}` is not a host name, IP address or network"
                    ));
                }
                list.hosts.push(host);
            }
        }
        Ok(list)
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.nets.is_empty()
    }

    fn has_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    fn has_ip(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.nets.iter().any(|net| net.contains(&ip))
    }
}

/// The address rules with their exemptions.
#[derive(Debug)]
struct Guard {
    allow: AllowList,
}

impl Guard {
    /// Whether `ip`, reached through the host name `host` (none for an IP literal), may be connected to.
    fn permits(&self, host: Option<&str>, ip: IpAddr) -> bool {
        is_public(ip) || self.allow.has_ip(ip) || host.is_some_and(|h| self.allow.has_host(h))
    }

    /// The rules that can be checked on a URL before any lookup: scheme, credentials, IP literals. Host names
    /// are vetted by the resolver when connecting.
    fn check_url(&self, url: &Url) -> Result<(), Refused> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refused(format!("scheme `{}`", url.scheme())));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refused("credentials in the URL".into()));
        }
        let ip = match url.host() {
            None => return Err(Refused("no host".into())),
            Some(Host::Domain(_)) => return Ok(()),
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        };
        if self.permits(None, ip) {
            Ok(())
        } else {
            Err(Refused(format!("address {ip}")))
        }
    }
}

/// A refusal by the address rules, found again in reqwest's error chain to tell it from a network failure.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "refused: {}", self.0)
    }
}

impl StdError for Refused {}

/// Resolves host names itself and hands on only the addresses the guard permits.
struct GuardedResolver {
    guard: Arc<Guard>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let permitted: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|addr| guard.permits(Some(&host), addr.ip()))
                .collect();
            if permitted.is_empty() {
                return Err(Box::new(Refused(format!(
                    "{host} resolves to no permitted address ({found:?})"
                ))) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

/// Fetches pages for previews over HTTP(S) under the rules above.
pub struct HttpPreviews {
    client: reqwest::Client,
    guard: Arc<Guard>,
    settings: PreviewSettings,
}

impl HttpPreviews {
    pub fn new(settings: PreviewSettings) -> Result<Self, reqwest::Error> {
        let guard = Arc::new(Guard {
            allow: settings.allow.clone(),
        });
        let redirects = guard.clone();
        let client = reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver {
                guard: guard.clone(),
            }))
            .redirect(Policy::custom(move |attempt: Attempt<'_>| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(Refused(format!("more than {MAX_REDIRECTS} redirects")));
                }
                match redirects.check_url(attempt.url()) {
                    Ok(()) => attempt.follow(),
                    Err(refused) => attempt.error(refused),
                }
            }))
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(concat!(
                "Chorus/",
                env!("CARGO_PKG_VERSION"),
                " (link preview)"
            ))
            .build()?;
        Ok(Self {
            client,
            guard,
            settings,
        })
    }

    async fn fetch_page(&self, url: &Url) -> Result<PagePreview, FetchError> {
        self.guard
            .check_url(url)
            .map_err(|refused| FetchError::Refused(refused.0))?;
        let mut response = self
            .client
            .get(url.clone())
            .header(
                ACCEPT,
                HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9"),
            )
            .send()
            .await
            .map_err(classify)?;
        if !response.status().is_success() {
            return Err(FetchError::Failed(format!("status {}", response.status())));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        if !matches!(essence, "text/html" | "application/xhtml+xml") {
            return Err(FetchError::Failed(format!("content type `{content_type}`")));
        }
        let page_url = response.url().clone();
        let mut body = Vec::new();
        while body.len() < self.settings.max_bytes {
            let Some(chunk) = response.chunk().await.map_err(classify)? else {
                break;
            };
            let room = self.settings.max_bytes - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        // Dropping the response here closes the connection without reading the rest.
        drop(response);
        tokio::task::spawn_blocking(move || parse(&String::from_utf8_lossy(&body), &page_url))
            .await
            .map_err(|err| FetchError::Failed(format!("parsing: {err}")))
    }
}

impl PreviewFetcher for HttpPreviews {
    fn fetch<'a>(&'a self, url: &'a Url) -> BoxFuture<'a, Result<PagePreview, FetchError>> {
        Box::pin(async move {
            // reqwest's own timeout covers the body too; this one also covers the parse.
            tokio::time::timeout(self.settings.timeout, self.fetch_page(url))
                .await
                .unwrap_or_else(|_| Err(FetchError::Failed("time limit".into())))
        })
    }
}

/// A refusal anywhere in the error chain (the resolver, the redirect policy) is a refusal; anything else a
/// failure.
fn classify(err: reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn StdError + 'static)> = Some(&err);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return FetchError::Refused(refused.0.clone());
        }
        source = cause.source();
    }
    if err.is_timeout() {
        return FetchError::Failed("time limit".into());
    }
    FetchError::Failed(err.to_string())
}

/// Delivers outgoing webhooks (`chorus_core::integrations::outgoing::WebhookSender`) under the address rules
/// above, without redirects.
pub struct HttpWebhooks {
    client: reqwest::Client,
    guard: Arc<Guard>,
}

/// Longest delivery attempt (connecting, sending, the receiver's answer).
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

impl HttpWebhooks {
    pub fn new(allow: AllowList) -> Result<Self, reqwest::Error> {
        let guard = Arc::new(Guard { allow });
        let client = reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver {
                guard: guard.clone(),
            }))
            .redirect(Policy::none())
            .timeout(WEBHOOK_TIMEOUT)
            .connect_timeout(WEBHOOK_TIMEOUT)
            .user_agent(concat!("Chorus/", env!("CARGO_PKG_VERSION"), " (webhook)"))
            .build()?;
        Ok(Self { client, guard })
    }
}

impl WebhookSender for HttpWebhooks {
    fn check(&self, url: &Url) -> Result<(), String> {
        self.guard.check_url(url).map_err(|refused| refused.0)
    }

    fn post<'a>(
        &'a self,
        url: &'a Url,
        body: String,
        signature: String,
    ) -> BoxFuture<'a, Result<u16, String>> {
        Box::pin(async move {
            self.guard
                .check_url(url)
                .map_err(|refused| refused.to_string())?;
            let sent = self
                .client
                .post(url.clone())
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await;
            match sent {
                Ok(response) => Ok(response.status().as_u16()),
                Err(err) => Err(failure(err)),
            }
        })
    }

    fn call<'a>(
        &'a self,
        url: &'a Url,
        body: String,
        signature: String,
        timeout: Duration,
        max_body: usize,
    ) -> BoxFuture<'a, Result<(u16, Vec<u8>), String>> {
        Box::pin(async move {
            self.guard
                .check_url(url)
                .map_err(|refused| refused.to_string())?;
            let exchange = async {
                let mut response = self
                    .client
                    .post(url.clone())
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .header(SIGNATURE_HEADER, signature)
                    .body(body)
                    .send()
                    .await
                    .map_err(failure)?;
                let status = response.status().as_u16();
                let mut answer = Vec::new();
                while let Some(chunk) = response.chunk().await.map_err(failure)? {
                    if answer.len() + chunk.len() > max_body {
                        return Err(format!("answer longer than {max_body} bytes"));
                    }
                    answer.extend_from_slice(&chunk);
                }
                Ok((status, answer))
            };
            // The whole exchange, answer included, within `timeout` (shorter than the client's own).
            tokio::time::timeout(timeout, exchange)
                .await
                .map_err(|_| format!("no answer within {} s", timeout.as_secs_f32()))?
        })
    }
}

/// Why a webhook request got no answer, for the delivery record.
fn failure(err: reqwest::Error) -> String {
    match classify(err) {
        FetchError::Refused(reason) => format!("refused: {reason}"),
        FetchError::Failed(reason) => reason,
    }
}

/// What a page says about itself: OpenGraph first, then `<title>` and the meta description. A relative
/// `og:image` is resolved against the page's URL (after redirects); only http(s) images are kept.
pub fn parse(html: &str, page_url: &Url) -> PagePreview {
    let document = Html::parse_document(html);
    let meta = Selector::parse("meta[content]").expect("a valid selector");
    let title = Selector::parse("title").expect("a valid selector");
    let og = |key: &str| -> Option<String> {
        document
            .select(&meta)
            .find(|el| {
                let v = el.value();
                v.attr("property")
                    .or_else(|| v.attr("name"))
                    .is_some_and(|name| name.trim().eq_ignore_ascii_case(key))
            })
            .and_then(|el| el.value().attr("content"))
            .map(str::to_owned)
            .filter(|content| !content.trim().is_empty())
    };
    let page_title = og("og:title").or_else(|| {
        document
            .select(&title)
            .next()
            .map(|el| el.text().collect::<String>())
    });
    let description = og("og:description").or_else(|| og("description"));
    let image_url = og("og:image")
        .or_else(|| og("og:image:url"))
        .or_else(|| og("og:image:secure_url"))
        .and_then(|src| page_url.join(src.trim()).ok())
        .filter(|image| matches!(image.scheme(), "http" | "https"))
        .map(String::from);
    let site_name = og("og:site_name");
    PagePreview {
        title: page_title,
        description,
        image_url,
        site_name,
    }
}

/// An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) as that IPv4 address, so
/// one set of rules covers both.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => embedded_v4(v6).map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = |a: u16, b: u16| Ipv4Addr::new((a >> 8) as u8, a as u8, (b >> 8) as u8, b as u8);
    match s {
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; :: and ::1 are not IPv4).
        [0, 0, 0, 0, 0, 0xffff, a, b] => Some(low(a, b)),
        [0, 0, 0, 0, 0, 0, a, b] if (a, b) > (0, 1) => Some(low(a, b)),
        // NAT64 well-known prefix 64:ff9b::/96.
        [0x64, 0xff9b, 0, 0, 0, 0, a, b] => Some(low(a, b)),
        // 6to4: 2002:a.b.c.d::/48.
        [0x2002, a, b, ..] => Some(low(a, b)),
        _ => None,
    }
}

/// Whether an address is an ordinary public one. Everything a server's own network, the host itself or
/// special-purpose ranges use is not.
pub fn is_public(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = ip.is_unspecified()
        || a == 0 // "this network" 0.0.0.0/8
        || ip.is_loopback() // 127.0.0.0/8
        || ip.is_private() // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local() // 169.254/16
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments 192.0.0/24
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || (a == 198 && (b == 18 || b == 19)) // benchmarking 198.18/15
        || ip.is_multicast() // 224/4
        || a >= 240; // reserved 240/4, broadcast 255.255.255.255
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let refused = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast() // ff00::/8
        || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation 2001:db8::/32
        || (first == 0x2001 && ip.segments()[1] == 0) // Teredo 2001::/32 (tunnels to anywhere)
        || first == 0x0100 && ip.segments()[1..4] == [0, 0, 0] // discard-only 100::/64
        || (ip.segments()[..6] == [0, 0, 0, 0, 0, 0xffff]) // mapped, if not made canonical
        || ip.segments()[..6] == [0, 0, 0, 0, 0, 0]; // compatible/unspecified leftovers
    !refused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn every_refused_ipv4_range_is_refused() {
        for addr in [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_public(ip(addr)), "{addr} must be refused");
        }
    }

    #[test]
    fn ordinary_ipv4_addresses_pass_including_the_neighbours_of_refused_ranges() {
        for addr in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "169.253.0.1",
            "192.169.0.1",
            "223.255.255.255",
        ] {
            assert!(is_public(ip(addr)), "{addr} must pass");
        }
    }

    #[test]
    fn every_refused_ipv6_range_is_refused() {
        for addr in [
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2001:0:4136:e378::1",
            "100::1",
        ] {
            assert!(!is_public(ip(addr)), "{addr} must be refused");
        }
    }

    #[test]
    fn ipv6_forms_of_refused_ipv4_addresses_are_refused() {
        for addr in [
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:100.64.0.1",
            "::ffff:0.0.0.0",
            "::ffff:255.255.255.255",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
        ] {
            assert!(!is_public(ip(addr)), "{addr} must be refused");
        }
    }

    #[test]
    fn ordinary_ipv6_addresses_pass_and_mapped_public_ones_too() {
        for addr in [
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_public(ip(addr)), "{addr} must pass");
        }
    }

    #[test]
    fn the_allow_list_exempts_its_hosts_addresses_and_networks() {
        let allow = AllowList::parse(" 127.0.0.1, intranet.example.,10.1.0.0/16,[::1], ").unwrap();
        let guard = Guard { allow };
        assert!(guard.permits(None, ip("127.0.0.1")));
        assert!(guard.permits(None, ip("::ffff:127.0.0.1")));
        assert!(!guard.permits(None, ip("127.0.0.2")));
        assert!(guard.permits(None, ip("10.1.200.3")));
        assert!(!guard.permits(None, ip("10.2.0.1")));
        assert!(guard.permits(None, ip("::1")));
        assert!(guard.permits(Some("Intranet.Example"), ip("192.168.0.10")));
        assert!(!guard.permits(Some("other.example"), ip("192.168.0.10")));
        assert!(AllowList::parse("").unwrap().is_empty());
        assert!(AllowList::parse("exa mple").is_err());
    }

    #[test]
    fn urls_are_vetted_before_any_lookup() {
        let guard = Guard {
            allow: AllowList::default(),
        };
        let check = |u: &str| guard.check_url(&Url::parse(u).unwrap()).is_ok();
        assert!(check("https://example.com/"));
        assert!(check("http://93.184.216.34/"));
        assert!(!check("http://127.0.0.1:8080/"));
        assert!(!check("http://[::1]/"));
        assert!(!check("http://[::ffff:7f00:1]/"));
        assert!(!check("http://0x7f.1/"));
        assert!(!check("http://2130706433/"));
        assert!(!check("ftp://example.com/"));
        assert!(!check("file:///etc/passwd"));
        assert!(!check("http://user:pw@example.com/"));
    }

    #[test]
    fn open_graph_wins_and_plain_html_is_the_fallback() {
        let page = Url::parse("https://example.com/a/page").unwrap();
        let og = parse(
            r#"<html><head><title>Plain</title>
               <meta property="og:title" content="OG &amp; title">
               <meta name="description" content="plain description">
               <meta property="og:description" content="OG description">
               <meta property="og:image" content="../img/cover.png">
               <meta property="og:site_name" content="Example"></head></html>"#,
            &page,
        );
        assert_eq!(og.title.as_deref(), Some("OG & title"));
        assert_eq!(og.description.as_deref(), Some("OG description"));
        assert_eq!(
            og.image_url.as_deref(),
            Some("https://example.com/img/cover.png")
        );
        assert_eq!(og.site_name.as_deref(), Some("Example"));

        let plain = parse(
            r#"<title> Just <b>a</b> title </title><meta name="Description" content="words">
               <meta property="og:image" content="javascript:alert(1)">"#,
            &page,
        );
        assert_eq!(plain.title.as_deref(), Some(" Just <b>a</b> title "));
        assert_eq!(plain.description.as_deref(), Some("words"));
        assert_eq!(plain.image_url, None);
        assert_eq!(plain.site_name, None);
    }
}
