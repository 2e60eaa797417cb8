//! The signed head of the activity log is never re-signed silently (R16.3):
//! a missing, damaged, forged, older or mismatching head stops the server
//! and every logging command with a message that says what was found and
//! how to proceed; `plaza log reseal` logs a `log.reseal` entry first and
//! only then signs anew, and `log verify` and `doctor` list every reseal.
//! `doctor` also checks the append-only triggers (R16.2, R12.2).

use crate::common::Server;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `plaza ARGS --data DIR`: (success, stdout + stderr).
fn plaza(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plaza")).args(args).arg("--data").arg(dir).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Start `plaza serve` on `dir` and expect it to stop by itself.
fn serve_refuses(dir: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plaza"))
        .arg("--data")
        .arg(dir)
        .args(["--listen", "127.0.0.1:0", "--bcrypt-cost", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            assert!(!status.success());
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(!text.contains("Plaza listening"), "{text}");
            return text;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the server started on a damaged head");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn head_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("log.head")).unwrap()
}

fn entries(dir: &Path) -> i64 {
    rusqlite::Connection::open(dir.join("plaza.db"))
        .unwrap()
        .query_row("SELECT max(id) FROM activity_log", [], |r| r.get(0))
        .unwrap()
}

/// A site with a few posts, stopped, plus the head it had after the first
/// post; the witness has moved past that head (the server records it at
/// most once a second).
fn site() -> (tempfile::TempDir, String) {
    let s = Server::start();
    let c = s.client();
    c.signup("head_case");
    c.post_status("一", "public");
    let early = head_of(s.data.path());
    for i in 0..3 {
        std::thread::sleep(Duration::from_millis(1100));
        c.post_status(&format!("后来 {i}"), "public");
    }
    (s.stop(), early)
}

/// Refused at start, by a logging command (backup: nothing written) and by
/// verify with `fault`; then resealed with an entry; then verify, doctor and
/// the server are fine and list the reseal.
fn refuse_then_reseal(dir: &Path, found: &str, fault: &str, doctor_clean: bool) {
    let text = serve_refuses(dir);
    assert!(text.contains("will not append to the activity log"), "{text}");
    assert!(text.contains(found), "wanted {found:?} in {text}");
    assert!(text.contains("plaza log reseal --reason"), "{text}");
    let before = entries(dir);

    let out_dir = dir.parent().unwrap().join(format!("backup-{}", std::process::id()));
    let (ok, text) = plaza(dir, &["backup", "--out", out_dir.to_str().unwrap()]);
    assert!(!ok && text.contains(found), "{text}");
    assert!(!out_dir.exists(), "a refused backup writes nothing");

    let (ok, text) = plaza(dir, &["log", "verify"]);
    assert!(!ok && text.contains(fault), "wanted {fault:?} in {text}");
    assert_eq!(entries(dir), before, "nothing was appended");

    let (ok, text) = plaza(dir, &["log", "reseal"]);
    assert!(!ok && text.contains("--reason"), "a reason is required: {text}");
    let (ok, text) = plaza(dir, &["log", "reseal", "--reason", "fault trial", "--operator", "ops-wang"]);
    assert!(ok, "{text}");
    assert!(text.contains("old head: ") && text.contains("new head: plaza-log-head-v1"), "{text}");

    // The entry: source cli, the old head's state, operator and reason.
    let conn = rusqlite::Connection::open(dir.join("plaza.db")).unwrap();
    let (id, ip, ua, outcome): (i64, String, String, String) = conn
        .query_row(
            "SELECT id, ip, user_agent, outcome FROM activity_log WHERE action = 'log.reseal' ORDER BY id DESC",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(id, before + 1);
    assert_eq!((ip.as_str(), ua.as_str()), ("cli", "plaza log reseal"));
    assert!(outcome.contains(found.trim_start_matches("is ")), "{outcome}");
    assert!(outcome.contains("operator ops-wang; reason: fault trial"), "{outcome}");
    assert!(head_of(dir).contains(&format!("entries={id} ")), "signed after the entry");

    let (ok, text) = plaza(dir, &["log", "verify"]);
    assert!(ok, "{text}");
    assert!(text.contains(&format!("log: head resealed at entry {id} on ")), "{text}");
    assert!(text.contains("reason: fault trial"), "{text}");
    let (ok, text) = plaza(dir, &["doctor"]);
    assert_eq!(ok, doctor_clean, "{text}");
    assert!(text.contains(&format!("head resealed at entry {id}")), "{text}");
    let (ok, text) = plaza(dir, &["log", "reseal", "--reason", "again"]);
    assert!(!ok && text.contains("nothing to reseal"), "{text}");
}

#[test]
fn deleted_head_refuses_then_reseals() {
    let (data, _) = site();
    std::fs::remove_file(data.path().join("log.head")).unwrap();
    refuse_then_reseal(data.path(), "is missing (the log holds", "no signed head file", true);
    // And the server starts again on the resealed head.
    let s = Server::start_in(data, &[], &[]);
    let c = s.client();
    c.signup("after_reseal");
    c.post_status("再来", "public");
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
}

#[test]
fn truncated_head_file_refuses_then_reseals() {
    let (data, _) = site();
    let head = head_of(data.path());
    std::fs::write(data.path().join("log.head"), &head[..head.len() / 2]).unwrap();
    refuse_then_reseal(data.path(), "forged or damaged: ", "log.head: ", true);
}

#[test]
fn forged_head_refuses_then_reseals() {
    let (data, _) = site();
    let head = head_of(data.path());
    let n = entries(data.path());
    std::fs::write(data.path().join("log.head"), head.replace(&format!("entries={n} "), "entries=2 ")).unwrap();
    refuse_then_reseal(data.path(), "the log head's signature does not match", "signature does not match", true);
}

#[test]
fn older_head_copied_back_refuses_then_reseals() {
    let (data, early) = site();
    std::fs::write(data.path().join("log.head"), early).unwrap();
    refuse_then_reseal(data.path(), "older head copied back", "older than a head this site already signed", true);
}

#[test]
fn rows_cut_with_the_head_deleted_refuse_then_reseal() {
    let (data, _) = site();
    let n = entries(data.path());
    let conn = rusqlite::Connection::open(data.path().join("plaza.db")).unwrap();
    conn.execute_batch("DROP TRIGGER activity_log_no_delete;").unwrap();
    conn.execute("DELETE FROM activity_log WHERE id > ?1", [n - 3]).unwrap();
    drop(conn);
    std::fs::remove_file(data.path().join("log.head")).unwrap();
    // No repair is logged over a damaged head.
    let (ok, text) = plaza(data.path(), &["doctor", "--repair"]);
    assert!(!ok && text.contains("triggers not restored: will not append"), "{text}");
    // The witness still knows more entries were signed: the cut shows.
    refuse_then_reseal(data.path(), "entries were cut off", "the newest entries were cut off", false);
    // The trigger is still gone: doctor says so, --repair restores and logs it.
    let (ok, text) = plaza(data.path(), &["doctor"]);
    assert!(!ok && text.contains("trigger activity_log_no_delete is missing"), "{text}");
    let (ok, text) = plaza(data.path(), &["doctor", "--repair"]);
    assert!(ok && text.contains("restored triggers activity_log_no_delete"), "{text}");
    let conn = rusqlite::Connection::open(data.path().join("plaza.db")).unwrap();
    let target: String =
        conn.query_row("SELECT target FROM activity_log WHERE action = 'db.repair'", [], |r| r.get(0)).unwrap();
    assert_eq!(target, "triggers:activity_log_no_delete");
    assert!(conn.execute("DELETE FROM activity_log WHERE id = 1", []).is_err(), "guard is back (R16.2)");
    let (ok, text) = plaza(data.path(), &["doctor"]);
    assert!(ok, "{text}");
}

#[test]
fn a_head_lost_while_running_is_reported_not_rewritten() {
    let s = Server::start();
    let admin = crate::common::setup_admin(&s);
    admin.get("/?lang=en");
    let c = s.client();
    c.signup("running_case");
    // Let the identity webhook's worker finish signing its entry first: a
    // rewrite already under way when the file is deleted may land after.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !head_of(s.data.path()).contains(&format!("entries={} ", entries(s.data.path()))) {
        assert!(Instant::now() < deadline, "{}", s.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let head = s.data.path().join("log.head");
    std::fs::remove_file(&head).unwrap();
    // The post itself is committed and served.
    let id = c.post_status("头文件没了", "public");
    assert!(c.get(&format!("/posts/{id}")).has("头文件没了"));
    assert!(!head.exists(), "never re-signed silently");
    let err = s.stderr();
    assert!(err.contains("ACTIVITY-LOG HEAD PROBLEM (R16.3)") && err.contains("log.head went missing"), "{err}");
    // Admins see it on every page (issue 14); members do not.
    assert!(admin.get("/public").has("signed head went missing or was changed"));
    assert!(!c.get("/public?lang=en").has("signed head"));
    // Logging commands refuse too, while the server runs.
    let (ok, text, _) = s.command(&["feature", "off", "reposts"]);
    assert!(!ok, "{text}");
    // The operator reseals; the server notices and signs again.
    let (ok, out, err) = s.command(&["log", "reseal", "--reason", "head deleted by mistake"]);
    assert!(ok, "{out}{err}");
    c.post_status("之后", "public");
    let n = entries(s.data.path());
    let deadline = Instant::now() + Duration::from_secs(5);
    while !head_of(s.data.path()).contains(&format!("entries={n} ")) {
        assert!(Instant::now() < deadline, "{}", s.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(s.stderr().contains("resealed by the operator"), "{}", s.stderr());
    assert!(!admin.get("/public").has("signed head went missing"));
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok && out.contains("reason: head deleted by mistake"), "{out}{err}");
}
