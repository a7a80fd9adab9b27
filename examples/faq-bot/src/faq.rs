//! The FAQ file and keyword matching: no I/O besides loading, so the matching is unit-tested on its own.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

/// A FAQ file (JSON): `{"entries": [{"topic", "keywords": [..], "answer"}], "fallback"?}`.
#[derive(Debug, Deserialize)]
pub struct Faq {
    pub entries: Vec<Entry>,
    /// Said before the list of topics when nothing matches.
    #[serde(default = "default_fallback")]
    pub fallback: String,
}

#[derive(Debug, Deserialize)]
pub struct Entry {
    /// A short name, listed in the fallback answer.
    pub topic: String,
    /// Words or phrases ("reset password"); matched as whole words, ignoring case.
    pub keywords: Vec<String>,
    pub answer: String,
}

fn default_fallback() -> String {
    "Sorry, I don't know that one. I can answer questions about:".to_owned()
}

impl Faq {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the FAQ file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in the FAQ file {}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let faq: Faq = serde_json::from_str(text)?;
        if faq.entries.is_empty() {
            bail!("no entries");
        }
        for entry in &faq.entries {
            if entry.keywords.iter().all(|k| words(k).is_empty()) {
                bail!("the entry {:?} has no keywords", entry.topic);
            }
        }
        Ok(faq)
    }

    /// The entry matching most of its keywords in `question` (the first such entry on a tie), if any.
    pub fn best_match(&self, question: &str) -> Option<&Entry> {
        let asked = question_words(question);
        let mut best: Option<(usize, &Entry)> = None;
        for entry in &self.entries {
            let score = entry
                .keywords
                .iter()
                .filter(|k| contains_phrase(&asked, &words(k)))
                .count();
            if score > 0 && best.is_none_or(|(top, _)| score > top) {
                best = Some((score, entry));
            }
        }
        best.map(|(_, entry)| entry)
    }

    /// What the bot says to `question`: the best entry's answer, or the fallback listing the topics.
    pub fn answer(&self, question: &str) -> String {
        match self.best_match(question) {
            Some(entry) => entry.answer.clone(),
            None => {
                let topics: Vec<&str> = self.entries.iter().map(|e| e.topic.as_str()).collect();
                format!("{} {}.", self.fallback, topics.join(", "))
            }
        }
    }
}

/// The words of a message, leaving out `@mentions` (the bot's own name must not match a keyword).
fn question_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|token| !token.starts_with('@'))
        .flat_map(words)
        .collect()
}

/// Lower-cased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `phrase` occurs as consecutive words of `text`; a word also matches its plural with "s".
fn contains_phrase(text: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && text.windows(phrase.len()).any(|window| {
            window
                .iter()
                .zip(phrase)
                .all(|(w, k)| w == k || w.strip_suffix('s') == Some(k.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faq() -> Faq {
        Faq::parse(
            r#"{"entries": [
                {"topic": "passwords", "keywords": ["password", "reset password", "forgot"], "answer": "PW"},
                {"topic": "uploads", "keywords": ["upload", "image"], "answer": "UP"},
                {"topic": "bots", "keywords": ["bot", "token"], "answer": "BOT"}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_keyword_matches_as_a_whole_word_ignoring_case_and_punctuation() {
        let faq = faq();
        assert_eq!(faq.answer("How do I change my PASSWORD?"), "PW");
        assert_eq!(faq.answer("upload: how?"), "UP");
        // Inside a longer word it is not a match.
        assert_eq!(
            faq.best_match("passwordless sign-in").map(|e| &e.topic),
            None
        );
    }

    #[test]
    fn plurals_and_phrases_match() {
        let faq = faq();
        assert_eq!(faq.answer("can I send images"), "UP");
        assert_eq!(faq.answer("I want to reset   password now"), "PW");
        assert_eq!(
            faq.best_match("password reset").map(|e| e.answer.as_str()),
            Some("PW")
        );
    }

    #[test]
    fn the_entry_with_most_keywords_found_wins_and_the_first_on_a_tie() {
        let faq = faq();
        // One keyword of uploads, two of bots.
        assert_eq!(faq.answer("upload a token for my bot"), "BOT");
        // One each: the earlier entry.
        assert_eq!(faq.answer("image of a bot"), "UP");
    }

    #[test]
    fn mentions_are_not_words_of_the_question() {
        let faq = faq();
        assert_eq!(faq.best_match("@bot hello").map(|e| &e.topic), None);
        assert_eq!(faq.answer("@bot what about tokens"), "BOT");
    }

    #[test]
    fn without_a_match_the_answer_lists_the_topics() {
        let faq = faq();
        assert_eq!(
            faq.answer("@faq what is the meaning of life"),
            "Sorry, I don't know that one. I can answer questions about: passwords, uploads, bots."
        );
    }

    #[test]
    fn a_file_without_entries_or_keywords_is_refused() {
        assert!(Faq::parse(r#"{"entries": []}"#).is_err());
        let no_keywords =
            r#"{"entries": [{"topic": "t", "keywords": ["  ", "?"], "answer": "a"}]}"#;
        assert!(Faq::parse(no_keywords).is_err());
        assert!(Faq::parse("not json").is_err());
    }

    #[test]
    fn the_example_file_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("faq.json");
        let faq = Faq::load(&path).unwrap();
        assert!(faq.answer("I forgot my password").contains("password"));
    }
}
