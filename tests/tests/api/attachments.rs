//! Attachments of any type: typed by content, served as downloads under their sanitised name, size limits per
//! kind, image thumbnails and blurhashes.

use std::io::Cursor;

use chorus_tests::files::{gradient_png, png, upload};
use chorus_tests::{Session, TestApp, spawn_app, spawn_app_with};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// `POST /api/upload` expecting 201; the attachment with its new fields.
async fn attach(app: &TestApp, who: &Session, bytes: Vec<u8>, name: &str) -> Value {
    let res = upload(app, who, bytes, name).await;
    assert_eq!(res.status(), 201, "{name}");
    res.json().await.unwrap()
}

/// The attachment as GraphQL shows it, with every field, uploaded over the multipart spec.
async fn attach_graphql(app: &TestApp, who: &Session, bytes: Vec<u8>, name: &str) -> Value {
    use reqwest::multipart::{Form, Part};
    use serde_json::json;
    let query = "mutation($file: Upload!) { uploadImage(file: $file) { id url contentType size width height fileName thumbnailUrl blurhash } }";
    let operations = json!({ "query": query, "variables": { "file": null } });
    let form = Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part(
            "0",
            // The declared type lies on purpose: only the content counts.
            Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str("image/png")
                .unwrap(),
        );
    let body: Value = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&who.access_token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body["errors"].is_null(), "{name}: {body}");
    body["data"]["uploadImage"].clone()
}

async fn fetch(app: &TestApp, url: &Value) -> (HeaderMap, Vec<u8>) {
    let res = app
        .http
        .get(app.url(url.as_str().expect("a url")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    (headers, res.bytes().await.unwrap().to_vec())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn a_pdf_named_png_is_stored_as_pdf_and_served_as_a_download_under_its_name() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let a = attach_graphql(&app, &alice, pdf.clone(), "Résumé \"final\".png").await;
    assert_eq!(a["contentType"], "application/pdf", "{a}");
    assert_eq!(a["fileName"], "Résumé \"final\".png");
    assert_eq!(a["size"], pdf.len());
    assert!(a["width"].is_null() && a["thumbnailUrl"].is_null() && a["blurhash"].is_null());

    let (headers, bytes) = fetch(&app, &a["url"]).await;
    assert_eq!(bytes, pdf, "other files are stored as sent");
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert_eq!(
        header(&headers, "content-disposition"),
        "attachment; filename=\"R_sum_ _final_.png\"; \
         filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.png"
    );
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn markup_is_stored_and_served_as_an_octet_stream_download() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    for (bytes, name) in [
        (
            &b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"[..],
            "invoice.pdf",
        ),
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "logo.svg",
        ),
        (b"<script>alert(1)</script>", "notes.txt"),
    ] {
        let a = attach_graphql(&app, &alice, bytes.to_vec(), name).await;
        assert_eq!(a["contentType"], "application/octet-stream", "{name}");
        let (headers, _) = fetch(&app, &a["url"]).await;
        assert_eq!(
            header(&headers, "content-type"),
            "application/octet-stream",
            "{name}"
        );
        assert!(
            header(&headers, "content-disposition")
                .starts_with(&format!("attachment; filename=\"{name}\"")),
            "{name}"
        );
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        assert!(header(&headers, "content-security-policy").contains("sandbox"));
    }
}

#[tokio::test]
async fn each_kind_of_file_is_typed_by_its_content_not_its_name() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(6, 4, image::Rgb([200, 10, 10]))
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut webp = Vec::new();
    image::RgbaImage::from_pixel(5, 7, image::Rgba([1, 2, 3, 255]))
        .write_to(&mut Cursor::new(&mut webp), image::ImageFormat::WebP)
        .unwrap();
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x00\x00".to_vec();
    zip.extend_from_slice(&[0; 40]);
    let mut mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    mp3.extend_from_slice(&[0; 40]);
    let mut mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2".to_vec();
    mp4.extend_from_slice(&[0; 40]);
    let cases: Vec<(Vec<u8>, &str, &str, bool)> = vec![
        (jpeg, "photo.gif", "image/jpeg", true),
        (webp, "pic.jpg", "image/webp", true),
        (png(3, 3), "x.webp", "image/png", true),
        (zip, "archive.pdf", "application/zip", false),
        (mp3, "song.txt", "audio/mpeg", false),
        (mp4, "clip.png", "video/mp4", false),
        (b"plain words\n".to_vec(), "readme.exe", "text/plain", false),
        (
            vec![0, 159, 146, 150, 1, 2],
            "data.png",
            "application/octet-stream",
            false,
        ),
    ];
    for (bytes, name, expected, inline) in cases {
        let a = attach_graphql(&app, &alice, bytes.clone(), name).await;
        assert_eq!(a["contentType"], expected, "{name}");
        assert_eq!(a["fileName"], name);
        assert_eq!(
            !a["width"].is_null(),
            inline,
            "{name}: measured only if an image"
        );
        let (headers, served) = fetch(&app, &a["url"]).await;
        assert_eq!(header(&headers, "content-type"), expected, "{name}");
        let disposition = header(&headers, "content-disposition");
        assert!(
            disposition.starts_with(if inline { "inline;" } else { "attachment;" }),
            "{name}: {disposition}"
        );
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        if !inline {
            assert_eq!(served, bytes, "{name}");
        }
    }
}

#[tokio::test]
async fn size_limits_depend_on_the_kind_and_name_the_limit() {
    let app = spawn_app_with(|c| {
        c.max_upload_bytes = 20_000;
        c.upload_rules.max_image_bytes = 3_000;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let image = gradient_png(60, 60);
    assert!(
        image.len() > 3_000 && image.len() < 20_000,
        "{}",
        image.len()
    );
    let too_large = |body: Value, limit: &str| {
        assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(limit), "{message}");
    };
    let res = upload(&app, &alice, image, "big.png").await;
    assert_eq!(res.status(), 413);
    too_large(
        res.json().await.unwrap(),
        "images may be at most 3000 bytes",
    );

    // A non-image of the same size goes through: its limit is the general one.
    attach(&app, &alice, vec![b'a'; 10_000], "notes.txt").await;
    let res = upload(&app, &alice, vec![b'a'; 20_001], "notes.txt").await;
    assert_eq!(res.status(), 413);
    too_large(
        res.json().await.unwrap(),
        "files may be at most 20000 bytes",
    );
}

#[tokio::test]
async fn large_images_get_a_webp_thumbnail_a_blurhash_and_their_dimensions() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let a = attach_graphql(&app, &alice, gradient_png(1000, 500), "wide.png").await;
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(1000), Some(500))
    );
    let hash = a["blurhash"].as_str().expect("a blurhash");
    // 4×3 components: 1 + 1 + 4 + 2 × (4 × 3 - 1) characters.
    assert_eq!(hash.len(), 28, "{hash}");
    assert!(blurhash::decode(hash, 8, 6, 1.0).is_ok(), "{hash}");
    let (headers, thumb) = fetch(&app, &a["thumbnailUrl"]).await;
    assert_eq!(header(&headers, "content-type"), "image/webp");
    assert!(header(&headers, "content-disposition").starts_with("inline;"));
    let thumb = image::load_from_memory_with_format(&thumb, image::ImageFormat::WebP).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (400, 200));
    assert_ne!(
        a["thumbnailUrl"].as_str().unwrap().split('?').next(),
        a["url"].as_str().unwrap().split('?').next()
    );

    // A small image is its own thumbnail.
    let small = attach_graphql(&app, &alice, png(40, 30), "small.png").await;
    assert_eq!(
        small["thumbnailUrl"].as_str().unwrap().split('?').next(),
        small["url"].as_str().unwrap().split('?').next()
    );
    assert!(small["blurhash"].is_string());
}

/// A GIF of `w`×`h` whose first frame is red and second blue.
fn animated_gif(w: u16, h: u16) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [255, 0, 0, 0, 0, 255];
        let mut enc = gif::Encoder::new(&mut out, w, h, &palette).unwrap();
        enc.set_repeat(gif::Repeat::Infinite).unwrap();
        for index in [0u8, 1] {
            let frame = gif::Frame {
                width: w,
                height: h,
                delay: 10,
                buffer: std::borrow::Cow::Owned(vec![index; usize::from(w) * usize::from(h)]),
                ..Default::default()
            };
            enc.write_frame(&frame).unwrap();
        }
    }
    out
}

#[tokio::test]
async fn an_animated_gif_is_previewed_by_its_first_frame_and_kept_animated() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let a = attach_graphql(&app, &alice, animated_gif(800, 200), "anim.gif").await;
    assert_eq!(a["contentType"], "image/gif");
    let (_, thumb) = fetch(&app, &a["thumbnailUrl"]).await;
    let thumb = image::load_from_memory(&thumb).unwrap().to_rgb8();
    assert_eq!(thumb.dimensions(), (400, 100));
    assert_eq!(
        thumb.get_pixel(200, 50).0,
        [255, 0, 0],
        "the first (red) frame"
    );

    let (_, original) = fetch(&app, &a["url"]).await;
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(Cursor::new(&original)).unwrap();
    let mut frames = 0;
    while decoder.read_next_frame().unwrap().is_some() {
        frames += 1;
    }
    assert_eq!(frames, 2, "the original keeps its animation");
}
