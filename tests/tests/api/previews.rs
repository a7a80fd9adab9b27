//! Link previews: fetched after the send from a page the test serves on loopback (allow-listed), announced
//! live and kept in history; the address rules without the allow-list, redirects, size and time limits;
//! removal by the author only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chorus_adapters::previews::AllowList;
use chorus_core::previews::Tally;
use chorus_tests::chat::{group, last_seq, mutate, send, try_mutate};
use chorus_tests::{Session, TestApp, WAIT, WsClient, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PREVIEW: &str = "linkPreview { url title description imageUrl siteName }";

const OG_PAGE: &str = r#"<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="The &lt;b&gt;page&lt;/b&gt; title">
<meta property="og:description" content="What the page is about.">
<meta property="og:image" content="/cover.png">
<meta property="og:site_name" content="Loopback">
</head><body>hello</body></html>"#;

/// What the test site answers on a path.
#[derive(Clone)]
enum Reply {
    Html(String),
    Redirect(String),
    /// A page head, then filler for ever (until the client goes away).
    Endless(String),
    /// Reads the request and never answers.
    Hold,
    Png,
}

/// A tiny HTTP/1.1 server on a loopback address that counts the requests it gets.
struct Site {
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
}

impl Site {
    async fn start(ip: &str, route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind((ip, 0))
            .await
            .expect("bind the test site");
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        let route: Route = Arc::new(route);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, route.clone(), counted.clone()));
            }
        });
        Self { addr, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

type Route = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

async fn serve(mut socket: TcpStream, route: Route, hits: Arc<AtomicUsize>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    hits.fetch_add(1, Ordering::SeqCst);
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let respond = |status: &str, kind: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let _ = match route(&path) {
        Reply::Html(body) => {
            socket
                .write_all(respond("200 OK", "text/html; charset=utf-8", &body).as_bytes())
                .await
        }
        Reply::Png => {
            socket
                .write_all(respond("200 OK", "image/png", "not really a png").as_bytes())
                .await
        }
        Reply::Redirect(to) => {
            let reply = format!(
                "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            socket.write_all(reply.as_bytes()).await
        }
        Reply::Endless(start) => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err()
                || socket.write_all(start.as_bytes()).await.is_err()
            {
                return;
            }
            let filler = "<p>filler</p>".repeat(1024);
            while socket.write_all(filler.as_bytes()).await.is_ok() {}
            Ok(())
        }
        Reply::Hold => {
            // Keep the connection open without a word until the client gives up.
            let _ = socket.read(&mut buf).await;
            Ok(())
        }
    };
}

fn pages(path: &str) -> Reply {
    match path {
        "/page" | "/other" => Reply::Html(OG_PAGE.replace(
            "The &lt;b&gt;page&lt;/b&gt; title",
            if path == "/page" {
                "The &lt;b&gt;page&lt;/b&gt; title"
            } else {
                "Another page"
            },
        )),
        "/plain" => Reply::Html(
            "<html><head><title> Plain\n page </title><meta name=description content=Described></head></html>"
                .into(),
        ),
        "/endless" => Reply::Endless("<html><head><title>Endless</title></head><body>".into()),
        "/slow" => Reply::Hold,
        "/image" => Reply::Png,
        "/loop" => Reply::Redirect("/loop".into()),
        _ => Reply::Html("<html></html>".into()),
    }
}

/// An app whose previews may reach 127.0.0.1 (and only that loopback address).
async fn allowing_loopback() -> TestApp {
    spawn_app_with(|c| {
        c.previews.allow_hosts = AllowList::parse("127.0.0.1").unwrap();
        c.previews.max_bytes = 64 * 1024;
        c.previews.timeout = std::time::Duration::from_secs(2);
    })
    .await
}

/// Waits until the app's preview tasks reach `until`.
async fn tally_until(app: &TestApp, until: impl Fn(&Tally) -> bool) -> Tally {
    let mut tally = app.deps.previews.tally();
    let reached = tokio::time::timeout(WAIT, tally.wait_for(|t| until(t)))
        .await
        .map(|t| *t.expect("tally"));
    reached.unwrap_or_else(|_| {
        panic!(
            "preview tasks did not end in time: {:?}",
            *app.deps.previews.tally().borrow()
        )
    })
}

async fn preview_of(app: &TestApp, who: &Session, room: &str, message: &str) -> Value {
    let data = mutate(
        app,
        who,
        &format!("query($r: ID!) {{ messages(roomId: $r, last: 50) {{ edges {{ node {{ id {PREVIEW} }} }} }} }}"),
        json!({ "r": room }),
    )
    .await;
    data["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["id"] == message)
        .expect("the message in history")["node"]["linkPreview"]
        .clone()
}

const ROOM_EVENTS: &str = "subscription($room: ID!, $after: Int) { roomEvents(roomId: $room, afterSeq: $after) {
  __typename
  ... on MessageAdded { seq message { id } }
  ... on MessageEdited { seq message { id editedAt linkPreview { url title description imageUrl siteName } } }
} }";

async fn room_events(app: &TestApp, who: &Session, room: &str) -> WsClient {
    let after = last_seq(app, who, room).await;
    let mut ws = app.socket(who).await;
    ws.subscribe("r", ROOM_EVENTS, json!({ "room": room, "after": after }))
        .await;
    ws
}

/// The next `MessageEdited` of the stream (skipping the `MessageAdded` before it).
async fn next_edit(ws: &mut WsClient) -> Value {
    loop {
        let event = ws.next_data("r").await["roomEvents"].clone();
        if event["__typename"] == "MessageEdited" {
            return event;
        }
        assert_eq!(event["__typename"], "MessageAdded", "{event}");
    }
}

async fn send_id(app: &TestApp, who: &Session, room: &str, content: &str) -> String {
    send(app, who, room, content).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_linked_page_is_previewed_live_and_in_history_and_fetched_once_for_two_messages() {
    let app = allowing_loopback().await;
    let site = Site::start("127.0.0.1", pages).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = room_events(&app, &bob, &room).await;

    let link = site.url("/page");
    let id = send_id(
        &app,
        &alice,
        &room,
        &format!("look: {link}#section, and http://example.invalid/"),
    )
    .await;

    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["id"], json!(id));
    assert_eq!(edited["message"]["editedAt"], Value::Null, "{edited}");
    let expected = json!({
        "url": link,
        // Entities decoded, and the result is text: it keeps its angle brackets for the client to escape.
        "title": "The <b>page</b> title",
        "description": "What the page is about.",
        "imageUrl": site.url("/cover.png"),
        "siteName": "Loopback",
    });
    assert_eq!(edited["message"]["linkPreview"], expected);
    assert_eq!(preview_of(&app, &bob, &room, &id).await, expected);

    // The same link again: the cached page, no second request.
    let again = send_id(&app, &bob, &room, &link).await;
    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["id"], json!(again));
    assert_eq!(edited["message"]["linkPreview"], expected);
    assert_eq!(site.hits(), 1);
    let tally = tally_until(&app, |t| t.changed == 2).await;
    assert_eq!(tally.fetched, 1, "{tally:?}");

    // Without OpenGraph: the <title> and the meta description.
    let plain = send_id(&app, &alice, &room, &site.url("/plain")).await;
    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["id"], json!(plain));
    assert_eq!(
        edited["message"]["linkPreview"],
        json!({ "url": site.url("/plain"), "title": "Plain page", "description": "Described", "imageUrl": null, "siteName": null })
    );
}

#[tokio::test]
async fn loopback_addresses_are_refused_without_the_allow_list_and_nothing_reaches_them() {
    let app = spawn_app().await;
    let site = Site::start("127.0.0.1", pages).await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "team", &[]).await;
    let before = last_seq(&app, &alice, &room).await;

    let by_ip = send_id(&app, &alice, &room, &site.url("/page")).await;
    let by_name = send_id(
        &app,
        &alice,
        &room,
        &format!("http://localhost:{}/page", site.addr.port()),
    )
    .await;
    let tally = tally_until(&app, |t| t.finished() == 2).await;
    assert_eq!(tally.refused, 2, "{tally:?}");
    assert_eq!(tally.fetched, 2, "both were tried: {tally:?}");
    assert_eq!(site.hits(), 0, "no request may reach the refused address");
    for id in [by_ip, by_name] {
        assert_eq!(preview_of(&app, &alice, &room, &id).await, Value::Null);
    }
    // Nothing announced: only the two messages were stored.
    assert_eq!(last_seq(&app, &alice, &room).await, before + 2);
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .expect("metrics body");
    assert!(
        metrics.contains("chorus_link_previews_total{outcome=\"refused\"} 2\n"),
        "{metrics}"
    );
}

#[tokio::test]
async fn redirects_are_vetted_each_time_and_limited_to_three() {
    let app = allowing_loopback().await;
    // 127.0.0.2 is loopback too, but not allow-listed.
    let refused = Site::start("127.0.0.2", pages).await;
    let hop = refused.url("/page");
    let site = Site::start("127.0.0.1", move |path| match path {
        "/away" => Reply::Redirect(hop.clone()),
        other => pages(other),
    })
    .await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "team", &[]).await;

    let away = send_id(&app, &alice, &room, &site.url("/away")).await;
    let tally = tally_until(&app, |t| t.finished() == 1).await;
    assert_eq!(tally.refused, 1, "{tally:?}");
    assert_eq!(site.hits(), 1);
    assert_eq!(
        refused.hits(),
        0,
        "the redirect to a refused host must not be followed"
    );
    assert_eq!(preview_of(&app, &alice, &room, &away).await, Value::Null);

    // A redirect loop: the first request and three redirects, then it gives up.
    let looping = send_id(&app, &alice, &room, &site.url("/loop")).await;
    let tally = tally_until(&app, |t| t.finished() == 2).await;
    assert_eq!(tally.refused, 2, "{tally:?}");
    assert_eq!(site.hits(), 1 + 4);
    assert_eq!(preview_of(&app, &alice, &room, &looping).await, Value::Null);
}

#[tokio::test]
async fn an_endless_page_is_read_up_to_the_limit_and_a_silent_one_until_the_time_limit() {
    let app = allowing_loopback().await;
    let site = Site::start("127.0.0.1", pages).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = room_events(&app, &bob, &room).await;

    // The body never ends: only the size limit can end the read, and the title in its first bytes is kept.
    let endless = send_id(&app, &alice, &room, &site.url("/endless")).await;
    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["id"], json!(endless));
    assert_eq!(edited["message"]["linkPreview"]["title"], "Endless");

    // The page never answers: the send does not wait for it, the fetch ends at the time limit with nothing.
    let slow = send_id(&app, &alice, &room, &site.url("/slow")).await;
    assert_eq!(
        app.deps.previews.tally().borrow().finished(),
        1,
        "the send answered before its preview task ended"
    );
    let tally = tally_until(&app, |t| t.finished() == 2).await;
    assert_eq!(tally.failed, 1, "{tally:?}");
    assert_eq!(preview_of(&app, &alice, &room, &slow).await, Value::Null);

    // Not HTML: not parsed.
    let image = send_id(&app, &alice, &room, &site.url("/image")).await;
    let tally = tally_until(&app, |t| t.finished() == 3).await;
    assert_eq!(tally.failed, 2, "{tally:?}");
    assert_eq!(preview_of(&app, &alice, &room, &image).await, Value::Null);
    assert_eq!(site.hits(), 3);
}

const REMOVE: &str =
    "mutation($m: ID!) { removeLinkPreview(messageId: $m) { id linkPreview { url } } }";
const EDIT: &str = "mutation($id: ID!, $c: String!) { editMessage(id: $id, content: $c) { id } }";

#[tokio::test]
async fn only_the_author_removes_a_preview_everyone_sees_it_go_and_an_edit_keeps_it_removed() {
    let app = allowing_loopback().await;
    let site = Site::start("127.0.0.1", pages).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mallory = app.sign_up("mallory").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let mut ws = room_events(&app, &bob, &room).await;

    let id = send_id(&app, &alice, &room, &format!("see {}", site.url("/page"))).await;
    let edited = next_edit(&mut ws).await;
    assert_eq!(
        edited["message"]["linkPreview"]["url"],
        json!(site.url("/page"))
    );

    let body = try_mutate(&app, &bob, REMOVE, json!({ "m": id })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = try_mutate(&app, &mallory, REMOVE, json!({ "m": id })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_ne!(preview_of(&app, &bob, &room, &id).await, Value::Null);

    let removed = mutate(&app, &alice, REMOVE, json!({ "m": id })).await;
    assert_eq!(removed["removeLinkPreview"]["linkPreview"], Value::Null);
    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["id"], json!(id));
    assert_eq!(edited["message"]["linkPreview"], Value::Null);
    assert_eq!(preview_of(&app, &bob, &room, &id).await, Value::Null);
    // Removing again changes nothing and announces nothing.
    let seq = last_seq(&app, &alice, &room).await;
    mutate(&app, &alice, REMOVE, json!({ "m": id })).await;
    assert_eq!(last_seq(&app, &alice, &room).await, seq);

    // An edit that keeps the link keeps the preview removed.
    mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": id, "c": format!("still {}", site.url("/page")) }),
    )
    .await;
    let edited = next_edit(&mut ws).await;
    assert_ne!(edited["message"]["editedAt"], Value::Null);
    let tally = tally_until(&app, |t| t.finished() == 2).await;
    assert_eq!(tally.unchanged, 1, "{tally:?}");
    assert_eq!(preview_of(&app, &bob, &room, &id).await, Value::Null);

    // Another link brings a preview of that one; dropping the link clears it.
    mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": id, "c": format!("now {}", site.url("/other")) }),
    )
    .await;
    next_edit(&mut ws).await;
    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["linkPreview"]["title"], "Another page");
    mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": id, "c": "no link any more" }),
    )
    .await;
    next_edit(&mut ws).await;
    let edited = next_edit(&mut ws).await;
    assert_eq!(edited["message"]["linkPreview"], Value::Null);
    let tally = tally_until(&app, |t| t.finished() == 4).await;
    assert_eq!(tally.changed, 3, "{tally:?}");
    assert_eq!(preview_of(&app, &bob, &room, &id).await, Value::Null);
}
