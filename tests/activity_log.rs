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
        if action == "agreement.publish" {
            continue; // the server's own start-up entry
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
