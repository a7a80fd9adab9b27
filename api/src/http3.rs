//! The secure listener: HTTPS (HTTP/1.1 and HTTP/2, WebSockets included) over TCP with rustls, and HTTP/3
//! over QUIC (quinn + h3) on the same port. Both hand requests to the same axum router as the plain
//! listener, so every route behaves the same whatever the transport.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use bytes::{Buf, Bytes, BytesMut};
use http_body_util::BodyExt;
use quinn::crypto::rustls::QuicServerConfig;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::edge::Edge;
use crate::tls;

pub struct SecureListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    quic: quinn::Endpoint,
    addr: SocketAddr,
    max_body: usize,
}

impl SecureListener {
    /// Binds TCP and UDP on `addr` (port 0: a free port, the same for both). A QUIC connection silent for
    /// `idle_timeout` is dropped.
    pub async fn bind(
        addr: SocketAddr,
        cert: &Path,
        key: &Path,
        max_body: usize,
        idle_timeout: Duration,
    ) -> anyhow::Result<Self> {
        let tcp = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding TLS {addr}"))?;
        let addr = tcp.local_addr()?;
        let tcp_tls = tls::server_config(cert, key, &[b"h2", b"http/1.1"])?;
        let quic_tls = tls::server_config(cert, key, &[b"h3"])?;
        let quic_crypto =
            QuicServerConfig::try_from((*quic_tls).clone()).context("QUIC TLS configuration")?;
        let mut quic_config = quinn::ServerConfig::with_crypto(Arc::new(quic_crypto));
        let mut transport = quinn::TransportConfig::default();
        transport.max_idle_timeout(Some(
            quinn::IdleTimeout::try_from(idle_timeout).context("CHORUS_IDLE_TIMEOUT for QUIC")?,
        ));
        quic_config.transport_config(Arc::new(transport));
        let quic = quinn::Endpoint::server(quic_config, addr)
            .with_context(|| format!("binding QUIC {addr}"))?;
        Ok(Self {
            tcp,
            acceptor: TlsAcceptor::from(tcp_tls),
            quic,
            addr,
            max_body,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves both transports until the returned tasks are aborted; TCP connections drain when `stop` turns
    /// true. Both count against the same connection caps as the plain listener.
    pub fn spawn(
        self,
        router: Router,
        edge: Arc<Edge>,
        stop: watch::Receiver<bool>,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        let tcp = tokio::spawn(crate::edge::serve(
            self.tcp,
            router.clone(),
            edge.clone(),
            Some(self.acceptor),
            stop,
        ));
        let quic = tokio::spawn(serve_quic(self.quic, router, edge, self.max_body));
        vec![tcp, quic]
    }
}

async fn serve_quic(endpoint: quinn::Endpoint, router: Router, edge: Arc<Edge>, max_body: usize) {
    while let Some(incoming) = endpoint.accept().await {
        let peer = incoming.remote_address();
        // QUIC cannot leave a connection waiting in a backlog: over a cap it is refused.
        let Some(permit) = edge.try_slot().and_then(|slot| edge.admit(slot, peer.ip())) else {
            tracing::debug!(%peer, "QUIC connection refused: too many connections");
            incoming.refuse();
            continue;
        };
        let router = router.clone();
        let handshake_timeout = edge.settings.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let conn = match tokio::time::timeout(handshake_timeout, incoming).await {
                Ok(Ok(conn)) => conn,
                Ok(Err(err)) => return tracing::debug!(error = %err, "QUIC handshake failed"),
                Err(_) => return tracing::debug!(%peer, "QUIC handshake timed out"),
            };
            let mut h3 = match h3::server::builder()
                .build(h3_quinn::Connection::new(conn))
                .await
            {
                Ok(h3) => h3,
                Err(err) => return tracing::debug!(error = %err, "HTTP/3 connection setup failed"),
            };
            loop {
                match h3.accept().await {
                    Ok(Some(resolver)) => {
                        let router = router.clone();
                        tokio::spawn(async move {
                            if let Err(err) = handle_h3(resolver, router, max_body, peer).await {
                                tracing::debug!(error = %err, "HTTP/3 request failed");
                            }
                        });
                    }
                    Ok(None) => break,
                    Err(err) => {
                        tracing::debug!(error = %err, "HTTP/3 connection ended");
                        break;
                    }
                }
            }
        });
    }
}

/// One HTTP/3 request: read the body (bounded), run the router, stream the response body frame by frame (so
/// Server-Sent Events flow as they happen).
async fn handle_h3(
    resolver: h3::server::RequestResolver<h3_quinn::Connection, Bytes>,
    router: Router,
    max_body: usize,
    peer: SocketAddr,
) -> anyhow::Result<()> {
    let (mut request, stream) = resolver.resolve_request().await?;
    request.extensions_mut().insert(ConnectInfo(peer));
    let (mut send, mut recv) = stream.split();
    let mut body = BytesMut::new();
    while let Some(mut chunk) = recv.recv_data().await? {
        if body.len() + chunk.remaining() > max_body {
            let response = http::Response::builder()
                .status(http::StatusCode::PAYLOAD_TOO_LARGE)
                .body(())?;
            send.send_response(response).await?;
            send.finish().await?;
            return Ok(());
        }
        body.extend_from_slice(&chunk.copy_to_bytes(chunk.remaining()));
    }
    let request = request.map(|()| Body::from(body.freeze()));
    let response = router.oneshot(request).await?;
    let (parts, mut body) = response.into_parts();
    send.send_response(http::Response::from_parts(parts, ()))
        .await?;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            send.send_data(data).await?;
        }
    }
    send.finish().await?;
    Ok(())
}
