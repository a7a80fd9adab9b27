//! The one error type of Chorus. Every service returns [`Result`]; the GraphQL layer maps it once to
//! `extensions.code` (and `extensions.field`), the REST layer to an HTTP status, through [`Error::code`] and
//! [`Error::http_status`].

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

pub type Result<T, E = Error> = std::result::Result<T, E>;

///
/// It deliberately does not implement `Display`: async-graphql converts every `Display` type into an error
/// without extensions, and the explicit `From` below is what attaches the code.
#[derive(Debug)]
pub enum Error {
    /// No credentials, or credentials that are invalid or expired.
    Unauthenticated(&'static str),
    Forbidden(&'static str),
    NotFound(&'static str),
    /// Bad input; `field` names the input field at fault when there is one.
    Validation {
        field: Option<&'static str>,
        message: String,
    },
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    RateLimited(&'static str),
    PayloadTooLarge(String),
    /// A dependency (the database) is unreachable right now: the request may be retried, with the same
    /// `clientId` for sends.
    Unavailable(&'static str),
    /// An upload of a kind that is not accepted (e.g. SVG): BAD_USER_INPUT on field `file`, HTTP 415.
    UnsupportedMediaType(String),
    /// Database failure: logged with its cause, shown to clients as INTERNAL.
    Db(DbErr),
    /// Any other unexpected failure: logged, shown as INTERNAL.
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Error::Internal(cause.to_string())
    }

    /// The stable code clients switch on (`extensions.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Validation { .. } => "BAD_USER_INPUT",
            Error::Conflict { .. } => "CONFLICT",
            Error::RateLimited(_) => "RATE_LIMITED",
            Error::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            Error::Unavailable(_) => "UNAVAILABLE",
            Error::UnsupportedMediaType(_) => "BAD_USER_INPUT",
            Error::Db(_) | Error::Internal(_) => "INTERNAL",
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            Error::Unauthenticated(_) => 401,
            Error::Forbidden(_) => 403,
            Error::NotFound(_) => 404,
            Error::Validation { .. } => 400,
            Error::Conflict { .. } => 409,
            Error::RateLimited(_) => 429,
            Error::PayloadTooLarge(_) => 413,
            Error::Unavailable(_) => 503,
            Error::UnsupportedMediaType(_) => 415,
            Error::Db(_) | Error::Internal(_) => 500,
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Validation { field, .. } | Error::Conflict { field, .. } => *field,
            Error::UnsupportedMediaType(_) => Some("file"),
            _ => None,
        }
    }

    /// The message shown to clients: internal causes are logged here and replaced by a generic text.
    pub fn public_message(&self) -> String {
        match self {
            Error::Db(cause) => {
                tracing::error!(error = %cause, "database error");
                "internal error".to_owned()
            }
            Error::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                "internal error".to_owned()
            }
            Error::Unauthenticated(m)
            | Error::Forbidden(m)
            | Error::NotFound(m)
            | Error::RateLimited(m) => (*m).to_owned(),
            Error::Unavailable(m) => {
                tracing::warn!(reason = m, "dependency unavailable");
                (*m).to_owned()
            }
            Error::Validation { message, .. } | Error::Conflict { message, .. } => message.clone(),
            Error::PayloadTooLarge(m) | Error::UnsupportedMediaType(m) => m.clone(),
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::warn!(error = %err, "database unreachable");
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

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        async_graphql::Error::new(err.public_message()).extend_with(|_, ext| {
            ext.set("code", err.code());
            if let Some(field) = err.field() {
                ext.set("field", field);
            }
        })
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(err: tokio::task::JoinError) -> Self {
        Error::internal(err)
    }
}

/// Turns unique-constraint violations into [`Error::Conflict`] in one place, instead of string matching in
/// each service.
pub trait DbResultExt<T> {
    fn on_unique_violation(self, field: &'static str, message: &str) -> Result<T>;
    /// For tables with several unique constraints: `cases` are `(name, field, message)`, where `name` is a
    /// part of the constraint's index or column name as the database reports it.
    fn on_unique_violations(self, cases: &[(&str, &'static str, &str)]) -> Result<T>;
}

impl<T> DbResultExt<T> for std::result::Result<T, DbErr> {
    fn on_unique_violation(self, field: &'static str, message: &str) -> Result<T> {
        self.map_err(|err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Error::conflict(field, message),
            _ => Error::Db(err),
        })
    }

    fn on_unique_violations(self, cases: &[(&str, &'static str, &str)]) -> Result<T> {
        self.map_err(|err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => cases
                .iter()
                .find(|(name, _, _)| detail.contains(name))
                .map(|(_, field, message)| Error::conflict(field, *message))
                .unwrap_or(Error::Db(err)),
            _ => Error::Db(err),
        })
    }
}

/// True when a database error is a unique-constraint violation (used where a race is expected and resolved
/// by re-reading, e.g. idempotent creates).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}
