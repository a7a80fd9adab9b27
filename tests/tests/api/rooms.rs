//! Rooms: direct and group rooms, invitations, leaving, the room list, searchUsers and the room event log.

use chorus_tests::chat::{self, direct, group, send};
use chorus_tests::{error_code, error_field, spawn_app};
use entity::room_events;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

fn kinds(events: &[room_events::Model]) -> Vec<&str> {
    events.iter().map(|e| e.kind.as_str()).collect()
}

fn nicknames(members: &Value) -> Vec<String> {
    let mut names: Vec<String> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"]["nickname"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_direct_room_is_the_same_room_whoever_creates_it_and_however_often() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let first = direct(&app, &alice, &bob).await;
    assert_eq!(direct(&app, &alice, &bob).await, first);
    assert_eq!(direct(&app, &bob, &alice).await, first);

    let room = chat::room(&app, &bob, &first).await;
    assert_eq!(room["isGroup"], false);
    assert_eq!(room["name"], Value::Null);
    assert_eq!(nicknames(&room["members"]), ["alice", "bob"]);
    assert!(
        room["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["role"] == "MEMBER")
    );
    // Creation is logged: one MemberJoined per member, seqs from 1.
    let events = app.stored_events(&first).await;
    assert_eq!(kinds(&events), ["MemberJoined", "MemberJoined"]);
    assert_eq!(room["lastSeq"], 2);
}

#[tokio::test]
async fn concurrent_direct_room_creation_yields_one_room() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let (a, b, c) = tokio::join!(
        direct(&app, &alice, &bob),
        direct(&app, &bob, &alice),
        direct(&app, &alice, &bob)
    );
    assert_eq!(a, b);
    assert_eq!(a, c);
    let rooms = app
        .ok(Some(&alice.access_token), "{ rooms { id } }", json!({}))
        .await;
    assert_eq!(rooms["rooms"].as_array().unwrap().len(), 1);
    assert_eq!(app.stored_events(&a).await.len(), 2);
}

#[tokio::test]
async fn a_direct_room_with_oneself_is_a_notes_room_and_an_unknown_user_is_not_found() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let notes = direct(&app, &alice, &alice).await;
    let room = chat::room(&app, &alice, &notes).await;
    assert_eq!(nicknames(&room["members"]), ["alice"]);
    send(&app, &alice, &notes, "remember the milk").await;

    let body = app
        .graphql(
            Some(&alice.access_token),
            "mutation($u: ID!) { createDirectRoom(userId: $u) { id } }",
            json!({ "u": Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let body = app
        .graphql(
            Some(&alice.access_token),
            "mutation($u: ID!) { createDirectRoom(userId: $u) { id } }",
            json!({ "u": "not-a-uuid" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("userId"));
}

#[tokio::test]
async fn rooms_need_authentication() {
    let app = spawn_app().await;
    let body = app.graphql(None, "{ rooms { id } }", json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn the_creator_of_a_group_is_its_owner_and_the_others_members() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    // Duplicates and the creator's own id are ignored.
    let data = app
        .ok(
            Some(&alice.access_token),
            "mutation($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id name isGroup members { role user { nickname } } } }",
            json!({ "input": { "name": "  Team  ", "memberIds": [bob.user_id, carol.user_id, bob.user_id, alice.user_id] } }),
        )
        .await;
    let room = &data["createGroupRoom"];
    assert_eq!(room["name"], "Team");
    assert_eq!(room["isGroup"], true);
    let mut roles: Vec<(String, String)> = room["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["nickname"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            ("alice".to_owned(), "OWNER".to_owned()),
            ("bob".to_owned(), "MEMBER".to_owned()),
            ("carol".to_owned(), "MEMBER".to_owned()),
        ]
    );
    let events = app.stored_events(room["id"].as_str().unwrap()).await;
    assert_eq!(kinds(&events), ["MemberJoined"; 3]);
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
}

#[tokio::test]
async fn a_group_needs_a_name_of_1_to_80_characters_and_known_members() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let create =
        "mutation($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id } }";
    for name in ["", "   ", &"x".repeat(81)] {
        let body = app
            .graphql(
                Some(&alice.access_token),
                create,
                json!({ "input": { "name": name, "memberIds": [] } }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{name:?}");
        assert_eq!(error_field(&body), Some("name"));
    }
    app.ok(
        Some(&alice.access_token),
        create,
        json!({ "input": { "name": "é".repeat(80), "memberIds": [] } }),
    )
    .await;
    let body = app
        .graphql(
            Some(&alice.access_token),
            create,
            json!({ "input": { "name": "Team", "memberIds": [Uuid::now_v7().to_string()] } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("memberIds"));
}

#[tokio::test]
async fn any_member_of_a_group_may_invite_and_inviting_a_member_again_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    let invite = "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id lastSeq members { user { nickname } } } }";

    let data = app
        .ok(
            Some(&bob.access_token),
            invite,
            json!({ "r": room, "u": [carol.user_id] }),
        )
        .await;
    assert_eq!(
        nicknames(&data["inviteToRoom"]["members"]),
        ["alice", "bob", "carol"]
    );
    let seq = data["inviteToRoom"]["lastSeq"].clone();
    let again = app
        .ok(
            Some(&alice.access_token),
            invite,
            json!({ "r": room, "u": [carol.user_id, bob.user_id] }),
        )
        .await;
    assert_eq!(
        again["inviteToRoom"]["lastSeq"], seq,
        "no event for a no-op"
    );
    let events = app.stored_events(&room).await;
    assert_eq!(kinds(&events), ["MemberJoined"; 3]);
    assert_eq!(events[2].payload["by"], json!(bob.user_id));

    // Carol sees the room and got an INVITE notification.
    let rooms = app
        .ok(
            Some(&carol.access_token),
            "{ rooms { id } notifications { edges { node { kind room { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(rooms["rooms"][0]["id"], json!(room));
    assert_eq!(rooms["notifications"]["edges"][0]["node"]["kind"], "INVITE");
    assert_eq!(
        rooms["notifications"]["edges"][0]["node"]["room"]["id"],
        json!(room)
    );
}

#[tokio::test]
async fn inviting_into_a_direct_room_or_as_a_non_member_is_refused() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let mallory = app.sign_up("mallory").await;
    let dm = direct(&app, &alice, &bob).await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    let invite = "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }";

    let body = app
        .graphql(
            Some(&alice.access_token),
            invite,
            json!({ "r": dm, "u": [mallory.user_id] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("roomId"));

    let body = app
        .graphql(
            Some(&mallory.access_token),
            invite,
            json!({ "r": room, "u": [mallory.user_id] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let body = app
        .graphql(
            Some(&alice.access_token),
            invite,
            json!({ "r": room, "u": [Uuid::now_v7().to_string()] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert_eq!(error_field(&body), Some("userIds"));
}

#[tokio::test]
async fn a_non_member_cannot_see_a_room_whether_or_not_it_exists() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let mallory = app.sign_up("mallory").await;
    let room = group(&app, &alice, "Secret", &[]).await;
    let query = "query($id: ID!) { room(id: $id) { id name } }";
    let body = app
        .graphql(Some(&mallory.access_token), query, json!({ "id": room }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    assert_eq!(body["data"]["room"], Value::Null);
    let missing = app
        .graphql(
            Some(&mallory.access_token),
            query,
            json!({ "id": Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));
    assert_eq!(
        body["errors"][0]["message"], missing["errors"][0]["message"],
        "same answer for a foreign room and a missing one"
    );
    let rooms = app
        .ok(Some(&mallory.access_token), "{ rooms { id } }", json!({}))
        .await;
    assert_eq!(rooms["rooms"], json!([]));
}

#[tokio::test]
async fn rooms_are_listed_by_most_recent_activity() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let one = group(&app, &alice, "one", &[&bob]).await;
    let two = group(&app, &alice, "two", &[&bob]).await;
    let three = direct(&app, &alice, &bob).await;
    let order = |data: Value| -> Vec<String> {
        data["rooms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = "{ rooms { id lastMessage { content } } }";
    assert_eq!(
        order(app.ok(Some(&bob.access_token), list, json!({})).await),
        [three.clone(), two.clone(), one.clone()]
    );
    send(&app, &alice, &one, "bump").await;
    let data = app.ok(Some(&bob.access_token), list, json!({})).await;
    assert_eq!(data["rooms"][0]["lastMessage"]["content"], "bump");
    assert_eq!(order(data), [one, three, two]);
}

#[tokio::test]
async fn a_leaving_owner_hands_ownership_to_the_longest_standing_admin() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let dave = app.sign_up("dave").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    for who in [&carol, &dave] {
        app.ok(
            Some(&alice.access_token),
            "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
            json!({ "r": room, "u": [who.user_id] }),
        )
        .await;
    }
    let set_role = "mutation($r: ID!, $u: ID!, $role: RoomRole!) { setRoomRole(roomId: $r, userId: $u, role: $role) { id } }";
    // Only the owner hands out roles.
    let body = app
        .graphql(
            Some(&bob.access_token),
            set_role,
            json!({ "r": room, "u": carol.user_id, "role": "ADMIN" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    for who in [&dave, &carol] {
        app.ok(
            Some(&alice.access_token),
            set_role,
            json!({ "r": room, "u": who.user_id, "role": "ADMIN" }),
        )
        .await;
    }

    let leave = "mutation($r: ID!) { leaveRoom(roomId: $r) }";
    let data = app
        .ok(Some(&alice.access_token), leave, json!({ "r": room }))
        .await;
    assert_eq!(data["leaveRoom"], true);
    let roles = |room: &Value| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = room["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["user"]["nickname"].as_str().unwrap().to_owned(),
                    m["role"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        v.sort();
        v
    };
    // Bob joined first but is a plain MEMBER; Carol is the longest-standing ADMIN.
    assert_eq!(
        roles(&chat::room(&app, &bob, &room).await),
        [
            ("bob".to_owned(), "MEMBER".to_owned()),
            ("carol".to_owned(), "OWNER".to_owned()),
            ("dave".to_owned(), "ADMIN".to_owned()),
        ]
    );

    // Alice no longer has access.
    let body = app
        .graphql(
            Some(&alice.access_token),
            "query($id: ID!) { room(id: $id) { id } }",
            json!({ "id": room }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let events = app.stored_events(&room).await;
    let tail: Vec<&str> = kinds(&events).into_iter().rev().take(2).collect();
    assert_eq!(tail, ["MemberRoleChanged", "MemberLeft"]);
    // Leaving twice: not a member any more.
    let body = app
        .graphql(Some(&alice.access_token), leave, json!({ "r": room }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn without_admins_ownership_goes_to_the_longest_standing_member_and_the_last_leaver_leaves_an_intact_room()
 {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let carol = app.sign_up("carol").await;
    let room = group(&app, &alice, "Team", &[&bob]).await;
    app.ok(
        Some(&bob.access_token),
        "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }",
        json!({ "r": room, "u": [carol.user_id] }),
    )
    .await;
    let leave = "mutation($r: ID!) { leaveRoom(roomId: $r) }";
    app.ok(Some(&alice.access_token), leave, json!({ "r": room }))
        .await;
    let seen = chat::room(&app, &bob, &room).await;
    let bob_role = seen["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["nickname"] == "bob")
        .unwrap()["role"]
        .clone();
    assert_eq!(bob_role, "OWNER");

    app.ok(Some(&bob.access_token), leave, json!({ "r": room }))
        .await;
    app.ok(Some(&carol.access_token), leave, json!({ "r": room }))
        .await;
    let events = app.stored_events(&room).await;
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=events.len() as i64).collect::<Vec<_>>(),
        "event seqs stay dense"
    );
    assert_eq!(kinds(&events).last(), Some(&"MemberLeft"));
    // Re-inviting is impossible without members, but the room and its log are intact.
    assert!(
        entity::rooms::Entity::find_by_id(Uuid::parse_str(&room).unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_left_direct_room_comes_back_with_the_next_message() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let dm = direct(&app, &alice, &bob).await;
    send(&app, &alice, &dm, "hi").await;
    chat::leave(&app, &bob, &dm).await;
    let list = "{ rooms { id } }";
    assert_eq!(
        app.ok(Some(&bob.access_token), list, json!({})).await["rooms"],
        json!([])
    );
    // Alice still has it, and her next message brings it back for Bob.
    send(&app, &alice, &dm, "still there?").await;
    assert_eq!(
        app.ok(Some(&bob.access_token), list, json!({})).await["rooms"],
        json!([{ "id": dm }])
    );
    let events = app.stored_events(&dm).await;
    assert_eq!(
        kinds(&events),
        [
            "MemberJoined",
            "MemberJoined",
            "MessageAdded",
            "MemberLeft",
            "MemberJoined",
            "MessageAdded"
        ]
    );
}

#[tokio::test]
async fn leaving_a_direct_room_and_reopening_it_yourself_works() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let dm = direct(&app, &alice, &bob).await;
    chat::leave(&app, &bob, &dm).await;
    let body = chat::try_send(&app, &bob, &dm, "hello?").await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    assert_eq!(direct(&app, &bob, &alice).await, dm);
    send(&app, &bob, &dm, "back").await;
}

#[tokio::test]
async fn search_users_matches_nickname_prefixes_case_insensitively_and_never_exposes_emails() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    app.sign_up("Alfred").await;
    app.sign_up("bob").await;
    app.sign_up("al_x").await;
    app.sign_up("alpx").await;
    let search = "query($q: String!, $n: Int) { searchUsers(query: $q, first: $n) { id nickname avatarUrl } }";
    let names = |data: &Value| -> Vec<String> {
        data["searchUsers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["nickname"].as_str().unwrap().to_owned())
            .collect()
    };
    let data = app
        .ok(Some(&alice.access_token), search, json!({ "q": "AL" }))
        .await;
    assert_eq!(names(&data), ["al_x", "Alfred", "alice", "alpx"]);
    assert!(!data.to_string().contains("@example.com"));
    // `_` is literal, not a LIKE wildcard; `first` caps the list.
    let data = app
        .ok(Some(&alice.access_token), search, json!({ "q": "al_" }))
        .await;
    assert_eq!(names(&data), ["al_x"]);
    let data = app
        .ok(
            Some(&alice.access_token),
            search,
            json!({ "q": "al", "n": 2 }),
        )
        .await;
    assert_eq!(names(&data).len(), 2);
    let data = app
        .ok(Some(&alice.access_token), search, json!({ "q": "  " }))
        .await;
    assert_eq!(names(&data), Vec::<String>::new());
    // E-mail is not a field of User at all.
    let body = app
        .graphql(
            Some(&alice.access_token),
            "{ searchUsers(query: \"al\") { email } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_array());
    let body = app
        .graphql(None, "{ searchUsers(query: \"al\") { id } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn group_size_is_capped_by_configuration() {
    let app = chorus_tests::spawn_app_with(|c| c.max_group_members = 3).await;
    let owner = app.sign_up("owner").await;
    let a = app.sign_up("anna").await;
    let b = app.sign_up("bert").await;
    let c = app.sign_up("cleo").await;
    let create =
        "mutation($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id } }";
    let too_big = app
        .graphql(
            Some(&owner.access_token),
            create,
            serde_json::json!({ "input": { "name": "big", "memberIds": [a.user_id, b.user_id, c.user_id] } }),
        )
        .await;
    assert_eq!(
        chorus_tests::error_code(&too_big),
        Some("BAD_USER_INPUT"),
        "{too_big}"
    );

    let room = chorus_tests::chat::group(&app, &owner, "fits", &[&a, &b]).await;
    let invite = "mutation($r: ID!, $u: [ID!]!) { inviteToRoom(roomId: $r, userIds: $u) { id } }";
    let over = app
        .graphql(
            Some(&owner.access_token),
            invite,
            serde_json::json!({ "r": room, "u": [c.user_id] }),
        )
        .await;
    assert_eq!(
        chorus_tests::error_code(&over),
        Some("BAD_USER_INPUT"),
        "{over}"
    );
}
