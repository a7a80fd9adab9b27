//! The fault suite's clients and its Jepsen-style checker. Writers send with a `clientId` and retry (same
//! room, same key, next api process) until answered; subscribers follow `roomEvents` over graphql-ws and
//! resume with `afterSeq` after any failure; the checker compares what was acknowledged and delivered with
//! what storage holds.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entity::{messages, room_events};
use futures_util::{SinkExt, StreamExt};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use uuid::Uuid;

/// The api processes clients may talk to; the scenario changes it as it kills and starts processes.
#[derive(Clone, Default)]
pub struct Targets(Arc<Mutex<Vec<SocketAddr>>>);

impl Targets {
    pub fn set(&self, addrs: Vec<SocketAddr>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = addrs;
    }

    /// The `i`-th target, wrapping around.
    pub fn pick(&self, i: usize) -> Option<SocketAddr> {
        let addrs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (!addrs.is_empty()).then(|| addrs[i % addrs.len()])
    }
}

/// A failed request: the transport failed, or the server answered with an error code.
#[derive(Debug, Clone)]
pub enum Failure {
    Transport(String),
    Code { status: u16, code: String },
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(4)
        .build()
        .expect("http client")
}

/// One GraphQL operation against one process; `data` or the failure.
pub async fn gql(
    http: &reqwest::Client,
    addr: SocketAddr,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Result<Value, Failure> {
    let mut request = http
        .post(format!("http://{addr}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let status = response.status().as_u16();
    let body: Value = response
        .json()
        .await
        .map_err(|e| Failure::Transport(e.to_string()))?;
    match body.get("errors").and_then(Value::as_array) {
        Some(errors) if !errors.is_empty() => Err(Failure::Code {
            status,
            code: errors[0]["extensions"]["code"]
                .as_str()
                .unwrap_or("?")
                .to_owned(),
        }),
        _ => Ok(body["data"].clone()),
    }
}

/// Retries `op` on the next process until it succeeds or `within` passes.
pub async fn with_retries(
    http: &reqwest::Client,
    targets: &Targets,
    token: Option<&str>,
    query: &str,
    variables: Value,
    within: Duration,
) -> Value {
    let deadline = Instant::now() + within;
    let mut i = 0;
    loop {
        if let Some(addr) = targets.pick(i)
            && let Ok(data) = gql(http, addr, token, query, variables.clone()).await
        {
            return data;
        }
        assert!(Instant::now() < deadline, "{query} kept failing");
        i += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub token: String,
}

/// Users, and group rooms that all of them are in.
pub struct World {
    pub users: Vec<User>,
    pub rooms: Vec<String>,
}

pub async fn setup(targets: &Targets, users: usize, rooms: usize) -> World {
    let http = http_client();
    let mut made = Vec::new();
    for i in 0..users {
        let nickname = format!("user{i}");
        let data = with_retries(
            &http,
            targets,
            None,
            "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }",
            json!({ "input": { "email": format!("{nickname}@example.com"), "password": "fault-suite-pw", "nickname": nickname } }),
            Duration::from_secs(20),
        )
        .await;
        made.push(User {
            id: data["signUp"]["user"]["id"]
                .as_str()
                .expect("id")
                .to_owned(),
            token: data["signUp"]["accessToken"]
                .as_str()
                .expect("token")
                .to_owned(),
        });
    }
    let members: Vec<&str> = made[1..].iter().map(|u| u.id.as_str()).collect();
    let mut room_ids = Vec::new();
    for r in 0..rooms {
        let data = with_retries(
            &http,
            targets,
            Some(&made[0].token),
            "mutation($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id } }",
            json!({ "input": { "name": format!("room {r}"), "memberIds": members } }),
            Duration::from_secs(20),
        )
        .await;
        room_ids.push(
            data["createGroupRoom"]["id"]
                .as_str()
                .expect("room")
                .to_owned(),
        );
    }
    World {
        users: made,
        rooms: room_ids,
    }
}

/// One send as the writer saw it.
#[derive(Clone, Debug)]
pub struct Send {
    pub room: String,
    pub client_id: String,
    /// The stored message's id, when some process acknowledged the send.
    pub acked: Option<String>,
    pub attempts: u32,
    /// From the first attempt to the answer (or giving up).
    pub took: Duration,
    /// Error codes of failed attempts (`transport` for no answer).
    pub failures: Vec<String>,
}

pub const SEND: &str =
    "mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }";

/// Sends once with `client_id`, retrying on the next process until answered or `give_up` passes.
#[allow(clippy::too_many_arguments)]
pub async fn send_until_answered(
    http: &reqwest::Client,
    targets: &Targets,
    user: &User,
    room: &str,
    client_id: &str,
    content: &str,
    first_target: usize,
    give_up: Duration,
) -> Send {
    let start = Instant::now();
    let mut record = Send {
        room: room.to_owned(),
        client_id: client_id.to_owned(),
        acked: None,
        attempts: 0,
        took: Duration::ZERO,
        failures: Vec::new(),
    };
    let mut target = first_target;
    while start.elapsed() < give_up {
        let Some(addr) = targets.pick(target) else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        record.attempts += 1;
        let input =
            json!({ "input": { "roomId": room, "content": content, "clientId": client_id } });
        match gql(http, addr, Some(&user.token), SEND, input).await {
            Ok(data) => {
                record.acked = data["sendMessage"]["id"].as_str().map(str::to_owned);
                break;
            }
            Err(failure) => {
                record.failures.push(match failure {
                    Failure::Transport(_) => "transport".to_owned(),
                    Failure::Code { status, code } => format!("{code}/{status}"),
                });
                target += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    record.took = start.elapsed();
    record
}

/// A writer: sends to the rooms in turn, one message every `every`, until `stop` turns true.
pub async fn writer(
    targets: Targets,
    user: User,
    rooms: Vec<String>,
    name: String,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) -> Vec<Send> {
    let http = http_client();
    let mut sent = Vec::new();
    let mut i = 0usize;
    while !*stop.borrow() {
        let room = &rooms[i % rooms.len()];
        let content = format!("{name} {i} t={}", chrono::Utc::now().timestamp_millis());
        let record = send_until_answered(
            &http,
            &targets,
            &user,
            room,
            &format!("{name}-{i}"),
            &content,
            i,
            Duration::from_secs(30),
        )
        .await;
        sent.push(record);
        i += 1;
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
    sent
}

/// What one subscriber received.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    pub room: String,
    /// The `afterSeq` it started from.
    pub start: i64,
    /// Seqs of every event, in arrival order, across reconnects.
    pub seqs: Vec<i64>,
    /// Message ids of `MessageAdded` events, by seq.
    pub messages: HashMap<i64, String>,
    pub reconnects: u32,
    /// Delivery latency of messages whose content carries `t=<unix ms>`, in ms.
    pub latencies_ms: Vec<(i64, u64)>,
}

const ROOM_EVENTS: &str =
    "subscription($room: ID!, $after: Int) { roomEvents(roomId: $room, afterSeq: $after) {
  __typename
  ... on MessageAdded { seq message { id content } }
  ... on MessageEdited { seq } ... on MessageDeleted { seq } ... on ReactionChanged { seq }
  ... on ReadReceipt { seq } ... on MemberJoined { seq } ... on MemberLeft { seq } } }";

/// How a subscriber reads.
#[derive(Clone)]
pub struct Pace {
    /// While true, wait this long between reads (a slow consumer).
    pub slow: Option<(Duration, watch::Receiver<bool>)>,
}

/// A subscriber: follows `room` from `start` over graphql-ws, reconnecting (to the next process) and
/// resuming after anything goes wrong, until it has seen seq `until` (sent once the writers are done).
#[allow(clippy::too_many_arguments)]
pub async fn subscriber(
    targets: Targets,
    user: User,
    room: String,
    start: i64,
    first_target: usize,
    pace: Pace,
    mut until: watch::Receiver<Option<i64>>,
    out: Arc<Mutex<Delivery>>,
) {
    {
        let mut d = out.lock().unwrap_or_else(|e| e.into_inner());
        d.room = room.clone();
        d.start = start;
    }
    let mut last = start;
    let mut target = first_target;
    let done =
        |last: i64, until: &watch::Receiver<Option<i64>>| until.borrow().is_some_and(|u| last >= u);
    while !done(last, &until) {
        let Some(addr) = targets.pick(target) else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let session = follow(addr, &user, &room, &mut last, &pace, &mut until, &out).await;
        if session.is_err() && !done(last, &until) {
            out.lock().unwrap_or_else(|e| e.into_inner()).reconnects += 1;
            target += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// One socket's life; `Err` when it broke.
async fn follow(
    addr: SocketAddr,
    user: &User,
    room: &str,
    last: &mut i64,
    pace: &Pace,
    until: &mut watch::Receiver<Option<i64>>,
    out: &Arc<Mutex<Delivery>>,
) -> Result<(), String> {
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = tokio::time::timeout(
        Duration::from_secs(5),
        tokio_tungstenite::connect_async(request),
    )
    .await
    .map_err(|_| "connect timeout".to_owned())?
    .map_err(|e| e.to_string())?;
    let send = |v: Value| WsMessage::Text(v.to_string().into());
    ws.send(send(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", user.token) } })))
        .await
        .map_err(|e| e.to_string())?;
    ws.send(send(json!({ "id": "r", "type": "subscribe", "payload": { "query": ROOM_EVENTS, "variables": { "room": room, "after": *last } } })))
        .await
        .map_err(|e| e.to_string())?;
    loop {
        if until.borrow().is_some_and(|u| *last >= u) {
            let _ = ws.close(None).await;
            return Ok(());
        }
        if let Some((delay, slow)) = &pace.slow
            && *slow.borrow()
        {
            tokio::time::sleep(*delay).await;
        }
        let frame = tokio::select! {
            frame = tokio::time::timeout(Duration::from_secs(20), ws.next()) => frame,
            _ = until.changed() => continue,
        };
        let text = match frame {
            Err(_) => return Err("silent for 20 s".into()),
            Ok(None) => return Err("closed".into()),
            Ok(Some(Err(e))) => return Err(e.to_string()),
            Ok(Some(Ok(WsMessage::Text(text)))) => text,
            Ok(Some(Ok(WsMessage::Close(frame)))) => return Err(format!("close {frame:?}")),
            Ok(Some(Ok(_))) => continue,
        };
        let msg: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        match msg["type"].as_str() {
            Some("ping") => {
                ws.send(send(json!({ "type": "pong" })))
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Some("next") => {
                let event = &msg["payload"]["data"]["roomEvents"];
                if event.is_null() {
                    return Err(format!("error in stream: {msg}"));
                }
                let Some(seq) = event["seq"].as_i64() else {
                    continue; // typing: no seq
                };
                *last = seq;
                let mut d = out.lock().unwrap_or_else(|e| e.into_inner());
                d.seqs.push(seq);
                if let Some(id) = event["message"]["id"].as_str() {
                    d.messages.insert(seq, id.to_owned());
                    if let Some(sent) = event["message"]["content"]
                        .as_str()
                        .and_then(|c| c.rsplit_once("t="))
                        .and_then(|(_, t)| t.parse::<i64>().ok())
                    {
                        let now = chrono::Utc::now().timestamp_millis();
                        d.latencies_ms.push((now, (now - sent).max(0) as u64));
                    }
                }
            }
            Some("error") | Some("complete") => return Err(format!("subscription ended: {msg}")),
            _ => {}
        }
    }
}

/// What a scenario's checker found.
#[derive(Debug, Default)]
pub struct Verdict {
    pub acked: usize,
    pub unacked: usize,
    pub delivered: usize,
    pub lost: usize,
    pub duplicates: usize,
    pub problems: Vec<String>,
}

/// The last stored seq of each room.
pub async fn last_seqs(db_url: &str, rooms: &[String]) -> HashMap<String, i64> {
    let db = Database::connect(db_url).await.expect("connect checker");
    let mut out = HashMap::new();
    for room in rooms {
        let id = Uuid::parse_str(room).expect("room id");
        let last = room_events::Entity::find()
            .filter(room_events::Column::RoomId.eq(id))
            .order_by_desc(room_events::Column::Seq)
            .one(&db)
            .await
            .expect("read events")
            .map_or(0, |e| e.seq);
        out.insert(room.clone(), last);
    }
    let _ = db.close().await;
    out
}

/// The checks every scenario ends with.
pub async fn check(
    db_url: &str,
    rooms: &[String],
    sends: &[Send],
    deliveries: &[Delivery],
) -> Verdict {
    let db = Database::connect(db_url).await.expect("connect checker");
    let mut v = Verdict::default();
    // Each room's seqs are dense 1..N.
    let mut last: HashMap<String, i64> = HashMap::new();
    for room in rooms {
        let id = Uuid::parse_str(room).expect("room id");
        let seqs: Vec<i64> = room_events::Entity::find()
            .filter(room_events::Column::RoomId.eq(id))
            .order_by_asc(room_events::Column::Seq)
            .all(&db)
            .await
            .expect("read events")
            .into_iter()
            .map(|e| e.seq)
            .collect();
        if seqs.iter().enumerate().any(|(i, s)| *s != i as i64 + 1) {
            v.problems.push(format!("room {room}: seqs not dense 1..N"));
        }
        last.insert(room.clone(), seqs.len() as i64);
    }
    // One row per (sender, room, clientId).
    let rows = messages::Entity::find()
        .filter(messages::Column::ClientId.is_not_null())
        .all(&db)
        .await
        .expect("read messages");
    let mut by_key: HashMap<(String, String), Vec<&messages::Model>> = HashMap::new();
    for row in &rows {
        by_key
            .entry((
                row.room_id.to_string(),
                row.client_id.clone().unwrap_or_default(),
            ))
            .or_default()
            .push(row);
    }
    let mut per_sender: HashMap<(Option<Uuid>, Uuid, String), usize> = HashMap::new();
    for row in &rows {
        *per_sender
            .entry((
                row.sender_id,
                row.room_id,
                row.client_id.clone().unwrap_or_default(),
            ))
            .or_default() += 1;
    }
    v.duplicates += per_sender.values().filter(|n| **n > 1).count();
    // Acknowledged sends are stored (with the acknowledged id); unacknowledged ones once or not at all.
    for send in sends {
        let found = by_key
            .get(&(send.room.clone(), send.client_id.clone()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        match &send.acked {
            Some(id) => {
                v.acked += 1;
                if !found.iter().any(|m| m.id.to_string() == *id) {
                    v.lost += 1;
                    v.problems
                        .push(format!("acked {} ({id}) is not stored", send.client_id));
                }
            }
            None => {
                v.unacked += 1;
                if found.len() > 1 {
                    v.problems.push(format!(
                        "unacked {} stored {} times",
                        send.client_id,
                        found.len()
                    ));
                }
            }
        }
    }
    // Each subscriber saw start+1..=N of its room, each once, in order, and every stored message in it.
    for d in deliveries {
        let n = last.get(&d.room).copied().unwrap_or_default();
        v.delivered += d.seqs.len();
        let expected: Vec<i64> = (d.start + 1..=n).collect();
        if d.seqs != expected {
            let seen: HashSet<i64> = d.seqs.iter().copied().collect();
            let dups = d.seqs.len() - seen.len();
            v.duplicates += dups;
            let missing = expected.iter().filter(|s| !seen.contains(s)).count();
            v.lost += missing;
            v.problems.push(format!(
                "subscriber of {} from {}: got {} events ({} duplicates, {} missing, out of order: {})",
                d.room,
                d.start,
                d.seqs.len(),
                dups,
                missing,
                d.seqs.windows(2).any(|w| w[1] <= w[0])
            ));
        }
        for (seq, id) in &d.messages {
            if !rows
                .iter()
                .any(|m| m.id.to_string() == *id && m.seq == *seq)
            {
                v.problems.push(format!(
                    "delivered message {id} at seq {seq} is not stored as such"
                ));
            }
        }
    }
    let _ = db.close().await;
    v
}

impl Verdict {
    /// Prints the scenario's one-line summary and fails the test on any violation.
    pub fn assert_clean(&self, scenario: &str) {
        println!(
            "{scenario}: sends acknowledged={} unacknowledged={} delivered={} lost={} duplicates={}",
            self.acked, self.unacked, self.delivered, self.lost, self.duplicates
        );
        assert!(
            self.problems.is_empty() && self.lost == 0 && self.duplicates == 0,
            "{scenario}: {:#?}",
            self.problems
        );
    }
}

/// The p-th percentile (0..=100) of `values`.
pub fn percentile(values: &mut [u64], p: f64) -> u64 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    let rank = ((p / 100.0) * (values.len() - 1) as f64).round() as usize;
    values[rank.min(values.len() - 1)]
}
