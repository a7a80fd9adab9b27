//! Per-request DataLoaders: every list field and every nested lookup goes through one of these, so a page of
//! results costs a fixed number of queries whatever its size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::users;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::Error;

/// The loaders of one request (or one WebSocket operation). Built fresh each time so nothing cached outlives
/// the request.
pub struct Loaders {
    pub users: DataLoader<UserLoader>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            users: DataLoader::new(UserLoader(db.clone()), tokio::spawn),
        }
    }
}

fn loader_error(err: impl Into<Error>) -> async_graphql::Error {
    err.into().into()
}

pub struct UserLoader(DatabaseConnection);

impl Loader<Uuid> for UserLoader {
    type Value = users::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = users::Entity::find()
            .filter(users::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await
            .map_err(loader_error)?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}
