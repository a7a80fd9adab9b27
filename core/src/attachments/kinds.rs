//! What an uploaded file is, from its bytes alone, and how it may be served.
//!
//! The client's file name and declared Content-Type are never trusted: the type comes from the content's magic
//! bytes (`infer`). Only the raster image types are ever served inline; everything else is a download
//! (`Content-Disposition: attachment`). Types a browser would render as active content (HTML, SVG, XML and
//! other markup) are stored and served as `application/octet-stream`, so not even a direct visit of the URL
//! or a misbehaving client can render them.

use image::ImageFormat;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The raster image types shown inline (and given thumbnails).
pub const INLINE_IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The type stored for content that is not recognised or may not be declared.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// Longest kept file name, in characters.
pub const FILE_NAME_MAX: usize = 200;

/// The sniffed type of an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub content_type: &'static str,
    /// Extension of the storage key (only for people reading a bucket listing: the row decides serving).
    pub extension: &'static str,
    /// A raster image shown inline, measured, cleaned and given a thumbnail.
    pub image: Option<ImageFormat>,
}

/// The type of `bytes`, from their content.
pub fn sniff(bytes: &[u8]) -> Kind {
    let raster = |format, content_type, extension| Kind {
        content_type,
        extension,
        image: Some(format),
    };
    let other = |content_type, extension| Kind {
        content_type,
        extension,
        image: None,
    };
    let Some(found) = infer::get(bytes) else {
        return if looks_like_text(bytes) {
            other("text/plain", "txt")
        } else {
            other(OCTET_STREAM, "bin")
        };
    };
    match found.mime_type() {
        "image/png" => raster(ImageFormat::Png, "image/png", "png"),
        "image/jpeg" => raster(ImageFormat::Jpeg, "image/jpeg", "jpg"),
        "image/gif" => raster(ImageFormat::Gif, "image/gif", "gif"),
        "image/webp" => raster(ImageFormat::WebP, "image/webp", "webp"),
        mime if renderable(found.matcher_type(), mime) => other(OCTET_STREAM, "bin"),
        mime => other(mime, found.extension()),
    }
}

/// Markup and scripts: a browser would run them if it ever took them for what they are.
fn renderable(matcher: infer::MatcherType, mime: &str) -> bool {
    matcher == infer::MatcherType::Text
        || ["html", "xml", "svg", "javascript", "ecmascript"]
            .iter()
            .any(|word| mime.contains(word))
}

/// UTF-8 without NUL bytes, and not markup (which `infer` misses without a doctype or root tag).
fn looks_like_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    !text.contains('\0')
        && !text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
}

/// Whether a stored type is served inline (the raster images) rather than as a download.
pub fn inline(content_type: &str) -> bool {
    INLINE_IMAGE_TYPES.contains(&content_type)
}

/// Characters that may hide what a name is: bidirectional overrides (`evil\u{202e}fdp.exe`), zero-width
/// characters and the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// The name to keep for an upload: its last path segment, without control or invisible characters,
/// trimmed, at most [`FILE_NAME_MAX`] characters (keeping the extension); `None` when nothing is left.
pub fn sanitize_file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !invisible(*c))
        .collect();
    // Trailing dots and spaces are dropped by Windows, which would change the extension.
    let trimmed = cleaned.trim().trim_end_matches(['.', ' ']);
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return None;
    }
    let count = trimmed.chars().count();
    if count <= FILE_NAME_MAX {
        return Some(trimmed.to_owned());
    }
    // Keep a short extension, cut the stem.
    let (stem, extension) = match trimmed.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().count() <= 16 => (stem, Some(ext)),
        _ => (trimmed, None),
    };
    let keep = FILE_NAME_MAX - extension.map_or(0, |e| e.chars().count() + 1);
    let mut name: String = stem.chars().take(keep).collect();
    if let Some(ext) = extension {
        name.push('.');
        name.push_str(ext);
    }
    Some(name)
}

/// RFC 5987 `attr-char`: everything else is percent-encoded in `filename*`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A `Content-Disposition` value (RFC 6266): an ASCII `filename` for old clients and the exact name in
/// `filename*=UTF-8''…` (RFC 5987), which clients that know it prefer.
pub fn content_disposition(inline: bool, file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| match c {
            ' ' => ' ',
            '"' | '\\' | '%' => '_',
            c if c.is_ascii_graphic() => c,
            _ => '_',
        })
        .collect();
    format!(
        "{}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        utf8_percent_encode(file_name, ATTR_CHAR)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n%...").content_type, "application/pdf");
        assert_eq!(sniff(b"%PDF-1.7\n%...").image, None);
        assert_eq!(sniff(b"hello, world\n").content_type, "text/plain");
        assert_eq!(sniff(&[0, 1, 2, 3, 255]).content_type, OCTET_STREAM);
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x00\x00";
        assert_eq!(sniff(zip).content_type, "application/zip");
    }

    #[test]
    fn markup_is_never_declared_as_such() {
        for markup in [
            &b"<!DOCTYPE html><html><script>alert(1)</script></html>"[..],
            b"<html><body>hi</body></html>",
            b"  <svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            b"<?xml version=\"1.0\"?><svg/>",
            b"<script>alert(1)</script>",
        ] {
            let kind = sniff(markup);
            assert_eq!(
                kind.content_type,
                OCTET_STREAM,
                "{:?}",
                String::from_utf8_lossy(markup)
            );
            assert!(!inline(kind.content_type));
        }
    }

    #[test]
    fn file_names_lose_paths_and_hidden_characters() {
        assert_eq!(
            sanitize_file_name("C:\\Users\\me\\report.pdf").as_deref(),
            Some("report.pdf")
        );
        assert_eq!(
            sanitize_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            sanitize_file_name("evil\u{202e}fdp.exe").as_deref(),
            Some("evilfdp.exe")
        );
        assert_eq!(sanitize_file_name("a\r\nb.txt ").as_deref(), Some("ab.txt"));
        assert_eq!(
            sanitize_file_name("notes.txt..").as_deref(),
            Some("notes.txt")
        );
        assert_eq!(sanitize_file_name(" / "), None);
        assert_eq!(sanitize_file_name(".."), None);
        let long = format!("{}.pdf", "é".repeat(500));
        let kept = sanitize_file_name(&long).unwrap();
        assert_eq!(kept.chars().count(), FILE_NAME_MAX);
        assert!(kept.ends_with(".pdf"));
    }

    #[test]
    fn dispositions_carry_an_ascii_fallback_and_the_exact_name() {
        assert_eq!(
            content_disposition(false, "Résumé \"final\"; 100%.pdf"),
            "attachment; filename=\"R_sum_ _final_; 100_.pdf\"; \
             filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%3B%20100%25.pdf"
        );
        assert_eq!(
            content_disposition(true, "a.png"),
            "inline; filename=\"a.png\"; filename*=UTF-8''a.png"
        );
    }
}
