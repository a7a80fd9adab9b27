//! Uploads of any type: typed by content (not by the client's word, see [`super::kinds`]), within a size
//! limit per kind and a daily quota per user, stored, recorded. Images are also measured, cleaned of metadata
//! and given a thumbnail and a blurhash, off the async runtime.

use std::io::Cursor;

use chrono::Duration;
use entity::attachments;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use super::kinds;
use super::storage::Served;
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::{Error, Result};

/// Largest accepted image side, in pixels: decoding bigger ones in clients is a memory bomb.
pub const MAX_SIDE: u32 = 16_384;

/// Limits of uploads besides their size in bytes.
#[derive(Clone, Copy, Debug)]
pub struct UploadRules {
    /// Largest accepted image area (width × height), checked from the header before anything is decoded.
    pub max_pixels: u64,
    /// Bytes one user may upload per rolling 24 hours.
    pub daily_quota_bytes: u64,
    /// Largest image (a raster type shown inline), in bytes; other files are capped by
    /// `Deps::max_upload_bytes`.
    pub max_image_bytes: u64,
}

impl Default for UploadRules {
    fn default() -> Self {
        Self {
            max_pixels: 50_000_000,
            daily_quota_bytes: 200 * 1024 * 1024,
            max_image_bytes: 20 * 1024 * 1024,
        }
    }
}

/// Longest side of image thumbnails, in pixels.
pub const THUMBNAIL_SIDE: u32 = 400;

/// A checked image.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Sniffs the format from the bytes and reads the dimensions from the header (no full decode).
pub fn inspect(bytes: &[u8], max_pixels: u64) -> Result<ImageInfo> {
    let unsupported =
        || Error::UnsupportedMediaType("only PNG, JPEG, GIF and WebP images are accepted".into());
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unsupported())?;
    let (format, content_type, extension) = match reader.format() {
        Some(f @ ImageFormat::Png) => (f, "image/png", "png"),
        Some(f @ ImageFormat::Jpeg) => (f, "image/jpeg", "jpg"),
        Some(f @ ImageFormat::Gif) => (f, "image/gif", "gif"),
        Some(f @ ImageFormat::WebP) => (f, "image/webp", "webp"),
        _ => return Err(unsupported()),
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|_| Error::invalid("file", "the image is damaged or truncated"))?;
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::invalid(
            "file",
            format!("images may be at most {MAX_SIDE} pixels on a side"),
        ));
    }
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(Error::invalid(
            "file",
            format!("images may have at most {max_pixels} pixels"),
        ));
    }
    Ok(ImageInfo {
        format,
        content_type,
        extension,
        width,
        height,
    })
}

/// The image without its metadata (EXIF with GPS positions, XMP, comments), in the same format. JPEG and PNG
/// are decoded and encoded again, turned upright by their EXIF orientation on the way (the information goes
/// with the rest of the EXIF block); GIF frames are copied as they are, without the extension blocks; WebP
/// keeps its image data and loses its EXIF and XMP chunks (re-encoding would turn lossy WebP lossless and
/// several times bigger), so its orientation tag, which browsers do not apply to WebP, goes too.
/// Returns the bytes with the final width and height.
pub fn strip_metadata(bytes: &[u8], info: &ImageInfo) -> Result<(Vec<u8>, u32, u32)> {
    strip_and_decode(bytes, info).map(|(out, w, h, _)| (out, w, h))
}

/// [`strip_metadata`], with the decoded (upright) image when it had to be decoded anyway.
fn strip_and_decode(
    bytes: &[u8],
    info: &ImageInfo,
) -> Result<(Vec<u8>, u32, u32, Option<DynamicImage>)> {
    let damaged = |_| Error::invalid("file", "the image is damaged or truncated");
    match info.format {
        ImageFormat::Jpeg | ImageFormat::Png => {
            let mut reader = ImageReader::with_format(Cursor::new(bytes), info.format);
            let mut limits = Limits::default();
            limits.max_image_width = Some(MAX_SIDE);
            limits.max_image_height = Some(MAX_SIDE);
            reader.limits(limits);
            let mut decoder = reader.into_decoder().map_err(damaged)?;
            let orientation = decoder.orientation().map_err(damaged)?;
            let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
            image.apply_orientation(orientation);
            let mut out = Vec::new();
            if info.format == ImageFormat::Jpeg {
                // The JPEG encoder takes 8-bit grey or RGB only.
                if !matches!(image, DynamicImage::ImageLuma8(_)) {
                    image = DynamicImage::ImageRgb8(image.to_rgb8());
                }
                let encoder =
                    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut out), 90);
                image.write_with_encoder(encoder).map_err(Error::internal)?;
            } else {
                image
                    .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                    .map_err(Error::internal)?;
            }
            let (width, height) = (image.width(), image.height());
            Ok((out, width, height, Some(image)))
        }
        ImageFormat::Gif => {
            let out = copy_gif_frames(bytes)
                .map_err(|_| Error::invalid("file", "the image is damaged or truncated"))?;
            Ok((out, info.width, info.height, None))
        }
        ImageFormat::WebP => {
            let out = strip_webp_chunks(bytes)
                .ok_or_else(|| Error::invalid("file", "the image is damaged or truncated"))?;
            Ok((out, info.width, info.height, None))
        }
        _ => Err(Error::internal("unexpected image format")),
    }
}

/// A GIF with the same frames (indexed colours, palettes, timing, loop count) and none of the comment or
/// application extension blocks.
fn copy_gif_frames(bytes: &[u8]) -> std::result::Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(Cursor::new(bytes))?;
    let mut out = Vec::new();
    {
        let palette = decoder.global_palette().unwrap_or(&[]).to_vec();
        let mut encoder = gif::Encoder::new(&mut out, decoder.width(), decoder.height(), &palette)?;
        let mut first = true;
        while let Some(frame) = decoder.read_next_frame()?.cloned() {
            // The loop count is known once the blocks before the first frame were read. Finite(0) is what the
            // decoder reports without one, and writing it would mean "loop forever".
            if std::mem::take(&mut first) && decoder.repeat() != gif::Repeat::Finite(0) {
                encoder.set_repeat(decoder.repeat())?;
            }
            encoder.write_frame(&frame)?;
        }
    }
    Ok(out)
}

/// A WebP file without its `EXIF` and `XMP ` chunks (and their flags in `VP8X`); `None` when the RIFF
/// structure is broken.
fn strip_webp_chunks(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut at = 12;
    while at < bytes.len() {
        let header = bytes.get(at..at + 8)?;
        let size = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
        // Chunks are padded to an even size.
        let end = at
            .checked_add(8)?
            .checked_add(size)?
            .checked_add(size % 2)?;
        let chunk = bytes.get(at..end.min(bytes.len()))?;
        if chunk.len() < 8 + size {
            return None;
        }
        match &header[0..4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut chunk = chunk.to_vec();
                // Flags byte: bit 3 = EXIF present, bit 2 = XMP present.
                if let Some(flags) = chunk.get_mut(8) {
                    *flags &= !(0x08 | 0x04);
                }
                out.extend_from_slice(&chunk);
            }
            _ => out.extend_from_slice(chunk),
        }
        at = end;
    }
    let riff_size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Some(out)
}

/// A cleaned image with its preview.
pub struct ProcessedImage {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// WebP of at most [`THUMBNAIL_SIDE`] pixels a side; `None` when the image is no bigger.
    pub thumbnail: Option<Vec<u8>>,
    pub blurhash: Option<String>,
}

/// Checks, cleans and previews an image: CPU-bound, run it on the blocking pool.
pub fn process_image(bytes: &[u8], max_pixels: u64) -> Result<ProcessedImage> {
    let info = inspect(bytes, max_pixels)?;
    let (cleaned, width, height, decoded) = strip_and_decode(bytes, &info)?;
    let image = match decoded {
        Some(image) => image,
        // GIF: the first frame; WebP: the (first) picture.
        None => decode_limited(&cleaned, info.format)?,
    };
    let small = (width > THUMBNAIL_SIDE || height > THUMBNAIL_SIDE)
        .then(|| image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE));
    let thumbnail = small.as_ref().map(encode_webp).transpose()?;
    let blurhash = blurhash_of(small.as_ref().unwrap_or(&image));
    Ok(ProcessedImage {
        bytes: cleaned,
        width,
        height,
        thumbnail,
        blurhash,
    })
}

fn decode_limited(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|_| Error::invalid("file", "the image is damaged or truncated"))
}

/// Lossless WebP (the encoder `image` has): at thumbnail size it stays small, and keeps transparency.
fn encode_webp(image: &DynamicImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let encoder = image::codecs::webp::WebPEncoder::new_lossless(Cursor::new(&mut out));
    DynamicImage::ImageRgba8(image.to_rgba8())
        .write_with_encoder(encoder)
        .map_err(Error::internal)?;
    Ok(out)
}

/// A 4×3 component blurhash, computed on a copy of at most 32 pixels a side (the hash keeps nothing finer).
fn blurhash_of(image: &DynamicImage) -> Option<String> {
    let tiny = image.thumbnail(32, 32).to_rgba8();
    let (x, y) = if tiny.width() >= tiny.height() {
        (4, 3)
    } else {
        (3, 4)
    };
    blurhash::encode(x, y, tiny.width(), tiny.height(), tiny.as_raw()).ok()
}

/// Bytes `user` uploaded in the last 24 hours.
async fn uploaded_today(deps: &Deps, user: Uuid) -> Result<i64> {
    let total: Option<i64> = attachments::Entity::find()
        .select_only()
        // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back.
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"),
            "total",
        )
        .filter(attachments::Column::UploaderId.eq(user))
        .filter(attachments::Column::CreatedAt.gt(clock::now() - Duration::hours(24)))
        .into_tuple()
        .one(&deps.db)
        .await?;
    Ok(total.unwrap_or(0))
}

/// Stores a file for the caller; it can then be sent with a message, or (an image) set as their avatar.
/// `file_name` is the name the client gave, kept sanitised for display and downloads only.
pub async fn upload(
    deps: &Deps,
    viewer: Viewer,
    bytes: Vec<u8>,
    file_name: Option<&str>,
) -> Result<attachments::Model> {
    if bytes.len() > deps.max_upload_bytes {
        return Err(Error::PayloadTooLarge(format!(
            "files may be at most {} bytes",
            deps.max_upload_bytes
        )));
    }
    if bytes.is_empty() {
        return Err(Error::invalid("file", "the file is empty"));
    }
    let rules = deps.upload_rules;
    let kind = kinds::sniff(&bytes);
    if kind.image.is_some() && bytes.len() as u64 > rules.max_image_bytes {
        return Err(Error::PayloadTooLarge(format!(
            "images may be at most {} bytes",
            rules.max_image_bytes
        )));
    }
    let used = u64::try_from(uploaded_today(deps, viewer.user_id).await?).unwrap_or(0);
    if used.saturating_add(bytes.len() as u64) > rules.daily_quota_bytes {
        return Err(Error::PayloadTooLarge(format!(
            "daily upload quota of {} bytes reached; try again later",
            rules.daily_quota_bytes
        )));
    }
    let stored = match kind.image {
        Some(_) => {
            // Decoding a large image takes a core and its pixels' worth of memory: a few at a time.
            let _permit = deps
                .image_work
                .acquire()
                .await
                .map_err(|_| Error::internal("image processing stopped"))?;
            let span = tracing::Span::current();
            tokio::task::spawn_blocking(move || {
                let _entered = span.enter();
                process_image(&bytes, rules.max_pixels)
            })
            .await??
        }
        None => ProcessedImage {
            bytes,
            width: 0,
            height: 0,
            thumbnail: None,
            blurhash: None,
        },
    };
    let is_image = kind.image.is_some();
    // Random only: a key says nothing about who uploaded it or what it was called.
    let stem = Uuid::new_v4().simple().to_string();
    let key = format!("{stem}.{}", kind.extension);
    let thumbnail_key = match stored.thumbnail {
        Some(thumbnail) => {
            let thumbnail_key = format!("{stem}.thumb.webp");
            deps.storage
                .put(&thumbnail_key, thumbnail, "image/webp")
                .await?;
            Some(thumbnail_key)
        }
        None => None,
    };
    let size = stored.bytes.len() as i64;
    deps.storage
        .put(&key, stored.bytes, kind.content_type)
        .await?;
    let row = attachments::ActiveModel {
        id: Set(Uuid::now_v7()),
        uploader_id: Set(viewer.user_id),
        message_id: Set(None),
        storage_key: Set(key),
        content_type: Set(kind.content_type.to_owned()),
        size: Set(size),
        width: Set(is_image.then_some(stored.width as i32)),
        height: Set(is_image.then_some(stored.height as i32)),
        created_at: Set(clock::now()),
        file_name: Set(file_name.and_then(kinds::sanitize_file_name)),
        thumbnail_key: Set(thumbnail_key),
        blurhash: Set(stored.blurhash),
    }
    .insert(&deps.db)
    .await?;
    Ok(row)
}

/// What `key` is (a file or an image's thumbnail), from its row; `None` for a key no row has.
pub async fn served(deps: &Deps, key: &str) -> Result<Option<Served>> {
    let row = attachments::Entity::find()
        .filter(
            attachments::Column::StorageKey
                .eq(key)
                .or(attachments::Column::ThumbnailKey.eq(key)),
        )
        .one(&deps.db)
        .await?;
    Ok(row.map(|row| {
        let name = row
            .file_name
            .clone()
            .unwrap_or_else(|| key.rsplit('/').next().unwrap_or("file").to_owned());
        if row.storage_key == key {
            Served {
                inline: kinds::inline(&row.content_type),
                content_type: row.content_type,
                file_name: name,
            }
        } else {
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(stem, _)| stem);
            Served {
                content_type: "image/webp".to_owned(),
                inline: true,
                file_name: format!("{stem}.thumb.webp"),
            }
        }
    }))
}

/// The caller's own upload, for use as their avatar.
pub async fn own_image(deps: &Deps, viewer: Viewer, id: Uuid) -> Result<attachments::Model> {
    match attachments::Entity::find_by_id(id).one(&deps.db).await? {
        Some(a) if a.uploader_id == viewer.user_id && kinds::inline(&a.content_type) => Ok(a),
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
        let info = inspect(&png(3, 2), 100).unwrap();
        assert_eq!(
            info,
            ImageInfo {
                format: ImageFormat::Png,
                content_type: "image/png",
                extension: "png",
                width: 3,
                height: 2
            }
        );
    }

    #[test]
    fn other_files_are_refused_naming_the_file_field() {
        let err = inspect(b"%PDF-1.7 not an image", 100).unwrap_err();
        assert_eq!(err.field(), Some("file"));
        assert_eq!(err.http_status(), 415);
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(inspect(svg, 100).unwrap_err().http_status(), 415);
        let mut truncated = png(3, 2);
        truncated.truncate(12);
        assert_eq!(inspect(&truncated, 100).unwrap_err().http_status(), 400);
    }

    #[test]
    fn the_pixel_area_is_capped_as_well_as_each_side() {
        assert!(inspect(&png(10, 10), 100).is_ok());
        let err = inspect(&png(10, 11), 100).unwrap_err();
        assert_eq!(err.field(), Some("file"));
        assert!(
            err.public_message().contains("100 pixels"),
            "{}",
            err.public_message()
        );
    }

    #[test]
    fn webp_metadata_chunks_are_dropped_and_the_image_still_decodes() {
        let mut webp = Vec::new();
        image::RgbaImage::from_pixel(3, 2, image::Rgba([1, 2, 3, 255]))
            .write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP)
            .unwrap();
        // Rebuild as an extended file: VP8X (EXIF flag set) + image data + an EXIF chunk.
        let image_chunk = webp[12..].to_vec();
        let exif = b"Exif\0\0GPS-SECRET-POSITION!".to_vec();
        let mut body = b"WEBP".to_vec();
        body.extend_from_slice(b"VP8X");
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0x08, 0, 0, 0, 2, 0, 0, 1, 0, 0]);
        body.extend_from_slice(&image_chunk);
        body.extend_from_slice(b"EXIF");
        body.extend_from_slice(&(exif.len() as u32).to_le_bytes());
        body.extend_from_slice(&exif);
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);

        let info = inspect(&file, 100).unwrap();
        let (clean, w, h) = strip_metadata(&file, &info).unwrap();
        assert_eq!((w, h), (3, 2));
        assert!(!clean.windows(10).any(|w| w == b"GPS-SECRET"));
        assert_eq!(clean[12 + 8] & 0x08, 0, "EXIF flag cleared");
        let decoded = image::load_from_memory(&clean).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (3, 2));
    }

    #[test]
    fn big_images_get_a_bounded_thumbnail_and_small_ones_none() {
        let big = process_image(&png(1200, 300), u64::MAX).unwrap();
        assert_eq!((big.width, big.height), (1200, 300));
        let thumb = image::load_from_memory(big.thumbnail.as_deref().unwrap()).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (THUMBNAIL_SIDE, 100));
        assert!(big.blurhash.is_some());

        let small = process_image(&png(THUMBNAIL_SIDE, 10), u64::MAX).unwrap();
        assert!(small.thumbnail.is_none());
        assert!(small.blurhash.is_some());
    }

    #[test]
    fn gif_frames_survive_without_comment_blocks() {
        let mut out = Vec::new();
        {
            let mut enc = gif::Encoder::new(&mut out, 2, 1, &[0, 0, 0, 255, 255, 255]).unwrap();
            enc.set_repeat(gif::Repeat::Infinite).unwrap();
            enc.write_raw_extension(gif::Extension::Comment.into(), &[b"secret comment"])
                .unwrap();
            for buffer in [[0u8, 1], [1, 0]] {
                let frame = gif::Frame {
                    width: 2,
                    height: 1,
                    delay: 7,
                    buffer: std::borrow::Cow::Owned(buffer.to_vec()),
                    ..Default::default()
                };
                enc.write_frame(&frame).unwrap();
            }
        }
        let info = inspect(&out, 100).unwrap();
        let (clean, _, _) = strip_metadata(&out, &info).unwrap();
        assert!(!clean.windows(6).any(|w| w == b"secret"));
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::Indexed);
        let mut decoder = options.read_info(Cursor::new(&clean)).unwrap();
        let mut frames = Vec::new();
        while let Some(frame) = decoder.read_next_frame().unwrap() {
            frames.push((frame.buffer.to_vec(), frame.delay));
        }
        assert_eq!(frames, vec![(vec![0, 1], 7), (vec![1, 0], 7)]);
        assert_eq!(decoder.repeat(), gif::Repeat::Infinite);
    }
}
