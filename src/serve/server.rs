//! The HTTP side: the output folder through tower-http's `ServeDir`, behind a guard that keeps
//! every request inside that folder, plus the reload channel and its script. HTML responses get
//! the live-reload script injected on the way out; files on disk are never changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

use super::overlay;
use super::reload::Channel;

/// What the handlers share.
pub struct Site {
    pub output: PathBuf,
    /// The site's base path (`/` or `/docs/`): pages link to it, so the site is served under it.
    /// Follows sitrep.yaml: each successful build may change it.
    pub base_path: RwLock<String>,
    pub channel: Channel,
}

pub fn router(site: Arc<Site>) -> Router {
    Router::new()
        .route("/__sitrep/live.js", get(live_js))
        .route("/__sitrep/events", get(events))
        .fallback(serve_site)
        .with_state(site)
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        overlay::live_js(),
    )
}

async fn events(State(site): State<Arc<Site>>) -> impl IntoResponse {
    site.channel.sse()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The path below the output folder that a request path names, or `None` when it is outside the
/// base path or could leave the folder: `..` or `.` segments (encoded or not), backslashes, NUL,
/// empty segments (`//etc/passwd`) — rejected outright rather than normalised, since no link of
/// the site contains them.
pub fn relative_path(raw_path: &str, base_path: &str) -> Option<PathBuf> {
    let rest = raw_path.strip_prefix(base_path)?;
    let decoded = percent_decode(rest)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    let mut rel = PathBuf::new();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "" if i == last => {}
            "" | "." | ".." => return None,
            s => rel.push(s),
        }
    }
    Some(rel)
}

/// Whether `rel` resolves (following symlinks) to something inside `output`; a path that does
/// not exist is inside (it will be a 404).
fn stays_inside(output: &Path, rel: &Path) -> bool {
    let Ok(root) = output.canonicalize() else {
        return true;
    };
    match output.join(rel).canonicalize() {
        Ok(real) => real.starts_with(&root),
        Err(_) => true,
    }
}

async fn serve_site(State(site): State<Arc<Site>>, mut req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let raw = req.uri().path().to_string();
    let base_path = site
        .base_path
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if base_path != "/" && (raw == "/" || raw == base_path.trim_end_matches('/')) {
        return Redirect::temporary(&base_path).into_response();
    }
    let Some(rel) = relative_path(&raw, &base_path) else {
        return not_found();
    };
    if !stays_inside(&site.output, &rel) {
        return not_found();
    }
    if !raw.ends_with('/') && site.output.join(&rel).is_dir() {
        return Redirect::permanent(&format!("{raw}/")).into_response();
    }
    // ServeDir sees the path below the base path; it decodes it again itself.
    let below = &raw[base_path.len() - 1..];
    let Ok(uri) = Uri::builder().path_and_query(below).build() else {
        return not_found();
    };
    *req.uri_mut() = uri;
    // Always answer in full: a cached page would carry a stale reload script state.
    for h in [
        header::RANGE,
        header::IF_RANGE,
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
    ] {
        req.headers_mut().remove(h);
    }
    let head = req.method() == Method::HEAD;
    let mut dir = ServeDir::new(&site.output)
        .append_index_html_on_directories(true)
        .redirect_to_trailing_slash(false)
        .not_found_service(ServeFile::new(site.output.join("404.html")));
    let response = match dir.try_call(req).await {
        Ok(r) => r.map(Body::new),
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response();
        }
    };
    if head {
        return response;
    }
    let error = site.channel.current().error;
    with_live_script(response, error.as_deref()).await
}

async fn with_live_script(response: Response, error: Option<&str>) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.remove(header::ETAG);
    if !is_html {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not read the page\n",
        )
            .into_response();
    };
    let html = overlay::inject(&String::from_utf8_lossy(&bytes), error);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_below_the_base_path_only() {
        assert_eq!(relative_path("/", "/"), Some(PathBuf::new()));
        assert_eq!(
            relative_path("/teams/identity/", "/"),
            Some(PathBuf::from("teams/identity"))
        );
        assert_eq!(
            relative_path("/docs/a%20b/x.css", "/docs/"),
            Some(PathBuf::from("a b/x.css"))
        );
        assert_eq!(relative_path("/other/", "/docs/"), None);
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cetc/passwd",
            "/a\\..\\b",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/./index.html",
            "/x%00.html",
            "/%zz",
            "/%c0%ae%c0%ae/etc/passwd",
        ] {
            assert_eq!(relative_path(bad, "/"), None, "{bad}");
        }
    }
}
