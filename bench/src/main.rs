//! `chorus-bench`: the load tool of the real-time benchmark table (docs/benchmarks.md). It starts the api
//! binary itself on 127.0.0.1 over a fresh database, talks to it only through the public API (GraphQL over
//! HTTP and graphql-transport-ws), runs the raw WebSocket floor server in the same invocation, and prints one
//! row per measurement: the figure, the floor, their ratio, the server's CPU and RSS (from /proc) and the
//! exactly-once delivery check. `--smoke` runs every scenario at a tiny size and fails on any lost or
//! duplicated delivery; it never judges a timing.

mod docs;
mod floor;
mod gql;
mod procfs;
mod report;
mod scenarios;
mod server;
mod sql_floor;
mod stats;
mod subscribers;
mod world;
mod ws;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::report::Row;
use crate::scenarios::history::Seed;
use crate::scenarios::{Ctx, fanout, history, idle, logins, sends, web_events};
use crate::server::Storage;

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Scenario {
    Fanout,
    Sends,
    WebEvents,
    History,
    Idle,
    Logins,
}

#[derive(Parser)]
#[command(
    about = "Load scenarios against a real api process, with a raw WebSocket floor measured alongside"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// The api binary (a release build: `cargo build --release -p api`). Default: `CHORUS_API_BIN`, else
    /// `$CARGO_TARGET_DIR/release/api`, else `target/release/api`.
    #[arg(long)]
    api_bin: Option<PathBuf>,
    /// A PostgreSQL server (e.g. `postgres://postgres@127.0.0.1:5432`): the run creates a fresh database on it
    /// and drops it at the end. Without it the api uses its embedded SQLite in a temp dir.
    #[arg(long)]
    postgres: Option<String>,
    /// Redis for the api's bus and presence, under a prefix unique to the run. Without it: in-process bus.
    #[arg(long)]
    redis_url: Option<String>,
    /// Scenarios to run, in this order (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    scenarios: Vec<Scenario>,
    /// Correctness only: every scenario at a tiny size; fails on any lost or duplicated delivery.
    #[arg(long)]
    smoke: bool,

    /// Fan-out: subscribers of the room, one size per measurement.
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    fanout_sizes: Vec<usize>,
    /// Fan-out: messages timed per size (the median is the figure).
    #[arg(long, default_value_t = 5)]
    fanout_rounds: usize,

    /// Persisted sends: offered rates, msg/s.
    #[arg(long, value_delimiter = ',', default_value = "1000,2000,3000")]
    send_rates: Vec<f64>,
    /// Persisted sends: rooms of ten.
    #[arg(long, default_value_t = 100)]
    send_rooms: usize,
    /// Persisted sends: also run each rate with every member subscribed.
    #[arg(long)]
    sends_subscribed: bool,
    /// Seconds each chat measurement (sends, web client's document) lasts.
    #[arg(long, default_value_t = 10)]
    duration: u64,

    /// The web client's `events` document: offered rates, msg/s.
    #[arg(long, value_delimiter = ',', default_value = "200,500")]
    web_rates: Vec<f64>,
    /// The web client's `events` document: rooms of ten.
    #[arg(long, default_value_t = 50)]
    web_rooms: usize,

    /// History: messages in the big room.
    #[arg(long, default_value_t = 100_000)]
    history_messages: usize,
    /// History: how the big room is filled (`sql` needs --postgres).
    #[arg(long, value_enum, default_value = "api")]
    history_seed: Seed,
    /// History: concurrent readers, one measurement each.
    #[arg(long, value_delimiter = ',', default_value = "8,32,128")]
    history_concurrency: Vec<usize>,
    /// History: seconds per concurrency.
    #[arg(long, default_value_t = 10)]
    history_duration: u64,

    /// Idle memory: subscriptions held open.
    #[arg(long, default_value_t = 10_000)]
    idle_subscribers: usize,

    /// Log-ins at once.
    #[arg(long, default_value_t = 200)]
    logins: usize,
    /// Log-ins: rooms of ten chatting meanwhile, all members subscribed.
    #[arg(long, default_value_t = 5)]
    login_rooms: usize,
    /// Log-ins: the chat's rate, msg/s.
    #[arg(long, default_value_t = 50.0)]
    login_chat_rate: f64,
}

#[derive(Subcommand)]
enum Command {
    /// The raw tokio-tungstenite broadcast server (started by the tool itself as the floor).
    #[command(hide = true)]
    FloorServer,
}

impl Args {
    /// Tiny sizes for `--smoke`: enough to exercise every path, small enough for CI (well under a minute).
    fn shrink_for_smoke(&mut self) {
        self.fanout_sizes = vec![20];
        self.fanout_rounds = 2;
        self.send_rates = vec![40.0];
        self.send_rooms = 2;
        self.sends_subscribed = true;
        self.duration = 1;
        self.web_rates = vec![40.0];
        self.web_rooms = 2;
        self.history_messages = 120;
        self.history_seed = Seed::Api;
        self.history_concurrency = vec![2];
        self.history_duration = 1;
        self.idle_subscribers = 20;
        self.logins = 10;
        self.login_rooms = 1;
        self.login_chat_rate = 20.0;
    }

    fn api_bin(&self) -> PathBuf {
        if let Some(path) = &self.api_bin {
            return path.clone();
        }
        if let Some(path) = std::env::var_os("CHORUS_API_BIN") {
            return PathBuf::from(path);
        }
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from);
        target.join("release").join("api")
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.command {
        Some(Command::FloorServer) => runtime.block_on(floor::serve()),
        None => runtime.block_on(bench(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(mut args: Args) -> Result<()> {
    if args.smoke {
        args.shrink_for_smoke();
    }
    let api_bin = args.api_bin();
    if !api_bin.exists() {
        bail!(
            "{} is missing: build it (`cargo build --release -p api`) or pass --api-bin",
            api_bin.display()
        );
    }
    // Client sockets, plus the api's and the floor's (they inherit the limit).
    let sockets = args
        .fanout_sizes
        .iter()
        .chain([&args.idle_subscribers])
        .max()
        .copied()
        .unwrap_or(0);
    let limit = procfs::raise_open_files_limit(u64::try_from(sockets)? * 2 + 4096)?;
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let storage = Storage::new(args.postgres.as_deref(), args.redis_url.clone(), &tag).await?;
    println!(
        "chorus-bench: api {} on {}; {} CPUs; load average {}; open files {limit}",
        api_bin.display(),
        storage.label(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!("{}", report::HEADER);
    let mut ctx = Ctx::new(api_bin, storage, tag, args.smoke);
    let outcome = run_scenarios(&mut ctx, &args).await;
    ctx.storage
        .cleanup()
        .await
        .context("dropping the run's database")?;
    println!("load average after: {}", load_average());
    let (rows, failures) = outcome;
    println!("\n{}", report::HEADER);
    for row in &rows {
        println!("{}", row.markdown());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        bail!(
            "{} scenario(s) failed:\n{}",
            failures.len(),
            failures.join("\n")
        )
    }
}

/// Runs the chosen scenarios; a failure is recorded and the next scenario still runs (a full run is long),
/// except in smoke mode where the first failure is the answer.
async fn run_scenarios(ctx: &mut Ctx, args: &Args) -> (Vec<Row>, Vec<String>) {
    let chosen = if args.scenarios.is_empty() {
        vec![
            Scenario::Fanout,
            Scenario::Sends,
            Scenario::WebEvents,
            Scenario::History,
            Scenario::Idle,
            Scenario::Logins,
        ]
    } else {
        args.scenarios.clone()
    };
    let duration = Duration::from_secs(args.duration);
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for scenario in chosen {
        let measured: Result<Vec<Row>> = match scenario {
            Scenario::Fanout => {
                let mut out = Ok(Vec::new());
                for &n in &args.fanout_sizes {
                    match fanout::run(ctx, n, args.fanout_rounds).await {
                        Ok(row) => push(&mut out, row),
                        Err(e) => {
                            out = Err(e);
                            break;
                        }
                    }
                }
                out
            }
            Scenario::Sends => {
                let mut runs = Vec::new();
                for &rate in &args.send_rates {
                    runs.push((rate, false));
                    if args.sends_subscribed {
                        runs.push((rate, true));
                    }
                }
                let mut out = Ok(Vec::new());
                for (rate, subscribed) in runs {
                    match sends::run(ctx, rate, args.send_rooms, duration, subscribed).await {
                        Ok(row) => push(&mut out, row),
                        Err(e) => {
                            out = Err(e);
                            break;
                        }
                    }
                }
                out
            }
            Scenario::WebEvents => {
                let mut out = Ok(Vec::new());
                for &rate in &args.web_rates {
                    match web_events::run(ctx, rate, args.web_rooms, duration).await {
                        Ok(row) => push(&mut out, row),
                        Err(e) => {
                            out = Err(e);
                            break;
                        }
                    }
                }
                out
            }
            Scenario::History => history::run(
                ctx,
                args.history_messages,
                args.history_seed,
                &args.history_concurrency,
                Duration::from_secs(args.history_duration),
            )
            .await
            .inspect(|rows| rows.iter().for_each(Row::print)),
            Scenario::Idle => idle::run(ctx, args.idle_subscribers).await.map(|r| {
                r.print();
                vec![r]
            }),
            Scenario::Logins => {
                logins::run(ctx, args.logins, args.login_rooms, args.login_chat_rate)
                    .await
                    .map(|r| {
                        r.print();
                        vec![r]
                    })
            }
        };
        match measured {
            Ok(measured) => rows.extend(measured),
            Err(e) => {
                let name = scenario
                    .to_possible_value()
                    .map_or_else(String::new, |v| v.get_name().to_owned());
                eprintln!("error in {name}: {e:#}");
                failures.push(format!("{name}: {e:#}"));
                if ctx.smoke {
                    break;
                }
            }
        }
    }
    (rows, failures)
}

fn push(out: &mut Result<Vec<Row>>, row: Row) {
    row.print();
    if let Ok(rows) = out {
        rows.push(row);
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
