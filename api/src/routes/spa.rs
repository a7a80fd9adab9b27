//! The web client at `/`: the single-page app built into the binary (see `api/build.rs`), or the files of
//! `CHORUS_STATIC_DIR` when set, with `index.html` for unknown non-API `GET`s that accept HTML, so client-side
//! routes survive a reload. Hashed assets under `/assets/` are cached for a year (`immutable`); everything
//! else is revalidated (`no-cache`, with an ETag for the built-in files). The build writes a Brotli (`.br`)
//! and a gzip (`.gz`) copy beside each text file; when the client accepts one, that copy is sent as it is
//! (`Content-Encoding`), so nothing is compressed per request.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    ACCEPT, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
    VARY,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use tower::ServiceExt;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// Paths owned by the server: never answered with the app's `index.html`.
const API_PREFIXES: [&str; 5] = ["/graphql", "/api", "/files", "/healthz", "/readyz"];

/// One file of the built client, embedded in the binary.
pub struct Asset {
    /// URL path, e.g. `/assets/index-abc123.js`.
    pub path: &'static str,
    /// Quoted content hash.
    pub etag: &'static str,
    pub bytes: &'static [u8],
}

/// The client `api/build.rs` built into this binary; empty when it could not (no npm) or was told not to.
pub static BUILT_IN: &[Asset] = include!(concat!(env!("OUT_DIR"), "/web_client.rs"));

/// Where the client's files come from.
#[derive(Clone)]
pub enum Client {
    BuiltIn(&'static [Asset]),
    Dir(PathBuf),
}

impl Client {
    /// `CHORUS_STATIC_DIR` when set, else the built-in client.
    pub fn new(static_dir: Option<PathBuf>) -> Self {
        match static_dir {
            Some(dir) => Self::Dir(dir),
            None => Self::BuiltIn(BUILT_IN),
        }
    }
}

/// The fallback service of the router (`GET`/`HEAD` only).
pub fn service(client: Client) -> MethodRouter<(), Infallible> {
    let client = Arc::new(client);
    get(move |req: Request| async move {
        match client.as_ref() {
            Client::BuiltIn(files) => serve_built_in(files, req),
            Client::Dir(dir) => serve(dir, req).await,
        }
    })
}

fn is_api(path: &str) -> bool {
    API_PREFIXES
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

fn accepts_html(req: &Request) -> bool {
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html") || v.contains("*/*"))
}

fn serve_built_in(files: &'static [Asset], req: Request) -> Response {
    let path = req.uri().path();
    if is_api(path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let find = |p: &str| files.iter().find(|f| f.path == p);
    let Some(index) = find("/index.html") else {
        return not_built(None);
    };
    let is_asset = path.starts_with("/assets/");
    let file = if path == "/" {
        index
    } else if let Some(file) = find(path) {
        file
    } else if is_asset || !accepts_html(&req) {
        return StatusCode::NOT_FOUND.into_response();
    } else {
        index
    };
    let policy = if is_asset { IMMUTABLE } else { NO_CACHE };
    let compressed = PRECOMPRESSED
        .iter()
        .filter_map(|(encoding, ext)| {
            let copy = find(&format!("{}{ext}", file.path))?;
            Some((*encoding, copy))
        })
        .collect::<Vec<_>>();
    let chosen = accepted_encoding(&req, compressed.iter().map(|(e, _)| *e))
        .and_then(|e| compressed.iter().find(|(enc, _)| *enc == e));
    let body = chosen.map_or(file, |(_, copy)| copy);
    let mut headers = vec![
        (CACHE_CONTROL, HeaderValue::from_static(policy)),
        (ETAG, HeaderValue::from_static(body.etag)),
    ];
    if !compressed.is_empty() {
        headers.push((VARY, HeaderValue::from_static("accept-encoding")));
    }
    let fresh = req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == body.etag || t.trim() == "*")
        });
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body.bytes.into_response()
    };
    let response_headers = res.headers_mut();
    response_headers.extend(headers);
    if fresh {
        return res;
    }
    response_headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(content_type(file.path)),
    );
    if let Some((encoding, _)) = chosen {
        response_headers.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    res
}

/// The compressed copies the build writes beside a file: encoding and file name suffix, best first.
const PRECOMPRESSED: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// The encoding among `offered` (best first) the client accepts most (`Accept-Encoding`, with weights).
fn accepted_encoding<'a>(req: &Request, offered: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let accept = req
        .headers()
        .get(ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())?;
    let weight = |encoding: &str| -> f32 {
        let mut any = None;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if name.eq_ignore_ascii_case(encoding) {
                return q;
            }
            if name == "*" {
                any = Some(q);
            }
        }
        any.unwrap_or(0.0)
    };
    let mut best: Option<(&str, f32)> = None;
    for encoding in offered {
        let q = weight(encoding);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((encoding, q));
        }
    }
    best.map(|(e, _)| e)
}

/// The types a Vite build produces.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("txt") => "text/plain; charset=utf-8",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

async fn serve(dir: &Path, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if is_api(&path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let index = dir.join("index.html");
    if !index.is_file() {
        return not_built(Some(dir));
    }
    let accepts_html = accepts_html(&req);
    let is_asset = path.starts_with("/assets/");

    if path != "/" && path != "/index.html" {
        let found = match ServeDir::new(dir)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip()
            .oneshot(req)
            .await
        {
            Ok(res) => res,
            Err(never) => match never {},
        };
        if found.status() != StatusCode::NOT_FOUND {
            let mut res = found.map(Body::new);
            if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
                let policy = if is_asset { IMMUTABLE } else { NO_CACHE };
                res.headers_mut()
                    .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
            }
            return res;
        }
        if is_asset || !accepts_html {
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    match tokio::fs::read(&index).await {
        Ok(bytes) => (
            [
                (CONTENT_TYPE, "text/html; charset=utf-8"),
                (CACHE_CONTROL, NO_CACHE),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::warn!(error = %err, path = %index.display(), "reading index.html");
            not_built(Some(dir))
        }
    }
}

/// What `/` shows without a web client: the binary was built without one (npm was missing, or
/// `CHORUS_SKIP_WEB_BUILD=1`), or `CHORUS_STATIC_DIR` points at a folder without `index.html`.
fn not_built(dir: Option<&Path>) -> Response {
    let why = match dir {
        Some(dir) => format!(
            "<code>CHORUS_STATIC_DIR</code> is <code>{}</code>, which has no <code>index.html</code>",
            html_escape(&dir.display().to_string())
        ),
        None => "this server was built without it (npm was missing, or <code>CHORUS_SKIP_WEB_BUILD=1</code>)"
            .to_owned(),
    };
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Chorus</title>\
         <body style=\"font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5\">\
         <h1>Chorus</h1><p>The web client is not here: {why}.</p>\
         <p>Install Node.js 20+ and npm, then build the server again (<code>cargo run -p api</code> builds \
         the client into it), or run <code>npm ci &amp;&amp; npm run build</code> in <code>frontend/</code> \
         and point <code>CHORUS_STATIC_DIR</code> at the built <code>frontend/dist</code>.</p>\
         <p>The API is up: <a href=\"/graphql\">GraphiQL</a>.</p>"
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(CACHE_CONTROL, NO_CACHE)],
        Html(body),
    )
        .into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use axum::http::Request as HttpRequest;

    use super::*;

    fn dist() -> tempfile_dir::Dir {
        let dir = tempfile_dir::Dir::new();
        std::fs::create_dir_all(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<html>app</html>").unwrap();
        std::fs::write(dir.path().join("assets/app-abc123.js"), "console.log(1)").unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        dir
    }

    /// The same files as [`dist`], as the build script embeds them.
    static BUILT: &[Asset] = &[
        Asset {
            path: "/assets/app-abc123.js",
            etag: "\"1\"",
            bytes: b"console.log(1)",
        },
        Asset {
            path: "/favicon.svg",
            etag: "\"2\"",
            bytes: b"<svg/>",
        },
        Asset {
            path: "/index.html",
            etag: "\"3\"",
            bytes: b"<html>app</html>",
        },
    ];

    async fn get_with(client: &Client, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = HttpRequest::get(path);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        service(client.clone())
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    async fn get(client: &Client, path: &str, accept: &str) -> Response {
        get_with(client, path, &[("accept", accept)]).await
    }

    fn cache(res: &Response) -> &str {
        res.headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    async fn body(res: Response) -> String {
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    async fn serves_index_assets_and_spa_fallback(client: Client) {
        let res = get(&client, "/", "text/html").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), NO_CACHE);
        assert_eq!(body(res).await, "<html>app</html>");

        let res = get(&client, "/assets/app-abc123.js", "*/*").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), IMMUTABLE);
        assert!(
            res.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("javascript")
        );

        let res = get(&client, "/favicon.svg", "image/*").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), NO_CACHE);

        let res = get(&client, "/rooms/123", "text/html,application/xhtml+xml").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), NO_CACHE);
        assert!(
            res.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert_eq!(body(res).await, "<html>app</html>");
    }

    async fn unknown_assets_api_paths_and_non_html_requests_are_not_found(client: Client) {
        for (path, accept) in [
            ("/assets/missing.js", "text/html"),
            ("/api/nothing", "text/html"),
            ("/graphql/other", "text/html"),
            ("/missing.png", "image/png"),
        ] {
            assert_eq!(
                get(&client, path, accept).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn a_static_dir_serves_index_assets_and_spa_fallback() {
        let dir = dist();
        serves_index_assets_and_spa_fallback(Client::Dir(dir.path().to_path_buf())).await;
        unknown_assets_api_paths_and_non_html_requests_are_not_found(Client::Dir(
            dir.path().to_path_buf(),
        ))
        .await;
    }

    #[tokio::test]
    async fn the_built_in_client_serves_index_assets_and_spa_fallback() {
        serves_index_assets_and_spa_fallback(Client::BuiltIn(BUILT)).await;
        unknown_assets_api_paths_and_non_html_requests_are_not_found(Client::BuiltIn(BUILT)).await;
    }

    #[tokio::test]
    async fn built_in_files_are_revalidated_by_etag() {
        let client = Client::BuiltIn(BUILT);
        let res = get(&client, "/", "text/html").await;
        let etag = res.headers()[ETAG].to_str().unwrap().to_owned();
        let res = get_with(
            &client,
            "/",
            &[("accept", "text/html"), ("if-none-match", &etag)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(cache(&res), NO_CACHE);
        let res = get_with(&client, "/", &[("if-none-match", "\"other\"")]).await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn built_in_files_are_sent_precompressed_when_accepted() {
        static COMPRESSED: &[Asset] = &[
            Asset {
                path: "/assets/app-abc123.js",
                etag: "\"1\"",
                bytes: b"console.log(1)",
            },
            Asset {
                path: "/assets/app-abc123.js.br",
                etag: "\"1br\"",
                bytes: b"brotli",
            },
            Asset {
                path: "/assets/app-abc123.js.gz",
                etag: "\"1gz\"",
                bytes: b"gzip",
            },
            Asset {
                path: "/index.html",
                etag: "\"3\"",
                bytes: b"<html>app</html>",
            },
        ];
        let client = Client::BuiltIn(COMPRESSED);
        for (accept, encoding, bytes, etag) in [
            ("gzip, deflate, br, zstd", Some("br"), "brotli", "\"1br\""),
            ("br;q=0.5, gzip", Some("gzip"), "gzip", "\"1gz\""),
            ("gzip;q=0, br;q=0", None, "console.log(1)", "\"1\""),
            ("identity", None, "console.log(1)", "\"1\""),
        ] {
            let res = get_with(
                &client,
                "/assets/app-abc123.js",
                &[("accept-encoding", accept)],
            )
            .await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(
                res.headers()
                    .get(CONTENT_ENCODING)
                    .map(|v| v.to_str().unwrap()),
                encoding,
                "{accept}"
            );
            assert_eq!(res.headers()[ETAG], etag);
            assert_eq!(res.headers()[VARY], "accept-encoding");
            assert!(
                res.headers()[CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .contains("javascript")
            );
            assert_eq!(body(res).await, bytes, "{accept}");
        }
        // Revalidation is per representation.
        let res = get_with(
            &client,
            "/assets/app-abc123.js",
            &[("accept-encoding", "br"), ("if-none-match", "\"1br\"")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    }

    #[tokio::test]
    async fn explains_how_to_get_the_client_when_there_is_none() {
        let dir = tempfile_dir::Dir::new();
        for client in [Client::Dir(dir.path().to_path_buf()), Client::BuiltIn(&[])] {
            let res = get(&client, "/", "text/html").await;
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(body(res).await.contains("npm"));
        }
    }

    /// A throw-away directory (the api crate has no tempfile dependency).
    mod tempfile_dir {
        use std::path::{Path, PathBuf};

        pub struct Dir(PathBuf);

        impl Dir {
            pub fn new() -> Self {
                let path =
                    std::env::temp_dir().join(format!("chorus-spa-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&path).unwrap();
                Self(path)
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
