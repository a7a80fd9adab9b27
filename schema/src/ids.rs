//! GraphQL `ID`s are UUID strings; parsing them is input validation like any other.

use async_graphql::ID;
use uuid::Uuid;

use chorus_core::error::{Error, Result};

pub fn parse(field: &'static str, id: &ID) -> Result<Uuid> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| Error::invalid(field, format!("{field} is not a valid ID")))
}

pub fn to_id(id: Uuid) -> ID {
    ID(id.to_string())
}

/// A list of ids (at most 1,000), each parsed like [`parse`].
pub fn parse_all(field: &'static str, raw: &[ID]) -> Result<Vec<Uuid>> {
    if raw.len() > 1_000 {
        return Err(Error::invalid(field, format!("at most 1000 {field}")));
    }
    raw.iter().map(|id| parse(field, id)).collect()
}
