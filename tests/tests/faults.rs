//! The fault suite: real api processes on a throwaway PostgreSQL cluster and Redis of their own, under load,
//! while processes, Redis, PostgreSQL and the network between them fail. After every scenario the checker
//! asserts, Jepsen-style: nothing acknowledged is lost, nothing is delivered twice, one row per clientId,
//! each room's seqs dense, each subscriber saw a contiguous range after its resume point, and every
//! unacknowledged send is stored once or not at all.
//!
//! Run: `cargo build -p api && cargo test -p chorus-tests --features faults --test faults -- --nocapture`
//! (scripts/test does). Scenarios run one at a time: they share the machine's two cores.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chorus_tests::faults::infra::{ApiProcess, PgCluster, RedisServer};
use chorus_tests::faults::proxy::Proxy;
use chorus_tests::faults::workload::{
    self, Delivery, Pace, Send, Targets, User, Verdict, World, http_client, percentile,
};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use tokio::sync::watch;

/// One scenario at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A fresh database in the scenario's own cluster.
async fn database(pg: &PgCluster, name: &str) -> String {
    let admin = Database::connect(pg.admin_url()).await.expect("admin");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create database");
    let _ = admin.close().await;
    pg.url(name)
}

fn api_env(db_url: &str, redis_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", db_url.to_owned()),
        ("REDIS_URL", redis_url.to_owned()),
        ("CHORUS_DB_TIMEOUT", "2s".into()),
        ("CHORUS_PRESENCE_TTL", "6s".into()),
        ("CHORUS_WS_KEEPALIVE", "5s".into()),
    ]
}

/// Two api processes on a fresh database of a PostgreSQL cluster and a Redis of their own, with `users`
/// users who are all in each of `rooms` group rooms.
struct Deployment {
    pg: PgCluster,
    redis: RedisServer,
    db: String,
    env: Vec<(&'static str, String)>,
    a: ApiProcess,
    b: ApiProcess,
    targets: Targets,
    world: World,
}

async fn deploy(name: &str, users: usize, rooms: usize) -> Deployment {
    let pg = PgCluster::start();
    let redis = RedisServer::start();
    let db = database(&pg, name).await;
    let env = api_env(&db, &redis.url());
    let a = ApiProcess::start(&env);
    let b = ApiProcess::start(&env);
    let targets = Targets::default();
    targets.set(vec![a.addr, b.addr]);
    let world = workload::setup(&targets, users, rooms).await;
    Deployment {
        pg,
        redis,
        db,
        env,
        a,
        b,
        targets,
        world,
    }
}

/// The running workload of a scenario.
struct Load {
    stop_writers: watch::Sender<bool>,
    writers: Vec<tokio::task::JoinHandle<Vec<Send>>>,
    until: watch::Sender<Option<i64>>,
    subscribers: Vec<(tokio::task::JoinHandle<()>, Arc<Mutex<Delivery>>)>,
}

impl Load {
    /// `writers` writers (one message each `every`) over all rooms, and `per_room` subscribers per room
    /// from seq 0, spread over the targets.
    fn start(
        targets: &Targets,
        world: &World,
        writers: usize,
        every: Duration,
        per_room: usize,
    ) -> Self {
        let (stop_writers, stop_rx) = watch::channel(false);
        let (until, until_rx) = watch::channel(None);
        let mut load = Load {
            stop_writers,
            writers: Vec::new(),
            until,
            subscribers: Vec::new(),
        };
        for (i, room) in world.rooms.iter().enumerate() {
            for s in 0..per_room {
                let user = world.users[(i + s + 1) % world.users.len()].clone();
                load.subscribe(
                    targets,
                    user,
                    room,
                    0,
                    i + s,
                    Pace { slow: None },
                    &until_rx,
                );
            }
        }
        for w in 0..writers {
            let user = world.users[w % world.users.len()].clone();
            load.writers.push(tokio::spawn(workload::writer(
                targets.clone(),
                user,
                world.rooms.clone(),
                format!("w{w}"),
                every,
                stop_rx.clone(),
            )));
        }
        load
    }

    #[allow(clippy::too_many_arguments)]
    fn subscribe(
        &mut self,
        targets: &Targets,
        user: User,
        room: &str,
        start: i64,
        first_target: usize,
        pace: Pace,
        until: &watch::Receiver<Option<i64>>,
    ) -> Arc<Mutex<Delivery>> {
        let out = Arc::new(Mutex::new(Delivery::default()));
        let task = tokio::spawn(workload::subscriber(
            targets.clone(),
            user,
            room.to_owned(),
            start,
            first_target,
            pace,
            until.clone(),
            out.clone(),
        ));
        self.subscribers.push((task, out.clone()));
        out
    }

    /// Stops the writers, lets the subscribers reach the rooms' last seqs, and checks everything.
    async fn finish(self, db_url: &str, rooms: &[String]) -> (Verdict, Vec<Send>, Vec<Delivery>) {
        let _ = self.stop_writers.send(true);
        let mut sends = Vec::new();
        for w in self.writers {
            sends.extend(w.await.expect("writer"));
        }
        let last = workload::last_seqs(db_url, rooms).await;
        let goal = last.values().copied().max().unwrap_or(0);
        let _ = self.until.send(Some(goal));
        let mut deliveries = Vec::new();
        for (task, out) in self.subscribers {
            // Each subscriber stops at its own room's end; a stuck one is a failure, not a hang.
            let room = out.lock().unwrap().room.clone();
            let room_last = last.get(&room).copied().unwrap_or(0);
            let deadline = Instant::now() + Duration::from_secs(60);
            while out.lock().unwrap().seqs.last().copied().unwrap_or(0) < room_last
                && Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            task.abort();
            deliveries.push(out.lock().unwrap().clone());
        }
        let verdict = workload::check(db_url, rooms, &sends, &deliveries).await;
        (verdict, sends, deliveries)
    }
}

async fn wait_bus_ok(processes: &[&ApiProcess], within: Duration) -> Option<Duration> {
    let http = http_client();
    let start = Instant::now();
    while start.elapsed() < within {
        let mut all = true;
        for p in processes {
            let ok = match http.get(format!("http://{}/readyz", p.addr)).send().await {
                Ok(r) => r.json::<Value>().await.is_ok_and(|b| b["bus"] == "ok"),
                Err(_) => false,
            };
            all &= ok;
        }
        if all {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// `/readyz` of `process`: how long it took, its status and body. It must answer within a second whatever
/// is down.
async fn readyz(process: &ApiProcess) -> (Duration, u16, Value) {
    let start = Instant::now();
    let response = http_client()
        .get(format!("http://{}/readyz", process.addr))
        .send()
        .await
        .expect("readyz answers");
    let status = response.status().as_u16();
    let body = response.json().await.expect("readyz body");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(1), "/readyz took {took:?}");
    (took, status, body)
}

/// The presence `viewer` sees of `user`, asked through `process`.
async fn presence(process: &ApiProcess, viewer: &User, user: &User) -> Option<String> {
    workload::gql(
        &http_client(),
        process.addr,
        Some(&viewer.token),
        "query($id: ID!) { user(id: $id) { presence { status } } }",
        serde_json::json!({ "id": user.id }),
    )
    .await
    .ok()
    .and_then(|d| d["user"]["presence"]["status"].as_str().map(str::to_owned))
}

/// Sends in a window must each be answered, on the first attempt and quickly: Redis is not in the write path.
fn assert_answered_without_retry(scenario: &str, sends: &[Send]) {
    let slow: Vec<&Send> = sends
        .iter()
        .filter(|s| s.acked.is_none() || s.attempts > 1 || s.took > Duration::from_secs(2))
        .collect();
    assert!(
        slow.is_empty(),
        "{scenario}: sends not answered promptly on the first attempt: {:?}",
        &slow[..slow.len().min(5)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f1_api_processes_killed_repeatedly_under_load() {
    let _serial = SERIAL.lock().await;
    let Deployment {
        pg: _pg,
        redis: _redis,
        db,
        env,
        mut a,
        mut b,
        targets,
        world,
    } = deploy("f1", 4, 2).await;
    let load = Load::start(&targets, &world, 3, Duration::from_millis(20), 2);

    for round in 0..3 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        // Kill one, let the others carry the load, then bring a fresh one up.
        let victim = if round % 2 == 0 { &mut a } else { &mut b };
        victim.kill9();
        let survivor = if round % 2 == 0 { b.addr } else { a.addr };
        targets.set(vec![survivor]);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let fresh = ApiProcess::start(&env);
        targets.set(vec![survivor, fresh.addr]);
        if round % 2 == 0 {
            a = fresh;
        } else {
            b = fresh;
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (verdict, _, deliveries) = load.finish(&db, &world.rooms).await;
    let reconnects: u32 = deliveries.iter().map(|d| d.reconnects).sum();
    println!("F1: 3 kill -9 of an api process; subscriber reconnects={reconnects}");
    verdict.assert_clean("F1 kill -9 api");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f2_redis_killed_restarted_cut_and_down_for_10_s() {
    let _serial = SERIAL.lock().await;
    let Deployment {
        pg: _pg,
        mut redis,
        db,
        a,
        b,
        targets,
        world,
        ..
    } = deploy("f2", 4, 2).await;
    let load = Load::start(&targets, &world, 2, Duration::from_millis(30), 2);
    tokio::time::sleep(Duration::from_secs(2)).await;

    // a) kill -9 and restart on the same port.
    redis.kill9();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (took, status, body) = readyz(&a).await;
    println!("F2a: /readyz without Redis: {status} {body} in {took:?}");
    assert_eq!((status, body["bus"].as_str()), (200, Some("degraded")));
    tokio::time::sleep(Duration::from_secs(1)).await;
    redis.restart();
    let back = wait_bus_ok(&[&a, &b], Duration::from_secs(5)).await;
    println!("F2a: bus back {back:?} after Redis restarted");
    assert!(back.is_some(), "F2a: the bus did not reconnect within 5 s");
    // The restarted Redis knew nobody; heartbeats write the open sockets back well within the presence TTL.
    let online_again = Instant::now();
    let (watcher, watched) = (&world.users[0], &world.users[1]);
    while presence(&b, watcher, watched).await.as_deref() != Some("ONLINE") {
        assert!(
            online_again.elapsed() < Duration::from_secs(6),
            "F2a: a connected user stayed OFFLINE longer than the presence TTL after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "F2a: presence back {:?} after the bus",
        online_again.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;

    // b) the subscriber connections cut by Redis itself.
    let killed = redis.cli(&["CLIENT", "KILL", "TYPE", "pubsub"]);
    println!("F2b: CLIENT KILL TYPE pubsub -> {killed}");
    assert_ne!(killed, "0", "F2b: no pub/sub connection to cut");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let back = wait_bus_ok(&[&a, &b], Duration::from_secs(5)).await;
    assert!(
        back.is_some(),
        "F2b: the bus did not resubscribe within 5 s"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;

    // c) Redis down for 10 s.
    redis.kill9();
    tokio::time::sleep(Duration::from_secs(10)).await;
    redis.restart();
    let back = wait_bus_ok(&[&a, &b], Duration::from_secs(5)).await;
    println!("F2c: bus back {back:?} after 10 s without Redis");
    assert!(back.is_some(), "F2c: the bus did not reconnect within 5 s");
    tokio::time::sleep(Duration::from_secs(2)).await;

    let (verdict, sends, _) = load.finish(&db, &world.rooms).await;
    assert_answered_without_retry("F2", &sends);
    let mut took: Vec<u64> = sends.iter().map(|s| s.took.as_millis() as u64).collect();
    println!(
        "F2: send latency p50={} ms p99={} ms max={} ms through Redis faults",
        percentile(&mut took, 50.0),
        percentile(&mut took, 99.0),
        percentile(&mut took, 100.0)
    );
    verdict.assert_clean("F2 Redis kill/restart, pubsub cut, 10 s outage");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f3_postgres_immediate_restart_under_load() {
    let _serial = SERIAL.lock().await;
    let Deployment {
        pg,
        redis: _redis,
        db,
        mut a,
        mut b,
        targets,
        world,
        ..
    } = deploy("f3", 4, 2).await;
    let load = Load::start(&targets, &world, 3, Duration::from_millis(20), 2);
    tokio::time::sleep(Duration::from_secs(2)).await;
    for _ in 0..2 {
        pg.restart_immediate();
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    // Down for a while: readiness says so at once, and requests fail fast with a retryable error.
    pg.stop_immediate();
    let (_, status, body) = readyz(&a).await;
    assert_eq!((status, body["database"].as_str()), (503, Some("error")));
    let start = Instant::now();
    let attempt = workload::gql(
        &http_client(),
        b.addr,
        Some(&world.users[0].token),
        workload::SEND,
        serde_json::json!({ "input": { "roomId": world.rooms[0], "content": "while down", "clientId": "down-1" } }),
    )
    .await;
    let took = start.elapsed();
    println!("F3: a send while PostgreSQL is down: {attempt:?} after {took:?}");
    assert!(
        matches!(&attempt, Err(workload::Failure::Code { status: 503, code }) if code == "UNAVAILABLE"),
        "F3: {attempt:?}"
    );
    assert!(
        took < Duration::from_secs(4),
        "F3: the failure took {took:?}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    pg.start_again();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (verdict, sends, _) = load.finish(&db, &world.rooms).await;
    let failures: Vec<&String> = sends.iter().flat_map(|s| &s.failures).collect();
    println!("F3: failed attempts during the restarts: {failures:?}");
    assert!(
        failures
            .iter()
            .all(|f| f.starts_with("UNAVAILABLE/503") || *f == "transport"),
        "F3: a failure other than UNAVAILABLE (503): {failures:?}"
    );
    assert!(a.is_running() && b.is_running(), "F3: an api process died");
    verdict.assert_clean("F3 PostgreSQL immediate restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f4_network_faults_between_the_api_and_redis_or_postgres() {
    let _serial = SERIAL.lock().await;
    let pg = PgCluster::start();
    let redis = RedisServer::start();
    let redis_proxy = Proxy::start(redis.port).await;
    let pg_proxy = Proxy::start(pg.port).await;
    let db_name = "f4";
    let direct_db = database(&pg, db_name).await;
    let proxied_db = format!("postgres://postgres@127.0.0.1:{}/{db_name}", pg_proxy.port);
    let proxied_redis = format!("redis://127.0.0.1:{}", redis_proxy.port);
    // A goes through the faulty network; B talks to the services directly.
    let a = ApiProcess::start(&api_env(&proxied_db, &proxied_redis));
    let b = ApiProcess::start(&api_env(&direct_db, &redis.url()));
    let targets = Targets::default();
    targets.set(vec![a.addr, b.addr]);
    let world = workload::setup(&targets, 4, 2).await;
    let load = Load::start(&targets, &world, 3, Duration::from_millis(25), 2);
    tokio::time::sleep(Duration::from_secs(2)).await;

    redis_proxy.set_latency(Duration::from_millis(150));
    tokio::time::sleep(Duration::from_secs(3)).await;
    redis_proxy.set_latency(Duration::ZERO);
    redis_proxy.stall();
    tokio::time::sleep(Duration::from_secs(5)).await;
    redis_proxy.resume();
    tokio::time::sleep(Duration::from_secs(2)).await;
    redis_proxy.reset();
    tokio::time::sleep(Duration::from_secs(2)).await;
    pg_proxy.reset();
    tokio::time::sleep(Duration::from_secs(2)).await;
    pg_proxy.stall();
    tokio::time::sleep(Duration::from_secs(3)).await;
    pg_proxy.resume();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let back = wait_bus_ok(&[&a, &b], Duration::from_secs(10)).await;
    assert!(
        back.is_some(),
        "F4: A's bus did not recover after the network faults"
    );

    let (verdict, sends, _) = load.finish(&direct_db, &world.rooms).await;
    let retried = sends.iter().filter(|s| s.attempts > 1).count();
    println!("F4: sends retried on the other process: {retried}");
    verdict.assert_clean("F4 network latency, stalls and resets");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f5_a_slow_subscriber_costs_bounded_memory_and_does_not_slow_others() {
    let _serial = SERIAL.lock().await;
    let pg = PgCluster::start();
    let redis = RedisServer::start();
    let db = database(&pg, "f5").await;
    let a = ApiProcess::start(&api_env(&db, &redis.url()));
    let targets = Targets::default();
    targets.set(vec![a.addr]);
    let world = workload::setup(&targets, 3, 1).await;
    let room = world.rooms[0].clone();
    let baseline_rss = a.rss_kib().unwrap_or(0);

    // A fast subscriber alone first, then a slow one (1 event/s) joins while writers push as hard as they can.
    let (stop_writers, stop_rx) = watch::channel(false);
    let (until, until_rx) = watch::channel(None);
    let (slow_tx, slow_rx) = watch::channel(true);
    let mut load = Load {
        stop_writers,
        writers: Vec::new(),
        until,
        subscribers: Vec::new(),
    };
    let fast = load.subscribe(
        &targets,
        world.users[1].clone(),
        &room,
        0,
        0,
        Pace { slow: None },
        &until_rx,
    );
    for w in 0..16 {
        load.writers.push(tokio::spawn(workload::writer(
            targets.clone(),
            world.users[0].clone(),
            vec![room.clone()],
            format!("w{w}"),
            Duration::ZERO,
            stop_rx.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let alone_until = chrono::Utc::now().timestamp_millis();
    load.subscribe(
        &targets,
        world.users[2].clone(),
        &room,
        0,
        0,
        Pace {
            slow: Some((Duration::from_secs(1), slow_rx)),
        },
        &until_rx,
    );
    let mut peak_rss = baseline_rss;
    for _ in 0..16 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        peak_rss = peak_rss.max(a.rss_kib().unwrap_or(0));
    }
    let _ = slow_tx.send(false);
    let latencies = fast.lock().unwrap().latencies_ms.clone();
    let (mut alone, mut with_slow): (Vec<u64>, Vec<u64>) = (Vec::new(), Vec::new());
    for (at, ms) in latencies {
        if at <= alone_until {
            alone.push(ms)
        } else {
            with_slow.push(ms)
        }
    }
    let (verdict, sends, _) = load.finish(&db, &world.rooms).await;
    let secs = 11.0;
    println!(
        "F5: {} sends in ~{secs} s ({:.0}/s); api RSS {} MiB -> peak {} MiB; fast subscriber p99 {} ms alone, {} ms beside the slow one",
        sends.len(),
        sends.len() as f64 / secs,
        baseline_rss / 1024,
        peak_rss / 1024,
        percentile(&mut alone, 99.0),
        percentile(&mut with_slow, 99.0),
    );
    assert!(
        peak_rss.saturating_sub(baseline_rss) < 200 * 1024,
        "F5: the api grew by {} MiB with a slow subscriber",
        (peak_rss - baseline_rss) / 1024
    );
    assert!(
        percentile(&mut with_slow, 99.0) <= percentile(&mut alone, 99.0).max(100) * 5,
        "F5: the slow subscriber slowed the fast one down"
    );
    verdict.assert_clean("F5 slow subscriber");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f6_a_writer_process_killed_mid_stream_and_one_client_id_sent_to_both() {
    let _serial = SERIAL.lock().await;
    let Deployment {
        pg: _pg,
        redis: _redis,
        db,
        mut a,
        b,
        world,
        ..
    } = deploy("f6", 3, 1).await;
    let room = world.rooms[0].clone();

    // The same clientId sent to both processes at once: one row, both answers name it.
    let http = http_client();
    let only_a = Targets::default();
    only_a.set(vec![a.addr]);
    let only_b = Targets::default();
    only_b.set(vec![b.addr]);
    for i in 0..20 {
        let key = format!("both-{i}");
        let (x, y) = tokio::join!(
            workload::send_until_answered(
                &http,
                &only_a,
                &world.users[0],
                &room,
                &key,
                "twice",
                0,
                Duration::from_secs(10)
            ),
            workload::send_until_answered(
                &http,
                &only_b,
                &world.users[0],
                &room,
                &key,
                "twice",
                0,
                Duration::from_secs(10)
            ),
        );
        assert!(
            x.acked.is_some() && x.acked == y.acked,
            "F6: {x:?} vs {y:?}"
        );
    }

    // Writes go to A, the subscriber listens on B; A dies mid-stream and the writer retries on B.
    let (stop_writers, stop_rx) = watch::channel(false);
    let (until, until_rx) = watch::channel(None);
    let mut load = Load {
        stop_writers,
        writers: Vec::new(),
        until,
        subscribers: Vec::new(),
    };
    load.subscribe(
        &only_b,
        world.users[1].clone(),
        &room,
        0,
        0,
        Pace { slow: None },
        &until_rx,
    );
    let writes = Targets::default();
    writes.set(vec![a.addr]);
    for w in 0..3 {
        load.writers.push(tokio::spawn(workload::writer(
            writes.clone(),
            world.users[0].clone(),
            vec![room.clone()],
            format!("w{w}"),
            Duration::from_millis(5),
            stop_rx.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    writes.set(vec![a.addr, b.addr]);
    a.kill9();
    writes.set(vec![b.addr]);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (verdict, sends, _) = load.finish(&db, &world.rooms).await;
    let retried = sends.iter().filter(|s| s.attempts > 1).count();
    println!("F6: sends interrupted by the kill and retried on B: {retried}");
    verdict.assert_clean("F6 writer process killed, clientId on both");
}
