//! The backend-neutral pieces of a search statement: a small SQL builder with bound values, LIKE/FTS/tsquery
//! spellings of folded text, and the WHERE clauses of operators.

use chrono::{DateTime, Days, NaiveDate, Utc};
use migration::PG_FOLD_FUNCTION;
use migration::search_text::fold;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use super::parse::{FilterKind, RoomRef, SearchQuery, UserRef};
use crate::context::Viewer;
use crate::error::{Error, Result};

/// SQL under construction: text with `?` placeholders and their values in textual order (turned into `$n`
/// for PostgreSQL at the end).
#[derive(Default)]
pub(super) struct Sql {
    pub(super) text: String,
    pub(super) values: Vec<Value>,
}

impl Sql {
    pub(super) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub(super) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.text.push('?');
        self.values.push(value.into());
        self
    }

    pub(super) fn append(&mut self, other: Sql) -> &mut Self {
        self.text.push_str(&other.text);
        self.values.extend(other.values);
        self
    }
}

/// `%text%` for LIKE with `\` as the escape character.
pub(super) fn contains_pattern(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len() + 2);
    out.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// An FTS5 string: `"…"` with inner quotes doubled, so any text is a literal.
pub(super) fn fts_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

pub(super) fn has_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// The folded forms of the query's texts, in the database's own folding on PostgreSQL (`unaccent`).
pub(super) struct Folded {
    pub(super) terms: Vec<String>,
    /// Phrases with words; phrases of punctuation only are matched as terms.
    pub(super) phrases: Vec<String>,
    pub(super) excluded_terms: Vec<String>,
    pub(super) excluded_phrases: Vec<String>,
}

pub(super) async fn fold_all(db: &impl ConnectionTrait, query: &SearchQuery) -> Result<Folded> {
    let (mut terms, mut excluded_terms) = (query.terms.clone(), query.excluded_terms.clone());
    let mut phrases = Vec::new();
    for p in &query.phrases {
        if has_word(p) {
            phrases.push(p.clone())
        } else {
            terms.push(p.clone())
        }
    }
    let mut excluded_phrases = Vec::new();
    for p in &query.excluded_phrases {
        if has_word(p) {
            excluded_phrases.push(p.clone())
        } else {
            excluded_terms.push(p.clone())
        }
    }
    let lists = [terms, phrases, excluded_terms, excluded_phrases];
    let all: Vec<&String> = lists.iter().flatten().collect();
    let folded: Vec<String> = if db.get_database_backend() == DbBackend::Postgres && !all.is_empty()
    {
        let mut sql = Sql::default();
        sql.push("SELECT ");
        for (i, text) in all.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(&format!("{PG_FOLD_FUNCTION}(CAST("))
                .bind((*text).clone())
                .push(&format!(" AS text)) AS f{i}"));
        }
        let row = db
            .query_one_raw(finish(DbBackend::Postgres, sql))
            .await?
            .ok_or_else(|| Error::internal("folding returned no row"))?;
        (0..all.len())
            .map(|i| row.try_get::<String>("", &format!("f{i}")))
            .collect::<std::result::Result<_, _>>()?
    } else {
        all.iter().map(|t| fold(t)).collect()
    };
    let mut folded = folded.into_iter();
    let mut take = |n: usize| -> Vec<String> {
        folded
            .by_ref()
            .take(n)
            .filter(|t| !t.trim().is_empty())
            .collect()
    };
    let [terms, phrases, excluded_terms, excluded_phrases] = lists.map(|l| l.len());
    Ok(Folded {
        terms: take(terms),
        phrases: take(phrases),
        excluded_terms: take(excluded_terms),
        excluded_phrases: take(excluded_phrases),
    })
}

pub(super) fn finish(backend: DbBackend, sql: Sql) -> Statement {
    let text = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.text.len() + 16);
        let mut n = 0;
        for c in sql.text.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.text
    };
    Statement::from_sql_and_values(backend, text, sql.values)
}

pub(super) fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// One operator's condition on `m`.
pub(super) fn filter(sql: &mut Sql, viewer: Viewer, kind: &FilterKind, pg: bool) {
    let user = |sql: &mut Sql, column: &str, who: &UserRef| match who {
        UserRef::Me => {
            sql.push(&format!("{column} = ")).bind(viewer.user_id);
        }
        UserRef::Nickname(nick) => {
            sql.push(&format!(
                "{column} IN (SELECT u.id FROM users u WHERE lower(u.nickname) = lower("
            ))
            .bind(nick.clone())
            .push("))");
        }
    };
    match kind {
        FilterKind::From(who) => user(sql, "m.sender_id", who),
        FilterKind::Mentions(who) => {
            sql.push("m.id IN (SELECT mn.message_id FROM mentions mn WHERE ");
            user(sql, "mn.mentioned_user_id", who);
            sql.push(")");
        }
        FilterKind::In(RoomRef::Id(id)) => {
            sql.push("m.room_id = ").bind(*id);
        }
        FilterKind::In(RoomRef::Name(name)) => {
            sql.push("m.room_id IN (SELECT rm.id FROM rooms rm WHERE lower(rm.name) = lower(")
                .bind(name.clone())
                .push("))");
        }
        FilterKind::HasImage => {
            sql.push(
                "EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id \
                 AND a.content_type LIKE 'image/%')",
            );
        }
        FilterKind::HasLink => {
            // SQLite's LIKE ignores ASCII case; PostgreSQL compares the folded text.
            let column = if pg { "m.search_text" } else { "m.content" };
            sql.push(&format!(
                "({column} LIKE '%http://%' OR {column} LIKE '%https://%')"
            ));
        }
        FilterKind::IsThread => {
            sql.push(
                "(m.parent_id IS NOT NULL OR EXISTS \
                 (SELECT 1 FROM messages rp WHERE rp.parent_id = m.id))",
            );
        }
        FilterKind::Before(day) => {
            sql.push("m.inserted_at < ").bind(start_of(*day));
        }
        FilterKind::After(day) => {
            let next = day.checked_add_days(Days::new(1)).unwrap_or(*day);
            sql.push("m.inserted_at >= ").bind(start_of(next));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn fts_strings_quote_everything() {
        assert_eq!(fts_string("a\"b NEAR( *"), "\"a\"\"b NEAR( *\"");
    }
}
