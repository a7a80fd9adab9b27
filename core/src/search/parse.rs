//! The search query language. Free text is split on whitespace into terms; `"…"` is a phrase; a leading `-`
//! excludes a term or phrase (or negates an operator); `key:value` is an operator when `key` is one of
//! [`OPERATORS`], otherwise it is text like any other (`10:30`, `https://…`). Nothing in a query is ever
//! passed to SQL or FTS syntax: terms are bound as values and quoted by the service.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::error::{Error, Result};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 512;
/// Most terms, phrases and operators in one query.
pub const MAX_PARTS: usize = 24;

/// Operator names, as typed before the `:`.
pub const OPERATORS: [&str; 7] = ["from", "in", "mentions", "has", "is", "before", "after"];

/// A parsed query. Terms and phrases are as typed (the service folds them).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded_terms: Vec<String>,
    pub excluded_phrases: Vec<String>,
    pub filters: Vec<Filter>,
}

impl SearchQuery {
    /// Whether anything restricts by text (as opposed to operators only).
    pub fn has_text(&self) -> bool {
        !(self.terms.is_empty()
            && self.phrases.is_empty()
            && self.excluded_terms.is_empty()
            && self.excluded_phrases.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub kind: FilterKind,
    /// `-from:@bob`: everything but.
    pub negated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterKind {
    From(UserRef),
    In(RoomRef),
    Mentions(UserRef),
    HasImage,
    HasLink,
    IsThread,
    /// Strictly before this day (UTC).
    Before(NaiveDate),
    /// Strictly after this day (UTC).
    After(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    /// `me`: the viewer.
    Me,
    /// `@nick` or `nick`, compared case-insensitively.
    Nickname(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomRef {
    Id(Uuid),
    /// `#name` or `name`, compared case-insensitively with group names.
    Name(String),
}

fn bad(message: impl Into<String>) -> Error {
    Error::invalid("query", message)
}

/// Parses a query. Errors are BAD_USER_INPUT on `query`, naming the operator at fault.
pub fn parse(input: &str) -> Result<SearchQuery> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(bad(format!(
            "a search query has at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let chars: Vec<char> = input.chars().collect();
    let mut query = SearchQuery::default();
    let mut parts = 0usize;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace()) {
            negated = true;
            i += 1;
        }
        parts += 1;
        if parts > MAX_PARTS {
            return Err(bad(format!(
                "a search query has at most {MAX_PARTS} terms and operators"
            )));
        }
        // A phrase: only when the quote is closed; a lone `"` is text.
        if chars[i] == '"'
            && let Some(end) = closing_quote(&chars, i + 1)
        {
            let phrase: String = chars[i + 1..end].iter().collect();
            i = end + 1;
            let phrase = phrase.trim().to_owned();
            if !phrase.is_empty() {
                if negated {
                    query.excluded_phrases.push(phrase);
                } else {
                    query.phrases.push(phrase);
                }
            }
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if let Some((key, rest)) = word.split_once(':') {
            let key = key.to_lowercase();
            if OPERATORS.contains(&key.as_str()) {
                // A quoted value may contain spaces: `in:"release team"`.
                let value = if rest.starts_with('"')
                    && let Some(end) = closing_quote(&chars, start + key.chars().count() + 2)
                {
                    let value: String =
                        chars[start + key.chars().count() + 2..end].iter().collect();
                    i = end + 1;
                    value
                } else {
                    rest.to_owned()
                };
                let kind = operator(&key, value.trim())?;
                query.filters.push(Filter { kind, negated });
                continue;
            }
        }
        if negated {
            query.excluded_terms.push(word);
        } else {
            query.terms.push(word);
        }
    }
    if query.terms.is_empty() && query.phrases.is_empty() && query.filters.is_empty() {
        return Err(bad(
            "type some words to search for, or an operator such as from:@nickname",
        ));
    }
    Ok(query)
}

fn closing_quote(chars: &[char], from: usize) -> Option<usize> {
    (from..chars.len()).find(|&j| chars[j] == '"')
}

fn operator(key: &str, value: &str) -> Result<FilterKind> {
    match key {
        "from" => Ok(FilterKind::From(user_ref("from", value)?)),
        "mentions" => Ok(FilterKind::Mentions(user_ref("mentions", value)?)),
        "in" => {
            let name = value.strip_prefix('#').unwrap_or(value).trim();
            if name.is_empty() {
                return Err(bad("in: needs a room, e.g. in:#general or in:<room id>"));
            }
            Ok(FilterKind::In(match Uuid::parse_str(name) {
                Ok(id) => RoomRef::Id(id),
                Err(_) => RoomRef::Name(name.to_owned()),
            }))
        }
        "has" => match value.to_lowercase().as_str() {
            "image" | "images" => Ok(FilterKind::HasImage),
            "link" | "links" => Ok(FilterKind::HasLink),
            _ => Err(bad("has: takes image or link, e.g. has:link")),
        },
        "is" => match value.to_lowercase().as_str() {
            "thread" => Ok(FilterKind::IsThread),
            _ => Err(bad("is: takes thread, i.e. is:thread")),
        },
        "before" => Ok(FilterKind::Before(date("before", value)?)),
        "after" => Ok(FilterKind::After(date("after", value)?)),
        _ => unreachable!("only OPERATORS reach here"),
    }
}

fn user_ref(key: &str, value: &str) -> Result<UserRef> {
    if value.eq_ignore_ascii_case("me") {
        return Ok(UserRef::Me);
    }
    let nickname = value.strip_prefix('@').unwrap_or(value).trim();
    if nickname.is_empty() {
        return Err(bad(format!(
            "{key}: needs a nickname, e.g. {key}:@alice or {key}:me"
        )));
    }
    Ok(UserRef::Nickname(nickname.to_owned()))
}

fn date(key: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .ok_or_else(|| {
            bad(format!(
                "{key}: needs a date as YYYY-MM-DD, e.g. {key}:2026-01-31"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(input: &str) -> String {
        parse(input).unwrap_err().public_message()
    }

    #[test]
    fn splits_terms_phrases_exclusions_and_operators() {
        let q = parse(r#"deploy "release notes" -staging from:@Alice in:#ops mentions:me has:link is:thread before:2026-02-01 after:2026-01-01"#).unwrap();
        assert_eq!(q.terms, vec!["deploy"]);
        assert_eq!(q.phrases, vec!["release notes"]);
        assert_eq!(q.excluded_terms, vec!["staging"]);
        let kinds: Vec<FilterKind> = q.filters.into_iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            vec![
                FilterKind::From(UserRef::Nickname("Alice".into())),
                FilterKind::In(RoomRef::Name("ops".into())),
                FilterKind::Mentions(UserRef::Me),
                FilterKind::HasLink,
                FilterKind::IsThread,
                FilterKind::Before(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()),
                FilterKind::After(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            ]
        );
    }

    #[test]
    fn quoted_operator_values_and_negated_operators() {
        let q = parse(r#"in:"release team" -from:bob -"old news""#).unwrap();
        assert_eq!(
            q.filters[0].kind,
            FilterKind::In(RoomRef::Name("release team".into()))
        );
        assert!(q.filters[1].negated);
        assert_eq!(q.excluded_phrases, vec!["old news"]);
        let id = Uuid::now_v7();
        let q = parse(&format!("in:{id}")).unwrap();
        assert_eq!(q.filters[0].kind, FilterKind::In(RoomRef::Id(id)));
    }

    #[test]
    fn syntax_characters_are_plain_text() {
        let q = parse(r#"* : NEAR( ' 10:30 https://x.io a"b - ""#).unwrap();
        assert_eq!(
            q.terms,
            vec![
                "*",
                ":",
                "NEAR(",
                "'",
                "10:30",
                "https://x.io",
                "a\"b",
                "-",
                "\""
            ]
        );
        assert!(q.filters.is_empty() && q.phrases.is_empty());
    }

    #[test]
    fn operator_errors_name_the_operator() {
        assert!(message("from:").contains("from:"));
        assert!(message("mentions:@").contains("mentions:"));
        assert!(message("in:#").contains("in:"));
        assert!(message("has:video").contains("has:"));
        assert!(message("is:pinned").contains("is:"));
        assert!(message("before:2026-13-01").contains("before:"));
        assert!(message("after:yesterday").contains("after:"));
        assert_eq!(parse("from:").unwrap_err().field(), Some("query"));
        assert!(parse("   ").is_err());
        assert!(parse(&"a ".repeat(30)).is_err());
        assert!(parse(&"a".repeat(600)).is_err());
    }
}
