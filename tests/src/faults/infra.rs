//! Throwaway infrastructure for the fault suite: a Redis server and a PostgreSQL cluster of its own on free
//! ports (so killing them never touches the machine's shared services), and real `api` processes that can be
//! killed with SIGKILL.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1 (bound and released: good enough for a test on one machine).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn wait_for_port(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// `redis-server` on a free port, keeping nothing on disk.
pub struct RedisServer {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl RedisServer {
    pub fn start() -> Self {
        let mut server = Self {
            port: free_port(),
            child: None,
            dir: tempfile::tempdir().expect("temp dir"),
        };
        server.spawn();
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("redis.log")).expect("log");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(log)
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server (apt-get install redis-server)");
        self.child = Some(child);
        assert!(
            wait_for_port(self.port, Duration::from_secs(10)),
            "redis-server did not start"
        );
    }

    /// SIGKILL: everything Redis held (subscriptions, presence) is gone.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    /// Runs a command with `redis-cli` (e.g. `CLIENT KILL TYPE pubsub`).
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A PostgreSQL cluster of the installed version in a temp dir (`initdb` + `pg_ctl`), on a free port, trust
/// auth, run as the `postgres` user when the tests run as root (initdb refuses root).
pub struct PgCluster {
    pub port: u16,
    bin: PathBuf,
    dir: tempfile::TempDir,
}

impl PgCluster {
    pub fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| {
                versions
                    .filter_map(|v| v.ok())
                    .map(|v| v.path().join("bin"))
                    .filter(|b| b.join("initdb").exists())
                    .max()
            })
            .expect("PostgreSQL server binaries under /usr/lib/postgresql/*/bin");
        let dir = tempfile::tempdir().expect("temp dir");
        let cluster = Self {
            port: free_port(),
            bin,
            dir,
        };
        if as_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(cluster.dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown of the cluster dir failed");
        }
        let status = cluster
            .command("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(cluster.data())
            .stdout(Stdio::null())
            .status()
            .expect("initdb");
        assert!(status.success(), "initdb failed");
        cluster.ctl(&["start"]);
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    fn ctl(&self, action: &[&str]) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.path().display()
        );
        let status = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.path().join("postgres.log"))
            .args(["-w", "-t", "30", "-o", &options])
            .args(action)
            .stdout(Stdio::null())
            .status()
            .expect("pg_ctl");
        assert!(status.success(), "pg_ctl {action:?} failed");
    }

    /// `pg_ctl restart -m immediate`: every connection is cut, no clean shutdown, crash recovery on start.
    pub fn restart_immediate(&self) {
        self.ctl(&["-m", "immediate", "restart"]);
    }

    pub fn stop_immediate(&self) {
        self.ctl(&["-m", "immediate", "stop"]);
    }

    pub fn start_again(&self) {
        self.ctl(&["start"]);
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The `api` binary: `CHORUS_API_BIN`, or the one next to this test binary's `deps` directory.
pub fn api_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CHORUS_API_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let api = profile_dir.join("api");
    assert!(
        api.exists(),
        "{} is missing: run `cargo build -p api` first (scripts/test does)",
        api.display()
    );
    api
}

/// A real api process.
pub struct ApiProcess {
    pub addr: SocketAddr,
    child: Child,
    log: PathBuf,
    _data: tempfile::TempDir,
}

impl ApiProcess {
    /// Starts the api with `env` (on top of cheap test settings) and waits for it to listen.
    pub fn start(env: &[(&str, String)]) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let log = data.path().join("api.log");
        let mut command = Command::new(api_binary());
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("CHORUS_BIND", "127.0.0.1:0")
            .env("CHORUS_DATA_DIR", data.path())
            .env("CHORUS_STATIC_DIR", data.path().join("no-web-client"))
            .env(
                "JWT_SECRET",
                "fault-suite-secret-fault-suite-secret-0123456789",
            )
            .env("CHORUS_ARGON2_M_COST", "256")
            .env("CHORUS_ARGON2_T_COST", "1")
            .env("CHORUS_ARGON2_P_COST", "1")
            .env("CHORUS_MESSAGES_PER_MINUTE", "10000000")
            .env("CHORUS_MESSAGE_BURST", "1000000")
            .env("CHORUS_LOGIN_ATTEMPTS_PER_MINUTE", "100000")
            // Every client of the suite is 127.0.0.1: per-address caps would measure the suite, not the api.
            .env("CHORUS_MAX_CONNECTIONS_PER_IP", "100000")
            .env("CHORUS_SIGNUPS_PER_IP_PER_HOUR", "100000")
            .env("CHORUS_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", "100000")
            .env("RUST_LOG", "warn,api=info,schema=info")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log"));
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("spawn api");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("listening on http://") {
                    let _ = tx.send(addr.trim().to_owned());
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => addr.parse().expect("listen address"),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "api did not start; its log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        Self {
            addr,
            child,
            log,
            _data: data,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no graceful shutdown, sockets cut, nothing flushed.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Resident memory in KiB, from `/proc`.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// The last lines of its log, for a failure message.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for ApiProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}
