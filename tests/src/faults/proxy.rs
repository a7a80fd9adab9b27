//! A small user-space TCP proxy for network faults between an api process and Redis or PostgreSQL (`tc
//! netem` is not available here): added latency, stalls (bytes stop flowing, connections stay open), resets
//! (every open connection cut with RST) and refusals of new connections.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

struct State {
    latency_ms: AtomicU64,
    refuse: AtomicBool,
    stalled: watch::Sender<bool>,
    /// Bumped to cut every open connection.
    resets: watch::Sender<u64>,
}

pub struct Proxy {
    pub port: u16,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free port and forwards to `127.0.0.1:upstream`.
    pub async fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(State {
            latency_ms: AtomicU64::new(0),
            refuse: AtomicBool::new(false),
            stalled: watch::channel(false).0,
            resets: watch::channel(0).0,
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                if shared.refuse.load(Ordering::Relaxed) {
                    let _ = client.set_zero_linger();
                    drop(client);
                    continue;
                }
                tokio::spawn(serve(client, upstream, shared.clone()));
            }
        });
        Self { port, state, task }
    }

    pub fn set_latency(&self, latency: Duration) {
        self.state
            .latency_ms
            .store(latency.as_millis() as u64, Ordering::Relaxed);
    }

    /// Bytes stop flowing both ways (connections stay open) until [`Self::resume`].
    pub fn stall(&self) {
        self.state.stalled.send_replace(true);
    }

    pub fn resume(&self) {
        self.state.stalled.send_replace(false);
    }

    /// Cuts every open connection with a reset.
    pub fn reset(&self) {
        self.state.resets.send_modify(|n| *n += 1);
    }

    /// New connections are accepted and immediately reset while `refuse` is true.
    pub fn refuse(&self, refuse: bool) {
        self.state.refuse.store(refuse, Ordering::Relaxed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.reset();
    }
}

async fn serve(client: TcpStream, upstream: u16, state: Arc<State>) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        let _ = client.set_zero_linger();
        return;
    };
    // Zero linger: when this proxy drops a connection (a reset, or either side gone) the peers get RST, as
    // they would from a failing network, instead of an orderly FIN.
    for socket in [&client, &server] {
        let _ = socket.set_nodelay(true);
        let _ = socket.set_zero_linger();
    }
    let mut resets = state.resets.subscribe();
    resets.mark_unchanged();
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let up = pump(client_read, server_write, state.clone());
    let down = pump(server_read, client_write, state.clone());
    tokio::select! {
        _ = async { tokio::join!(up, down) } => {}
        _ = resets.changed() => {}
    }
}

/// Copies one direction, honouring stalls and latency.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    state: Arc<State>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut stalled = state.stalled.subscribe();
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if stalled.wait_for(|s| !*s).await.is_err() {
            break;
        }
        let latency = state.latency_ms.load(Ordering::Relaxed);
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
