//! Bots and API tokens: a bot created, invited and sending with its token; tokens stored only as hashes and
//! their last use recorded; every scope refused when missing (naming it), on HTTP and WebSocket; tokens limited
//! to rooms; expired and revoked tokens refused, a revocation ending an open WebSocket and SSE stream; token management refused
//! to tokens; the per-token rate limit.

use std::time::Duration;

use chorus_tests::chat::{self, group};
use chorus_tests::{WAIT, error_code, spawn_app, spawn_app_with, sse};
use entity::api_tokens;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const ALL_SCOPES: [&str; 7] = [
    "messages:read",
    "messages:write",
    "rooms:read",
    "rooms:write",
    "reactions:write",
    "files:write",
    "profile:write",
];

const CREATE_BOT: &str =
    "mutation($n: String!) { createBot(input: { nickname: $n }) { id nickname isBot } }";
const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id name scopes roomIds botId expiresAt lastUsedAt revoked } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeApiToken(id: $id) }";
const SEND: &str = "mutation($r: ID!, $c: String!) { sendMessage(input: { roomId: $r, content: $c }) { id sender { nickname isBot } } }";

fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_bot_is_created_invited_into_a_room_and_sends_with_its_token() {
    let (app, alice, bob, room) = chat::two_in_a_room().await;
    let bot =
        chat::mutate(&app, &alice, CREATE_BOT, json!({ "n": "helper" })).await["createBot"].clone();
    assert_eq!(bot["isBot"], true);
    assert_eq!(bot["nickname"], "helper");
    let bot_id = bot["id"].as_str().unwrap();
    // Nickname rules as for people, and one namespace with them.
    let taken = chat::try_mutate(&app, &alice, CREATE_BOT, json!({ "n": "BOB" })).await;
    assert_eq!(error_code(&taken), Some("CONFLICT"), "{taken}");

    let (token, _) = chat::api_token(
        &app,
        &alice,
        json!({ "scopes": ["messages:read", "messages:write"], "botId": bot_id }),
    )
    .await;
    assert!(token.starts_with("chorus_pat_"), "{token}");
    let me = app
        .ok(Some(&token), "{ me { user { id isBot } } }", json!({}))
        .await;
    assert_eq!(me["me"]["user"]["id"], bot_id);
    assert_eq!(me["me"]["user"]["isBot"], true);

    // Not a member yet: the room is as unknown to it as to anyone.
    let outside = app
        .graphql(Some(&token), SEND, json!({ "r": room, "c": "hi" }))
        .await;
    assert_eq!(error_code(&outside), Some("NOT_FOUND"), "{outside}");

    chat::mutate(
        &app,
        &alice,
        "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
        json!({ "r": room, "u": [bot_id] }),
    )
    .await;
    let sent = app
        .ok(Some(&token), SEND, json!({ "r": room, "c": "beep" }))
        .await;
    assert_eq!(sent["sendMessage"]["sender"]["nickname"], "helper");
    assert_eq!(sent["sendMessage"]["sender"]["isBot"], true);
    // Bob sees it with the badge's flag, in the members list too.
    let seen = chat::room(&app, &bob, &room).await;
    assert_eq!(seen["lastMessage"]["content"], "beep");
    let members = chat::mutate(
        &app,
        &bob,
        "query($id: ID!) { room(id: $id) { members { user { nickname isBot } } } }",
        json!({ "id": room }),
    )
    .await;
    let flags: Vec<(String, bool)> = members["room"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["nickname"].as_str().unwrap().to_owned(),
                m["user"]["isBot"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(flags.contains(&("helper".to_owned(), true)), "{flags:?}");
    assert!(flags.contains(&("bob".to_owned(), false)), "{flags:?}");

    // The owner lists the bot and its token; someone else does not see them and cannot mint for it.
    let listed = chat::mutate(
        &app,
        &alice,
        "{ myBots { nickname } apiTokens { botId scopes revoked } }",
        json!({}),
    )
    .await;
    assert_eq!(listed["myBots"], json!([{ "nickname": "helper" }]));
    assert_eq!(
        listed["apiTokens"],
        json!([{ "botId": bot_id, "scopes": ["messages:read", "messages:write"], "revoked": false }])
    );
    let theirs = chat::mutate(&app, &bob, "{ myBots { id } apiTokens { id } }", json!({})).await;
    assert_eq!(theirs, json!({ "myBots": [], "apiTokens": [] }));
    let stolen = chat::try_mutate(
        &app,
        &bob,
        CREATE_TOKEN,
        json!({ "i": { "name": "x", "scopes": ["messages:write"], "botId": bot_id } }),
    )
    .await;
    assert_eq!(error_code(&stolen), Some("NOT_FOUND"), "{stolen}");
}

#[tokio::test]
async fn a_token_is_stored_only_as_its_hash_and_its_last_use_is_recorded() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let (token, id) = chat::api_token(&app, &alice, json!({ "scopes": ["rooms:read"] })).await;
    let id = Uuid::parse_str(&id).unwrap();
    let row = api_tokens::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.token_hash,
        hex::encode(Sha256::digest(token.as_bytes()))
    );
    let stored = format!("{row:?}");
    assert!(!stored.contains(&token), "{stored}");
    assert!(!stored.contains(token.trim_start_matches("chorus_pat_")));
    assert_eq!(row.last_used_at, None);

    app.ok(Some(&token), "{ rooms { id } }", json!({})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let used = loop {
        let row = api_tokens::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        if let Some(at) = row.last_used_at {
            break at;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "last_used_at never set"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Within the minute further uses do not write again.
    app.ok(Some(&token), "{ rooms { id } }", json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let row = api_tokens::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.last_used_at, Some(used));
    let listed = chat::mutate(&app, &alice, "{ apiTokens { lastUsedAt } }", json!({})).await;
    assert!(listed["apiTokens"][0]["lastUsedAt"].is_string(), "{listed}");
}

#[tokio::test]
async fn every_scope_is_required_by_the_fields_that_need_it_and_named_when_missing() {
    let (app, alice, _bob, room) = chat::two_in_a_room().await;
    let sent = chat::send(&app, &alice, &room, "hello").await;
    let message_id = sent["id"].as_str().unwrap().to_owned();
    let cases: [(&str, &str, Value); 7] = [
        (
            "messages:read",
            "query($r: ID!) { messages(roomId: $r) { edges { cursor } } }",
            json!({ "r": room }),
        ),
        ("messages:write", SEND, json!({ "r": room, "c": "x" })),
        ("rooms:read", "{ rooms { id } }", json!({})),
        (
            "rooms:write",
            "mutation { createGroupRoom(input: { name: \"n\", memberIds: [] }) { id } }",
            json!({}),
        ),
        (
            "reactions:write",
            "mutation($m: ID!) { addReaction(messageId: $m, emoji: \"👍\") { id } }",
            json!({ "m": message_id }),
        ),
        (
            "files:write",
            "mutation($f: Upload!) { uploadImage(file: $f) { id } }",
            json!({ "f": null }),
        ),
        (
            "profile:write",
            "mutation { updateProfile(input: { nickname: \"alicia\" }) { nickname } }",
            json!({}),
        ),
    ];
    for (scope, query, variables) in cases {
        let others: Vec<&str> = ALL_SCOPES.into_iter().filter(|s| *s != scope).collect();
        let (without, _) = chat::api_token(&app, &alice, json!({ "scopes": others })).await;
        let body = app.graphql(Some(&without), query, variables.clone()).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{scope}: {body}");
        assert_eq!(
            message(&body),
            format!("this token lacks the scope {scope}"),
            "{body}"
        );
        assert!(body["data"].is_null(), "nothing ran: {body}");
        if scope != "files:write" {
            let (with, _) = chat::api_token(&app, &alice, json!({ "scopes": [scope] })).await;
            let body = app.graphql(Some(&with), query, variables).await;
            assert_eq!(error_code(&body), None, "{scope}: {body}");
        }
    }

    // Over WebSocket, subscriptions are checked the same way.
    let (no_read, _) = chat::api_token(&app, &alice, json!({ "scopes": ["messages:write"] })).await;
    let mut ws = app.ws_connect("graphql-transport-ws").await;
    ws.init(&no_read).await;
    ws.subscribe(
        "1",
        "subscription($r: ID!) { roomEvents(roomId: $r) { __typename } }",
        json!({ "r": room }),
    )
    .await;
    let refused = ws.next_message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    assert_eq!(
        refused["payload"][0]["message"],
        "this token lacks the scope messages:read"
    );
    // A sign-in keeps every right.
    chat::send(&app, &alice, &room, "still fine").await;
}

#[tokio::test]
async fn a_token_limited_to_rooms_sees_and_acts_only_in_those_rooms() {
    let (app, alice, bob, inside) = chat::two_in_a_room().await;
    let outside = group(&app, &alice, "Elsewhere", &[&bob]).await;
    let theirs = chat::send(&app, &bob, &outside, "not for the token").await;
    let theirs = theirs["id"].as_str().unwrap().to_owned();
    let (token, _) = chat::api_token(
        &app,
        &alice,
        json!({ "scopes": ALL_SCOPES, "roomIds": [inside] }),
    )
    .await;

    let rooms = app.ok(Some(&token), "{ rooms { id } }", json!({})).await;
    assert_eq!(rooms["rooms"], json!([{ "id": inside }]));
    app.ok(Some(&token), SEND, json!({ "r": inside, "c": "in" }))
        .await;

    let refusals: [(&str, Value); 6] = [
        (SEND, json!({ "r": outside, "c": "out" })),
        (
            "query($r: ID!) { room(id: $r) { name } }",
            json!({ "r": outside }),
        ),
        (
            "query($r: ID!) { messages(roomId: $r) { edges { cursor } } }",
            json!({ "r": outside }),
        ),
        (
            "mutation($m: ID!) { addReaction(messageId: $m, emoji: \"👍\") { id } }",
            json!({ "m": theirs }),
        ),
        (
            "mutation($m: ID!) { editMessage(id: $m, content: \"x\") { id } }",
            json!({ "m": theirs }),
        ),
        // A variable's default value is checked like a given one.
        (
            &format!(
                "mutation($i: SendMessageInput = {{ roomId: \"{outside}\", content: \"sneaky\" }}) {{ sendMessage(input: $i) {{ id }} }}"
            ),
            json!({}),
        ),
    ];
    for (query, variables) in refusals {
        let body = app.graphql(Some(&token), query, variables).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{query}: {body}");
    }
    // Fields spanning every room are closed to it.
    for query in [
        "{ search(query: \"not\") { edges { cursor } } }",
        "{ notifications { edges { cursor } } }",
        "mutation { createGroupRoom(input: { name: \"n\", memberIds: [] }) { id } }",
    ] {
        let body = app.graphql(Some(&token), query, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
    }
    // Nothing was written outside.
    let last = chat::room(&app, &bob, &outside).await;
    assert_eq!(last["lastMessage"]["content"], "not for the token");
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let past = chat::try_mutate(
        &app,
        &alice,
        CREATE_TOKEN,
        json!({ "i": { "name": "t", "scopes": ["rooms:read"], "expiresAt": "2020-01-01T00:00:00Z" } }),
    )
    .await;
    assert_eq!(error_code(&past), Some("BAD_USER_INPUT"), "{past}");

    let (token, id) = chat::api_token(
        &app,
        &alice,
        json!({ "scopes": ["rooms:read"], "expiresAt": "2999-01-01T00:00:00Z" }),
    )
    .await;
    let mut row: api_tokens::ActiveModel =
        api_tokens::Entity::find_by_id(Uuid::parse_str(&id).unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
    row.expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
    row.update(&app.db).await.unwrap();

    let body = app
        .graphql(Some(&token), "{ rooms { id } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    assert_eq!(message(&body), "API token expired");
    let unknown = app
        .graphql(Some("chorus_pat_nope"), "{ rooms { id } }", json!({}))
        .await;
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"), "{unknown}");
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_its_open_subscription_ends() {
    let (app, alice, _bob, room) = chat::two_in_a_room().await;
    let (token, id) = chat::api_token(&app, &alice, json!({ "scopes": ["messages:read"] })).await;
    let (other, _) = chat::api_token(&app, &alice, json!({ "scopes": ["messages:read"] })).await;
    let mut ws = app.ws_connect("graphql-transport-ws").await;
    ws.init(&token).await;
    ws.subscribe(
        "1",
        "subscription($r: ID!) { roomEvents(roomId: $r) { __typename } }",
        json!({ "r": room }),
    )
    .await;
    let mut stream = sse::open(
        &app,
        Some(&token),
        "subscription($r: ID!) { roomEvents(roomId: $r) { __typename } }",
        json!({ "r": room }),
    )
    .await;
    let mut other_ws = app.ws_connect("graphql-transport-ws").await;
    other_ws.init(&other).await;
    app.ok(Some(&token), "{ me { user { id } } }", json!({}))
        .await;

    let revoked = chat::mutate(&app, &alice, REVOKE, json!({ "id": id })).await;
    assert_eq!(revoked["revokeApiToken"], true);
    assert_eq!(ws.expect_close().await, Some(4403));
    let events = sse::read_to_end(&mut stream).await;
    assert_eq!(
        events.last().map(|e| e.0.as_str()),
        Some("complete"),
        "{events:?}"
    );
    let cut: Value = serde_json::from_str(&events[events.len() - 2].1).unwrap();
    assert_eq!(error_code(&cut), Some("UNAUTHENTICATED"), "{cut}");
    let body = app
        .graphql(Some(&token), "{ me { user { id } } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    let mut again = app.ws_connect("graphql-transport-ws").await;
    again.send_init(&token).await;
    assert_eq!(again.expect_close().await, Some(4403));
    // Revoking again says so; the other token is untouched.
    let twice = chat::mutate(&app, &alice, REVOKE, json!({ "id": id })).await;
    assert_eq!(twice["revokeApiToken"], false);
    app.ok(Some(&other), "{ me { user { id } } }", json!({}))
        .await;
    other_ws.expect_silence(Duration::from_millis(300)).await;
    let listed = chat::mutate(&app, &alice, "{ apiTokens { id revoked } }", json!({})).await;
    assert!(
        listed["apiTokens"]
            .as_array()
            .unwrap()
            .contains(&json!({ "id": id, "revoked": true })),
        "{listed}"
    );
}

#[tokio::test]
async fn token_management_is_refused_to_tokens() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let (token, id) = chat::api_token(&app, &alice, json!({ "scopes": ALL_SCOPES })).await;
    for (query, variables) in [
        (CREATE_BOT, json!({ "n": "sneaky" })),
        (
            CREATE_TOKEN,
            json!({ "i": { "name": "more", "scopes": ["messages:read"] } }),
        ),
        (REVOKE, json!({ "id": id })),
        ("{ apiTokens { id } }", json!({})),
        ("{ myBots { id } }", json!({})),
        ("mutation { logOut(refreshToken: \"x\") }", json!({})),
    ] {
        let body = app.graphql(Some(&token), query, variables).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
    }
    // Nothing was created or revoked.
    let listed = chat::mutate(
        &app,
        &alice,
        "{ myBots { id } apiTokens { revoked } }",
        json!({}),
    )
    .await;
    assert_eq!(
        listed,
        json!({ "myBots": [], "apiTokens": [{ "revoked": false }] })
    );
}

#[tokio::test]
async fn each_token_has_its_own_rate_limit() {
    let app = spawn_app_with(|c| c.rate.api_token_operations_per_minute = 3).await;
    let alice = app.sign_up("alice").await;
    let (first, _) = chat::api_token(&app, &alice, json!({ "scopes": ["rooms:read"] })).await;
    let (second, _) = chat::api_token(&app, &alice, json!({ "scopes": ["rooms:read"] })).await;
    for _ in 0..3 {
        app.ok(Some(&first), "{ rooms { id } }", json!({})).await;
    }
    let limited = app
        .graphql(Some(&first), "{ rooms { id } }", json!({}))
        .await;
    assert_eq!(error_code(&limited), Some("RATE_LIMITED"), "{limited}");
    app.ok(Some(&second), "{ rooms { id } }", json!({})).await;
    // The person's own sign-in is not counted against the tokens.
    for _ in 0..5 {
        chat::mutate(&app, &alice, "{ rooms { id } }", json!({})).await;
    }
}
