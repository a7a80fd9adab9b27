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
