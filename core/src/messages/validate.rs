//! Input rules for message content, client ids and reaction emojis. Violations are BAD_USER_INPUT naming
//! their field.

use unicode_segmentation::UnicodeSegmentation;

use crate::error::{Error, Result};

pub const CONTENT_MAX: usize = 4_000;
pub const CLIENT_ID_MAX: usize = 64;
pub const ATTACHMENTS_MAX: usize = 10;

/// Normalises line endings, trims, and checks length (1..=4000 characters, or empty when attachments carry
/// the message) and that no control character other than newline and tab is present.
pub fn content(raw: &str, has_attachments: bool) -> Result<String> {
    let normalised = raw.replace("\r\n", "\n");
    let content = normalised.trim();
    let len = content.chars().count();
    if len == 0 && !has_attachments {
        return Err(Error::invalid("content", "content must not be empty"));
    }
    if len > CONTENT_MAX {
        return Err(Error::invalid(
            "content",
            format!("content must be at most {CONTENT_MAX} characters"),
        ));
    }
    if content
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::invalid(
            "content",
            "content must not contain control characters",
        ));
    }
    Ok(content.to_owned())
}

/// A client-chosen idempotency key: 1..=64 printable characters.
pub fn client_id(raw: &str) -> Result<String> {
    let id = raw.trim();
    let len = id.chars().count();
    if !(1..=CLIENT_ID_MAX).contains(&len) || id.chars().any(char::is_control) {
        return Err(Error::invalid(
            "clientId",
            format!("clientId must be 1 to {CLIENT_ID_MAX} printable characters"),
        ));
    }
    Ok(id.to_owned())
}

/// Exactly one emoji (one grapheme cluster known to the Unicode emoji list, skin tones and ZWJ sequences
/// included). Returns its fully-qualified form, so `❤` and `❤️` count as the same reaction.
pub fn emoji(raw: &str) -> Result<String> {
    let bad = || Error::invalid("emoji", "emoji must be exactly one emoji");
    if raw.graphemes(true).count() != 1 {
        return Err(bad());
    }
    let found = emojis::get(raw).ok_or_else(bad)?;
    Ok(found.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_trimmed_and_bounded_in_characters() {
        assert_eq!(content("  hi\r\nthere \t", false).unwrap(), "hi\nthere");
        assert!(content("   ", false).is_err());
        assert_eq!(content("  ", true).unwrap(), "");
        assert!(content(&"é".repeat(4_000), false).is_ok());
        assert!(content(&"é".repeat(4_001), false).is_err());
    }

    #[test]
    fn control_characters_other_than_newline_and_tab_are_refused() {
        for bad in ["a\u{0}b", "a\u{7}b", "a\u{1b}[31mb", "a\rb"] {
            assert_eq!(
                content(bad, false).unwrap_err().field(),
                Some("content"),
                "{bad:?}"
            );
        }
        assert!(content("a\tb\nc", false).is_ok());
    }

    #[test]
    fn a_reaction_is_exactly_one_emoji() {
        for good in ["👍", "👍🏽", "🏳️‍🌈", "👨‍👩‍👧", "❤️", "🇫🇷"]
        {
            assert!(emoji(good).is_ok(), "{good:?}");
        }
        for bad in ["", "a", "👍👍", ":)", "👍 ", "abc", "1"] {
            assert_eq!(emoji(bad).unwrap_err().field(), Some("emoji"), "{bad:?}");
        }
    }
}
