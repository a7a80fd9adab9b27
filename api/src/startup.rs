//! Builds the application: database, services, schema, router, listener. `main` is a shim around this, and the
//! end-to-end tests build the same thing on port 0.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::http::Request;
use axum::http::header::ALT_SVC;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chorus_adapters::files::{LocalStorage, S3Storage};
use chorus_adapters::jwt::Tokens;
use chorus_adapters::passwords::Passwords;
use chorus_adapters::previews::{HttpPreviews, HttpWebhooks};
use chorus_adapters::redis_documents::RedisDocuments;
use chorus_core::attachments::signing::FileUrls;
use chorus_core::auth::sessions::RevocationMirror;
use chorus_core::auth::sessions::{SessionSettings, Sessions};
use chorus_core::auth::token::TokenSettings;
use chorus_core::documents::{Documents, SharedDocuments};
use chorus_core::integrations::tokens::ApiTokens;
use chorus_core::previews::{self, LinkPreviews};
use chorus_core::rate::RateLimits;
use chorus_core::rate::SharedCounters;
use chorus_core::realtime::typing::TypingThrottle;
use chorus_core::rooms::service::Rules;
use schema::realtime::resolve_once::SharedEvents;
use schema::{ChorusSchema, Deps};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio_util::task::TaskTracker;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::{Config, ExposeSecret};
use crate::edge::Edge;
use crate::http3::SecureListener;
use crate::routes::ws::UserSockets;
use crate::{db, realtime, routes};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub schema: ChorusSchema,
    /// Deliveries of stored events, shared between subscribers (counters for `/metrics`).
    pub events: Arc<SharedEvents>,
    pub deps: Deps,
    pub config: Arc<Config>,
    /// Turns true when the server starts shutting down (WebSockets close with 1001).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// Open WebSockets, so shutdown can wait for their close frames.
    pub sockets: TaskTracker,
    /// Connection caps and the trusted proxies, shared by every listener.
    pub edge: Arc<Edge>,
    /// Open WebSockets per user (`CHORUS_MAX_SOCKETS_PER_USER`).
    pub user_sockets: Arc<UserSockets>,
    /// Request/response work admitted at once (`CHORUS_MAX_IN_FLIGHT`).
    pub in_flight: Arc<crate::shed::InFlight>,
    /// Event streams of graphql-sse's single connection mode.
    pub sse_streams: Arc<routes::sse::single::Streams>,
    /// Persisted queries (APQ) and the web client's trusted documents, for every transport.
    pub documents: Arc<Documents>,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    state: AppState,
    /// HTTPS + HTTP/3, when configured.
    secure: Option<SecureListener>,
    /// Tells handlers (WebSockets) that the server is stopping.
    stopping: tokio::sync::watch::Sender<bool>,
    /// Background work that lives as long as the server (presence heartbeat and sweeper).
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        config.validate()?;
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data dir {}", config.data_dir.display()))?;
        let db = db::connect(&config.database_url(), config.db_timeout).await?;
        db::migrate(&db).await?;
        Self::build_with_db(config, db).await
    }

    /// Builds on an already migrated database connection.
    pub async fn build_with_db(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        config.validate()?;
        let secret = match &config.jwt_secret {
            Some(secret) => secret.expose_secret().as_bytes().to_vec(),
            None => load_or_create_secret(&config.data_dir)?,
        };
        let file_urls = FileUrls::new(&secret, config.file_url_ttl);
        let tokens = Tokens::new(TokenSettings {
            secret,
            issuer: "chorus".into(),
            audience: "chorus".into(),
            access_ttl: chrono::Duration::from_std(config.access_token_ttl)?,
            refresh_ttl: chrono::Duration::from_std(config.refresh_token_ttl)?,
            refresh_reuse_grace: chrono::Duration::from_std(config.refresh_reuse_grace)?,
        });
        let realtime = realtime::connect(&config, &db).await?;
        let sessions = Arc::new(Sessions::new(
            db.clone(),
            realtime.bus.clone(),
            crate::sessions::redis_revocations(&config)
                .await?
                .map(|mirror| Arc::new(mirror) as Arc<dyn RevocationMirror>),
            SessionSettings {
                cache_ttl: config.session_cache_ttl,
                access_ttl: config.access_token_ttl,
            },
        ));
        let documents = Arc::new(routes::persisted::documents(
            &config,
            realtime.rate_counters.as_ref().map(|counters| {
                Arc::new(RedisDocuments::new(
                    counters.client().clone(),
                    &config.redis_prefix,
                    config.documents.apq_ttl,
                )) as Arc<dyn SharedDocuments>
            }),
        )?);
        let revocations = sessions
            .listen()
            .await
            .context("listening for session revocations")?;
        let api_tokens = Arc::new(ApiTokens::new(db.clone(), config.session_cache_ttl));
        let deps = Deps {
            db,
            tokens: Arc::new(tokens),
            passwords: Arc::new(
                Passwords::new(config.argon2.into())
                    .context("CHORUS_ARGON2_M_COST, _T_COST, _P_COST")?,
            ),
            bus: realtime.bus,
            presence: realtime.presence.clone(),
            typing: Arc::new(TypingThrottle::default()),
            storage: match config.s3.settings()? {
                Some(s3) => Arc::new(S3Storage::new(&s3)),
                None => Arc::new(LocalStorage::new(config.data_dir.join("uploads"))),
            },
            max_upload_bytes: config.max_upload_bytes,
            rate: Arc::new(RateLimits::with_shared(
                config.rate.into(),
                realtime
                    .rate_counters
                    .map(|counters| Arc::new(counters) as Arc<dyn SharedCounters>),
            )),
            room_rules: Rules {
                max_group_members: config.max_group_members,
            },
            sessions,
            file_urls: Arc::new(file_urls),
            upload_rules: config.upload_rules.into(),
            image_work: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            search_scan_messages: config.search_scan_messages,
            previews: Arc::new(if config.previews.enabled {
                let fetcher = HttpPreviews::new(config.previews.settings())
                    .context("building the link preview client")?;
                LinkPreviews::new(Arc::new(fetcher), previews::CACHE_TTL)
            } else {
                LinkPreviews::disabled()
            }),
            api_tokens,
            webhooks: Arc::new(
                HttpWebhooks::new(config.previews.allow_hosts.clone())
                    .context("building the webhook client")?,
            ),
        };
        let maintenance = realtime.presence.spawn_maintenance(config.presence_ttl / 3);
        let limits = config.graphql_limits.limits(config.introspection);
        let events = Arc::new(SharedEvents::new(deps.clone()));
        let schema = schema::build_schema(deps.clone(), limits, events.clone());
        let (stopping, shutdown) = tokio::sync::watch::channel(false);
        let state = AppState {
            schema,
            events,
            deps,
            shutdown,
            sockets: TaskTracker::new(),
            edge: Edge::new(config.edge.into(), config.trusted_proxies.clone()),
            user_sockets: Arc::default(),
            in_flight: Arc::new(crate::shed::InFlight::new(config.max_in_flight)),
            sse_streams: Arc::default(),
            documents,
            config: Arc::new(config),
        };

        let listener = TcpListener::bind(state.config.bind)
            .await
            .with_context(|| format!("binding {}", state.config.bind))?;
        let addr = listener.local_addr()?;
        // Outgoing webhooks: every process runs the worker; leases keep each delivery to one of them.
        let webhook_deliveries =
            tokio::spawn(chorus_core::integrations::outgoing::run(state.deps.clone()));
        let mut router = router(state.clone());
        let secure = match state.config.tls_bind {
            Some(tls_addr) => {
                let config = &state.config;
                let (cert, key) = crate::tls::paths(
                    config.tls_cert.as_deref(),
                    config.tls_key.as_deref(),
                    &config.data_dir,
                )?;
                let secure = SecureListener::bind(
                    tls_addr,
                    &cert,
                    &key,
                    upload_request_limit(config),
                    config.edge.idle_timeout,
                )
                .await?;
                // Tells clients (browsers) that the same origin also speaks HTTP/3.
                let alt_svc =
                    HeaderValue::from_str(&format!("h3=\":{}\"; ma=86400", secure.addr().port()))?;
                router = router.layer(SetResponseHeaderLayer::if_not_present(ALT_SVC, alt_svc));
                Some(secure)
            }
            None => None,
        };
        Ok(Self {
            listener,
            router,
            addr,
            secure,
            stopping,
            tasks: realtime
                .tasks
                .into_iter()
                .chain([maintenance, revocations, webhook_deliveries])
                .collect(),
            state,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The secure listener's address (HTTPS and HTTP/3), when `CHORUS_TLS_BIND` is set.
    pub fn secure_addr(&self) -> Option<SocketAddr> {
        self.secure.as_ref().map(SecureListener::addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT/SIGTERM, then lets in-flight requests finish (for up to 10 s).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes, then drains like [`Self::run_until_stopped`].
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let mut tasks = self.tasks;
        let edge = self.state.edge.clone();
        if let Some(secure) = self.secure {
            tasks.extend(secure.spawn(
                self.router.clone(),
                edge.clone(),
                self.state.shutdown.clone(),
            ));
        }
        let _abort_on_exit = AbortOnDrop(tasks);
        let server = crate::edge::serve(
            self.listener,
            self.router,
            edge,
            None,
            self.state.shutdown.clone(),
        );
        let stopping = self.stopping;
        let result = tokio::select! {
            () = server => Ok(()),
            () = async move {
                stop.await;
                tracing::info!("shutting down");
                let _ = stopping.send(true);
                tokio::time::sleep(Duration::from_secs(10)).await;
            } => {
                tracing::warn!("in-flight requests did not finish within 10 s");
                Ok(())
            }
        };
        // Upgraded connections are not part of the graceful shutdown: give WebSockets a moment to send their
        // 1001 close frames.
        let sockets = self.state.sockets;
        sockets.close();
        let _ = tokio::time::timeout(Duration::from_secs(4), sockets.wait()).await;
        result
    }
}

/// Cross-origin requests from `CHORUS_ALLOWED_ORIGINS` (e.g. a web client on another host). Unset: no CORS
/// headers, so browsers only allow same-origin calls (the bundled client is same-origin).
fn cors(config: &Config) -> CorsLayer {
    let Some(origins) = &config.allowed_origins else {
        return CorsLayer::new();
    };
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            AUTHORIZATION,
            CONTENT_TYPE,
            HeaderName::from_static(routes::sse::single::TOKEN_HEADER),
        ])
        .max_age(Duration::from_secs(3600))
}

/// Largest request that may carry an upload: the file plus room for the multipart envelope.
pub fn upload_request_limit(config: &Config) -> usize {
    config.max_upload_bytes + 64 * 1024
}

/// Stops background tasks when the server stops (or its future is dropped).
struct AbortOnDrop(Vec<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    let shed = axum::middleware::from_fn_with_state(state.clone(), crate::shed::admit);
    Router::new()
        .route(
            "/graphql",
            get(routes::graphql::get)
                .post(routes::graphql::execute)
                .layer(shed.clone()),
        )
        .route("/graphql/ws", get(routes::ws::upgrade))
        .route("/graphql/assets/{file}", get(routes::graphql::graphiql_asset))
        .route(
            "/graphql/sse",
            get(routes::sse::get)
                .post(routes::sse::post)
                .put(routes::sse::reserve)
                .delete(routes::sse::stop),
        )
        .route("/graphql/stream", post(routes::sse::post))
        .route("/files/{*key}", get(routes::files::download))
        .route(
            "/hooks/{id}/{secret}",
            post(routes::hooks::post)
                .layer(DefaultBodyLimit::max(routes::hooks::BODY_LIMIT))
                .layer(shed.clone()),
        )
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/metrics", get(routes::health::metrics))
        .nest(
            "/api",
            routes::rest::router(upload_request_limit(&state.config)).route_layer(shed),
        )
        .fallback_service(routes::spa::service(routes::spa::Client::new(
            state.config.static_dir.clone(),
        )))
        // gzip, Brotli or zstd, as the client prefers, for JSON, HTML and scripts; not for event streams
        // (they must reach the client as each event is written), images, or files sent already compressed
        // (the web client's assets, see `spa`). Level 4: most of the gain for little CPU per response.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // JSON bodies are capped at `body_limit` (axum extractors and the GraphQL handler); uploads at the
        // upload limit. The outer layer is the hard cap for everything.
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(
            body_limit.max(upload_request_limit(&state.config)),
        ))
        .layer(cors(&state.config))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The JWT key when `JWT_SECRET` is unset: generated on first start, kept in the data dir (mode 0600) so
/// tokens survive restarts.
fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let bytes = STANDARD
            .decode(existing.trim())
            .context("jwt_secret in the data dir is corrupt")?;
        if bytes.len() >= 32 {
            return Ok(bytes);
        }
    }
    let mut bytes = vec![0u8; 64];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::write_all(&mut file, STANDARD.encode(&bytes).as_bytes())?;
    Ok(bytes)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}
