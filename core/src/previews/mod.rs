//! Link previews: when a message is sent or edited with an http(s) link, the page of its first link is
//! fetched after the send has committed, off the request path, and a copy of its title, description, image
//! and site name is stored under the message and announced to the room (a `LinkPreviewChanged` event, which
//! clients receive as `MessageEdited`). At most one preview per message.
//!
//! The fetching itself is a port ([`PreviewFetcher`]); `chorus_adapters::previews` implements it over HTTP
//! with the SSRF rules (addresses refused unless allow-listed, limits on redirects, time and size). Pages are
//! cached by URL ([`LinkPreviews::cache_ttl`]), so a link posted twice is fetched once. A fetch that fails or
//! is refused stores nothing: a send never fails or waits because of a preview.

pub mod links;
pub mod service;

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::{Semaphore, watch};
use url::Url;

/// Longest stored title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest stored description, in characters.
pub const DESCRIPTION_MAX: usize = 500;
/// Longest stored site name, in characters.
pub const SITE_NAME_MAX: usize = 100;

/// What a page says about itself (OpenGraph, else `<title>` and the meta description).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PagePreview {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Absolute http(s) URL.
    pub image_url: Option<String>,
    pub site_name: Option<String>,
}

impl PagePreview {
    /// Whitespace collapsed, texts cut to their limits, empty fields dropped, image URLs kept only when they
    /// are absolute http(s) URLs of reasonable length.
    pub fn tidy(self) -> Self {
        Self {
            title: tidy_text(self.title, TITLE_MAX),
            description: tidy_text(self.description, DESCRIPTION_MAX),
            image_url: self
                .image_url
                .filter(|u| u.len() <= links::URL_MAX)
                .and_then(|u| Url::parse(&u).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .map(String::from),
            site_name: tidy_text(self.site_name, SITE_NAME_MAX),
        }
    }

    /// Nothing worth showing.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none() && self.image_url.is_none()
    }
}

fn tidy_text(text: Option<String>, max: usize) -> Option<String> {
    let text = text?;
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    if collapsed.chars().count() <= max {
        return Some(collapsed);
    }
    let mut cut: String = collapsed.chars().take(max - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

/// Why a fetch produced no page.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The SSRF rules refused the address, the scheme or a redirect; no request was sent there.
    #[error("refused: {0}")]
    Refused(String),
    /// The network, the status, the content type or the time limit.
    #[error("{0}")]
    Failed(String),
}

/// Fetches a page and reads what it says about itself (the port; `chorus_adapters::previews` implements it).
pub trait PreviewFetcher: Send + Sync + 'static {
    fn fetch<'a>(&'a self, url: &'a Url) -> BoxFuture<'a, Result<PagePreview, FetchError>>;
}

/// How preview tasks ended, counted since start (`/metrics` shows them; tests wait on them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// A preview was stored (or cleared) and announced.
    pub changed: u64,
    /// Nothing to do: no link, the same link as before, a deleted message, a later edit took over.
    pub unchanged: u64,
    /// Fetched (or found in the cache) with nothing to show.
    pub empty: u64,
    /// Refused by the SSRF rules.
    pub refused: u64,
    /// Failed: network, status, content type, time limit, storage.
    pub failed: u64,
    /// Fetches started (cache misses), refused ones included.
    pub fetched: u64,
}

impl Tally {
    /// Tasks that have ended.
    pub fn finished(&self) -> u64 {
        self.changed + self.unchanged + self.empty + self.refused + self.failed
    }
}

/// The link preview feature as the services see it: the fetcher (none when switched off), the bound on
/// concurrent fetches and the cache lifetime.
pub struct LinkPreviews {
    fetcher: Option<Arc<dyn PreviewFetcher>>,
    permits: Semaphore,
    cache_ttl: Duration,
    tally: watch::Sender<Tally>,
}

/// Fetches running at once in one process; the others wait their turn (in their own tasks, never in a send).
pub const CONCURRENT_FETCHES: usize = 4;

/// How long a fetched page is reused for the same URL.
pub const CACHE_TTL: Duration = Duration::from_secs(24 * 60 * 60);

impl LinkPreviews {
    pub fn new(fetcher: Arc<dyn PreviewFetcher>, cache_ttl: Duration) -> Self {
        Self::build(Some(fetcher), cache_ttl)
    }

    /// Previews switched off: nothing is fetched; previews stored before still show.
    pub fn disabled() -> Self {
        Self::build(None, CACHE_TTL)
    }

    fn build(fetcher: Option<Arc<dyn PreviewFetcher>>, cache_ttl: Duration) -> Self {
        Self {
            fetcher,
            permits: Semaphore::new(CONCURRENT_FETCHES),
            cache_ttl,
            tally: watch::Sender::new(Tally::default()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.fetcher.is_some()
    }

    pub fn cache_ttl(&self) -> Duration {
        self.cache_ttl
    }

    /// How the tasks so far ended, updated as each ends.
    pub fn tally(&self) -> watch::Receiver<Tally> {
        self.tally.subscribe()
    }

    fn count(&self, bump: impl FnOnce(&mut Tally)) {
        self.tally.send_modify(bump);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_collapsed_cut_and_dropped_when_blank() {
        let page = PagePreview {
            title: Some("  A\n\n  title\t".into()),
            description: Some("x".repeat(600)),
            image_url: Some("javascript:alert(1)".into()),
            site_name: Some("   ".into()),
        }
        .tidy();
        assert_eq!(page.title.as_deref(), Some("A title"));
        let description = page.description.unwrap();
        assert_eq!(description.chars().count(), DESCRIPTION_MAX);
        assert!(description.ends_with('…'));
        assert_eq!(page.image_url, None);
        assert_eq!(page.site_name, None);
    }

    #[test]
    fn only_absolute_http_images_are_kept() {
        for (image, kept) in [
            ("https://example.com/a.png", true),
            ("http://example.com/a.png", true),
            ("data:image/png;base64,AAAA", false),
            ("/relative.png", false),
            ("ftp://example.com/a.png", false),
        ] {
            let page = PagePreview {
                image_url: Some(image.into()),
                ..PagePreview::default()
            }
            .tidy();
            assert_eq!(page.image_url.is_some(), kept, "{image}");
        }
    }
}
