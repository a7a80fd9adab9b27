//! Service-level tests: `chorus_core` services called directly on a real database (SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`), no transport in between, for the rules that are hardest to reach over HTTP: lagging
//! subscribers recovering from storage, what a notification stream replays and when it starts, concurrent
//! refreshes, concurrent idempotent sends, and unique constraints that must become CONFLICT whoever wins the
//! race.

use std::sync::Arc;

use chorus_core::Deps;
use chorus_core::auth::service as auth;
use chorus_core::error::Error;
use chorus_core::messages::send::{self, NewMessage, Target};
use chorus_core::realtime::bus::{Bus, Hub, Subscription};
use chorus_core::realtime::room_stream::{self, RoomItem};
use chorus_core::realtime::{inbox, viewer_stream};
use chorus_tests::chat::{self, group, mutate};
use chorus_tests::{Session, TestApp, WAIT, spawn_app, spawn_app_with};
use entity::{messages, notifications, users};
use futures_util::future::BoxFuture;
use futures_util::{Stream, StreamExt};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

fn message(room: Uuid, content: &str, client_id: Option<&str>) -> NewMessage {
    NewMessage {
        target: Target::Room(room),
        content: content.to_owned(),
        client_id: client_id.map(str::to_owned),
        attachment_ids: Vec::new(),
        display: Default::default(),
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
    let start = room_stream::open(&app.deps, bob.viewer(), room, Some(0))
        .await
        .unwrap();
    let mut stream = Box::pin(start);
    // More than the bus buffers per subscriber (1,024) while nobody reads.
    for i in 0..1_100 {
        send::post(
            &app.deps,
            alice.viewer(),
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
            alice.viewer(),
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
        alice.viewer(),
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

/// A bus that has shut down: publishing does nothing and every subscription has already ended, so the live
/// part of a stream ends as soon as it starts and what the stream yields is its replay alone.
struct ShutBus;

impl Bus for ShutBus {
    fn publish<'a>(
        &'a self,
        _: &'a str,
        _: String,
    ) -> BoxFuture<'a, chorus_core::error::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn subscribe<'a>(
        &'a self,
        channel: &'a str,
    ) -> BoxFuture<'a, chorus_core::error::Result<Subscription>> {
        // The hub, and with it the channel's sender, is gone when this returns.
        Box::pin(async move { Ok(Hub::default().subscribe(channel, true).0) })
    }
}

/// The content of the message of each row (an invitation has none).
async fn contents(
    app: &TestApp,
    rows: impl Stream<Item = chorus_core::error::Result<notifications::Model>>,
) -> Vec<Option<String>> {
    let rows: Vec<_> = tokio::time::timeout(WAIT, rows.collect::<Vec<_>>())
        .await
        .expect("the replay never ended");
    let mut out = Vec::new();
    for row in rows {
        let row = row.expect("a row");
        out.push(match row.message_id {
            Some(id) => messages::Entity::find_by_id(id)
                .one(&app.deps.db)
                .await
                .unwrap()
                .and_then(|m| m.content),
            None => None,
        });
    }
    out
}

/// The id of `who`'s only stored notification.
async fn only_notification(app: &TestApp, who: &Session) -> Uuid {
    let rows = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(who.viewer().user_id))
        .all(&app.deps.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows[0].id
}

/// A replay passes each stored notification through the recipient's settings as they are now, like a live
/// push: `notifications` drops invitations of muted rooms and everything of rooms left, and everything while
/// notifications are off; `mentions` drops mentions of rooms left only.
#[tokio::test]
async fn a_replay_passes_the_settings_of_now() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    let after = only_notification(&app, &bob).await;
    let settings = "mutation($i: NotificationSettingsInput!) { setNotificationSettings(input: $i) { notificationsEnabled } }";
    let muted = group(&app, &alice, "muted", &[&bob]).await;
    mutate(
        &app,
        &bob,
        settings,
        json!({ "i": { "roomId": muted, "muted": true } }),
    )
    .await;
    chat::send(&app, &alice, &muted, "muted plain").await;
    chat::send(&app, &alice, &muted, "muted @bob").await;
    let gone = group(&app, &alice, "gone", &[&bob]).await;
    chat::send(&app, &alice, &gone, "gone @bob").await;
    chat::leave(&app, &bob, &gone).await;
    chat::send(&app, &alice, &team, "team @bob").await;

    let shut = Deps {
        bus: Arc::new(ShutBus),
        ..app.deps.clone()
    };
    let mentioned = vec![Some("muted @bob".to_owned()), Some("team @bob".to_owned())];
    assert_eq!(
        replayed(&app, &shut, &bob, after).await,
        (mentioned.clone(), mentioned.clone())
    );

    mutate(&app, &bob, settings, json!({ "i": { "enabled": false } })).await;
    assert_eq!(
        replayed(&app, &shut, &bob, after).await,
        (vec![], mentioned)
    );
}

/// What `notifications` and `mentions` replay after `after` on `deps` (a [`ShutBus`]: nothing live).
async fn replayed(
    app: &TestApp,
    deps: &Deps,
    who: &Session,
    after: Uuid,
) -> (Vec<Option<String>>, Vec<Option<String>>) {
    let n = viewer_stream::notifications(deps, who.viewer(), Some(after))
        .await
        .unwrap();
    let m = inbox::mentions(deps.clone(), who.viewer(), Some(after))
        .await
        .unwrap();
    (contents(app, n).await, contents(app, m).await)
}

/// Without `after`, the notification streams start with what is stored after they opened: nothing older.
#[tokio::test]
async fn without_after_the_notification_streams_are_live_only() {
    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team = group(&app, &alice, "team", &[&bob]).await;
    chat::send(&app, &alice, &team, "old @bob").await;

    let n = viewer_stream::notifications(&app.deps, bob.viewer(), None)
        .await
        .unwrap();
    let m = inbox::mentions(app.deps.clone(), bob.viewer(), None)
        .await
        .unwrap();
    let new = chat::send(&app, &alice, &team, "new @bob").await;
    let new: Uuid = new["id"].as_str().unwrap().parse().unwrap();
    for stream in [n.boxed(), m.boxed()] {
        let first = tokio::time::timeout(WAIT, stream.into_future())
            .await
            .expect("the stream stalled")
            .0
            .expect("the stream ended")
            .expect("a row");
        assert_eq!(first.message_id, Some(new), "nothing older: {first:?}");
    }
}

/// Two mentions written by concurrent sends can commit and be announced in the opposite order of their ids:
/// the live stream delivers both, once each.
#[tokio::test]
async fn notifications_announced_out_of_id_order_are_all_delivered_once() {
    use chorus_core::realtime::bus::channels;
    use chorus_core::realtime::publish::{self, UserSignal};

    let app = spawn_app().await;
    let alice = app.sign_up("alice").await;
    let bob = app.sign_up("bob").await;
    let team: Uuid = group(&app, &alice, "team", &[&bob]).await.parse().unwrap();
    let bob_id: Uuid = bob.user_id.parse().unwrap();
    let stream = inbox::mentions(app.deps.clone(), bob.viewer(), None)
        .await
        .unwrap();

    // Rows as two sends would store them: ids made in order, stored before either is announced.
    let mut rows = Vec::new();
    for content in ["first @bob", "second @bob"] {
        let sent = chat::send(&app, &alice, &team.to_string(), content).await;
        let row = notifications::Model {
            id: Uuid::now_v7(),
            user_id: bob_id,
            kind: "MENTION".to_owned(),
            room_id: team,
            message_id: Some(sent["id"].as_str().unwrap().parse().unwrap()),
            created_at: chrono::Utc::now(),
            read_at: None,
        };
        notifications::ActiveModel::from(row.clone())
            .insert(&app.deps.db)
            .await
            .unwrap();
        rows.push(row);
    }
    let channel = channels::user(bob_id);
    for row in rows.iter().rev() {
        publish::send(&app.deps, &channel, &UserSignal::Notification(row.clone())).await;
    }
    // And once more in order: a repeat is never delivered twice.
    for row in &rows {
        publish::send(&app.deps, &channel, &UserSignal::Notification(row.clone())).await;
    }

    let mut stream = Box::pin(stream);
    let mut ids = Vec::new();
    while ids.len() < 4 {
        let row = tokio::time::timeout(WAIT, stream.next())
            .await
            .expect("the stream stalled")
            .expect("the stream ended")
            .expect("a row");
        ids.push(row.id);
    }
    // The two sends' own mentions and the two rows announced out of order (the sends publish on their own
    // path, so how the four interleave is not fixed), each once.
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 4, "{ids:?}");
    assert!(rows.iter().all(|row| unique.contains(&row.id)), "{ids:?}");
    let silent = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(silent.is_err(), "nothing more: {silent:?}");
}
