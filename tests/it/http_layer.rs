//! The HTTP layer serves every connection: simultaneous keep-alive
//! connections all get answers, idle or stalled connections are closed after
//! the idle timeout without stopping others, and accept errors (too many
//! open files) do not stop the server.

use crate::common::Server;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

fn addr(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_string()
}

/// Send one keep-alive GET on `conn` and read the whole response; the status.
fn get_on(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    reader.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or(std::io::ErrorKind::InvalidData)?;
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    Ok(status)
}

/// Is the server's side of `conn` closed (EOF) within `within`?
fn closed_within(conn: &mut TcpStream, within: Duration) -> bool {
    conn.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 256];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // e.g. a 408 answer before the close
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn sixteen_simultaneous_keep_alive_connections_are_all_served() {
    // The pool race shows on some starts and not others: repeat over starts.
    for start in 0..4 {
        let s = Server::start();
        let a = addr(&s);
        let barrier = Arc::new(Barrier::new(16));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (a, barrier) = (a.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let conn = TcpStream::connect(&a).unwrap();
                    conn.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                    let mut r = BufReader::new(conn);
                    (0..30).filter(|_| get_on(&mut r, "/public").map(|st| st == 200).unwrap_or(false)).count()
                })
            })
            .collect();
        let answered: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(answered, vec![30; 16], "start {start}");
    }
}

#[test]
fn idle_and_stalled_connections_are_closed_and_do_not_block_others() {
    let s = Server::start_with(&["--idle-timeout-seconds", "1"], &[]);
    let a = addr(&s);
    let mut idle = TcpStream::connect(&a).unwrap();
    let mut stalled = TcpStream::connect(&a).unwrap();
    stalled.write_all(b"POST /login HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nusername=").unwrap();
    // Meanwhile others are served at once.
    let t = Instant::now();
    assert_eq!(s.client().get("/healthz").status, 200);
    assert!(t.elapsed() < Duration::from_millis(900));
    assert!(closed_within(&mut idle, Duration::from_secs(5)), "idle connection closed");
    assert!(closed_within(&mut stalled, Duration::from_secs(5)), "stalled request closed");
    // After an idle period with no new connections, the server still accepts.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(s.client().get("/healthz").status, 200);
}

#[test]
fn a_busy_keep_alive_connection_survives_quiet_periods() {
    // Accepting restarts after each quiet second; a connection that keeps
    // talking is still answered throughout.
    let s = Server::start_with(&["--idle-timeout-seconds", "1"], &[]);
    let conn = TcpStream::connect(addr(&s)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut r = BufReader::new(conn);
    for _ in 0..8 {
        assert_eq!(get_on(&mut r, "/healthz").unwrap(), 200);
        std::thread::sleep(Duration::from_millis(400));
    }
}

#[test]
fn accept_errors_do_not_stop_the_server() {
    // A low open-file limit makes accept() fail with "too many open files".
    let s = Server::start_with(&["--max-open-files", "64"], &[]);
    let a = addr(&s);
    let mut held = Vec::new();
    for _ in 0..120 {
        if let Ok(c) = TcpStream::connect_timeout(&a.parse().unwrap(), Duration::from_millis(500)) {
            held.push(c);
        }
    }
    drop(held);
    // Once descriptors are free again the server accepts and answers.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ok = TcpStream::connect(&a).ok().and_then(|c| {
            c.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
            get_on(&mut BufReader::new(c), "/healthz").ok()
        });
        if ok == Some(200) {
            break;
        }
        assert!(Instant::now() < deadline, "server did not recover from accept errors");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(s.client().get("/public").status, 200);
}
