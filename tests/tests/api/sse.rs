//! Subscriptions over Server-Sent Events.

use chorus_tests::chat::{group, send};
use chorus_tests::{spawn_app, sse};
use serde_json::json;

#[tokio::test]
async fn room_events_stream_over_sse_with_resume() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let first = send(&app, &alice, &room, "before").await;
    let after = first["seq"].as_i64().unwrap() - 1;
    let query = "subscription($r: ID!, $a: Int) { roomEvents(roomId: $r, afterSeq: $a) { ... on MessageAdded { seq message { content } } } }";
    let mut res = sse::open(
        &app,
        Some(&bob.access_token),
        query,
        json!({ "r": room, "a": after }),
    )
    .await;
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let replayed = sse::read_events(&mut res, 1).await;
    assert_eq!(replayed[0].0, "next");
    assert_eq!(
        replayed[0].1["data"]["roomEvents"]["message"]["content"],
        "before"
    );
    send(&app, &alice, &room, "live").await;
    let live = sse::read_events(&mut res, 1).await;
    assert_eq!(live[0].1["data"]["roomEvents"]["seq"], after + 2);
}

#[tokio::test]
async fn a_query_over_sse_yields_one_result_then_complete() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let url = sse::get_url(&app, &[("query", "{ me { email } }")]);
    let mut res = app
        .http
        .get(url)
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    let events = sse::read_events(&mut res, 2).await;
    assert_eq!(events[0].0, "next");
    assert_eq!(events[0].1["data"]["me"]["email"], "alice@example.com");
    assert_eq!(events[1].0, "complete");
}

#[tokio::test]
async fn without_a_token_the_subscription_is_refused_in_the_stream() {
    let app = spawn_app().await;
    let query = "subscription { notifications { id } }";
    let mut res = sse::open(&app, None, query, json!({})).await;
    let events = sse::read_events(&mut res, 2).await;
    assert_eq!(
        events[0].1["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(events[1].0, "complete");
}
