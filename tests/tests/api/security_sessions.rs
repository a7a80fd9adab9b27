//! Sessions and files, as an attacker would try them: log-out ends the access token, its WebSockets and SSE
//! streams (across api processes), SSE streams end at token expiry, concurrent refreshes do not sign anyone
//! out while a late replay still revokes, file URLs are signed for one viewer and expire, uploads lose their
//! metadata and are refused by type, area and daily quota.

use std::io::Cursor;
use std::time::Duration;

use chorus_tests::chat::{MESSAGE_FIELDS, group};
use chorus_tests::files::{png, upload, upload_ok};
use chorus_tests::{
    Session, TestApp, WAIT, error_code, error_field, spawn_app, spawn_app_with, sse,
};
use serde_json::{Value, json};

const ME: &str = "{ me { user { id } } }";
const REFRESH: &str =
    "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";
const LOG_OUT: &str = "mutation($t: String!) { logOut(refreshToken: $t) }";
const NOTIFICATIONS: &str = "subscription { notifications { id } }";

async fn me_code(app: &TestApp, token: &str) -> Option<String> {
    let body = app.graphql(Some(token), ME, json!({})).await;
    error_code(&body).map(str::to_owned)
}

/// The stream was cut for `reason`: an UNAUTHENTICATED result, then `complete`.
fn assert_cut(events: &[(String, String)], reason: &str) {
    let (last_but_one, last) = (&events[events.len() - 2], &events[events.len() - 1]);
    assert_eq!(last.0, "complete", "{events:?}");
    assert_eq!(last_but_one.0, "next", "{events:?}");
    let body: Value = serde_json::from_str(&last_but_one.1).unwrap();
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(reason),
        "{body}"
    );
}

async fn refresh(app: &TestApp, token: &str) -> Value {
    app.graphql(None, REFRESH, json!({ "t": token })).await
}

// ------------------------------------------------------------------------------------------------ sessions

#[tokio::test]
async fn log_out_kills_the_access_token_and_ends_the_sessions_websockets_and_sse_streams() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    // Another sign-in of the same user, which must survive.
    let other = app
        .ok(
            None,
            "mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }",
            json!({ "i": { "email": alice.email, "password": alice.password } }),
        )
        .await["logIn"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut ws = app.socket(&alice).await;
    ws.subscribe("1", NOTIFICATIONS, json!({})).await;
    let mut other_ws = app
        .socket(&Session {
            access_token: other.clone(),
            ..alice.clone()
        })
        .await;
    let mut stream = sse::open(&app, Some(&alice.access_token), NOTIFICATIONS, json!({})).await;
    assert_eq!(me_code(&app, &alice.access_token).await, None);

    let data = app
        .ok(None, LOG_OUT, json!({ "t": alice.refresh_token }))
        .await;
    assert_eq!(data["logOut"], true);

    assert_eq!(ws.expect_close().await, Some(4403));
    assert_cut(&sse::read_to_end(&mut stream).await, "session ended");
    assert_eq!(
        me_code(&app, &alice.access_token).await.as_deref(),
        Some("UNAUTHENTICATED")
    );
    // REST and new sockets refuse it too.
    let rest = app
        .http
        .get(app.url("/api/me"))
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 401);
    let mut again = app.ws_connect("graphql-transport-ws").await;
    again
        .send_json(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", alice.access_token) } }))
        .await;
    assert_eq!(again.expect_close().await, Some(4403));

    // The other sign-in is untouched.
    assert_eq!(me_code(&app, &other).await, None);
    other_ws.expect_silence(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn log_out_on_one_api_process_ends_the_session_on_another() {
    let app = spawn_app().await;
    if app.redis.is_none() {
        eprintln!("TEST_REDIS_URL not set: skipping the cross-process revocation test");
        return;
    }
    let sibling = app.spawn_sibling(|_| {}).await;
    let alice = app.sign_up("alice").await;
    let mut ws = sibling.socket(&alice).await;
    // The sibling now holds a cached "not revoked" answer for the session.
    assert_eq!(me_code(&sibling, &alice.access_token).await, None);

    app.ok(None, LOG_OUT, json!({ "t": alice.refresh_token }))
        .await;

    assert_eq!(ws.expect_close().await, Some(4403));
    // The bus told the sibling at once: no waiting for its cache to expire.
    assert_eq!(
        me_code(&sibling, &alice.access_token).await.as_deref(),
        Some("UNAUTHENTICATED")
    );
}

#[tokio::test]
async fn an_sse_stream_ends_when_its_access_token_expires() {
    let app = spawn_app_with(|c| c.access_token_ttl = Duration::from_secs(2)).await;
    let alice = app.sign_up("alice").await;
    let started = std::time::Instant::now();
    let mut stream = sse::open(&app, Some(&alice.access_token), NOTIFICATIONS, json!({})).await;
    assert_cut(&sse::read_to_end(&mut stream).await, "expired");
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn two_tabs_refreshing_the_same_token_at_once_both_stay_signed_in() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let start = alice.refresh_token.clone();
    let (a, b) = tokio::join!(refresh(&app, &start), refresh(&app, &start));
    for tab in [&a, &b] {
        assert!(tab["errors"].is_null(), "a tab was signed out: {tab}");
        let access = tab["data"]["refreshToken"]["accessToken"].as_str().unwrap();
        assert_eq!(me_code(&app, access).await, None);
    }
    // Each tab goes on refreshing with what it got, long after the grace window would have mattered.
    for tab in [&a, &b] {
        let next = refresh(
            &app,
            tab["data"]["refreshToken"]["refreshToken"]
                .as_str()
                .unwrap(),
        )
        .await;
        assert!(next["errors"].is_null(), "{next}");
    }
    // A sequential repeat within the window works the same way.
    let once = refresh(&app, &start).await;
    assert!(once["errors"].is_null(), "{once}");
}

#[tokio::test]
async fn a_replay_after_the_grace_window_revokes_the_whole_session() {
    let app = spawn_app_with(|c| c.refresh_reuse_grace = Duration::from_secs(1)).await;
    let alice = app.sign_up("alice").await;
    let first = refresh(&app, &alice.refresh_token).await;
    let next = first["data"]["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = first["data"]["refreshToken"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ws = app
        .socket(&Session {
            access_token: access.clone(),
            ..alice.clone()
        })
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let replay = refresh(&app, &alice.refresh_token).await;
    assert_eq!(error_code(&replay), Some("UNAUTHENTICATED"), "{replay}");
    // Everything of that sign-in is gone: its current refresh token, its access tokens, its sockets.
    assert_eq!(
        error_code(&refresh(&app, &next).await),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        me_code(&app, &access).await.as_deref(),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(ws.expect_close().await, Some(4403));
}

#[tokio::test]
async fn a_repeat_within_the_grace_window_after_log_out_is_refused() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let first = refresh(&app, &alice.refresh_token).await;
    let next = first["data"]["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(None, LOG_OUT, json!({ "t": next })).await;
    let repeat = refresh(&app, &alice.refresh_token).await;
    assert_eq!(error_code(&repeat), Some("UNAUTHENTICATED"), "{repeat}");
}

// --------------------------------------------------------------------------------------------------- files

async fn get(app: &TestApp, url: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(app.url(url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    tokio::time::timeout(WAIT, request.send())
        .await
        .expect("timeout")
        .expect("request")
}

/// `url` with query parameter `name` set to `value`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let (path, query) = url.split_once('?').unwrap();
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == name => format!("{k}={value}"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

fn param<'a>(url: &'a str, name: &str) -> &'a str {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap()
}

#[tokio::test]
async fn a_signed_file_url_works_and_unsigned_tampered_or_foreign_ones_get_403() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let a = upload_ok(&app, &alice, png(3, 3)).await;
    let url = a["url"].as_str().unwrap().to_owned();

    // Random keys only: nothing about the uploader in them.
    let path = url.split_once('?').unwrap().0;
    assert!(!path.contains(&alice.user_id), "{path}");
    let name = path.strip_prefix("/files/").unwrap();
    assert!(
        name.len() == 36 && name.ends_with(".png") && !name.contains('/'),
        "{name}"
    );
    assert_eq!(param(&url, "viewer"), alice.user_id);

    // What `<img src>` does: no credentials at all.
    let res = get(&app, &url, None).await;
    assert_eq!(res.status(), 200);
    let headers = res.headers();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "sandbox; default-src 'none'"
    );
    // Named as uploaded (`upload_ok` sends `x.png`), not by its random storage key.
    assert_eq!(
        headers["content-disposition"],
        "inline; filename=\"x.png\"; filename*=UTF-8''x.png"
    );
    // With the viewer's own token it works too.
    assert_eq!(
        get(&app, &url, Some(&alice.access_token)).await.status(),
        200
    );

    let sig = param(&url, "sig");
    let flipped = format!(
        "{}{}",
        if sig.starts_with('A') { "B" } else { "A" },
        &sig[1..]
    );
    let refused = [
        ("no signature", path.to_owned()),
        ("tampered signature", with_param(&url, "sig", &flipped)),
        ("later expiry", with_param(&url, "exp", "99999999999")),
        ("other viewer", with_param(&url, "viewer", &bob.user_id)),
        (
            "other file",
            url.replacen(name, "00000000000000000000000000000000.png", 1),
        ),
    ];
    for (what, url) in refused {
        assert_eq!(get(&app, &url, None).await.status(), 403, "{what}: {url}");
    }
    // A URL minted for Alice, presented with Bob's credentials.
    assert_eq!(get(&app, &url, Some(&bob.access_token)).await.status(), 403);

    // Sent in a room, Bob gets a URL of his own for the same file.
    let room = group(&app, &alice, "team", &[&bob]).await;
    let send = format!(
        "mutation($input: SendMessageInput!) {{ sendMessage(input: $input) {{ {MESSAGE_FIELDS} }} }}"
    );
    let sent = app
        .ok(
            Some(&alice.access_token),
            &send,
            json!({ "input": { "roomId": room, "content": "pic", "attachmentIds": [a["id"]] } }),
        )
        .await;
    let id = sent["sendMessage"]["id"].as_str().unwrap();
    let seen = app
        .ok(
            Some(&bob.access_token),
            "query($r: ID!) { messages(roomId: $r, last: 5) { edges { node { id attachments { url } } } } }",
            json!({ "r": room }),
        )
        .await;
    let edges = seen["messages"]["edges"].as_array().unwrap();
    let node = edges.iter().find(|e| e["node"]["id"] == id).unwrap();
    let bobs = node["node"]["attachments"][0]["url"].as_str().unwrap();
    assert_eq!(param(bobs, "viewer"), bob.user_id);
    assert_eq!(get(&app, bobs, Some(&bob.access_token)).await.status(), 200);
}

#[tokio::test]
async fn an_expired_file_url_gets_403() {
    let app = spawn_app_with(|c| c.file_url_ttl = Duration::from_secs(3)).await;
    let alice = app.sign_up("alice").await;
    let a = upload_ok(&app, &alice, png(2, 2)).await;
    let url = a["url"].as_str().unwrap().to_owned();
    assert_eq!(get(&app, &url, None).await.status(), 200);
    let exp: i64 = param(&url, "exp").parse().unwrap();
    let wait = exp + 1 - chrono::Utc::now().timestamp();
    assert!(wait <= 6, "expiry too far away: {wait} s");
    tokio::time::sleep(Duration::from_secs(wait.max(0) as u64 + 1)).await;
    assert_eq!(get(&app, &url, None).await.status(), 403);
    // Resolving the attachment again gives a fresh one.
    let avatar = app
        .ok(
            Some(&alice.access_token),
            "mutation($a: ID) { updateProfile(input: { avatarAttachmentId: $a }) { avatarUrl } }",
            json!({ "a": a["id"] }),
        )
        .await;
    let fresh = avatar["updateProfile"]["avatarUrl"].as_str().unwrap();
    assert_eq!(get(&app, fresh, None).await.status(), 200);
}

/// A little-endian TIFF (EXIF) block: orientation 6 (turn 90° clockwise) in IFD0 and a GPS IFD holding
/// `marker` as its map datum.
fn exif_with_gps(marker: &str) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II");
    t.extend_from_slice(&42u16.to_le_bytes());
    t.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: two entries, then the next-IFD offset.
    t.extend_from_slice(&2u16.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    entry(&mut t, 0x0112, 3, 1, 6); // Orientation, SHORT
    entry(&mut t, 0x8825, 4, 1, 38); // GPS IFD pointer, LONG
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 38);
    // GPS IFD at 38: one ASCII entry pointing at the marker.
    t.extend_from_slice(&1u16.to_le_bytes());
    let text = format!("{marker}\0");
    entry(&mut t, 0x0012, 2, text.len() as u32, 56); // GPSMapDatum, ASCII
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 56);
    t.extend_from_slice(text.as_bytes());
    t
}

fn jpeg_with_exif(w: u32, h: u32, exif: &[u8]) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x * 60) as u8, 90, 160]))
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut app1 = vec![0xFF, 0xE1];
    let len = (2 + 6 + exif.len()) as u16;
    app1.extend_from_slice(&len.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(exif);
    // Right after the SOI marker.
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn exif_gps_is_removed_from_uploaded_jpegs_and_their_orientation_applied() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let marker = "GPS-SECRET-48.8584N-2.2945E";
    let original = jpeg_with_exif(8, 4, &exif_with_gps(marker));
    assert!(contains(&original, marker.as_bytes()));
    let a = upload_ok(&app, &alice, original).await;
    // Turned upright: 8×4 with "rotate 90°" is 4×8 (which also shows the EXIF block was read).
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(4), Some(8))
    );

    let served = get(&app, a["url"].as_str().unwrap(), None).await;
    assert_eq!(served.status(), 200);
    let bytes = served.bytes().await.unwrap().to_vec();
    assert!(!contains(&bytes, marker.as_bytes()), "GPS data survived");
    assert!(!contains(&bytes, b"Exif\0\0"), "an EXIF block survived");
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (4, 8));
    assert_eq!(a["size"], bytes.len());
}

#[tokio::test]
async fn svg_is_kept_only_as_an_opaque_download() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let svg =
        br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>"#;
    let res = upload(&app, &alice, svg.to_vec(), "cat.png").await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["contentType"], "application/octet-stream", "{a}");
    assert!(a["width"].is_null(), "not an image: {a}");

    let served = get(&app, a["url"].as_str().unwrap(), None).await;
    assert_eq!(served.status(), 200);
    let headers = served.headers();
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");

    // Nor can it become an avatar.
    let q = "mutation($a: ID) { updateProfile(input: { avatarAttachmentId: $a }) { id } }";
    let body = app
        .graphql(Some(&alice.access_token), q, json!({ "a": a["id"] }))
        .await;
    assert_eq!(error_field(&body), Some("avatarAttachmentId"), "{body}");
}

/// A PNG that is only a header claiming `w`×`h` pixels: decoding it would fail, reading its size does not.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    // The decoder reads the header up to the first image data chunk: an empty one, then the end.
    for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &[]), (b"IEND", &[])] {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(data);
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    out
}

#[tokio::test]
async fn images_over_the_pixel_area_cap_are_refused_from_their_header() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    // 10,000 × 10,000 = 100 megapixels: within the per-side cap, over the default 50 megapixel area.
    let res = upload(&app, &alice, png_header_only(10_000, 10_000), "bomb.png").await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "file", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("50000000 pixels"),
        "{body}"
    );

    let small = spawn_app_with(|c| c.upload_rules.max_pixels = 100).await;
    let bob = small.sign_up("bob").await;
    assert_eq!(
        upload(&small, &bob, png(10, 10), "ok.png").await.status(),
        201
    );
    assert_eq!(
        upload(&small, &bob, png(11, 10), "big.png").await.status(),
        400
    );
}

#[tokio::test]
async fn the_daily_upload_quota_is_enforced_and_names_the_limit() {
    let app = spawn_app_with(|c| c.upload_rules.daily_quota_bytes = 1_000).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let first = upload_ok(&app, &alice, png(4, 4)).await;
    let used = first["size"].as_u64().unwrap();
    assert!(used < 500, "test image too big: {used}");
    // Uploads go through until the next one would pass 1,000 bytes in 24 hours.
    let mut refused = None;
    for _ in 0..20 {
        let res = upload(&app, &alice, png(4, 4), "x.png").await;
        if res.status() != 201 {
            refused = Some(res);
            break;
        }
    }
    let res = refused.expect("the quota never applied");
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1000 bytes"),
        "{body}"
    );
    // Per user: Bob still has his.
    upload_ok(&app, &bob, png(4, 4)).await;
}

/// Renames the revocation table away (or back): session checks then fail as with an unreachable database.
async fn revocations_reachable(app: &TestApp, reachable: bool) {
    use sea_orm::ConnectionTrait;
    let (from, to) = if reachable {
        ("revoked_sessions_away", "revoked_sessions")
    } else {
        ("revoked_sessions", "revoked_sessions_away")
    };
    app.db
        .execute_unprepared(&format!("ALTER TABLE {from} RENAME TO {to}"))
        .await
        .expect("rename");
}

#[tokio::test]
async fn a_session_store_that_cannot_answer_is_unavailable_on_every_transport_never_a_sign_out() {
    let app = spawn_app().await;
    // Signing up checks no session, so nothing about this one is cached yet.
    let alice = app.sign_up("alice").await;
    revocations_reachable(&app, false).await;

    let graphql = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&alice.access_token)
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(graphql.status(), 503);
    let body: Value = graphql.json().await.unwrap();
    assert_eq!(error_code(&body), Some("UNAVAILABLE"), "{body}");

    let rest = app
        .http
        .get(app.url("/api/me"))
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 503);
    assert!(rest.headers().contains_key("retry-after"));
    let body: Value = rest.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNAVAILABLE", "{body}");

    let sse = app
        .http
        .post(app.url("/graphql/stream"))
        .bearer_auth(&alice.access_token)
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .unwrap();
    let text = tokio::time::timeout(WAIT, sse.text())
        .await
        .unwrap()
        .unwrap();
    assert!(text.contains("\"UNAVAILABLE\""), "{text}");

    let mut ws = app.ws_connect("graphql-transport-ws").await;
    ws.send_json(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", alice.access_token) } }))
        .await;
    assert_eq!(
        ws.expect_close().await,
        Some(1013),
        "try again later, not 4403"
    );

    revocations_reachable(&app, true).await;
    let data = app
        .ok(Some(&alice.access_token), "{ me { email } }", json!({}))
        .await;
    assert_eq!(data["me"]["email"], "alice@example.com", "still signed in");
}
