//! The I/O side: hyper's HTTP/1.1 server on a small tokio runtime that does
//! connection I/O only (DESIGN.md). Per connection: `TCP_NODELAY`, a cap on
//! the request head (size and header count; 431 past it), a deadline for
//! the head that is also the keep-alive idle timeout, and a watchdog that
//! closes a connection making no progress (a reader that stopped reading
//! its answer). Per request: the whole request is read under its caps
//! ([`http::engine::read`]), then it waits for a place in its [`Lane`]
//! (bounded time, then 503 with `Retry-After`), crosses a channel to a
//! synchronous worker and the answer comes back over a oneshot; file bodies
//! are streamed from here, so a slow reader never holds a worker.

use crate::error::Error;
use crate::http::engine::{self, EngineRequest, EngineResponse, ReadLimits};
use crate::http::{Req, Resp};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

/// Largest request head (request line and headers) in bytes; 431 past it.
const MAX_HEAD_BYTES: usize = 32 * 1024;
/// Most header lines in one request; 431 past it.
const MAX_HEADERS: usize = 100;

/// A request read in full, on its way to a worker.
pub struct Job {
    pub req: Req,
    /// Where the worker sends the answer.
    pub reply: oneshot::Sender<Resp>,
    /// The request's place in its lane, given back when the worker drops
    /// the job.
    pub _place: OwnedSemaphorePermit,
}

/// A kind of work with its own workers and waiting rule: a request waits
/// for one of `places` (FIFO) at most `wait`, then gets 503.
pub struct Lane {
    pub name: &'static str,
    pub places: Arc<Semaphore>,
    pub jobs: crossbeam_channel::Sender<Job>,
    pub wait: Duration,
}

/// Everything the I/O side shares between connections.
pub struct Shared {
    pub limits: ReadLimits,
    /// Pages: GET, HEAD and anything else but POST.
    pub pages: Lane,
    /// Form posts: mostly writes, which wait for the disk; many in flight
    /// share one fsync (group commit, `db::write`).
    pub forms: Lane,
    /// Requests that hash a password (`routes::hashes_password`): a login
    /// burst waits here, never in front of page rendering.
    pub hashing: Lane,
    /// Idle, head-read and no-progress timeout.
    pub idle: Duration,
    pub max_connections: usize,
}

/// Run the I/O side on `threads` runtime threads until the process ends.
///
/// # Errors
/// Only if the runtime or the listener cannot be set up.
pub fn run(listener: std::net::TcpListener, shared: Shared, threads: usize) -> std::io::Result<()> {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(threads).thread_name("io").enable_all().build()?;
    listener.set_nonblocking(true)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        accept(listener, Arc::new(shared)).await;
        Ok(())
    })
}

async fn accept(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let open = Arc::new(Semaphore::new(shared.max_connections));
    loop {
        // At the cap, new connections wait in the kernel's accept backlog.
        let Ok(slot) = open.clone().acquire_owned().await else { return };
        match listener.accept().await {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, peer, shared.clone(), slot));
            }
            Err(e) => {
                // EMFILE and friends: the waiting connection stays queued; try again shortly.
                eprintln!("plaza: accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// What the watchdog of one connection reads.
#[derive(Default)]
struct Progress {
    /// Milliseconds since [`epoch`] of the last byte read or written.
    last: AtomicU64,
    /// Requests of this connection waiting for a worker or with one (their
    /// answers may take long).
    at_worker: AtomicUsize,
}

fn epoch() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    epoch().elapsed().as_millis() as u64
}

impl Progress {
    fn touch(&self) {
        self.last.store(now_ms(), Ordering::Relaxed);
    }

    /// No byte moved for `idle`, and no worker is making an answer.
    fn stalled(&self, idle: Duration) -> bool {
        self.at_worker.load(Ordering::Relaxed) == 0
            && now_ms().saturating_sub(self.last.load(Ordering::Relaxed)) > idle.as_millis() as u64
    }
}

async fn connection(stream: tokio::net::TcpStream, peer: SocketAddr, shared: Arc<Shared>, _slot: OwnedSemaphorePermit) {
    let idle = shared.idle;
    let progress = Arc::new(Progress::default());
    progress.touch();
    let io = hyper_util::rt::TokioIo::new(Tracked { inner: stream, progress: progress.clone() });
    let service = {
        let progress = progress.clone();
        hyper::service::service_fn(move |rq| {
            let (shared, progress) = (shared.clone(), progress.clone());
            async move { Ok::<_, std::convert::Infallible>(answer(rq, peer, &shared, &progress).await) }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(idle)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let every = (idle / 4).max(Duration::from_millis(250));
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    if e.is_parse() || e.is_parse_status() {
                        eprintln!("plaza: bad request from {peer}: {e}");
                    }
                }
                return;
            }
            () = tokio::time::sleep(every) => {
                if progress.stalled(idle) {
                    return; // dropping the connection closes it
                }
            }
        }
    }
}

/// Read the request, pass it to a worker of its lane, and turn the answer
/// into the engine's response. Failures before a worker has it (413, 408,
/// 400, 503) are answered here and close the connection, since the rest of
/// the body may still be on its way.
async fn answer(rq: EngineRequest, peer: SocketAddr, shared: &Shared, progress: &Progress) -> EngineResponse {
    let post = !matches!(*rq.method(), hyper::Method::GET | hyper::Method::HEAD);
    let lane = if crate::routes::hashes_password(post, rq.uri().path()) {
        &shared.hashing
    } else if post {
        &shared.forms
    } else {
        &shared.pages
    };
    // The client API answers even these in JSON (issue 19).
    let api = rq.uri().path().starts_with("/api/") || matches!(rq.uri().path(), "/oauth/token" | "/oauth/revoke");
    let req = match engine::read(rq, peer, &shared.limits).await {
        Ok(req) => req,
        Err(e) => {
            if let Error::BadRequest(m) = &e {
                eprintln!("plaza: 400 to {peer}: {m}");
            }
            if api {
                let body = serde_json::json!({ "error": format!("{} / {}", e.title().zh(), e.title().en()), "detail": e.public_detail() });
                let resp = crate::http::Resp::with_type(
                    e.status(),
                    "application/json; charset=utf-8",
                    body.to_string().into_bytes(),
                )
                .header("Connection", "close");
                return engine::respond(resp);
            }
            return refuse(&e);
        }
    };
    progress.at_worker.fetch_add(1, Ordering::Relaxed);
    let resp = hand_over(req, lane, peer).await;
    progress.at_worker.fetch_sub(1, Ordering::Relaxed);
    progress.touch();
    resp
}

/// Wait for a place in `lane` (at most its `wait`), hand the request to a
/// worker and wait for the answer.
async fn hand_over(req: Req, lane: &Lane, peer: SocketAddr) -> EngineResponse {
    let Ok(Ok(place)) = tokio::time::timeout(lane.wait, lane.places.clone().acquire_owned()).await else {
        eprintln!("plaza: 503 to {peer}: no {} worker free within {:?}", lane.name, lane.wait);
        return refuse(&Error::Busy);
    };
    let (reply, answer) = oneshot::channel();
    if lane.jobs.send(Job { req, reply, _place: place }).is_err() {
        return refuse(&Error::Internal("the workers are gone".into()));
    }
    match answer.await {
        Ok(resp) => engine::respond(resp),
        Err(_) => refuse(&Error::Internal("a worker dropped a request".into())),
    }
}

/// An answer made on the I/O side: the plain error text, `Retry-After` on
/// 503, and `Connection: close`.
fn refuse(e: &Error) -> EngineResponse {
    let mut resp = crate::routes::bare_error(e).header("Connection", "close");
    if matches!(e, Error::Busy) {
        resp = resp.header("Retry-After", "1");
    }
    engine::respond(resp)
}

/// A socket that records when a byte last moved, for the watchdog.
struct Tracked {
    inner: tokio::net::TcpStream,
    progress: Arc<Progress>,
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.progress.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.progress.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.progress.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
