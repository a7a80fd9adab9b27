//! The folded form of message text that the SQLite search index stores and that queries and highlights are
//! compared in: lower case, without accents (é → e, ø → o, ß → ss). It lives here because the migration that
//! creates the SQLite index fills it for existing messages; the `schema` crate's search module uses the same
//! function for every later write, so index and queries always agree. (PostgreSQL folds in SQL with
//! `unaccent` + `lower`, see the migration; the few letters below match what `unaccent` does with them.)

use unicode_normalization::UnicodeNormalization;

/// `text` folded for matching: case and accents removed, everything else (CJK, emoji, punctuation) kept.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Folds one character onto `out` (zero, one or several characters). Folding character by character keeps
/// a mapping from folded positions back to the original text, which highlights need.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // Letters that do not decompose into a base letter and a mark.
    let special = match c {
        'ß' | 'ẞ' => Some("ss"),
        'æ' | 'Æ' => Some("ae"),
        'œ' | 'Œ' => Some("oe"),
        'ø' | 'Ø' => Some("o"),
        'ł' | 'Ł' => Some("l"),
        'đ' | 'Đ' => Some("d"),
        'ı' => Some("i"),
        'þ' | 'Þ' => Some("th"),
        _ => None,
    };
    if let Some(s) = special {
        out.push_str(s);
        return;
    }
    // Decompose, drop the accents, compose again. Only the diacritic blocks go: marks that change a letter
    // in other scripts (Japanese voicing marks, Indic vowel signs) stay. Hangul syllables decompose into
    // jamo, which are letters, so they come back whole.
    let base: String = std::iter::once(c)
        .nfd()
        .filter(|m| !is_diacritic(*m))
        .nfc()
        .collect();
    for b in base.chars() {
        out.extend(b.to_lowercase());
    }
}

fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_and_accents_and_keeps_cjk_and_emoji() {
        assert_eq!(fold("Déploiement ÉCOLE"), "deploiement ecole");
        assert_eq!(fold("Straße Søren Œuvre"), "strasse soren oeuvre");
        assert_eq!(fold("배포했습니다"), "배포했습니다");
        assert_eq!(fold("デプロイ 🚀"), "デプロイ 🚀");
        assert_eq!(fold("e\u{301}"), "e");
        assert_eq!(fold("🚀 Ship it"), "🚀 ship it");
    }
}
