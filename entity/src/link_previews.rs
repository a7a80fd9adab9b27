//! `link_previews` table: the cache of fetched pages.

use sea_orm::entity::prelude::*;

/// What a page said about itself when it was last fetched, keyed by its URL (without fragment). Rows older
/// than the cache lifetime are fetched again; failed fetches leave no row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "link_previews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub site_name: Option<String>,
    #[sea_orm(indexed)]
    pub fetched_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
