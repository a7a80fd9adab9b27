//! Message search: a query language (free text, `"phrases"`, `-exclusions` and operators such as `from:`),
//! run over the messages of the rooms the viewer is a member of now, ranked by relevance or recency, with
//! highlighted matches.
//!
//! Matching is on folded text (case and accents removed): a free-text term matches as a substring, so
//! `deploy` finds `redeploy` and `배포` finds `배포했습니다`; a phrase matches whole words in order. Storage is
//! per backend (see the `message_search` migration): on PostgreSQL generated columns with trigram and
//! full-text GIN indexes, on SQLite FTS5 tables that [`index::sync`] keeps current in each write's
//! transaction.

pub mod highlight;
pub mod index;
pub mod parse;
pub mod plan;
pub mod service;
pub mod sql;
