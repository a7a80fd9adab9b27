//! Relay mapping of core pages: the `PageInfo` type and the complexity of paged fields. Cursors and page
//! sizes are `chorus_core::pagination`'s.

use async_graphql::SimpleObject;
pub use chorus_core::pagination::*;

/// Relay `PageInfo`.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// A Relay page size argument (`first`/`last`) as a row count: `default` when absent, BAD_USER_INPUT naming
/// the argument when negative or above [`MAX_PAGE`].
pub fn size(field: &'static str, requested: Option<i32>, default: u64) -> chorus_core::Result<u64> {
    Ok(page_size(field, requested)?.unwrap_or(default))
}

/// Query complexity of a paged field (see `schema::Limits`): its selection counted once per row it may
/// return, i.e. the requested size (`default` when none). Sizes beyond [`MAX_PAGE`] count as [`MAX_PAGE`]: the
/// resolver refuses them with a BAD_USER_INPUT that names the argument, which says more than "too complex".
pub fn page_complexity(child_complexity: usize, requested: Option<i32>, default: u64) -> usize {
    let rows = requested.map_or(default, |n| (n.max(1) as u64).min(MAX_PAGE));
    list_complexity(child_complexity, rows)
}

/// Query complexity of a list of at most `rows` items.
pub fn list_complexity(child_complexity: usize, rows: u64) -> usize {
    1usize.saturating_add(child_complexity.saturating_mul(rows as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_complexity_counts_the_selection_once_per_row() {
        assert_eq!(page_complexity(3, Some(100), 50), 301);
        assert_eq!(page_complexity(3, None, 50), 151);
        // Beyond the maximum the resolver refuses; the estimate stays bounded.
        assert_eq!(page_complexity(3, Some(i32::MAX), 50), 301);
        assert_eq!(page_complexity(usize::MAX, Some(100), 50), usize::MAX);
    }
}
