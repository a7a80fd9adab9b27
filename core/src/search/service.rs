//! Runs a parsed query: one SQL statement per page, built per backend from bound values only (no query text
//! is ever spliced into SQL or FTS syntax: LIKE patterns are escaped, FTS5 strings quoted, tsqueries built
//! by `phraseto_tsquery`/`plainto_tsquery`, which take plain text).

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{messages, rooms};
use migration::PG_FOLD_FUNCTION;
use migration::search_text::fold;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, Statement,
    Value,
};
use uuid::Uuid;

use super::parse::{self, Filter, FilterKind, RoomRef, SearchQuery, UserRef};
use crate::context::Viewer;
use crate::error::{Error, Result};
use crate::pagination::{self, Page};

/// Hits per page when the client asks for no size.
pub const DEFAULT_PAGE: u64 = 20;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best matches first; equally good ones newest first.
    #[default]
    Relevance,
    /// Newest first.
    Recent,
}

pub struct SearchArgs {
    pub query: String,
    pub first: Option<i32>,
    pub after: Option<String>,
    pub sort: Sort,
    /// PostgreSQL: the most events the viewer's rooms may hold for the search to read them by room rather
    /// than through the trigram index ([`SCAN_SCOPE`] by default).
    pub scan_scope: i64,
}

/// One hit: the message, its room, its score, and the words to highlight in it.
pub struct Hit {
    pub message: messages::Model,
    pub room: rooms::Model,
    pub score: f64,
    pub cursor: String,
    /// What the query matched by (terms, and the words of its phrases), as typed.
    pub needles: Vec<String>,
}

/// `search(query, first, after, sort)`: messages of the rooms the viewer is a member of now (never rooms
/// left, never deleted messages; edited ones by their current text).
pub async fn search(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    args: SearchArgs,
) -> Result<Page<Hit>> {
    let limit = pagination::page_size("first", args.first)?.unwrap_or(DEFAULT_PAGE);
    let after = args
        .after
        .as_deref()
        .map(|c| Cursor::parse(c, args.sort))
        .transpose()?;
    let query = parse::parse(&args.query)?;
    let stmt = statement(
        db,
        viewer,
        &query,
        Plan {
            sort: args.sort,
            after: after.as_ref(),
            limit,
            scan_scope: args.scan_scope,
        },
    )
    .await?;
    let rows = db.query_all_raw(stmt).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in &rows {
        let message = messages::Model::from_query_result(row, "")?;
        let score: f64 = row.try_get("", "score")?;
        hits.push((message, score));
    }
    let more = hits.len() as u64 > limit;
    hits.truncate(limit as usize);

    let room_ids: Vec<Uuid> = hits.iter().map(|(m, _)| m.room_id).collect();
    let rooms: HashMap<Uuid, rooms::Model> = rooms::Entity::find()
        .filter(rooms::Column::Id.is_in(room_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let needles = needles(&query);
    let items = hits
        .into_iter()
        .filter_map(|(message, score)| {
            let room = rooms.get(&message.room_id)?.clone();
            let cursor = Cursor {
                sort: args.sort,
                score,
                at: message.inserted_at,
                id: message.id,
            }
            .encode();
            Some(Hit {
                message,
                room,
                score,
                cursor,
                needles: needles.clone(),
            })
        })
        .collect();
    Ok(Page {
        items,
        has_next_page: more,
        has_previous_page: after.is_some(),
    })
}

/// What highlights look for: the positive terms and the words of the phrases.
fn needles(query: &SearchQuery) -> Vec<String> {
    query
        .terms
        .iter()
        .cloned()
        .chain(
            query
                .phrases
                .iter()
                .flat_map(|p| p.split_whitespace().map(str::to_owned)),
        )
        .collect()
}

/// Position after which the next page starts.
pub struct Cursor {
    sort: Sort,
    score: f64,
    at: DateTime<Utc>,
    id: Uuid,
}

impl Cursor {
    fn encode(&self) -> String {
        let nanos = self.at.timestamp_nanos_opt().unwrap_or_default();
        let raw = match self.sort {
            Sort::Relevance => {
                format!("search:r:{:016x}:{nanos}:{}", self.score.to_bits(), self.id)
            }
            Sort::Recent => format!("search:t:{nanos}:{}", self.id),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    fn parse(cursor: &str, sort: Sort) -> Result<Self> {
        let bad = || Error::invalid("after", "after is not a cursor of this search order");
        if cursor.len() > 200 {
            return Err(bad());
        }
        let raw = URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(bad)?;
        let parts: Vec<&str> = raw.split(':').collect();
        let (score, nanos, id) = match (sort, parts.as_slice()) {
            (Sort::Relevance, ["search", "r", score, nanos, id]) => {
                let bits = u64::from_str_radix(score, 16).map_err(|_| bad())?;
                (f64::from_bits(bits), *nanos, *id)
            }
            (Sort::Recent, ["search", "t", nanos, id]) => (0.0, *nanos, *id),
            _ => return Err(bad()),
        };
        if !score.is_finite() {
            return Err(bad());
        }
        let at = DateTime::from_timestamp_nanos(nanos.parse().map_err(|_| bad())?);
        let id = Uuid::parse_str(id).map_err(|_| bad())?;
        Ok(Cursor {
            sort,
            score,
            at,
            id,
        })
    }
}

/// SQL under construction: text with `?` placeholders and their values in textual order (turned into `$n`
/// for PostgreSQL at the end).
#[derive(Default)]
struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.text.push('?');
        self.values.push(value.into());
        self
    }

    fn append(&mut self, other: Sql) -> &mut Self {
        self.text.push_str(&other.text);
        self.values.extend(other.values);
        self
    }
}

/// `%text%` for LIKE with `\` as the escape character.
fn contains_pattern(folded: &str) -> String {
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
fn fts_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn has_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// The folded forms of the query's texts, in the database's own folding on PostgreSQL (`unaccent`).
struct Folded {
    terms: Vec<String>,
    /// Phrases with words; phrases of punctuation only are matched as terms.
    phrases: Vec<String>,
    excluded_terms: Vec<String>,
    excluded_phrases: Vec<String>,
}

async fn fold_all(db: &impl ConnectionTrait, query: &SearchQuery) -> Result<Folded> {
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

fn finish(backend: DbBackend, sql: Sql) -> Statement {
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
struct Scope {
    rooms: Vec<Uuid>,
    messages: i64,
}

async fn scope(db: &impl ConnectionTrait, viewer: Viewer) -> Result<Scope> {
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
fn prefix_tsquery(folded: &str) -> String {
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

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// One operator's condition on `m`.
fn filter(sql: &mut Sql, viewer: Viewer, kind: &FilterKind, pg: bool) {
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
    fn prefix_tsqueries_hold_only_alphanumeric_words() {
        assert_eq!(
            prefix_tsquery("deploy-now's"),
            "'deploy':* & 'now':* & 's':*"
        );
        assert_eq!(prefix_tsquery("배포"), "'배포':*");
    }

    #[test]
    fn fts_strings_quote_everything() {
        assert_eq!(fts_string("a\"b NEAR( *"), "\"a\"\"b NEAR( *\"");
    }

    #[test]
    fn cursors_round_trip_and_belong_to_one_order() {
        let c = Cursor {
            sort: Sort::Relevance,
            score: 1.25,
            at: crate::clock::now(),
            id: Uuid::now_v7(),
        };
        let parsed = Cursor::parse(&c.encode(), Sort::Relevance).unwrap();
        assert_eq!((parsed.score, parsed.at, parsed.id), (c.score, c.at, c.id));
        assert!(Cursor::parse(&c.encode(), Sort::Recent).is_err());
        assert!(Cursor::parse("garbage", Sort::Recent).is_err());
    }
}
