//! Keeps the search index in step with message writes. PostgreSQL needs nothing (generated columns); on
//! SQLite the FTS5 tables are written here, inside the caller's transaction, so the index never disagrees
//! with a committed message.

use migration::search_text::fold;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::error::Result;

const FTS_TABLES: [&str; 2] = ["message_search", "message_words"];

/// Records a message's current text: `Some` after an insert or edit, `None` once it is deleted (it then
/// leaves the index).
pub async fn sync(
    txn: &impl ConnectionTrait,
    message_id: Uuid,
    content: Option<&str>,
) -> Result<()> {
    if txn.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    let row_id = txn
        .query_one_raw(stmt(
            "SELECT id FROM message_search_rows WHERE message_id = ?",
            [message_id.into()],
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "id"))
        .transpose()?;
    match (content, row_id) {
        (Some(content), Some(row_id)) => {
            let body = fold(content);
            for table in FTS_TABLES {
                txn.execute_raw(stmt(
                    &format!("UPDATE {table} SET body = ? WHERE rowid = ?"),
                    [body.clone().into(), row_id.into()],
                ))
                .await?;
            }
        }
        (Some(content), None) => {
            let row_id: i64 = txn
                .query_one_raw(stmt(
                    "INSERT INTO message_search_rows (message_id) VALUES (?) RETURNING id",
                    [message_id.into()],
                ))
                .await?
                .ok_or_else(|| crate::error::Error::internal("no search row id returned"))?
                .try_get("", "id")?;
            let body = fold(content);
            for table in FTS_TABLES {
                txn.execute_raw(stmt(
                    &format!("INSERT INTO {table} (rowid, body) VALUES (?, ?)"),
                    [row_id.into(), body.clone().into()],
                ))
                .await?;
            }
        }
        (None, Some(row_id)) => {
            for table in FTS_TABLES {
                txn.execute_raw(stmt(
                    &format!("DELETE FROM {table} WHERE rowid = ?"),
                    [row_id.into()],
                ))
                .await?;
            }
            txn.execute_raw(stmt(
                "DELETE FROM message_search_rows WHERE id = ?",
                [row_id.into()],
            ))
            .await?;
        }
        (None, None) => {}
    }
    Ok(())
}

fn stmt<const N: usize>(sql: &str, values: [Value; N]) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}
