//! Authorization and query cost: a former member reads nothing of a room through any path, presence follows
//! the shared-room rule, ids of other people's rooms and messages cannot be probed, and no single request can
//! make the server do or send an outsized amount of work.

use std::time::{Duration, Instant};

use async_graphql::{EmptyMutation, EmptySubscription, ID, Object, Schema};
use chorus_core::realtime::bus::channels;
use chorus_core::realtime::publish::UserSignal;
use chorus_tests::chat::{self, MESSAGE_FIELDS, group, reply, send, try_mutate};
use chorus_tests::{Session, TestApp, WAIT, error_code, error_field, spawn_app, spawn_app_with};
use entity::{notifications, room_users, rooms};
use schema::messages::types::Message;
use schema::rooms::types::Room;
use schema::{Auth, ContextExt, Viewer};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;

const ROOM_FIELDS: &str = "id name isGroup lastSeq unreadCount unreadMentionCount muted createdAt members { role joinedAt seenAt lastReadSeq user { id nickname presence { status lastSeenAt } } }";

fn uuid(raw: &Value) -> Uuid {
    Uuid::parse_str(raw.as_str().expect("id string")).expect("uuid")
}

/// Every field reachable from a notification, down to room and message data.
fn notifications_walk() -> String {
    format!(
        "query($unread: Boolean) {{ notifications(first: 100, unreadOnly: $unread) {{ edges {{ cursor node {{ id kind read createdAt room {{ {ROOM_FIELDS} lastMessage {{ {MESSAGE_FIELDS} }} }} message {{ {MESSAGE_FIELDS} attachments {{ id url }} }} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    )
}

fn mentions_walk() -> String {
    format!(
        "subscription($after: ID) {{ mentions(after: $after) {{ id by {{ id nickname }} room {{ {ROOM_FIELDS} lastMessage {{ {MESSAGE_FIELDS} }} }} message {{ {MESSAGE_FIELDS} }} }} }}"
    )
}

fn notifications_subscription_walk() -> String {
    format!(
        "subscription($after: ID) {{ notifications(after: $after) {{ id kind room {{ {ROOM_FIELDS} lastMessage {{ {MESSAGE_FIELDS} }} }} message {{ {MESSAGE_FIELDS} }} }} }}"
    )
}

/// Reads the next results of the `n` (notifications) and `m` (mentions) operations until both have shown
/// the message with `marker`; returns everything read.
async fn until_both_saw(ws: &mut chorus_tests::WsClient, marker: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    let (mut in_n, mut in_m) = (false, false);
    while !(in_n && in_m) {
        assert!(seen.len() < 20, "never saw {marker}: {seen:?}");
        let msg = ws.next_message().await;
        assert_eq!(msg["type"], "next", "{msg}");
        assert!(msg["payload"]["errors"].is_null(), "{msg}");
        let text = msg.to_string();
        if text.contains(marker) {
            match msg["id"].as_str() {
                Some("n") => in_n = true,
                Some("m") => in_m = true,
                _ => panic!("unexpected operation: {msg}"),
            }
        }
        seen.push(msg);
    }
    seen
}

#[tokio::test]
async fn a_former_member_reads_nothing_of_the_room_through_notifications_mentions_or_users() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let team = group(&app, &alice, "Team", &[&bob, &carol]).await;

    // While a member, Bob reads the room through his notifications, replayed after his invitation and live.
    send(&app, &carol, &team, "hello @bob").await;
    let invite = app
        .ok(
            Some(&bob.access_token),
            "{ notifications(first: 2) { edges { node { id kind } } } }",
            json!({}),
        )
        .await["notifications"]["edges"][1]["node"]
        .clone();
    assert_eq!(invite["kind"], "INVITE", "{invite}");
    let mut ws = app.socket(&bob).await;
    let after = json!({ "after": invite["id"] });
    ws.subscribe("n", &notifications_subscription_walk(), after.clone())
        .await;
    ws.subscribe("m", &mentions_walk(), after).await;
    let replayed = until_both_saw(&mut ws, "hello @bob").await;
    assert_eq!(replayed.len(), 2, "the replay comes first: {replayed:?}");
    send(&app, &carol, &team, "again @bob").await;
    until_both_saw(&mut ws, "again @bob").await;
    let before = app
        .ok(Some(&bob.access_token), &notifications_walk(), json!({}))
        .await;
    assert!(
        before.to_string().contains("hello @bob"),
        "a member reads the room through notifications: {before}"
    );
    let mention = &before["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["kind"] == "MENTION")
        .expect("a MENTION notification")["node"];
    let mentioned_message = uuid(&mention["message"]["id"]);

    // Bob leaves; the room goes on without him.
    chat::leave(&app, &bob, &team).await;
    let secret = send(&app, &alice, &team, "written after bob left").await;
    let secret_id = secret["id"].as_str().unwrap().to_owned();
    reply(&app, &carol, &secret_id, "a reply after bob left").await;
    for (who, emoji) in [(&alice, "🎉"), (&carol, "👍")] {
        try_mutate(
            &app,
            who,
            "mutation($m: ID!, $e: String!) { addReaction(messageId: $m, emoji: $e) { id } }",
            json!({ "m": secret_id, "e": emoji }),
        )
        .await;
    }
    app.ok(
        Some(&carol.access_token),
        "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { id } }",
        json!({ "r": team, "m": secret_id }),
    )
    .await;

    // A notification of the room reaching Bob after he left (written just before, delivered just after): it
    // is stored and pushed like any other, and still shows nothing.
    let late = notifications::Model {
        id: Uuid::now_v7(),
        user_id: uuid(&json!(bob.user_id)),
        kind: "MENTION".to_owned(),
        room_id: uuid(&json!(team)),
        message_id: Some(mentioned_message),
        created_at: chorus_core::clock::now(),
        read_at: None,
    };
    late.clone()
        .into_active_model()
        .insert(&app.db)
        .await
        .expect("insert late notification");
    let signal = serde_json::to_string(&UserSignal::Notification(late.clone())).unwrap();
    app.deps
        .bus
        .publish(&channels::user(late.user_id), signal)
        .await
        .expect("publish");

    // The notification list: nothing of the room any more, read or unread.
    for unread in [false, true] {
        let after = app
            .ok(
                Some(&bob.access_token),
                &notifications_walk(),
                json!({ "unread": unread }),
            )
            .await;
        let edges = after["notifications"]["edges"].as_array().unwrap();
        assert!(
            edges.iter().all(|e| e["node"]["room"]["id"] != json!(team)),
            "no notification of a room Bob left: {after}"
        );
        let text = after.to_string();
        for leaked in ["after bob left", "🎉", "Team", "hello @bob"] {
            assert!(!text.contains(leaked), "{leaked:?} leaked: {after}");
        }
    }

    // The live streams: nothing of the room, while the sockets keep working for a room Bob is in.
    let other = group(&app, &alice, "Other", &[&bob]).await;
    send(&app, &alice, &other, "ping @bob").await;
    let live = until_both_saw(&mut ws, "ping @bob").await;
    for msg in &live {
        let text = msg.to_string();
        assert!(
            !text.contains(&team)
                && !text.contains("after bob left")
                && !text.contains("hello @bob"),
            "the room leaked live: {msg}"
        );
    }

    // From a user: a former room-mate is only a nickname now (presence included, see below).
    let carol_seen = app
        .ok(
            Some(&bob.access_token),
            "query($id: ID!) { user(id: $id) { id nickname avatarUrl presence { status lastSeenAt } } }",
            json!({ "id": carol.user_id }),
        )
        .await;
    assert_eq!(carol_seen["user"]["nickname"], "carol");
    assert_eq!(
        carol_seen["user"]["presence"],
        json!({ "status": "OFFLINE", "lastSeenAt": null })
    );

    // And by id: the same answer as for a room that never existed.
    for (query, vars) in [
        (
            "query($r: ID!) { room(id: $r) { id lastSeq } }",
            json!({ "r": team }),
        ),
        (
            "query($r: ID!) { messages(roomId: $r, last: 5) { edges { node { content } } } }",
            json!({ "r": team }),
        ),
        (
            "query($m: ID!) { thread(messageId: $m) { edges { node { content } } } }",
            json!({ "m": secret_id }),
        ),
    ] {
        let body = app.graphql(Some(&bob.access_token), query, vars).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{query}: {body}");
        assert!(!body.to_string().contains("after bob left"), "{body}");
    }
    let mut probe = app.socket(&bob).await;
    probe
        .subscribe(
            "e",
            "subscription($r: ID!) { roomEvents(roomId: $r, afterSeq: 0) { __typename } }",
            json!({ "r": team }),
        )
        .await;
    let refused = probe.next_message().await;
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refused}"
    );
}

/// A query root that reaches rooms and messages by id with no check at all: a stand-in for any path, present
/// or future, that hands a `Room` or `Message` to someone.
struct Unchecked;

#[Object]
impl Unchecked {
    async fn any_room(
        &self,
        ctx: &async_graphql::Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Room> {
        let id = Uuid::parse_str(&id)?;
        let row = rooms::Entity::find_by_id(id).one(&ctx.deps().db).await?;
        Ok(Room(row.ok_or("no such room")?))
    }

    async fn any_message(
        &self,
        ctx: &async_graphql::Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Message> {
        let id = Uuid::parse_str(&id)?;
        let row = entity::messages::Entity::find_by_id(id)
            .one(&ctx.deps().db)
            .await?;
        Ok(Message(row.ok_or("no such message")?))
    }
}

/// The fields of a type as the SDL lists them, each with a minimal selection.
async fn fields_of(app: &TestApp, who: &Session, type_name: &str) -> Vec<String> {
    let data = app
        .ok(
            Some(&who.access_token),
            "query($t: String!) { __type(name: $t) { fields { name args { name } type { kind ofType { kind ofType { kind ofType { kind } } } } } } }",
            json!({ "t": type_name }),
        )
        .await;
    let fields = data["__type"]["fields"].as_array().expect("fields").clone();
    assert!(fields.len() >= 10, "{data}");
    fields
        .iter()
        .map(|f| {
            assert_eq!(
                f["args"],
                json!([]),
                "a field with arguments: extend this test"
            );
            let mut ty = &f["type"];
            while matches!(ty["kind"].as_str(), Some("NON_NULL" | "LIST")) {
                ty = &ty["ofType"];
            }
            let name = f["name"].as_str().unwrap();
            match ty["kind"].as_str() {
                Some("OBJECT" | "UNION" | "INTERFACE") => format!("{name} {{ __typename }}"),
                _ => name.to_owned(),
            }
        })
        .collect()
}

#[tokio::test]
async fn every_field_of_a_room_or_message_is_not_found_for_anyone_but_a_current_member() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mallory = app.sign_up("mallory").await;
    let team = group(&app, &alice, "Team", &[&bob]).await;
    let message = send(&app, &alice, &team, "members only").await;
    chat::leave(&app, &bob, &team).await;

    let probe = Schema::build(Unchecked, EmptyMutation, EmptySubscription)
        .data(app.deps.clone())
        .extension(schema::errors::ErrorCodes)
        .extension(schema::rooms::guard::FreshMembership)
        .finish();
    let run = |who: &Session, query: String| {
        let viewer = Viewer {
            user_id: Uuid::parse_str(&who.user_id).unwrap(),
            expires_at: i64::MAX,
            // The probe schema runs no session check: any id will do.
            session_id: Uuid::nil(),
            access: chorus_core::Access::Session,
        };
        let request = schema::prepare_request(
            async_graphql::Request::new(query),
            &app.deps,
            Auth::Viewer(viewer),
        );
        let probe = probe.clone();
        async move {
            serde_json::to_value(
                tokio::time::timeout(WAIT, probe.execute(request))
                    .await
                    .expect("timeout"),
            )
            .unwrap()
        }
    };
    for (type_name, root, id) in [
        ("Room", "anyRoom", team.clone()),
        (
            "Message",
            "anyMessage",
            message["id"].as_str().unwrap().to_owned(),
        ),
    ] {
        for field in fields_of(&app, &alice, type_name).await {
            let query = format!("{{ {root}(id: \"{id}\") {{ {field} }} }}");
            let member = run(&alice, query.clone()).await;
            assert!(member["errors"].is_null(), "{query} for a member: {member}");
            for outsider in [&bob, &mallory] {
                let body = run(outsider, query.clone()).await;
                assert_eq!(
                    error_code(&body),
                    Some("NOT_FOUND"),
                    "{query} for {}: {body}",
                    outsider.nickname
                );
                // A non-null field nulls the whole object; a nullable one is null itself.
                let seen = &body["data"][root];
                assert!(
                    seen.is_null() || seen.as_object().unwrap().values().all(Value::is_null),
                    "{query}: {body}"
                );
            }
        }
    }
}

#[tokio::test]
async fn presence_is_only_shown_to_people_who_share_a_room() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let stranger = app.sign_up("stranger").await;
    let team = group(&app, &alice, "Team", &[&bob]).await;
    let q = "query($id: ID!) { user(id: $id) { presence { status lastSeenAt } } }";
    let presence_of = |who: &Session| {
        let id = who.user_id.clone();
        let token = alice.access_token.clone();
        let app = &app;
        async move { app.ok(Some(&token), q, json!({ "id": id })).await["user"]["presence"].clone() }
    };

    // The stranger has been online and left a lastSeenAt, then came back.
    app.socket(&stranger).await.close().await;
    let deadline = Instant::now() + WAIT;
    let stored = loop {
        let row = entity::users::Entity::find_by_id(Uuid::parse_str(&stranger.user_id).unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        if let Some(at) = row.last_seen_at {
            break at;
        }
        assert!(Instant::now() < deadline, "lastSeenAt never recorded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(stored.timestamp() > 0);
    let _stranger_ws = app.socket(&stranger).await;
    let _bob_ws = app.socket(&bob).await;
    let _alice_ws = app.socket(&alice).await;

    assert_eq!(presence_of(&bob).await["status"], "ONLINE");
    assert_eq!(presence_of(&alice).await["status"], "ONLINE", "oneself");
    let hidden = json!({ "status": "OFFLINE", "lastSeenAt": null });
    assert_eq!(presence_of(&stranger).await, hidden);
    // Every path to a user applies it, not only `user(id)`.
    let found = app
        .ok(
            Some(&alice.access_token),
            "{ searchUsers(query: \"str\") { nickname presence { status lastSeenAt } } }",
            json!({}),
        )
        .await;
    assert_eq!(found["searchUsers"][0]["presence"], hidden, "{found}");

    // Sharing a room shows it; leaving hides it again.
    try_mutate(
        &app,
        &alice,
        "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
        json!({ "r": team, "u": [stranger.user_id] }),
    )
    .await;
    assert_eq!(presence_of(&stranger).await["status"], "ONLINE");
    chat::leave(&app, &stranger, &team).await;
    assert_eq!(presence_of(&stranger).await, hidden);
}

/// Every operation that takes a room id or a message id: the document (the id is `$id`) and which kind of id.
const PROBES: &[(&str, &str)] = &[
    ("query($id: ID!) { room(id: $id) { id } }", "room"),
    (
        "query($id: ID!) { messages(roomId: $id) { edges { cursor } } }",
        "room",
    ),
    (
        "mutation($id: ID!) { sendMessage(input: { roomId: $id, content: \"hi\" }) { id } }",
        "room",
    ),
    (
        "mutation($id: ID!) { inviteToRoom(roomId: $id, userIds: []) { id } }",
        "room",
    ),
    ("mutation($id: ID!) { leaveRoom(roomId: $id) }", "room"),
    ("mutation($id: ID!) { setTyping(roomId: $id) }", "room"),
    (
        "mutation($id: ID!) { setNotificationSettings(input: { roomId: $id, muted: true }) { email } }",
        "room",
    ),
    (
        "query($id: ID!) { thread(messageId: $id) { edges { cursor } } }",
        "message",
    ),
    (
        "mutation($id: ID!) { addReaction(messageId: $id, emoji: \"👍\") { id } }",
        "message",
    ),
    (
        "mutation($id: ID!) { removeReaction(messageId: $id, emoji: \"👍\") { id } }",
        "message",
    ),
    (
        "mutation($id: ID!) { editMessage(id: $id, content: \"x\") { id } }",
        "message",
    ),
    (
        "mutation($id: ID!) { deleteMessage(id: $id) { id } }",
        "message",
    ),
    (
        "mutation($id: ID!) { replyInThread(input: { parentId: $id, content: \"x\" }) { id } }",
        "message",
    ),
];

#[tokio::test]
async fn ids_of_other_peoples_rooms_and_messages_cannot_be_told_from_made_up_ones() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let mallory = app.sign_up("mallory").await;
    let room = group(&app, &alice, "Secret", &[]).await;
    let message = send(&app, &alice, &room, "secret").await;
    let message = message["id"].as_str().unwrap().to_owned();
    for (query, kind) in PROBES {
        let real = if *kind == "room" { &room } else { &message };
        let real = try_mutate(&app, &mallory, query, json!({ "id": real })).await;
        let made_up = try_mutate(
            &app,
            &mallory,
            query,
            json!({ "id": Uuid::now_v7().to_string() }),
        )
        .await;
        assert_eq!(error_code(&real), Some("NOT_FOUND"), "{query}: {real}");
        assert_eq!(
            real["errors"][0]["message"], made_up["errors"][0]["message"],
            "{query}: same answer for a real id and a made-up one"
        );
        assert_eq!(
            error_code(&made_up),
            Some("NOT_FOUND"),
            "{query}: {made_up}"
        );
    }
    // markRead: both ids at once.
    let body = try_mutate(
        &app,
        &mallory,
        "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { id } }",
        json!({ "r": room, "m": message }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    // Nothing was written.
    let history = app
        .ok(
            Some(&alice.access_token),
            "query($r: ID!) { messages(roomId: $r) { edges { node { content reactions { emoji } } } } }",
            json!({ "r": room }),
        )
        .await;
    assert_eq!(
        history["messages"]["edges"],
        json!([{ "node": { "content": "secret", "reactions": [] } }])
    );
}

// ------------------------------------------------------------------------------------------ query cost

fn assert_refused(body: &Value, mentions: &str) {
    assert_eq!(error_code(body), Some("BAD_USER_INPUT"), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(mentions),
        "{mentions:?} not in {message:?}"
    );
    assert!(body["data"].is_null(), "nothing executed: {body}");
}

#[tokio::test]
async fn five_hundred_aliases_of_a_full_page_are_refused_before_running() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Team", &[]).await;
    send(&app, &alice, &room, &"x".repeat(4000)).await;
    let page =
        format!("messages(roomId: \"{room}\", last: 100) {{ edges {{ node {{ content }} }} }}");
    let bomb: String = (0..500).map(|i| format!("a{i}: {page} ")).collect();
    let started = Instant::now();
    let res = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&alice.access_token)
        .json(&json!({ "query": format!("{{ {bomb} }}") }))
        .send()
        .await
        .unwrap();
    let bytes = res.bytes().await.unwrap();
    let elapsed = started.elapsed();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body["data"].is_null(), "{body}");
    assert!(bytes.len() < 1_000, "{} bytes", bytes.len());
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

#[tokio::test]
async fn aliases_and_root_fields_are_capped_per_operation() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let aliased = |n: usize| -> String {
        let fields: String = (0..n).map(|i| format!("a{i}: me {{ email }} ")).collect();
        format!("{{ {fields} }}")
    };
    // 10 root fields, 10 aliases: fine.
    let ok = app
        .ok(Some(&alice.access_token), &aliased(10), json!({}))
        .await;
    assert_eq!(ok["a9"]["email"], json!(alice.email));
    // 11 root fields: refused.
    let body = app
        .graphql(Some(&alice.access_token), &aliased(11), json!({}))
        .await;
    assert_refused(&body, "at most 10 root fields");
    // 21 aliases below the root (fragments count where they are spread): refused.
    let nested: String = (0..7).map(|i| format!("n{i}: nickname ")).collect();
    let query = format!(
        "{{ me {{ user {{ ...U }} a: user {{ ...U }} b: user {{ ...U }} }} }} fragment U on User {{ {nested} }}"
    );
    let body = app
        .graphql(Some(&alice.access_token), &query, json!({}))
        .await;
    assert_refused(&body, "at most 20 aliases");
}

#[tokio::test]
async fn complexity_counts_each_row_a_page_may_return() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Team", &[]).await;
    send(&app, &alice, &room, "hello").await;
    let query = |n: usize| -> String {
        let fields: String = (0..10)
            .map(|i| {
                format!(
                    "p{i}: messages(roomId: \"{room}\", last: {n}) {{ edges {{ cursor node {{ {MESSAGE_FIELDS} }} }} }} "
                )
            })
            .collect();
        format!("{{ {fields} }}")
    };
    // Ten pages of one message each cost little; the same ten pages of 100 messages cost 100 times more.
    app.ok(Some(&alice.access_token), &query(1), json!({}))
        .await;
    let body = app
        .graphql(Some(&alice.access_token), &query(100), json!({}))
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too complex"), "{body}");
    assert!(body["data"].is_null(), "{body}");
}

#[tokio::test]
async fn a_directive_bomb_is_refused_in_a_moment() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    // 340,000 directives, 680 KB (under the 1 MiB body limit).
    let query = format!("{{ me {} {{ email }} }}", "@a".repeat(340_000));
    assert!(query.len() > 680_000 && query.len() < 1024 * 1024);
    let started = Instant::now();
    let body = app
        .graphql(Some(&alice.access_token), &query, json!({}))
        .await;
    let elapsed = started.elapsed();
    assert_refused(&body, "tokens");
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    // A handful of directives is fine; too many on one field is not.
    let ok = app
        .ok(
            Some(&alice.access_token),
            "query($t: Boolean!) { me @include(if: $t) @skip(if: false) { email } }",
            json!({ "t": true }),
        )
        .await;
    assert_eq!(ok["me"]["email"], json!(alice.email));
    let many = format!("{{ me {} {{ email }} }}", "@include(if: true) ".repeat(6));
    let body = app
        .graphql(Some(&alice.access_token), &many, json!({}))
        .await;
    assert!(
        body["data"].is_null() && !body["errors"][0].is_null(),
        "{body}"
    );
}

/// The web client's own documents (frontend/src/graphql), run as the client runs them.
fn web_document(name: &str, fragments: &[&str]) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/src/graphql");
    let mut doc = std::fs::read_to_string(format!("{dir}/{name}.graphql")).expect(name);
    for fragment in fragments {
        doc.push('\n');
        doc.push_str(
            &std::fs::read_to_string(format!("{dir}/fragments/{fragment}.graphql"))
                .expect(fragment),
        );
    }
    doc
}

#[tokio::test]
async fn the_web_clients_largest_operations_are_accepted() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    let root = send(&app, &alice, &room, "root").await;
    reply(&app, &bob, root["id"].as_str().unwrap(), "reply").await;
    let all = ["RoomFields", "MessageFields", "UserFields"];
    for (name, fragments, vars) in [
        ("Rooms", &all[..], json!({})),
        ("Room", &all[..], json!({ "id": room })),
        ("Messages", &all[1..], json!({ "roomId": room, "last": 50 })),
        (
            "Thread",
            &all[1..],
            json!({ "messageId": root["id"], "first": 100 }),
        ),
        ("Me", &all[2..], json!({})),
        ("ServerInfo", &[][..], json!({})),
    ] {
        let body = app
            .graphql(
                Some(&alice.access_token),
                &web_document(name, fragments),
                vars,
            )
            .await;
        assert!(body["errors"].is_null(), "{name}: {body}");
    }
    let mut ws = app.socket(&alice).await;
    let events = web_document("subscriptions/Events", &all[..]);
    ws.subscribe(
        "e",
        &events,
        json!({ "positions": [{ "roomId": room, "afterSeq": 0 }] }),
    )
    .await;
    let first = ws.next_data("e").await;
    assert!(first["events"]["seq"].is_number(), "{first}");
}

#[tokio::test]
async fn a_response_over_the_size_limit_is_an_error_not_a_truncated_body() {
    let app = spawn_app_with(|c| c.graphql_limits.response_bytes = 6_000).await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Team", &[]).await;
    for _ in 0..2 {
        send(&app, &alice, &room, &"y".repeat(4000)).await;
    }
    let q =
        "query($r: ID!, $n: Int) { messages(roomId: $r, last: $n) { edges { node { content } } } }";
    let one = app
        .ok(Some(&alice.access_token), q, json!({ "r": room, "n": 1 }))
        .await;
    assert_eq!(one["messages"]["edges"].as_array().unwrap().len(), 1);
    let body = app
        .graphql(Some(&alice.access_token), q, json!({ "r": room, "n": 2 }))
        .await;
    assert_refused(&body, "larger than 6000 bytes");
    // Over a WebSocket too.
    let mut ws = app.socket(&alice).await;
    ws.subscribe("q", q, json!({ "r": room, "n": 2 })).await;
    // Refused before anything was sent: the operation's `error` message.
    let msg = ws.next_message().await;
    assert_eq!(
        (msg["type"].as_str(), msg["id"].as_str()),
        (Some("error"), Some("q")),
        "{msg}"
    );
    assert_eq!(
        msg["payload"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{msg}"
    );
}

#[tokio::test]
async fn thirty_aliased_log_ins_are_one_error_and_no_password_check() {
    let app = spawn_app_with(|c| c.rate.login_per_minute = 3).await;
    let alice = app.sign_up("alice").await;
    let one = format!(
        "logIn(input: {{ email: \"{}\", password: \"{}\" }}) {{ accessToken }}",
        alice.email, alice.password
    );
    let many: String = (0..30).map(|i| format!("l{i}: {one} ")).collect();
    let body = app
        .graphql(None, &format!("mutation {{ {many} }}"), json!({}))
        .await;
    assert_refused(&body, "at most one of signUp, logIn and refreshToken");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1, "{body}");
    // Mixing kinds counts too.
    let mixed = format!(
        "mutation {{ {one} signUp(input: {{ email: \"x@example.com\", password: \"long enough\", nickname: \"xx\" }}) {{ accessToken }} }}"
    );
    assert_refused(&app.graphql(None, &mixed, json!({})).await, "at most one");
    // None of the 30 ran: had they, the budget of 3 log-ins a minute would be spent.
    for _ in 0..3 {
        let ok = app
            .ok(None, &format!("mutation {{ {one} }}"), json!({}))
            .await;
        assert!(ok["logIn"]["accessToken"].is_string());
    }
}

#[tokio::test]
async fn page_sizes_above_the_maximum_are_bad_user_input_naming_the_argument() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Team", &[]).await;
    let m = send(&app, &alice, &room, "hi").await;
    for (query, vars, field) in [
        (
            "query($r: ID!) { messages(roomId: $r, first: 101) { edges { cursor } } }",
            json!({ "r": room }),
            "first",
        ),
        (
            "query($r: ID!) { messages(roomId: $r, last: 100000) { edges { cursor } } }",
            json!({ "r": room }),
            "last",
        ),
        (
            "query($m: ID!) { thread(messageId: $m, first: 101) { edges { cursor } } }",
            json!({ "m": m["id"] }),
            "first",
        ),
        (
            "{ notifications(first: 101) { edges { cursor } } }",
            json!({}),
            "first",
        ),
        (
            "{ roomsConnection(first: 101) { edges { cursor } } }",
            json!({}),
            "first",
        ),
        (
            "{ searchUsers(query: \"a\", first: 51) { id } }",
            json!({}),
            "first",
        ),
    ] {
        let body = app.graphql(Some(&alice.access_token), query, vars).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
        assert_eq!(error_field(&body), Some(field), "{query}: {body}");
    }
    // The REST facade shares the rule.
    let res = app
        .http
        .get(app.url(&format!("/api/rooms/{room}/messages?limit=101")))
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "limit", "{body}");
}

#[tokio::test]
async fn rooms_are_bounded_and_rooms_connection_pages_through_all_of_them() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let me = Uuid::parse_str(&alice.user_id).unwrap();
    // More rooms than the plain list returns, written directly (creating them one by one is slow and may
    // be rate limited); each a minute apart in activity.
    let start = chorus_core::clock::now() - chrono::Duration::days(1);
    let total = chorus_core::rooms::service::ROOMS_LIST_MAX as i64 + 5;
    let mut expected = Vec::new();
    for i in 0..total {
        let at = start + chrono::Duration::minutes(i);
        let room = rooms::Model {
            id: Uuid::now_v7(),
            name: Some(format!("room {i}")),
            is_group: true,
            direct_key: None,
            created_by: Some(me),
            last_seq: 0,
            last_activity_at: at,
            created_at: at,
        };
        room.clone()
            .into_active_model()
            .insert(&app.db)
            .await
            .unwrap();
        room_users::Model {
            room_id: room.id,
            user_id: me,
            role: room_users::RoomRole::Owner,
            joined_at: at,
            last_read_seq: 0,
            seen_at: None,
            muted: false,
            left_at: None,
        }
        .into_active_model()
        .insert(&app.db)
        .await
        .unwrap();
        expected.push(room.id.to_string());
    }
    expected.reverse();

    let listed = app
        .ok(Some(&alice.access_token), "{ rooms { id } }", json!({}))
        .await;
    let listed: Vec<&str> = listed["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed.len() as u64,
        chorus_core::rooms::service::ROOMS_LIST_MAX
    );
    assert_eq!(listed[..], expected[..listed.len()]);

    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .ok(
                Some(&alice.access_token),
                "query($a: String) { roomsConnection(first: 100, after: $a) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }",
                json!({ "a": after }),
            )
            .await;
        let conn = &page["roomsConnection"];
        for edge in conn["edges"].as_array().unwrap() {
            paged.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
        assert!(paged.len() < 1_000, "paging does not end");
    }
    assert_eq!(paged, expected);
    let bad = app
        .graphql(
            Some(&alice.access_token),
            "{ roomsConnection(after: \"garbage\") { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_field(&bad), Some("after"), "{bad}");
}

#[tokio::test]
async fn get_on_the_sse_endpoint_refuses_mutations_with_405_and_runs_queries() {
    let app = spawn_app().await;
    let sign_up = "mutation { signUp(input: { email: \"eve@example.com\", password: \"in the url\", nickname: \"eve\" }) { accessToken } }";
    let res = app
        .http
        .get(chorus_tests::sse::get_url(&app, &[("query", sign_up)]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");
    let body: Value = res.json().await.unwrap();
    assert!(body["errors"][0]["message"].is_string(), "{body}");
    // It did not run: the address is still free.
    let again = app.graphql(None, sign_up, json!({})).await;
    assert!(again["errors"].is_null(), "{again}");

    // A named mutation picked by operationName among queries is refused too.
    let doc = "query Q { __typename } mutation M { logOut(refreshToken: \"x\") }";
    let res = app
        .http
        .get(chorus_tests::sse::get_url(
            &app,
            &[("query", doc), ("operationName", "M")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    // Queries still stream.
    let res = app
        .http
        .get(chorus_tests::sse::get_url(
            &app,
            &[("query", doc), ("operationName", "Q")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = tokio::time::timeout(WAIT, res.text())
        .await
        .unwrap()
        .unwrap();
    assert!(text.contains("\"__typename\":\"Query\""), "{text}");
}
