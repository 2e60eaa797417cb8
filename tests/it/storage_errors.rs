//! Issue 14: storage errors in words. A full disk answers 507 with a page
//! that says so, reads go on, and the server starts read-only with a banner
//! for admins; a database lock held by another process answers 503 with
//! `Retry-After` after the busy timeout, not 500. Nothing changes either way.
//!
//! The full disk is SQLite's `PRAGMA max_page_count` on every connection
//! (`PLAZA_DB_MAX_PAGES`): a tmpfs or loop device needs root, which CI
//! does not have. SQLite answers SQLITE_FULL exactly as for ENOSPC.

use crate::common::{id_from, with_admin, Server};
use std::time::{Duration, Instant};

fn posts(data: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(data.join("plaza.db")).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.query_row("SELECT count(*) FROM posts", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_full_disk_answers_507_serves_reads_and_starts_read_only() {
    let (s, mut admin) = with_admin();
    admin.get("/?lang=en");
    let id = admin.post_status("before the disk filled up 满盘之前", "public");
    let data = s.stop();
    // No free pages left inside the file, then cap it at its size: full.
    let pages: i64 = {
        let conn = rusqlite::Connection::open(data.path().join("plaza.db")).unwrap();
        conn.execute_batch("VACUUM").unwrap();
        conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap()
    };
    let before = posts(data.path());
    let s = Server::start_in(data, &[], &[("PLAZA_DB_MAX_PAGES", &pages.to_string())]);
    assert!(s.stderr().contains("READ-ONLY"), "{}", s.stderr());
    admin.base = s.base.clone();

    // Reads work, for members and visitors.
    let page = admin.get(&format!("/posts/{id}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has("before the disk filled up"));
    // The admin sees the banner on every page.
    assert!(page.has("Storage is full: the site is read-only"), "{}", page.body);
    let visitor = s.client();
    let public = visitor.get("/public?lang=en");
    assert_eq!(public.status, 200);
    assert!(public.has("before the disk filled up"));
    assert!(!public.has("Storage is full"), "visitors get no admin banner");

    // A post is refused with 507 and a page saying why; nothing is stored.
    let p = admin.post("/posts", &[("body", &"满".repeat(1500)), ("visibility", "public")]);
    assert_eq!(p.status, 507, "{}", p.body);
    assert!(p.has("Storage is full"), "{}", p.body);
    assert!(p.has("The server&#39;s disk is full") || p.has("The server's disk is full"), "{}", p.body);
    assert!(p.has("Reading still works"), "{}", p.body);
    // Signing in writes a session and a log entry (a few hundred bytes):
    // it works while they fit in the pages already there, and otherwise
    // says why not; never a 500.
    let login = visitor.login("admin");
    match login.status {
        303 => {}
        507 => assert!(login.has("signing in"), "{}", login.body),
        other => panic!("login on a full disk: {other}: {}", login.body),
    }
    // In Chinese too.
    admin.get("/?lang=zh");
    let zh = admin.post("/posts", &[("body", &"再".repeat(1500)), ("visibility", "public")]);
    assert_eq!(zh.status, 507);
    assert!(zh.has("存储空间已满") && zh.has("服务器的磁盘已满"), "{}", zh.body);
    let data = s.stop();
    let conn = rusqlite::Connection::open(data.path().join("plaza.db")).unwrap();
    let refused: i64 =
        conn.query_row("SELECT count(*) FROM posts WHERE length(body) > 1000", [], |r| r.get(0)).unwrap();
    assert_eq!(refused, 0, "a refused post was stored");
    assert!(posts(data.path()) >= before);
    drop(conn);

    // Space freed: writes work again and the banner is gone.
    let s = Server::start_in(data, &[], &[]);
    admin.base = s.base.clone();
    assert!(!s.stderr().contains("READ-ONLY"));
    let p = admin.post("/posts", &[("body", "after the disk was freed"), ("visibility", "public")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let page = admin.get(&format!("/posts/{}", id_from(p.location.as_deref().unwrap())));
    assert!(!page.has("Storage is full"));
}

#[test]
fn a_lock_held_elsewhere_answers_503_with_retry_after() {
    let (s, admin) = with_admin();
    admin.get("/?lang=en");
    let before = posts(s.data.path());
    // Another process (here: this test) holds the write lock.
    let holder = rusqlite::Connection::open(s.db_path()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let t0 = Instant::now();
    let p = admin.post("/posts", &[("body", "while locked"), ("visibility", "public")]);
    let waited = t0.elapsed();
    assert_eq!(p.status, 503, "{}", p.body);
    assert_eq!(p.header("Retry-After"), Some("5"), "{:?}", p.headers);
    assert!(p.has("Another program"), "{}", p.body);
    assert!(waited >= Duration::from_millis(4500) && waited < Duration::from_secs(15), "waited {waited:?}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(posts(s.data.path()), before, "nothing was stored");
    // Lock gone: the same post goes through.
    let p = admin.post("/posts", &[("body", "after the lock"), ("visibility", "public")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(!s.stderr().contains("handler panicked"));
}
