//! Subscriptions over Server-Sent Events.

use chorus_tests::chat::{group, send};
use chorus_tests::{spawn_app, sse};
use serde_json::{Value, json};

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

#[tokio::test]
async fn post_on_the_sse_endpoint_streams_one_operation() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let res = app
        .http
        .post(app.url("/graphql/sse"))
        .header("accept", "text/event-stream")
        .bearer_auth(&alice.access_token)
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut res = res;
    let events = sse::read_events(&mut res, 2).await;
    assert_eq!(events[0].0, "next");
    assert_eq!(events[0].1["data"]["me"]["email"], "alice@example.com");
    assert_eq!(events[1].0, "complete");

    // Errors found before running come through the stream too (the protocol's rule for this mode).
    let mut res = sse::open(&app, None, "{ noSuchField }", json!({})).await;
    let events = sse::read_events(&mut res, 2).await;
    assert!(
        events[0].1["errors"][0]["message"].is_string(),
        "{events:?}"
    );
    assert_eq!(events[1].0, "complete");
}

const ROOM_EVENTS: &str = "subscription($r: ID!, $a: Int) { roomEvents(roomId: $r, afterSeq: $a) { ... on MessageAdded { message { content } } } }";

#[tokio::test]
async fn single_connection_mode_carries_many_operations_on_one_reserved_stream() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    let token = Some(alice.access_token.as_str());

    let stream = sse::reserved(&app, token).await;
    let mut events = sse::attach(&app, token, &stream).await;
    assert_eq!(events.status(), 200);
    assert!(
        events.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );

    let query = sse::operate(&app, token, &stream, "q1", "{ me { email } }", json!({})).await;
    assert_eq!(query.status(), 202);
    let got = sse::read_events(&mut events, 2).await;
    assert_eq!(got[0].0, "next");
    assert_eq!(got[0].1["id"], "q1");
    assert_eq!(
        got[0].1["payload"]["data"]["me"]["email"],
        "alice@example.com"
    );
    assert_eq!(got[1], ("complete".to_owned(), json!({ "id": "q1" })));

    // A subscription stays on the stream until stopped.
    let sub = sse::operate(
        &app,
        token,
        &stream,
        "s1",
        ROOM_EVENTS,
        json!({ "r": room }),
    )
    .await;
    assert_eq!(sub.status(), 202);
    send(&app, &bob, &room, "first").await;
    let got = sse::read_events(&mut events, 1).await;
    assert_eq!(got[0].1["id"], "s1");
    assert_eq!(
        got[0].1["payload"]["data"]["roomEvents"]["message"]["content"],
        "first"
    );
    // The id is taken while it runs.
    let again = sse::operate(&app, token, &stream, "s1", "{ __typename }", json!({})).await;
    assert_eq!(again.status(), 409);

    let stop = app
        .http
        .delete(app.url("/graphql/sse?operationId=s1"))
        .header(sse::TOKEN_HEADER, &stream)
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(stop.status(), 200);
    send(&app, &bob, &room, "after the stop").await;
    // A mutation runs over the same stream; nothing of the stopped subscription comes before its result.
    let mutation = sse::operate(
        &app,
        token,
        &stream,
        "m1",
        "mutation($r: ID!) { sendMessage(input: { roomId: $r, content: \"over sse\" }) { content } }",
        json!({ "r": room }),
    )
    .await;
    assert_eq!(mutation.status(), 202);
    let got = sse::read_events(&mut events, 2).await;
    assert_eq!(got[0].1["id"], "m1", "{got:?}");
    assert_eq!(
        got[0].1["payload"]["data"]["sendMessage"]["content"],
        "over sse"
    );
    assert_eq!(got[1].1["id"], "m1");
}

#[tokio::test]
async fn single_connection_requests_are_checked_before_anything_is_streamed() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let token = Some(alice.access_token.as_str());
    let stream = sse::reserved(&app, token).await;
    let _events = sse::attach(&app, token, &stream).await;

    // Request errors are answered at once, as on POST /graphql, and start nothing.
    for query in ["{", "{ noSuchField }", "subscription { nope }"] {
        let res = sse::operate(&app, token, &stream, "bad", query, json!({})).await;
        assert_eq!(res.status(), 400, "{query}");
        let body: Value = res.json().await.unwrap();
        assert!(body.get("data").is_none(), "{body}");
        assert!(body["errors"][0]["message"].is_string(), "{body}");
    }
    // The id is free again after a refusal.
    let res = sse::operate(&app, token, &stream, "bad", "{ __typename }", json!({})).await;
    assert_eq!(res.status(), 202);

    // No operation id.
    let res = app
        .http
        .post(app.url("/graphql/sse"))
        .header(sse::TOKEN_HEADER, &stream)
        .bearer_auth(&alice.access_token)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // A second GET of the same stream.
    let second = sse::attach(&app, token, &stream).await;
    assert_eq!(second.status(), 409);

    // A mutation is never run from a GET, token or not.
    let res = app
        .http
        .get(chorus_tests::sse::get_url(
            &app,
            &[("query", "mutation { logOut(refreshToken: \"x\") }")],
        ))
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
}

#[tokio::test]
async fn a_stream_token_does_not_let_anyone_else_attach_or_operate() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let stream = sse::reserved(&app, Some(&alice.access_token)).await;

    for intruder in [Some(bob.access_token.as_str()), None] {
        let res = sse::attach(&app, intruder, &stream).await;
        assert_eq!(res.status(), 404, "{intruder:?}");
        let res = sse::operate(&app, intruder, &stream, "x", "{ __typename }", json!({})).await;
        assert_eq!(res.status(), 404, "{intruder:?}");
        let res = app
            .http
            .delete(app.url("/graphql/sse?operationId=x"))
            .header(sse::TOKEN_HEADER, &stream)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
    // A bad token gets no stream at all.
    let res = sse::reserve(&app, Some("not-a-token")).await;
    assert_eq!(res.status(), 401);
    let res = sse::attach(&app, Some("not-a-token"), &stream).await;
    assert_eq!(res.status(), 401);

    // The owner still can (nobody consumed the reservation), by header or by URL parameter.
    let res = app
        .http
        .get(app.url(&format!("/graphql/sse?token={stream}")))
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // An anonymous caller's stream is not a signed-in user's either.
    let anonymous = sse::reserved(&app, None).await;
    let res = sse::attach(&app, Some(&alice.access_token), &anonymous).await;
    assert_eq!(res.status(), 404);
    let mut res = sse::attach(&app, None, &anonymous).await;
    assert_eq!(res.status(), 200);
    let op = sse::operate(&app, None, &anonymous, "1", "{ __typename }", json!({})).await;
    assert_eq!(op.status(), 202);
    let got = sse::read_events(&mut res, 1).await;
    assert_eq!(got[0].1["payload"]["data"]["__typename"], "Query");
}

#[tokio::test]
async fn reservations_are_bounded_per_user_and_freed_when_their_stream_closes() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let token = Some(alice.access_token.as_str());
    let mut streams = Vec::new();
    for _ in 0..api::routes::sse::single::MAX_PER_OWNER {
        streams.push(sse::reserved(&app, token).await);
    }
    let res = sse::reserve(&app, token).await;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // Someone else is not affected.
    let bob = app.sign_up("bob").await;
    sse::reserved(&app, Some(&bob.access_token)).await;

    // Closing an opened stream frees its place.
    let events = sse::attach(&app, token, &streams[0]).await;
    assert_eq!(events.status(), 200);
    drop(events);
    let mut freed = false;
    for _ in 0..100 {
        let res = sse::reserve(&app, token).await;
        if res.status() == 201 {
            freed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(freed, "the closed stream kept its place");
    // And its token is gone.
    let res = sse::operate(&app, token, &streams[0], "1", "{ __typename }", json!({})).await;
    assert_eq!(res.status(), 404);
}

/// The reference client (`graphql-sse`, Node.js) in both of its modes against the real server.
#[tokio::test]
async fn the_reference_graphql_sse_client_works_in_both_modes() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "team", &[&bob]).await;
    send(&app, &bob, &room, "hello").await;
    let output = chorus_tests::node::run(
        "scripts/graphql-sse-client.mjs",
        &[&app.url("/graphql/sse"), &alice.access_token, &room],
    )
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let result: Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    for mode in ["distinct", "single"] {
        let got = &result[mode];
        assert_eq!(got["me"], "alice@example.com", "{mode}: {got}");
        assert_eq!(got["replayed"], "hello", "{mode}: {got}");
        assert_eq!(got["sent"], format!("over {mode}"), "{mode}: {got}");
        assert_eq!(got["errors"], json!([]), "{mode}: {got}");
    }
}
