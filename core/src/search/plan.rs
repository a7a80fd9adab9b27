//! The search statement of a page: which index answers (trigram, full-text, FTS5, or a scan of a small scope)
//! and the SQL per backend.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use super::parse::{Filter, FilterKind, SearchQuery};
use crate::context::Viewer;
use crate::error::{Error, Result};

use super::service::{Cursor, Sort};
use super::sql::*;

/// How one page is read.
pub struct Plan<'a> {
    pub sort: Sort,
    pub after: Option<&'a Cursor>,
    pub limit: u64,
    pub scan_scope: i64,
}

/// Rooms whose messages a PostgreSQL search reads by room (index on `room_id`) rather than through the
/// trigram index, by their total number of events (`rooms.last_seq`, a bound on their messages).
pub const SCAN_SCOPE: i64 = 150_000;

/// The viewer's rooms now, and how many events they hold.
pub(super) struct Scope {
    pub(super) rooms: Vec<Uuid>,
    pub(super) messages: i64,
}

pub(super) async fn scope(db: &impl ConnectionTrait, viewer: Viewer) -> Result<Scope> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT r.id, r.last_seq FROM room_users ru JOIN rooms r ON r.id = ru.room_id \
         WHERE ru.user_id = ",
    )
    .bind(viewer.user_id)
    .push(" AND ru.left_at IS NULL");
    let rows = db.query_all_raw(finish(DbBackend::Postgres, sql)).await?;
    let mut scope = Scope {
        rooms: Vec::with_capacity(rows.len()),
        messages: 0,
    };
    for row in rows {
        scope.rooms.push(row.try_get("", "id")?);
        scope.messages += row.try_get::<i64>("", "last_seq")?;
    }
    if scope.rooms.is_empty() {
        // `IN ()` is not SQL; a room id that cannot exist keeps the statement valid and empty.
        scope.rooms.push(Uuid::nil());
    }
    Ok(scope)
}

/// A prefix tsquery (`'dep':* & 'loy':*`) of the words of a folded term. Words are alphanumeric only, so
/// nothing in them can be tsquery syntax.
pub(super) fn prefix_tsquery(folded: &str) -> String {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("'{w}':*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The statement of one page: exposed so the benchmark can `EXPLAIN` exactly what the service runs.
pub async fn statement(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    query: &SearchQuery,
    plan: Plan<'_>,
) -> Result<Statement> {
    let Plan {
        sort,
        after,
        limit,
        scan_scope,
    } = plan;
    let backend = db.get_database_backend();
    let pg = match backend {
        DbBackend::Postgres => true,
        DbBackend::Sqlite => false,
        _ => return Err(Error::internal("search supports PostgreSQL and SQLite")),
    };
    let folded = fold_all(db, query).await?;
    let scope = if pg {
        Some(scope(db, viewer).await?)
    } else {
        None
    };
    let text = !(folded.terms.is_empty()
        && folded.phrases.is_empty()
        && folded.excluded_terms.is_empty()
        && folded.excluded_phrases.is_empty());
    // Where the folded text is: a generated column on PostgreSQL, the FTS5 table on SQLite.
    let body = if pg { "m.search_text" } else { "s.body" };

    let mut score = Sql::default();
    let positive = !(folded.terms.is_empty() && folded.phrases.is_empty());
    if sort == Sort::Recent || !positive {
        score.push("0");
    } else if pg {
        // Per term: 2 when it is a whole word of the message, 1 more when it begins one (both answered by
        // the tsvector), plus the full-text rank of the words that appear whole (frequency, density).
        score.push("(0");
        for t in folded.terms.iter().filter(|t| has_word(t)) {
            score
                .push(" + 2 * CAST(m.search_tsv @@ plainto_tsquery('simple', ")
                .bind(t.clone())
                .push(") AS integer) + CAST(m.search_tsv @@ to_tsquery('simple', ")
                .bind(prefix_tsquery(t))
                .push(") AS integer)");
        }
        let words = folded
            .terms
            .iter()
            .chain(&folded.phrases)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        score
            .push(" + ts_rank(m.search_tsv, plainto_tsquery('simple', ")
            .bind(words)
            .push(")))");
    } else {
        // Per term: 2 when it is a whole word of the message, 1 more when it begins one.
        score.push("(0");
        for t in folded.terms.iter().filter(|t| has_word(t)) {
            score
                .push(" + (CASE WHEN r.id IN (SELECT rowid FROM message_words WHERE message_words MATCH ")
                .bind(fts_string(t))
                .push(") THEN 2 ELSE 0 END)")
                .push(" + (CASE WHEN r.id IN (SELECT rowid FROM message_words WHERE message_words MATCH ")
                .bind(format!("{} *", fts_string(t)))
                .push(") THEN 1 ELSE 0 END)");
        }
        score.push(")");
    }

    let mut sql = Sql::default();
    sql.push(
        "SELECT hits.* FROM (SELECT m.id, m.room_id, m.seq, m.sender_id, m.parent_id, m.content, \
         m.client_id, m.inserted_at, m.edited_at, m.deleted_at, CAST(",
    )
    .append(score)
    .push(if pg {
        " AS double precision) AS score "
    } else {
        " AS REAL) AS score "
    })
    .push("FROM messages m");
    if text && !pg {
        sql.push(
            " JOIN message_search_rows r ON r.message_id = m.id \
             JOIN message_search s ON s.rowid = r.id",
        );
    }
    match &scope {
        // Bound parameters are limited (65,535 a statement); beyond a few thousand rooms the subquery does.
        Some(scope) if scope.rooms.len() <= 5_000 => {
            sql.push(" WHERE m.room_id IN (");
            for (i, room) in scope.rooms.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(*room);
            }
            sql.push(")");
        }
        _ => {
            sql.push(
                " WHERE m.room_id IN (SELECT ru.room_id FROM room_users ru WHERE ru.user_id = ",
            )
            .bind(viewer.user_id)
            .push(" AND ru.left_at IS NULL)");
        }
    }
    sql.push(" AND m.deleted_at IS NULL");

    // Free text.
    if pg {
        // When the viewer's rooms hold few messages, reading them all (index on `room_id`) beats
        // intersecting the trigram index, whose posting lists for a common term span the whole table. The
        // planner cannot know that, so there the match is `strpos`, which no index serves (and which is
        // cheaper than LIKE per row); otherwise LIKE, which the trigram index answers. Terms under three
        // characters (two CJK characters, an emoji) have no trigram: an index scan for them would read the
        // whole index, so they are always matched with `strpos` on the rows the other conditions leave.
        let scan = scope.as_ref().is_some_and(|s| s.messages <= scan_scope);
        for t in &folded.terms {
            if scan || t.chars().count() < 3 {
                sql.push(" AND strpos(m.search_text, ")
                    .bind(t.clone())
                    .push(") > 0");
            } else {
                sql.push(" AND m.search_text LIKE ")
                    .bind(contains_pattern(t))
                    .push(" ESCAPE '\\'");
            }
        }
        for p in &folded.phrases {
            sql.push(" AND m.search_tsv @@ phraseto_tsquery('simple', ")
                .bind(p.clone())
                .push(")");
        }
        for p in &folded.excluded_phrases {
            sql.push(" AND NOT (m.search_tsv @@ phraseto_tsquery('simple', ")
                .bind(p.clone())
                .push("))");
        }
    } else {
        // Trigrams need three characters; shorter terms are matched with LIKE on the candidates.
        let (long, short): (Vec<&String>, Vec<&String>) =
            folded.terms.iter().partition(|t| t.chars().count() >= 3);
        if !long.is_empty() {
            let expr = long
                .iter()
                .map(|t| fts_string(t))
                .collect::<Vec<_>>()
                .join(" AND ");
            sql.push(" AND s.body MATCH ").bind(expr);
        }
        for t in short {
            sql.push(" AND s.body LIKE ")
                .bind(contains_pattern(t))
                .push(" ESCAPE '\\'");
        }
        for p in &folded.phrases {
            sql.push(" AND r.id IN (SELECT rowid FROM message_words WHERE message_words MATCH ")
                .bind(fts_string(p))
                .push(")");
        }
        for p in &folded.excluded_phrases {
            sql.push(
                " AND r.id NOT IN (SELECT rowid FROM message_words WHERE message_words MATCH ",
            )
            .bind(fts_string(p))
            .push(")");
        }
    }
    for t in &folded.excluded_terms {
        sql.push(&format!(" AND {body} NOT LIKE "))
            .bind(contains_pattern(t))
            .push(" ESCAPE '\\'");
    }

    // Operators: several `from:` (or `in:`) mean any of them; everything else must hold together.
    let (from, rest): (Vec<&Filter>, Vec<&Filter>) = query
        .filters
        .iter()
        .partition(|f| matches!(f.kind, FilterKind::From(_)) && !f.negated);
    let (inside, rest): (Vec<&Filter>, Vec<&Filter>) = rest
        .into_iter()
        .partition(|f| matches!(f.kind, FilterKind::In(_)) && !f.negated);
    for group in [from, inside] {
        if group.is_empty() {
            continue;
        }
        sql.push(" AND (");
        for (i, f) in group.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            filter(&mut sql, viewer, &f.kind, pg);
        }
        sql.push(")");
    }
    for f in rest {
        if f.negated {
            sql.push(" AND NOT COALESCE((");
            filter(&mut sql, viewer, &f.kind, pg);
            sql.push("), FALSE)");
        } else {
            sql.push(" AND ");
            filter(&mut sql, viewer, &f.kind, pg);
        }
    }
    sql.push(") hits");

    if let Some(c) = after {
        sql.push(" WHERE ");
        if sort == Sort::Relevance {
            sql.push("(hits.score < ")
                .bind(c.score)
                .push(" OR (hits.score = ")
                .bind(c.score)
                .push(" AND ");
        }
        sql.push("(hits.inserted_at < ")
            .bind(c.at)
            .push(" OR (hits.inserted_at = ")
            .bind(c.at)
            .push(" AND hits.id < ")
            .bind(c.id)
            .push("))");
        if sort == Sort::Relevance {
            sql.push("))");
        }
    }
    sql.push(" ORDER BY ");
    if sort == Sort::Relevance {
        sql.push("hits.score DESC, ");
    }
    sql.push("hits.inserted_at DESC, hits.id DESC LIMIT ")
        .bind((limit + 1) as i64);
    Ok(finish(backend, sql))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_tsqueries_hold_only_alphanumeric_words() {
        assert_eq!(
            prefix_tsquery("deploy-now's"),
            "'deploy':* & 'now':* & 's':*"
        );
        assert_eq!(prefix_tsquery("배포"), "'배포':*");
    }
}
