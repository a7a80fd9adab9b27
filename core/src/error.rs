//! The one error type of Chorus. Every service returns [`Result`]; the GraphQL layer maps it once to
//! `extensions.code` (and `extensions.field`), the REST layer to an HTTP status, through [`Error::code`] and
//! [`Error::http_status`].

use sea_orm::{DbErr, SqlErr};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A cause kept with its source chain (logged at the transport boundary, never shown to clients).
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every failure a service reports. [`Error::code`] is the stable code clients switch on; `Display` is the
/// full text for logs (with the cause of internal failures), [`Error::public_message`] what clients see.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No credentials, or credentials that are invalid or expired.
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// A right the caller lacks for what one input field asks (e.g. `@everyone` in `content`).
    #[error("{message}")]
    ForbiddenInput {
        field: &'static str,
        message: &'static str,
    },
    #[error("{0}")]
    NotFound(&'static str),
    /// Bad input; `field` names the input field at fault when there is one.
    #[error("{message}")]
    Validation {
        field: Option<&'static str>,
        message: String,
    },
    #[error("{message}")]
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    #[error("{0}")]
    RateLimited(&'static str),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// A dependency (the database, the session store) is unreachable right now: the request may be retried,
    /// with the same `clientId` for sends.
    #[error("{0}")]
    Unavailable(&'static str),
    /// An upload of a kind that is not accepted (e.g. SVG): BAD_USER_INPUT on field `file`, HTTP 415.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A request named a persisted document by hash that this server does not hold: the client sends it again
    /// with the document (Apollo's APQ protocol; its clients look for this message or code). HTTP 200, as
    /// Apollo's servers answer it.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    /// Database failure: shown to clients as INTERNAL.
    #[error("database error: {0}")]
    Db(#[source] DbErr),
    /// Any other unexpected failure: shown to clients as INTERNAL.
    #[error("internal error: {0}")]
    Internal(#[source] Cause),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn forbidden_field(field: &'static str, message: &'static str) -> Self {
        Error::ForbiddenInput { field, message }
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: Some(field),
            message: message.into(),
        }
    }

    /// An unexpected failure, with its cause (an error, whose source chain is kept, or a description).
    pub fn internal(cause: impl Into<Cause>) -> Self {
        Error::Internal(cause.into())
    }

    /// The stable code clients switch on (`extensions.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden(_) | Error::ForbiddenInput { .. } => "FORBIDDEN",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Validation { .. } => "BAD_USER_INPUT",
            Error::Conflict { .. } => "CONFLICT",
            Error::RateLimited(_) => "RATE_LIMITED",
            Error::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            Error::Unavailable(_) => "UNAVAILABLE",
            Error::UnsupportedMediaType(_) => "BAD_USER_INPUT",
            Error::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Error::Db(_) | Error::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status of this error: that of its code, except a refused upload type (415).
    pub fn http_status(&self) -> u16 {
        match self {
            Error::UnsupportedMediaType(_) => 415,
            other => http_status_of(other.code()),
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Validation { field, .. } | Error::Conflict { field, .. } => *field,
            Error::ForbiddenInput { field, .. } => Some(field),
            Error::UnsupportedMediaType(_) => Some("file"),
            _ => None,
        }
    }

    /// The message shown to clients: the cause of an internal failure is never part of it.
    pub fn public_message(&self) -> String {
        match self {
            Error::Db(_) | Error::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        }
    }

    /// Logs what operators must see, once, where a transport turns this error into a response: internal
    /// failures with their source chain, unavailable dependencies as warnings. Client mistakes are not logged.
    pub fn log_if_internal(&self) {
        match self {
            Error::Db(_) | Error::Internal(_) => {
                tracing::error!(error = %Chain(self), "internal error");
            }
            Error::Unavailable(reason) => tracing::warn!(reason, "dependency unavailable"),
            _ => {}
        }
    }
}

/// The HTTP status of an error code, for a transport that only has the code (e.g. `extensions.code` of a
/// GraphQL error).
pub fn http_status_of(code: &str) -> u16 {
    match code {
        "UNAUTHENTICATED" => 401,
        "FORBIDDEN" => 403,
        "NOT_FOUND" => 404,
        "BAD_USER_INPUT" => 400,
        "CONFLICT" => 409,
        "RATE_LIMITED" => 429,
        "PAYLOAD_TOO_LARGE" => 413,
        "UNAVAILABLE" => 503,
        "PERSISTED_QUERY_NOT_FOUND" => 200,
        _ => 500,
    }
}

/// An error with its sources, `: `-separated.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::debug!(error = %err, "database unreachable");
            return Error::Unavailable("the database is unavailable; retry shortly");
        }
        Error::Db(err)
    }
}

/// Whether a database error means "the server cannot be reached or is restarting" (retryable), as opposed to
/// a failed statement. The pool replaces broken connections by itself, so such a request can be retried.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    let runtime = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    match sqlx.as_ref() {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, not accepting yet),
        // 53300 (too many connections).
        Sqlx::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(err: tokio::task::JoinError) -> Self {
        Error::internal(err)
    }
}

/// A unique constraint, by the name PostgreSQL reports and the text SQLite reports (its column list, or
/// `index '…'` for an expression index). Matched exactly, never by substring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UniqueKey {
    pub postgres: &'static str,
    pub sqlite: &'static str,
}

/// The unique constraints services turn into CONFLICT (names as the migrations create them).
pub mod keys {
    use super::UniqueKey;

    pub const USERS_EMAIL: UniqueKey = UniqueKey {
        postgres: "users_email_key",
        sqlite: "users.email",
    };
    pub const USERS_NICKNAME: UniqueKey = UniqueKey {
        postgres: "idx_users_nickname_lower",
        sqlite: "index 'idx_users_nickname_lower'",
    };
    pub const SLASH_COMMANDS_ROOM_NAME: UniqueKey = UniqueKey {
        postgres: "idx_slash_commands_room_id_name",
        sqlite: "slash_commands.room_id, slash_commands.name",
    };
}

/// The unique constraint a database error violated: `Some(None)` for a violation whose constraint the
/// driver did not name, `None` for any other error.
fn violated(err: &DbErr) -> Option<Option<String>> {
    let Some(SqlErr::UniqueConstraintViolation(message)) = err.sql_err() else {
        return None;
    };
    if let Some(name) = database_error(err).and_then(|db| db.constraint().map(str::to_owned)) {
        return Some(Some(name));
    }
    Some(
        message
            .strip_prefix("UNIQUE constraint failed: ")
            .map(|rest| rest.trim().to_owned()),
    )
}

fn database_error(err: &DbErr) -> Option<&(dyn sea_orm::sqlx::error::DatabaseError + 'static)> {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            e.as_database_error()
        }
        _ => None,
    }
}

/// Turns unique-constraint violations into [`Error::Conflict`] in one place.
pub trait DbResultExt<T> {
    /// `cases` are the constraints that mean a conflict, with the input field at fault and the message;
    /// a violation of any other constraint stays a database error.
    fn on_unique_violations(self, cases: &[(UniqueKey, &'static str, &str)]) -> Result<T>;
}

impl<T> DbResultExt<T> for std::result::Result<T, DbErr> {
    fn on_unique_violations(self, cases: &[(UniqueKey, &'static str, &str)]) -> Result<T> {
        self.map_err(|err| {
            let Some(Some(name)) = violated(&err) else {
                return Error::Db(err);
            };
            cases
                .iter()
                .find(|(key, _, _)| name == key.postgres || name == key.sqlite)
                .map(|(_, field, message)| Error::conflict(field, *message))
                .unwrap_or(Error::Db(err))
        })
    }
}

/// True when a database error is a unique-constraint violation (used where a race is expected and resolved
/// by re-reading, e.g. idempotent creates).
pub fn is_unique_violation(err: &DbErr) -> bool {
    violated(err).is_some()
}
