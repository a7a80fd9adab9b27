//! The processes under test: the api (started by the tool, on 127.0.0.1, with a fresh database) and the raw
//! WebSocket floor server. Each scenario gets a fresh process over the same storage, so CPU, RSS and peak RSS
//! belong to that scenario alone while the users seeded before stay.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use sea_orm::{ConnectionTrait, Database};

/// Where the api keeps its data.
pub struct Storage {
    /// `DATABASE_URL` for the api; None: the embedded SQLite file in the data dir.
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
    /// A unique prefix, so runs never see each other's channels or keys on a shared Redis.
    pub redis_prefix: String,
    pub data_dir: tempfile::TempDir,
    /// The fresh PostgreSQL database this run created (server URL, name), dropped at the end.
    created: Option<(String, String)>,
}

impl Storage {
    /// `postgres`: a PostgreSQL server URL (`postgres://postgres@127.0.0.1:5432`) on which a fresh database is
    /// created; or a full `sqlite://` URL; None: embedded.
    pub async fn new(postgres: Option<&str>, redis_url: Option<String>, tag: &str) -> Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let mut created = None;
        let database_url = match postgres {
            Some(server) => {
                let server = server.trim_end_matches('/').to_owned();
                let name = format!("chorus_bench_{tag}");
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .context("connecting to PostgreSQL")?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await?;
                let url = format!("{server}/{name}");
                created = Some((server, name));
                Some(url)
            }
            None => None,
        };
        Ok(Self {
            database_url,
            redis_url,
            redis_prefix: format!("bench:{tag}:"),
            data_dir,
            created,
        })
    }

    pub fn label(&self) -> &'static str {
        match (&self.database_url, &self.redis_url) {
            (Some(_), Some(_)) => "PostgreSQL + Redis",
            (Some(_), None) => "PostgreSQL, in-process bus",
            (None, Some(_)) => "SQLite + Redis",
            (None, None) => "embedded (SQLite, in-process bus)",
        }
    }

    /// A URL the tool itself can use for bench-only SQL (seeding, floors).
    pub fn sql_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rw",
                self.data_dir.path().join("chorus.db").display()
            )
        })
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.is_some()
    }

    /// Drops the database this run created.
    pub async fn cleanup(&self) -> Result<()> {
        if let Some((server, name)) = &self.created {
            let admin = Database::connect(format!("{server}/postgres")).await?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await?;
        }
        Ok(())
    }
}

/// How the api is configured for a scenario.
#[derive(Clone, Copy, PartialEq)]
pub enum Argon2 {
    /// Cheap hashing, so seeding thousands of users takes seconds.
    Cheap,
    /// The server's defaults (OWASP): what real log-ins cost.
    Default,
}

pub struct ApiServer {
    pub addr: SocketAddr,
    child: Child,
    log: PathBuf,
}

impl ApiServer {
    pub fn start(bin: &std::path::Path, storage: &Storage, argon2: Argon2) -> Result<Self> {
        let data = storage.data_dir.path();
        let log = data.join(format!("api-{}.log", uuid::Uuid::new_v4().simple()));
        let mut command = Command::new(bin);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("CHORUS_BIND", "127.0.0.1:0")
            .env("CHORUS_DATA_DIR", data)
            .env("CHORUS_STATIC_DIR", data.join("no-web-client"))
            .env(
                "JWT_SECRET",
                "chorus-bench-secret-chorus-bench-secret-0123456789",
            )
            // Tokens outlive the run: every process of the run signs with the same secret.
            .env("ACCESS_TOKEN_TTL", "12h")
            .env("CHORUS_REDIS_PREFIX", &storage.redis_prefix)
            // Every client of the tool comes from 127.0.0.1 and a few users drive most load: the
            // per-address, per-user and per-socket protections would measure the tool, not the server.
            .env("CHORUS_MAX_CONNECTIONS", "200000")
            .env("CHORUS_MAX_CONNECTIONS_PER_IP", "200000")
            .env("CHORUS_MAX_SOCKETS_PER_USER", "1000")
            .env("CHORUS_WS_MESSAGES_PER_SECOND", "0")
            .env("CHORUS_MESSAGES_PER_MINUTE", "100000000")
            .env("CHORUS_MESSAGE_BURST", "10000000")
            .env("CHORUS_LOGIN_ATTEMPTS_PER_MINUTE", "1000000")
            .env("CHORUS_LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR", "1000000")
            .env("CHORUS_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", "1000000")
            .env("CHORUS_SIGNUPS_PER_IP_PER_HOUR", "1000000")
            .env("CHORUS_ROOMS_PER_HOUR", "1000000")
            .env("CHORUS_MAX_GROUP_MEMBERS", "100000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?);
        if argon2 == Argon2::Cheap {
            command
                .env("CHORUS_ARGON2_M_COST", "256")
                .env("CHORUS_ARGON2_T_COST", "1")
                .env("CHORUS_ARGON2_P_COST", "1");
        }
        if let Some(url) = &storage.database_url {
            command.env("DATABASE_URL", url);
        }
        if let Some(url) = &storage.redis_url {
            command.env("REDIS_URL", url);
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let addr = match wait_for_listening(&mut child, "listening on http://") {
            Ok(addr) => addr,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                let tail = std::fs::read_to_string(&log).unwrap_or_default();
                bail!("{e}; api log:\n{tail}");
            }
        };
        Ok(Self { addr, child, log })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.addr)
    }

    /// Fails when the process died (a crash under load is a result to report, not to hide).
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(20).collect();
            bail!(
                "the api exited ({status}); last log lines:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        Ok(())
    }

    /// SIGTERM, then SIGKILL if it has not stopped within 10 s.
    pub fn stop(mut self) -> Result<()> {
        stop_child(&mut self.child)
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stop_child(child: &mut Child) -> Result<()> {
    let pid = Pid::from_raw(i32::try_from(child.id())?);
    let _ = kill(pid, Signal::SIGTERM);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill()?;
    child.wait()?;
    Ok(())
}

/// Reads the child's stdout until it prints `prefix` followed by its address; keeps draining it after.
fn wait_for_listening(child: &mut Child, prefix: &'static str) -> Result<SocketAddr> {
    let stdout = child.stdout.take().context("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix(prefix) {
                let _ = tx.send(addr.trim().trim_end_matches('/').to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .context("the process did not print its address within 60 s")?;
    addr.parse()
        .with_context(|| format!("bad listen address {addr}"))
}

/// The floor: this same binary's `floor-server` subcommand in its own process, so its CPU and RSS are read
/// from `/proc` exactly like the api's.
pub struct FloorServer {
    pub addr: SocketAddr,
    child: Child,
}

impl FloorServer {
    pub fn start() -> Result<Self> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("floor-server")
            .stdout(Stdio::piped())
            .spawn()
            .context("starting the floor server")?;
        let addr = wait_for_listening(&mut child, "floor listening on ws://")?;
        Ok(Self { addr, child })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/", self.addr)
    }

    pub fn stop(mut self) -> Result<()> {
        stop_child(&mut self.child)
    }
}

impl Drop for FloorServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
