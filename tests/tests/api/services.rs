//! Service-level tests: `chorus_core` services called directly on a real database (SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`), no transport in between, for the rules that are hardest to reach over HTTP: lagging
//! subscribers recovering from storage, concurrent refreshes, concurrent idempotent sends, and unique
//! constraints that must become CONFLICT whoever wins the race.

use chorus_core::Viewer;
use chorus_core::auth::service as auth;
use chorus_core::error::Error;
use chorus_core::messages::send::{self, NewMessage, Target};
use chorus_core::realtime::room_stream::{self, RoomItem};
use chorus_tests::chat::group;
use chorus_tests::{Session, spawn_app_with};
use entity::{messages, users};
use futures_util::StreamExt;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use std::time::Duration;
use uuid::Uuid;

fn viewer(who: &Session) -> Viewer {
    Viewer {
        user_id: Uuid::parse_str(&who.user_id).unwrap(),
        expires_at: i64::MAX,
        session_id: Uuid::nil(),
    }
}

fn message(room: Uuid, content: &str, client_id: Option<&str>) -> NewMessage {
    NewMessage {
        target: Target::Room(room),
        content: content.to_owned(),
        client_id: client_id.map(str::to_owned),
        attachment_ids: Vec::new(),
    }
}

/// A subscriber that stops reading while far more events than its buffer holds are committed is told it
/// lagged and reads the gap back from storage: every seq exactly once, in order.
#[tokio::test]
async fn a_lagging_room_stream_recovers_every_event_once_in_order() {
    let app = spawn_app_with(|c| c.rate.message_burst = 10_000).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room: Uuid = group(&app, &alice, "Lag", &[&bob]).await.parse().unwrap();
    let start = room_stream::open(&app.deps, viewer(&bob), room, Some(0))
        .await
        .unwrap();
    let mut stream = Box::pin(start);
    // More than the bus buffers per subscriber (1,024) while nobody reads.
    for i in 0..1_100 {
        send::post(
            &app.deps,
            viewer(&alice),
            message(room, &format!("m{i}"), None),
        )
        .await
        .unwrap();
    }
    let last = entity::rooms::Entity::find_by_id(room)
        .one(&app.deps.db)
        .await
        .unwrap()
        .unwrap()
        .last_seq;
    let mut seqs = Vec::new();
    while seqs.last().copied().unwrap_or(0) < last {
        let item = tokio::time::timeout(Duration::from_secs(30), stream.next())
            .await
            .expect("the stream stalled")
            .expect("the stream ended")
            .unwrap();
        if let RoomItem::Stored(event) = item {
            seqs.push(event.seq);
        }
    }
    assert_eq!(seqs, (1..=last).collect::<Vec<_>>());
}

/// Two refreshes of one token at once: exactly one rotation; the other is answered within the grace window
/// with another token of the same sign-in, and both new tokens work.
#[tokio::test]
async fn concurrent_refreshes_of_one_token_rotate_once_and_both_succeed() {
    let app = spawn_app_with(|_| {}).await;
    let alice = app.sign_up("alice").await;
    let (a, b) = tokio::join!(
        auth::refresh(&app.deps, &alice.refresh_token),
        auth::refresh(&app.deps, &alice.refresh_token),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(a.refresh_token, b.refresh_token);
    for session in [&a, &b] {
        auth::refresh(&app.deps, &session.refresh_token)
            .await
            .unwrap();
    }
}

/// Refreshing with a token that was rotated longer ago than the grace window is reuse: the whole sign-in
/// ends, including the tokens rotated from it.
#[tokio::test]
async fn a_refresh_token_reused_after_the_grace_window_ends_the_sign_in() {
    let app = spawn_app_with(|c| c.refresh_reuse_grace = Duration::ZERO).await;
    let alice = app.sign_up("alice").await;
    let next = auth::refresh(&app.deps, &alice.refresh_token)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let reused = auth::refresh(&app.deps, &alice.refresh_token).await;
    assert!(matches!(reused, Err(Error::Unauthenticated(_))));
    let after = auth::refresh(&app.deps, &next.refresh_token).await;
    assert!(matches!(after, Err(Error::Unauthenticated(_))));
}

/// The same `clientId` sent five times at once (a client retrying over several connections) makes one
/// message, and every call answers with it.
#[tokio::test]
async fn concurrent_sends_with_one_client_id_store_one_message() {
    let app = spawn_app_with(|_| {}).await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let room: Uuid = group(&app, &alice, "Retry", &[&bob]).await.parse().unwrap();
    let sends = (0..5).map(|_| {
        send::post(
            &app.deps,
            viewer(&alice),
            message(room, "once", Some("c-1")),
        )
    });
    let ids: Vec<Uuid> = futures_util::future::join_all(sends)
        .await
        .into_iter()
        .map(|outcome| outcome.unwrap().value.id)
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let stored = messages::Entity::find()
        .filter(messages::Column::RoomId.eq(room))
        .count(&app.deps.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    // The same clientId in another room is another message.
    let other: Uuid = group(&app, &alice, "Other", &[&bob]).await.parse().unwrap();
    let elsewhere = send::post(
        &app.deps,
        viewer(&alice),
        message(other, "once", Some("c-1")),
    )
    .await
    .unwrap();
    assert_ne!(elsewhere.value.id, ids[0]);
}

/// A sign-up that passes the service's checks but loses the race at the database (simulated by a row
/// written behind its back) is CONFLICT on the field whose unique constraint failed, on either backend.
#[tokio::test]
async fn unique_constraints_become_conflicts_on_their_field() {
    let app = spawn_app_with(|_| {}).await;
    let existing = app.sign_up("alice").await;
    let row = users::Entity::find_by_id(Uuid::parse_str(&existing.user_id).unwrap())
        .one(&app.deps.db)
        .await
        .unwrap()
        .unwrap();
    for (email, nickname, field) in [
        (row.email.clone(), "someone".to_owned(), "email"),
        (
            "new@example.com".to_owned(),
            row.nickname.to_uppercase(),
            "nickname",
        ),
    ] {
        let twin = users::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(email),
            nickname: Set(nickname),
            ..users::ActiveModel::from(row.clone())
        };
        let err = chorus_core::error::DbResultExt::on_unique_violations(
            twin.insert(&app.deps.db).await,
            &[
                (chorus_core::error::keys::USERS_EMAIL, "email", "taken"),
                (
                    chorus_core::error::keys::USERS_NICKNAME,
                    "nickname",
                    "taken",
                ),
            ],
        )
        .unwrap_err();
        assert_eq!((err.code(), err.field()), ("CONFLICT", Some(field)));
    }
}
