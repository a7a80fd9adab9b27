//! The secure listener: the same routes over HTTPS (TCP, rustls) and HTTP/3 (QUIC), with `Alt-Svc`
//! advertising HTTP/3 on every response.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::{Buf, Bytes};
use chorus_tests::{TestApp, WAIT, spawn_app_with};
use quinn::crypto::rustls::QuicClientConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn secure_app() -> (TestApp, SocketAddr) {
    let app = spawn_app_with(|c| c.tls_bind = Some("127.0.0.1:0".parse().unwrap())).await;
    let addr = app.secure_addr.expect("secure listener");
    (app, addr)
}

/// Trusts exactly the app's self-signed certificate.
fn client_tls(app: &TestApp, alpn: &[u8]) -> rustls::ClientConfig {
    let pem = std::fs::read(app.data_dir.join("tls/cert.pem")).expect("generated certificate");
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(&pem).unwrap())
        .unwrap();
    let mut config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![alpn.to_vec()];
    config
}

/// One HTTP/3 request; returns status, headers and body.
async fn h3_request(
    app: &TestApp,
    addr: SocketAddr,
    request: http::Request<()>,
    body: Option<Vec<u8>>,
) -> (u16, http::HeaderMap, Vec<u8>) {
    let tls = client_tls(app, b"h3");
    let mut endpoint = quinn::Endpoint::client("127.0.0.1:0".parse().unwrap()).unwrap();
    endpoint.set_default_client_config(quinn::ClientConfig::new(Arc::new(
        QuicClientConfig::try_from(tls).unwrap(),
    )));
    let conn = tokio::time::timeout(WAIT, endpoint.connect(addr, "localhost").unwrap())
        .await
        .expect("timeout")
        .expect("QUIC connect");
    let (mut driver, mut send_request) = h3::client::new(h3_quinn::Connection::new(conn))
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = std::future::poll_fn(|cx| driver.poll_close(cx)).await;
    });
    let mut stream = send_request.send_request(request).await.unwrap();
    if let Some(body) = body {
        stream.send_data(Bytes::from(body)).await.unwrap();
    }
    stream.finish().await.unwrap();
    let response = tokio::time::timeout(WAIT, stream.recv_response())
        .await
        .expect("timeout")
        .unwrap();
    let mut out = Vec::new();
    while let Some(mut chunk) = tokio::time::timeout(WAIT, stream.recv_data())
        .await
        .expect("timeout")
        .unwrap()
    {
        out.extend_from_slice(&chunk.copy_to_bytes(chunk.remaining()));
    }
    (response.status().as_u16(), response.headers().clone(), out)
}

#[tokio::test]
async fn plain_http_responses_advertise_http3() {
    let (app, addr) = secure_app().await;
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        res.headers()["alt-svc"],
        format!("h3=\":{}\"; ma=86400", addr.port()).as_str()
    );
}

#[tokio::test]
async fn health_and_graphql_answer_over_http3() {
    let (app, addr) = secure_app().await;
    let get = http::Request::get(format!("https://localhost:{}/healthz", addr.port()))
        .body(())
        .unwrap();
    let (status, _, body) = h3_request(&app, addr, get, None).await;
    assert_eq!((status, body.as_slice()), (200, b"ok".as_slice()));

    let query = json!({ "query": "mutation { signUp(input: {email: \"h3@example.com\", password: \"password123\", nickname: \"quic\"}) { user { nickname } } }" });
    let post = http::Request::post(format!("https://localhost:{}/graphql", addr.port()))
        .header("content-type", "application/json")
        .body(())
        .unwrap();
    let (status, headers, body) =
        h3_request(&app, addr, post, Some(query.to_string().into_bytes())).await;
    assert_eq!(status, 200);
    assert!(headers.contains_key("alt-svc"));
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["data"]["signUp"]["user"]["nickname"], "quic");
}

#[tokio::test]
async fn https_over_tcp_serves_the_same_routes() {
    let (app, addr) = secure_app().await;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client_tls(&app, b"http/1.1")));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    tokio::time::timeout(WAIT, tls.read_to_string(&mut response))
        .await
        .expect("timeout")
        .ok();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
}
