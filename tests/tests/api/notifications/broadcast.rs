//! `@here`, `@everyone` and `@room`: who may use them, whom they reach, and that they notify like a named
//! mention (stored MENTION, mention alert, `unreadMentionCount`), in a bounded number of statements.

use std::sync::atomic::Ordering;

use chorus_tests::chat::{self, direct, group, mutate, reply, send, try_mutate, try_send};
use chorus_tests::live::{mentions_ready, notifications_ready};
use chorus_tests::{
    Session, TestApp, WsClient, error_code, error_field, spawn_app, spawn_app_counting_statements,
};
use entity::{mentions, notifications, room_users, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const EDIT: &str = "mutation($id: ID!, $c: String!) { editMessage(id: $id, content: $c) { id content mentions { nickname } } }";
const SET_ROLE: &str = "mutation($r: ID!, $u: ID!, $role: RoomRole!) { setRoomRole(roomId: $r, userId: $u, role: $role) { id } }";

fn uuid(id: &str) -> Uuid {
    id.parse().expect("uuid")
}

/// Stored MENTION notifications of `message`, as sorted recipient ids.
async fn mention_recipients(app: &TestApp, message: &Value) -> Vec<String> {
    let mut ids: Vec<String> = notifications::Entity::find()
        .filter(notifications::Column::MessageId.eq(uuid(message["id"].as_str().unwrap())))
        .filter(notifications::Column::Kind.eq("MENTION"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.user_id.to_string())
        .collect();
    ids.sort();
    ids
}

/// Mention rows of `message`: sorted `(user id, broadcast)`.
async fn mention_rows(app: &TestApp, message: &Value) -> Vec<(String, bool)> {
    let mut rows: Vec<(String, bool)> = mentions::Entity::find()
        .filter(mentions::Column::MessageId.eq(uuid(message["id"].as_str().unwrap())))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.mentioned_user_id.to_string(), m.broadcast))
        .collect();
    rows.sort();
    rows
}

fn sorted_ids(who: &[&Session]) -> Vec<String> {
    let mut ids: Vec<String> = who.iter().map(|s| s.user_id.clone()).collect();
    ids.sort();
    ids
}

async fn unread_mentions(app: &TestApp, who: &Session, room: &str) -> i64 {
    chat::room(app, who, room).await["unreadMentionCount"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn everyone_and_room_mention_every_other_member_once_and_never_the_sender() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let dave = app.sign_up("dave").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol, &dave]).await;

    // Bob is both named and reached: one mention, one notification; `mentions` lists the named only.
    let sent = send(
        &app,
        &alice,
        &room,
        "@everyone: deploy at 5, @bob and @alice too",
    )
    .await;
    assert_eq!(
        sent["mentions"],
        json!([{ "id": bob.user_id, "nickname": "bob" }])
    );
    assert_eq!(
        mention_recipients(&app, &sent).await,
        sorted_ids(&[&bob, &carol, &dave])
    );
    let mut expected: Vec<(String, bool)> = vec![
        (bob.user_id.clone(), false),
        (carol.user_id.clone(), true),
        (dave.user_id.clone(), true),
    ];
    expected.sort();
    assert_eq!(mention_rows(&app, &sent).await, expected);
    for who in [&bob, &carol, &dave] {
        assert_eq!(unread_mentions(&app, who, &room).await, 1);
    }
    assert_eq!(
        unread_mentions(&app, &alice, &room).await,
        0,
        "never the sender"
    );

    // `@room` is the same as `@everyone`, in threads too.
    let alias = reply(&app, &alice, sent["id"].as_str().unwrap(), "@Room done").await;
    assert_eq!(alias["mentions"], json!([]));
    assert_eq!(
        mention_recipients(&app, &alias).await,
        sorted_ids(&[&bob, &carol, &dave])
    );
    assert_eq!(unread_mentions(&app, &carol, &room).await, 2);
    // `mentions:me` finds both for a member reached by the broadcast.
    let hits = mutate(
        &app,
        &carol,
        "{ search(query: \"mentions:me\") { edges { node { message { content } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        hits["search"]["edges"].as_array().map(Vec::len),
        Some(2),
        "{hits}"
    );
}

#[tokio::test]
async fn here_reaches_only_the_members_connected_now() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let dave = app.sign_up("dave").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol, &dave]).await;
    // Bob is connected, Dave connected but AWAY (still here), Carol not connected; Alice is connected too
    // but never mentions herself.
    let _alice_ws = app.socket(&alice).await;
    let _bob_ws = app.socket(&bob).await;
    let _dave_ws = app.socket(&dave).await;
    mutate(
        &app,
        &dave,
        "mutation { setPresence(status: AWAY) }",
        json!({}),
    )
    .await;

    let sent = send(&app, &alice, &room, "@here standup").await;
    assert_eq!(
        mention_recipients(&app, &sent).await,
        sorted_ids(&[&bob, &dave])
    );
    assert_eq!(unread_mentions(&app, &bob, &room).await, 1);
    assert_eq!(unread_mentions(&app, &carol, &room).await, 0);
    assert_eq!(unread_mentions(&app, &alice, &room).await, 0);
}

#[tokio::test]
async fn members_may_not_broadcast_owners_and_admins_may_and_direct_rooms_ignore_it() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    let before = chat::last_seq(&app, &alice, &room).await;

    for content in [
        "@everyone look",
        "@here look",
        "hey @room",
        "@bob and @EVERYONE.",
    ] {
        let body = try_send(&app, &carol, &room, content).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{content}: {body}");
        assert_eq!(error_field(&body), Some("content"));
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("@everyone"), "a clear reason: {message}");
    }
    // Not in a thread either; nothing was stored.
    let root = send(&app, &alice, &room, "root").await;
    let body = try_mutate(
        &app,
        &carol,
        "mutation($i: ReplyInput!) { replyInThread(input: $i) { id } }",
        json!({ "i": { "parentId": root["id"], "content": "@here" } }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(chat::last_seq(&app, &alice, &room).await, before + 1);
    // Text that only looks like it is fine.
    send(&app, &carol, &room, "mail everyone@example.com, @heres").await;

    // An admin may.
    mutate(
        &app,
        &alice,
        SET_ROLE,
        json!({ "r": room, "u": carol.user_id, "role": "ADMIN" }),
    )
    .await;
    let sent = send(&app, &carol, &room, "@everyone look").await;
    assert_eq!(
        mention_recipients(&app, &sent).await,
        sorted_ids(&[&alice, &bob])
    );

    // In a direct room they are plain text, for anyone.
    let dm = direct(&app, &bob, &carol).await;
    let plain = send(&app, &bob, &dm, "@everyone @here").await;
    assert_eq!(mention_recipients(&app, &plain).await, Vec::<String>::new());
    assert_eq!(unread_mentions(&app, &carol, &dm).await, 0);

    // The names are reserved.
    let body = app
        .graphql(
            None,
            "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
            json!({ "i": { "email": "here@example.com", "password": "correct horse", "nickname": "Here" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(error_field(&body), Some("nickname"));
}

#[tokio::test]
async fn edits_that_add_a_broadcast_follow_the_same_rule() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;

    // A member cannot add one by editing.
    let own = send(&app, &bob, &room, "draft").await;
    let body = try_mutate(
        &app,
        &bob,
        EDIT,
        json!({ "id": own["id"], "c": "draft @everyone" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(error_field(&body), Some("content"));

    // The owner adds one: everyone not yet mentioned is, once.
    let m = send(&app, &alice, &room, "hi @bob").await;
    assert_eq!(mention_recipients(&app, &m).await, sorted_ids(&[&bob]));
    let edited = mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": m["id"], "c": "hi @bob and @everyone" }),
    )
    .await;
    assert_eq!(
        edited["editMessage"]["mentions"],
        json!([{ "nickname": "bob" }])
    );
    assert_eq!(
        mention_recipients(&app, &m).await,
        sorted_ids(&[&bob, &carol])
    );
    assert_eq!(unread_mentions(&app, &carol, &room).await, 1);
    assert_eq!(unread_mentions(&app, &bob, &room).await, 1);

    // Keeping it reaches nobody new (Dave joined since), and Bob stays mentioned without his name.
    let dave = app.sign_up("dave").await;
    mutate(
        &app,
        &alice,
        "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
        json!({ "r": room, "u": [dave.user_id] }),
    )
    .await;
    mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": m["id"], "c": "hi @everyone!" }),
    )
    .await;
    assert_eq!(unread_mentions(&app, &dave, &room).await, 0);
    assert_eq!(unread_mentions(&app, &bob, &room).await, 1);
    let mut expected = vec![(bob.user_id.clone(), true), (carol.user_id.clone(), true)];
    expected.sort();
    assert_eq!(mention_rows(&app, &m).await, expected);

    // Removing it takes the mentions back (the stored notifications stay, as for a removed @nickname).
    mutate(&app, &alice, EDIT, json!({ "id": m["id"], "c": "hi all" })).await;
    assert_eq!(mention_rows(&app, &m).await, Vec::new());
    assert_eq!(unread_mentions(&app, &carol, &room).await, 0);

    // A member's message from before keeps its text: editing other words is no broadcast added.
    mutate(
        &app,
        &alice,
        SET_ROLE,
        json!({ "r": room, "u": carol.user_id, "role": "ADMIN" }),
    )
    .await;
    let hers = send(&app, &carol, &room, "@here fire drill").await;
    mutate(
        &app,
        &alice,
        SET_ROLE,
        json!({ "r": room, "u": carol.user_id, "role": "MEMBER" }),
    )
    .await;
    mutate(
        &app,
        &carol,
        EDIT,
        json!({ "id": hers["id"], "c": "@here fire drill at 3" }),
    )
    .await;
    let body = try_mutate(
        &app,
        &carol,
        EDIT,
        json!({ "id": hers["id"], "c": "@everyone fire drill" }),
    )
    .await;
    assert_eq!(
        error_code(&body),
        Some("FORBIDDEN"),
        "widening @here is adding: {body}"
    );
}

const NOTIFICATIONS: &str = "subscription($after: ID) { notifications(after: $after) {
  id kind room { id } message { content } } }";
const MENTIONS: &str = "subscription($after: ID) { mentions(after: $after) {
  id room { id } message { content } } }";

async fn next(ws: &mut WsClient, id: &str, field: &str) -> Value {
    ws.next_data(id).await[field].clone()
}

#[tokio::test]
async fn a_broadcast_alerts_like_a_mention_through_mute_but_not_while_switched_off() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    let settings = "mutation($i: NotificationSettingsInput!) { setNotificationSettings(input: $i) { notificationsEnabled } }";
    mutate(
        &app,
        &bob,
        settings,
        json!({ "i": { "roomId": room, "muted": true } }),
    )
    .await;
    mutate(&app, &carol, settings, json!({ "i": { "enabled": false } })).await;

    // One socket per subscription, so each can be read in order. Bob's mention stream also hears the
    // mention made ready for his notification stream.
    let mut bob_m = app.socket(&bob).await;
    mentions_ready(&app, &mut bob_m, &bob, &alice, "m", MENTIONS).await;
    let mut bob_n = app.socket(&bob).await;
    notifications_ready(&app, &mut bob_n, &bob, &alice, "n", NOTIFICATIONS).await;
    assert_eq!(
        next(&mut bob_m, "m", "mentions").await["message"]["content"],
        "ready? @bob"
    );
    let mut carol_ws = app.socket(&carol).await;
    mutate(&app, &carol, settings, json!({ "i": { "enabled": true } })).await;
    notifications_ready(&app, &mut carol_ws, &carol, &alice, "n", NOTIFICATIONS).await;
    mutate(&app, &carol, settings, json!({ "i": { "enabled": false } })).await;

    // Bob muted the room: the @everyone still reaches him, as a MENTION (never also as a MESSAGE alert).
    send(&app, &alice, &room, "@everyone release").await;
    let n = next(&mut bob_n, "n", "notifications").await;
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MENTION"), Some("@everyone release"))
    );
    let m = next(&mut bob_m, "m", "mentions").await;
    assert_eq!(m["message"]["content"], "@everyone release");
    // The same for @here (Bob is connected).
    send(&app, &alice, &room, "@here again").await;
    assert_eq!(
        next(&mut bob_n, "n", "notifications").await["message"]["content"],
        "@here again"
    );
    assert_eq!(
        next(&mut bob_m, "m", "mentions").await["message"]["content"],
        "@here again"
    );
    // Unmuted: a broadcast is one MENTION, never also a MESSAGE alert (the plain message is next).
    mutate(
        &app,
        &bob,
        settings,
        json!({ "i": { "roomId": room, "muted": false } }),
    )
    .await;
    for content in ["@everyone unmuted", "@here unmuted", "plain"] {
        send(&app, &alice, &room, content).await;
    }
    for (kind, content) in [
        ("MENTION", "@everyone unmuted"),
        ("MENTION", "@here unmuted"),
        ("MESSAGE", "plain"),
    ] {
        let n = next(&mut bob_n, "n", "notifications").await;
        assert_eq!(
            (n["kind"].as_str(), n["message"]["content"].as_str()),
            (Some(kind), Some(content))
        );
    }

    // Carol switched notifications off: stored, not pushed (her next push is after she switches back on).
    let stored = mutate(
        &app,
        &carol,
        "{ notifications(first: 1) { edges { node { kind message { content } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        stored["notifications"]["edges"][0]["node"],
        json!({ "kind": "MENTION", "message": { "content": "@here unmuted" } })
    );
    mutate(&app, &carol, settings, json!({ "i": { "enabled": true } })).await;
    send(&app, &alice, &room, "@room back").await;
    let n = next(&mut carol_ws, "n", "notifications").await;
    assert_eq!(
        (n["kind"].as_str(), n["message"]["content"].as_str()),
        (Some("MENTION"), Some("@room back"))
    );
}

/// Adds `count` members to `room` straight in storage (signing up thousands would take minutes).
async fn add_members(app: &TestApp, room: &str, count: usize) -> Vec<Uuid> {
    let now = chrono::Utc::now();
    let ids: Vec<Uuid> = (0..count).map(|_| Uuid::now_v7()).collect();
    for chunk in ids.chunks(500) {
        users::Entity::insert_many(chunk.iter().map(|id| {
            users::ActiveModel::from(users::Model {
                id: *id,
                email: format!("{id}@example.com"),
                password_hash: "x".to_owned(),
                nickname: format!("m{}", id.simple()),
                avatar_attachment_id: None,
                notifications_enabled: true,
                last_seen_at: None,
                created_at: now,
                kind: users::UserKind::Person,
                owner_id: None,
            })
        }))
        .exec_without_returning(&app.db)
        .await
        .unwrap();
        room_users::Entity::insert_many(chunk.iter().map(|id| {
            room_users::ActiveModel::from(room_users::Model {
                room_id: uuid(room),
                user_id: *id,
                role: room_users::RoomRole::Member,
                joined_at: now,
                last_read_seq: 0,
                seen_at: None,
                muted: false,
                left_at: None,
            })
        }))
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    ids
}

#[tokio::test]
async fn everyone_in_a_large_room_costs_a_few_batched_statements() {
    const LARGE: usize = 2_500;
    let (app, counter) = spawn_app_counting_statements().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let small = group(&app, &alice, "small", &[&bob]).await;
    let large = group(&app, &alice, "large", &[&bob]).await;
    let added = add_members(&app, &large, LARGE).await;

    let statements = |room: String| {
        let (app, counter, alice) = (&app, &counter, &alice);
        async move {
            let before = counter.load(Ordering::SeqCst);
            let sent = send(app, alice, &room, "@everyone all hands").await;
            (counter.load(Ordering::SeqCst) - before, sent)
        }
    };
    let (for_small, _) = statements(small).await;
    let (for_large, sent) = statements(large.clone()).await;
    // One statement per member would be thousands; batches of at most 1,000 rows add a handful.
    assert!(
        for_large <= for_small + 12,
        "{for_small} statements for 1 member, {for_large} for {}",
        LARGE + 1
    );
    assert_eq!(mention_recipients(&app, &sent).await.len(), LARGE + 1);
    let one = added[LARGE / 2].to_string();
    assert!(mention_rows(&app, &sent).await.contains(&(one, true)));
    assert_eq!(unread_mentions(&app, &bob, &large).await, 1);
}
