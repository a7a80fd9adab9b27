//! The REST facade (`/api/...`) over real HTTP: what is its own (paths, status codes, bodies, the error shape,
//! parameter names) and the contract that it shows what GraphQL shows. The rules behind the endpoints are
//! GraphQL's and tested there.

use std::io::Cursor;

use chorus_tests::{Session, TestApp, WAIT, spawn_app};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use uuid::Uuid;

/// A REST response: status, JSON body (null when empty) and the `WWW-Authenticate` header.
#[derive(Debug)]
struct Reply {
    status: u16,
    body: Value,
    www_authenticate: Option<String>,
}

impl Reply {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }

    /// Asserts the status and returns the body.
    fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected response: {self:?}");
        self.body
    }

    /// Asserts an error response with its status and code.
    fn refused(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "unexpected response: {self:?}");
        assert_eq!(self.code(), code, "unexpected response: {self:?}");
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "an error carries a message: {self:?}"
        );
    }
}

async fn send_request(request: reqwest::RequestBuilder) -> Reply {
    let response = tokio::time::timeout(WAIT, request.send())
        .await
        .expect("timeout")
        .expect("request");
    let status = response.status().as_u16();
    let www_authenticate = response
        .headers()
        .get(WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("HTTP {status}: non-JSON body {text:?}"))
    };
    Reply {
        status,
        body,
        www_authenticate,
    }
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = app.http.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    send_request(request).await
}

async fn get(app: &TestApp, who: &Session, path: &str) -> Reply {
    call(app, Method::GET, path, Some(&who.access_token), None).await
}

async fn post(app: &TestApp, who: &Session, path: &str, body: Value) -> Reply {
    call(app, Method::POST, path, Some(&who.access_token), Some(body)).await
}

async fn patch(app: &TestApp, who: &Session, path: &str, body: Value) -> Reply {
    call(
        app,
        Method::PATCH,
        path,
        Some(&who.access_token),
        Some(body),
    )
    .await
}

async fn delete(app: &TestApp, who: &Session, path: &str) -> Reply {
    call(app, Method::DELETE, path, Some(&who.access_token), None).await
}

/// Signs up over REST and returns the session as the other tests see it.
async fn sign_up(app: &TestApp, nickname: &str) -> Session {
    let email = format!("{}@example.com", nickname.to_lowercase());
    let password = format!("pw-{nickname}-secret");
    let body = call(
        app,
        Method::POST,
        "/api/auth/signup",
        None,
        Some(json!({ "email": email, "password": password, "nickname": nickname })),
    )
    .await
    .expect(201);
    Session {
        user_id: body["user"]["id"].as_str().expect("id").to_owned(),
        nickname: nickname.to_owned(),
        email,
        password,
        access_token: body["accessToken"].as_str().expect("token").to_owned(),
        refresh_token: body["refreshToken"].as_str().expect("refresh").to_owned(),
    }
}

async fn group(app: &TestApp, owner: &Session, name: &str, members: &[&Session]) -> String {
    let ids: Vec<&str> = members.iter().map(|m| m.user_id.as_str()).collect();
    let room = post(
        app,
        owner,
        "/api/rooms",
        json!({ "name": name, "memberIds": ids }),
    )
    .await
    .expect(201);
    room["id"].as_str().expect("room id").to_owned()
}

async fn send(app: &TestApp, who: &Session, room: &str, content: &str) -> Value {
    post(
        app,
        who,
        &format!("/api/rooms/{room}/messages"),
        json!({ "content": content }),
    )
    .await
    .expect(201)
}

async fn two_in_a_room() -> (TestApp, Session, Session, String) {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let bob = sign_up(&app, "bob").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    (app, alice, bob, room)
}

fn id_of(value: &Value) -> &str {
    value["id"].as_str().expect("id")
}

fn contents(messages: &Value) -> Vec<Value> {
    messages
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| m["content"].clone())
        .collect()
}

/// Percent-encodes every byte of a path segment.
fn encode(segment: &str) -> String {
    segment.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn png() -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(2, 2, image::Rgb([10, 200, 30]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

// ------------------------------------------------------------------------------------------- contract

/// The selections REST promises (`docs/rest.md`), asked of GraphQL directly.
const USER: &str = "id nickname avatarUrl";
const MESSAGE: &str = "id roomId seq sender { id nickname avatarUrl } parentId content
    attachments { id url contentType size width height }
    reactions { emoji count reactedByMe users { id } } mentions { id } replyCount lastReplyAt seenBy { id }
    createdAt editedAt deletedAt clientId";

fn room_selection() -> String {
    format!(
        "id name isGroup members {{ user {{ {USER} }} role joinedAt seenAt lastReadSeq }}
         lastMessage {{ {MESSAGE} }} unreadCount unreadMentionCount muted lastSeq createdAt"
    )
}

/// Asserts that every field GraphQL returned is in the REST value, equal: GraphQL's `[{id}]` lists of people
/// are REST's `[id]`, a reaction's `users` is its `userIds`, and signed URLs are compared without their
/// signature (it changes with time).
fn assert_same(graphql: &Value, rest: &Value, at: &str) {
    match (graphql, rest) {
        (Value::Object(g), Value::Object(r)) => {
            for (key, value) in g {
                let (rest_key, value) = match key.as_str() {
                    "users" => ("userIds", ids(value)),
                    _ => (key.as_str(), value.clone()),
                };
                let Some(rest_value) = r.get(rest_key) else {
                    panic!("REST lacks {at}.{rest_key}: {rest}");
                };
                assert_same(&value, rest_value, &format!("{at}.{key}"));
            }
        }
        (Value::Array(g), Value::Array(r)) => {
            assert_eq!(g.len(), r.len(), "{at}: {graphql} vs {rest}");
            let g = if r.iter().all(Value::is_string) && g.iter().all(Value::is_object) {
                ids(graphql).as_array().unwrap().clone()
            } else {
                g.clone()
            };
            for (i, (g, r)) in g.iter().zip(r).enumerate() {
                assert_same(g, r, &format!("{at}[{i}]"));
            }
        }
        (Value::String(g), Value::String(r)) if g.starts_with("/files/") => {
            assert_eq!(g.split('?').next(), r.split('?').next(), "{at}");
        }
        _ => assert_eq!(graphql, rest, "{at}"),
    }
}

fn ids(users: &Value) -> Value {
    users
        .as_array()
        .expect("a list of users")
        .iter()
        .map(|u| u["id"].clone())
        .collect()
}

#[tokio::test]
async fn rest_shows_what_graphql_shows_for_the_same_data() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let (a, b) = (
        Some(alice.access_token.as_str()),
        Some(bob.access_token.as_str()),
    );
    let form = Form::new().part("file", Part::bytes(png()).file_name("me.png"));
    let avatar: Value = app
        .http
        .post(app.url("/api/upload"))
        .bearer_auth(&alice.access_token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app.ok(
        a,
        "mutation($id: ID) { updateProfile(input: { avatarAttachmentId: $id }) { id } }",
        json!({ "id": avatar["id"] }),
    )
    .await;
    let room = app
        .ok(
            a,
            "mutation($b: ID!) { createGroupRoom(input: { name: \"Team\", memberIds: [$b] }) { id } }",
            json!({ "b": bob.user_id }),
        )
        .await["createGroupRoom"]["id"]
        .clone();
    let send = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }";
    let root = app
        .ok(
            a,
            send,
            json!({ "input": { "roomId": room, "content": "hello @bob", "clientId": "c-1" } }),
        )
        .await["sendMessage"]["id"]
        .clone();
    app.ok(
        b,
        send,
        json!({ "input": { "roomId": room, "content": "hi" } }),
    )
    .await;
    app.ok(
        b,
        "mutation($m: ID!) { addReaction(messageId: $m, emoji: \"👍\") { id } }",
        json!({ "m": root }),
    )
    .await;
    app.ok(
        b,
        "mutation($m: ID!) { replyInThread(input: { parentId: $m, content: \"in thread @alice\" }) { id } }",
        json!({ "m": root }),
    )
    .await;
    app.ok(
        b,
        "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { id } }",
        json!({ "r": room, "m": root }),
    )
    .await;
    let room_id = room.as_str().unwrap();

    let graphql = app
        .ok(
            b,
            &format!("{{ rooms {{ {} }} }}", room_selection()),
            json!({}),
        )
        .await;
    let rest = get(&app, &bob, "/api/rooms").await.expect(200);
    assert_same(&graphql["rooms"], &rest["rooms"], "rooms");
    assert_eq!(
        rest["rooms"][0]["members"][0]["user"]["avatarUrl"]
            .as_str()
            .map(|url| url.starts_with("/files/")),
        Some(true),
        "avatars show over REST too: {rest}"
    );

    let graphql = app
        .ok(
            b,
            &format!(
                "query($id: ID!) {{ room(id: $id) {{ {} }} }}",
                room_selection()
            ),
            json!({ "id": room }),
        )
        .await;
    let rest = get(&app, &bob, &format!("/api/rooms/{room_id}"))
        .await
        .expect(200);
    assert_same(&graphql["room"], &rest, "room");

    let graphql = app
        .ok(
            b,
            &format!(
                "query($r: ID!) {{ messages(roomId: $r) {{ edges {{ node {{ {MESSAGE} }} }} }} }}"
            ),
            json!({ "r": room }),
        )
        .await;
    let mut nodes: Vec<Value> = graphql["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    nodes.reverse();
    let rest = get(&app, &bob, &format!("/api/rooms/{room_id}/messages"))
        .await
        .expect(200);
    assert_same(
        &Value::Array(nodes),
        &rest["messages"],
        "history (newest first)",
    );
    for m in rest["messages"].as_array().unwrap() {
        assert_eq!(m["senderId"], m["sender"]["id"]);
    }

    let graphql = app
        .ok(
            b,
            &format!(
                "query($m: ID!) {{ thread(messageId: $m) {{ edges {{ node {{ {MESSAGE} }} }} }} }}"
            ),
            json!({ "m": root }),
        )
        .await;
    let nodes: Vec<Value> = graphql["thread"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let rest = get(
        &app,
        &bob,
        &format!("/api/messages/{}/threads", root.as_str().unwrap()),
    )
    .await
    .expect(200);
    assert_same(&Value::Array(nodes), &rest["messages"], "thread");

    let graphql = app
        .ok(
            a,
            &format!("{{ me {{ user {{ {USER} }} email notificationsEnabled }} }}"),
            json!({}),
        )
        .await;
    let rest = get(&app, &alice, "/api/me").await.expect(200);
    assert_same(&graphql["me"], &rest, "me");
}

// ------------------------------------------------------------------------------------ REST's own parts

#[tokio::test]
async fn the_auth_endpoints_answer_with_a_session_at_their_status() {
    let app = spawn_app().await;
    let signed_up = call(
        &app,
        Method::POST,
        "/api/auth/signup",
        None,
        Some(json!({ "email": "Alice@Example.com", "password": "pw-alice-secret", "nickname": "alice" })),
    )
    .await
    .expect(201);
    for key in ["accessToken", "refreshToken"] {
        assert!(
            signed_up[key].as_str().is_some_and(|t| !t.is_empty()),
            "{key}"
        );
    }
    assert!(signed_up["expiresIn"].as_i64().is_some_and(|s| s > 0));
    assert_eq!(
        signed_up["user"],
        json!({ "id": signed_up["user"]["id"], "nickname": "alice", "avatarUrl": null }),
        "users never carry e-mails"
    );
    let me = call(
        &app,
        Method::GET,
        "/api/me",
        signed_up["accessToken"].as_str(),
        None,
    )
    .await
    .expect(200);
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["notificationsEnabled"], true);

    let logged_in = call(
        &app,
        Method::POST,
        "/api/auth/login",
        None,
        Some(json!({ "email": "alice@example.com", "password": "pw-alice-secret" })),
    )
    .await
    .expect(200);
    assert_eq!(logged_in["user"]["id"], signed_up["user"]["id"]);
    let refreshed = call(
        &app,
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(json!({ "refreshToken": logged_in["refreshToken"] })),
    )
    .await
    .expect(200);
    assert_ne!(refreshed["refreshToken"], logged_in["refreshToken"]);
    let logout = |token: Value| {
        let app = &app;
        async move {
            call(
                app,
                Method::POST,
                "/api/auth/logout",
                None,
                Some(json!({ "refreshToken": token })),
            )
            .await
            .expect(200)
        }
    };
    assert_eq!(
        logout(refreshed["refreshToken"].clone()).await,
        json!({ "loggedOut": true })
    );
    assert_eq!(
        logout(refreshed["refreshToken"].clone()).await,
        json!({ "loggedOut": false })
    );
}

#[tokio::test]
async fn errors_carry_the_graphql_code_with_its_status_and_the_field_at_fault() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let signup = |body: Value| call(&app, Method::POST, "/api/auth/signup", None, Some(body));
    let taken = signup(
        json!({ "email": "alice@example.com", "password": "another-secret", "nickname": "alice2" }),
    )
    .await;
    taken.refused(409, "CONFLICT");
    assert_eq!(taken.field(), Some("email"));
    let invalid =
        signup(json!({ "email": "not-an-email", "password": "pw-secret-123", "nickname": "x1" }))
            .await;
    invalid.refused(400, "BAD_USER_INPUT");
    assert_eq!(invalid.field(), Some("email"));
    call(
        &app,
        Method::POST,
        "/api/auth/login",
        None,
        Some(json!({ "email": alice.email, "password": "wrong-password" })),
    )
    .await
    .refused(401, "UNAUTHENTICATED");

    let message = send(&app, &alice, &room, "draft").await;
    let path = format!("/api/messages/{}", id_of(&message));
    patch(&app, &bob, &path, json!({ "content": "hijacked" }))
        .await
        .refused(403, "FORBIDDEN");
    let empty = patch(&app, &alice, &path, json!({ "content": "  " })).await;
    empty.refused(400, "BAD_USER_INPUT");
    assert_eq!(empty.field(), Some("content"));
    let mallory = sign_up(&app, "mallory").await;
    get(&app, &mallory, &format!("/api/rooms/{room}/messages"))
        .await
        .refused(404, "NOT_FOUND");
    delete(&app, &mallory, &path)
        .await
        .refused(404, "NOT_FOUND");
    get(&app, &mallory, &format!("/api/rooms/{room}"))
        .await
        .refused(404, "NOT_FOUND");
}

#[tokio::test]
async fn sending_returns_201_with_the_rest_shape_and_a_client_id_retry_returns_200() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let path = format!("/api/rooms/{room}/messages");
    let message = post(
        &app,
        &alice,
        &path,
        json!({ "content": "hello @bob", "clientId": "c-1" }),
    )
    .await
    .expect(201);
    assert_eq!(message["senderId"], json!(alice.user_id));
    assert_eq!(message["mentions"], json!([bob.user_id]));
    assert_eq!(message["seenBy"], json!([]));
    assert_eq!(message["clientId"], "c-1");
    let retry = post(
        &app,
        &alice,
        &path,
        json!({ "content": "hello again", "clientId": "c-1" }),
    )
    .await
    .expect(200);
    assert_eq!(retry["id"], message["id"], "a retry returns the original");
    assert_eq!(retry["content"], "hello @bob");
}

#[tokio::test]
async fn reactions_are_added_in_the_body_and_removed_by_an_url_encoded_emoji_in_the_path() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let message = send(&app, &alice, &room, "react to me").await;
    let path = format!("/api/messages/{}/reactions", id_of(&message));
    let added = post(&app, &bob, &path, json!({ "emoji": "👍" }))
        .await
        .expect(200);
    assert_eq!(
        added["reactions"],
        json!([{ "emoji": "👍", "count": 1, "reactedByMe": true, "userIds": [bob.user_id] }])
    );
    let removed = delete(&app, &bob, &format!("{path}/{}", encode("👍")))
        .await
        .expect(200);
    assert_eq!(removed["reactions"], json!([]));
    let reply = delete(&app, &bob, &format!("{path}/{}", encode("ab"))).await;
    reply.refused(400, "BAD_USER_INPUT");
    assert_eq!(reply.field(), Some("emoji"));
}

#[tokio::test]
async fn every_protected_endpoint_answers_401_without_a_valid_token() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    let endpoints: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/me".into(), None),
        (Method::GET, "/api/rooms".into(), None),
        (
            Method::POST,
            "/api/rooms".into(),
            Some(json!({ "name": "x", "memberIds": [] })),
        ),
        (
            Method::POST,
            "/api/rooms/direct".into(),
            Some(json!({ "userId": id })),
        ),
        (Method::GET, format!("/api/rooms/{id}"), None),
        (Method::GET, format!("/api/rooms/{id}/messages"), None),
        (
            Method::POST,
            format!("/api/rooms/{id}/messages"),
            Some(json!({ "content": "hi" })),
        ),
        (
            Method::POST,
            format!("/api/rooms/{id}/read"),
            Some(json!({ "messageId": id })),
        ),
        (
            Method::PATCH,
            format!("/api/messages/{id}"),
            Some(json!({ "content": "hi" })),
        ),
        (Method::DELETE, format!("/api/messages/{id}"), None),
        (
            Method::POST,
            format!("/api/messages/{id}/reactions"),
            Some(json!({ "emoji": "👍" })),
        ),
        (
            Method::DELETE,
            format!("/api/messages/{id}/reactions/{}", encode("👍")),
            None,
        ),
        (Method::GET, format!("/api/messages/{id}/threads"), None),
        (
            Method::POST,
            format!("/api/messages/{id}/threads"),
            Some(json!({ "content": "hi" })),
        ),
    ];
    for (method, path, body) in endpoints {
        for token in [None, Some("not-a-jwt"), Some("Basic abc")] {
            let mut request = app.http.request(method.clone(), app.url(&path));
            match token {
                Some(raw) if raw.starts_with("Basic") => {
                    request = request.header("Authorization", raw);
                }
                Some(raw) => request = request.bearer_auth(raw),
                None => {}
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let reply = send_request(request).await;
            assert_eq!(
                reply.status, 401,
                "{method} {path} with {token:?}: {reply:?}"
            );
            assert_eq!(reply.code(), "UNAUTHENTICATED", "{method} {path}");
            assert_eq!(
                reply.www_authenticate.as_deref(),
                Some("Bearer"),
                "{method} {path}"
            );
        }
    }
}

// --------------------------------------------------------------------------------------- bad requests

#[tokio::test]
async fn malformed_json_bodies_are_400_bad_user_input_never_a_500() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("/api/auth/signup", Some("application/json"), "{"),
        ("/api/auth/signup", Some("application/json"), "[]"),
        (
            "/api/auth/signup",
            Some("application/json"),
            r#"{"email": "a@b.c"}"#,
        ),
        (
            "/api/auth/login",
            Some("application/json"),
            r#"{"email": 5, "password": "x"}"#,
        ),
        (
            "/api/auth/login",
            Some("text/plain"),
            r#"{"email": "a@b.c", "password": "x"}"#,
        ),
        ("/api/auth/login", None, ""),
    ];
    for (path, content_type, body) in cases {
        let mut request = app.http.post(app.url(path)).body(body.to_owned());
        if let Some(ct) = content_type {
            request = request.header(CONTENT_TYPE, ct);
        }
        send_request(request).await.refused(400, "BAD_USER_INPUT");
    }
    let not_json = app
        .http
        .post(app.url(&format!("/api/rooms/{room}/messages")))
        .bearer_auth(&alice.access_token)
        .header(CONTENT_TYPE, "application/json")
        .body("content=hello");
    send_request(not_json).await.refused(400, "BAD_USER_INPUT");
    let wrong_type = post(
        &app,
        &alice,
        &format!("/api/rooms/{room}/messages"),
        json!({ "content": ["x"] }),
    )
    .await;
    wrong_type.refused(400, "BAD_USER_INPUT");
}

#[tokio::test]
async fn bad_ids_in_the_path_or_the_body_are_400_naming_the_field() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    for reply in [
        get(&app, &alice, "/api/rooms/not-a-uuid").await,
        get(&app, &alice, "/api/rooms/not-a-uuid/messages").await,
        post(
            &app,
            &alice,
            "/api/rooms/123/messages",
            json!({ "content": "hi" }),
        )
        .await,
        patch(
            &app,
            &alice,
            "/api/messages/xyz",
            json!({ "content": "hi" }),
        )
        .await,
        delete(&app, &alice, "/api/messages/xyz").await,
        post(
            &app,
            &alice,
            "/api/messages/xyz/reactions",
            json!({ "emoji": "👍" }),
        )
        .await,
        get(&app, &alice, "/api/messages/xyz/threads").await,
    ] {
        reply.refused(400, "BAD_USER_INPUT");
        assert_eq!(reply.field(), Some("id"), "{reply:?}");
    }
    let direct = post(
        &app,
        &alice,
        "/api/rooms/direct",
        json!({ "userId": "nope" }),
    )
    .await;
    direct.refused(400, "BAD_USER_INPUT");
    assert_eq!(direct.field(), Some("userId"));
    let group = post(
        &app,
        &alice,
        "/api/rooms",
        json!({ "name": "G", "memberIds": ["nope"] }),
    )
    .await;
    group.refused(400, "BAD_USER_INPUT");
    assert_eq!(group.field(), Some("memberIds"));
    let read = post(
        &app,
        &alice,
        &format!("/api/rooms/{room}/read"),
        json!({ "messageId": "nope" }),
    )
    .await;
    read.refused(400, "BAD_USER_INPUT");
    assert_eq!(read.field(), Some("messageId"));
}

#[tokio::test]
async fn unknown_api_paths_answer_404_in_the_error_shape() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    get(&app, &alice, "/api/nothing/here")
        .await
        .refused(404, "NOT_FOUND");
}

#[tokio::test]
async fn a_direct_room_is_created_once_with_201_and_returned_again_with_200() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let bob = sign_up(&app, "bob").await;
    let first = post(
        &app,
        &alice,
        "/api/rooms/direct",
        json!({ "userId": bob.user_id }),
    )
    .await
    .expect(201);
    assert_eq!(first["isGroup"], false);
    assert_eq!(first["name"], Value::Null);
    assert_eq!(first["members"].as_array().unwrap().len(), 2);
    let again = post(
        &app,
        &bob,
        "/api/rooms/direct",
        json!({ "userId": alice.user_id }),
    )
    .await
    .expect(200);
    assert_eq!(again["id"], first["id"], "one room per pair, whoever asks");

    post(
        &app,
        &alice,
        "/api/rooms/direct",
        json!({ "userId": Uuid::now_v7() }),
    )
    .await
    .refused(404, "NOT_FOUND");
}

#[tokio::test]
async fn history_pages_newest_first_with_before_and_limit() {
    let (app, alice, bob, room) = two_in_a_room().await;
    for i in 1..=5 {
        send(
            &app,
            if i % 2 == 0 { &bob } else { &alice },
            &room,
            &format!("m{i}"),
        )
        .await;
    }
    let path = format!("/api/rooms/{room}/messages");
    let page1 = get(&app, &alice, &format!("{path}?limit=2"))
        .await
        .expect(200);
    assert_eq!(contents(&page1["messages"]), vec![json!("m5"), json!("m4")]);
    assert_eq!(page1["hasMore"], true);
    let before = page1["nextBefore"].as_str().unwrap();
    let page2 = get(&app, &alice, &format!("{path}?before={before}&limit=2"))
        .await
        .expect(200);
    assert_eq!(contents(&page2["messages"]), vec![json!("m3"), json!("m2")]);
    let before = page2["nextBefore"].as_str().unwrap();
    let page3 = get(&app, &alice, &format!("{path}?before={before}&limit=2"))
        .await
        .expect(200);
    assert_eq!(contents(&page3["messages"]), vec![json!("m1")]);
    assert_eq!(page3["hasMore"], false);
    assert_eq!(page3["nextBefore"], Value::Null);

    // Without parameters (or with empty ones): the newest page, 50 at most by default.
    for query in ["", "?before=&limit="] {
        let all = get(&app, &bob, &format!("{path}{query}")).await.expect(200);
        assert_eq!(contents(&all["messages"]).len(), 5);
        assert_eq!(all["messages"][0]["content"], "m5");
        assert_eq!(all["hasMore"], false);
    }
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_a_400_naming_its_parameter() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    let path = format!("/api/rooms/{room}/messages");
    for (query, field) in [
        ("?before=garbage", "before"),
        ("?limit=-1", "limit"),
        ("?limit=ten", "limit"),
    ] {
        let reply = get(&app, &alice, &format!("{path}{query}")).await;
        reply.refused(400, "BAD_USER_INPUT");
        assert_eq!(reply.field(), Some(field), "{query}");
    }
    let m = send(&app, &alice, &room, "root").await;
    let reply = get(
        &app,
        &alice,
        &format!("/api/messages/{}/threads?after=%21%21", id_of(&m)),
    )
    .await;
    reply.refused(400, "BAD_USER_INPUT");
    assert_eq!(reply.field(), Some("after"));
}

#[tokio::test]
async fn replies_are_201_then_200_on_a_client_id_retry_and_page_oldest_first() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let root = send(&app, &alice, &room, "root").await;
    let threads = format!("/api/messages/{}/threads", id_of(&root));
    let first = post(
        &app,
        &bob,
        &threads,
        json!({ "content": "r1", "clientId": "t-1" }),
    )
    .await
    .expect(201);
    assert_eq!(first["parentId"], root["id"]);
    let retry = post(
        &app,
        &bob,
        &threads,
        json!({ "content": "r1 again", "clientId": "t-1" }),
    )
    .await
    .expect(200);
    assert_eq!(retry["id"], first["id"]);
    for content in ["r2", "r3"] {
        post(&app, &alice, &threads, json!({ "content": content }))
            .await
            .expect(201);
    }

    let page1 = get(&app, &alice, &format!("{threads}?limit=2"))
        .await
        .expect(200);
    assert_eq!(contents(&page1["messages"]), vec![json!("r1"), json!("r2")]);
    assert_eq!(page1["hasMore"], true);
    let after = page1["nextAfter"].as_str().unwrap();
    let page2 = get(&app, &alice, &format!("{threads}?after={after}&limit=2"))
        .await
        .expect(200);
    assert_eq!(contents(&page2["messages"]), vec![json!("r3")]);
    assert_eq!(page2["hasMore"], false);
    assert_eq!(page2["nextAfter"], Value::Null);
}
