use async_graphql::{ID, Object};
use entity::attachments;

use crate::ids::to_id;

/// An uploaded file attached to a message.
pub struct Attachment(pub attachments::Model);

/// Where clients fetch an attachment's bytes. The upload issue may swap this for signed storage URLs.
pub fn url(storage_key: &str) -> String {
    format!("/files/{storage_key}")
}

#[Object]
impl Attachment {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn url(&self) -> String {
        url(&self.0.storage_key)
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
