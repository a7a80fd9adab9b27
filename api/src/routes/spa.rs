//! The web client: files of the built single-page app (`CHORUS_STATIC_DIR`, default `frontend/dist`) at `/`,
//! with `index.html` for unknown non-API `GET`s that accept HTML, so client-side routes survive a reload.
//! Hashed assets under `/assets/` are cached for a year (`immutable`); everything else is revalidated.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use tower::ServiceExt;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// Paths owned by the server: never answered with the app's `index.html`.
const API_PREFIXES: [&str; 5] = ["/graphql", "/api", "/files", "/healthz", "/readyz"];

/// The fallback service of the router (`GET`/`HEAD` only).
pub fn service(dir: PathBuf) -> MethodRouter<(), Infallible> {
    let dir = Arc::new(dir);
    get(move |req: Request| serve(dir, req))
}

async fn serve(dir: Arc<PathBuf>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if API_PREFIXES
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let index = dir.join("index.html");
    if !index.is_file() {
        return not_built(&dir);
    }
    let accepts_html = req
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html") || v.contains("*/*"));
    let is_asset = path.starts_with("/assets/");

    if path != "/" && path != "/index.html" {
        let found = match ServeDir::new(dir.as_path())
            .append_index_html_on_directories(false)
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
            not_built(&dir)
        }
    }
}

/// What `/` shows when the web client has not been built (e.g. npm was missing at build time).
fn not_built(dir: &Path) -> Response {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Chorus</title>\
         <body style=\"font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5\">\
         <h1>Chorus</h1><p>The web client is not built: <code>{}</code> has no <code>index.html</code>.</p>\
         <p>Install Node.js 20+ and npm, then run <code>npm ci &amp;&amp; npm run build</code> in \
         <code>frontend/</code> (or rebuild the server: <code>cargo run -p api</code> builds it), or point \
         <code>CHORUS_STATIC_DIR</code> at a built <code>dist</code> folder.</p>\
         <p>The API is up: <a href=\"/graphql\">GraphiQL</a>.</p>",
        html_escape(&dir.display().to_string())
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

    async fn get(dir: &Path, path: &str, accept: &str) -> Response {
        let req = HttpRequest::get(path)
            .header(ACCEPT, accept)
            .body(Body::empty())
            .unwrap();
        service(dir.to_path_buf()).oneshot(req).await.unwrap()
    }

    fn cache(res: &Response) -> &str {
        res.headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[tokio::test]
    async fn serves_index_assets_and_spa_fallback() {
        let dir = dist();
        let res = get(dir.path(), "/", "text/html").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), NO_CACHE);

        let res = get(dir.path(), "/assets/app-abc123.js", "*/*").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), IMMUTABLE);

        let res = get(dir.path(), "/favicon.svg", "image/*").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), NO_CACHE);

        let res = get(dir.path(), "/rooms/123", "text/html,application/xhtml+xml").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cache(&res), NO_CACHE);
        assert!(
            res.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }

    #[tokio::test]
    async fn unknown_assets_api_paths_and_non_html_requests_are_not_found() {
        let dir = dist();
        for (path, accept) in [
            ("/assets/missing.js", "text/html"),
            ("/api/nothing", "text/html"),
            ("/graphql/other", "text/html"),
            ("/missing.png", "image/png"),
        ] {
            assert_eq!(
                get(dir.path(), path, accept).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn explains_how_to_build_when_dist_is_missing() {
        let dir = tempfile_dir::Dir::new();
        let res = get(dir.path(), "/", "text/html").await;
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
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
