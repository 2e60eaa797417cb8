//! Activity-log fields (R16.1): every logged action carries the account,
//! UTC time, the source IP and the exact source port of the connection,
//! the user agent, the action, its target and an outcome; proxy headers
//! count only from a configured trusted proxy; a member who guesses a staff
//! URL gets 403 and the attempt is logged (R6.5).

use crate::common::{RawAnswer, RawClient, Server};

#[derive(Debug, Clone)]
struct Row {
    at: i64,
    account: Option<i64>,
    ip: String,
    port: i64,
    ua: String,
    action: String,
    target: String,
    outcome: String,
}

/// Log rows after id `*last`, advancing it.
fn new_rows(s: &Server, last: &mut i64) -> Vec<Row> {
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id, at, account_id, ip, port, user_agent, action, target, outcome FROM activity_log
             WHERE id > ?1 ORDER BY id",
        )
        .unwrap();
    let rows: Vec<(i64, Row)> = stmt
        .query_map([*last], |r| {
            Ok((
                r.get(0)?,
                Row {
                    at: r.get(1)?,
                    account: r.get(2)?,
                    ip: r.get(3)?,
                    port: r.get(4)?,
                    ua: r.get(5)?,
                    action: r.get(6)?,
                    target: r.get(7)?,
                    outcome: r.get(8)?,
                },
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    if let Some((id, _)) = rows.last() {
        *last = *id;
    }
    rows.into_iter().map(|(_, r)| r).collect()
}

fn user_id(s: &Server, name: &str) -> i64 {
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    conn.query_row("SELECT id FROM users WHERE username = ?1", [name], |r| r.get(0)).unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Check that `answer`'s request logged exactly `want` (action, target,
/// outcome) from its own connection, by `account`.
fn expect(s: &Server, last: &mut i64, answer: &RawAnswer, account: Option<i64>, ua: &str, want: &[(&str, &str, &str)]) {
    let rows = new_rows(s, last);
    let got: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r.action.as_str(), r.target.as_str(), r.outcome.as_str())).collect();
    assert_eq!(got, want, "status {}: {}", answer.status, &answer.body[..answer.body.len().min(300)]);
    for r in &rows {
        assert_eq!(r.account, account, "{r:?}");
        assert_eq!(r.ip, "127.0.0.1", "{r:?}");
        assert_eq!(r.port, answer.local_port as i64, "source port of {r:?}");
        assert_eq!(r.ua, ua, "{r:?}");
        assert!((now() - r.at).abs() <= 5, "UTC unix time: {r:?}");
    }
}

#[test]
fn every_action_logs_its_fields_and_exact_source_port() {
    let s = Server::start();
    let mut last = 0;
    new_rows(&s, &mut last); // the server's own start-up entry

    // First admin through the setup link (role grant is a staff action).
    let token = s.setup_url.as_deref().unwrap().split("token=").nth(1).unwrap().to_string();
    let mut admin = RawClient::new(&s, "AdminBrowser/1");
    let a = admin.post(
        "/setup",
        &[("token", &token), ("username", "boss"), ("password", "correct horse"), ("accept_terms", "1")],
    );
    assert_eq!(a.status, 303);
    let boss = user_id(&s, "boss");
    let t = format!("user:{boss}");
    expect(
        &s,
        &mut last,
        &a,
        Some(boss),
        "AdminBrowser/1",
        // Every staff role (issue 13).
        &[
            ("user.signup", &t, "agreement v1"),
            ("role.grant", &t, "reviewer"),
            ("role.grant", &t, "chief_editor"),
            ("role.grant", &t, "admin"),
            ("user.login", &t, "ok"),
        ],
    );

    let ua = "MemberBrowser/2";
    let mut m = RawClient::new(&s, ua);
    let a = m.post("/signup", &[("username", "member"), ("password", "correct horse"), ("accept_terms", "1")]);
    let me = user_id(&s, "member");
    let t = format!("user:{me}");
    expect(&s, &mut last, &a, Some(me), ua, &[("user.signup", &t, "agreement v1"), ("user.login", &t, "ok")]);

    // Binding an identity (R7.1, R16.1): the form, the code, then the webhook's answer.
    let (bind, confirm) = m.verify_identity(s.data.path(), "member");
    let mut rows = new_rows(&s, &mut last);
    let webhook = rows.pop().unwrap();
    assert_eq!(
        (
            webhook.action.as_str(),
            webhook.target.as_str(),
            webhook.outcome.as_str(),
            webhook.account,
            webhook.ip.as_str()
        ),
        ("identity.verify", t.as_str(), "ok webhook", None, "webhook")
    );
    let mut bind_rows = rows.clone();
    let confirm_row = bind_rows.pop().unwrap();
    assert_eq!(
        (confirm_row.action.as_str(), confirm_row.outcome.as_str()),
        ("identity.code_confirm", "ok, to webhook")
    );
    assert_eq!(confirm_row.port, confirm.local_port as i64);
    let got: Vec<(&str, &str)> = bind_rows.iter().map(|r| (r.action.as_str(), r.outcome.as_str())).collect();
    assert_eq!(got, [("identity.bind", "ok"), ("identity.code_send", "ok")]);
    assert!(rows.iter().all(|r| r.account == Some(me) && r.ua == ua));
    assert!(bind_rows.iter().all(|r| r.port == bind.local_port as i64));

    let a = m.post("/posts", &[("body", "字段测试 #日志#"), ("visibility", "public")]);
    let post: i64 = crate::common::id_from(a.location.as_deref().unwrap());
    let pt = format!("post:{post}");
    expect(&s, &mut last, &a, Some(me), ua, &[("post.create", &pt, "ok")]);

    let a = m.post(&format!("/posts/{post}/comments"), &[("body", "评论")]);
    let comment: i64 = a.location.as_deref().unwrap().split("comment-").nth(1).unwrap().parse().unwrap();
    let ct = format!("comment:{comment}");
    expect(&s, &mut last, &a, Some(me), ua, &[("comment.create", &ct, "ok")]);

    let a = m.post(&format!("/posts/{post}/like"), &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("post.like", &pt, "ok")]);
    let a = m.post(&format!("/posts/{post}/unlike"), &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("post.unlike", &pt, "ok")]);

    let a = m.post(&format!("/posts/{post}/repost"), &[("body", "转")]);
    let repost = crate::common::id_from(a.location.as_deref().unwrap());
    expect(&s, &mut last, &a, Some(me), ua, &[("post.repost", &format!("post:{repost} of post:{post}"), "ok")]);

    let bt = format!("user:{boss}");
    let a = m.post("/@boss/follow", &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("user.follow", &bt, "ok")]);
    let a = m.post("/@boss/unfollow", &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("user.unfollow", &bt, "ok")]);

    let a = m.post("/settings/profile", &[("display_name", "M"), ("bio", "b")]);
    expect(&s, &mut last, &a, Some(me), ua, &[("user.profile_update", &t, "ok")]);

    let a = m.post(&format!("/comments/{comment}/delete"), &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("comment.delete", &ct, "ok")]);
    let a = m.post(&format!("/posts/{repost}/delete"), &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("post.delete", &format!("post:{repost}"), "ok")]);

    // A member who guesses staff URLs: 403, and each attempt is logged (R6.5).
    for (method, path) in [("GET", "/admin"), ("GET", "/admin/settings"), ("POST", "/admin/settings")] {
        let a = if method == "GET" { m.send("GET", path, &[]) } else { m.post(path, &[("site_name", "pwned")]) };
        assert_eq!(a.status, 403, "{method} {path}");
        expect(
            &s,
            &mut last,
            &a,
            Some(me),
            ua,
            &[("access.denied", &format!("path:{path}"), &format!("forbidden {method}"))],
        );
    }
    // Deleting someone else's post is refused and logged the same way.
    admin.verify_identity(s.data.path(), "boss");
    let a = admin.post("/posts", &[("body", "管理员的微博"), ("visibility", "public")]);
    let boss_post = crate::common::id_from(a.location.as_deref().unwrap());
    new_rows(&s, &mut last);
    let a = m.post(&format!("/posts/{boss_post}/delete"), &[]);
    assert_eq!(a.status, 403);
    let path = format!("/posts/{boss_post}/delete");
    expect(&s, &mut last, &a, Some(me), ua, &[("access.denied", &format!("path:{path}"), "forbidden POST")]);

    // Staff actions: a setting change and a new agreement version.
    let a = admin.post(
        "/admin/settings",
        &[
            ("site_name", "Plaza"),
            ("icp_filing", "京ICP备12345678号"),
            ("agreement_text", "新协议"),
            ("rules_text", "新规则"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    expect(
        &s,
        &mut last,
        &a,
        Some(boss),
        "AdminBrowser/1",
        &[("setting.change", "setting:icp_filing", "ok"), ("agreement.publish", "agreement:2", "ok")],
    );
    // The member accepts the new version.
    let a = m.post("/terms/accept", &[("version", "2"), ("next", "/")]);
    expect(&s, &mut last, &a, Some(me), ua, &[("agreement.accept", "agreement:2", "ok")]);

    let a = m.post("/logout", &[]);
    expect(&s, &mut last, &a, Some(me), ua, &[("user.logout", &t, "ok")]);
    let a = m.post("/login", &[("username", "member"), ("password", "not the password")]);
    assert_eq!(a.status, 401);
    expect(&s, &mut last, &a, Some(me), ua, &[("user.login_failed", &t, "wrong credentials")]);
    let a = m.post("/login", &[("username", "nobody_here"), ("password", "whatever1")]);
    expect(&s, &mut last, &a, None, ua, &[("user.login_failed", "unknown", "wrong credentials")]);
    let a = m.post("/login", &[("username", "member"), ("password", "correct horse")]);
    expect(&s, &mut last, &a, Some(me), ua, &[("user.login", &t, "ok")]);

    // Never a password or token in the log (R7.5).
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let all: String = conn
        .prepare("SELECT ip || port || user_agent || action || target || outcome FROM activity_log")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!all.contains("correct horse") && !all.contains("not the password") && !all.contains(&token));
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
}

/// Sign up through `c` and return the answer of the sign-up request.
fn raw_signup(c: &mut RawClient, name: &str) -> RawAnswer {
    let a = c.post("/signup", &[("username", name), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(a.status, 303, "{}", a.body);
    a
}

fn last_row(s: &Server) -> Row {
    let mut last = 0;
    new_rows(s, &mut last).pop().unwrap()
}

#[test]
fn proxy_headers_are_believed_only_from_trusted_proxies() {
    // No trusted proxy: forged headers change nothing.
    let s = Server::start();
    let mut c = RawClient::new(&s, "ua");
    c.headers = vec![("X-Forwarded-For".into(), "203.0.113.7:4711".into()), ("X-Real-IP".into(), "203.0.113.9".into())];
    let a = raw_signup(&mut c, "untrusted");
    let r = last_row(&s);
    assert_eq!((r.ip.as_str(), r.port), ("127.0.0.1", a.local_port as i64));
    drop(s);

    // 127.0.0.1 is a trusted proxy: its headers name the client.
    let s = Server::start_with(&["--trusted-proxies", "10.9.9.9,127.0.0.1"], &[]);
    let mut c = RawClient::new(&s, "ua");
    c.headers = vec![("X-Forwarded-For".into(), "203.0.113.7:4711".into())];
    raw_signup(&mut c, "with_port");
    let r = last_row(&s);
    assert_eq!((r.ip.as_str(), r.port), ("203.0.113.7", 4711));
    c.verify_identity(s.data.path(), "with_port");

    // No port in the header: the socket's port is kept.
    c.headers = vec![("X-Forwarded-For".into(), "198.51.100.20".into())];
    let a = c.post("/posts", &[("body", "x"), ("visibility", "public")]);
    let r = last_row(&s);
    assert_eq!((r.ip.as_str(), r.port), ("198.51.100.20", a.local_port as i64));

    // A client-supplied entry on the left is passed over; trusted hops are skipped.
    c.headers = vec![("X-Forwarded-For".into(), "6.6.6.6, [2001:db8::5]:999, 10.9.9.9".into())];
    c.post("/posts", &[("body", "y"), ("visibility", "public")]);
    let r = last_row(&s);
    assert_eq!((r.ip.as_str(), r.port), ("2001:db8::5", 999));

    // X-Real-IP when there is no X-Forwarded-For.
    c.headers = vec![("X-Real-IP".into(), "192.0.2.44:5151".into())];
    c.post("/posts", &[("body", "z"), ("visibility", "public")]);
    let r = last_row(&s);
    assert_eq!((r.ip.as_str(), r.port), ("192.0.2.44", 5151));

    // Garbage falls back to the proxy's own address.
    c.headers = vec![("X-Forwarded-For".into(), "<script>".into())];
    let a = c.post("/posts", &[("body", "w"), ("visibility", "public")]);
    let r = last_row(&s);
    assert_eq!((r.ip.as_str(), r.port), ("127.0.0.1", a.local_port as i64));
}
