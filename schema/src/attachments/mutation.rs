use std::io::Read;

use async_graphql::{Context, Object, Upload};

use super::types::Attachment;
use crate::context::ContextExt;
use chorus_core::attachments::service;
use chorus_core::error::Error;

#[derive(Default)]
pub struct AttachmentMutation;

#[Object]
impl AttachmentMutation {
    /// Uploads a file of any type (GraphQL multipart request; the name is historical). Its type is taken
    /// from its content; PNG, JPEG, GIF and WebP images get width, height, a thumbnail and a blurhash, other
    /// files are served as downloads under their (sanitised) file name. Send its id in
    /// `sendMessage(input: {attachmentIds})`, or an image's in `updateProfile(input: {avatarAttachmentId})`.
    async fn upload_image(
        &self,
        ctx: &Context<'_>,
        file: Upload,
    ) -> async_graphql::Result<Attachment> {
        let viewer = ctx.viewer()?;
        let deps = ctx.deps();
        let value = file.value(ctx)?;
        let file_name = value.filename.clone();
        let limit = deps.max_upload_bytes as u64;
        let bytes = tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            // One byte over the limit is enough to refuse it.
            value
                .into_read()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map(|_| bytes)
        })
        .await
        .map_err(Error::from)?
        .map_err(Error::internal)?;
        Ok(Attachment(
            service::upload(deps, viewer, bytes, Some(&file_name)).await?,
        ))
    }
}
