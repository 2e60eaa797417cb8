//! The front: receives requests from tiny_http and hands them to the
//! workers, and keeps accepting whatever happens to tiny_http's accept
//! thread.
//!
//! tiny_http 0.12's accept thread stops for good on the first `accept()`
//! error (the listener's read timeout when no one connects for the idle
//! timeout, or "too many open files"), and it dies silently when cloning an
//! accepted socket fails. So the front runs servers in generations over
//! clones of one listening socket: when a server stops accepting, a new one
//! takes over (connections wait in the kernel's backlog meanwhile) and the
//! old one is drained of the requests still coming on its open connections.
//! A watchdog notices a silently dead accept thread by the listener's
//! accept queue staying non-empty.

use crossbeam_channel::Sender;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the watchdog looks at the accept queue.
const WATCH_EVERY: Duration = Duration::from_millis(250);
/// Checks in a row with connections waiting before a new server takes over.
const STUCK_CHECKS: u32 = 4;

/// Start the front and its watchdog threads.
///
/// # Errors
/// Only if a thread cannot be started.
pub fn start(listener: TcpListener, tx: Sender<tiny_http::Request>, idle: Duration) -> std::io::Result<()> {
    let current: Arc<Mutex<Option<Arc<tiny_http::Server>>>> = Arc::new(Mutex::new(None));
    let watched = listener.try_clone()?;
    let cur = current.clone();
    std::thread::Builder::new().name("front-watch".into()).spawn(move || watchdog(&watched, &cur))?;
    std::thread::Builder::new().name("front".into()).spawn(move || run(&listener, &tx, idle, &current))?;
    Ok(())
}

fn run(
    listener: &TcpListener,
    tx: &Sender<tiny_http::Request>,
    idle: Duration,
    current: &Mutex<Option<Arc<tiny_http::Server>>>,
) {
    loop {
        let server = loop {
            match listener
                .try_clone()
                .map_err(|e| e.to_string())
                .and_then(|l| tiny_http::Server::from_listener(l, None).map_err(|e| e.to_string()))
            {
                Ok(s) => break Arc::new(s),
                Err(e) => {
                    eprintln!("plaza: cannot accept connections yet ({e}); retrying");
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        };
        *current.lock().unwrap_or_else(|p| p.into_inner()) = Some(server.clone());
        loop {
            match server.recv() {
                Ok(rq) => {
                    if tx.send(rq).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    // WouldBlock is the routine end of a quiet period.
                    if e.kind() != std::io::ErrorKind::WouldBlock {
                        eprintln!("plaza: accepting stopped ({e}); accepting again on a new server");
                    }
                    break;
                }
            }
        }
        let tx = tx.clone();
        let _ = std::thread::Builder::new().name("drain".into()).spawn(move || drain(&server, &tx, idle));
    }
}

/// Pass on requests from an old server's open connections until none has
/// spoken for longer than the idle timeout (by then the socket timeouts have
/// closed them all); the server is dropped with the last reference.
fn drain(server: &tiny_http::Server, tx: &Sender<tiny_http::Request>, idle: Duration) {
    let mut last = Instant::now();
    while last.elapsed() < idle + Duration::from_secs(5) {
        if let Ok(Some(rq)) = server.recv_timeout(Duration::from_millis(500)) {
            last = Instant::now();
            if tx.send(rq).is_err() {
                return;
            }
        }
    }
}

/// Replace the current server when connections have waited in the
/// listener's accept queue for a second: its accept thread is gone.
fn watchdog(listener: &TcpListener, current: &Mutex<Option<Arc<tiny_http::Server>>>) {
    let mut stuck = 0;
    loop {
        std::thread::sleep(WATCH_EVERY);
        stuck = if accept_queue_len(listener).unwrap_or(0) > 0 { stuck + 1 } else { 0 };
        if stuck >= STUCK_CHECKS {
            stuck = 0;
            if let Some(s) = current.lock().unwrap_or_else(|p| p.into_inner()).take() {
                eprintln!("plaza: connections are waiting but not accepted; accepting again on a new server");
                s.unblock();
            }
        }
    }
}

/// Connections waiting in a listening socket's accept queue (Linux: the
/// `tcpi_unacked` field of `TCP_INFO` on a listener).
#[cfg(target_os = "linux")]
fn accept_queue_len(listener: &TcpListener) -> Option<u32> {
    use std::os::fd::AsRawFd;
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: `info` is a writable tcp_info of `len` bytes, as getsockopt requires.
    let rc = unsafe {
        libc::getsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(info.tcpi_unacked)
}

#[cfg(not(target_os = "linux"))]
fn accept_queue_len(_listener: &TcpListener) -> Option<u32> {
    None
}
