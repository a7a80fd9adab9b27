use async_graphql::{Enum, Object, SimpleObject};

use crate::messages::types::Message;
use crate::pagination::{Page, PageInfo};
use crate::rooms::types::Room;
use chorus_core::search::highlight;
use chorus_core::search::service::{self, Hit};

/// Order of search results.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SearchSort {
    /// Best matches first (whole words over parts of words, more terms over fewer); equally good ones
    /// newest first.
    #[default]
    Relevance,
    /// Newest first.
    Recent,
}

impl From<SearchSort> for service::Sort {
    fn from(sort: SearchSort) -> Self {
        match sort {
            SearchSort::Relevance => service::Sort::Relevance,
            SearchSort::Recent => service::Sort::Recent,
        }
    }
}

/// A matched range of `Message.content`: `start` inclusive, `end` exclusive, both in UTF-16 code units
/// (JavaScript string indices).
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct TextRange {
    pub start: i32,
    pub end: i32,
}

/// A piece of a snippet: plain text, or text the query matched. Render `matched` parts highlighted; the
/// text is never markup.
#[derive(SimpleObject, Clone, Debug)]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

/// A message found by `search`. Open it in its room with `messages(roomId: room.id, around: message.id)`.
pub struct SearchHit(pub Hit);

#[Object]
impl SearchHit {
    async fn message(&self) -> Message {
        Message(self.0.message.clone())
    }

    async fn room(&self) -> Room {
        Room(self.0.room.clone())
    }

    /// Relevance score (higher is better); 0 when sorted by recency or when the query has no text.
    async fn score(&self) -> f64 {
        self.0.score
    }

    /// Where the query's terms and phrase words occur in `message.content`, in order, not overlapping.
    async fn highlights(&self) -> Vec<TextRange> {
        let content = self.0.message.content.as_deref().unwrap_or_default();
        highlight::ranges(content, &self.0.needles)
            .into_iter()
            .map(|r| TextRange {
                start: r.start as i32,
                end: r.end as i32,
            })
            .collect()
    }

    /// Up to 200 characters of `message.content` around the first match, split into parts; `…` marks a cut.
    async fn snippet(&self) -> Vec<SnippetPart> {
        let content = self.0.message.content.as_deref().unwrap_or_default();
        highlight::snippet(content, &self.0.needles)
            .into_iter()
            .map(|p| SnippetPart {
                text: p.text,
                matched: p.matched,
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct SearchResultEdge {
    pub cursor: String,
    pub node: SearchHit,
}

/// A page of search hits, best (or newest) first; pass `pageInfo.endCursor` as `after` for the next page.
#[derive(SimpleObject)]
pub struct SearchResultConnection {
    pub edges: Vec<SearchResultEdge>,
    pub page_info: PageInfo,
}

impl From<Page<Hit>> for SearchResultConnection {
    fn from(page: Page<Hit>) -> Self {
        let edges: Vec<SearchResultEdge> = page
            .items
            .into_iter()
            .map(|hit| SearchResultEdge {
                cursor: hit.cursor.clone(),
                node: SearchHit(hit),
            })
            .collect();
        let page_info = PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        };
        SearchResultConnection { edges, page_info }
    }
}
