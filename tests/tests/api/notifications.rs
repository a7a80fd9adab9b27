//! The notification inbox and notification settings.

mod broadcast;

use chorus_tests::chat::{self, group, reply, send};
use chorus_tests::{error_code, error_field, spawn_app, spawn_app_with};
use entity::notifications;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const LIST: &str = "query($first: Int, $after: String, $unread: Boolean) { notifications(first: $first, after: $after, unreadOnly: $unread) { edges { cursor node { id kind read createdAt room { id name } message { content } } } pageInfo { hasNextPage hasPreviousPage endCursor } } }";

fn kinds(data: &Value) -> Vec<(String, Value)> {
    data["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["kind"].as_str().unwrap().to_owned(),
                e["node"]["message"]["content"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn mentions_and_invites_are_listed_newest_first_and_new_messages_are_not_stored() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    let root = send(&app, &alice, &room, "hello").await;
    send(&app, &alice, &room, "ping @bob").await;
    reply(
        &app,
        &alice,
        root["id"].as_str().unwrap(),
        "in a thread @bob",
    )
    .await;
    reply(&app, &alice, root["id"].as_str().unwrap(), "in a thread").await;
    send(&app, &bob, &room, "my own message").await;

    let data = app.ok(Some(&bob.access_token), LIST, json!({})).await;
    assert_eq!(
        kinds(&data),
        [
            ("MENTION".to_owned(), json!("in a thread @bob")),
            ("MENTION".to_owned(), json!("ping @bob")),
            ("INVITE".to_owned(), Value::Null),
        ]
    );
    let first = &data["notifications"]["edges"][0]["node"];
    assert_eq!(first["read"], false);
    assert_eq!(first["room"]["name"], "Team");
    // New messages are alerted live only.
    let alices = app.ok(Some(&alice.access_token), LIST, json!({})).await;
    assert_eq!(kinds(&alices), []);
    // Bob's unread counts still have every message: the two top-level ones, the two mentioning him.
    let bobs = chat::room(&app, &bob, &room).await;
    assert_eq!(
        (
            bobs["unreadCount"].as_i64(),
            bobs["unreadMentionCount"].as_i64()
        ),
        (Some(2), Some(2))
    );
}

#[tokio::test]
async fn a_message_to_a_room_of_many_writes_one_notification_per_mention_only() {
    const MEMBERS: usize = 30;
    let app = spawn_app_with(|c| c.rate.message_burst = 1_000).await;
    let alice = app.sign_up("alice").await;
    let mut others = Vec::new();
    for i in 0..MEMBERS - 1 {
        others.push(app.sign_up(&format!("member{i}")).await);
    }
    let refs: Vec<&chorus_tests::Session> = others.iter().collect();
    let room = group(&app, &alice, "Crowd", &refs).await;
    let stored = || async {
        notifications::Entity::find()
            .filter(notifications::Column::Kind.ne("INVITE"))
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(stored().await, 0);

    send(&app, &alice, &room, "hello everyone").await;
    assert_eq!(stored().await, 0, "no row per member for a plain message");
    send(
        &app,
        &alice,
        &room,
        "@member3 and @member7, and @member3 again",
    )
    .await;
    let rows = notifications::Entity::find()
        .filter(notifications::Column::Kind.ne("INVITE"))
        .all(&app.db)
        .await
        .unwrap();
    let mut recipients: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.kind.clone(), r.user_id.to_string()))
        .collect();
    recipients.sort();
    let mut expected = vec![
        ("MENTION".to_owned(), others[3].user_id.clone()),
        ("MENTION".to_owned(), others[7].user_id.clone()),
    ];
    expected.sort();
    assert_eq!(recipients, expected, "one MENTION per mentioned member");
    // Unread counts come from read markers and mentions, not from stored rows.
    let seen = chat::room(&app, &others[3], &room).await;
    assert_eq!(
        (
            seen["unreadCount"].as_i64(),
            seen["unreadMentionCount"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let seen = chat::room(&app, &others[0], &room).await;
    assert_eq!(
        (
            seen["unreadCount"].as_i64(),
            seen["unreadMentionCount"].as_i64()
        ),
        (Some(2), Some(0))
    );
}

#[tokio::test]
async fn notifications_page_by_cursor_and_can_be_marked_read() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    for i in 0..4 {
        send(&app, &alice, &room, &format!("m{i} @bob")).await;
    }
    let page1 = app
        .ok(Some(&bob.access_token), LIST, json!({ "first": 2 }))
        .await;
    assert_eq!(
        kinds(&page1),
        [
            ("MENTION".to_owned(), json!("m3 @bob")),
            ("MENTION".to_owned(), json!("m2 @bob"))
        ]
    );
    assert_eq!(page1["notifications"]["pageInfo"]["hasNextPage"], true);
    let page2 = app
        .ok(
            Some(&bob.access_token),
            LIST,
            json!({ "first": 10, "after": page1["notifications"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(kinds(&page2).len(), 3, "m1, m0 and the invitation");
    assert_eq!(page2["notifications"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(page2["notifications"]["pageInfo"]["hasPreviousPage"], true);

    let ids: Vec<Value> = page1["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    let mark = "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }";
    let data = app
        .ok(Some(&bob.access_token), mark, json!({ "ids": ids }))
        .await;
    assert_eq!(data["markNotificationsRead"], 2);
    // Again: already read. Someone else's ids: ignored.
    let data = app
        .ok(Some(&bob.access_token), mark, json!({ "ids": ids }))
        .await;
    assert_eq!(data["markNotificationsRead"], 0);
    let data = app
        .ok(Some(&alice.access_token), mark, json!({ "ids": ids }))
        .await;
    assert_eq!(data["markNotificationsRead"], 0);

    let unread = app
        .ok(Some(&bob.access_token), LIST, json!({ "unread": true }))
        .await;
    assert_eq!(kinds(&unread).len(), 3);
    let all = app.ok(Some(&bob.access_token), LIST, json!({})).await;
    assert_eq!(all["notifications"]["edges"][0]["node"]["read"], true);

    let body = app
        .graphql(Some(&bob.access_token), LIST, json!({ "after": "nope" }))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("after"));
}

#[tokio::test]
async fn notification_settings_switch_globally_and_mute_one_room() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    let set = "mutation($input: NotificationSettingsInput!) { setNotificationSettings(input: $input) { notificationsEnabled user { nickname } } }";

    let data = app
        .ok(
            Some(&bob.access_token),
            set,
            json!({ "input": { "enabled": false } }),
        )
        .await;
    assert_eq!(
        data["setNotificationSettings"]["notificationsEnabled"],
        false
    );
    let me = app
        .ok(
            Some(&bob.access_token),
            "{ me { notificationsEnabled } }",
            json!({}),
        )
        .await;
    assert_eq!(me["me"]["notificationsEnabled"], false);

    assert_eq!(chat::room(&app, &bob, &room).await["muted"], false);
    let data = app
        .ok(
            Some(&bob.access_token),
            set,
            json!({ "input": { "roomId": room, "muted": true } }),
        )
        .await;
    assert_eq!(
        data["setNotificationSettings"]["notificationsEnabled"], false,
        "unchanged when omitted"
    );
    assert_eq!(chat::room(&app, &bob, &room).await["muted"], true);
    assert_eq!(
        chat::room(&app, &alice, &room).await["muted"],
        false,
        "muting is per member"
    );

    // Refusals: half a mute, a room I am not in.
    let body = app
        .graphql(
            Some(&bob.access_token),
            set,
            json!({ "input": { "muted": true } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("roomId"));
    let mallory = app.sign_up("mallory").await;
    let body = app
        .graphql(
            Some(&mallory.access_token),
            set,
            json!({ "input": { "roomId": room, "muted": true } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}
