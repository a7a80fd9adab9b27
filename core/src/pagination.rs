//! Cursor pagination shared by every list: opaque cursors, validated on the way in, and pages that say
//! whether more rows exist on each side.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{Error, Result};

/// Page size when the client asks for none.
pub const DEFAULT_PAGE: u64 = 50;
/// Largest page served; asking for more is BAD_USER_INPUT (not silently clamped, so a client never mistakes
/// a short page for the end of the list).
pub const MAX_PAGE: u64 = 100;

/// One page of rows in display order, with whether more exist on each side.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// Validates a requested page size (`first`/`last`): negative or more than [`MAX_PAGE`] is BAD_USER_INPUT
/// naming the argument.
pub fn page_size(field: &'static str, requested: Option<i32>) -> Result<Option<u64>> {
    page_size_max(field, requested, MAX_PAGE)
}

/// [`page_size`] for a list with its own maximum.
pub fn page_size_max(field: &'static str, requested: Option<i32>, max: u64) -> Result<Option<u64>> {
    match requested {
        None => Ok(None),
        Some(n) if n < 0 => Err(Error::invalid(
            field,
            format!("{field} must not be negative"),
        )),
        Some(n) if n as u64 > max => Err(Error::invalid(
            field,
            format!("{field} must be at most {max}"),
        )),
        Some(n) => Ok(Some(n as u64)),
    }
}

/// Cursor of a room in activity order (newest activity first): its last activity (microseconds) and id.
pub fn activity_cursor(at: DateTime<Utc>, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("act:{}:{id}", at.timestamp_micros()))
}

pub fn parse_activity_cursor(field: &'static str, cursor: &str) -> Result<(DateTime<Utc>, Uuid)> {
    decode(cursor)
        .and_then(|raw| {
            let (micros, id) = raw.strip_prefix("act:")?.split_once(':')?;
            let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
            Some((at, Uuid::parse_str(id).ok()?))
        })
        .ok_or_else(|| bad_cursor(field))
}

/// Cursor of a message (by its room seq).
pub fn seq_cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("seq:{seq}"))
}

pub fn parse_seq_cursor(field: &'static str, cursor: &str) -> Result<i64> {
    decode(cursor)
        .and_then(|raw| raw.strip_prefix("seq:")?.parse::<i64>().ok())
        .filter(|seq| *seq >= 0)
        .ok_or_else(|| bad_cursor(field))
}

/// Cursor of a row keyed by a time-ordered (v7) UUID.
pub fn id_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("id:{id}"))
}

pub fn parse_id_cursor(field: &'static str, cursor: &str) -> Result<Uuid> {
    decode(cursor)
        .and_then(|raw| Uuid::parse_str(raw.strip_prefix("id:")?).ok())
        .ok_or_else(|| bad_cursor(field))
}

fn decode(cursor: &str) -> Option<String> {
    if cursor.len() > 128 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes).ok()
}

fn bad_cursor(field: &'static str) -> Error {
    Error::invalid(field, format!("{field} is not a valid cursor"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        assert_eq!(parse_seq_cursor("after", &seq_cursor(42)).unwrap(), 42);
        let id = Uuid::now_v7();
        assert_eq!(parse_id_cursor("after", &id_cursor(id)).unwrap(), id);
    }

    #[test]
    fn page_sizes_above_the_maximum_are_refused_with_their_field() {
        assert_eq!(page_size("first", Some(100)).unwrap(), Some(100));
        assert_eq!(page_size("first", None).unwrap(), None);
        let err = page_size("last", Some(101)).unwrap_err();
        assert_eq!((err.code(), err.field()), ("BAD_USER_INPUT", Some("last")));
        assert_eq!(
            page_size("first", Some(-1)).unwrap_err().field(),
            Some("first")
        );
    }

    #[test]
    fn activity_cursors_round_trip() {
        let at = crate::clock::now();
        let id = Uuid::now_v7();
        assert_eq!(
            parse_activity_cursor("after", &activity_cursor(at, id)).unwrap(),
            (at, id)
        );
        assert!(parse_activity_cursor("after", &seq_cursor(1)).is_err());
    }

    #[test]
    fn foreign_or_garbled_cursors_are_refused_with_their_field() {
        let id = id_cursor(Uuid::now_v7());
        for bad in ["", "!!!", "c2VxOg", "c2VxOi0x", id.as_str()] {
            assert_eq!(
                parse_seq_cursor("before", bad).unwrap_err().field(),
                Some("before"),
                "{bad:?}"
            );
        }
        assert!(parse_id_cursor("after", &seq_cursor(1)).is_err());
    }
}
