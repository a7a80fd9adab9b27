//! Test harness: the real application on 127.0.0.1:0 with a fresh database per test (PostgreSQL when
//! `TEST_DATABASE_URL` is set, else a temporary SQLite file), and small real HTTP/WebSocket clients.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::time::Duration;

use api::config::SecretString;
use api::{Application, Config};
use futures_util::{SinkExt, StreamExt};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use uuid::Uuid;

pub use serde_json;

pub mod faults;
pub mod files;
pub mod live;
pub mod node;
pub mod sse;

/// How long any wait on the server may take before the test fails instead of hanging.
pub const WAIT: Duration = Duration::from_secs(10);

pub const TEST_JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret-0123456789";

pub struct TestApp {
    /// Stops the server gracefully (also when the test app is dropped).
    stop: std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    pub addr: std::net::SocketAddr,
    pub http: reqwest::Client,
    /// The app's own database connection, for checking what was stored.
    pub db: sea_orm::DatabaseConnection,
    /// The app's service handles (its bus, its schema's dependencies), for tests that drive a rule directly.
    pub deps: schema::Deps,
    database: TestDatabase,
    /// The secure listener (HTTPS + HTTP/3) when the test configured `tls_bind`.
    pub secure_addr: Option<std::net::SocketAddr>,
    /// The app's data dir (generated TLS certificate, local uploads).
    pub data_dir: std::path::PathBuf,
    /// What a sibling process of the same deployment needs: the database and the Redis prefix.
    pub database_url: String,
    pub redis: Option<(String, String)>,
    _data_dir: tempfile::TempDir,
}

enum TestDatabase {
    Sqlite,
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Another app's database (a sibling process): dropped by its owner.
    Shared,
}

/// Redis for the tests when `TEST_REDIS_URL` is set: its URL and a prefix of channels and keys unique to the
/// test, so parallel tests never hear each other.
fn test_redis() -> Option<(String, String)> {
    let url = std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    Some((url, format!("test:{}:", Uuid::new_v4().simple())))
}

/// The configuration every test app starts from.
fn base_config(
    data_dir: &std::path::Path,
    database_url: &str,
    redis: &Option<(String, String)>,
) -> Config {
    let mut config = Config {
        bind: "127.0.0.1:0".parse().expect("addr"),
        data_dir: data_dir.to_path_buf(),
        database_url: Some(database_url.into()),
        jwt_secret: Some(SecretString::from(
            std::str::from_utf8(TEST_JWT_SECRET).expect("UTF-8"),
        )),
        ..Config::default()
    };
    if let Some((url, prefix)) = redis {
        config.redis_url = Some(url.as_str().into());
        config.redis_prefix = prefix.clone();
    }
    // Every test client is 127.0.0.1: per-address limits meant for the internet would trip the other tests.
    config.rate.signups_per_ip_per_hour = 10_000;
    config.rate.login_ip_per_minute = 10_000;
    config.edge.max_connections_per_ip = 10_000;
    // Cheap hashing: the tests check behaviour, not cost.
    config.argon2.memory_kib = 256;
    config.argon2.iterations = 1;
    config.argon2.parallelism = 1;
    config
}

/// A signed-up user as the tests see it.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: String,
    pub nickname: String,
    pub email: String,
    pub password: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl Session {
    /// The signed-in user as `chorus_core` services take it (for service-level tests, no transport).
    pub fn viewer(&self) -> chorus_core::Viewer {
        chorus_core::Viewer {
            user_id: Uuid::parse_str(&self.user_id).expect("user id"),
            expires_at: i64::MAX,
            // Services run no session check: any id will do.
            session_id: Uuid::nil(),
            access: chorus_core::Access::Session,
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the app after letting the test adjust its configuration (short token lifetimes, …).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn(configure, |_| {}).await
}

/// Spawns the app like [`spawn_app`] and also returns a counter of the SQL statements it executes (SeaORM's
/// metric callback), for tests that check the number of queries does not grow with the data (no N+1). Set
/// `CHORUS_PRINT_SQL=1` to print each statement.
pub async fn spawn_app_counting_statements() -> (TestApp, Arc<AtomicUsize>) {
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    let app = spawn(
        |_| {},
        move |db| {
            db.set_metric_callback(move |info| {
                if std::env::var_os("CHORUS_PRINT_SQL").is_some() {
                    eprintln!("SQL: {}", info.statement.sql);
                }
                counter.fetch_add(1, AtomicOrdering::SeqCst);
            })
        },
    )
    .await;
    (app, statements)
}

async fn spawn(
    configure: impl FnOnce(&mut Config),
    instrument: impl FnOnce(&mut DatabaseConnection),
) -> TestApp {
    api::install_crypto_provider();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (database_url, database) = match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin_url) => {
            let name = format!("test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            admin.close().await.ok();
            (
                with_database(&admin_url, &name),
                TestDatabase::Postgres { admin_url, name },
            )
        }
        None => {
            let path = data_dir.path().join("test.db");
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                TestDatabase::Sqlite,
            )
        }
    };

    let redis = test_redis();
    let mut config = base_config(data_dir.path(), &database_url, &redis);
    configure(&mut config);

    let mut db = api::db::connect(&database_url, Duration::from_secs(5))
        .await
        .expect("connect");
    api::db::migrate(&db).await.expect("migrate");
    instrument(&mut db);
    let app = Application::build_with_db(config, db.clone())
        .await
        .expect("build app");
    serve(app, db, database, database_url, redis, data_dir)
}

/// Runs a built app in the background until the returned [`TestApp`] stops it or is dropped.
fn serve(
    app: Application,
    db: DatabaseConnection,
    database: TestDatabase,
    database_url: String,
    redis: Option<(String, String)>,
    data_dir: tempfile::TempDir,
) -> TestApp {
    let addr = app.addr();
    let secure_addr = app.secure_addr();
    let deps = app.state().deps.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        stop: std::sync::Mutex::new(Some(stop)),
        addr,
        secure_addr,
        data_dir: data_dir.path().to_path_buf(),
        http: reqwest::Client::new(),
        db,
        deps,
        database,
        database_url,
        redis,
        _data_dir: data_dir,
    }
}

/// A second api process of the same deployment, whose runtime can be killed abruptly: no graceful shutdown,
/// no cleanup (its connections are simply gone, like a crashed process).
pub struct DetachedApp {
    pub addr: std::net::SocketAddr,
    kill: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl DetachedApp {
    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.addr)
    }

    /// Drops the process's runtime with everything in it.
    pub fn kill(&mut self) {
        if let Some(kill) = self.kill.take() {
            let _ = kill.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for DetachedApp {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = &self.database {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async context: use a private runtime on a plain thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

impl TestApp {
    /// Asks the server to shut down gracefully (SIGTERM-like).
    pub fn stop(&self) {
        if let Some(stop) = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = stop.send(());
        }
    }

    /// Another api process on the same database and Redis (the tests of fan-out across processes).
    pub async fn spawn_sibling(&self, configure: impl FnOnce(&mut Config)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = base_config(data_dir.path(), &self.database_url, &self.redis);
        configure(&mut config);
        let app = Application::build(config).await.expect("build sibling");
        let db = app.state().deps.db.clone();
        serve(
            app,
            db,
            TestDatabase::Shared,
            self.database_url.clone(),
            self.redis.clone(),
            data_dir,
        )
    }

    /// Like [`Self::spawn_sibling`], on a runtime of its own that [`DetachedApp::kill`] drops.
    pub fn spawn_detached_sibling(
        &self,
        configure: impl FnOnce(&mut Config) + Send + 'static,
    ) -> DetachedApp {
        let database_url = self.database_url.clone();
        let redis = self.redis.clone();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (kill_tx, kill_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            let data_dir = tempfile::tempdir().expect("temp dir");
            runtime.block_on(async {
                let mut config = base_config(data_dir.path(), &database_url, &redis);
                configure(&mut config);
                let app = Application::build(config)
                    .await
                    .expect("build detached sibling");
                addr_tx.send(app.addr()).expect("report addr");
                tokio::spawn(app.run_until(std::future::pending()));
            });
            let _ = kill_rx.recv();
            runtime.shutdown_background();
        });
        let addr = addr_rx
            .recv_timeout(WAIT)
            .expect("detached sibling started");
        DetachedApp {
            addr,
            kill: Some(kill_tx),
            thread: Some(thread),
        }
    }

    /// The room's event log as stored, in seq order.
    pub async fn stored_events(&self, room: &str) -> Vec<entity::room_events::Model> {
        use entity::room_events;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        room_events::Entity::find()
            .filter(room_events::Column::RoomId.eq(Uuid::parse_str(room).expect("room id")))
            .order_by_asc(room_events::Column::Seq)
            .all(&self.db)
            .await
            .expect("events")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.addr)
    }

    /// POSTs a GraphQL operation and returns the whole response body (`data` and `errors`).
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .http
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = tokio::time::timeout(WAIT, request.send())
            .await
            .expect("timeout")
            .expect("request");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        response.json().await.expect("json body")
    }

    /// Like [`Self::graphql`] but expects success and returns `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.graphql(token, query, variables).await;
        assert!(
            body.get("errors").is_none_or(Value::is_null),
            "unexpected errors: {body}"
        );
        body["data"].clone()
    }

    pub async fn sign_up(&self, nickname: &str) -> Session {
        let email = format!("{}@example.com", nickname.to_lowercase());
        let password = format!("pw-{nickname}-secret");
        let data = self
            .ok(
                None,
                "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id nickname } } }",
                json!({ "input": { "email": email, "password": password, "nickname": nickname } }),
            )
            .await;
        let payload = &data["signUp"];
        Session {
            user_id: payload["user"]["id"].as_str().expect("id").to_owned(),
            nickname: nickname.to_owned(),
            email,
            password,
            access_token: payload["accessToken"].as_str().expect("token").to_owned(),
            refresh_token: payload["refreshToken"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }

    /// Opens a WebSocket on `/graphql/ws` with the given subprotocol.
    pub async fn ws_connect(&self, subprotocol: &str) -> WsClient {
        ws_connect_with(&self.ws_url(), &[("Sec-WebSocket-Protocol", subprotocol)])
            .await
            .unwrap_or_else(|status| panic!("ws upgrade refused with {status}"))
    }
}

/// Opens a WebSocket on `ws_url` with extra handshake headers; `Err` carries the HTTP status of a refused
/// upgrade.
pub async fn ws_connect_with(ws_url: &str, headers: &[(&str, &str)]) -> Result<WsClient, u16> {
    let mut request = ws_url.into_client_request().expect("ws request");
    for (name, value) in headers {
        request.headers_mut().insert(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(value).expect("header value"),
        );
    }
    let connecting = tokio_tungstenite::connect_async(request);
    match tokio::time::timeout(WAIT, connecting)
        .await
        .expect("handshake in time")
    {
        Ok((stream, response)) => Ok(WsClient {
            stream,
            accepted_protocol: response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        }),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(other) => panic!("handshake failed: {other}"),
    }
}

/// The `extensions.code` of the first error of a GraphQL response.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The `extensions.field` of the first error of a GraphQL response.
pub fn error_field(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["field"].as_str()
}

/// A raw WebSocket client: the tests drive the protocol frame by frame.
pub struct WsClient {
    pub stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    pub accepted_protocol: Option<String>,
}

/// What the server sent next.
#[derive(Debug)]
pub enum Frame {
    Json(Value),
    Close(Option<u16>, String),
    /// The connection ended without a close frame.
    Ended,
}

impl WsClient {
    pub async fn send_json(&mut self, value: Value) {
        self.stream
            .send(WsMessage::text(value.to_string()))
            .await
            .expect("ws send");
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream
            .send(WsMessage::text(text.to_owned()))
            .await
            .expect("ws send");
    }

    /// The next text or close frame (pings/pongs skipped); fails the test after [`WAIT`].
    pub async fn next_frame(&mut self) -> Frame {
        self.next_frame_within(WAIT)
            .await
            .expect("no frame from server in time")
    }

    /// Like [`Self::next_frame`] but returns `None` when nothing arrives within `wait`.
    pub async fn next_frame_within(&mut self, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()?;
            return Some(match msg {
                None => Frame::Ended,
                Some(Err(_)) => Frame::Ended,
                Some(Ok(WsMessage::Text(text))) => {
                    Frame::Json(serde_json::from_str(&text).expect("json frame"))
                }
                Some(Ok(WsMessage::Close(frame))) => match frame {
                    Some(f) => Frame::Close(Some(u16::from(f.code)), f.reason.to_string()),
                    None => Frame::Close(None, String::new()),
                },
                Some(Ok(_)) => continue,
            });
        }
    }

    /// Expects a JSON frame and returns it.
    pub async fn next_json(&mut self) -> Value {
        match self.next_frame().await {
            Frame::Json(v) => v,
            other => panic!("expected a JSON frame, got {other:?}"),
        }
    }

    /// Expects the server to close the socket and returns the close code.
    pub async fn expect_close(&mut self) -> Option<u16> {
        loop {
            match self.next_frame().await {
                Frame::Close(code, _) => return code,
                Frame::Ended => return None,
                Frame::Json(v) => {
                    // Some protocols send a final error message before closing.
                    if v["type"] == "ping"
                        || v["type"] == "ka"
                        || v["type"] == "connection_error"
                        || v["type"] == "error"
                    {
                        continue;
                    }
                    panic!("expected close, got {v}");
                }
            }
        }
    }

    /// Sends `connection_init` with a bearer token, without waiting for the answer.
    pub async fn send_init(&mut self, token: &str) {
        self.send_json(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } })).await;
    }

    /// graphql-transport-ws handshake with a token; returns the `connection_ack` frame.
    pub async fn init(&mut self, token: &str) -> Value {
        self.send_init(token).await;
        let ack = self.next_json().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        ack
    }
}

/// Small GraphQL helpers for the room and message tests.
pub mod chat {
    use serde_json::{Value, json};

    use crate::{Session, TestApp};

    pub const MESSAGE_FIELDS: &str = "id roomId seq parentId content clientId createdAt editedAt deletedAt replyCount lastReplyAt sender { id nickname } mentions { id nickname } reactions { emoji count reactedByMe users { nickname } } seenBy { nickname }";

    /// Creates a group room owned by `owner` with `members`; returns its id.
    pub async fn group(app: &TestApp, owner: &Session, name: &str, members: &[&Session]) -> String {
        let ids: Vec<&str> = members.iter().map(|m| m.user_id.as_str()).collect();
        let data = app
            .ok(
                Some(&owner.access_token),
                "mutation($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id } }",
                json!({ "input": { "name": name, "memberIds": ids } }),
            )
            .await;
        data["createGroupRoom"]["id"]
            .as_str()
            .expect("room id")
            .to_owned()
    }

    /// The direct room of `a` with `b`; returns its id.
    pub async fn direct(app: &TestApp, a: &Session, b: &Session) -> String {
        let data = app
            .ok(
                Some(&a.access_token),
                "mutation($u: ID!) { createDirectRoom(userId: $u) { id } }",
                json!({ "u": b.user_id }),
            )
            .await;
        data["createDirectRoom"]["id"]
            .as_str()
            .expect("room id")
            .to_owned()
    }

    /// The raw `sendMessage` response (data and errors).
    pub async fn try_send(app: &TestApp, who: &Session, room: &str, content: &str) -> Value {
        app.graphql(
            Some(&who.access_token),
            &format!(
                "mutation($input: SendMessageInput!) {{ sendMessage(input: $input) {{ {MESSAGE_FIELDS} }} }}"
            ),
            json!({ "input": { "roomId": room, "content": content } }),
        )
        .await
    }

    /// Sends a message and returns it.
    pub async fn send(app: &TestApp, who: &Session, room: &str, content: &str) -> Value {
        let body = try_send(app, who, room, content).await;
        assert!(
            body.get("errors").is_none_or(Value::is_null),
            "unexpected errors: {body}"
        );
        body["data"]["sendMessage"].clone()
    }

    /// Replies in the thread of `parent` and returns the reply.
    pub async fn reply(app: &TestApp, who: &Session, parent: &str, content: &str) -> Value {
        let data = app
            .ok(
                Some(&who.access_token),
                &format!(
                    "mutation($input: ReplyInput!) {{ replyInThread(input: $input) {{ {MESSAGE_FIELDS} }} }}"
                ),
                json!({ "input": { "parentId": parent, "content": content } }),
            )
            .await;
        data["replyInThread"].clone()
    }

    /// Runs a GraphQL operation as `who`; returns the whole response (`data` and `errors`).
    pub async fn try_mutate(app: &TestApp, who: &Session, query: &str, variables: Value) -> Value {
        app.graphql(Some(&who.access_token), query, variables).await
    }

    /// Runs a GraphQL operation as `who`, expects no errors and returns `data`.
    pub async fn mutate(app: &TestApp, who: &Session, query: &str, variables: Value) -> Value {
        app.ok(Some(&who.access_token), query, variables).await
    }

    /// Mints an API token as `who` (`input` is a `CreateApiTokenInput`; its name defaults to "t"); returns
    /// the token and its id.
    pub async fn api_token(app: &TestApp, who: &Session, mut input: Value) -> (String, String) {
        if input.get("name").is_none() {
            input["name"] = json!("t");
        }
        let data = mutate(
            app,
            who,
            "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id } } }",
            json!({ "i": input }),
        )
        .await;
        let created = &data["createApiToken"];
        (
            created["token"].as_str().expect("token").to_owned(),
            created["apiToken"]["id"]
                .as_str()
                .expect("token id")
                .to_owned(),
        )
    }

    /// The seq of the room's last stored event, as `who` sees it.
    pub async fn last_seq(app: &TestApp, who: &Session, room: &str) -> i64 {
        mutate(
            app,
            who,
            "query($id: ID!) { room(id: $id) { lastSeq } }",
            json!({ "id": room }),
        )
        .await["room"]["lastSeq"]
            .as_i64()
            .expect("lastSeq")
    }

    /// A fresh app with Alice and Bob in a group room "Team" she owns; returns its id last.
    pub async fn two_in_a_room() -> (TestApp, Session, Session, String) {
        let app = crate::spawn_app().await;
        let alice = app.sign_up("alice").await;
        let bob = app.sign_up("bob").await;
        let room = group(&app, &alice, "Team", &[&bob]).await;
        (app, alice, bob, room)
    }

    /// `who` leaves the room.
    pub async fn leave(app: &TestApp, who: &Session, room: &str) {
        let data = mutate(
            app,
            who,
            "mutation($r: ID!) { leaveRoom(roomId: $r) }",
            json!({ "r": room }),
        )
        .await;
        assert_eq!(data["leaveRoom"], true, "{data}");
    }

    /// A room as `who` sees it, with members.
    pub async fn room(app: &TestApp, who: &Session, room: &str) -> Value {
        let data = app
            .ok(
                Some(&who.access_token),
                "query($id: ID!) { room(id: $id) { id name isGroup lastSeq unreadCount unreadMentionCount muted createdAt lastMessage { id content } members { role joinedAt seenAt lastReadSeq user { id nickname } } } }",
                json!({ "id": room }),
            )
            .await;
        data["room"].clone()
    }
}

impl WsClient {
    /// Sends several JSON messages in one TCP write, so the server reads them together (tests of what happens
    /// between two messages without a round trip in between).
    pub async fn send_burst(&mut self, values: &[Value]) {
        for value in values {
            self.stream
                .feed(WsMessage::text(value.to_string()))
                .await
                .expect("ws feed");
        }
        self.stream.flush().await.expect("ws flush");
    }

    /// Expects a JSON frame other than the server's keep-alive `ping`/`ka`, and returns it.
    pub async fn next_message(&mut self) -> Value {
        loop {
            let value = self.next_json().await;
            if value["type"] != "ping" && value["type"] != "ka" {
                return value;
            }
        }
    }
}

/// Connects a graphql-transport-ws socket to `ws_url` for `who` and waits for the ack.
pub async fn socket_at(ws_url: &str, who: &Session) -> WsClient {
    let mut client = ws_connect_with(
        ws_url,
        &[("Sec-WebSocket-Protocol", "graphql-transport-ws")],
    )
    .await
    .unwrap_or_else(|status| panic!("ws upgrade refused with {status}"));
    client.init(&who.access_token).await;
    client
}

impl TestApp {
    /// An acknowledged graphql-transport-ws socket of `who`.
    pub async fn socket(&self, who: &Session) -> WsClient {
        socket_at(&self.ws_url(), who).await
    }
}

impl WsClient {
    /// Starts operation `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send_json(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next result of operation `id` (its `data`); fails on errors, another id or anything else.
    pub async fn next_data(&mut self, id: &str) -> Value {
        let msg = self.next_message().await;
        assert_eq!(msg["type"], "next", "expected next for {id}, got {msg}");
        assert_eq!(msg["id"], id, "{msg}");
        assert!(msg["payload"]["errors"].is_null(), "errors: {msg}");
        msg["payload"]["data"].clone()
    }

    /// Expects operation `id` to complete next.
    pub async fn expect_complete(&mut self, id: &str) {
        let msg = self.next_message().await;
        assert_eq!(
            msg["type"], "complete",
            "expected complete for {id}, got {msg}"
        );
        assert_eq!(msg["id"], id, "{msg}");
    }

    /// Asserts that nothing but keep-alives arrives for `wait`.
    pub async fn expect_silence(&mut self, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_frame_within(left).await {
                None => return,
                Some(Frame::Json(v)) if v["type"] == "ping" || v["type"] == "ka" => continue,
                Some(other) => panic!("expected silence, got {other:?}"),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
