//! Configuration: read once in `main` from the environment, with embedded defaults, and passed down.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use chorus_adapters::files::S3Settings;
use chorus_adapters::passwords::PasswordSettings;
use chorus_core::attachments::service::UploadRules;
use chorus_core::rate::RateSettings;

use crate::edge::{EdgeSettings, TrustedProxies};

/// A secret that never shows up in logs or `Debug` output.
#[derive(Clone)]
pub struct Secret(pub Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `CHORUS_BIND`: address of the HTTP server (port 0 picks a free port).
    pub bind: SocketAddr,
    /// `CHORUS_DATA_DIR`: SQLite database, generated JWT secret and local uploads live here.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…` or `sqlite://…`; default: SQLite file `chorus.db` in the data dir.
    pub database_url: Option<String>,
    /// `REDIS_URL`: event bus and presence across processes; unset: in-process.
    pub redis_url: Option<String>,
    /// `CHORUS_REDIS_PREFIX`: prefix of every Redis channel and key, default `chorus:` (tests use a unique one).
    pub redis_prefix: String,
    /// `CHORUS_PRESENCE_TTL`: a connection not refreshed for this long counts as gone (a crashed process's
    /// users turn OFFLINE within it); default 30 s. The heartbeat runs at a third of it.
    pub presence_ttl: Duration,
    /// `CHORUS_BUS_PUBLISH_TIMEOUT`: longest wait for Redis to take a publish after a commit; the writer's
    /// answer never waits longer (the event stays in storage); default 250 ms.
    pub bus_publish_timeout: Duration,
    /// `CHORUS_BUS_POLL_INTERVAL`: while Redis is unreachable, subscribers read storage this often; default 1 s.
    pub bus_poll_interval: Duration,
    /// `CHORUS_DB_TIMEOUT`: longest wait for a database connection from the pool (or a new one); past it a
    /// request fails with UNAVAILABLE instead of hanging; default 5 s.
    pub db_timeout: Duration,
    /// `JWT_SECRET`: HS256 key; unset: generated once and kept in the data dir.
    pub jwt_secret: Option<Secret>,
    /// `ACCESS_TOKEN_TTL` (seconds or e.g. `15m`), default 15 minutes.
    pub access_token_ttl: Duration,
    /// `REFRESH_TOKEN_TTL` (seconds or e.g. `30d`), default 30 days.
    pub refresh_token_ttl: Duration,
    /// `CHORUS_ARGON2_M_COST` (KiB), `CHORUS_ARGON2_T_COST`, `CHORUS_ARGON2_P_COST`; default OWASP's.
    pub argon2: PasswordSettings,
    /// `CHORUS_INTROSPECTION`: GraphQL introspection (GraphiQL and codegen need it); default true.
    pub introspection: bool,
    /// `CHORUS_BODY_LIMIT`: largest accepted request body in bytes; default 1 MiB.
    pub body_limit: usize,
    /// `CHORUS_WS_INIT_TIMEOUT`: how long a WebSocket may wait before `connection_init`; default 5 s.
    pub ws_init_timeout: Duration,
    /// `CHORUS_WS_KEEPALIVE`: interval of server pings on WebSockets; default 15 s.
    pub ws_keepalive: Duration,
    /// `CHORUS_ALLOWED_ORIGINS`: comma-separated origins allowed to open WebSockets (and CORS); unset: any.
    pub allowed_origins: Option<Vec<String>>,
    /// `CHORUS_TLS_BIND`: address of the secure listener (HTTPS over TCP and HTTP/3 over UDP on the same
    /// port); unset: none.
    pub tls_bind: Option<SocketAddr>,
    /// `CHORUS_TLS_CERT` and `CHORUS_TLS_KEY`: PEM files; unset: a self-signed certificate in the data dir.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// `CHORUS_LOGIN_ATTEMPTS_PER_MINUTE` (per e-mail and client IP, default 10),
    /// `CHORUS_LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR` (200), `CHORUS_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE` (30),
    /// `CHORUS_SIGNUPS_PER_IP_PER_HOUR` (30), `CHORUS_MESSAGES_PER_MINUTE` (per user, default 600),
    /// `CHORUS_MESSAGE_BURST` (120), `CHORUS_ROOMS_PER_HOUR` (100), `CHORUS_PRESENCE_CHANGES_PER_MINUTE` (30).
    pub rate: RateSettings,
    /// `CHORUS_MAX_GROUP_MEMBERS`: largest group room, the owner included; default 1,000.
    pub max_group_members: usize,
    /// `CHORUS_MAX_UPLOAD_BYTES`: largest image upload, default 10 MiB.
    pub max_upload_bytes: usize,
    /// `S3_BUCKET` (+ `S3_REGION`, `S3_ENDPOINT`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`): store uploads in
    /// S3; unset: on local disk under `DATA_DIR/uploads`.
    pub s3: Option<S3Settings>,
    /// `CHORUS_REFRESH_REUSE_GRACE`: a rotated refresh token presented again within this gets another token of
    /// its session instead of revoking it (two tabs refreshing at once); default 10 s.
    pub refresh_reuse_grace: Duration,
    /// `CHORUS_SESSION_CACHE_TTL`: how long a process trusts a "session not revoked" answer without asking the
    /// database (or Redis) again; revocations also reach every process at once over the bus. Default 5 s.
    pub session_cache_ttl: Duration,
    /// `CHORUS_FILE_URL_TTL`: lifetime of signed `/files/…` URLs; default 15 minutes.
    pub file_url_ttl: Duration,
    /// `CHORUS_MAX_IMAGE_PIXELS` (width × height, default 50,000,000) and `CHORUS_UPLOAD_QUOTA_BYTES` (per
    /// user per rolling 24 hours, default 200 MiB).
    pub upload_rules: UploadRules,
    /// What one GraphQL operation may cost: `CHORUS_GRAPHQL_MAX_COMPLEXITY` (default 20,000),
    /// `CHORUS_GRAPHQL_MAX_TOKENS` (5,000), `CHORUS_GRAPHQL_MAX_ALIASES` (20), `CHORUS_GRAPHQL_MAX_ROOT_FIELDS`
    /// (10), `CHORUS_GRAPHQL_MAX_RESPONSE_BYTES` (8 MiB). `introspection` is taken from `CHORUS_INTROSPECTION`.
    pub graphql_limits: schema::Limits,
    /// `CHORUS_SEARCH_SCAN_MESSAGES`: on PostgreSQL, a search whose rooms hold at most this many events
    /// reads them by room instead of through the trigram index; default 150,000.
    pub search_scan_messages: i64,
    /// `CHORUS_STATIC_DIR`: the built web client served at `/`; default `frontend/dist` (see [`default_static_dir`]).
    pub static_dir: PathBuf,
    /// `CHORUS_HEADER_TIMEOUT` (10 s), `CHORUS_IDLE_TIMEOUT` (75 s), `CHORUS_MAX_CONNECTIONS` (4096),
    /// `CHORUS_MAX_CONNECTIONS_PER_IP` (128): see [`EdgeSettings`].
    pub edge: EdgeSettings,
    /// `CHORUS_TRUSTED_PROXIES`: comma-separated IPs/CIDRs whose `X-Forwarded-For` names the client; unset:
    /// the socket's peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// `CHORUS_MAX_SOCKETS_PER_USER`: open WebSockets per user and process (4429 beyond); default 20.
    pub max_sockets_per_user: usize,
    /// `CHORUS_WS_MESSAGES_PER_SECOND`: client messages per WebSocket per second (a burst of twice as many
    /// passes); default 50, 0 = unlimited.
    pub ws_messages_per_second: u32,
    /// `CHORUS_WS_MAX_RATE_LIMITED`: RATE_LIMITED answers a WebSocket may collect before it is closed with
    /// 1008; default 20.
    pub ws_max_rate_limited: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            redis_url: None,
            redis_prefix: "chorus:".to_owned(),
            presence_ttl: Duration::from_secs(30),
            bus_publish_timeout: Duration::from_millis(250),
            bus_poll_interval: Duration::from_secs(1),
            db_timeout: Duration::from_secs(5),
            jwt_secret: None,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            argon2: PasswordSettings::default(),
            introspection: true,
            body_limit: 1024 * 1024,
            ws_init_timeout: Duration::from_secs(5),
            ws_keepalive: Duration::from_secs(15),
            allowed_origins: None,
            tls_bind: None,
            tls_cert: None,
            tls_key: None,
            rate: RateSettings::default(),
            max_group_members: 1_000,
            max_upload_bytes: 10 * 1024 * 1024,
            s3: None,
            refresh_reuse_grace: Duration::from_secs(10),
            session_cache_ttl: Duration::from_secs(5),
            file_url_ttl: Duration::from_secs(15 * 60),
            upload_rules: UploadRules::default(),
            search_scan_messages: chorus_core::search::service::SCAN_SCOPE,
            static_dir: default_static_dir(),
            edge: EdgeSettings::default(),
            trusted_proxies: TrustedProxies::default(),
            max_sockets_per_user: 20,
            ws_messages_per_second: 50,
            ws_max_rate_limited: 20,
            graphql_limits: schema::Limits::default(),
        }
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Builds the configuration from any key lookup (the environment in production, a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let get = |key: &str| {
            get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut config = Config::default();
        if let Some(v) = get("CHORUS_BIND") {
            config.bind = v
                .parse()
                .with_context(|| format!("CHORUS_BIND={v:?} is not host:port"))?;
        }
        if let Some(v) = get("CHORUS_DATA_DIR") {
            config.data_dir = PathBuf::from(v);
        }
        config.database_url = get("DATABASE_URL");
        config.redis_url = get("REDIS_URL");
        if let Some(v) = get("CHORUS_REDIS_PREFIX") {
            config.redis_prefix = v;
        }
        if let Some(v) = get("CHORUS_PRESENCE_TTL") {
            config.presence_ttl = parse_duration("CHORUS_PRESENCE_TTL", &v)?;
        }
        if let Some(v) = get("CHORUS_BUS_PUBLISH_TIMEOUT") {
            config.bus_publish_timeout = parse_duration("CHORUS_BUS_PUBLISH_TIMEOUT", &v)?;
        }
        if let Some(v) = get("CHORUS_BUS_POLL_INTERVAL") {
            config.bus_poll_interval = parse_duration("CHORUS_BUS_POLL_INTERVAL", &v)?;
        }
        if let Some(v) = get("CHORUS_DB_TIMEOUT") {
            config.db_timeout = parse_duration("CHORUS_DB_TIMEOUT", &v)?;
        }
        config.jwt_secret = get("JWT_SECRET").map(|s| Secret(s.into_bytes()));
        if let Some(v) = get("ACCESS_TOKEN_TTL") {
            config.access_token_ttl = parse_duration("ACCESS_TOKEN_TTL", &v)?;
        }
        if let Some(v) = get("REFRESH_TOKEN_TTL") {
            config.refresh_token_ttl = parse_duration("REFRESH_TOKEN_TTL", &v)?;
        }
        if let Some(v) = get("CHORUS_ARGON2_M_COST") {
            config.argon2.memory_kib = parse_num("CHORUS_ARGON2_M_COST", &v)?;
        }
        if let Some(v) = get("CHORUS_ARGON2_T_COST") {
            config.argon2.iterations = parse_num("CHORUS_ARGON2_T_COST", &v)?;
        }
        if let Some(v) = get("CHORUS_ARGON2_P_COST") {
            config.argon2.parallelism = parse_num("CHORUS_ARGON2_P_COST", &v)?;
        }
        if let Some(v) = get("CHORUS_INTROSPECTION") {
            config.introspection = parse_bool("CHORUS_INTROSPECTION", &v)?;
        }
        if let Some(v) = get("CHORUS_BODY_LIMIT") {
            config.body_limit = parse_num("CHORUS_BODY_LIMIT", &v)?;
        }
        if let Some(v) = get("CHORUS_WS_INIT_TIMEOUT") {
            config.ws_init_timeout = parse_duration("CHORUS_WS_INIT_TIMEOUT", &v)?;
        }
        if let Some(v) = get("CHORUS_WS_KEEPALIVE") {
            config.ws_keepalive = parse_duration("CHORUS_WS_KEEPALIVE", &v)?;
        }
        config.allowed_origins = get("CHORUS_ALLOWED_ORIGINS").map(|v| {
            v.split(',')
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect()
        });
        if let Some(v) = get("CHORUS_TLS_BIND") {
            config.tls_bind = Some(
                v.parse()
                    .with_context(|| format!("CHORUS_TLS_BIND={v:?} is not host:port"))?,
            );
        }
        config.tls_cert = get("CHORUS_TLS_CERT").map(PathBuf::from);
        config.tls_key = get("CHORUS_TLS_KEY").map(PathBuf::from);
        if let Some(v) = get("CHORUS_LOGIN_ATTEMPTS_PER_MINUTE") {
            config.rate.login_per_minute = parse_num("CHORUS_LOGIN_ATTEMPTS_PER_MINUTE", &v)?;
        }
        if let Some(v) = get("CHORUS_LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR") {
            config.rate.login_account_per_hour =
                parse_num("CHORUS_LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR", &v)?;
        }
        if let Some(v) = get("CHORUS_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE") {
            config.rate.login_ip_per_minute =
                parse_num("CHORUS_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", &v)?;
        }
        if let Some(v) = get("CHORUS_SIGNUPS_PER_IP_PER_HOUR") {
            config.rate.signups_per_ip_per_hour = parse_num("CHORUS_SIGNUPS_PER_IP_PER_HOUR", &v)?;
        }
        if let Some(v) = get("CHORUS_ROOMS_PER_HOUR") {
            config.rate.rooms_per_hour = parse_num("CHORUS_ROOMS_PER_HOUR", &v)?;
        }
        if let Some(v) = get("CHORUS_PRESENCE_CHANGES_PER_MINUTE") {
            config.rate.presence_per_minute = parse_num("CHORUS_PRESENCE_CHANGES_PER_MINUTE", &v)?;
        }
        if let Some(v) = get("CHORUS_HEADER_TIMEOUT") {
            config.edge.header_timeout = parse_duration("CHORUS_HEADER_TIMEOUT", &v)?;
        }
        if let Some(v) = get("CHORUS_IDLE_TIMEOUT") {
            config.edge.idle_timeout = parse_duration("CHORUS_IDLE_TIMEOUT", &v)?;
        }
        if let Some(v) = get("CHORUS_MAX_CONNECTIONS") {
            config.edge.max_connections = parse_num("CHORUS_MAX_CONNECTIONS", &v)?;
        }
        if let Some(v) = get("CHORUS_MAX_CONNECTIONS_PER_IP") {
            config.edge.max_connections_per_ip = parse_num("CHORUS_MAX_CONNECTIONS_PER_IP", &v)?;
        }
        if let Some(v) = get("CHORUS_TRUSTED_PROXIES") {
            config.trusted_proxies = TrustedProxies::parse(&v).context("CHORUS_TRUSTED_PROXIES")?;
        }
        if let Some(v) = get("CHORUS_MAX_SOCKETS_PER_USER") {
            config.max_sockets_per_user = parse_num("CHORUS_MAX_SOCKETS_PER_USER", &v)?;
        }
        if let Some(v) = get("CHORUS_WS_MESSAGES_PER_SECOND") {
            config.ws_messages_per_second = parse_num("CHORUS_WS_MESSAGES_PER_SECOND", &v)?;
        }
        if let Some(v) = get("CHORUS_WS_MAX_RATE_LIMITED") {
            config.ws_max_rate_limited = parse_num("CHORUS_WS_MAX_RATE_LIMITED", &v)?;
        }
        if let Some(v) = get("CHORUS_MESSAGES_PER_MINUTE") {
            config.rate.messages_per_minute = parse_num("CHORUS_MESSAGES_PER_MINUTE", &v)?;
        }
        if let Some(v) = get("CHORUS_MESSAGE_BURST") {
            config.rate.message_burst = parse_num("CHORUS_MESSAGE_BURST", &v)?;
        }
        if let Some(v) = get("CHORUS_MAX_GROUP_MEMBERS") {
            config.max_group_members = parse_num("CHORUS_MAX_GROUP_MEMBERS", &v)?;
        }
        if let Some(v) = get("CHORUS_MAX_UPLOAD_BYTES") {
            config.max_upload_bytes = parse_num("CHORUS_MAX_UPLOAD_BYTES", &v)?;
        }
        if let Some(bucket) = get("S3_BUCKET") {
            let required = |key: &str| {
                get(key).with_context(|| format!("S3_BUCKET is set: {key} is required"))
            };
            config.s3 = Some(S3Settings {
                bucket,
                region: get("S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
                endpoint: get("S3_ENDPOINT"),
                access_key_id: required("S3_ACCESS_KEY_ID")?,
                secret_access_key: required("S3_SECRET_ACCESS_KEY")?,
            });
        }
        if let Some(v) = get("CHORUS_REFRESH_REUSE_GRACE") {
            config.refresh_reuse_grace = parse_duration("CHORUS_REFRESH_REUSE_GRACE", &v)?;
        }
        if let Some(v) = get("CHORUS_SESSION_CACHE_TTL") {
            config.session_cache_ttl = parse_duration("CHORUS_SESSION_CACHE_TTL", &v)?;
        }
        if let Some(v) = get("CHORUS_FILE_URL_TTL") {
            config.file_url_ttl = parse_duration("CHORUS_FILE_URL_TTL", &v)?;
        }
        if let Some(v) = get("CHORUS_MAX_IMAGE_PIXELS") {
            config.upload_rules.max_pixels = parse_num("CHORUS_MAX_IMAGE_PIXELS", &v)?;
        }
        if let Some(v) = get("CHORUS_UPLOAD_QUOTA_BYTES") {
            config.upload_rules.daily_quota_bytes = parse_num("CHORUS_UPLOAD_QUOTA_BYTES", &v)?;
        }
        for (key, limit) in [
            (
                "CHORUS_GRAPHQL_MAX_COMPLEXITY",
                &mut config.graphql_limits.complexity,
            ),
            (
                "CHORUS_GRAPHQL_MAX_TOKENS",
                &mut config.graphql_limits.tokens,
            ),
            (
                "CHORUS_GRAPHQL_MAX_ALIASES",
                &mut config.graphql_limits.aliases,
            ),
            (
                "CHORUS_GRAPHQL_MAX_ROOT_FIELDS",
                &mut config.graphql_limits.root_fields,
            ),
            (
                "CHORUS_GRAPHQL_MAX_RESPONSE_BYTES",
                &mut config.graphql_limits.response_bytes,
            ),
        ] {
            if let Some(v) = get(key) {
                *limit = parse_num(key, &v)?;
                if *limit == 0 {
                    bail!("{key} must be positive");
                }
            }
        }
        if let Some(v) = get("CHORUS_SEARCH_SCAN_MESSAGES") {
            config.search_scan_messages = parse_num("CHORUS_SEARCH_SCAN_MESSAGES", &v)?;
        }
        if let Some(v) = get("CHORUS_STATIC_DIR") {
            config.static_dir = PathBuf::from(v);
        }
        if config.presence_ttl < Duration::from_secs(1) {
            bail!("CHORUS_PRESENCE_TTL must be at least one second");
        }
        if config.bus_publish_timeout.is_zero() || config.bus_poll_interval.is_zero() {
            bail!("CHORUS_BUS_PUBLISH_TIMEOUT and CHORUS_BUS_POLL_INTERVAL must be positive");
        }
        if config.db_timeout.is_zero() {
            bail!("CHORUS_DB_TIMEOUT must be positive");
        }
        if config.edge.header_timeout.is_zero() || config.edge.idle_timeout.is_zero() {
            bail!("CHORUS_HEADER_TIMEOUT and CHORUS_IDLE_TIMEOUT must be positive");
        }
        if config.edge.max_connections == 0 || config.edge.max_connections_per_ip == 0 {
            bail!("CHORUS_MAX_CONNECTIONS and CHORUS_MAX_CONNECTIONS_PER_IP must be positive");
        }
        // Zero would turn off pings and with them the idle check that ends half-open sockets.
        if config.ws_keepalive.is_zero() {
            bail!("CHORUS_WS_KEEPALIVE must be positive");
        }
        if config.ws_init_timeout.is_zero() {
            bail!("CHORUS_WS_INIT_TIMEOUT must be positive");
        }
        if config.file_url_ttl < Duration::from_secs(3) {
            bail!("CHORUS_FILE_URL_TTL must be at least 3 seconds");
        }
        if config.access_token_ttl.is_zero() || config.refresh_token_ttl.is_zero() {
            bail!("token lifetimes must be positive");
        }
        Ok(config)
    }

    /// The database to use: `DATABASE_URL`, or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("chorus.db").display()
            ),
        }
    }
}

/// `frontend/dist` under the working directory when it is there (the repository root), else the one next to
/// the sources this binary was built from (`cargo run -p api` from anywhere in the workspace).
pub fn default_static_dir() -> PathBuf {
    let local = PathBuf::from("frontend/dist");
    if local.is_dir() {
        return local;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/dist"))
}

/// Seconds (`900`) or a human duration (`15m`, `1h 30m`, `30d`).
fn parse_duration(key: &str, value: &str) -> anyhow::Result<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(value).with_context(|| format!("{key}={value:?} is not a duration"))
}

fn parse_num<T: std::str::FromStr>(key: &str, value: &str) -> anyhow::Result<T> {
    value
        .parse()
        .map_err(|_| anyhow::anyhow!("{key}={value:?} is not a number"))
}

fn parse_bool(key: &str, value: &str) -> anyhow::Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{key}={value:?} is not a boolean"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_environment() {
        let c = config(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.access_token_ttl, Duration::from_secs(900));
        assert!(c.database_url().starts_with("sqlite://"));
        assert!(c.introspection);
    }

    #[test]
    fn durations_accept_seconds_and_units() {
        let c = config(&[("ACCESS_TOKEN_TTL", "90"), ("REFRESH_TOKEN_TTL", "2d")]).unwrap();
        assert_eq!(c.access_token_ttl, Duration::from_secs(90));
        assert_eq!(c.refresh_token_ttl, Duration::from_secs(2 * 86_400));
    }

    #[test]
    fn bad_values_are_reported_with_their_key() {
        let err = config(&[("CHORUS_BIND", "nowhere")]).unwrap_err();
        assert!(err.to_string().contains("CHORUS_BIND"));
        assert!(config(&[("CHORUS_INTROSPECTION", "maybe")]).is_err());
        assert!(config(&[("ACCESS_TOKEN_TTL", "0")]).is_err());
    }

    #[test]
    fn edge_settings_are_read_and_checked() {
        let c = config(&[
            ("CHORUS_HEADER_TIMEOUT", "3"),
            ("CHORUS_MAX_CONNECTIONS_PER_IP", "7"),
            ("CHORUS_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"),
            ("CHORUS_LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR", "99"),
        ])
        .unwrap();
        assert_eq!(c.edge.header_timeout, Duration::from_secs(3));
        assert_eq!(c.edge.max_connections_per_ip, 7);
        assert!(c.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
        assert_eq!(c.rate.login_account_per_hour, 99);
        let err = config(&[("CHORUS_TRUSTED_PROXIES", "proxy.local")]).unwrap_err();
        assert!(format!("{err:#}").contains("CHORUS_TRUSTED_PROXIES"));
        assert!(config(&[("CHORUS_MAX_CONNECTIONS", "0")]).is_err());
        assert!(config(&[("CHORUS_WS_KEEPALIVE", "0")]).is_err());
    }

    #[test]
    fn session_and_file_settings_have_defaults_and_overrides() {
        let c = config(&[]).unwrap();
        assert_eq!(c.refresh_reuse_grace, Duration::from_secs(10));
        assert_eq!(c.file_url_ttl, Duration::from_secs(900));
        assert_eq!(c.upload_rules.max_pixels, 50_000_000);
        let c = config(&[
            ("CHORUS_REFRESH_REUSE_GRACE", "2"),
            ("CHORUS_SESSION_CACHE_TTL", "1s"),
            ("CHORUS_FILE_URL_TTL", "5m"),
            ("CHORUS_MAX_IMAGE_PIXELS", "1000"),
            ("CHORUS_UPLOAD_QUOTA_BYTES", "4096"),
        ])
        .unwrap();
        assert_eq!(c.refresh_reuse_grace, Duration::from_secs(2));
        assert_eq!(c.session_cache_ttl, Duration::from_secs(1));
        assert_eq!(c.file_url_ttl, Duration::from_secs(300));
        assert_eq!(
            (c.upload_rules.max_pixels, c.upload_rules.daily_quota_bytes),
            (1000, 4096)
        );
        assert!(config(&[("CHORUS_FILE_URL_TTL", "1")]).is_err());
    }

    #[test]
    fn graphql_limits_are_configurable_and_positive() {
        let c = config(&[
            ("CHORUS_GRAPHQL_MAX_ALIASES", "3"),
            ("CHORUS_GRAPHQL_MAX_RESPONSE_BYTES", "1000"),
        ])
        .unwrap();
        assert_eq!(c.graphql_limits.aliases, 3);
        assert_eq!(c.graphql_limits.response_bytes, 1000);
        assert_eq!(c.graphql_limits.tokens, schema::Limits::default().tokens);
        let err = config(&[("CHORUS_GRAPHQL_MAX_TOKENS", "0")]).unwrap_err();
        assert!(err.to_string().contains("CHORUS_GRAPHQL_MAX_TOKENS"));
    }

    #[test]
    fn secrets_do_not_leak_through_debug() {
        let c = config(&[("JWT_SECRET", "hunter2hunter2")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
