//! Uploads: GraphQL multipart and REST, validation by content, size limit, attaching to messages,
//! avatars, and S3 storage when `TEST_S3_ENDPOINT` is set.

use chorus_tests::chat::{MESSAGE_FIELDS, group};
use chorus_tests::files::{png, upload};
use chorus_tests::{Session, TestApp, error_code, error_field, spawn_app, spawn_app_with};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const UPLOAD: &str = "mutation($file: Upload!) { uploadImage(file: $file) { id url contentType size width height } }";

/// A GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).
async fn upload_graphql(
    app: &TestApp,
    who: &Session,
    bytes: Vec<u8>,
    filename: &str,
) -> (u16, Value) {
    let operations = json!({ "query": UPLOAD, "variables": { "file": null } });
    let form = Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part(
            "0",
            Part::bytes(bytes)
                .file_name(filename.to_owned())
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    let res = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&who.access_token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn an_image_uploaded_over_graphql_is_measured_stored_and_served() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bytes = png(4, 3);
    let (status, body) = upload_graphql(&app, &alice, bytes.clone(), "lies.txt").await;
    assert_eq!(status, 200, "{body}");
    let a = &body["data"]["uploadImage"];
    assert_eq!(
        a["contentType"], "image/png",
        "sniffed, not taken from the file name"
    );
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(4), Some(3))
    );

    let res = app
        .http
        .get(app.url(a["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    // Stored re-encoded (without metadata): the same pixels, and the size of what is served.
    let served = res.bytes().await.unwrap().to_vec();
    assert_eq!(a["size"], served.len());
    assert_eq!(
        image::load_from_memory(&served).unwrap().to_rgb8(),
        image::load_from_memory(&bytes).unwrap().to_rgb8()
    );
    // Unsigned paths are refused before the storage is even asked.
    assert_eq!(
        app.http
            .get(app.url("/files/..%2F..%2Fetc%2Fpasswd"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn empty_files_and_broken_images_are_refused() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let (_, body) = upload_graphql(&app, &alice, Vec::new(), "x.png").await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("BAD_USER_INPUT"), Some("file")),
        "{body}"
    );
    // Typed as PNG by its signature, but not decodable: refused rather than stored as an image.
    let mut truncated = png(4, 4);
    truncated.truncate(20);
    let (_, body) = upload_graphql(&app, &alice, truncated, "x.png").await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("BAD_USER_INPUT"), Some("file")),
        "{body}"
    );
}

#[tokio::test]
async fn uploads_over_the_limit_are_payload_too_large() {
    let app = spawn_app_with(|c| c.max_upload_bytes = 2_000).await;
    let alice = app.sign_up("alice").await;
    let big = vec![0u8; 50_000];
    let (status, body) = upload_graphql(&app, &alice, big, "big.png").await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(error_code(&body), Some("PAYLOAD_TOO_LARGE"));
    // Just over the file limit but within the envelope: refused by the service with the same code.
    let (_, body) = upload_graphql(&app, &alice, vec![0u8; 2_100], "big.png").await;
    assert_eq!(error_code(&body), Some("PAYLOAD_TOO_LARGE"), "{body}");
}

#[tokio::test]
async fn uploading_needs_a_signed_in_user() {
    let app = spawn_app().await;
    let operations = json!({ "query": UPLOAD, "variables": { "file": null } });
    let form = Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part("0", Part::bytes(png(1, 1)).file_name("a.png"));
    let body: Value = app
        .http
        .post(app.url("/graphql"))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn rest_upload_takes_the_file_field() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let res = upload(&app, &alice, png(2, 2), "a.png").await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    assert_eq!(
        (a["contentType"].as_str(), a["width"].as_i64()),
        (Some("image/png"), Some(2))
    );

    let form = Form::new().part("other", Part::bytes(png(2, 2)).file_name("a.png"));
    let res = app
        .http
        .post(app.url("/api/upload"))
        .bearer_auth(&alice.access_token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let form = Form::new().part("file", Part::bytes(png(2, 2)).file_name("a.png"));
    let res = app
        .http
        .post(app.url("/api/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn images_are_sent_with_messages_and_only_by_their_uploader() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let (_, body) = upload_graphql(&app, &alice, png(5, 5), "cat.png").await;
    let id = body["data"]["uploadImage"]["id"].clone();

    let send = format!(
        "mutation($input: SendMessageInput!) {{ sendMessage(input: $input) {{ {MESSAGE_FIELDS} attachments {{ id url width }} }} }}"
    );
    // Bob cannot send Alice's upload.
    let stolen = app
        .graphql(
            Some(&bob.access_token),
            &send,
            json!({ "input": { "roomId": room, "content": "", "attachmentIds": [id] } }),
        )
        .await;
    assert_eq!(error_code(&stolen), Some("BAD_USER_INPUT"), "{stolen}");
    // An image alone is a message.
    let data = app
        .ok(
            Some(&alice.access_token),
            &send,
            json!({ "input": { "roomId": room, "content": "", "attachmentIds": [id] } }),
        )
        .await;
    let m = &data["sendMessage"];
    assert_eq!(m["attachments"][0]["id"], id);
    assert_eq!(m["attachments"][0]["width"], 5);
}

#[tokio::test]
async fn an_uploaded_image_becomes_the_avatar_everyone_sees() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let (_, body) = upload_graphql(&app, &alice, png(8, 8), "me.png").await;
    let upload = body["data"]["uploadImage"].clone();
    let q = "mutation($a: ID) { updateProfile(input: { avatarAttachmentId: $a }) { nickname avatarUrl } }";
    let data = app
        .ok(Some(&alice.access_token), q, json!({ "a": upload["id"] }))
        .await;
    // The same file; each URL is signed for whoever resolved it.
    let file = |url: &Value| url.as_str().unwrap().split('?').next().unwrap().to_owned();
    assert_eq!(
        file(&data["updateProfile"]["avatarUrl"]),
        file(&upload["url"])
    );
    assert_eq!(
        data["updateProfile"]["nickname"], "alice",
        "other fields unchanged"
    );
    let seen = app
        .ok(
            Some(&bob.access_token),
            "query($id: ID!) { user(id: $id) { avatarUrl } }",
            json!({ "id": alice.user_id }),
        )
        .await;
    let bobs = seen["user"]["avatarUrl"].as_str().unwrap();
    assert_eq!(file(&seen["user"]["avatarUrl"]), file(&upload["url"]));
    assert!(bobs.contains(&format!("viewer={}", bob.user_id)), "{bobs}");

    let theft = app
        .graphql(Some(&bob.access_token), q, json!({ "a": upload["id"] }))
        .await;
    assert_eq!(
        (error_code(&theft), error_field(&theft)),
        (Some("BAD_USER_INPUT"), Some("avatarAttachmentId"))
    );
}

#[tokio::test]
async fn with_s3_configured_files_live_in_the_bucket_behind_presigned_redirects() {
    let (Ok(endpoint), Ok(key), Ok(secret), Ok(bucket)) = (
        std::env::var("TEST_S3_ENDPOINT"),
        std::env::var("TEST_S3_ACCESS_KEY"),
        std::env::var("TEST_S3_SECRET_KEY"),
        std::env::var("TEST_S3_BUCKET"),
    ) else {
        eprintln!("TEST_S3_ENDPOINT not set: skipping the S3 test");
        return;
    };
    let app = spawn_app_with(move |c| {
        c.s3.bucket = Some(bucket);
        c.s3.endpoint = Some(endpoint);
        c.s3.access_key_id = Some(key);
        c.s3.secret_access_key = Some(secret.into());
    })
    .await;
    let alice = app.sign_up("alice").await;
    let bytes = png(6, 2);
    let (status, body) = upload_graphql(&app, &alice, bytes.clone(), "s3.png").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let url = body["data"]["uploadImage"]["url"]
        .as_str()
        .unwrap()
        .to_owned();

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = no_redirects.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("X-Amz-Signature"), "{location}");
    let fetched = reqwest::get(&location).await.unwrap();
    assert_eq!(fetched.status(), 200);
    let fetched = fetched.bytes().await.unwrap().to_vec();
    assert_eq!(
        image::load_from_memory(&fetched).unwrap().to_rgb8(),
        image::load_from_memory(&bytes).unwrap().to_rgb8()
    );
    // The signature is checked: a tampered URL is refused.
    let at = location.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let mut tampered = location.clone();
    let flipped = if &location[at..at + 1] == "a" {
        "b"
    } else {
        "a"
    };
    tampered.replace_range(at..at + 1, flipped);
    assert_eq!(reqwest::get(&tampered).await.unwrap().status(), 403);

    // Other files: the presigned URL makes S3 answer as a download under the uploaded name.
    let (_, body) = upload_graphql(
        &app,
        &alice,
        b"%PDF-1.7\n%%EOF\n".to_vec(),
        "Rapport été.png",
    )
    .await;
    let a = &body["data"]["uploadImage"];
    assert_eq!(a["contentType"], "application/pdf", "{body}");
    let res = no_redirects
        .get(app.url(a["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let query: std::collections::HashMap<String, String> = reqwest::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(query["response-content-type"], "application/pdf");
    assert_eq!(
        query["response-content-disposition"],
        "attachment; filename=\"Rapport _t_.png\"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.png"
    );
    assert_eq!(reqwest::get(&location).await.unwrap().status(), 200);
}
