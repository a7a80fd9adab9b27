//! TLS for the secure listener: HTTP/1.1 + HTTP/2 over TCP and HTTP/3 over QUIC on the same port.
//! The certificate comes from `CHORUS_TLS_CERT` / `CHORUS_TLS_KEY` (PEM), or is a self-signed one for
//! `localhost` and `127.0.0.1`, generated once and kept in the data dir (development only: browsers warn).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Where the certificate and key are read from.
pub fn paths(
    cert: Option<&Path>,
    key: Option<&Path>,
    data_dir: &Path,
) -> anyhow::Result<(PathBuf, PathBuf)> {
    match (cert, key) {
        (Some(cert), Some(key)) => Ok((cert.to_path_buf(), key.to_path_buf())),
        (None, None) => {
            let dir = data_dir.join("tls");
            let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
            if !cert.is_file() || !key.is_file() {
                std::fs::create_dir_all(&dir)?;
                let generated = rcgen::generate_simple_self_signed(vec![
                    "localhost".to_owned(),
                    "127.0.0.1".to_owned(),
                ])
                .context("generating a self-signed certificate")?;
                std::fs::write(&cert, generated.cert.pem())?;
                write_private(&key, generated.signing_key.serialize_pem().as_bytes())?;
                tracing::warn!(cert = %cert.display(), "using a self-signed TLS certificate (development only)");
            }
            Ok((cert, key))
        }
        _ => anyhow::bail!("CHORUS_TLS_CERT and CHORUS_TLS_KEY go together"),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, bytes)?;
    Ok(())
}

/// A rustls server configuration announcing `alpn` (e.g. `h2`, `http/1.1` for TCP; `h3` for QUIC).
pub fn server_config(cert: &Path, key: &Path, alpn: &[&[u8]]) -> anyhow::Result<Arc<ServerConfig>> {
    let cert_pem = std::fs::read(cert).with_context(|| format!("reading {}", cert.display()))?;
    let key_pem = std::fs::read(key).with_context(|| format!("reading {}", key.display()))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .context("parsing the TLS certificate")?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).context("parsing the TLS key")?;
    let mut config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("TLS certificate and key do not match")?;
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    // 0-RTT is off: replayed early data would replay mutations.
    config.max_early_data_size = 0;
    Ok(Arc::new(config))
}
