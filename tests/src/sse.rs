//! Server-sent events: GraphQL over `POST /graphql/stream` and `GET /graphql/sse`.

use serde_json::{Value, json};

use crate::{TestApp, WAIT};

/// Opens `POST /graphql/stream` for `query` with `variables`, as `token` when given; expects 200.
pub async fn open(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.url("/graphql/stream"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let res = tokio::time::timeout(WAIT, request.send())
        .await
        .expect("timeout")
        .expect("request");
    assert_eq!(res.status(), 200);
    res
}

/// `GET /graphql/sse?…` with the parameters percent-encoded.
pub fn get_url(app: &TestApp, params: &[(&str, &str)]) -> String {
    let encode = |raw: &str| -> String {
        raw.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("{}?{}", app.url("/graphql/sse"), query.join("&"))
}

/// The `event` name and `data` of one SSE block, if it names an event.
fn parse_block(block: &str) -> Option<(String, String)> {
    let mut event = None;
    let mut data = String::new();
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            event = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push_str(v.trim());
        }
    }
    event.filter(|e| !e.is_empty()).map(|e| (e, data))
}

/// Reads events (`event`, parsed `data`) until `n` have arrived or the stream ends; each read fails the test
/// after [`WAIT`].
pub async fn read_events(res: &mut reqwest::Response, n: usize) -> Vec<(String, Value)> {
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
            if let Some((name, data)) = parse_block(&block) {
                events.push((name, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
    }
    events
}

/// Reads the response until it ends; returns its `(event, data)` pairs. Fails after [`WAIT`].
pub async fn read_to_end(res: &mut reqwest::Response) -> Vec<(String, String)> {
    let mut text = String::new();
    tokio::time::timeout(WAIT, async {
        while let Some(chunk) = res.chunk().await.expect("chunk") {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("the SSE stream did not end in time");
    text.split("\n\n").filter_map(parse_block).collect()
}

/// graphql-sse's single connection mode: the header that names the reserved stream.
pub const TOKEN_HEADER: &str = "x-graphql-event-stream-token";

/// `PUT /graphql/sse` as `auth` (an access token, or anonymous).
pub async fn reserve(app: &TestApp, auth: Option<&str>) -> reqwest::Response {
    let mut request = app.http.put(app.url("/graphql/sse"));
    if let Some(auth) = auth {
        request = request.bearer_auth(auth);
    }
    tokio::time::timeout(WAIT, request.send())
        .await
        .expect("timeout")
        .expect("request")
}

/// A reserved stream's token; expects 201.
pub async fn reserved(app: &TestApp, auth: Option<&str>) -> String {
    let res = reserve(app, auth).await;
    assert_eq!(res.status(), 201);
    res.text().await.expect("token")
}

/// `GET /graphql/sse` of the reserved stream `stream`, as `auth`.
pub async fn attach(app: &TestApp, auth: Option<&str>, stream: &str) -> reqwest::Response {
    let mut request = app
        .http
        .get(app.url("/graphql/sse"))
        .header("accept", "text/event-stream")
        .header(TOKEN_HEADER, stream);
    if let Some(auth) = auth {
        request = request.bearer_auth(auth);
    }
    tokio::time::timeout(WAIT, request.send())
        .await
        .expect("timeout")
        .expect("request")
}

/// `POST /graphql/sse` of one operation (`id`) on the reserved stream `stream`, as `auth`.
pub async fn operate(
    app: &TestApp,
    auth: Option<&str>,
    stream: &str,
    id: &str,
    query: &str,
    variables: Value,
) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.url("/graphql/sse"))
        .header(TOKEN_HEADER, stream)
        .json(
            &json!({ "query": query, "variables": variables, "extensions": { "operationId": id } }),
        );
    if let Some(auth) = auth {
        request = request.bearer_auth(auth);
    }
    tokio::time::timeout(WAIT, request.send())
        .await
        .expect("timeout")
        .expect("request")
}
