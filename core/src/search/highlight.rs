//! Where a query matched inside a message: ranges over the original text (found in its folded form, so
//! `deploy` highlights `DÉPLOY` too), and a short snippet split into plain and matched parts. Never markup:
//! clients render the parts themselves.

use migration::search_text::{fold, fold_char};

/// Characters of context kept before the first match in a snippet.
const SNIPPET_BEFORE: usize = 40;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

/// A matched range of the content, in UTF-16 code units (the unit of JavaScript string indices), end
/// exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range16 {
    pub start: usize,
    pub end: usize,
}

/// One part of a snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub matched: bool,
}

/// Matched ranges in character indices (sorted, merged), for `needles` (as typed; folded here).
fn char_ranges(content: &str, needles: &[String]) -> Vec<(usize, usize)> {
    // The folded text, with the index of the original character each folded character came from.
    let mut folded: Vec<char> = Vec::with_capacity(content.len());
    let mut origin: Vec<usize> = Vec::with_capacity(content.len());
    let mut buf = String::new();
    for (index, c) in content.chars().enumerate() {
        buf.clear();
        fold_char(c, &mut buf);
        for f in buf.chars() {
            folded.push(f);
            origin.push(index);
        }
    }
    let mut ranges = Vec::new();
    for needle in needles {
        let needle: Vec<char> = fold(needle).chars().collect();
        if needle.is_empty() || needle.len() > folded.len() {
            continue;
        }
        let mut at = 0;
        while at + needle.len() <= folded.len() {
            if folded[at..at + needle.len()] == needle[..] {
                ranges.push((origin[at], origin[at + needle.len() - 1] + 1));
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The matched ranges of `needles` in `content`, in UTF-16 code units.
pub fn ranges(content: &str, needles: &[String]) -> Vec<Range16> {
    let chars = char_ranges(content, needles);
    if chars.is_empty() {
        return Vec::new();
    }
    // UTF-16 offset of each character index (plus the end).
    let mut offsets = Vec::with_capacity(content.len() + 1);
    let mut at = 0;
    for c in content.chars() {
        offsets.push(at);
        at += c.len_utf16();
    }
    offsets.push(at);
    chars
        .into_iter()
        .map(|(start, end)| Range16 {
            start: offsets[start],
            end: offsets[end],
        })
        .collect()
}

/// A snippet of `content` around its first match, split into plain and matched parts (the whole text when
/// it is short). Parts at a cut start or end with `…`.
pub fn snippet(content: &str, needles: &[String]) -> Vec<Part> {
    let chars: Vec<char> = content.chars().collect();
    let matches = char_ranges(content, needles);
    let first = matches.first().map_or(0, |m| m.0);
    let start = if chars.len() <= SNIPPET_CHARS {
        0
    } else {
        first
            .saturating_sub(SNIPPET_BEFORE)
            .min(chars.len() - SNIPPET_CHARS)
    };
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut parts: Vec<Part> = Vec::new();
    let mut push = |text: String, matched: bool| {
        if !text.is_empty() {
            parts.push(Part { text, matched });
        }
    };
    let mut at = start;
    for (m_start, m_end) in matches {
        let (m_start, m_end) = (m_start.max(start), m_end.min(end));
        if m_start >= m_end {
            continue;
        }
        push(chars[at..m_start].iter().collect(), false);
        push(chars[m_start..m_end].iter().collect(), true);
        at = m_end;
    }
    push(chars[at..end].iter().collect(), false);
    if start > 0
        && let Some(first) = parts.first_mut()
    {
        first.text.insert(0, '…');
    }
    if end < chars.len()
        && let Some(last) = parts.last_mut()
    {
        last.text.push('…');
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ranges_are_utf16_offsets_of_folded_matches() {
        let content = "🚀 Redeploy the DÉPLOYMENT";
        let found = ranges(content, &needles(&["deploy"]));
        let utf16: Vec<u16> = content.encode_utf16().collect();
        let texts: Vec<String> = found
            .iter()
            .map(|r| String::from_utf16(&utf16[r.start..r.end]).unwrap())
            .collect();
        assert_eq!(texts, vec!["deploy", "DÉPLOY"]);
        assert_eq!(found[0].start, 5, "the rocket is two UTF-16 units");
    }

    #[test]
    fn overlapping_matches_merge_and_cjk_substrings_match() {
        assert_eq!(
            ranges("배포했습니다", &needles(&["배포", "포했"])),
            vec![Range16 { start: 0, end: 3 }]
        );
        assert!(ranges("nothing here", &needles(&["zzz"])).is_empty());
    }

    #[test]
    fn snippets_cut_long_text_around_the_first_match() {
        let long = format!("{} needle {}", "a".repeat(300), "b".repeat(300));
        let parts = snippet(&long, &needles(&["needle"]));
        assert!(parts[0].text.starts_with('…'));
        assert!(parts.last().unwrap().text.ends_with('…'));
        assert_eq!(
            parts[1],
            Part {
                text: "needle".into(),
                matched: true
            }
        );
        let short = snippet("Ship it now", &needles(&["it"]));
        assert_eq!(
            short,
            vec![
                Part {
                    text: "Ship ".into(),
                    matched: false
                },
                Part {
                    text: "it".into(),
                    matched: true
                },
                Part {
                    text: " now".into(),
                    matched: false
                },
            ]
        );
    }
}
