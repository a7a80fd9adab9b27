//! Configuration: read once in `main` from the environment (or command-line options), passed down.
//!
//! [`Config`] is the single source: each field names its environment variable (`env = …`), its default and
//! its parser, and the README's configuration table is checked against it by a test. Values are read from
//! the environment by [`parse`], which also treats empty variables as unset and trims whitespace.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;
use chorus_adapters::files::S3Settings;
use chorus_adapters::passwords::PasswordSettings;
use chorus_adapters::previews::{AllowList, PreviewSettings};
use chorus_core::attachments::service::UploadRules;
use chorus_core::documents::DocumentSettings;
use chorus_core::rate::RateSettings;
use clap::builder::{BoolishValueParser, RangedU64ValueParser};
use clap::{ArgAction, Args, Parser};
pub use secrecy::{ExposeSecret, SecretString};

use crate::edge::{EdgeSettings, TrustedProxies};

/// The server's settings. Every field is an option `--name <ENV_VAR>` that reads the environment variable
/// of that name; the command line wins over the environment.
#[derive(Clone, Debug, Parser)]
#[command(next_help_heading = "Configuration (option <ENVIRONMENT_VARIABLE>)")]
pub struct Config {
    /// HTTP listen address (port `0` picks a free one).
    #[arg(long, env = "CHORUS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// SQLite database, generated JWT key, local files and the self-signed certificate live here.
    #[arg(long, env = "CHORUS_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// `postgres://user@host/db` or `sqlite://path?mode=rwc`; unset: SQLite file `chorus.db` in the data dir.
    #[arg(long, env = "DATABASE_URL", value_parser = secret)]
    pub database_url: Option<SecretString>,
    /// Redis: event fan-out and presence across api processes; unset: in-process bus and presence.
    #[arg(long, env = "REDIS_URL", value_parser = secret)]
    pub redis_url: Option<SecretString>,
    /// Prefix of every Redis channel and key (tests use a unique one).
    #[arg(long, env = "CHORUS_REDIS_PREFIX", default_value = "chorus:")]
    pub redis_prefix: String,
    /// A connection not refreshed for this long counts as gone (a crashed process's users turn OFFLINE
    /// within it). The heartbeat runs at a third of it.
    #[arg(long, env = "CHORUS_PRESENCE_TTL", default_value = "30s", value_parser = duration)]
    pub presence_ttl: Duration,
    /// Longest wait for Redis to take a publish after a commit; the writer's answer never waits longer (the
    /// event stays in storage).
    #[arg(long, env = "CHORUS_BUS_PUBLISH_TIMEOUT", default_value = "250ms", value_parser = duration)]
    pub bus_publish_timeout: Duration,
    /// While Redis is unreachable, subscribers read storage this often.
    #[arg(long, env = "CHORUS_BUS_POLL_INTERVAL", default_value = "1s", value_parser = duration)]
    pub bus_poll_interval: Duration,
    /// Longest wait for a database connection from the pool (or a new one); past it a request fails with
    /// UNAVAILABLE instead of hanging.
    #[arg(long, env = "CHORUS_DB_TIMEOUT", default_value = "5s", value_parser = duration)]
    pub db_timeout: Duration,
    /// HS256 key of access tokens (also signs file URLs); unset: generated once and kept in the data dir.
    #[arg(long, env = "JWT_SECRET", value_parser = secret)]
    pub jwt_secret: Option<SecretString>,
    /// Access token lifetime (seconds, or e.g. `15m`).
    #[arg(long, env = "ACCESS_TOKEN_TTL", default_value = "15m", value_parser = duration)]
    pub access_token_ttl: Duration,
    /// Refresh token lifetime.
    #[arg(long, env = "REFRESH_TOKEN_TTL", default_value = "30d", value_parser = duration)]
    pub refresh_token_ttl: Duration,
    #[command(flatten)]
    pub argon2: Argon2Config,
    /// GraphQL introspection (GraphiQL and codegen need it).
    #[arg(long, env = "CHORUS_INTROSPECTION", default_value = "true", action = ArgAction::Set,
          value_parser = BoolishValueParser::new())]
    pub introspection: bool,
    /// Largest accepted request body in bytes.
    #[arg(long, env = "CHORUS_BODY_LIMIT", default_value = "1048576")]
    pub body_limit: usize,
    /// How long a WebSocket may wait before `connection_init`.
    #[arg(long, env = "CHORUS_WS_INIT_TIMEOUT", default_value = "5s", value_parser = duration)]
    pub ws_init_timeout: Duration,
    /// Interval of server pings on WebSockets.
    #[arg(long, env = "CHORUS_WS_KEEPALIVE", default_value = "15s", value_parser = duration)]
    pub ws_keepalive: Duration,
    /// Comma-separated origins allowed to open WebSockets (and CORS); unset: any may open WebSockets.
    #[arg(long, env = "CHORUS_ALLOWED_ORIGINS", value_delimiter = ',', value_parser = origin)]
    pub allowed_origins: Option<Vec<String>>,
    /// Address of the secure listener (HTTPS over TCP and HTTP/3 over UDP on the same port); unset: none.
    #[arg(long, env = "CHORUS_TLS_BIND")]
    pub tls_bind: Option<SocketAddr>,
    /// PEM certificate chain of the secure listener; unset: self-signed in the data dir.
    #[arg(long, env = "CHORUS_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// PEM key of the secure listener.
    #[arg(long, env = "CHORUS_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    #[command(flatten)]
    pub rate: RateConfig,
    /// Largest group room, the owner included.
    #[arg(long, env = "CHORUS_MAX_GROUP_MEMBERS", default_value = "1000")]
    pub max_group_members: usize,
    /// Largest upload of any kind, in bytes (images: `CHORUS_MAX_IMAGE_BYTES`, at most this). An upload is
    /// held in memory while it is checked, so the default stays modest; raise it with that in mind.
    #[arg(long, env = "CHORUS_MAX_UPLOAD_BYTES", default_value = "26214400")]
    pub max_upload_bytes: usize,
    #[command(flatten)]
    pub s3: S3Config,
    /// A rotated refresh token presented again within this gets another token of its session instead of
    /// revoking it (two tabs refreshing at once).
    #[arg(long, env = "CHORUS_REFRESH_REUSE_GRACE", default_value = "10s", value_parser = duration)]
    pub refresh_reuse_grace: Duration,
    /// How long a process trusts a "session not revoked" answer without asking the database (or Redis)
    /// again; revocations also reach every process at once over the bus.
    #[arg(long, env = "CHORUS_SESSION_CACHE_TTL", default_value = "5s", value_parser = duration)]
    pub session_cache_ttl: Duration,
    /// Lifetime of signed `/files/…` URLs.
    #[arg(long, env = "CHORUS_FILE_URL_TTL", default_value = "15m", value_parser = duration)]
    pub file_url_ttl: Duration,
    #[command(flatten)]
    pub upload_rules: UploadConfig,
    #[command(flatten)]
    pub graphql_limits: GraphqlLimits,
    #[command(flatten)]
    pub documents: DocumentConfig,
    #[command(flatten)]
    pub previews: PreviewConfig,
    /// PostgreSQL: a search whose rooms hold at most this many events reads them by room instead of
    /// through the trigram index.
    #[arg(long, env = "CHORUS_SEARCH_SCAN_MESSAGES",
          default_value_t = chorus_core::search::plan::SCAN_SCOPE)]
    pub search_scan_messages: i64,
    /// Serve the web client from this directory (a built `frontend/dist`) instead of the one built into
    /// the binary.
    #[arg(long, env = "CHORUS_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    #[command(flatten)]
    pub edge: EdgeConfig,
    /// Comma-separated IPs/CIDRs whose `X-Forwarded-For` names the client; unset: the socket's peer is the
    /// client.
    #[arg(long, env = "CHORUS_TRUSTED_PROXIES", default_value = "",
          value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,
    /// GraphQL and REST requests one process runs at once; beyond it 503 with `Retry-After` (UNAVAILABLE).
    #[arg(long, env = "CHORUS_MAX_IN_FLIGHT", default_value = "256", value_parser = positive())]
    pub max_in_flight: usize,
    /// Open WebSockets per user and process (4429 beyond).
    #[arg(long, env = "CHORUS_MAX_SOCKETS_PER_USER", default_value = "20")]
    pub max_sockets_per_user: usize,
    /// Client messages per WebSocket per second (a burst of twice as many passes); 0 = unlimited.
    #[arg(long, env = "CHORUS_WS_MESSAGES_PER_SECOND", default_value = "50")]
    pub ws_messages_per_second: u32,
    /// RATE_LIMITED answers a WebSocket may collect before it is closed with 1008.
    #[arg(long, env = "CHORUS_WS_MAX_RATE_LIMITED", default_value = "20")]
    pub ws_max_rate_limited: u32,
}

/// argon2id cost of password hashes (OWASP's by default).
#[derive(Args, Clone, Copy, Debug)]
pub struct Argon2Config {
    /// Memory cost in KiB.
    #[arg(long = "argon2-m-cost", env = "CHORUS_ARGON2_M_COST",
          default_value_t = PasswordSettings::default().memory_kib)]
    pub memory_kib: u32,
    /// Iterations.
    #[arg(long = "argon2-t-cost", env = "CHORUS_ARGON2_T_COST",
          default_value_t = PasswordSettings::default().iterations)]
    pub iterations: u32,
    /// Lanes.
    #[arg(long = "argon2-p-cost", env = "CHORUS_ARGON2_P_COST",
          default_value_t = PasswordSettings::default().parallelism)]
    pub parallelism: u32,
}

impl From<Argon2Config> for PasswordSettings {
    fn from(c: Argon2Config) -> Self {
        Self {
            memory_kib: c.memory_kib,
            iterations: c.iterations,
            parallelism: c.parallelism,
        }
    }
}

/// Rate limits of accounts and writes (then RATE_LIMITED, HTTP 429).
#[derive(Args, Clone, Copy, Debug)]
pub struct RateConfig {
    /// Log-in attempts per (e-mail address, client IP) per minute.
    #[arg(long = "login-attempts-per-minute", env = "CHORUS_LOGIN_ATTEMPTS_PER_MINUTE",
          default_value_t = RateSettings::default().login_per_minute)]
    pub login_per_minute: u32,
    /// Log-in attempts per e-mail address per hour, from any address.
    #[arg(long = "login-attempts-per-account-per-hour",
          env = "CHORUS_LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR",
          default_value_t = RateSettings::default().login_account_per_hour)]
    pub login_account_per_hour: u32,
    /// Log-in attempts per client IP per minute, whatever the account.
    #[arg(long = "login-attempts-per-ip-per-minute", env = "CHORUS_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE",
          default_value_t = RateSettings::default().login_ip_per_minute)]
    pub login_ip_per_minute: u32,
    /// Sign-ups per client IP per hour.
    #[arg(long = "signups-per-ip-per-hour", env = "CHORUS_SIGNUPS_PER_IP_PER_HOUR",
          default_value_t = RateSettings::default().signups_per_ip_per_hour)]
    pub signups_per_ip_per_hour: u32,
    /// Messages (and thread replies) per user per minute, sustained.
    #[arg(long = "messages-per-minute", env = "CHORUS_MESSAGES_PER_MINUTE",
          default_value_t = RateSettings::default().messages_per_minute)]
    pub messages_per_minute: u32,
    /// Messages a user may send at once before the sustained rate applies.
    #[arg(long = "message-burst", env = "CHORUS_MESSAGE_BURST",
          default_value_t = RateSettings::default().message_burst)]
    pub message_burst: u32,
    /// Rooms (group or new direct) a user may create per hour.
    #[arg(long = "rooms-per-hour", env = "CHORUS_ROOMS_PER_HOUR",
          default_value_t = RateSettings::default().rooms_per_hour)]
    pub rooms_per_hour: u32,
    /// `setPresence` calls per user per minute.
    #[arg(long = "presence-changes-per-minute", env = "CHORUS_PRESENCE_CHANGES_PER_MINUTE",
          default_value_t = RateSettings::default().presence_per_minute)]
    pub presence_per_minute: u32,
    /// `search` pages per user per minute.
    #[arg(long = "searches-per-minute", env = "CHORUS_SEARCHES_PER_MINUTE",
          default_value_t = RateSettings::default().searches_per_minute)]
    pub searches_per_minute: u32,
    /// GraphQL operations per API token per minute (on top of the limits of its user).
    #[arg(long = "api-token-operations-per-minute", env = "CHORUS_API_TOKEN_OPERATIONS_PER_MINUTE",
          default_value_t = RateSettings::default().api_token_operations_per_minute)]
    pub api_token_operations_per_minute: u32,
    /// Posts per incoming webhook per minute (on top of the limits of its bot).
    #[arg(long = "webhook-posts-per-minute", env = "CHORUS_WEBHOOK_POSTS_PER_MINUTE",
          default_value_t = RateSettings::default().webhook_posts_per_minute)]
    pub webhook_posts_per_minute: u32,
}

impl From<RateConfig> for RateSettings {
    fn from(c: RateConfig) -> Self {
        Self {
            login_per_minute: c.login_per_minute,
            login_account_per_hour: c.login_account_per_hour,
            login_ip_per_minute: c.login_ip_per_minute,
            signups_per_ip_per_hour: c.signups_per_ip_per_hour,
            messages_per_minute: c.messages_per_minute,
            message_burst: c.message_burst,
            rooms_per_hour: c.rooms_per_hour,
            presence_per_minute: c.presence_per_minute,
            searches_per_minute: c.searches_per_minute,
            api_token_operations_per_minute: c.api_token_operations_per_minute,
            webhook_posts_per_minute: c.webhook_posts_per_minute,
        }
    }
}

/// Uploads in S3 (or any S3-compatible server); unset bucket: files on local disk under `DATA_DIR/uploads`.
#[derive(Args, Clone, Debug)]
pub struct S3Config {
    /// Bucket of uploaded files; setting it needs the key id and secret too.
    #[arg(long = "s3-bucket", env = "S3_BUCKET",
          requires_all = ["access_key_id", "secret_access_key"])]
    pub bucket: Option<String>,
    /// Region of the bucket.
    #[arg(long = "s3-region", env = "S3_REGION", default_value = "us-east-1")]
    pub region: String,
    /// For S3-compatible servers (MinIO, s3s …); path-style addressing is used then.
    #[arg(long = "s3-endpoint", env = "S3_ENDPOINT")]
    pub endpoint: Option<String>,
    /// Access key id.
    #[arg(long = "s3-access-key-id", env = "S3_ACCESS_KEY_ID")]
    pub access_key_id: Option<String>,
    /// Secret access key.
    #[arg(long = "s3-secret-access-key", env = "S3_SECRET_ACCESS_KEY", value_parser = secret)]
    pub secret_access_key: Option<SecretString>,
}

impl S3Config {
    /// The adapter's settings when a bucket is configured.
    pub fn settings(&self) -> anyhow::Result<Option<S3Settings>> {
        let Some(bucket) = &self.bucket else {
            return Ok(None);
        };
        let (Some(access_key_id), Some(secret)) = (&self.access_key_id, &self.secret_access_key)
        else {
            bail!("S3_BUCKET is set: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required");
        };
        Ok(Some(S3Settings {
            bucket: bucket.clone(),
            region: self.region.clone(),
            endpoint: self.endpoint.clone(),
            access_key_id: access_key_id.clone(),
            secret_access_key: secret.expose_secret().to_owned(),
        }))
    }
}

/// Checks of uploads besides the overall size.
#[derive(Args, Clone, Copy, Debug)]
pub struct UploadConfig {
    /// Largest image (PNG, JPEG, GIF, WebP) in bytes.
    #[arg(long = "max-image-bytes", env = "CHORUS_MAX_IMAGE_BYTES",
          default_value_t = UploadRules::default().max_image_bytes)]
    pub max_image_bytes: u64,
    /// Largest image area (width × height), read from the header before decoding.
    #[arg(long = "max-image-pixels", env = "CHORUS_MAX_IMAGE_PIXELS",
          default_value_t = UploadRules::default().max_pixels)]
    pub max_pixels: u64,
    /// Bytes one user may upload per rolling 24 hours.
    #[arg(long = "upload-quota-bytes", env = "CHORUS_UPLOAD_QUOTA_BYTES",
          default_value_t = UploadRules::default().daily_quota_bytes)]
    pub daily_quota_bytes: u64,
}

impl From<UploadConfig> for UploadRules {
    fn from(c: UploadConfig) -> Self {
        Self {
            max_pixels: c.max_pixels,
            daily_quota_bytes: c.daily_quota_bytes,
            max_image_bytes: c.max_image_bytes,
        }
    }
}

/// Link previews of sent messages (see `chorus_adapters::previews` for the address rules).
#[derive(Args, Clone, Debug)]
pub struct PreviewConfig {
    /// Fetch a preview of the first link of sent and edited messages.
    #[arg(long = "link-previews", env = "CHORUS_LINK_PREVIEWS", default_value = "true",
          action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub enabled: bool,
    /// Comma-separated host names, IPs and CIDRs that previews may reach even though they are loopback,
    /// private, link-local or otherwise refused.
    #[arg(long = "preview-allow-hosts", env = "CHORUS_PREVIEW_ALLOW_HOSTS", default_value = "",
          value_parser = AllowList::parse)]
    pub allow_hosts: AllowList,
    /// Longest fetch of one page (connecting, redirects, body).
    #[arg(long = "preview-timeout", env = "CHORUS_PREVIEW_TIMEOUT", default_value = "3s",
          value_parser = duration)]
    pub timeout: Duration,
    /// Bytes of a page read at most (the rest is not read).
    #[arg(long = "preview-max-bytes", env = "CHORUS_PREVIEW_MAX_BYTES", default_value = "524288",
          value_parser = positive())]
    pub max_bytes: usize,
}

impl PreviewConfig {
    pub fn settings(&self) -> PreviewSettings {
        PreviewSettings {
            allow: self.allow_hosts.clone(),
            timeout: self.timeout,
            max_bytes: self.max_bytes,
        }
    }
}

/// What one GraphQL operation may cost (each must be positive).
#[derive(Args, Clone, Copy, Debug)]
pub struct GraphqlLimits {
    /// Highest complexity of one operation.
    #[arg(long = "graphql-max-complexity", env = "CHORUS_GRAPHQL_MAX_COMPLEXITY",
          default_value_t = schema::Limits::default().complexity, value_parser = positive())]
    pub complexity: usize,
    /// Most lexical tokens in one document, checked before parsing.
    #[arg(long = "graphql-max-tokens", env = "CHORUS_GRAPHQL_MAX_TOKENS",
          default_value_t = schema::Limits::default().tokens, value_parser = positive())]
    pub tokens: usize,
    /// Most aliased fields in one operation.
    #[arg(long = "graphql-max-aliases", env = "CHORUS_GRAPHQL_MAX_ALIASES",
          default_value_t = schema::Limits::default().aliases, value_parser = positive())]
    pub aliases: usize,
    /// Most root fields in one operation.
    #[arg(long = "graphql-max-root-fields", env = "CHORUS_GRAPHQL_MAX_ROOT_FIELDS",
          default_value_t = schema::Limits::default().root_fields, value_parser = positive())]
    pub root_fields: usize,
    /// Largest GraphQL response in bytes (each subscription event too).
    #[arg(long = "graphql-max-response-bytes", env = "CHORUS_GRAPHQL_MAX_RESPONSE_BYTES",
          default_value_t = schema::Limits::default().response_bytes, value_parser = positive())]
    pub response_bytes: usize,
}

impl GraphqlLimits {
    /// The schema's limits; `introspection` comes from `CHORUS_INTROSPECTION`.
    pub fn limits(&self, introspection: bool) -> schema::Limits {
        schema::Limits {
            complexity: self.complexity,
            tokens: self.tokens,
            aliases: self.aliases,
            root_fields: self.root_fields,
            response_bytes: self.response_bytes,
            introspection,
            ..schema::Limits::default()
        }
    }
}

/// Persisted documents: automatic persisted queries (APQ) and the web client's trusted documents.
#[derive(Args, Clone, Copy, Debug)]
pub struct DocumentConfig {
    /// Browser sessions (every caller but API tokens) may run only the web client's own documents.
    #[arg(long = "trusted-documents-only", env = "CHORUS_TRUSTED_DOCUMENTS_ONLY",
          default_value = "false", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub trusted_documents_only: bool,
    /// Persisted queries (APQ) one process keeps in memory at most.
    #[arg(long = "apq-cache-entries", env = "CHORUS_APQ_CACHE_ENTRIES",
          default_value_t = DocumentSettings::default().max_entries)]
    pub apq_cache_entries: usize,
    /// Bytes of persisted queries one process keeps in memory at most.
    #[arg(long = "apq-cache-bytes", env = "CHORUS_APQ_CACHE_BYTES",
          default_value_t = DocumentSettings::default().max_bytes)]
    pub apq_cache_bytes: usize,
    /// With Redis: how long a registered persisted query is kept there (from its last registration).
    #[arg(long = "apq-ttl", env = "CHORUS_APQ_TTL", default_value = "24h", value_parser = duration)]
    pub apq_ttl: Duration,
}

impl From<DocumentConfig> for DocumentSettings {
    fn from(c: DocumentConfig) -> Self {
        Self {
            max_entries: c.apq_cache_entries,
            max_bytes: c.apq_cache_bytes,
            trusted_only: c.trusted_documents_only,
        }
    }
}

/// Timeouts and caps of the listeners (see [`EdgeSettings`]).
#[derive(Args, Clone, Copy, Debug)]
pub struct EdgeConfig {
    /// A connection must finish its TLS handshake and send a complete request head within this.
    #[arg(long, env = "CHORUS_HEADER_TIMEOUT", default_value = "10s", value_parser = duration)]
    pub header_timeout: Duration,
    /// A connection with no request in progress is closed after this.
    #[arg(long, env = "CHORUS_IDLE_TIMEOUT", default_value = "75s", value_parser = duration)]
    pub idle_timeout: Duration,
    /// Open connections over all listeners.
    #[arg(long, env = "CHORUS_MAX_CONNECTIONS", default_value = "4096")]
    pub max_connections: usize,
    /// Open connections per client address (trusted proxies exempt).
    #[arg(long, env = "CHORUS_MAX_CONNECTIONS_PER_IP", default_value = "128")]
    pub max_connections_per_ip: usize,
}

impl From<EdgeConfig> for EdgeSettings {
    fn from(c: EdgeConfig) -> Self {
        Self {
            header_timeout: c.header_timeout,
            idle_timeout: c.idle_timeout,
            max_connections: c.max_connections,
            max_connections_per_ip: c.max_connections_per_ip,
        }
    }
}

impl Default for Config {
    /// Every setting at its default (no environment read).
    fn default() -> Self {
        Self::from_lookup(|_| None).expect("the defaults are a valid configuration")
    }
}

impl Config {
    /// Reads the environment (no command-line options).
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Builds the configuration from any key lookup (the environment in production, a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        parse::<Self>([OsString::from("chorus")], get)
            .map_err(|e| anyhow::anyhow!("{}", e.render()))?
            .checked()
    }

    /// Drops empty items of lists (`a,,b`, a trailing comma) and [validates](Self::validate).
    pub fn checked(mut self) -> anyhow::Result<Self> {
        if let Some(origins) = &mut self.allowed_origins {
            origins.retain(|o| !o.is_empty());
        }
        self.validate()?;
        Ok(self)
    }

    /// Rules across settings, and the ones a value parser cannot say (also checked for configurations
    /// built in code).
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.presence_ttl < Duration::from_secs(1) {
            bail!("CHORUS_PRESENCE_TTL must be at least one second");
        }
        if self.bus_publish_timeout.is_zero() || self.bus_poll_interval.is_zero() {
            bail!("CHORUS_BUS_PUBLISH_TIMEOUT and CHORUS_BUS_POLL_INTERVAL must be positive");
        }
        if self.db_timeout.is_zero() {
            bail!("CHORUS_DB_TIMEOUT must be positive");
        }
        if self.edge.header_timeout.is_zero() || self.edge.idle_timeout.is_zero() {
            bail!("CHORUS_HEADER_TIMEOUT and CHORUS_IDLE_TIMEOUT must be positive");
        }
        if self.edge.max_connections == 0 || self.edge.max_connections_per_ip == 0 {
            bail!("CHORUS_MAX_CONNECTIONS and CHORUS_MAX_CONNECTIONS_PER_IP must be positive");
        }
        // Zero would turn off pings and with them the idle check that ends half-open sockets.
        if self.ws_keepalive.is_zero() {
            bail!("CHORUS_WS_KEEPALIVE must be positive");
        }
        if self.ws_init_timeout.is_zero() {
            bail!("CHORUS_WS_INIT_TIMEOUT must be positive");
        }
        if self.file_url_ttl < Duration::from_secs(3) {
            bail!("CHORUS_FILE_URL_TTL must be at least 3 seconds");
        }
        if self.documents.apq_ttl < Duration::from_secs(1) {
            bail!("CHORUS_APQ_TTL must be at least one second");
        }
        if self.previews.timeout.is_zero() {
            bail!("CHORUS_PREVIEW_TIMEOUT must be positive");
        }
        if self.access_token_ttl.is_zero() || self.refresh_token_ttl.is_zero() {
            bail!("ACCESS_TOKEN_TTL and REFRESH_TOKEN_TTL must be positive");
        }
        self.s3.settings()?;
        Ok(())
    }

    /// The database to use: `DATABASE_URL`, or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("chorus.db").display()
            ),
        }
    }
}

/// Parses `argv` with every setting that `get` finds (by its environment variable's name) given as the
/// option it belongs to, before the real arguments so these win. Empty or blank values count as unset
/// (deployments blank a variable to unset it), values are trimmed, and nothing else of the process
/// environment is read.
pub fn parse<P: Parser>(
    argv: impl IntoIterator<Item = OsString>,
    get: impl Fn(&str) -> Option<String>,
) -> Result<P, clap::Error> {
    let mut argv = argv.into_iter();
    let mut args: Vec<OsString> = argv.next().into_iter().collect();
    let mut cmd = P::command().args_override_self(true).mut_args(|arg| {
        let Some(name) = arg.get_env().and_then(|n| n.to_str()).map(str::to_owned) else {
            return arg;
        };
        if let (Some(value), Some(long)) = (get(&name), arg.get_long()) {
            let value = value.trim();
            if !value.is_empty() {
                args.push(format!("--{long}={value}").into());
            }
        }
        // The variable's name shows in `--help` and in errors, whichever way the value came.
        arg.value_name(name).env(None::<&'static str>)
    });
    args.extend(argv);
    let matches = cmd.try_get_matches_from_mut(args)?;
    P::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))
}

/// Seconds (`900`) or a human duration (`15m`, `1h 30m`, `30d`).
fn duration(value: &str) -> Result<Duration, String> {
    if let Ok(secs) = value.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(value)
        .map_err(|e| format!("not a duration (seconds, or e.g. `15m`, `1h 30m`): {e}"))
}

fn secret(value: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(value))
}

/// An origin as browsers send it (no trailing slash).
fn origin(value: &str) -> Result<String, std::convert::Infallible> {
    Ok(value.trim().trim_end_matches('/').to_owned())
}

fn positive() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use clap::CommandFactory;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn the_command_is_well_formed() {
        Config::command().debug_assert();
    }

    #[test]
    fn defaults_need_no_environment() {
        let c = config(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.access_token_ttl, Duration::from_secs(900));
        assert!(c.database_url().starts_with("sqlite://"));
        assert!(c.introspection);
        assert_eq!(c.allowed_origins, None);
        assert!(c.trusted_proxies.is_empty());
        assert!(c.s3.settings().unwrap().is_none());
        assert_eq!(c.rate.login_per_minute, 10);
        assert_eq!(c.argon2.memory_kib, 19_456);
    }

    #[test]
    fn durations_accept_seconds_and_units() {
        let c = config(&[("ACCESS_TOKEN_TTL", "90"), ("REFRESH_TOKEN_TTL", "2d")]).unwrap();
        assert_eq!(c.access_token_ttl, Duration::from_secs(90));
        assert_eq!(c.refresh_token_ttl, Duration::from_secs(2 * 86_400));
    }

    #[test]
    fn empty_values_are_unset_and_values_are_trimmed() {
        let c = config(&[
            ("DATABASE_URL", ""),
            ("CHORUS_TLS_BIND", "  "),
            ("S3_BUCKET", ""),
            ("CHORUS_BIND", " 127.0.0.1:9 "),
        ])
        .unwrap();
        assert!(c.database_url.is_none());
        assert!(c.tls_bind.is_none());
        assert!(c.s3.bucket.is_none());
        assert_eq!(c.bind.port(), 9);
    }

    #[test]
    fn bad_values_are_reported_with_their_key() {
        let err = config(&[("CHORUS_BIND", "nowhere")]).unwrap_err();
        assert!(err.to_string().contains("CHORUS_BIND"), "{err}");
        let err = config(&[("CHORUS_INTROSPECTION", "maybe")]).unwrap_err();
        assert!(err.to_string().contains("CHORUS_INTROSPECTION"), "{err}");
        assert!(config(&[("ACCESS_TOKEN_TTL", "0")]).is_err());
        let err = config(&[("CHORUS_MAX_GROUP_MEMBERS", "many")]).unwrap_err();
        assert!(
            err.to_string().contains("CHORUS_MAX_GROUP_MEMBERS"),
            "{err}"
        );
    }

    #[test]
    fn booleans_and_lists_keep_their_formats() {
        for (value, expected) in [("off", false), ("No", false), ("0", false), ("yes", true)] {
            let c = config(&[("CHORUS_INTROSPECTION", value)]).unwrap();
            assert_eq!(c.introspection, expected, "{value}");
        }
        let c = config(&[(
            "CHORUS_ALLOWED_ORIGINS",
            "https://a.example/, http://b.example:8080,",
        )])
        .unwrap();
        assert_eq!(
            c.allowed_origins.unwrap(),
            ["https://a.example", "http://b.example:8080"]
        );
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
    fn s3_needs_its_credentials() {
        let err = config(&[("S3_BUCKET", "files")]).unwrap_err();
        assert!(err.to_string().contains("S3_SECRET_ACCESS_KEY"), "{err}");
        let c = config(&[
            ("S3_BUCKET", "files"),
            ("S3_ACCESS_KEY_ID", "id"),
            ("S3_SECRET_ACCESS_KEY", "s3cr3t-key"),
        ])
        .unwrap();
        let s3 = c.s3.settings().unwrap().unwrap();
        assert_eq!(
            (s3.bucket.as_str(), s3.region.as_str()),
            ("files", "us-east-1")
        );
        assert_eq!(s3.secret_access_key, "s3cr3t-key");
    }

    #[test]
    fn secrets_do_not_leak_through_debug() {
        let c = config(&[
            ("JWT_SECRET", "hunter2hunter2"),
            ("DATABASE_URL", "postgres://chorus:dbpass0rd@db/chorus"),
            ("REDIS_URL", "redis://:redispass0rd@cache"),
            ("S3_BUCKET", "files"),
            ("S3_ACCESS_KEY_ID", "id"),
            ("S3_SECRET_ACCESS_KEY", "s3cr3t-key"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        for secret in ["hunter2", "dbpass0rd", "redispass0rd", "s3cr3t"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn command_line_options_win_over_the_environment() {
        let c: Config = parse(
            ["chorus", "--bind", "127.0.0.1:7"].map(OsString::from),
            |k| (k == "CHORUS_BIND").then(|| "127.0.0.1:6".to_owned()),
        )
        .unwrap();
        assert_eq!(c.bind.port(), 7);
    }

    /// Every variable the configuration reads is in the README's table with its default, and the table
    /// lists nothing else.
    #[test]
    fn readme_table_matches_the_configuration() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
            .expect("README.md");
        let section = readme
            .split("\n## Configuration\n")
            .nth(1)
            .expect("a Configuration section")
            .split("\n## ")
            .next()
            .unwrap();
        let mut table: HashMap<String, String> = HashMap::new();
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells[1].trim_matches('`').to_owned();
            assert!(
                table.insert(name.clone(), cells[2].to_owned()).is_none(),
                "{name} is listed twice"
            );
        }
        let mut accepted = Vec::new();
        for arg in Config::command().get_arguments() {
            let Some(env) = arg.get_env() else { continue };
            let env = env.to_str().unwrap().to_owned();
            let default = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect::<Vec<_>>()
                .join(",");
            let cell = table.get(&env).unwrap_or_else(|| {
                panic!("{env} is missing from the README's configuration table")
            });
            if default.is_empty() {
                assert!(
                    !cell.starts_with('`'),
                    "{env} has no default, but the README shows {cell}"
                );
            } else {
                assert!(
                    cell.starts_with(&format!("`{default}`")),
                    "{env}: the default is `{default}`, the README says {cell}"
                );
            }
            accepted.push(env);
        }
        for name in table.keys() {
            assert!(
                accepted.contains(name),
                "the README lists {name}, which the configuration does not read"
            );
        }
    }
}
