//! Message search.
//!
//! PostgreSQL: two stored generated columns on `messages`, so every insert, edit and delete keeps them
//! current without application code: `search_text` (the content folded: `lower(unaccent(content))`, or
//! `lower(content)` where the `unaccent` extension is not installed) with a `pg_trgm` GIN index for
//! substring matches (partial words, CJK), and `search_tsv` (`to_tsvector('simple', …)` of the same text)
//! with a GIN index for phrases and word ranking.
//!
//! SQLite: FTS5 tables of the folded text ([`crate::search_text::fold`]): `message_search` with the
//! `trigram` tokenizer (substrings) and `message_words` with `unicode61` (phrases, word ranking), both keyed
//! by `message_search_rows.id` (FTS5 rows need an integer key; `messages` has UUIDs). The application keeps
//! them in sync in the transaction of each message write; this migration fills them for existing messages.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::search_text::fold;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The SQL function that folds text for search on PostgreSQL (also applied to query terms).
pub const PG_FOLD_FUNCTION: &str = "chorus_search_fold";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    .await?;
                let unaccent = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT 1 AS one FROM pg_available_extensions WHERE name = 'unaccent'",
                    ))
                    .await?
                    .is_some();
                let body = if unaccent {
                    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS unaccent")
                        .await?;
                    let schema: String = db
                        .query_one_raw(Statement::from_string(
                            DbBackend::Postgres,
                            "SELECT n.nspname AS schema FROM pg_extension e \
                             JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'",
                        ))
                        .await?
                        .ok_or_else(|| DbErr::Migration("unaccent was not installed".into()))?
                        .try_get("", "schema")?;
                    let schema = schema.replace('"', "\"\"");
                    // unaccent() is only STABLE (its dictionary could change); naming the dictionary makes the
                    // result depend on its input alone, which is what a generated column needs.
                    format!(
                        "SELECT pg_catalog.lower(\"{schema}\".unaccent('\"{schema}\".unaccent'::regdictionary, $1))"
                    )
                } else {
                    "SELECT pg_catalog.lower($1)".to_owned()
                };
                db.execute_unprepared(&format!(
                    "CREATE OR REPLACE FUNCTION {PG_FOLD_FUNCTION}(text) RETURNS text \
                     LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$ {body} $fold$"
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "ALTER TABLE messages \
                     ADD COLUMN search_text text GENERATED ALWAYS AS ({PG_FOLD_FUNCTION}(content)) STORED, \
                     ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS \
                       (to_tsvector('simple'::regconfig, coalesce({PG_FOLD_FUNCTION}(content), ''))) STORED"
                ))
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_messages_search_trgm ON messages USING gin (search_text gin_trgm_ops)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_messages_search_tsv ON messages USING gin (search_tsv)",
                )
                .await?;
                // `from:` filters on the sender: the existing (sender, room, clientId) index serves it.
            }
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE TABLE message_search_rows (\
                       id INTEGER PRIMARY KEY, \
                       message_id BLOB NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE message_search USING fts5(body, tokenize = 'trigram')",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE message_words USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
                )
                .await?;
                db.execute_unprepared(
                    "INSERT INTO message_search_rows (message_id) \
                     SELECT id FROM messages WHERE content IS NOT NULL AND deleted_at IS NULL",
                )
                .await?;
                let rows = db
                    .query_all_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        "SELECT r.id AS row_id, m.content AS content FROM message_search_rows r \
                         JOIN messages m ON m.id = r.message_id",
                    ))
                    .await?;
                for row in rows {
                    let row_id: i64 = row.try_get("", "row_id")?;
                    let content: String = row.try_get("", "content")?;
                    let body = fold(&content);
                    for table in ["message_search", "message_words"] {
                        db.execute_raw(Statement::from_sql_and_values(
                            DbBackend::Sqlite,
                            format!("INSERT INTO {table} (rowid, body) VALUES (?, ?)"),
                            [row_id.into(), body.clone().into()],
                        ))
                        .await?;
                    }
                }
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "message search: unsupported backend {other:?}"
                )));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE messages DROP COLUMN IF EXISTS search_tsv, DROP COLUMN IF EXISTS search_text",
                )
                .await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {PG_FOLD_FUNCTION}(text)"))
                    .await?;
            }
            _ => {
                for table in ["message_words", "message_search", "message_search_rows"] {
                    db.execute_unprepared(&format!("DROP TABLE IF EXISTS {table}"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}
