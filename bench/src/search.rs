//! Search benchmark on PostgreSQL: seeds a database with `--messages` messages (default 1,000,000) across
//! `--rooms` rooms (default 1,000), with one viewer who is a member of `--member-rooms` of them (default
//! 50), then runs the service's own search for word, partial-word, CJK, `from:` + text and `mentions:me`
//! queries and prints p50/p99 latencies and the `EXPLAIN (ANALYZE, BUFFERS)` plan of one query of each kind.
//!
//! ```sh
//! cargo run --release -p chorus-bench --bin search-bench -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/chorus_bench --messages 1000000
//! ```
//! The database is created when missing and seeded once (`--reseed` starts again). Seeding happens inside
//! PostgreSQL (`generate_series`), with the search indexes built after the rows are in.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chorus_core::Viewer;
use chorus_core::search::parse;
use chorus_core::search::plan::{self, Plan};
use chorus_core::search::service::{self, SearchArgs, Sort};
use clap::Parser;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    #[arg(
        long,
        env = "BENCH_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/chorus_bench"
    )]
    database_url: String,
    #[arg(long, default_value_t = 1_000_000)]
    messages: i64,
    #[arg(long, default_value_t = 1_000)]
    rooms: i64,
    #[arg(long, default_value_t = 50)]
    member_rooms: i64,
    /// Timed runs per query kind (after 10 untimed ones).
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// `CHORUS_SEARCH_SCAN_MESSAGES` to run with (0: always through the trigram index).
    #[arg(long, default_value_t = plan::SCAN_SCOPE)]
    scan_scope: i64,
    /// Drop the data and seed again.
    #[arg(long)]
    reseed: bool,
}

/// Users besides the viewer; each room has ten of them.
const USERS: i64 = 2_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (server, name) = args
        .database_url
        .rsplit_once('/')
        .context("the database URL names no database")?;
    let admin = Database::connect(format!("{server}/postgres")).await?;
    if args.reseed {
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await?;
    }
    let exists = admin
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 AS one FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await?
        .is_some();
    if !exists {
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
    }
    let db = Database::connect(&args.database_url).await?;
    if db.get_database_backend() != DbBackend::Postgres {
        bail!("the search benchmark runs on PostgreSQL");
    }
    Migrator::up(&db, None).await?;
    let count = scalar(&db, "SELECT count(*) FROM messages").await?;
    if count == 0 {
        let started = Instant::now();
        // One connection, so the helper tables and settings of one step are there for the next.
        let single = Database::connect(
            sea_orm::ConnectOptions::new(args.database_url.clone())
                .max_connections(1)
                .to_owned(),
        )
        .await?;
        seed(&single, &args).await?;
        println!(
            "seeded {} messages in {:.0} s",
            args.messages,
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("using the {count} messages already seeded");
    }
    let viewer_id: Uuid = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM users WHERE nickname = 'viewer'",
        ))
        .await?
        .context("no viewer")?
        .try_get("", "id")?;
    let viewer = Viewer {
        user_id: viewer_id,
        expires_at: i64::MAX,
        session_id: Uuid::nil(),
        access: chorus_core::Access::Session,
    };
    let in_scope = scalar(
        &db,
        &format!(
            "SELECT count(*) FROM messages m JOIN room_users ru ON ru.room_id = m.room_id \
             WHERE ru.user_id = '{viewer_id}'"
        ),
    )
    .await?;
    println!(
        "server: {}; viewer is in {} rooms holding {in_scope} messages",
        scalar_text(&db, "SELECT version()").await?,
        scalar(
            &db,
            &format!("SELECT count(*) FROM room_users WHERE user_id = '{viewer_id}'")
        )
        .await?
    );

    // A sender who shares rooms with the viewer.
    let sender: String = scalar_text(
        &db,
        &format!(
            "SELECT u.nickname FROM users u JOIN room_users ru ON ru.user_id = u.id \
             WHERE ru.room_id IN (SELECT room_id FROM room_users WHERE user_id = '{viewer_id}') \
             AND u.id <> '{viewer_id}' ORDER BY u.nickname LIMIT 1"
        ),
    )
    .await?;
    let kinds: Vec<(&str, Vec<String>)> = vec![
        (
            "word",
            words(&["deploy", "server", "coffee", "release", "invoice"]),
        ),
        (
            "partial word",
            words(&["ploy", "erve", "offe", "leas", "voic"]),
        ),
        (
            "CJK (2 characters)",
            words(&["배포", "서버", "회의", "完了", "部署"]),
        ),
        (
            "from: + text",
            ["deploy", "server", "coffee", "release", "invoice"]
                .iter()
                .map(|w| format!("from:@{sender} {w}"))
                .collect(),
        ),
        ("mentions:me", words(&["mentions:me"])),
    ];
    println!();
    println!("| query | example | hits on page 1 | p50 | p99 |");
    println!("| --- | --- | --- | --- | --- |");
    for (kind, queries) in &kinds {
        let mut times = Vec::with_capacity(args.runs);
        let mut hits = 0;
        for i in 0..args.runs + 10 {
            let q = &queries[i % queries.len()];
            let started = Instant::now();
            let page = service::search(
                &db,
                viewer,
                SearchArgs {
                    query: q.clone(),
                    limit: 20,
                    after: None,
                    sort: Sort::Relevance,
                    scan_scope: args.scan_scope,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{q}: {}", e.public_message()))?;
            if i >= 10 {
                times.push(started.elapsed());
            }
            if i == 0 {
                hits = page.items.len();
            }
        }
        times.sort();
        println!(
            "| {kind} | `{}` | {hits} | {} | {} |",
            queries[0],
            ms(times[times.len() / 2]),
            ms(times[(times.len() * 99 / 100).min(times.len() - 1)])
        );
    }
    for (kind, queries) in &kinds {
        let query = parse::parse(&queries[0]).map_err(|e| anyhow::anyhow!(e.public_message()))?;
        let stmt = plan::statement(
            &db,
            viewer,
            &query,
            Plan {
                sort: Sort::Relevance,
                after: None,
                limit: 20,
                scan_scope: args.scan_scope,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.public_message()))?;
        let explain = Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {}", stmt.sql),
            stmt.values.map(|v| v.0).unwrap_or_default(),
        );
        println!("\n{kind}: `{}`\n```", queries[0]);
        for row in db.query_all_raw(explain).await? {
            let line: String = row.try_get_by_index(0)?;
            println!("{line}");
        }
        println!("```");
    }
    Ok(())
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index(0)?)
}

async fn scalar_text(db: &DatabaseConnection, sql: &str) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index(0)?)
}

/// Vocabulary of the generated messages: common words, the words the queries look for (and longer words
/// containing them), Korean, Japanese and Chinese text, emoji.
const VOCABULARY: &[&str] = &[
    "the",
    "a",
    "to",
    "and",
    "of",
    "in",
    "is",
    "it",
    "for",
    "on",
    "we",
    "this",
    "that",
    "with",
    "you",
    "be",
    "can",
    "will",
    "just",
    "now",
    "today",
    "tomorrow",
    "later",
    "please",
    "thanks",
    "ok",
    "yes",
    "no",
    "maybe",
    "meeting",
    "standup",
    "review",
    "merge",
    "branch",
    "build",
    "test",
    "tests",
    "failing",
    "green",
    "red",
    "ticket",
    "bug",
    "fix",
    "fixed",
    "issue",
    "customer",
    "design",
    "spec",
    "draft",
    "docs",
    "lunch",
    "coffee",
    "server",
    "servers",
    "database",
    "cache",
    "queue",
    "latency",
    "outage",
    "incident",
    "alert",
    "pager",
    "release",
    "released",
    "prerelease",
    "deploy",
    "deployment",
    "redeploy",
    "rollback",
    "staging",
    "production",
    "invoice",
    "invoices",
    "budget",
    "quarter",
    "roadmap",
    "planning",
    "sprint",
    "retro",
    "demo",
    "slides",
    "배포했습니다",
    "배포",
    "서버가",
    "회의는",
    "내일",
    "오늘",
    "확인했습니다",
    "감사합니다",
    "デプロイが完了しました",
    "会議",
    "明日",
    "部署完成了",
    "服务器",
    "今天",
    "🚀",
    "✅",
    "🔥",
    "👍",
    "🎉",
    "☕",
];

async fn seed(db: &DatabaseConnection, args: &Args) -> anyhow::Result<()> {
    let vocabulary = VOCABULARY
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(",");
    let (rooms, member_rooms, messages) = (args.rooms, args.member_rooms, args.messages);
    let steps = [
        format!(
            "INSERT INTO users (id, email, password_hash, nickname, notifications_enabled, created_at) \
             SELECT gen_random_uuid(), 'user' || i || '@bench.invalid', 'x', \
                    CASE WHEN i = 0 THEN 'viewer' ELSE 'user' || i END, true, now() \
             FROM generate_series(0, {USERS}) i"
        ),
        "CREATE TEMP TABLE bench_users AS \
         SELECT id, CASE WHEN nickname = 'viewer' THEN 0 ELSE substr(nickname, 5)::int END AS n FROM users"
            .to_owned(),
        format!(
            "INSERT INTO rooms (id, name, is_group, last_seq, last_activity_at, created_at) \
             SELECT gen_random_uuid(), 'room' || i, true, 0, now(), now() FROM generate_series(0, {rooms} - 1) i"
        ),
        "CREATE TEMP TABLE bench_rooms AS SELECT id, substr(name, 5)::int AS n FROM rooms".to_owned(),
        // Ten members per room; the viewer in the first `member_rooms`.
        format!(
            "INSERT INTO room_users (room_id, user_id, role, joined_at, last_read_seq, muted) \
             SELECT r.id, u.id, 'MEMBER', now(), 0, false FROM bench_rooms r \
             JOIN generate_series(0, 9) k ON true \
             JOIN bench_users u ON u.n = 1 + (r.n * 10 + k) % {USERS} \
             UNION ALL \
             SELECT r.id, v.id, 'MEMBER', now(), 0, false FROM bench_rooms r \
             JOIN bench_users v ON v.n = 0 WHERE r.n < {member_rooms}"
        ),
        "DROP INDEX IF EXISTS idx_messages_search_trgm".to_owned(),
        "DROP INDEX IF EXISTS idx_messages_search_tsv".to_owned(),
        // Message i: room i % rooms, sender one of its ten members, 3 to 14 words (`0 * g` makes the
        // aggregate belong to the subquery, so each message draws its own words); one message in 100
        // mentions the viewer.
        format!(
            "INSERT INTO messages (id, room_id, seq, sender_id, parent_id, content, inserted_at) \
             SELECT gen_random_uuid(), r.id, i / {rooms} + 1, s.id, NULL, \
                    (SELECT string_agg(w[1 + floor(random() * array_length(w, 1))::int + 0 * g], ' ') \
                     FROM generate_series(1, 3 + (i % 12)) g) \
                    || CASE WHEN i % 100 = 7 THEN ' @viewer' ELSE '' END, \
                    now() - make_interval(secs => {messages} - i) \
             FROM generate_series(0, {messages} - 1) i \
             JOIN bench_rooms r ON r.n = i % {rooms} \
             JOIN bench_users s ON s.n = 1 + ((i % {rooms}) * 10 + (i / {rooms}) % 10) % {USERS}, \
             LATERAL (SELECT ARRAY[{vocabulary}] AS w) vocab"
        ),
        "INSERT INTO mentions (message_id, mentioned_user_id) \
         SELECT m.id, v.id FROM messages m JOIN bench_users v ON v.n = 0 \
         WHERE m.content LIKE '%@viewer' \
           AND m.room_id IN (SELECT room_id FROM room_users WHERE user_id = v.id)"
            .to_owned(),
        "UPDATE rooms r SET last_seq = (SELECT coalesce(max(seq), 0) FROM messages m WHERE m.room_id = r.id)"
            .to_owned(),
        "SET maintenance_work_mem = '512MB'".to_owned(),
        "CREATE INDEX idx_messages_search_trgm ON messages USING gin (search_text gin_trgm_ops)".to_owned(),
        "CREATE INDEX idx_messages_search_tsv ON messages USING gin (search_tsv)".to_owned(),
        "VACUUM ANALYZE".to_owned(),
    ];
    for step in steps {
        let started = Instant::now();
        db.execute_unprepared(&step).await?;
        eprintln!(
            "{:>6.1} s  {}",
            started.elapsed().as_secs_f64(),
            step.chars().take(70).collect::<String>()
        );
    }
    Ok(())
}
