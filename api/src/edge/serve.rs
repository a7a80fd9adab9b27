//! The accept loop and one HTTP connection (HTTP/1.1 or HTTP/2, plain or TLS), with the caps and timeouts
//! `axum::serve` does not have. Each request carries the peer address (`ConnectInfo`), upgrades (WebSockets)
//! work, and a stop signal drains connections gracefully.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use super::{ConnPermit, Edge, EdgeSettings};

/// How long a draining connection (server stopping, or idle HTTP/2 after GOAWAY) may take to finish.
const DRAIN_LIMIT: Duration = Duration::from_secs(10);

/// Accepts on `listener` until `stop` turns true, then waits for the open connections to drain. With `tls`,
/// every connection is a TLS one, and its handshake must finish within the header timeout.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    edge: Arc<Edge>,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    let connections = TaskTracker::new();
    loop {
        // At the global cap, stop accepting: new connections wait in the kernel's backlog (costing us no
        // descriptor) until a slot frees, which the header and idle timeouts guarantee.
        let slot = tokio::select! {
            slot = edge.slot() => slot,
            () = stopping(&mut stop) => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    if !is_connection_error(&err) {
                        // Out of descriptors and the like: retrying at once would spin.
                        tracing::error!(error = %err, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            () = stopping(&mut stop) => break,
        };
        let Some(permit) = edge.admit(slot, peer.ip()) else {
            tracing::debug!(%peer, "connection refused: too many from this address");
            continue;
        };
        let io = Counted {
            inner: stream,
            _permit: permit,
        };
        let (router, edge, tls, stop) = (router.clone(), edge.clone(), tls.clone(), stop.clone());
        connections.spawn(async move {
            let accepted = Instant::now();
            let Some(acceptor) = tls else {
                return serve_connection(io, peer, accepted, router, &edge.settings, stop).await;
            };
            match tokio::time::timeout(edge.settings.header_timeout, acceptor.accept(io)).await {
                Ok(Ok(tls)) => {
                    serve_connection(tls, peer, accepted, router, &edge.settings, stop).await;
                }
                Ok(Err(err)) => tracing::debug!(%peer, error = %err, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        });
    }
    drop(listener);
    connections.close();
    connections.wait().await;
}

/// Serves one connection until the client ends it, it breaks, it stays silent past the header timeout, idle
/// past the idle timeout, or the server stops. `accepted`: when the TCP connection was accepted.
pub async fn serve_connection<I>(
    io: I,
    peer: SocketAddr,
    accepted: Instant,
    router: Router,
    settings: &EdgeSettings,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Arc::new(Activity::new(accepted));
    let service = {
        let activity = activity.clone();
        tower::service_fn(move |mut request: http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let guard = Activity::begin(&activity);
            let router = router.clone();
            async move {
                let response = router.oneshot(request.map(Body::new)).await?;
                Ok::<_, Infallible>(response.map(|inner| {
                    Body::new(Tracked {
                        inner,
                        _guard: guard,
                    })
                }))
            }
        })
    };
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // Also bounds the wait for each later request head on a kept-alive HTTP/1 connection (slowloris).
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout);
    builder.http2().timer(TokioTimer::new());
    let connection =
        builder.serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(service));
    tokio::pin!(connection);

    let every = (settings.header_timeout.min(settings.idle_timeout) / 4)
        .clamp(Duration::from_millis(10), Duration::from_secs(1));
    let mut checks = tokio::time::interval(every);
    let mut draining: Option<Instant> = None;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%peer, error = %err, "connection ended with an error");
                }
                return;
            }
            _ = checks.tick() => {
                if let Some(since) = draining {
                    // A connection that never sent a request has nothing to finish: hyper would wait for its
                    // first bytes before it could shut it down.
                    if since.elapsed() >= DRAIN_LIMIT || activity.never_asked() {
                        return;
                    }
                    continue;
                }
                match activity.verdict(settings) {
                    Verdict::Silent => {
                        // Nothing was ever asked: nothing to finish either.
                        tracing::debug!(%peer, "closing a connection that sent no request in time");
                        return;
                    }
                    Verdict::Idle => {
                        connection.as_mut().graceful_shutdown();
                        draining = Some(Instant::now());
                    }
                    Verdict::Busy => {}
                }
            }
            () = stopping(&mut stop), if draining.is_none() => {
                if activity.never_asked() {
                    return;
                }
                connection.as_mut().graceful_shutdown();
                draining = Some(Instant::now());
            }
        }
    }
}

/// Resolves once `stop` is true (never if its sender is gone without saying so).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stopping| *stopping).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Errors about one connection that leave the listener fine.
fn is_connection_error(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// What a connection is doing, for its watchdog.
struct Activity {
    accepted: Instant,
    state: Mutex<ActivityState>,
}

struct ActivityState {
    requests: u64,
    in_flight: usize,
    idle_since: Instant,
}

enum Verdict {
    /// No request head arrived within the header timeout.
    Silent,
    /// No request in progress for the idle timeout.
    Idle,
    Busy,
}

impl Activity {
    fn new(accepted: Instant) -> Self {
        Self {
            accepted,
            state: Mutex::new(ActivityState {
                requests: 0,
                in_flight: 0,
                idle_since: accepted,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ActivityState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A request arrived; it is in progress until its response body is dropped (sent or abandoned).
    fn begin(this: &Arc<Self>) -> RequestGuard {
        let mut state = this.lock();
        state.requests += 1;
        state.in_flight += 1;
        RequestGuard(this.clone())
    }

    fn never_asked(&self) -> bool {
        self.lock().requests == 0
    }

    fn verdict(&self, settings: &EdgeSettings) -> Verdict {
        let state = self.lock();
        if state.requests == 0 {
            if self.accepted.elapsed() >= settings.header_timeout {
                return Verdict::Silent;
            }
            return Verdict::Busy;
        }
        if state.in_flight == 0 && state.idle_since.elapsed() >= settings.idle_timeout {
            return Verdict::Idle;
        }
        Verdict::Busy
    }
}

struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if state.in_flight == 0 {
            state.idle_since = Instant::now();
        }
    }
}

/// A response body that keeps its request counted as in progress (a streaming response such as SSE is not
/// idle) until it is done.
struct Tracked {
    inner: Body,
    _guard: RequestGuard,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A connection's I/O holding its [`ConnPermit`], so the slot is freed when the socket closes, also after an
/// upgrade hands it to a WebSocket.
pub struct Counted<S> {
    inner: S,
    _permit: ConnPermit,
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
