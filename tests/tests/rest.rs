//! The REST facade (`/api/...`): every endpoint over real HTTP, its happy path and its refusals, with the
//! same services and error codes as the GraphQL API.

use std::sync::atomic::Ordering;

use chorus_tests::{
    Session, TestApp, WAIT, spawn_app, spawn_app_counting_statements, spawn_app_with,
};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
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

// ------------------------------------------------------------------------------------------------ auth

#[tokio::test]
async fn signing_up_returns_201_with_a_session_whose_token_opens_me() {
    let app = spawn_app().await;
    let reply = call(
        &app,
        Method::POST,
        "/api/auth/signup",
        None,
        Some(json!({ "email": "Alice@Example.com", "password": "pw-alice-secret", "nickname": "alice" })),
    )
    .await;
    let session = reply.expect(201);
    assert!(
        session["accessToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(
        session["refreshToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(session["expiresIn"].as_i64().is_some_and(|s| s > 0));
    assert_eq!(session["user"]["nickname"], "alice");
    assert_eq!(session["user"]["avatarUrl"], Value::Null);
    assert!(
        session["user"].get("email").is_none(),
        "users never carry e-mails"
    );

    let me = call(
        &app,
        Method::GET,
        "/api/me",
        session["accessToken"].as_str(),
        None,
    )
    .await
    .expect(200);
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["user"]["id"], session["user"]["id"]);
    assert_eq!(me["notificationsEnabled"], true);
}

#[tokio::test]
async fn signing_up_twice_with_the_same_email_or_nickname_is_a_409_naming_the_field() {
    let app = spawn_app().await;
    sign_up(&app, "alice").await;
    let same_email = call(
        &app,
        Method::POST,
        "/api/auth/signup",
        None,
        Some(json!({ "email": "alice@example.com", "password": "another-secret", "nickname": "alice2" })),
    )
    .await;
    same_email.refused(409, "CONFLICT");
    assert_eq!(same_email.field(), Some("email"));

    let same_nickname = call(
        &app,
        Method::POST,
        "/api/auth/signup",
        None,
        Some(json!({ "email": "other@example.com", "password": "another-secret", "nickname": "ALICE" })),
    )
    .await;
    same_nickname.refused(409, "CONFLICT");
    assert_eq!(same_nickname.field(), Some("nickname"));
}

#[tokio::test]
async fn signing_up_with_invalid_input_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let reply = call(
        &app,
        Method::POST,
        "/api/auth/signup",
        None,
        Some(json!({ "email": "not-an-email", "password": "pw-secret-123", "nickname": "alice" })),
    )
    .await;
    reply.refused(400, "BAD_USER_INPUT");
    assert_eq!(reply.field(), Some("email"));
}

#[tokio::test]
async fn logging_in_with_the_right_password_returns_a_session_and_a_wrong_one_is_401() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let session = call(
        &app,
        Method::POST,
        "/api/auth/login",
        None,
        Some(json!({ "email": alice.email, "password": alice.password })),
    )
    .await
    .expect(200);
    assert_eq!(session["user"]["id"], json!(alice.user_id));
    get(
        &app,
        &Session {
            access_token: session["accessToken"].as_str().unwrap().to_owned(),
            ..alice.clone()
        },
        "/api/me",
    )
    .await
    .expect(200);

    for (email, password) in [
        (alice.email.as_str(), "wrong-password"),
        ("nobody@example.com", "whatever-password"),
    ] {
        call(
            &app,
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({ "email": email, "password": password })),
        )
        .await
        .refused(401, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn refreshing_rotates_the_refresh_token_and_the_old_one_stops_working() {
    // No grace window for repeats (two tabs refreshing at once): the old token fails at once.
    let app = spawn_app_with(|c| c.refresh_reuse_grace = std::time::Duration::ZERO).await;
    let alice = sign_up(&app, "alice").await;
    let refreshed = call(
        &app,
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(json!({ "refreshToken": alice.refresh_token })),
    )
    .await
    .expect(200);
    let new_refresh = refreshed["refreshToken"].as_str().unwrap();
    assert_ne!(new_refresh, alice.refresh_token);
    assert_eq!(refreshed["user"]["id"], json!(alice.user_id));

    call(
        &app,
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(json!({ "refreshToken": alice.refresh_token })),
    )
    .await
    .refused(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn logging_out_ends_the_session_so_its_refresh_token_is_refused() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let logout = |token: String| {
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
    assert_eq!(logout(alice.refresh_token.clone()).await["loggedOut"], true);
    assert_eq!(
        logout(alice.refresh_token.clone()).await["loggedOut"],
        false,
        "a second log-out finds nothing to end"
    );
    call(
        &app,
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(json!({ "refreshToken": alice.refresh_token })),
    )
    .await
    .refused(401, "UNAUTHENTICATED");
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

// -------------------------------------------------------------------------------------------------- rooms

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
async fn creating_a_group_makes_me_its_owner_and_it_shows_in_everyones_room_list() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let bob = sign_up(&app, "bob").await;
    let carol = sign_up(&app, "carol").await;
    let room = post(
        &app,
        &alice,
        "/api/rooms",
        json!({ "name": "  Team  ", "memberIds": [bob.user_id, bob.user_id] }),
    )
    .await
    .expect(201);
    assert_eq!(room["name"], "Team");
    assert_eq!(room["isGroup"], true);
    assert_eq!(room["unreadCount"], 0);
    assert_eq!(room["unreadMentionCount"], 0);
    assert_eq!(room["muted"], false);
    assert_eq!(room["lastMessage"], Value::Null);
    assert!(
        room["lastSeq"].as_i64().unwrap() > 0,
        "member joins are events"
    );
    assert!(room["createdAt"].as_str().is_some());
    let roles: Vec<(Value, Value)> = room["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["user"]["nickname"].clone(), m["role"].clone()))
        .collect();
    assert_eq!(
        roles,
        vec![
            (json!("alice"), json!("OWNER")),
            (json!("bob"), json!("MEMBER"))
        ]
    );

    for who in [&alice, &bob] {
        let rooms = get(&app, who, "/api/rooms").await.expect(200);
        assert_eq!(rooms["rooms"][0]["id"], room["id"]);
    }
    let theirs = get(&app, &carol, "/api/rooms").await.expect(200);
    assert_eq!(theirs["rooms"], json!([]));
    get(&app, &carol, &format!("/api/rooms/{}", id_of(&room)))
        .await
        .refused(404, "NOT_FOUND");
    let mine = get(&app, &bob, &format!("/api/rooms/{}", id_of(&room)))
        .await
        .expect(200);
    assert_eq!(mine["id"], room["id"]);
}

#[tokio::test]
async fn a_group_with_a_bad_name_or_an_unknown_member_is_refused_with_400() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let empty = post(
        &app,
        &alice,
        "/api/rooms",
        json!({ "name": "   ", "memberIds": [] }),
    )
    .await;
    empty.refused(400, "BAD_USER_INPUT");
    assert_eq!(empty.field(), Some("name"));
    let unknown = post(
        &app,
        &alice,
        "/api/rooms",
        json!({ "name": "Team", "memberIds": [Uuid::now_v7()] }),
    )
    .await;
    unknown.refused(400, "BAD_USER_INPUT");
    assert_eq!(unknown.field(), Some("memberIds"));
}

#[tokio::test]
async fn the_room_list_carries_the_last_message_and_my_unread_counts() {
    let (app, alice, bob, room) = two_in_a_room().await;
    send(&app, &alice, &room, "first").await;
    send(&app, &alice, &room, "hi @bob").await;
    let rooms = get(&app, &bob, "/api/rooms").await.expect(200);
    let listed = &rooms["rooms"][0];
    assert_eq!(listed["id"], json!(room));
    assert_eq!(listed["unreadCount"], 2);
    assert_eq!(listed["unreadMentionCount"], 1);
    assert_eq!(listed["lastMessage"]["content"], "hi @bob");
    assert_eq!(listed["lastMessage"]["sender"]["nickname"], "alice");
    assert_eq!(listed["lastMessage"]["mentions"], json!([bob.user_id]));
}

// ----------------------------------------------------------------------------------------------- messages

#[tokio::test]
async fn sending_a_message_returns_201_with_the_graphql_field_names() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let message = post(
        &app,
        &alice,
        &format!("/api/rooms/{room}/messages"),
        json!({ "content": "  hello @bob  ", "clientId": "c-1" }),
    )
    .await
    .expect(201);
    let keys: std::collections::BTreeSet<&str> = message
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "roomId",
        "seq",
        "senderId",
        "sender",
        "parentId",
        "content",
        "attachments",
        "reactions",
        "mentions",
        "replyCount",
        "lastReplyAt",
        "seenBy",
        "createdAt",
        "editedAt",
        "deletedAt",
        "clientId",
    ] {
        assert!(keys.contains(key), "message has {key}: {message}");
    }
    assert_eq!(message["roomId"], json!(room));
    assert_eq!(message["content"], "hello @bob");
    assert_eq!(message["senderId"], json!(alice.user_id));
    assert_eq!(
        message["sender"],
        json!({ "id": alice.user_id, "nickname": "alice", "avatarUrl": null })
    );
    assert_eq!(message["parentId"], Value::Null);
    assert_eq!(message["clientId"], "c-1");
    assert_eq!(message["mentions"], json!([bob.user_id]));
    assert_eq!(message["reactions"], json!([]));
    assert_eq!(message["replyCount"], 0);
    assert_eq!(message["editedAt"], Value::Null);
    assert_eq!(message["deletedAt"], Value::Null);
    assert!(message["seq"].as_i64().unwrap() > 0);

    let retry = post(
        &app,
        &alice,
        &format!("/api/rooms/{room}/messages"),
        json!({ "content": "hello again", "clientId": "c-1" }),
    )
    .await
    .expect(200);
    assert_eq!(
        retry["id"], message["id"],
        "a retry with the same clientId returns the original"
    );
    assert_eq!(retry["content"], "hello @bob");
}

#[tokio::test]
async fn invalid_message_content_is_a_400_naming_content() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    for content in ["   ", "bell\u{7}"] {
        let reply = post(
            &app,
            &alice,
            &format!("/api/rooms/{room}/messages"),
            json!({ "content": content }),
        )
        .await;
        reply.refused(400, "BAD_USER_INPUT");
        assert_eq!(reply.field(), Some("content"));
    }
}

/// One call to each endpoint under `/api/messages/{m}`, as `who`.
async fn every_message_endpoint(
    app: &TestApp,
    who: &Session,
    m: impl std::fmt::Display,
) -> Vec<Reply> {
    vec![
        patch(
            app,
            who,
            &format!("/api/messages/{m}"),
            json!({ "content": "x" }),
        )
        .await,
        delete(app, who, &format!("/api/messages/{m}")).await,
        post(
            app,
            who,
            &format!("/api/messages/{m}/reactions"),
            json!({ "emoji": "👍" }),
        )
        .await,
        delete(
            app,
            who,
            &format!("/api/messages/{m}/reactions/{}", encode("👍")),
        )
        .await,
        post(
            app,
            who,
            &format!("/api/messages/{m}/threads"),
            json!({ "content": "x" }),
        )
        .await,
        get(app, who, &format!("/api/messages/{m}/threads")).await,
    ]
}

#[tokio::test]
async fn a_non_member_cannot_read_send_react_reply_or_mark_read_and_gets_404_as_for_an_unknown_id()
{
    let (app, alice, _bob, room) = two_in_a_room().await;
    let mallory = sign_up(&app, "mallory").await;
    let message = send(&app, &alice, &room, "private").await;
    let m = id_of(&message);
    for reply in [
        get(&app, &mallory, &format!("/api/rooms/{room}/messages")).await,
        post(
            &app,
            &mallory,
            &format!("/api/rooms/{room}/messages"),
            json!({ "content": "hi" }),
        )
        .await,
        post(
            &app,
            &mallory,
            &format!("/api/rooms/{room}/read"),
            json!({ "messageId": m }),
        )
        .await,
    ]
    .into_iter()
    .chain(every_message_endpoint(&app, &mallory, m).await)
    {
        reply.refused(404, "NOT_FOUND");
    }
    // A room that does not exist looks the same as someone else's.
    let nowhere = Uuid::now_v7();
    post(
        &app,
        &mallory,
        &format!("/api/rooms/{nowhere}/messages"),
        json!({ "content": "hi" }),
    )
    .await
    .refused(404, "NOT_FOUND");
    let history = get(&app, &alice, &format!("/api/rooms/{room}/messages"))
        .await
        .expect(200);
    assert_eq!(
        contents(&history["messages"]),
        vec![json!("private")],
        "nothing was written"
    );
}

#[tokio::test]
async fn unknown_messages_are_404() {
    let (app, alice, _bob, _room) = two_in_a_room().await;
    let m = Uuid::now_v7();
    for reply in every_message_endpoint(&app, &alice, m).await {
        reply.refused(404, "NOT_FOUND");
    }
}

#[tokio::test]
async fn history_pages_newest_first_with_before_and_limit_across_tombstones_and_threads() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let mut sent = Vec::new();
    for i in 1..=7 {
        sent.push(
            send(
                &app,
                if i % 2 == 0 { &bob } else { &alice },
                &room,
                &format!("m{i}"),
            )
            .await,
        );
    }
    // A thread reply stays out of the room's history; a deleted message keeps its place.
    post(
        &app,
        &bob,
        &format!("/api/messages/{}/threads", id_of(&sent[0])),
        json!({ "content": "reply" }),
    )
    .await
    .expect(201);
    delete(&app, &alice, &format!("/api/messages/{}", id_of(&sent[2])))
        .await
        .expect(200);

    let path = format!("/api/rooms/{room}/messages");
    let page1 = get(&app, &alice, &format!("{path}?limit=3"))
        .await
        .expect(200);
    assert_eq!(
        contents(&page1["messages"]),
        vec![json!("m7"), json!("m6"), json!("m5")]
    );
    assert_eq!(page1["hasMore"], true);
    let before = page1["nextBefore"].as_str().unwrap();
    let page2 = get(&app, &alice, &format!("{path}?before={before}&limit=3"))
        .await
        .expect(200);
    assert_eq!(
        contents(&page2["messages"]),
        vec![json!("m4"), Value::Null, json!("m2")]
    );
    assert!(
        page2["messages"][1]["deletedAt"].is_string(),
        "the tombstone keeps its place"
    );
    assert_eq!(page2["hasMore"], true);
    let before = page2["nextBefore"].as_str().unwrap();
    let page3 = get(&app, &alice, &format!("{path}?before={before}&limit=3"))
        .await
        .expect(200);
    assert_eq!(contents(&page3["messages"]), vec![json!("m1")]);
    assert_eq!(page3["messages"][0]["replyCount"], 1);
    assert_eq!(page3["hasMore"], false);
    assert_eq!(page3["nextBefore"], Value::Null);

    // Without parameters (or with empty ones): the newest page, 50 at most by default.
    for query in ["", "?before=&limit="] {
        let all = get(&app, &bob, &format!("{path}{query}")).await.expect(200);
        assert_eq!(all["messages"].as_array().unwrap().len(), 7);
        assert_eq!(all["hasMore"], false);
        let seqs: Vec<i64> = all["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["seq"].as_i64().unwrap())
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[0] > w[1]),
            "newest first: {seqs:?}"
        );
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
async fn the_author_edits_a_message_and_anyone_else_is_refused_with_403() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let message = send(&app, &alice, &room, "draft").await;
    let path = format!("/api/messages/{}", id_of(&message));
    let edited = patch(&app, &alice, &path, json!({ "content": "final @bob" }))
        .await
        .expect(200);
    assert_eq!(edited["content"], "final @bob");
    assert!(edited["editedAt"].is_string());
    assert_eq!(edited["mentions"], json!([bob.user_id]));

    patch(&app, &bob, &path, json!({ "content": "hijacked" }))
        .await
        .refused(403, "FORBIDDEN");
    let empty = patch(&app, &alice, &path, json!({ "content": "  " })).await;
    empty.refused(400, "BAD_USER_INPUT");
    assert_eq!(empty.field(), Some("content"));
}

#[tokio::test]
async fn deleting_leaves_a_tombstone_and_only_the_author_or_a_room_admin_may_do_it() {
    let app = spawn_app().await;
    let alice = sign_up(&app, "alice").await;
    let bob = sign_up(&app, "bob").await;
    let carol = sign_up(&app, "carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    let bobs = send(&app, &bob, &room, "bob's words").await;
    let path = format!("/api/messages/{}", id_of(&bobs));

    delete(&app, &carol, &path).await.refused(403, "FORBIDDEN");
    let tombstone = delete(&app, &alice, &path).await.expect(200);
    assert_eq!(tombstone["content"], Value::Null);
    assert!(tombstone["deletedAt"].is_string());
    let again = delete(&app, &bob, &path).await.expect(200);
    assert_eq!(
        again["deletedAt"], tombstone["deletedAt"],
        "deleting twice changes nothing"
    );

    patch(&app, &bob, &path, json!({ "content": "back" }))
        .await
        .refused(400, "BAD_USER_INPUT");
}

#[tokio::test]
async fn reactions_are_added_grouped_and_removed_with_an_url_encoded_emoji() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let message = send(&app, &alice, &room, "react to me").await;
    let path = format!("/api/messages/{}/reactions", id_of(&message));

    post(&app, &alice, &path, json!({ "emoji": "👍" }))
        .await
        .expect(200);
    post(&app, &bob, &path, json!({ "emoji": "👍" }))
        .await
        .expect(200);
    let twice = post(&app, &bob, &path, json!({ "emoji": "👍" }))
        .await
        .expect(200);
    assert_eq!(
        twice["reactions"],
        json!([{ "emoji": "👍", "count": 2, "reactedByMe": true, "userIds": [alice.user_id, bob.user_id] }]),
        "adding twice is a no-op"
    );
    let heart = post(&app, &bob, &path, json!({ "emoji": "❤" }))
        .await
        .expect(200);
    assert_eq!(
        heart["reactions"][1]["emoji"], "❤️",
        "stored in its fully-qualified form"
    );

    let removed = delete(&app, &bob, &format!("{path}/{}", encode("👍")))
        .await
        .expect(200);
    assert_eq!(
        removed["reactions"],
        json!([
            { "emoji": "👍", "count": 1, "reactedByMe": false, "userIds": [alice.user_id] },
            { "emoji": "❤️", "count": 1, "reactedByMe": true, "userIds": [bob.user_id] },
        ])
    );
    let unchanged = delete(&app, &bob, &format!("{path}/{}", encode("👍")))
        .await
        .expect(200);
    assert_eq!(
        unchanged["reactions"], removed["reactions"],
        "removing twice is a no-op"
    );

    for bad in ["x", "👍👍", ""] {
        let reply = post(&app, &bob, &path, json!({ "emoji": bad })).await;
        reply.refused(400, "BAD_USER_INPUT");
        assert_eq!(reply.field(), Some("emoji"), "{bad:?}");
    }
    let reply = delete(&app, &bob, &format!("{path}/{}", encode("ab"))).await;
    reply.refused(400, "BAD_USER_INPUT");
    assert_eq!(reply.field(), Some("emoji"));
}

#[tokio::test]
async fn replies_go_to_the_thread_of_their_root_and_page_oldest_first() {
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
    assert_eq!(first["clientId"], "t-1");
    let retry = post(
        &app,
        &bob,
        &threads,
        json!({ "content": "r1 again", "clientId": "t-1" }),
    )
    .await
    .expect(200);
    assert_eq!(retry["id"], first["id"]);
    // Replying to a reply joins the root's thread.
    let nested = post(
        &app,
        &alice,
        &format!("/api/messages/{}/threads", id_of(&first)),
        json!({ "content": "r2" }),
    )
    .await
    .expect(201);
    assert_eq!(nested["parentId"], root["id"]);
    post(&app, &bob, &threads, json!({ "content": "r3" }))
        .await
        .expect(201);

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

    let history = get(&app, &alice, &format!("/api/rooms/{room}/messages"))
        .await
        .expect(200);
    assert_eq!(contents(&history["messages"]), vec![json!("root")]);
    assert_eq!(history["messages"][0]["replyCount"], 3);
    assert!(history["messages"][0]["lastReplyAt"].is_string());
}

#[tokio::test]
async fn marking_read_moves_my_marker_forward_only_and_clears_the_unread_count() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let m1 = send(&app, &alice, &room, "one").await;
    let m2 = send(&app, &alice, &room, "two @bob").await;
    let read_path = format!("/api/rooms/{room}/read");

    let after_first = post(&app, &bob, &read_path, json!({ "messageId": id_of(&m1) }))
        .await
        .expect(200);
    assert_eq!(after_first["unreadCount"], 1);
    assert_eq!(after_first["unreadMentionCount"], 1);
    let after_second = post(&app, &bob, &read_path, json!({ "messageId": id_of(&m2) }))
        .await
        .expect(200);
    assert_eq!(after_second["unreadCount"], 0);
    assert_eq!(after_second["unreadMentionCount"], 0);
    let bobs_marker = |room: &Value| {
        room["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user"]["nickname"] == "bob")
            .map(|m| m["lastReadSeq"].clone())
            .unwrap()
    };
    assert_eq!(bobs_marker(&after_second), m2["seq"]);
    let back = post(&app, &bob, &read_path, json!({ "messageId": id_of(&m1) }))
        .await
        .expect(200);
    assert_eq!(bobs_marker(&back), m2["seq"], "markers never move back");

    let history = get(&app, &alice, &format!("/api/rooms/{room}/messages"))
        .await
        .expect(200);
    assert_eq!(history["messages"][0]["seenBy"], json!([bob.user_id]));

    let elsewhere = group(&app, &alice, "Other", &[&bob]).await;
    let foreign = send(&app, &alice, &elsewhere, "there").await;
    let reply = post(
        &app,
        &bob,
        &read_path,
        json!({ "messageId": id_of(&foreign) }),
    )
    .await;
    reply.refused(400, "BAD_USER_INPUT");
    assert_eq!(reply.field(), Some("messageId"));
}

// ---------------------------------------------------------------------------------------------------- N+1

async fn statements_for(
    app: &TestApp,
    counter: &std::sync::atomic::AtomicUsize,
    who: &Session,
    path: &str,
) -> usize {
    let before = counter.load(Ordering::SeqCst);
    get(app, who, path).await.expect(200);
    counter.load(Ordering::SeqCst) - before
}

#[tokio::test]
async fn rooms_and_history_pages_cost_the_same_number_of_statements_whatever_their_size() {
    let (app, counter) = spawn_app_counting_statements().await;
    let alice = sign_up(&app, "alice").await;
    let bob = sign_up(&app, "bob").await;
    let carol = sign_up(&app, "carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    for i in 0..30 {
        let who = [&alice, &bob, &carol][i % 3];
        let m = send(
            &app,
            who,
            &room,
            &format!("message {i} for @alice @bob @carol"),
        )
        .await;
        let reactions = format!("/api/messages/{}/reactions", id_of(&m));
        post(&app, &bob, &reactions, json!({ "emoji": "👍" }))
            .await
            .expect(200);
        post(&app, &carol, &reactions, json!({ "emoji": "🎉" }))
            .await
            .expect(200);
    }
    let path = format!("/api/rooms/{room}/messages");
    let small = statements_for(&app, &counter, &alice, &format!("{path}?limit=3")).await;
    let large = statements_for(&app, &counter, &alice, &format!("{path}?limit=30")).await;
    // Batches are one `load_many` each; the slack only absorbs background work (presence upkeep) that happens
    // to run during the request. An N+1 would add at least a statement per extra message (27 here).
    assert!(
        large <= small + 3,
        "a 30-message page ({large}) costs no more than a 3-message page ({small})"
    );
    assert!(large <= 15, "{large} statements for one page");

    let one_room = statements_for(&app, &counter, &alice, "/api/rooms").await;
    for i in 0..8 {
        let r = group(&app, &alice, &format!("Room {i}"), &[&bob, &carol]).await;
        let m = send(&app, &bob, &r, "hello @alice").await;
        post(
            &app,
            &carol,
            &format!("/api/messages/{}/reactions", id_of(&m)),
            json!({ "emoji": "👍" }),
        )
        .await
        .expect(200);
    }
    let many_rooms = statements_for(&app, &counter, &alice, "/api/rooms").await;
    assert!(
        many_rooms <= one_room + 3,
        "9 rooms ({many_rooms} statements) cost no more than 1 room ({one_room})"
    );
    assert!(
        many_rooms <= 20,
        "{many_rooms} statements for the room list"
    );
}
