//! Activity log (R16.1-R16.3): every action is logged with account, time,
//! source IP and port, user agent, action and target, in a chain that
//! `plaza log verify` checks.

mod common;
use common::{with_admin, Server};

#[test]
fn actions_are_logged_with_source_and_chain_verifies() {
    let s = Server::start();
    let a = s.client();
    a.signup("logged");
    let b = s.client();
    b.signup("other_one");
    let id = a.post_status("日志测试", "public");
    a.post(&format!("/posts/{id}/comments"), &[("body", "评论")]);
    b.post(&format!("/posts/{id}/like"), &[]);
    b.post(&format!("/posts/{id}/repost"), &[]);
    b.post("/@logged/follow", &[]);
    b.post("/@logged/unfollow", &[]);
    a.post("/settings/profile", &[("display_name", "L"), ("bio", "")]);
    a.post(&format!("/posts/{id}/delete"), &[]);
    a.post("/logout", &[]);
    a.post("/login", &[("username", "logged"), ("password", "wrong password")]);

    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let rows: Vec<(Option<i64>, String, i64, String, String, String)> = conn
        .prepare("SELECT account_id, ip, port, user_agent, action, target FROM activity_log ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let actions: Vec<&str> = rows.iter().map(|r| r.4.as_str()).collect();
    for want in [
        "user.signup",
        "user.login",
        "post.create",
        "comment.create",
        "post.like",
        "post.repost",
        "user.follow",
        "user.unfollow",
        "user.profile_update",
        "post.delete",
        "user.logout",
        "user.login_failed",
    ] {
        assert!(actions.contains(&want), "{want} missing from {actions:?}");
    }
    for (account, ip, port, ua, action, _) in &rows {
        if action == "agreement.publish" || ip == "webhook" || ip == "cli" {
            continue; // start-up, the identity webhook's answers, the operator's commands
        }
        assert!(account.is_some(), "{action}");
        assert_eq!(ip, "127.0.0.1");
        assert!(*port > 0 && *port < 65536, "{action}: source port {port}");
        assert!(ua.starts_with("ureq"), "{action}: {ua}");
    }
    // No password or token ever reaches the log.
    let all: String = rows.iter().map(|r| format!("{r:?}")).collect();
    assert!(!all.contains("correct horse") && !all.contains("wrong password"));

    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), format!("ok {} entries", rows.len()));
}

#[test]
fn the_log_is_append_only_and_tampering_is_detected() {
    let (s, admin) = with_admin();
    assert_eq!(admin.get("/admin").status, 200);
    let c = s.client();
    c.signup("tamper");
    c.post_status("x", "public");
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    // The database itself refuses edits and young deletions (R16.2).
    assert!(conn.execute("UPDATE activity_log SET action = 'x' WHERE id = 2", []).is_err());
    assert!(conn.execute("DELETE FROM activity_log WHERE id = 2", []).is_err());
    // Someone with the sqlite3 shell drops the guards and edits a row: verify fails.
    conn.execute_batch("DROP TRIGGER activity_log_no_update; DROP TRIGGER activity_log_no_delete;").unwrap();
    conn.execute("UPDATE activity_log SET ip = '10.0.0.1' WHERE id = 3", []).unwrap();
    let (ok, _, err) = s.command(&["log", "verify"]);
    assert!(!ok);
    assert!(err.contains("broken at entry 3"), "{err}");
}

#[test]
fn admin_dashboard_lists_the_log() {
    let (s, admin) = with_admin();
    let m = s.client();
    m.signup("shown_in_log");
    let p = admin.get("/admin");
    assert!(p.has("user.signup") && p.has("shown_in_log") && p.has("127.0.0.1:"));
}

/// Copy the files `plaza log verify` reads into a fresh folder.
fn copy_data(from: &std::path::Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    // A stopped server may leave committed pages in the WAL file.
    for f in ["plaza.db", "plaza.db-wal", "plaza.key", "log.head"] {
        if from.join(f).exists() {
            std::fs::copy(from.join(f), to.path().join(f)).unwrap();
        }
    }
    to
}

fn verify_in(dir: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(["log", "verify"])
        .args(extra)
        .arg("--data")
        .arg(dir)
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Open a copy with the sqlite3-shell powers of someone tampering: the
/// append-only triggers dropped.
fn tamper(dir: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(dir.join("plaza.db")).unwrap();
    conn.execute_batch("DROP TRIGGER activity_log_no_update; DROP TRIGGER activity_log_no_delete;").unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn verify_catches_edited_deleted_swapped_rows_and_a_truncated_tail() {
    let s = Server::start();
    let c = s.client();
    c.signup("chain");
    for i in 0..4 {
        c.post_status(&format!("第 {i} 条"), "public");
    }
    let n: i64 = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT count(*) FROM activity_log", [], |r| r.get(0))
        .unwrap();
    assert!(n >= 7, "{n}");
    let data = s.stop();
    let (ok, out) = verify_in(data.path(), &[]);
    assert!(ok, "{out}");
    assert_eq!(out.trim(), format!("ok {n} entries"));

    let edited = copy_data(data.path());
    tamper(edited.path(), "UPDATE activity_log SET target = 'post:999' WHERE id = 5");
    let (ok, out) = verify_in(edited.path(), &[]);
    assert!(!ok && out.contains("broken at entry 5"), "{out}");

    let deleted = copy_data(data.path());
    tamper(deleted.path(), "DELETE FROM activity_log WHERE id = 5");
    let (ok, out) = verify_in(deleted.path(), &[]);
    assert!(!ok && out.contains("broken at entry 6"), "{out}");

    let swapped = copy_data(data.path());
    tamper(
        swapped.path(),
        "UPDATE activity_log SET id = -4 WHERE id = 4; UPDATE activity_log SET id = 4 WHERE id = 5;
         UPDATE activity_log SET id = 5 WHERE id = -4;",
    );
    let (ok, out) = verify_in(swapped.path(), &[]);
    assert!(!ok && out.contains("broken at entry 4"), "{out}");

    // Cutting off the newest rows leaves a chain that checks out by itself:
    // only the signed head shows it.
    let truncated = copy_data(data.path());
    tamper(truncated.path(), &format!("DELETE FROM activity_log WHERE id > {}", n - 3));
    let (ok, out) = verify_in(truncated.path(), &[]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("truncated: the signed head counts {n} entries but the log ends at entry {}", n - 3)),
        "{out}"
    );

    // The head itself cannot be edited or simply removed.
    let edited_head = copy_data(data.path());
    let head = std::fs::read_to_string(edited_head.path().join("log.head")).unwrap();
    let forged = head.replace(&format!("entries={n} "), &format!("entries={} ", n - 3));
    std::fs::write(edited_head.path().join("log.head"), forged).unwrap();
    let (ok, out) = verify_in(edited_head.path(), &[]);
    assert!(!ok && out.contains("signature does not match"), "{out}");
    std::fs::remove_file(edited_head.path().join("log.head")).unwrap();
    let (ok, out) = verify_in(edited_head.path(), &[]);
    assert!(!ok && out.contains("no signed head file"), "{out}");
    // ...and a head kept elsewhere still catches the truncation.
    let (ok, out) = verify_in(truncated.path(), &["--head", head.trim()]);
    assert!(!ok && out.contains("the given head"), "{out}");
    let (ok, out) = verify_in(data.path(), &["--head", head.trim()]);
    assert!(ok, "{out}");
}

#[test]
fn the_server_never_signs_over_a_cut_log_and_prints_its_head() {
    let s = Server::start();
    let c = s.client();
    c.signup("regrow");
    c.post_status("一", "public");
    c.post_status("二", "public");
    // The server wrote its head to its own log at start (R16.3).
    let printed = s.stderr();
    let line = printed.lines().find_map(|l| l.strip_prefix("plaza: log head: ")).expect("head in the server log");
    assert!(line.starts_with("plaza-log-head-v1 entries=1 "), "{line}");
    let (ok, out, err) = s.command(&["log", "verify", "--head", line]);
    assert!(ok, "{out}{err}");

    // Cut the two newest rows while the server runs, then let it append again.
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let n: i64 = conn.query_row("SELECT max(id) FROM activity_log", [], |r| r.get(0)).unwrap();
    conn.execute_batch("DROP TRIGGER activity_log_no_delete;").unwrap();
    conn.execute("DELETE FROM activity_log WHERE id > ?1", [n - 2]).unwrap();
    for i in 0..3 {
        c.post_status(&format!("再 {i}"), "public");
    }
    // The regrown chain is consistent, but the head was left as it was.
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(!ok, "{out}");
    assert!(err.contains(&format!("entry {n} does not match the signed head")), "{err}");
    assert!(s.stderr().contains("no longer matches its signed head"), "{}", s.stderr());
}

/// Figures for the README, not a timed test:
/// `cargo test --release --test activity_log bench -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_verify_100k_entries_and_head_cost() {
    use plaza::db::{self, log::Source};
    use std::time::Instant;
    let dir = tempfile::tempdir().unwrap();
    let (keys, conn) = plaza::server::prepare_data(dir.path()).unwrap();
    let head = db::log::HeadFile::new(dir.path(), &keys.audit).unwrap();
    head.arm(&conn).unwrap();
    let src = Source { account_id: Some(1), ip: "203.0.113.7".into(), port: 40000, user_agent: "bench".into() };
    db::write(&conn, |tx| {
        for i in 0..100_000 {
            db::log::append(tx, &keys.audit, &src, 1_700_000_000 + i, "post.create", &format!("post:{i}"), "ok")?;
        }
        Ok(())
    })
    .unwrap();
    head.sync(&conn, 1_700_000_000).unwrap();
    let t = Instant::now();
    let out = plaza::cli::log_verify(dir.path(), None).unwrap();
    eprintln!("{out}: verify took {:?}", t.elapsed());

    let one = |sync: bool| {
        let t = Instant::now();
        for i in 0..500 {
            db::write(&conn, |tx| db::log::append(tx, &keys.audit, &src, 1_800_000_000 + i, "x", "y", "ok")).unwrap();
            if sync {
                head.sync(&conn, 1_800_000_000).unwrap();
            }
        }
        t.elapsed() / 500
    };
    let without = one(false);
    let with = one(true);
    eprintln!("one logged commit: {without:?} without the head, {with:?} with it");
}
