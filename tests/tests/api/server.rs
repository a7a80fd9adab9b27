//! The server around the schema: health, GraphiQL, limits, the committed SDL.

use chorus_tests::{spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let health = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["bus"], "ok");
}

#[tokio::test]
async fn graphiql_is_served_on_get() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("GraphiQL"), "{html}");
    assert!(html.contains("/graphql/ws"));
    // Everything it loads comes from the api itself: no CDN, so it works offline.
    assert!(
        !html.contains("unpkg.com") && !html.contains("cdn"),
        "{html}"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        assert!(
            html.contains(&format!("/graphql/assets/{asset}")),
            "{asset}"
        );
        let res = app
            .http
            .get(app.url(&format!("/graphql/assets/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{asset}");
        assert!(res.bytes().await.unwrap().len() > 1000, "{asset}");
    }
    let missing = app
        .http
        .get(app.url("/graphql/assets/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn responses_carry_a_request_id() {
    let app = spawn_app().await;
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert!(res.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn overly_deep_queries_are_refused() {
    let app = spawn_app().await;
    let mut q = String::from("name");
    for _ in 0..20 {
        q = format!("ofType {{ {q} }}");
    }
    let query = format!("{{ __schema {{ types {{ fields {{ type {{ {q} }} }} }} }} }}");
    let body = app.graphql(None, &query, json!({})).await;
    let msg = body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(msg.contains("too deep") || msg.contains("depth"), "{body}");
}

#[tokio::test]
async fn introspection_can_be_turned_off() {
    let on = spawn_app().await;
    let q = "{ __schema { queryType { name } } }";
    assert_eq!(
        on.ok(None, q, json!({})).await["__schema"]["queryType"]["name"],
        "Query"
    );
    let off = spawn_app_with(|c| c.introspection = false).await;
    let body = off.graphql(None, q, json!({})).await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
}

#[tokio::test]
async fn oversized_request_bodies_are_refused() {
    let app = spawn_app_with(|c| c.body_limit = 4096).await;
    let big = "x".repeat(10_000);
    let res = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ __typename }", "variables": { "pad": big } }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn committed_sdl_matches_the_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/schema.graphql");
    let committed = std::fs::read_to_string(&path).expect("codegen/schema.graphql");
    assert!(
        committed == schema::sdl(),
        "codegen/schema.graphql is stale: run `cargo run -p api -- print-schema --out codegen/schema.graphql`"
    );
}

#[tokio::test]
async fn cors_allows_only_the_configured_origins() {
    let app =
        spawn_app_with(|c| c.allowed_origins = Some(vec!["https://chat.example.com".into()])).await;
    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let ok = preflight("https://chat.example.com").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://chat.example.com"
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));

    let default = spawn_app().await;
    let res = default
        .http
        .post(default.url("/graphql"))
        .header("origin", "https://evil.example")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert!(
        !res.headers().contains_key("access-control-allow-origin"),
        "no CORS unless configured"
    );
}

#[tokio::test]
async fn stopping_the_server_closes_websockets_with_going_away() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let mut ws = app.socket(&alice).await;
    app.stop();
    assert_eq!(ws.expect_close().await, Some(1001));
}
