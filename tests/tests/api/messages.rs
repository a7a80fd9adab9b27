//! Messages: sending, history pages, threads, edits, deletes, reactions, mentions and read receipts.

use std::sync::atomic::Ordering;

use chorus_tests::chat::{
    self, MESSAGE_FIELDS, direct, group, last_seq, reply, send, try_mutate, try_send, two_in_a_room,
};
use chorus_tests::{
    Session, TestApp, error_code, error_field, spawn_app, spawn_app_counting_statements,
};
use entity::room_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

async fn event_kinds(app: &TestApp, room: &str) -> Vec<(i64, String)> {
    app.stored_events(room)
        .await
        .into_iter()
        .map(|e| (e.seq, e.kind.as_str().to_owned()))
        .collect()
}

async fn messages_page(app: &TestApp, who: &Session, room: &str, args: Value) -> Value {
    let mut vars = args;
    vars["roomId"] = json!(room);
    let data = app
        .ok(
            Some(&who.access_token),
            "query($roomId: ID!, $first: Int, $after: String, $last: Int, $before: String, $around: ID, $aroundSeq: Int) { messages(roomId: $roomId, first: $first, after: $after, last: $last, before: $before, around: $around, aroundSeq: $aroundSeq) { edges { cursor node { id seq content deletedAt parentId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
            vars,
        )
        .await;
    data["messages"].clone()
}

fn contents(page: &Value) -> Vec<Value> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["content"].clone())
        .collect()
}

const EDIT: &str = "mutation($id: ID!, $c: String!) { editMessage(id: $id, content: $c) { id content editedAt mentions { nickname } } }";
const DELETE: &str = "mutation($id: ID!) { deleteMessage(id: $id) { id content deletedAt } }";
const ADD: &str = "mutation($m: ID!, $e: String!) { addReaction(messageId: $m, emoji: $e) { reactions { emoji count reactedByMe users { nickname } } } }";
const REMOVE: &str = "mutation($m: ID!, $e: String!) { removeReaction(messageId: $m, emoji: $e) { reactions { emoji count reactedByMe } } }";
const MARK_READ: &str = "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { unreadCount unreadMentionCount members { lastReadSeq seenAt user { nickname } } } }";

#[tokio::test]
async fn a_member_sends_a_message_that_takes_the_rooms_next_seq() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let before = last_seq(&app, &alice, &room).await;
    let message = send(&app, &bob, &room, "  hello\r\nworld  ").await;
    assert_eq!(message["content"], "hello\nworld");
    assert_eq!(message["sender"]["nickname"], "bob");
    assert_eq!(message["roomId"], json!(room));
    assert_eq!(message["seq"], before + 1);
    assert_eq!(message["parentId"], Value::Null);
    assert_eq!(message["replyCount"], 0);
    assert_eq!(last_seq(&app, &alice, &room).await, before + 1);
    let events = event_kinds(&app, &room).await;
    assert_eq!(
        events.last().unwrap(),
        &(before + 1, "MessageAdded".to_owned())
    );
}

#[tokio::test]
async fn a_non_member_cannot_send_and_nothing_is_written() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    let mallory = app.sign_up("mallory").await;
    let before = event_kinds(&app, &room).await;
    let body = try_send(&app, &mallory, &room, "let me in").await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    // Same answer for a room that does not exist.
    let body = try_send(&app, &mallory, &Uuid::now_v7().to_string(), "hello").await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    assert_eq!(event_kinds(&app, &room).await, before);
    let page = messages_page(&app, &alice, &room, json!({})).await;
    assert_eq!(page["edges"], json!([]));
}

#[tokio::test]
async fn content_must_be_1_to_4000_characters_without_control_characters() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    for bad in [
        String::new(),
        "   \n\t ".to_owned(),
        "x".repeat(4_001),
        "bell\u{7}".to_owned(),
        "esc\u{1b}[0m".to_owned(),
    ] {
        let body = try_send(&app, &alice, &room, &bad).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{bad:?}");
        assert_eq!(error_field(&body), Some("content"));
    }
    let long = "é".repeat(4_000);
    assert_eq!(
        send(&app, &alice, &room, &long).await["content"],
        json!(long)
    );
    send(&app, &alice, &room, "tab\tand\nnewline").await;
}

#[tokio::test]
async fn sending_again_with_the_same_client_id_returns_the_original_and_writes_nothing() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let send_with = |content: &'static str, client: &'static str| {
        let (app, alice, room) = (&app, &alice, room.clone());
        async move {
            app.ok(
                Some(&alice.access_token),
                "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq content clientId } }",
                json!({ "input": { "roomId": room, "content": content, "clientId": client } }),
            )
            .await["sendMessage"]
                .clone()
        }
    };
    let first = send_with("once", "c-1").await;
    let seq = last_seq(&app, &alice, &room).await;
    let retry = send_with("once (retried)", "c-1").await;
    assert_eq!(retry, first);
    assert_eq!(first["clientId"], "c-1");
    assert_eq!(last_seq(&app, &alice, &room).await, seq);
    // Concurrent retries of a new key still make one message.
    let (a, b, c) = tokio::join!(
        send_with("race", "c-2"),
        send_with("race", "c-2"),
        send_with("race", "c-2")
    );
    assert_eq!(a["id"], b["id"]);
    assert_eq!(a["id"], c["id"]);
    // Another sender may use the same key.
    let other = app
        .ok(
            Some(&bob.access_token),
            "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }",
            json!({ "input": { "roomId": room, "content": "mine", "clientId": "c-1" } }),
        )
        .await;
    assert_ne!(other["sendMessage"]["id"], first["id"]);
    let page = messages_page(&app, &alice, &room, json!({})).await;
    assert_eq!(
        contents(&page),
        [json!("once"), json!("race"), json!("mine")]
    );
}

#[tokio::test]
async fn a_client_id_reused_in_another_room_sends_a_new_message_there() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let other_room = group(&app, &alice, "elsewhere", &[&bob]).await;
    let send_to = |room: String, content: &'static str| {
        let (app, alice) = (&app, &alice);
        async move {
            app.ok(
                Some(&alice.access_token),
                "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id roomId content } }",
                json!({ "input": { "roomId": room, "content": content, "clientId": "same-key" } }),
            )
            .await["sendMessage"]
                .clone()
        }
    };
    let here = send_to(room.clone(), "here").await;
    let there = send_to(other_room.clone(), "there").await;
    assert_ne!(here["id"], there["id"]);
    assert_eq!(there["roomId"], other_room.as_str());
    assert_eq!(there["content"], "there");
    // A retry in either room still returns that room's message.
    assert_eq!(send_to(other_room.clone(), "there again").await, there);
    assert_eq!(send_to(room.clone(), "here again").await, here);
    assert_eq!(
        contents(&messages_page(&app, &alice, &other_room, json!({})).await),
        [json!("there")]
    );
    assert_eq!(
        contents(&messages_page(&app, &alice, &room, json!({})).await),
        [json!("here")]
    );
}

#[tokio::test]
async fn concurrent_sends_get_unique_seqs_and_the_event_log_stays_dense() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let sends = (0..20).map(|i| {
        let (app, who, room) = (&app, if i % 2 == 0 { &alice } else { &bob }, room.clone());
        async move {
            send(app, who, &room, &format!("m{i}")).await["seq"]
                .as_i64()
                .unwrap()
        }
    });
    let mut seqs = futures_util::future::join_all(sends).await;
    seqs.sort();
    seqs.dedup();
    assert_eq!(seqs.len(), 20);
    let events = event_kinds(&app, &room).await;
    let expected: Vec<i64> = (1..=events.len() as i64).collect();
    assert_eq!(events.iter().map(|e| e.0).collect::<Vec<_>>(), expected);
    assert_eq!(events.iter().filter(|e| e.1 == "MessageAdded").count(), 20);
    assert_eq!(last_seq(&app, &alice, &room).await, events.len() as i64);
}

#[tokio::test]
async fn history_pages_both_ways_across_tombstones_and_without_thread_replies() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let mut ids = Vec::new();
    for i in 1..=7 {
        let m = send(
            &app,
            if i % 2 == 0 { &bob } else { &alice },
            &room,
            &format!("m{i}"),
        )
        .await;
        ids.push(m["id"].as_str().unwrap().to_owned());
    }
    reply(&app, &bob, &ids[1], "a reply to m2").await;
    try_mutate(&app, &alice, DELETE, json!({ "id": ids[2] })).await;

    // Default: the newest 50, oldest first.
    let all = messages_page(&app, &bob, &room, json!({})).await;
    assert_eq!(
        contents(&all),
        [
            json!("m1"),
            json!("m2"),
            Value::Null,
            json!("m4"),
            json!("m5"),
            json!("m6"),
            json!("m7")
        ]
    );
    assert_eq!(all["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(all["pageInfo"]["hasNextPage"], false);

    // Backward from the end.
    let newest = messages_page(&app, &bob, &room, json!({ "last": 3 })).await;
    assert_eq!(contents(&newest), [json!("m5"), json!("m6"), json!("m7")]);
    assert_eq!(newest["pageInfo"]["hasPreviousPage"], true);
    let older = messages_page(
        &app,
        &bob,
        &room,
        json!({ "last": 3, "before": newest["pageInfo"]["startCursor"] }),
    )
    .await;
    assert_eq!(contents(&older), [json!("m2"), Value::Null, json!("m4")]);
    assert_eq!(older["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(older["pageInfo"]["hasNextPage"], true);
    let oldest = messages_page(
        &app,
        &bob,
        &room,
        json!({ "last": 3, "before": older["pageInfo"]["startCursor"] }),
    )
    .await;
    assert_eq!(contents(&oldest), [json!("m1")]);
    assert_eq!(oldest["pageInfo"]["hasPreviousPage"], false);

    // Forward from the start, catching up.
    let first = messages_page(&app, &bob, &room, json!({ "first": 4 })).await;
    assert_eq!(
        contents(&first),
        [json!("m1"), json!("m2"), Value::Null, json!("m4")]
    );
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let next = messages_page(
        &app,
        &bob,
        &room,
        json!({ "first": 4, "after": first["pageInfo"]["endCursor"] }),
    )
    .await;
    assert_eq!(contents(&next), [json!("m5"), json!("m6"), json!("m7")]);
    assert_eq!(next["pageInfo"]["hasNextPage"], false);
    assert_eq!(next["pageInfo"]["hasPreviousPage"], true);
    // Nothing new after the end.
    let none = messages_page(
        &app,
        &bob,
        &room,
        json!({ "after": next["pageInfo"]["endCursor"] }),
    )
    .await;
    assert_eq!(none["edges"], json!([]));
    assert_eq!(none["pageInfo"]["startCursor"], Value::Null);
    // The largest page is 100.
    let big = messages_page(&app, &bob, &room, json!({ "first": 100 })).await;
    assert_eq!(big["edges"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn a_page_around_a_message_is_centred_on_it_and_pages_on_both_ways() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let mut ids = Vec::new();
    let mut seqs = Vec::new();
    for i in 1..=9 {
        let m = send(&app, &alice, &room, &format!("m{i}")).await;
        ids.push(m["id"].as_str().unwrap().to_owned());
        seqs.push(m["seq"].as_i64().unwrap());
    }
    let a_reply = reply(&app, &bob, &ids[4], "a reply to m5").await;
    try_mutate(&app, &alice, DELETE, json!({ "id": ids[3] })).await;

    // Five around m5: two before, m5, two after; more exist on both sides.
    let page = messages_page(&app, &bob, &room, json!({ "around": ids[4], "first": 5 })).await;
    assert_eq!(
        contents(&page),
        [
            json!("m3"),
            Value::Null,
            json!("m5"),
            json!("m6"),
            json!("m7")
        ]
    );
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    // Paging on from its cursors joins up with no gap and no overlap.
    let older = messages_page(
        &app,
        &bob,
        &room,
        json!({ "last": 5, "before": page["pageInfo"]["startCursor"] }),
    )
    .await;
    assert_eq!(contents(&older), [json!("m1"), json!("m2")]);
    assert_eq!(older["pageInfo"]["hasPreviousPage"], false);
    let newer = messages_page(
        &app,
        &bob,
        &room,
        json!({ "first": 5, "after": page["pageInfo"]["endCursor"] }),
    )
    .await;
    assert_eq!(contents(&newer), [json!("m8"), json!("m9")]);
    assert_eq!(newer["pageInfo"]["hasNextPage"], false);

    // A thread reply stands for its root; near the edges the page says nothing more is there.
    let page = messages_page(
        &app,
        &bob,
        &room,
        json!({ "around": a_reply["id"], "first": 3 }),
    )
    .await;
    assert_eq!(contents(&page), [Value::Null, json!("m5"), json!("m6")]);
    let page = messages_page(&app, &bob, &room, json!({ "around": ids[0], "last": 4 })).await;
    assert_eq!(contents(&page), [json!("m1"), json!("m2"), json!("m3")]);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let page = messages_page(&app, &bob, &room, json!({ "around": ids[8] })).await;
    assert_eq!(page["edges"].as_array().unwrap().len(), 9);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(page["pageInfo"]["hasNextPage"], false);

    // aroundSeq: the first message at or after the seq (the first unread after a read marker).
    // (m6's seq minus one is the seq of the reply or of m5: no top-level message there, so m6 is found.)
    let page = messages_page(
        &app,
        &bob,
        &room,
        json!({ "aroundSeq": seqs[5], "first": 3 }),
    )
    .await;
    assert_eq!(contents(&page), [json!("m5"), json!("m6"), json!("m7")]);
    // Past the newest: centred on the newest, which ends the page.
    let page = messages_page(
        &app,
        &bob,
        &room,
        json!({ "aroundSeq": 10_000, "first": 3 }),
    )
    .await;
    assert_eq!(contents(&page), [json!("m8"), json!("m9")]);
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
}

#[tokio::test]
async fn around_a_message_of_another_room_or_with_a_cursor_is_refused() {
    let (app, alice, bob, room) = two_in_a_room().await;
    send(&app, &alice, &room, "here").await;
    let elsewhere = group(&app, &alice, "Elsewhere", &[]).await;
    let hidden = send(&app, &alice, &elsewhere, "not in Team").await;
    let query = "query($r: ID!, $around: ID, $aroundSeq: Int, $after: String) { messages(roomId: $r, around: $around, aroundSeq: $aroundSeq, after: $after) { edges { cursor } } }";
    let body = app
        .graphql(
            Some(&bob.access_token),
            query,
            json!({ "r": room, "around": hidden["id"] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    for (vars, field) in [
        (json!({ "around": "nope" }), "around"),
        (json!({ "aroundSeq": -1 }), "aroundSeq"),
        (json!({ "aroundSeq": 1, "after": "c2VxOjE" }), "aroundSeq"),
        (json!({ "around": hidden["id"], "aroundSeq": 1 }), "around"),
    ] {
        let mut vars = vars;
        vars["r"] = json!(room);
        let body = app
            .graphql(Some(&bob.access_token), query, vars.clone())
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}");
        assert_eq!(error_field(&body), Some(field), "{vars}");
    }
    // Not a member: the room's messages stay hidden whatever the argument (as if the room did not exist).
    let mallory = app.sign_up("mallory").await;
    let body = app
        .graphql(
            Some(&mallory.access_token),
            query,
            json!({ "r": room, "aroundSeq": 1 }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn a_bad_cursor_or_page_size_is_bad_user_input() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    send(&app, &alice, &room, "hi").await;
    let query = "query($r: ID!, $first: Int, $after: String, $last: Int, $before: String) { messages(roomId: $r, first: $first, after: $after, last: $last, before: $before) { edges { cursor } } }";
    for (vars, field) in [
        (json!({ "after": "garbage!" }), "after"),
        (json!({ "before": "c2VxOg" }), "before"),
        (json!({ "after": "" }), "after"),
        (json!({ "first": -1 }), "first"),
        (json!({ "first": 101 }), "first"),
        (json!({ "last": 100_000 }), "last"),
        (json!({ "first": 1, "last": 1 }), "last"),
    ] {
        let mut vars = vars;
        vars["r"] = json!(room);
        let body = app
            .graphql(Some(&alice.access_token), query, vars.clone())
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{vars}");
        assert_eq!(error_field(&body), Some(field), "{vars}");
    }
}

#[tokio::test]
async fn a_non_member_cannot_read_the_history_and_learns_nothing_of_the_room() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    let mallory = app.sign_up("mallory").await;
    let m = send(&app, &alice, &room, "private").await;
    let body = app
        .graphql(
            Some(&mallory.access_token),
            "query($r: ID!) { messages(roomId: $r) { edges { cursor } } }",
            json!({ "r": room }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let body = app
        .graphql(
            Some(&mallory.access_token),
            "query($m: ID!) { thread(messageId: $m) { edges { cursor } } }",
            json!({ "m": m["id"] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn replies_form_one_level_threads_and_update_the_parents_counts() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let root = send(&app, &alice, &room, "root").await;
    let root_id = root["id"].as_str().unwrap();
    let r1 = reply(&app, &bob, root_id, "first reply").await;
    assert_eq!(r1["parentId"], json!(root_id));
    // A reply to a reply joins the root's thread.
    let r2 = reply(&app, &alice, r1["id"].as_str().unwrap(), "second reply").await;
    assert_eq!(r2["parentId"], json!(root_id));

    let data = app
        .ok(
            Some(&bob.access_token),
            "query($m: ID!, $r: ID!) { thread(messageId: $m) { edges { node { content parentId } } pageInfo { hasNextPage } } messages(roomId: $r) { edges { node { id replyCount lastReplyAt } } } }",
            json!({ "m": root_id, "r": room }),
        )
        .await;
    let thread: Vec<&Value> = data["thread"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["content"])
        .collect();
    assert_eq!(thread, [&json!("first reply"), &json!("second reply")]);
    let top = data["messages"]["edges"].as_array().unwrap();
    assert_eq!(top.len(), 1, "replies are not top-level messages");
    assert_eq!(top[0]["node"]["replyCount"], 2);
    assert_eq!(top[0]["node"]["lastReplyAt"], r2["createdAt"]);

    // Thread paging, and a reply's id selects its thread.
    let page = app
        .ok(
            Some(&bob.access_token),
            "query($m: ID!) { thread(messageId: $m, first: 1) { edges { node { content } } pageInfo { hasNextPage endCursor } } }",
            json!({ "m": r1["id"] }),
        )
        .await;
    assert_eq!(page["thread"]["edges"][0]["node"]["content"], "first reply");
    assert_eq!(page["thread"]["pageInfo"]["hasNextPage"], true);
    let rest = app
        .ok(
            Some(&bob.access_token),
            "query($m: ID!, $a: String) { thread(messageId: $m, first: 5, after: $a) { edges { node { content } } pageInfo { hasNextPage } } }",
            json!({ "m": root_id, "a": page["thread"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(
        rest["thread"]["edges"][0]["node"]["content"],
        "second reply"
    );
    assert_eq!(rest["thread"]["pageInfo"]["hasNextPage"], false);

    // The reply is a MessageAdded event with its parent.
    let last = room_events::Entity::find()
        .filter(room_events::Column::RoomId.eq(Uuid::parse_str(&room).unwrap()))
        .order_by_desc(room_events::Column::Seq)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.kind.as_str(), "MessageAdded");
    assert_eq!(last.payload["parentId"], json!(root_id));
    assert_eq!(last.payload["messageId"], r2["id"]);
}

#[tokio::test]
async fn only_the_author_edits_and_not_a_deleted_message() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let m = send(&app, &alice, &room, "draft").await;
    let body = try_mutate(&app, &bob, EDIT, json!({ "id": m["id"], "c": "hijacked" })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    let body = try_mutate(&app, &alice, EDIT, json!({ "id": m["id"], "c": "  " })).await;
    assert_eq!(error_field(&body), Some("content"));

    let before = last_seq(&app, &alice, &room).await;
    let body = try_mutate(&app, &alice, EDIT, json!({ "id": m["id"], "c": "final" })).await;
    let edited = &body["data"]["editMessage"];
    assert_eq!(edited["content"], "final");
    assert!(edited["editedAt"].is_string());
    assert_eq!(
        event_kinds(&app, &room).await.last().unwrap(),
        &(before + 1, "MessageEdited".to_owned())
    );

    try_mutate(&app, &alice, DELETE, json!({ "id": m["id"] })).await;
    let body = try_mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": m["id"], "c": "resurrect" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    let body = try_mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": Uuid::now_v7().to_string(), "c": "x" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn the_author_or_a_room_admin_deletes_leaving_a_tombstone_and_deleting_twice_is_a_no_op() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    let bobs = send(&app, &bob, &room, "bob's words").await;

    // A plain member cannot delete someone else's message.
    let body = try_mutate(&app, &carol, DELETE, json!({ "id": bobs["id"] })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));

    // An ADMIN can.
    app.ok(
        Some(&alice.access_token),
        "mutation($r: ID!, $u: ID!) { setRoomRole(roomId: $r, userId: $u, role: ADMIN) { id } }",
        json!({ "r": room, "u": carol.user_id }),
    )
    .await;
    let body = try_mutate(&app, &carol, DELETE, json!({ "id": bobs["id"] })).await;
    let deleted = &body["data"]["deleteMessage"];
    assert_eq!(deleted["content"], Value::Null);
    assert!(deleted["deletedAt"].is_string());
    let seq = last_seq(&app, &alice, &room).await;
    let again = try_mutate(&app, &bob, DELETE, json!({ "id": bobs["id"] })).await;
    assert_eq!(
        again["data"]["deleteMessage"]["deletedAt"],
        deleted["deletedAt"]
    );
    assert_eq!(
        last_seq(&app, &alice, &room).await,
        seq,
        "second delete writes nothing"
    );

    // The author deletes their own; the OWNER deletes anyone's.
    let carols = send(&app, &carol, &room, "carol's").await;
    assert!(
        try_mutate(&app, &carol, DELETE, json!({ "id": carols["id"] })).await["data"]["deleteMessage"]
            ["deletedAt"]
            .is_string()
    );
    let more = send(&app, &bob, &room, "again").await;
    assert!(try_mutate(&app, &alice, DELETE, json!({ "id": more["id"] })).await["data"]["deleteMessage"]["deletedAt"].is_string());

    let kinds = event_kinds(&app, &room).await;
    assert_eq!(kinds.iter().filter(|k| k.1 == "MessageDeleted").count(), 3);
    // A non-member cannot delete at all.
    let mallory = app.sign_up("mallory").await;
    let body = try_mutate(&app, &mallory, DELETE, json!({ "id": more["id"] })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn reactions_group_by_emoji_and_adding_or_removing_twice_changes_nothing() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let m = send(&app, &alice, &room, "react to me").await;
    let id = m["id"].clone();
    try_mutate(&app, &alice, ADD, json!({ "m": id, "e": "👍" })).await;
    try_mutate(&app, &bob, ADD, json!({ "m": id, "e": "👍" })).await;
    let seq = last_seq(&app, &alice, &room).await;
    let body = try_mutate(&app, &bob, ADD, json!({ "m": id, "e": "👍" })).await;
    assert_eq!(last_seq(&app, &alice, &room).await, seq, "idempotent add");
    let body2 = try_mutate(&app, &bob, ADD, json!({ "m": id, "e": "🎉" })).await;
    assert!(body["errors"].is_null());
    let reactions = &body2["data"]["addReaction"]["reactions"];
    assert_eq!(
        reactions,
        &json!([
            { "emoji": "👍", "count": 2, "reactedByMe": true, "users": [{ "nickname": "alice" }, { "nickname": "bob" }] },
            { "emoji": "🎉", "count": 1, "reactedByMe": true, "users": [{ "nickname": "bob" }] },
        ])
    );
    // As Alice sees it.
    let body = try_mutate(&app, &alice, REMOVE, json!({ "m": id, "e": "👍" })).await;
    assert_eq!(
        body["data"]["removeReaction"]["reactions"],
        json!([
            { "emoji": "👍", "count": 1, "reactedByMe": false },
            { "emoji": "🎉", "count": 1, "reactedByMe": false },
        ])
    );
    let seq = last_seq(&app, &alice, &room).await;
    try_mutate(&app, &alice, REMOVE, json!({ "m": id, "e": "👍" })).await;
    assert_eq!(
        last_seq(&app, &alice, &room).await,
        seq,
        "idempotent remove"
    );
    let events = event_kinds(&app, &room).await;
    assert_eq!(
        events.iter().filter(|e| e.1 == "ReactionChanged").count(),
        4
    );
}

#[tokio::test]
async fn a_reaction_must_be_exactly_one_emoji_and_from_a_member() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    let m = send(&app, &alice, &room, "hi").await;
    for bad in ["", "a", "👍👍", ":+1:", "👍 x", "<script>"] {
        let body = try_mutate(&app, &alice, ADD, json!({ "m": m["id"], "e": bad })).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{bad:?}");
        assert_eq!(error_field(&body), Some("emoji"));
    }
    for good in ["👍🏽", "🏳️‍🌈", "❤️"] {
        let body = try_mutate(&app, &alice, ADD, json!({ "m": m["id"], "e": good })).await;
        assert!(body["errors"].is_null(), "{good:?}: {body}");
    }
    let mallory = app.sign_up("mallory").await;
    let body = try_mutate(&app, &mallory, ADD, json!({ "m": m["id"], "e": "👍" })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let body = try_mutate(&app, &mallory, REMOVE, json!({ "m": m["id"], "e": "👍" })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn a_message_carries_at_most_50_different_emojis() {
    let (app, alice, _bob, room) = two_in_a_room().await;
    let m = send(&app, &alice, &room, "so many").await;
    let all: Vec<&str> = emojis::iter().map(|e| e.as_str()).take(51).collect();
    for e in &all[..50] {
        let body = try_mutate(&app, &alice, ADD, json!({ "m": m["id"], "e": e })).await;
        assert!(body["errors"].is_null(), "{e}: {body}");
    }
    let body = try_mutate(&app, &alice, ADD, json!({ "m": m["id"], "e": all[50] })).await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("emoji"));
}

#[tokio::test]
async fn mentions_name_current_members_other_than_the_sender_and_not_email_addresses() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("Bob").await;
    let carol = app.sign_up("carol").await;
    let outsider = app.sign_up("outsider").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    let m = send(
        &app,
        &alice,
        &room,
        "hey @bob and @CAROL, not @outsider, not me @alice, mail carol@example.com, @nobody",
    )
    .await;
    let mut names: Vec<&str> = m["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["nickname"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Bob", "carol"]);
    let only_email = send(&app, &alice, &room, "write to bob@example.com").await;
    assert_eq!(only_email["mentions"], json!([]));

    // Mentions count as unread for the mentioned.
    let seen = chat::room(&app, &bob, &room).await;
    assert_eq!(seen["unreadMentionCount"], 1);
    assert_eq!(
        chat::room(&app, &alice, &room).await["unreadMentionCount"],
        0
    );
    let _ = outsider;

    // Editing re-parses: a newly mentioned member is added (and alerted).
    let edited = try_mutate(
        &app,
        &alice,
        EDIT,
        json!({ "id": only_email["id"], "c": "cc @carol" }),
    )
    .await;
    assert_eq!(
        edited["data"]["editMessage"]["mentions"],
        json!([{ "nickname": "carol" }])
    );
    let notes = app
        .ok(
            Some(&carol.access_token),
            "{ notifications(unreadOnly: true) { edges { node { kind message { id } } } } }",
            json!({}),
        )
        .await;
    let mention_notes: Vec<&Value> = notes["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["kind"] == "MENTION")
        .collect();
    assert_eq!(mention_notes.len(), 2);
    assert_eq!(mention_notes[0]["node"]["message"]["id"], only_email["id"]);
}

#[tokio::test]
async fn read_markers_move_forward_only_and_drive_unread_counts_and_seen_by() {
    let (app, alice, bob, room) = two_in_a_room().await;
    let m1 = send(&app, &alice, &room, "one").await;
    let m2 = send(&app, &alice, &room, "two @bob").await;
    send(&app, &bob, &room, "mine do not count").await;
    let reply_msg = reply(
        &app,
        &alice,
        m1["id"].as_str().unwrap(),
        "replies do not count",
    )
    .await;
    let deleted = send(&app, &alice, &room, "deleted ones do not count").await;
    try_mutate(&app, &alice, DELETE, json!({ "id": deleted["id"] })).await;

    let before = chat::room(&app, &bob, &room).await;
    assert_eq!(before["unreadCount"], 2);
    assert_eq!(before["unreadMentionCount"], 1);

    let body = try_mutate(&app, &bob, MARK_READ, json!({ "r": room, "m": m1["id"] })).await;
    let after = &body["data"]["markRead"];
    assert_eq!(after["unreadCount"], 1);
    assert_eq!(after["unreadMentionCount"], 1);
    let bob_member = after["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["nickname"] == "bob")
        .unwrap();
    assert_eq!(bob_member["lastReadSeq"], m1["seq"]);
    assert!(bob_member["seenAt"].is_string());

    let body = try_mutate(&app, &bob, MARK_READ, json!({ "r": room, "m": m2["id"] })).await;
    assert_eq!(body["data"]["markRead"]["unreadCount"], 0);
    assert_eq!(body["data"]["markRead"]["unreadMentionCount"], 0);
    // Never back.
    let seq = last_seq(&app, &alice, &room).await;
    let body = try_mutate(&app, &bob, MARK_READ, json!({ "r": room, "m": m1["id"] })).await;
    let bob_member = body["data"]["markRead"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["nickname"] == "bob")
        .unwrap()
        .clone();
    assert_eq!(bob_member["lastReadSeq"], m2["seq"]);
    assert_eq!(
        last_seq(&app, &alice, &room).await,
        seq,
        "no receipt for a backward move"
    );
    let receipts = event_kinds(&app, &room)
        .await
        .iter()
        .filter(|e| e.1 == "ReadReceipt")
        .count();
    assert_eq!(receipts, 2);

    // seenBy: members whose marker is at or past the message.
    let page = app
        .ok(
            Some(&alice.access_token),
            "query($r: ID!) { messages(roomId: $r) { edges { node { content seenBy { nickname } } } } }",
            json!({ "r": room }),
        )
        .await;
    let seen: Vec<(Value, Value)> = page["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["node"]["content"].clone(), e["node"]["seenBy"].clone()))
        .collect();
    assert_eq!(seen[0], (json!("one"), json!([{ "nickname": "bob" }])));
    assert_eq!(seen[1], (json!("two @bob"), json!([{ "nickname": "bob" }])));
    assert_eq!(seen[2], (json!("mine do not count"), json!([])));
    let _ = reply_msg;

    // A message of another room is refused; a non-member cannot mark read.
    let other = direct(&app, &alice, &bob).await;
    let elsewhere = send(&app, &alice, &other, "elsewhere").await;
    let body = try_mutate(
        &app,
        &bob,
        MARK_READ,
        json!({ "r": room, "m": elsewhere["id"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("messageId"));
    let mallory = app.sign_up("mallory").await;
    let body = try_mutate(
        &app,
        &mallory,
        MARK_READ,
        json!({ "r": room, "m": m1["id"] }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

/// Statements for one `messages` page with reactions, mentions, senders, attachments, threads and seenBy.
async fn count_page(
    app: &TestApp,
    counter: &std::sync::atomic::AtomicUsize,
    who: &Session,
    room: &str,
    n: usize,
) -> usize {
    let query = format!(
        "query($r: ID!, $n: Int) {{ messages(roomId: $r, last: $n) {{ edges {{ node {{ {MESSAGE_FIELDS} attachments {{ id }} }} }} }} }}"
    );
    let before = counter.load(Ordering::SeqCst);
    let data = app
        .ok(
            Some(&who.access_token),
            &query,
            json!({ "r": room, "n": n }),
        )
        .await;
    let used = counter.load(Ordering::SeqCst) - before;
    assert_eq!(data["messages"]["edges"].as_array().unwrap().len(), n);
    used
}

#[tokio::test]
async fn the_number_of_sql_statements_does_not_grow_with_the_page_or_the_room_list() {
    let (app, counter) = spawn_app_counting_statements().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob, &carol]).await;
    for i in 0..50 {
        let who = [&alice, &bob, &carol][i % 3];
        let m = send(
            &app,
            who,
            &room,
            &format!("message {i} for @alice @bob @carol"),
        )
        .await;
        if i % 5 == 0 {
            reply(&app, &alice, m["id"].as_str().unwrap(), "threaded").await;
        }
        try_mutate(&app, &bob, ADD, json!({ "m": m["id"], "e": "👍" })).await;
        try_mutate(&app, &carol, ADD, json!({ "m": m["id"], "e": "🎉" })).await;
    }
    // Bob has read everything: every message of either page has a non-empty seenBy, so both pages have the
    // same shape and only their size differs.
    let last = app
        .ok(
            Some(&bob.access_token),
            "query($r: ID!) { messages(roomId: $r, last: 1) { edges { node { id } } } }",
            json!({ "r": room }),
        )
        .await;
    try_mutate(
        &app,
        &bob,
        MARK_READ,
        json!({ "r": room, "m": last["messages"]["edges"][0]["node"]["id"] }),
    )
    .await;
    let small = count_page(&app, &counter, &alice, &room, 10).await;
    let large = count_page(&app, &counter, &alice, &room, 50).await;
    // DataLoader batches are time windows (1 ms): on a loaded machine the lookups of one level can straddle
    // two windows, so each of the ~10 loaders may run twice. The slack allows for that; an N+1 would instead
    // add at least a statement per extra row (40 here) for each field that had one.
    assert!(
        large < small + 20,
        "a 50-message page ({large} statements) costs no more than a 10-message page ({small})"
    );
    assert!(large <= 25, "{large} statements for one page");

    // The room list: one room vs many rooms, each with members, last message and unread counts.
    let rooms_query = "{ rooms { id name lastSeq unreadCount unreadMentionCount muted lastMessage { content sender { nickname } reactions { emoji } } members { role user { nickname } } } }";
    let measure = || async {
        let before = counter.load(Ordering::SeqCst);
        app.ok(Some(&bob.access_token), rooms_query, json!({}))
            .await;
        counter.load(Ordering::SeqCst) - before
    };
    let one = measure().await;
    for i in 0..10 {
        let extra = group(&app, &alice, &format!("room {i}"), &[&bob, &carol]).await;
        send(&app, &carol, &extra, "hello @bob").await;
    }
    let eleven = measure().await;
    // Same slack as above; an N+1 on any room field would add at least 10 statements.
    assert!(
        eleven <= one + 6,
        "11 rooms ({eleven} statements) cost no more than 1 room ({one})"
    );
}

#[tokio::test]
async fn sending_faster_than_the_burst_allows_is_rate_limited() {
    let app = chorus_tests::spawn_app_with(|c| {
        c.rate.message_burst = 3;
        c.rate.messages_per_minute = 1;
    })
    .await;
    let alice = app.sign_up("alice").await;
    let room = chorus_tests::chat::group(&app, &alice, "team", &[]).await;
    for i in 0..3 {
        chorus_tests::chat::send(&app, &alice, &room, &format!("m{i}")).await;
    }
    let refused = chorus_tests::chat::try_send(&app, &alice, &room, "one too many").await;
    assert_eq!(
        chorus_tests::error_code(&refused),
        Some("RATE_LIMITED"),
        "{refused}"
    );
}
