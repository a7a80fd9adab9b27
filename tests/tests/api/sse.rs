//! Subscriptions over Server-Sent Events.

use std::time::Duration;

use chorus_tests::chat::{group, send};
use chorus_tests::{WAIT, spawn_app};
use serde_json::{Value, json};

/// Reads SSE events (`event`, parsed `data`) until `n` have arrived.
async fn read_events(res: &mut reqwest::Response, n: usize) -> Vec<(String, Value)> {
    let mut buf = String::new();
    let mut events = Vec::new();
    while events.len() < n {
        let chunk = tokio::time::timeout(WAIT, res.chunk())
            .await
            .expect("timeout")
            .expect("chunk");
        let Some(chunk) = chunk else { break };
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut name = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if !name.is_empty() {
                events.push((name, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
    }
    events
}

#[tokio::test]
async fn room_events_stream_over_sse_with_resume() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let first = send(&app, &alice, &room, "before").await;
    let after = first["seq"].as_i64().unwrap() - 1;
    let query = "subscription($r: ID!, $a: Int) { roomEvents(roomId: $r, afterSeq: $a) { ... on MessageAdded { seq message { content } } } }";
    let mut res = app
        .http
        .post(app.url("/graphql/stream"))
        .bearer_auth(&bob.access_token)
        .json(&json!({ "query": query, "variables": { "r": room, "a": after } }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let replayed = read_events(&mut res, 1).await;
    assert_eq!(replayed[0].0, "next");
    assert_eq!(
        replayed[0].1["data"]["roomEvents"]["message"]["content"],
        "before"
    );
    send(&app, &alice, &room, "live").await;
    let live = read_events(&mut res, 1).await;
    assert_eq!(live[0].1["data"]["roomEvents"]["seq"], after + 2);
}

#[tokio::test]
async fn a_query_over_sse_yields_one_result_then_complete() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let url = format!(
        "{}?query={}",
        app.url("/graphql/sse"),
        "%7B%20me%20%7B%20email%20%7D%20%7D"
    );
    let mut res = app
        .http
        .get(url)
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    let events = read_events(&mut res, 2).await;
    assert_eq!(events[0].0, "next");
    assert_eq!(events[0].1["data"]["me"]["email"], "alice@example.com");
    assert_eq!(events[1].0, "complete");
}

#[tokio::test]
async fn without_a_token_the_subscription_is_refused_in_the_stream() {
    let app = spawn_app().await;
    let query = "subscription { notifications { id } }";
    let mut res = app
        .http
        .post(app.url("/graphql/stream"))
        .json(&json!({ "query": query }))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    let events = read_events(&mut res, 2).await;
    assert_eq!(
        events[0].1["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(events[1].0, "complete");
}
