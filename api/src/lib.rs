//! The Chorus server: configuration, start-up and the HTTP/WebSocket routes around the `schema` crate.

pub mod auth;
pub mod config;
pub mod db;
pub mod edge;
pub mod http3;
pub mod realtime;
pub mod routes;
pub mod sessions;
pub mod shed;
pub mod startup;
pub mod telemetry;
pub mod tls;

pub use config::Config;
pub use startup::{AppState, Application};

/// One rustls crypto provider (aws-lc-rs) for the whole process; call once before any TLS is used.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}
