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

    /// The type found in the file's content (never the client's word). Only `image/png`, `image/jpeg`,
    /// `image/gif` and `image/webp` are shown inline; anything else downloads. Markup (HTML, SVG, XML) is
    /// `application/octet-stream`.
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

    /// The name the file was uploaded with (sanitised: no path, no control or bidi characters), for display
    /// and as the download's name. Null for uploads that came without one.
    async fn file_name(&self) -> Option<&str> {
        self.0.file_name.as_deref()
    }

    /// Images: a preview of at most 400 pixels a side (WebP), signed like `url`; the image itself when it is
    /// no bigger. Null for other files.
    async fn thumbnail_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let viewer = ctx.viewer()?;
        let key = match (&self.0.thumbnail_key, self.0.width) {
            (Some(key), _) => key,
            (None, Some(_)) => &self.0.storage_key,
            (None, None) => return Ok(None),
        };
        Ok(Some(ctx.deps().file_urls.url(key, viewer.user_id)))
    }

    /// Images: a BlurHash (https://blurha.sh) of the picture, to paint while it loads (in a box of
    /// `width`×`height`).
    async fn blurhash(&self) -> Option<&str> {
        self.0.blurhash.as_deref()
    }
}
