//! Log retention (R16.2): kept at least 180 days whatever the configuration
//! says, pruned past `log_retention_days` (default 365) by `plaza log prune`
//! or the server's daily task, with a signed checkpoint so the chain still
//! verifies. Entries are aged with the test-only clock shift
//! `PLAZA_CLOCK_OFFSET_SECONDS`.

use crate::common::Server;
use std::process::Command;

const DAY: i64 = 86_400;

fn plaza(data: &std::path::Path, args: &[&str], offset_days: i64) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("PLAZA_CLOCK_OFFSET_SECONDS", (offset_days * DAY).to_string())
        .env_remove("PLAZA_LOG_RETENTION_DAYS")
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn ids(data: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(data.join("plaza.db")).unwrap();
    conn.query_row("SELECT min(id), max(id) FROM activity_log", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap()
}

fn start_at(data: tempfile::TempDir, offset_days: i64) -> Server {
    Server::start_in(data, &[], &[("PLAZA_CLOCK_OFFSET_SECONDS", &(offset_days * DAY).to_string())])
}

#[test]
fn retention_under_180_days_is_refused_at_start_up() {
    let data = tempfile::tempdir().unwrap();
    let (ok, out) = plaza(data.path(), &["--listen", "127.0.0.1:0", "--log-retention-days", "179"], 0);
    assert!(!ok);
    assert!(out.contains("log_retention_days = 179") && out.contains("at least 180 days"), "{out}");
    std::fs::write(data.path().join("plaza.toml"), "log_retention_days = 30\n").unwrap();
    let (ok, out) = plaza(data.path(), &["--listen", "127.0.0.1:0"], 0);
    assert!(!ok && out.contains("log_retention_days = 30"), "{out}");
    assert!(!data.path().join("plaza.db").exists(), "refused before touching anything");
}

#[test]
fn prune_keeps_young_entries_and_the_chain_verifiable() {
    // 400 days ago: a member signs up and posts.
    let s = start_at(tempfile::tempdir().unwrap(), -400);
    let c = s.client();
    c.signup("old_timer");
    c.post_status("四百天前", "public");
    let (_, old_last) = ids(s.data.path());
    let data = s.stop();

    // 100 days ago: more activity.
    let s = start_at(data, -100);
    let c = s.client();
    c.signup("recent");
    c.post_status("一百天前", "public");
    let (_, mid_last) = ids(s.data.path());
    let data = s.stop();

    // Nothing under 180 days goes, whatever is asked.
    let (ok, out) = plaza(data.path(), &["log", "prune", "--older-than-days", "30"], 0);
    assert!(!ok && out.contains("younger than 180 days are never deleted"), "{out}");
    let (ok, out) = plaza(data.path(), &["log", "prune", "--log-retention-days", "90"], 0);
    assert!(!ok && out.contains("at least 180 days"), "{out}");
    // Default retention 365 days: only the 400-day-old entries are old enough...
    let (ok, out) = plaza(data.path(), &["log", "prune"], 0);
    assert!(ok, "{out}");
    assert!(out.contains(&format!("(1-{old_last}) older than 365 days")), "{out}");
    let (first, _) = ids(data.path());
    assert_eq!(first, old_last + 1);
    // ...and the chain still verifies, from the signed checkpoint.
    let (ok, out) = plaza(data.path(), &["log", "verify"], 0);
    assert!(ok, "{out}");
    assert!(out.contains(&format!("after the pruning checkpoint at entry {old_last}")), "{out}");
    // The prune itself is logged.
    let conn = rusqlite::Connection::open(data.path().join("plaza.db")).unwrap();
    let (target, outcome): (String, String) = conn
        .query_row("SELECT target, outcome FROM activity_log WHERE action = 'log.prune'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(target, format!("log:1-{old_last}"));
    assert!(outcome.contains("older than 365 days"), "{outcome}");

    // At 180 days the 100-day-old entries stay.
    let (ok, out) = plaza(data.path(), &["log", "prune", "--older-than-days", "180"], 0);
    assert!(ok && out.contains("nothing to prune"), "{out}");
    // A command whose clock is wrong (100 days fast) would take them: the
    // database's own guard, on the real clock, refuses and nothing changes.
    let (ok, out) = plaza(data.path(), &["log", "prune", "--older-than-days", "180"], 100);
    assert!(!ok, "{out}");
    assert!(out.contains("younger than 180 days cannot be deleted"), "{out}");
    assert_eq!(ids(data.path()).0, old_last + 1);
    assert!(ids(data.path()).1 > mid_last);
    let (ok, out) = plaza(data.path(), &["log", "verify"], 0);
    assert!(ok, "{out}");

    // The server goes on appending after the checkpoint and verify holds.
    let s = start_at(data, 0);
    s.client().signup("after_prune");
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
}

#[test]
fn the_server_prunes_daily_and_a_forged_start_is_caught() {
    let s = start_at(tempfile::tempdir().unwrap(), -400);
    s.client().signup("ancient");
    let data = s.stop();
    // (At -100 days the daily prune at start-up finds nothing 365 days old.)
    let s = start_at(data, -100);
    s.client().signup("young");
    let (_, young_last) = ids(s.data.path());
    let data = s.stop();

    // Deleting old rows by hand (the guard allows it past 180 days) is caught.
    let copy = tempfile::tempdir().unwrap();
    for f in ["plaza.db", "plaza.db-wal", "plaza.key", "log.head"] {
        if data.path().join(f).exists() {
            std::fs::copy(data.path().join(f), copy.path().join(f)).unwrap();
        }
    }
    rusqlite::Connection::open(copy.path().join("plaza.db"))
        .unwrap()
        .execute("DELETE FROM activity_log WHERE id <= 2", [])
        .unwrap();
    let (ok, out) = plaza(copy.path(), &["log", "verify"], 0);
    assert!(!ok && out.contains("broken at entry 3") && out.contains("no pruning checkpoint"), "{out}");

    // The server prunes at start-up (and daily after that) with its retention.
    let s = start_at(data, 0);
    assert!(s.stderr().contains("pruned activity-log entries 1-"), "{}", s.stderr());
    let (first, last) = ids(s.data.path());
    assert!(first > 1 && first <= young_last && last > young_last, "{first} {last}");
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
    // A checkpoint edited to skip more entries does not verify.
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    conn.execute("UPDATE activity_log_checkpoint SET last_id = last_id + 1", []).unwrap();
    let (ok, _, err) = s.command(&["log", "verify"]);
    assert!(!ok && err.contains("checkpoint's signature does not match"), "{err}");
}
