//! Message search: scoping to the rooms I am in now, free text (partial words, case, accents, CJK, emoji),
//! phrases and exclusions, every operator, ranking and recency order, highlights, paging, and query text
//! that looks like SQL or FTS syntax. Runs on SQLite, and on PostgreSQL with `TEST_DATABASE_URL`.

use chorus_tests::chat::{self, group, mutate, reply, send};
use chorus_tests::{Session, TestApp, error_code, error_field, spawn_app, spawn_app_with};
use entity::messages;
use reqwest::multipart::{Form, Part};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const SEARCH: &str = "query($q: String!, $first: Int, $after: String, $sort: SearchSort) { search(query: $q, first: $first, after: $after, sort: $sort) { edges { cursor node { score message { id content roomId parentId } room { id name } highlights { start end } snippet { text matched } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

async fn search_raw(app: &TestApp, who: &Session, vars: Value) -> Value {
    app.graphql(Some(&who.access_token), SEARCH, vars).await
}

/// The whole `search` connection, which must succeed.
async fn search_page(app: &TestApp, who: &Session, vars: Value) -> Value {
    let body = search_raw(app, who, vars).await;
    assert!(
        body.get("errors").is_none_or(Value::is_null),
        "unexpected errors: {body}"
    );
    body["data"]["search"].clone()
}

fn contents_of(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["message"]["content"].as_str().unwrap().to_owned())
        .collect()
}

/// Contents of the first page of hits for `q` (relevance order).
async fn found(app: &TestApp, who: &Session, q: &str) -> Vec<String> {
    contents_of(&search_page(app, who, json!({ "q": q, "first": 100 })).await)
}

/// Like [`found`], sorted, for checks that do not care about order.
async fn found_set(app: &TestApp, who: &Session, q: &str) -> Vec<String> {
    let mut all = found(app, who, q).await;
    all.sort();
    all
}

fn strings(items: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn id(message: &Value) -> &str {
    message["id"].as_str().unwrap()
}

#[tokio::test]
async fn search_covers_only_rooms_i_am_a_member_of_now() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let mine = group(&app, &alice, "Mine", &[&bob]).await;
    let never_joined = group(&app, &bob, "Theirs", &[&carol]).await;
    let left = group(&app, &bob, "Left", &[&alice]).await;
    send(&app, &bob, &mine, "falcon in mine").await;
    send(&app, &bob, &never_joined, "falcon never joined").await;
    send(&app, &bob, &left, "falcon in the room alice leaves").await;
    assert_eq!(
        found_set(&app, &alice, "falcon").await,
        strings(&["falcon in mine", "falcon in the room alice leaves"])
    );

    chat::leave(&app, &alice, &left).await;
    assert_eq!(found(&app, &alice, "falcon").await, vec!["falcon in mine"]);
    // Naming a room by id does not reach past membership.
    assert!(
        found(&app, &alice, &format!("falcon in:{never_joined}"))
            .await
            .is_empty()
    );
    assert!(found(&app, &alice, &format!("in:{left}")).await.is_empty());
    assert_eq!(found(&app, &bob, "falcon").await.len(), 3);

    let body = app.graphql(None, SEARCH, json!({ "q": "falcon" })).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn deleted_messages_are_never_found_and_edited_ones_only_by_their_current_text() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Notes", &[]).await;
    let edited = send(&app, &alice, &room, "quasar draft").await;
    let deleted = send(&app, &alice, &room, "pulsar secret").await;
    mutate(
        &app,
        &alice,
        "mutation($id: ID!, $c: String!) { editMessage(id: $id, content: $c) { id } }",
        json!({ "id": id(&edited), "c": "nebula final" }),
    )
    .await;
    mutate(
        &app,
        &alice,
        "mutation($id: ID!) { deleteMessage(id: $id) { id } }",
        json!({ "id": id(&deleted) }),
    )
    .await;
    assert!(found(&app, &alice, "quasar").await.is_empty());
    assert_eq!(found(&app, &alice, "nebula").await, vec!["nebula final"]);
    assert!(found(&app, &alice, "pulsar").await.is_empty());
    assert!(found(&app, &alice, "secret").await.is_empty());
    // Edited twice: only the latest text.
    mutate(
        &app,
        &alice,
        "mutation($id: ID!, $c: String!) { editMessage(id: $id, content: $c) { id } }",
        json!({ "id": id(&edited), "c": "comet shipped" }),
    )
    .await;
    assert!(found(&app, &alice, "nebula").await.is_empty());
    assert_eq!(found(&app, &alice, "comet").await, vec!["comet shipped"]);
}

#[tokio::test]
async fn words_match_inside_longer_words_ignoring_case_and_accents() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Ops", &[]).await;
    for text in [
        "Redeploy finished",
        "DEPLOYMENT started",
        "Déploiement prévu à midi",
        "nothing to see",
    ] {
        send(&app, &alice, &room, text).await;
    }
    assert_eq!(
        found_set(&app, &alice, "deploy").await,
        strings(&["DEPLOYMENT started", "Redeploy finished"])
    );
    assert_eq!(
        found_set(&app, &alice, "DePlOy").await,
        strings(&["DEPLOYMENT started", "Redeploy finished"])
    );
    for q in ["deploiement", "DÉPLOIEMENT", "prevu a"] {
        assert_eq!(
            found(&app, &alice, q).await,
            vec!["Déploiement prévu à midi"],
            "{q}"
        );
    }
    // Every term must match.
    assert_eq!(
        found(&app, &alice, "deploy started").await,
        vec!["DEPLOYMENT started"]
    );
}

#[tokio::test]
async fn cjk_text_is_found_by_any_two_characters_and_emoji_are_searchable() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Global", &[]).await;
    for text in [
        "오늘 배포했습니다",
        "新しいデプロイが完了しました",
        "部署完成了",
        "ship it 🚀 now",
        "tea ☕",
    ] {
        send(&app, &alice, &room, text).await;
    }
    assert_eq!(found(&app, &alice, "배포").await, vec!["오늘 배포했습니다"]);
    assert_eq!(found(&app, &alice, "했습").await, vec!["오늘 배포했습니다"]);
    assert_eq!(
        found(&app, &alice, "デプロイ").await,
        vec!["新しいデプロイが完了しました"]
    );
    assert_eq!(
        found(&app, &alice, "完了").await,
        vec!["新しいデプロイが完了しました"]
    );
    assert_eq!(found(&app, &alice, "部署").await, vec!["部署完成了"]);
    assert_eq!(found(&app, &alice, "🚀").await, vec!["ship it 🚀 now"]);
    assert_eq!(found(&app, &alice, "☕").await, vec!["tea ☕"]);
    assert!(found(&app, &alice, "배포 ☕").await.is_empty());
}

#[tokio::test]
async fn phrases_match_whole_words_in_order_and_exclusions_remove_hits() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Docs", &[]).await;
    for text in [
        "the Release Notes are ready",
        "notes on the release",
        "prerelease notes drafted",
    ] {
        send(&app, &alice, &room, text).await;
    }
    assert_eq!(
        found(&app, &alice, "\"release notes\"").await,
        vec!["the Release Notes are ready"]
    );
    assert_eq!(
        found_set(&app, &alice, "release -ready").await,
        strings(&["notes on the release", "prerelease notes drafted"])
    );
    assert_eq!(
        found(&app, &alice, "notes -\"release notes\" -prerelease").await,
        vec!["notes on the release"]
    );
}

#[tokio::test]
async fn operators_filter_by_sender_room_mentions_and_threads() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let ops = group(&app, &alice, "Ops", &[&bob]).await;
    let dev = group(&app, &alice, "Dev Team", &[&bob]).await;
    send(&app, &alice, &ops, "alpha from alice in ops").await;
    let root = send(&app, &bob, &ops, "alpha from bob in ops @alice").await;
    send(&app, &bob, &dev, "alpha from bob in dev").await;
    send(&app, &alice, &dev, "alpha to @bob in dev").await;
    reply(&app, &bob, id(&root), "alpha reply in thread").await;

    assert_eq!(
        found_set(&app, &alice, "alpha from:@bob").await,
        strings(&[
            "alpha from bob in dev",
            "alpha from bob in ops @alice",
            "alpha reply in thread"
        ])
    );
    assert_eq!(
        found_set(&app, &alice, "from:me").await,
        strings(&["alpha from alice in ops", "alpha to @bob in dev"])
    );
    assert_eq!(
        found_set(&app, &alice, "alpha -from:BOB").await,
        found_set(&app, &alice, "from:me").await
    );
    assert_eq!(
        found_set(&app, &alice, "alpha in:#ops from:bob").await,
        strings(&["alpha from bob in ops @alice", "alpha reply in thread"])
    );
    assert_eq!(
        found_set(&app, &alice, "in:\"dev team\"").await,
        strings(&["alpha from bob in dev", "alpha to @bob in dev"])
    );
    assert_eq!(
        found_set(&app, &alice, &format!("alpha in:{dev}")).await,
        strings(&["alpha from bob in dev", "alpha to @bob in dev"])
    );
    assert_eq!(
        found(&app, &alice, "mentions:me").await,
        vec!["alpha from bob in ops @alice"]
    );
    assert_eq!(
        found(&app, &bob, "mentions:me").await,
        vec!["alpha to @bob in dev"]
    );
    assert_eq!(
        found(&app, &alice, "mentions:@Bob").await,
        vec!["alpha to @bob in dev"]
    );
    assert_eq!(
        found_set(&app, &alice, "is:thread").await,
        strings(&["alpha from bob in ops @alice", "alpha reply in thread"])
    );
    // Thread replies are hits of their own, with their parent.
    let page = search_page(&app, &alice, json!({ "q": "reply" })).await;
    assert_eq!(page["edges"][0]["node"]["message"]["parentId"], root["id"]);
    assert_eq!(page["edges"][0]["node"]["room"]["name"], "Ops");
    assert!(found(&app, &alice, "from:@nobody").await.is_empty());
}

#[tokio::test]
async fn has_image_and_has_link_filter_by_content() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Media", &[]).await;
    let mut png = Vec::new();
    image::RgbImage::from_pixel(2, 2, image::Rgb([1, 2, 3]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let res = app
        .http
        .post(app.url("/api/upload"))
        .bearer_auth(&alice.access_token)
        .multipart(Form::new().part("file", Part::bytes(png).file_name("a.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let upload: Value = res.json().await.unwrap();
    mutate(
        &app,
        &alice,
        "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }",
        json!({ "input": { "roomId": room, "content": "screenshot attached", "attachmentIds": [upload["id"]] } }),
    )
    .await;
    send(&app, &alice, &room, "docs at HTTPS://example.com/a").await;
    send(&app, &alice, &room, "plain words only").await;
    assert_eq!(
        found(&app, &alice, "has:image").await,
        vec!["screenshot attached"]
    );
    assert_eq!(
        found(&app, &alice, "has:link").await,
        vec!["docs at HTTPS://example.com/a"]
    );
    assert_eq!(
        found_set(&app, &alice, "-has:link -has:image").await,
        strings(&["plain words only"])
    );
}

#[tokio::test]
async fn before_and_after_filter_by_utc_day() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Log", &[]).await;
    for (text, day) in [
        ("entry one", "2026-01-10T12:00:00Z"),
        ("entry two", "2026-01-11T00:00:00Z"),
        ("entry three", "2026-01-12T23:59:59Z"),
    ] {
        let message = send(&app, &alice, &room, text).await;
        let at: chrono::DateTime<chrono::Utc> = day.parse().unwrap();
        messages::Entity::update_many()
            .col_expr(messages::Column::InsertedAt, Expr::value(at))
            .filter(messages::Column::Id.eq(Uuid::parse_str(id(&message)).unwrap()))
            .exec(&app.db)
            .await
            .unwrap();
    }
    assert_eq!(
        found(&app, &alice, "entry before:2026-01-11").await,
        vec!["entry one"]
    );
    assert_eq!(
        found(&app, &alice, "entry after:2026-01-11").await,
        vec!["entry three"]
    );
    assert_eq!(
        found(&app, &alice, "entry after:2026-01-10 before:2026-01-12").await,
        vec!["entry two"]
    );
}

#[tokio::test]
async fn malformed_operators_are_bad_user_input_naming_the_operator() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    for (q, operator) in [
        ("from:", "from:"),
        ("deploy mentions:@", "mentions:"),
        ("in:#", "in:"),
        ("has:video", "has:"),
        ("is:pinned", "is:"),
        ("before:2026-13-01", "before:"),
        ("after:yesterday", "after:"),
    ] {
        let body = search_raw(&app, &alice, json!({ "q": q })).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{q}");
        assert_eq!(error_field(&body), Some("query"), "{q}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(operator), "{q}: {message}");
    }
    for q in ["", "   ", "-alone"] {
        let body = search_raw(&app, &alice, json!({ "q": q })).await;
        assert_eq!(error_field(&body), Some("query"), "{q:?}");
    }
    let body = search_raw(&app, &alice, json!({ "q": "x", "after": "bm9wZQ" })).await;
    assert_eq!(error_field(&body), Some("after"));
    let body = search_raw(&app, &alice, json!({ "q": "x", "first": -1 })).await;
    assert_eq!(error_field(&body), Some("first"));
}

#[tokio::test]
async fn hits_carry_highlights_as_utf16_ranges_and_a_snippet_of_parts() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Ops", &[]).await;
    send(&app, &alice, &room, "🚀 Redeploy the DÉPLOYMENT <b>now</b>").await;
    let page = search_page(&app, &alice, json!({ "q": "deploy \"now\"" })).await;
    let hit = &page["edges"][0]["node"];
    assert_eq!(
        hit["highlights"],
        json!([{ "start": 5, "end": 11 }, { "start": 16, "end": 22 }, { "start": 30, "end": 33 }])
    );
    assert_eq!(
        hit["snippet"],
        json!([
            { "text": "🚀 Re", "matched": false },
            { "text": "deploy", "matched": true },
            { "text": " the ", "matched": false },
            { "text": "DÉPLOY", "matched": true },
            { "text": "MENT <b>", "matched": false },
            { "text": "now", "matched": true },
            { "text": "</b>", "matched": false },
        ])
    );
    assert_eq!(hit["room"]["id"], json!(room));
}

#[tokio::test]
async fn syntax_characters_in_a_query_are_searched_as_plain_text() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Syntax", &[]).await;
    for text in [
        "she said \"hi\" loudly",
        "compute 2*3 today",
        "ratio a:b noted",
        "NEAR(x y) is fts syntax",
        "it's o'clock",
        "100% done_now",
        "plain message",
    ] {
        send(&app, &alice, &room, text).await;
    }
    for (q, expected) in [
        ("\"", "she said \"hi\" loudly"),
        ("\"hi", "she said \"hi\" loudly"),
        ("2*3", "compute 2*3 today"),
        ("*", "compute 2*3 today"),
        (":", "ratio a:b noted"),
        ("a:b", "ratio a:b noted"),
        ("NEAR(", "NEAR(x y) is fts syntax"),
        ("near(x", "NEAR(x y) is fts syntax"),
        ("'", "it's o'clock"),
        ("o'clock", "it's o'clock"),
        ("%", "100% done_now"),
        ("_", "100% done_now"),
    ] {
        assert_eq!(found(&app, &alice, q).await, vec![expected], "{q}");
    }
    for q in [
        "' OR 1=1 --",
        "x'); DROP TABLE messages; --",
        "\" OR \"\"=\"",
        "NEAR(a b, 2)",
        "* OR message",
        "body:plain",
        "\\",
    ] {
        let body = search_raw(&app, &alice, json!({ "q": q })).await;
        assert!(body.get("errors").is_none_or(Value::is_null), "{q}: {body}");
        assert!(
            contents_of(&body["data"]["search"]).is_empty(),
            "{q} matched: {body}"
        );
    }
    assert_eq!(found(&app, &alice, "plain").await, vec!["plain message"]);
}

#[tokio::test]
async fn relevance_prefers_whole_words_then_recency_and_recent_sorts_by_time() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Rank", &[]).await;
    for text in ["deploy now", "redeployment done", "deploy later"] {
        send(&app, &alice, &room, text).await;
    }
    assert_eq!(
        found(&app, &alice, "deploy").await,
        vec!["deploy later", "deploy now", "redeployment done"]
    );
    let recent = search_page(&app, &alice, json!({ "q": "deploy", "sort": "RECENT" })).await;
    assert_eq!(
        contents_of(&recent),
        vec!["deploy later", "redeployment done", "deploy now"]
    );
    let scores: Vec<f64> = search_page(&app, &alice, json!({ "q": "deploy" })).await["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["score"].as_f64().unwrap())
        .collect();
    assert!(scores[1] > scores[2], "{scores:?}");
}

#[tokio::test]
async fn pages_return_every_hit_exactly_once_in_both_orders() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Pages", &[]).await;
    let mut expected = Vec::new();
    for i in 0..23 {
        // Mixed relevance: some whole words, some parts of words.
        let text = if i % 3 == 0 {
            format!("batch {i}")
        } else {
            format!("subbatches {i}")
        };
        send(&app, &alice, &room, &text).await;
        expected.push(text);
    }
    send(&app, &alice, &room, "unrelated").await;
    expected.sort();
    for sort in ["RELEVANCE", "RECENT"] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = search_page(
                &app,
                &alice,
                json!({ "q": "batch", "first": 10, "after": after, "sort": sort }),
            )
            .await;
            pages += 1;
            assert_eq!(page["pageInfo"]["hasPreviousPage"], after.is_some());
            seen.extend(contents_of(&page));
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
            assert!(pages < 5, "paging does not end");
        }
        assert_eq!(pages, 3, "{sort}");
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(sorted, expected, "{sort}: every hit once");
        if sort == "RELEVANCE" {
            // The whole words come first.
            assert!(
                seen[..8].iter().all(|c| c.starts_with("batch ")),
                "{seen:?}"
            );
        }
    }
    // A cursor of one order is refused by the other.
    let page = search_page(&app, &alice, json!({ "q": "batch", "first": 1 })).await;
    let body = search_raw(
        &app,
        &alice,
        json!({ "q": "batch", "after": page["pageInfo"]["endCursor"], "sort": "RECENT" }),
    )
    .await;
    assert_eq!(error_field(&body), Some("after"));
}

/// On PostgreSQL a search over few messages reads them by room; over many it goes through the trigram index.
/// Forcing the index path here checks that both paths find the same messages (on SQLite there is one path).
#[tokio::test]
async fn the_trigram_index_path_finds_the_same_messages_as_the_room_scan() {
    let app = spawn_app_with(|c| c.search_scan_messages = 0).await;
    let alice = app.sign_up("alice").await;
    let room = group(&app, &alice, "Index", &[]).await;
    for text in [
        "Redeploy finished",
        "DEPLOYMENT started",
        "Déploiement prévu",
        "오늘 배포했습니다",
        "100% done_now",
        "ship it 🚀",
    ] {
        send(&app, &alice, &room, text).await;
    }
    assert_eq!(
        found(&app, &alice, "deploy").await,
        vec!["DEPLOYMENT started", "Redeploy finished"]
    );
    assert_eq!(
        found(&app, &alice, "deploiement").await,
        vec!["Déploiement prévu"]
    );
    assert_eq!(found(&app, &alice, "배포").await, vec!["오늘 배포했습니다"]);
    assert_eq!(found(&app, &alice, "%").await, vec!["100% done_now"]);
    assert_eq!(found(&app, &alice, "_now").await, vec!["100% done_now"]);
    assert_eq!(found(&app, &alice, "🚀").await, vec!["ship it 🚀"]);
    assert!(found(&app, &alice, "d_ploy").await.is_empty());
}

/// Messages written before the search migration are indexed by it (on PostgreSQL the generated columns
/// fill themselves; SQLite's FTS tables are filled by the migration).
#[tokio::test]
async fn the_search_migration_indexes_messages_that_already_exist_on_sqlite() {
    use chorus_core::search::plan::SCAN_SCOPE;
    use chorus_core::search::service::{self, DEFAULT_PAGE, SearchArgs, Sort};
    use entity::{room_users, rooms, users};
    use migration::{Migrator, MigratorTrait};
    use schema::Viewer;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name().contains("message_search"))
        .expect("the search migration");
    Migrator::up(&db, Some(before as u32)).await.unwrap();

    let now = chrono::Utc::now();
    let (user, room) = (Uuid::now_v7(), Uuid::now_v7());
    let old_user = users::ActiveModel {
        // Columns added by later migrations than this database has.
        kind: sea_orm::ActiveValue::NotSet,
        owner_id: sea_orm::ActiveValue::NotSet,
        ..users::ActiveModel::from(users::Model {
            id: user,
            email: "old@example.com".into(),
            password_hash: "x".into(),
            nickname: "old".into(),
            avatar_attachment_id: None,
            notifications_enabled: true,
            last_seen_at: None,
            created_at: now,
            kind: users::UserKind::Person,
            owner_id: None,
        })
    };
    users::Entity::insert(old_user)
        .exec_without_returning(&db)
        .await
        .unwrap();
    rooms::Entity::insert(rooms::ActiveModel::from(rooms::Model {
        id: room,
        name: Some("Old".into()),
        is_group: true,
        direct_key: None,
        created_by: Some(user),
        last_seq: 2,
        last_activity_at: now,
        created_at: now,
    }))
    .exec_without_returning(&db)
    .await
    .unwrap();
    room_users::Entity::insert(room_users::ActiveModel::from(room_users::Model {
        room_id: room,
        user_id: user,
        role: room_users::RoomRole::Owner,
        joined_at: now,
        last_read_seq: 0,
        seen_at: None,
        muted: false,
        left_at: None,
    }))
    .exec_without_returning(&db)
    .await
    .unwrap();
    for (seq, content, deleted) in [(1, Some("Déploiement d'hier"), false), (2, None, true)] {
        let mut row = messages::ActiveModel::from(messages::Model {
            id: Uuid::now_v7(),
            room_id: room,
            seq,
            sender_id: Some(user),
            parent_id: None,
            content: content.map(str::to_owned),
            client_id: None,
            inserted_at: now,
            edited_at: None,
            deleted_at: deleted.then_some(now),
            display_name: None,
            display_avatar_url: None,
        });
        // Columns added by later migrations than the ones run so far.
        row.display_name = sea_orm::ActiveValue::NotSet;
        row.display_avatar_url = sea_orm::ActiveValue::NotSet;
        messages::Entity::insert(row)
            .exec_without_returning(&db)
            .await
            .unwrap();
    }
    Migrator::up(&db, None).await.unwrap();

    let viewer = Viewer {
        user_id: user,
        expires_at: i64::MAX,
        session_id: Uuid::nil(),
        access: chorus_core::Access::Session,
    };
    for query in ["deploiement", "\"d'hier\"", "from:me"] {
        let page = service::search(
            &db,
            viewer,
            SearchArgs {
                query: query.into(),
                limit: DEFAULT_PAGE,
                after: None,
                sort: Sort::Relevance,
                scan_scope: SCAN_SCOPE,
            },
        )
        .await
        .map_err(|e| e.public_message())
        .unwrap();
        let found: Vec<_> = page
            .items
            .iter()
            .map(|h| h.message.content.clone())
            .collect();
        assert_eq!(
            found,
            vec![Some("Déploiement d'hier".to_owned())],
            "{query}"
        );
    }
}

/// Searching is rate limited per user (each page can scan many rooms): past the limit RATE_LIMITED, while
/// another user still searches.
#[tokio::test]
async fn searches_are_rate_limited_per_user() {
    let app = spawn_app_with(|c| c.rate.searches_per_minute = 2).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    for _ in 0..2 {
        let ok = search_raw(&app, &alice, json!({ "q": "anything" })).await;
        assert!(ok["errors"].is_null(), "{ok}");
    }
    let refused = search_raw(&app, &alice, json!({ "q": "anything" })).await;
    assert_eq!(error_code(&refused), Some("RATE_LIMITED"), "{refused}");
    let other = search_raw(&app, &bob, json!({ "q": "anything" })).await;
    assert!(other["errors"].is_null(), "{other}");
}
