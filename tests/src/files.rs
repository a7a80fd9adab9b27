//! Images and uploads for the file tests.

use std::io::Cursor;

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::{Session, TestApp, WAIT};

/// A valid PNG of `w`×`h` pixels of one colour.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(w, h, image::Rgb([10, 200, 30]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode png");
    out
}

/// A valid PNG of `w`×`h` pixels whose size grows with its area (one colour compresses to almost nothing).
pub fn gradient_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 13) as u8, (x ^ y) as u8])
    })
    .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
    .expect("encode png");
    out
}

/// `POST /api/upload` with `bytes` as the `file` field.
pub async fn upload(app: &TestApp, who: &Session, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    tokio::time::timeout(
        WAIT,
        app.http
            .post(app.url("/api/upload"))
            .bearer_auth(&who.access_token)
            .multipart(form)
            .send(),
    )
    .await
    .expect("timeout")
    .expect("request")
}

/// Uploads `bytes` over REST, expects 201 and returns the attachment.
pub async fn upload_ok(app: &TestApp, who: &Session, bytes: Vec<u8>) -> Value {
    let res = upload(app, who, bytes, "x.png").await;
    assert_eq!(res.status(), 201);
    res.json().await.expect("json body")
}
