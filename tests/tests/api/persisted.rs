//! Persisted documents: automatic persisted queries (Apollo's APQ) over POST, GET, SSE and WebSocket, shared
//! across processes through Redis, bounded in memory; trusted documents (the web client's manifest) and
//! trusted-only mode (browser sessions refused, API tokens not).

use chorus_core::documents::sha256;
use chorus_tests::{TestApp, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const ME: &str = "query Mine { me { email } }";

fn apq(document: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(document) } })
}

/// POSTs a raw body to `/graphql`: (status, body).
async fn post(app: &TestApp, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = app
        .http
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let res = request.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.expect("json"))
}

/// `GET /graphql` with these parameters: (status, body).
async fn get(app: &TestApp, token: Option<&str>, params: &[(&str, String)]) -> (u16, Value) {
    let mut url = reqwest::Url::parse(&app.url("/graphql")).unwrap();
    url.query_pairs_mut()
        .extend_pairs(params.iter().map(|(k, v)| (k, v.as_str())));
    let mut request = app.http.get(url).header("accept", "application/json");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let res = request.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.expect("json"))
}

fn assert_not_found(status: u16, body: &Value) {
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["errors"][0]["message"], "PersistedQueryNotFound",
        "{body}"
    );
    assert_eq!(
        error_code(body),
        Some("PERSISTED_QUERY_NOT_FOUND"),
        "{body}"
    );
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
}

/// The manifest's entry for the web client's operation `name` (`query Me`, `mutation SignUp`, …).
fn trusted(name: &str) -> (String, String) {
    let manifest: serde_json::Map<String, Value> =
        serde_json::from_str(api::routes::persisted::MANIFEST).expect("manifest");
    manifest
        .into_iter()
        .find_map(|(key, text)| {
            let text = text.as_str()?.to_owned();
            let defines =
                text.contains(&format!("{name}(")) || text.contains(&format!("{name} {{"));
            defines.then(|| (key.trim_start_matches("sha256:").to_owned(), text))
        })
        .unwrap_or_else(|| panic!("{name} is not in the manifest"))
}

#[tokio::test]
async fn a_persisted_query_misses_then_is_registered_with_its_text_then_runs_by_hash_over_post() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let token = Some(alice.access_token.as_str());

    let (status, body) = post(&app, token, json!({ "extensions": apq(ME) })).await;
    assert_not_found(status, &body);
    // Some clients send an empty query with the hash.
    let (status, body) = post(&app, token, json!({ "query": "", "extensions": apq(ME) })).await;
    assert_not_found(status, &body);

    let (status, body) = post(&app, token, json!({ "query": ME, "extensions": apq(ME) })).await;
    assert_eq!(
        (status, &body["data"]["me"]["email"]),
        (200, &json!(alice.email)),
        "{body}"
    );

    let (status, body) = post(
        &app,
        token,
        json!({ "extensions": apq(ME), "operationName": "Mine", "variables": {} }),
    )
    .await;
    assert_eq!(
        (status, &body["data"]["me"]["email"]),
        (200, &json!(alice.email)),
        "{body}"
    );
}

#[tokio::test]
async fn get_runs_a_query_by_hash_and_refuses_a_mutation_named_by_its_hash() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let token = Some(alice.access_token.as_str());
    let extensions = apq(ME).to_string();

    let (status, body) = get(&app, token, &[("extensions", extensions.clone())]).await;
    assert_not_found(status, &body);
    // Registered over GET too (Apollo's link retries with POST, others may not).
    let (status, body) = get(
        &app,
        token,
        &[("query", ME.to_owned()), ("extensions", extensions.clone())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&app, token, &[("extensions", extensions)]).await;
    assert_eq!(
        (status, &body["data"]["me"]["email"]),
        (200, &json!(alice.email)),
        "{body}"
    );

    let mutation = "mutation($t: String!) { logOut(refreshToken: $t) }";
    let (status, _) = post(
        &app,
        token,
        json!({ "query": mutation, "variables": { "t": "nope" }, "extensions": apq(mutation) }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = get(
        &app,
        token,
        &[
            ("extensions", apq(mutation).to_string()),
            ("variables", json!({ "t": "nope" }).to_string()),
        ],
    )
    .await;
    assert_eq!(status, 405, "{body}");
}

#[tokio::test]
async fn a_hash_that_is_not_the_documents_is_refused_and_nothing_is_registered() {
    let app = spawn_app().await;
    let other = "{ serverInfo { version } }";
    let (status, body) = post(&app, None, json!({ "query": other, "extensions": apq(ME) })).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(
        body["errors"][0]["message"],
        "provided sha does not match query"
    );
    let (status, body) = post(&app, None, json!({ "extensions": apq(ME) })).await;
    assert_not_found(status, &body);

    // Neither a hash nor a query: still a request error.
    let (status, body) = post(&app, None, json!({ "variables": {} })).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(
        &app,
        None,
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": sha256(other) } } }),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, Some("BAD_USER_INPUT")),
        "{body}"
    );
}

#[tokio::test]
async fn persisted_queries_work_over_websocket() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let mut ws = app.socket(&alice).await;
    let subscribe = |id: &str, query: &str| {
        json!({ "id": id, "type": "subscribe",
                "payload": { "query": query, "extensions": apq(ME) } })
    };

    ws.send_json(subscribe("1", "")).await;
    let msg = ws.next_message().await;
    assert_eq!(
        (msg["type"].as_str(), msg["id"].as_str()),
        (Some("error"), Some("1")),
        "{msg}"
    );
    assert_eq!(
        msg["payload"][0]["message"], "PersistedQueryNotFound",
        "{msg}"
    );
    assert_eq!(
        msg["payload"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );

    ws.send_json(subscribe("2", ME)).await;
    assert_eq!(ws.next_data("2").await["me"]["email"], json!(alice.email));
    ws.expect_complete("2").await;

    ws.send_json(subscribe("3", "")).await;
    assert_eq!(ws.next_data("3").await["me"]["email"], json!(alice.email));
    ws.expect_complete("3").await;

    // A subscription by hash too.
    let presence = "subscription($ids: [ID!]!) { presence(userIds: $ids) { status } }";
    ws.send_json(json!({ "id": "4", "type": "subscribe", "payload": {
        "query": presence, "variables": { "ids": [alice.user_id] }, "extensions": apq(presence) } }))
        .await;
    ws.next_data("4").await;
    ws.send_json(json!({ "id": "5", "type": "subscribe", "payload": {
        "query": "", "variables": { "ids": [alice.user_id] }, "extensions": apq(presence) } }))
        .await;
    ws.next_data("5").await;
}

#[tokio::test]
async fn persisted_queries_work_over_sse() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let stream = |body: Value| {
        app.http
            .post(app.url("/graphql/stream"))
            .bearer_auth(&alice.access_token)
            .json(&body)
            .send()
    };
    let mut res = stream(json!({ "extensions": apq(ME) })).await.unwrap();
    assert_eq!(res.status(), 200);
    let events = chorus_tests::sse::read_events(&mut res, 2).await;
    assert_eq!(events[0].0, "next");
    assert_eq!(
        error_code(&events[0].1),
        Some("PERSISTED_QUERY_NOT_FOUND"),
        "{events:?}"
    );
    assert_eq!(events[1].0, "complete");

    let mut res = stream(json!({ "query": ME, "extensions": apq(ME) }))
        .await
        .unwrap();
    let events = chorus_tests::sse::read_events(&mut res, 1).await;
    assert_eq!(events[0].1["data"]["me"]["email"], json!(alice.email));

    let url = chorus_tests::sse::get_url(&app, &[("extensions", &apq(ME).to_string())]);
    let mut res = app
        .http
        .get(url)
        .bearer_auth(&alice.access_token)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    let events = chorus_tests::sse::read_events(&mut res, 1).await;
    assert_eq!(
        events[0].1["data"]["me"]["email"],
        json!(alice.email),
        "{events:?}"
    );
}

#[tokio::test]
async fn the_in_process_cache_keeps_the_most_recently_used_documents_only() {
    // Without Redis, so nothing comes back from the shared store.
    let app = spawn_app_with(|c| {
        c.redis_url = None;
        c.documents.apq_cache_entries = 2;
    })
    .await;
    let docs: Vec<String> = (0..3)
        .map(|i| format!("query Q{i} {{ serverInfo {{ version }} }}"))
        .collect();
    for doc in &docs {
        let (status, body) =
            post(&app, None, json!({ "query": doc, "extensions": apq(doc) })).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = post(&app, None, json!({ "extensions": apq(&docs[0]) })).await;
    assert_not_found(status, &body);
    for doc in &docs[1..] {
        let (status, body) = post(&app, None, json!({ "extensions": apq(doc) })).await;
        assert!(
            body["data"]["serverInfo"]["version"].is_string(),
            "{status} {body}"
        );
    }

    // Bounded by bytes too: a document larger than the whole cache runs but is not kept.
    let app = spawn_app_with(|c| {
        c.redis_url = None;
        c.documents.apq_cache_bytes = 256;
    })
    .await;
    // Comments count as bytes, not tokens.
    let big = format!(
        "query Big {{ serverInfo {{ version }} }} # {}",
        "x".repeat(300)
    );
    let (status, body) = post(&app, None, json!({ "query": big, "extensions": apq(&big) })).await;
    assert!(body["data"]["serverInfo"].is_object(), "{status} {body}");
    let (status, body) = post(&app, None, json!({ "extensions": apq(&big) })).await;
    assert_not_found(status, &body);
}

#[tokio::test]
async fn a_query_registered_on_one_process_runs_by_hash_on_another_through_redis() {
    let a = spawn_app().await;
    if a.redis.is_none() {
        eprintln!("TEST_REDIS_URL not set: skipping a multi-process test");
        return;
    }
    let b = a.spawn_sibling(|_| {}).await;
    let doc = "query Shared { serverInfo { version } }";
    let (status, body) = post(&b, None, json!({ "extensions": apq(doc) })).await;
    assert_not_found(status, &body);
    let (status, _) = post(&a, None, json!({ "query": doc, "extensions": apq(doc) })).await;
    assert_eq!(status, 200);
    let (status, body) = post(&b, None, json!({ "extensions": apq(doc) })).await;
    assert!(
        body["data"]["serverInfo"]["version"].is_string(),
        "{status} {body}"
    );
}

#[tokio::test]
async fn the_web_clients_documents_run_by_hash_without_registration() {
    let app = spawn_app().await;
    let (hash, _) = trusted("query ServerInfo");
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let (status, body) = post(&app, None, json!({ "extensions": extensions })).await;
    assert!(body["data"]["serverInfo"].is_object(), "{status} {body}");
}

#[tokio::test]
async fn trusted_only_mode_runs_the_manifest_and_refuses_other_documents_to_sessions() {
    let app = spawn_app_with(|c| c.documents.trusted_documents_only = true).await;
    let by_hash = |hash: &str| json!({ "version": 1, "sha256Hash": hash });

    // Sign up the way the web client does: the manifest's hash alone.
    let (sign_up, _) = trusted("mutation SignUp");
    let (status, body) = post(
        &app,
        None,
        json!({
            "extensions": { "persistedQuery": by_hash(&sign_up) },
            "variables": { "input": { "email": "t@example.com", "password": "pw-trusted-secret", "nickname": "trusty" } },
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["signUp"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();

    let (me, me_text) = trusted("query Me");
    let (status, body) = post(
        &app,
        Some(&token),
        json!({ "extensions": { "persistedQuery": by_hash(&me) } }),
    )
    .await;
    assert_eq!(
        (status, &body["data"]["me"]["email"]),
        (200, &json!("t@example.com")),
        "{body}"
    );
    // The manifest's text itself is trusted too.
    let (status, body) = post(&app, Some(&token), json!({ "query": me_text })).await;
    assert_eq!(status, 200, "{body}");

    // Anything else is refused, sent as text or registered by hash, signed in or not.
    for token in [Some(token.as_str()), None] {
        for request in [
            json!({ "query": ME }),
            json!({ "query": ME, "extensions": apq(ME) }),
            json!({ "extensions": apq(ME) }),
        ] {
            let (status, body) = post(&app, token, request).await;
            assert_eq!(
                (status, error_code(&body)),
                (403, Some("FORBIDDEN")),
                "{body}"
            );
        }
    }
    // An API token may send any document, as text or registered by hash.
    let (create, _) = trusted("mutation CreateApiToken");
    let (status, body) = post(
        &app,
        Some(&token),
        json!({
            "extensions": { "persistedQuery": by_hash(&create) },
            "variables": { "input": { "name": "script", "scopes": ["rooms:read"] } },
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let api_token = body["data"]["createApiToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    for request in [
        json!({ "query": ME }),
        json!({ "query": ME, "extensions": apq(ME) }),
        json!({ "extensions": apq(ME) }),
    ] {
        let (status, body) = post(&app, Some(&api_token), request).await;
        assert_eq!(
            (status, &body["data"]["me"]["email"]),
            (200, &json!("t@example.com")),
            "{body}"
        );
    }

    // Over WebSocket as well.
    let session = chorus_tests::Session {
        user_id: String::new(),
        nickname: "trusty".into(),
        email: "t@example.com".into(),
        password: String::new(),
        access_token: token.clone(),
        refresh_token: String::new(),
    };
    let mut ws = app.socket(&session).await;
    ws.subscribe("1", ME, json!({})).await;
    let msg = ws.next_message().await;
    assert_eq!(msg["type"], "error", "{msg}");
    assert_eq!(
        msg["payload"][0]["extensions"]["code"], "FORBIDDEN",
        "{msg}"
    );
    ws.send_json(json!({ "id": "2", "type": "subscribe",
        "payload": { "query": "", "extensions": { "persistedQuery": by_hash(&me) } } }))
        .await;
    assert_eq!(ws.next_data("2").await["me"]["email"], "t@example.com");
}
