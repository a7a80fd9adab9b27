use async_graphql::{Context, ID, Object};
use entity::attachments;

use crate::context::ContextExt;
use crate::ids::to_id;

/// An uploaded file attached to a message.
pub struct Attachment(pub attachments::Model);

#[Object]
impl Attachment {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Where to fetch the file: a path on this server, signed for you and valid for a few minutes (use it
    /// as `<img src>`; resolve the attachment again for a fresh one).
    async fn url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let viewer = ctx.viewer()?;
        Ok(ctx
            .deps()
            .file_urls
            .url(&self.0.storage_key, viewer.user_id))
    }

    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Size in bytes.
    async fn size(&self) -> i64 {
        self.0.size
    }

    /// Image width in pixels, when known.
    async fn width(&self) -> Option<i32> {
        self.0.width
    }

    async fn height(&self) -> Option<i32> {
        self.0.height
    }
}
