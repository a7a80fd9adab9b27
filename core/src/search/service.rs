//! Runs a parsed query: one SQL statement per page, built per backend from bound values only (no query text
//! is ever spliced into SQL or FTS syntax: LIKE patterns are escaped, FTS5 strings quoted, tsqueries built
//! by `phraseto_tsquery`/`plainto_tsquery`, which take plain text).

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::{messages, rooms};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};
use uuid::Uuid;

use super::parse::{self, SearchQuery};
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};
use crate::pagination::Page;

use super::plan::{Plan, statement};

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
    /// Most hits on the page.
    pub limit: u64,
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

/// `search` for a caller: within their search rate, then [`search`].
pub async fn search_as(deps: &Deps, viewer: Viewer, args: SearchArgs) -> Result<Page<Hit>> {
    deps.rate.search(viewer.user_id).await?;
    search(&deps.db, viewer, args).await
}

/// Messages of the rooms the viewer is a member of now (never rooms
/// left, never deleted messages; edited ones by their current text).
pub async fn search(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    args: SearchArgs,
) -> Result<Page<Hit>> {
    let limit = args.limit;
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
    pub(super) sort: Sort,
    pub(super) score: f64,
    pub(super) at: DateTime<Utc>,
    pub(super) id: Uuid,
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

#[cfg(test)]
mod tests {
    use super::*;

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
