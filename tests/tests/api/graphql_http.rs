//! GraphQL over HTTP as the spec has it: content negotiation, status codes, GET queries, request checks,
//! compression, and the spec's own audit suite (`graphql-http`) against the real server.

use std::io::Read;

use chorus_tests::{TestApp, WAIT, node, spawn_app, spawn_app_with};
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// POSTs `body` (JSON) to `/graphql` with `Accept: accept`; status, content type and body.
async fn post(app: &TestApp, accept: &str, body: Value) -> (u16, String, Value) {
    let res = app
        .http
        .post(app.url("/graphql"))
        .header(ACCEPT, accept)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let kind = content_type(&res);
    (status, kind, res.json().await.unwrap_or(Value::Null))
}

fn content_type(res: &reqwest::Response) -> String {
    res.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A request written by hand, for what HTTP clients add on their own (reqwest always sends `Accept`).
async fn raw(app: &TestApp, head: &str, body: &str) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "{head}\r\nHost: chorus\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut answer))
        .await
        .expect("answer in time")
        .unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

#[tokio::test]
async fn responses_are_json_unless_the_graphql_media_type_is_asked_for() {
    let app = spawn_app().await;
    let query = json!({ "query": "{ __typename }" });
    for (accept, expected) in [
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (
            "application/graphql-response+json, application/json;q=0.9",
            GRAPHQL_RESPONSE,
        ),
        (
            "application/json, application/graphql-response+json;q=0.5",
            "application/json",
        ),
    ] {
        let (status, kind, body) = post(&app, accept, query.clone()).await;
        assert_eq!(status, 200, "{accept}");
        assert!(kind.starts_with(expected), "{accept}: {kind}");
        assert!(kind.contains("charset=utf-8"), "{kind}");
        assert_eq!(body["data"]["__typename"], "Query");
    }

    // No Accept at all: JSON.
    let (status, head, body) = raw(
        &app,
        "POST /graphql HTTP/1.1\r\nContent-Type: application/json",
        r#"{"query":"{ __typename }"}"#,
    )
    .await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(body.contains("Query"), "{body}");

    // Neither JSON type acceptable: 406.
    let (status, _, _) = post(&app, "text/plain", query).await;
    assert_eq!(status, 406);
}

#[tokio::test]
async fn request_errors_are_400_without_data_for_the_graphql_media_type_and_200_for_json() {
    let app = spawn_app().await;
    let cases = [
        json!({ "query": "{" }),
        json!({ "query": "{ noSuchField }" }),
        json!({ "query": "query($id: ID!) { user(id: $id) { id } }", "variables": { "id": null } }),
        json!({ "query": "query($n: Int!) { __typename }", "variables": { "n": "many" } }),
        json!({ "query": "query A { __typename } query B { __typename }" }),
        // Refused by the server's limits before running: also a request error.
        json!({ "query": format!("{{ {} }}", "__typename ".repeat(6000)) }),
    ];
    for case in cases {
        let (status, kind, body) = post(&app, GRAPHQL_RESPONSE, case.clone()).await;
        assert_eq!(status, 400, "{case}: {body}");
        assert!(kind.starts_with(GRAPHQL_RESPONSE));
        assert!(body.get("data").is_none(), "{case}: {body}");
        assert!(!body["errors"].as_array().unwrap().is_empty());

        let (status, _, body) = post(&app, "application/json", case.clone()).await;
        assert_eq!(status, 200, "{case}: {body}");
        assert!(body.get("data").is_none(), "{case}: {body}");
        assert!(!body["errors"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_operation_that_ran_keeps_its_data_and_200_even_when_it_failed() {
    let app = spawn_app().await;
    // `me` needs a caller: the operation ran, and its error nulls the whole (non-null) result.
    for accept in [GRAPHQL_RESPONSE, "application/json"] {
        let (status, _, body) = post(&app, accept, json!({ "query": "{ me { email } }" })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("data").is_some_and(Value::is_null), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn requests_that_are_not_graphql_requests_are_400_and_foreign_bodies_415() {
    let app = spawn_app().await;
    for body in [
        r#"{ "not json"#,
        r#"{"query": 1}"#,
        r#"{"query": {"obj": "ect"}}"#,
        r#"{"query": "{ __typename }", "operationName": 0}"#,
        r#"{"query": "{ __typename }", "variables": "string"}"#,
        r#"{"query": "{ __typename }", "extensions": ["array"]}"#,
        r#"{"qeury": "{ __typename }"}"#,
        r#"[{"query": "{ __typename }"}]"#,
        "",
    ] {
        for accept in [GRAPHQL_RESPONSE, "application/json"] {
            let res = app
                .http
                .post(app.url("/graphql"))
                .header(ACCEPT, accept)
                .header(CONTENT_TYPE, "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{body}");
            let answer: Value = res.json().await.unwrap();
            assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        }
    }
    // Null parameters are the same as absent ones.
    let (status, _, body) = post(
        &app,
        GRAPHQL_RESPONSE,
        json!({ "query": "{ __typename }", "operationName": null, "variables": null, "extensions": null }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // No Content-Type, or one that is not JSON (a form a page could post cross-site): 415.
    let (status, _, _) = raw(
        &app,
        "POST /graphql HTTP/1.1",
        r#"{"query":"{ __typename }"}"#,
    )
    .await;
    assert_eq!(status, 415);
    for kind in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
    ] {
        let res = app
            .http
            .post(app.url("/graphql"))
            .header(CONTENT_TYPE, kind)
            .body(r#"{"query":"{ __typename }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 415, "{kind}");
    }
}

#[tokio::test]
async fn get_runs_queries_for_json_clients_and_shows_graphiql_to_browsers() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let url = |params: &[(&str, &str)]| {
        let mut url = reqwest::Url::parse(&app.url("/graphql")).unwrap();
        url.query_pairs_mut().extend_pairs(params);
        url
    };

    let query = "query Me($x: String) { me { email } __type(name: $x) { name } }";
    for accept in ["application/json", GRAPHQL_RESPONSE, "*/*"] {
        let res = app
            .http
            .get(url(&[
                ("query", query),
                ("operationName", "Me"),
                ("variables", r#"{"x":"Room"}"#),
            ]))
            .header(ACCEPT, accept)
            .bearer_auth(&alice.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{accept}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["data"]["me"]["email"], "alice@example.com", "{body}");
        assert_eq!(body["data"]["__type"]["name"], "Room");
    }

    // Mutations are never run from a URL.
    let res = app
        .http
        .get(url(&[(
            "query",
            "mutation { logOut(refreshToken: \"x\") }",
        )]))
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");

    // Malformed parameters and a missing query are 400.
    for params in [
        vec![("query", "{ __typename }"), ("variables", "not json")],
        vec![("query", "{ __typename }"), ("extensions", "[1]")],
        vec![],
    ] {
        let res = app
            .http
            .get(url(&params))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{params:?}");
    }

    // A browser gets the playground, with or without a query.
    for params in [vec![], vec![("query", "{ __typename }")]] {
        let res = app
            .http
            .get(url(&params))
            .header(
                ACCEPT,
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(content_type(&res).starts_with("text/html"));
        assert!(res.text().await.unwrap().contains("GraphiQL"));
    }
}

#[tokio::test]
async fn json_responses_are_compressed_as_the_client_prefers() {
    let app = spawn_app().await;
    // Large enough to be worth compressing.
    let query = json!({ "query": "{ __schema { types { name description } } }" });
    let plain = app
        .http
        .post(app.url("/graphql"))
        .json(&query)
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let plain = plain.bytes().await.unwrap();

    for (accept, encoding) in [
        ("gzip", "gzip"),
        ("br", "br"),
        ("zstd", "zstd"),
        ("gzip;q=0.5, br", "br"),
    ] {
        let res = app
            .http
            .post(app.url("/graphql"))
            .header(ACCEPT_ENCODING, accept)
            .json(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()[CONTENT_ENCODING], encoding, "{accept}");
        let body = res.bytes().await.unwrap();
        assert!(
            body.len() * 2 < plain.len(),
            "{encoding}: {} of {}",
            body.len(),
            plain.len()
        );
        if encoding == "gzip" {
            let mut inflated = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut inflated)
                .unwrap();
            assert_eq!(inflated, plain);
        }
    }
}

#[tokio::test]
async fn event_streams_are_never_compressed() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let url = chorus_tests::sse::get_url(&app, &[("query", "{ me { email } }")]);
    let res = app
        .http
        .get(url)
        .header(ACCEPT_ENCODING, "gzip, br, zstd")
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get(CONTENT_ENCODING).is_none());
    assert!(res.text().await.unwrap().contains("alice@example.com"));
}

#[tokio::test]
async fn the_client_assets_are_served_precompressed() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dist.path().join("assets")).unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>app</html>").unwrap();
    let script = "console.log('chorus');".repeat(200);
    std::fs::write(dist.path().join("assets/app-1.js"), &script).unwrap();
    // Stand-ins: what matters is that these bytes are sent as they are, not compressed again.
    std::fs::write(dist.path().join("assets/app-1.js.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.path().join("assets/app-1.js.gz"), b"gzip bytes").unwrap();
    let dir = dist.path().to_path_buf();
    let app = spawn_app_with(move |c| c.static_dir = Some(dir)).await;

    for (accept, encoding, body) in [
        (
            Some("gzip, deflate, br, zstd"),
            Some("br"),
            &b"brotli bytes"[..],
        ),
        (Some("gzip"), Some("gzip"), &b"gzip bytes"[..]),
        (None, None, script.as_bytes()),
    ] {
        let mut request = app.http.get(app.url("/assets/app-1.js"));
        if let Some(accept) = accept {
            request = request.header(ACCEPT_ENCODING, accept);
        }
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get(CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert!(content_type(&res).contains("javascript"));
        assert!(
            res.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert_eq!(&res.bytes().await.unwrap()[..], body, "{accept:?}");
    }
}

/// The `graphql-http` package's audits (GraphQL over HTTP): every MUST and SHOULD passes. The script prints
/// each audit's name and result (`--nocapture` shows them).
#[tokio::test]
async fn the_graphql_over_http_audit_passes_every_must_and_should() {
    let app = spawn_app().await;
    let output = node::run("scripts/graphql-http-audit.mjs", &[&app.url("/graphql")]).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "audits failed:\n{stdout}");
    assert!(stdout.contains("MUST and SHOULD audits passed"), "{stdout}");
}
