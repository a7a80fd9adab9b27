use async_graphql::{Context, Object};

use super::types::{Notification, NotificationConnection, NotificationEdge};
use crate::context::ContextExt;
use crate::pagination::{self, PageInfo, id_cursor};
use chorus_core::notifications::service;

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// My stored notifications (mentions and invitations), newest first, `first` (at most 100) a page. New
    /// messages are alerted live only (the `notifications` subscription, `events`), never listed here: unread
    /// counts are on `Room.unreadCount`. Notifications of rooms I am no longer a member of are not listed.
    #[graphql(
        complexity = "crate::pagination::page_complexity(child_complexity, first, crate::pagination::DEFAULT_PAGE)"
    )]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: Option<i32>,
        after: Option<String>,
        #[graphql(default_with = "Some(false)")] unread_only: Option<bool>,
    ) -> async_graphql::Result<NotificationConnection> {
        let viewer = ctx.viewer()?;
        let limit = pagination::size("first", first, pagination::DEFAULT_PAGE)?;
        let after = after
            .map(|c| pagination::parse_id_cursor("after", &c))
            .transpose()?;
        let page = service::list(
            ctx.deps(),
            viewer,
            limit,
            after,
            unread_only.unwrap_or(false),
        )
        .await?;
        let edges: Vec<NotificationEdge> = page
            .items
            .into_iter()
            .map(|n| NotificationEdge {
                cursor: id_cursor(n.id),
                node: Notification(n),
            })
            .collect();
        Ok(NotificationConnection {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                has_previous_page: page.has_previous_page,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        })
    }
}
