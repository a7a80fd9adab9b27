//! Image uploads: checked by content (not by the client's word), measured, stored, recorded.

use std::io::Cursor;

use entity::attachments;
use image::{ImageFormat, ImageReader};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};

/// Largest accepted image side, in pixels: decoding bigger ones in clients is a memory bomb.
pub const MAX_SIDE: u32 = 16_384;

/// A checked image.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Sniffs the format from the bytes and reads the dimensions from the header (no full decode).
pub fn inspect(bytes: &[u8]) -> Result<ImageInfo> {
    let not_image = || Error::invalid("file", "the file is not a PNG, JPEG, GIF or WebP image");
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_image())?;
    let (content_type, extension) = match reader.format() {
        Some(ImageFormat::Png) => ("image/png", "png"),
        Some(ImageFormat::Jpeg) => ("image/jpeg", "jpg"),
        Some(ImageFormat::Gif) => ("image/gif", "gif"),
        Some(ImageFormat::WebP) => ("image/webp", "webp"),
        _ => return Err(not_image()),
    };
    let (width, height) = reader.into_dimensions().map_err(|_| not_image())?;
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::invalid(
            "file",
            format!("images may be at most {MAX_SIDE} pixels on a side"),
        ));
    }
    Ok(ImageInfo {
        content_type,
        extension,
        width,
        height,
    })
}

/// Stores an image for the caller; it can then be sent with a message or set as their avatar.
pub async fn upload_image(
    deps: &Deps,
    viewer: Viewer,
    bytes: Vec<u8>,
) -> Result<attachments::Model> {
    if bytes.len() > deps.max_upload_bytes {
        return Err(Error::PayloadTooLarge(format!(
            "images may be at most {} bytes",
            deps.max_upload_bytes
        )));
    }
    if bytes.is_empty() {
        return Err(Error::invalid("file", "the file is empty"));
    }
    let data = bytes;
    let (info, data) = tokio::task::spawn_blocking(move || (inspect(&data), data)).await?;
    let info = info?;
    let id = Uuid::now_v7();
    let key = format!(
        "{}/{}.{}",
        viewer.user_id,
        Uuid::new_v4().simple(),
        info.extension
    );
    let size = data.len() as i64;
    deps.storage.put(&key, data, info.content_type).await?;
    let row = attachments::ActiveModel {
        id: Set(id),
        uploader_id: Set(viewer.user_id),
        message_id: Set(None),
        storage_key: Set(key),
        content_type: Set(info.content_type.to_owned()),
        size: Set(size),
        width: Set(Some(info.width as i32)),
        height: Set(Some(info.height as i32)),
        created_at: Set(clock::now()),
    }
    .insert(&deps.db)
    .await?;
    Ok(row)
}

/// The caller's own upload, for use as their avatar.
pub async fn own_image(deps: &Deps, viewer: Viewer, id: Uuid) -> Result<attachments::Model> {
    match attachments::Entity::find_by_id(id).one(&deps.db).await? {
        Some(a) if a.uploader_id == viewer.user_id && a.content_type.starts_with("image/") => Ok(a),
        _ => Err(Error::invalid(
            "avatarAttachmentId",
            "no such image of yours",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(w, h)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn images_are_recognised_by_their_bytes() {
        let info = inspect(&png(3, 2)).unwrap();
        assert_eq!(
            info,
            ImageInfo {
                content_type: "image/png",
                extension: "png",
                width: 3,
                height: 2
            }
        );
    }

    #[test]
    fn other_files_are_refused_naming_the_file_field() {
        let err = inspect(b"%PDF-1.7 not an image").unwrap_err();
        assert_eq!(err.field(), Some("file"));
        let mut truncated = png(3, 2);
        truncated.truncate(12);
        assert!(inspect(&truncated).is_err());
    }
}
