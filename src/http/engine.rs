//! The one module that names the HTTP engine (hyper 1, DESIGN.md): a hyper
//! request is read in full into a [`Req`] under size caps and deadlines, and
//! a [`Resp`] becomes a hyper response whose file parts are streamed. The
//! URL is percent-decoded once, here (through `request.rs`); nothing above
//! `http` knows which engine runs.
//!
//! Runs on the I/O side (tokio): nothing here touches SQLite. Uploaded
//! files are written to their temporary files with plain blocking writes
//! (64 KiB at a time into the page cache, tens of microseconds each), which
//! keeps one code path for the spooling and its hashing.

use super::multipart;
use super::request::{self, Head};
use super::response::{Body, BodyReader};
use super::{Method, Req, Resp};
use crate::error::{Error, Result};
use bytes::Bytes;
use http_body_util::BodyExt;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a request may send and how fast, for [`read`].
#[derive(Debug, Clone)]
pub struct ReadLimits {
    /// `application/x-www-form-urlencoded` bodies, and the text fields of a
    /// multipart body together, in bytes (`max_form_bytes`).
    pub max_form: u64,
    /// A whole `multipart/form-data` body, files included, in bytes
    /// (`max_upload_bytes`).
    pub max_upload: u64,
    /// Where uploaded files are spooled: `DATA/media/tmp`, on the same file
    /// system as the media store so a stored file is renamed, not copied.
    pub upload_dir: PathBuf,
    /// Peers whose proxy headers are believed (R16.1, [`super::client_addr`]).
    pub trusted_proxies: Vec<IpAddr>,
    /// Uploads without a session (complaint evidence, R14.1; issue 15).
    pub anonymous: AnonymousUploads,
    /// Longest wait for the next piece of a body; past it the answer is 408.
    pub body_idle: Duration,
    /// After [`BODY_GRACE`], a body must have arrived at this average rate
    /// (bytes per second) or the answer is 408: a client sending a byte a
    /// second holds a connection, never a worker, but not for ever either.
    pub body_min_rate: u64,
}

/// What an upload must pass before a byte of a file is written (issue
/// 15): a `csrf_token` field sent before the first file, equal to the
/// session's token (derived from its cookie under `csrf_key`,
/// `crypto::session_csrf`) or, without a session, to the visitor's CSRF
/// cookie (the double submit); and without a session, a body of at most
/// `max_bytes`.
#[derive(Debug, Clone)]
pub struct AnonymousUploads {
    /// The session cookie's name: a request carrying it is a member's.
    pub session_cookie: &'static str,
    /// The signed-out visitor's CSRF cookie.
    pub csrf_cookie: &'static str,
    /// Largest body of a visitor without a session, files included, in bytes.
    pub max_bytes: u64,
    /// `Keys::csrf`: sessions' tokens are derived under it.
    pub csrf_key: [u8; 32],
}

/// How long a body may arrive at any rate before `body_min_rate` applies.
pub const BODY_GRACE: Duration = Duration::from_secs(10);

/// The engine's request type, as the I/O side receives it.
pub type EngineRequest = hyper::Request<hyper::body::Incoming>;
/// The engine's response type, as the I/O side sends it.
pub type EngineResponse = hyper::Response<ResponseBody>;

/// Read a whole request: head, then (for POST) the body, capped by its kind
/// (a form at `max_form`, a multipart upload at `max_upload` with its files
/// spooled to `upload_dir`) and held to `body_idle` and `body_min_rate`.
/// A `Content-Length` over the cap is refused before a byte of body is read.
///
/// # Errors
/// `PayloadTooLarge` over the cap; `Timeout` for a stalled or too slow body;
/// `BadRequest` for a bad path, query, header value (not UTF-8), a malformed
/// body or chunking, or an unsupported body type.
pub async fn read(rq: EngineRequest, peer: SocketAddr, limits: &ReadLimits) -> Result<Req> {
    let (parts, incoming) = rq.into_parts();
    let method = match parts.method {
        hyper::Method::GET => Method::Get,
        hyper::Method::HEAD => Method::Head,
        hyper::Method::POST => Method::Post,
        hyper::Method::PUT => Method::Put,
        hyper::Method::PATCH => Method::Patch,
        hyper::Method::DELETE => Method::Delete,
        _ => Method::Other,
    };
    let raw_url = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), |pq| pq.as_str().to_string());
    let mut headers = Vec::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        let value = std::str::from_utf8(value.as_bytes())
            .map_err(|_| Error::BadRequest(format!("the value of header {:?} is not valid UTF-8", name.as_str())))?;
        headers.push((name.as_str().to_string(), value.to_string()));
    }
    let head = Head::parse(method, raw_url, headers, peer, &limits.trusted_proxies)?;
    if !method.has_body() {
        return Ok(head.into_req(Vec::new(), Vec::new()));
    }
    let essence = head.content_type_essence();
    let multipart = essence == "multipart/form-data";
    // The CSRF token is checked before any file is written; a visitor
    // without a session gets a smaller cap (issue 15).
    let session = head.cookie(limits.anonymous.session_cookie);
    // A client API upload (issue 19) carries a bearer token and no cookie:
    // no CSRF to check (a browser never adds the header by itself); the
    // token is checked by the worker before the file is stored, and the
    // spooled file is deleted with the request either way.
    let bearer = session.is_none()
        && head.path_starts_with("api")
        && head.header("authorization").is_some_and(|a| a.len() > 7 && a[..7].eq_ignore_ascii_case("bearer "));
    let anonymous = multipart && session.is_none() && !bearer;
    let gate = (multipart && !bearer).then(|| match session {
        Some(token) => crate::crypto::session_csrf(&limits.anonymous.csrf_key, token),
        None => head.cookie(limits.anonymous.csrf_cookie).unwrap_or("").to_string(),
    });
    let cap = match (multipart, anonymous) {
        (true, true) => limits.max_upload.min(limits.anonymous.max_bytes),
        (true, false) => limits.max_upload,
        (false, _) => limits.max_form,
    };
    let announced = http_body::Body::size_hint(&incoming).lower();
    let mut body = Incoming { inner: incoming, cap, received: 0, started: Instant::now(), limits };
    if announced > cap {
        if announced <= DRAIN_LIMIT {
            body.drain().await;
        }
        return Err(Error::PayloadTooLarge);
    }
    let read = if multipart {
        // The boundary is case-sensitive: take it from the header as sent.
        let content_type = head.header("content-type").unwrap_or_default().to_string();
        let stream =
            futures_util::stream::unfold(&mut body, |b| async move { b.next().await.transpose().map(|c| (c, b)) });
        multipart::parse(stream, &content_type, limits.max_form, &limits.upload_dir, gate.as_deref()).await
    } else {
        read_form(&mut body, &essence, head.is_client_api()).await.map(|form| (form, Vec::new()))
    };
    match read {
        Ok((form, files)) => Ok(head.into_req(form, files)),
        Err(e) => {
            if matches!(e, Error::PayloadTooLarge) {
                body.drain().await;
            }
            Err(e)
        }
    }
}

/// Most bytes of a refused body read and thrown away before the answer, so
/// the client, still sending, reads the 413 rather than a reset connection.
/// A body announced larger than this is refused without reading any of it.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;
/// Longest time spent draining a refused body.
const DRAIN_TIME: Duration = Duration::from_secs(5);

/// A whole form body: urlencoded pairs (or nothing, for an empty body);
/// for the client API (`api`), also a JSON object as pairs.
async fn read_form(body: &mut Incoming<'_>, essence: &str, api: bool) -> Result<Vec<(String, String)>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await? {
        bytes.extend_from_slice(&chunk);
    }
    match essence {
        "application/x-www-form-urlencoded" => request::parse_urlencoded(&bytes),
        "application/json" if api => request::flatten_json(&bytes),
        "" if bytes.is_empty() => Ok(Vec::new()),
        _ => Err(Error::BadRequest(format!(
            "unsupported body type {essence:?}: send a form{} or multipart/form-data",
            if api { ", JSON" } else { "" }
        ))),
    }
}

/// A request body being read under its cap and deadlines.
struct Incoming<'a> {
    inner: hyper::body::Incoming,
    cap: u64,
    received: u64,
    started: Instant,
    limits: &'a ReadLimits,
}

impl Incoming<'_> {
    /// The next piece of data, `None` at the end.
    async fn next(&mut self) -> Result<Option<Bytes>> {
        loop {
            let frame = match tokio::time::timeout(self.limits.body_idle, self.inner.frame()).await {
                Err(_) => return Err(Error::Timeout),
                Ok(None) => return Ok(None),
                // Malformed chunking, or the client went away mid-body.
                Ok(Some(Err(e))) => return Err(Error::BadRequest(format!("the request body is malformed: {e}"))),
                Ok(Some(Ok(frame))) => frame,
            };
            let Ok(data) = frame.into_data() else { continue }; // trailers
            self.received += data.len() as u64;
            if self.received > self.cap {
                return Err(Error::PayloadTooLarge);
            }
            let elapsed = self.started.elapsed();
            if elapsed > BODY_GRACE && self.received < self.limits.body_min_rate.saturating_mul(elapsed.as_secs()) {
                return Err(Error::Timeout);
            }
            return Ok(Some(data));
        }
    }

    /// Read and throw away the rest of a refused body, up to [`DRAIN_LIMIT`]
    /// bytes in all and for at most [`DRAIN_TIME`].
    async fn drain(&mut self) {
        self.cap = DRAIN_LIMIT;
        let _ = tokio::time::timeout(DRAIN_TIME, async { while let Ok(Some(_)) = self.next().await {} }).await;
    }
}

/// Bytes read from a file part per frame.
const FRAME: usize = 64 * 1024;

/// A response body for the engine: a page in memory goes out as one frame;
/// [`Body::Parts`] (media files, byte ranges) are read a frame at a time only
/// when the connection can take more, so a slow reader holds a connection,
/// never a worker, and never a whole file in memory.
pub struct ResponseBody(Frames);

enum Frames {
    /// The whole body, taken on the first poll.
    Whole(Option<Bytes>),
    /// Streamed parts and the bytes still to send.
    Parts(BodyReader, u64),
}

impl ResponseBody {
    fn new(body: Body) -> ResponseBody {
        ResponseBody(match body {
            Body::Bytes(b) => Frames::Whole(Some(Bytes::from(b))),
            parts => {
                let left = parts.len();
                Frames::Parts(BodyReader::new(parts), left)
            }
        })
    }
}

impl http_body::Body for ResponseBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::io::Result<http_body::Frame<Bytes>>>> {
        let frame = match &mut self.0 {
            Frames::Whole(b) => b.take().filter(|b| !b.is_empty()).map(|b| Ok(http_body::Frame::data(b))),
            Frames::Parts(_, 0) => None,
            Frames::Parts(reader, left) => {
                // Positional reads of media files, almost always from the page cache.
                let mut buf = vec![0u8; FRAME.min(usize::try_from(*left).unwrap_or(FRAME))];
                let read = reader.read(&mut buf).and_then(|n| match n {
                    0 => Err(std::io::ErrorKind::UnexpectedEof.into()),
                    n => Ok(n),
                });
                Some(read.map(|n| {
                    *left -= n as u64;
                    buf.truncate(n);
                    http_body::Frame::data(Bytes::from(buf))
                }))
            }
        };
        std::task::Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        match &self.0 {
            Frames::Whole(b) => b.as_ref().is_none_or(Bytes::is_empty),
            Frames::Parts(_, left) => *left == 0,
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.0 {
            Frames::Whole(b) => http_body::SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Frames::Parts(_, left) => http_body::SizeHint::with_exact(*left),
        }
    }
}

/// The security headers every answer carries (a handler may add a stricter
/// `Content-Security-Policy`, e.g. `sandbox` on media: browsers enforce
/// every CSP header they get).
const FIXED_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; style-src 'self'; script-src 'self'; \
         object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
];

/// `Strict-Transport-Security` for an https site (issue 15): browsers
/// then refuse plain http to it for a year. Set once at start.
static HSTS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Send HSTS on every answer from now on (the site is https, `public_url`).
pub fn send_hsts() {
    HSTS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Into an engine response with the security headers and `Cache-Control:
/// no-store` unless the handler chose a policy. The length is always known
/// and goes out as `Content-Length`, never chunked (video players want the
/// length of a range); the engine leaves the body out for HEAD. A header
/// that is not a valid HTTP header is dropped rather than sent broken.
pub fn respond(resp: Resp) -> EngineResponse {
    let len = resp.body.len();
    let mut out = hyper::Response::new(ResponseBody::new(resp.body));
    *out.status_mut() = hyper::StatusCode::from_u16(resp.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = out.headers_mut();
    // A page whose form leads off the site (the OAuth consent page, issue
    // 19) names that one destination; everything else keeps `'self'`.
    let form_action = resp
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(super::response::FORM_ACTION_HEADER))
        .map(|(_, v)| v.as_str())
        .filter(|v| super::response::csp_source_ok(v));
    for (k, v) in FIXED_HEADERS {
        match form_action {
            Some(extra) if k == "content-security-policy" => {
                let widened = v.replace("form-action 'self'", &format!("form-action 'self' {extra}"));
                if let Ok(value) = hyper::header::HeaderValue::try_from(widened) {
                    headers.append(k, value);
                }
            }
            _ => {
                headers.append(k, hyper::header::HeaderValue::from_static(v));
            }
        }
    }
    if HSTS.load(std::sync::atomic::Ordering::Relaxed) {
        headers.insert(
            hyper::header::STRICT_TRANSPORT_SECURITY,
            hyper::header::HeaderValue::from_static("max-age=31536000"),
        );
    }
    let mut has_cache = false;
    for (k, v) in &resp.headers {
        if k.eq_ignore_ascii_case(super::response::FORM_ACTION_HEADER) {
            continue;
        }
        let (Ok(name), Ok(value)) =
            (hyper::header::HeaderName::try_from(k.as_str()), hyper::header::HeaderValue::try_from(v.as_str()))
        else {
            continue;
        };
        has_cache |= name == hyper::header::CACHE_CONTROL;
        headers.append(name, value);
    }
    if !has_cache {
        headers.insert(hyper::header::CACHE_CONTROL, hyper::header::HeaderValue::from_static("no-store"));
    }
    if !matches!(resp.status, 204 | 304) {
        headers.insert(hyper::header::CONTENT_LENGTH, len.into());
    }
    out
}
