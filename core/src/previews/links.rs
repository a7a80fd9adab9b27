//! Finding the link a message previews: its first http(s) URL, found the way chat clients linkify text
//! (`linkify`, which leaves surrounding punctuation out), parsed with `url`.

use linkify::{LinkFinder, LinkKind};
use url::Url;

/// Longest URL previewed (longer ones are left alone).
pub const URL_MAX: usize = 2048;

/// The first http(s) URL of `content`, normalised (the fragment, which never reaches the server, removed):
/// the key of the preview cache.
pub fn first_url(content: &str) -> Option<Url> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]).url_must_have_scheme(true);
    finder
        .links(content)
        .find_map(|link| normalise(link.as_str()))
}

fn normalise(candidate: &str) -> Option<Url> {
    if candidate.len() > URL_MAX {
        return None;
    }
    let mut url = Url::parse(candidate).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    // Credentials in a link are never sent anywhere by the server.
    if !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(content: &str) -> Option<String> {
        first_url(content).map(String::from)
    }

    #[test]
    fn the_first_http_link_is_taken() {
        assert_eq!(
            first("see https://example.com/a?b=1, and http://other.org"),
            Some("https://example.com/a?b=1".into())
        );
        assert_eq!(
            first("(http://example.com/x)."),
            Some("http://example.com/x".into())
        );
        assert_eq!(
            first("mailto:a@b.c ftp://x.org https://y.org/#frag"),
            Some("https://y.org/".into())
        );
    }

    #[test]
    fn text_without_a_web_link_has_none() {
        assert_eq!(first("no links here, example.com is bare"), None);
        assert_eq!(first("javascript:alert(1)"), None);
        assert_eq!(first("https://user:pw@example.com/"), None);
        assert_eq!(
            first(&format!("https://example.com/{}", "a".repeat(URL_MAX))),
            None
        );
    }
}
