//! Crash safety: posts are written by several clients, the server is killed
//! with SIGKILL in the middle, restarted; every post whose request got its
//! success answer (303) must be there with its text, and `plaza doctor` must
//! find nothing wrong (database, foreign keys, log chain and signed head).
//! 20 cycles on one data folder.

use crate::common::{Client, Server};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CYCLES: usize = 20;
const WRITERS: usize = 4;

/// Post until the server goes away (or `stop`); returns (id, body) of every
/// post that was acknowledged with 303.
fn write_until_killed(
    c: &Client,
    w: usize,
    cycle: usize,
    acked: &AtomicUsize,
    stop: &AtomicBool,
) -> Vec<(i64, String)> {
    // The token, unless the server is already gone (a slow thread may start
    // after the others have got it killed).
    let page = match c.agent.get(&format!("{}/terms", c.base)).call() {
        Ok(r) => r.into_string().unwrap_or_default(),
        Err(_) => return Vec::new(),
    };
    let key = "name=\"csrf_token\" value=\"";
    let Some(i) = page.find(key) else { return Vec::new() };
    let token = page[i + key.len()..].split('"').next().unwrap().to_string();
    let mut out = Vec::new();
    for n in 0..10_000 {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let body = format!("c{cycle} w{w} n{n} 崩溃测试");
        // None: the server was killed, this answer never came.
        let Some(id) = c.post_until_gone(&token, &body) else { break };
        out.push((id, body));
        acked.fetch_add(1, Ordering::Relaxed);
    }
    out
}

#[test]
fn acknowledged_posts_survive_sigkill_and_doctor_is_clean() {
    let started = Instant::now();
    let s = Server::start();
    let mut clients: Vec<Client> = (0..WRITERS)
        .map(|w| {
            let c = s.client();
            c.signup(&format!("crash{w}"));
            c
        })
        .collect();
    let mut data = s.stop();
    let mut all_acked: Vec<(i64, String)> = Vec::new();
    let mut seed: u64 = 0x5eed;
    for cycle in 0..CYCLES {
        let s = Server::start_in(data, &[], &[]);
        let acked = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handles: Vec<_> = clients
            .drain(..)
            .enumerate()
            .map(|(w, mut c)| {
                c.base = s.base.clone();
                let (acked, stop) = (acked.clone(), stop.clone());
                std::thread::spawn(move || {
                    let got = write_until_killed(&c, w, cycle, &acked, &stop);
                    (c, got)
                })
            })
            .collect();
        // Kill mid-load: after some posts were acknowledged, at a varying moment.
        let deadline = Instant::now() + Duration::from_secs(10);
        while acked.load(Ordering::Relaxed) < 8 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(seed >> 58)); // 0-63 ms
        data = s.stop(); // SIGKILL
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            let (c, got) = h.join().unwrap();
            clients.push(c);
            all_acked.extend(got);
        }
        assert!(acked.load(Ordering::Relaxed) >= 8, "cycle {cycle}: the load never started");

        // Restart: every acknowledged post is there, and the folder is healthy.
        let s = Server::start_in(data, &[], &[]);
        let conn = rusqlite::Connection::open(s.db_path()).unwrap();
        // The server is opening its connections meanwhile: wait, never misread "busy" as "lost".
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        let mut stmt = conn.prepare("SELECT body FROM posts WHERE id = ?1 AND status = 'published'").unwrap();
        for (id, body) in &all_acked {
            let stored: String = match stmt.query_row([id], |r| r.get(0)) {
                Ok(b) => b,
                Err(rusqlite::Error::QueryReturnedNoRows) => panic!("cycle {cycle}: acknowledged post {id} lost"),
                Err(e) => panic!("cycle {cycle}: reading post {id}: {e}"),
            };
            assert_eq!(&stored, body, "cycle {cycle}: post {id}");
        }
        drop(stmt);
        drop(conn);
        let (ok, out, err) = s.command(&["doctor"]);
        assert!(ok, "cycle {cycle}: {out}{err}");
        data = s.stop();
    }
    eprintln!(
        "{CYCLES} SIGKILL cycles, {} acknowledged posts all kept, {:.1} s",
        all_acked.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(started.elapsed() < Duration::from_secs(60));
}
