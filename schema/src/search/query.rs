use async_graphql::{Context, Object};

use super::types::{SearchResultConnection, SearchSort};
use crate::context::ContextExt;
use chorus_core::search::service::{self, SearchArgs};

#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Messages (and thread replies) in the rooms I am a member of, matching `query`: words (matched inside
    /// longer words too, ignoring case and accents, any language), `"exact phrase"`, `-excluded`, and the
    /// operators `from:@nickname`, `from:me`, `in:#room` (or a room id), `mentions:@nickname`, `mentions:me`,
    /// `has:image`, `has:link`, `is:thread`, `before:YYYY-MM-DD`, `after:YYYY-MM-DD` (UTC days, both
    /// exclusive); `-` before an operator negates it. A malformed operator is BAD_USER_INPUT on `query`
    /// naming it. At most 100 hits a page (default 20). `sort: null` is RELEVANCE.
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default_with = "Some(SearchSort::Relevance)")] sort: Option<SearchSort>,
    ) -> async_graphql::Result<SearchResultConnection> {
        let viewer = ctx.viewer()?;
        let args = SearchArgs {
            query,
            limit: crate::pagination::size("first", first, service::DEFAULT_PAGE)?,
            after,
            sort: sort.unwrap_or_default().into(),
            scan_scope: ctx.deps().search_scan_messages,
        };
        Ok(service::search_as(ctx.deps(), viewer, args).await?.into())
    }
}
