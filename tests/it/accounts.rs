//! Accounts: first-admin setup, sign-up rules, login/logout, password
//! guessing slowed, password change, agreement versions (R6.1), licence
//! footer (R4.1), languages.

use crate::common::{with_admin, Server};

#[test]
fn setup_token_creates_first_admin_once() {
    let (s, admin) = with_admin();
    let admin_page = admin.get("/admin");
    assert_eq!(admin_page.status, 200);
    // The token is dead after use, and a restart with an admin prints none.
    let url = s.setup_url.clone().unwrap();
    let again = s.client().get(&url[s.base.len()..]);
    assert_eq!(again.status, 410);
    let data = s.stop();
    let s2 = Server::start_in(data, &[], &[]);
    assert!(s2.setup_url.is_none());
}

#[test]
fn wrong_setup_token_is_refused() {
    let s = Server::start();
    let c = s.client();
    assert_eq!(c.get("/setup?token=nope").status, 410);
    let p = c
        .post("/setup", &[("token", "nope"), ("username", "mallory"), ("password", "12345678"), ("accept_terms", "1")]);
    assert_eq!(p.status, 410);
    assert_eq!(c.get("/@mallory").status, 404);
}

#[test]
fn signup_rules_and_case_insensitive_uniqueness() {
    let s = Server::start();
    let c = s.client();
    let cases = [
        ("ab", "correct horse", "1", "3-30"),
        ("bad name", "correct horse", "1", "字母"),
        ("alice", "short", "1", "8"),
        ("alice", "correct horse", "", "同意"),
    ];
    for (u, p, accept, msg) in cases {
        let page = c.post("/signup", &[("username", u), ("password", p), ("accept_terms", accept)]);
        assert_eq!(page.status, 422, "{u}");
        assert!(page.has(msg), "{u}: {}", page.body);
        // What was typed stays in the form (never the password).
        assert!(page.has(&format!("value=\"{u}\"")));
        assert!(!page.has(&format!("value=\"{p}\"")));
    }
    c.signup("Alice");
    let other = s.client();
    let dup = other.post("/signup", &[("username", "aLiCe"), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(dup.status, 409);
    assert!(dup.has("已被使用"));
    assert_eq!(other.get("/@alice").status, 200, "profiles are found case-insensitively");
}

#[test]
fn login_logout_and_failed_login() {
    let s = Server::start();
    let c = s.client();
    c.signup("bob_1");
    assert!(c.get("/").has("/@bob_1"));
    let out = c.post("/logout", &[]);
    assert_eq!(out.status, 303);
    assert!(!c.get("/").has("/@bob_1\">"));
    assert_eq!(c.get("/notifications").status, 303, "signed out: redirected to login");
    let bad = c.post("/login", &[("username", "bob_1"), ("password", "wrong password")]);
    assert_eq!(bad.status, 401);
    assert!(bad.has("用户名或密码错误"));
    assert!(bad.has("value=\"bob_1\""));
    let good = c.post("/login", &[("username", "BOB_1"), ("password", "correct horse"), ("next", "/public")]);
    assert_eq!(good.status, 303);
    assert_eq!(good.location.as_deref(), Some("/public"));
    // An open redirect is refused.
    c.post("/logout", &[]);
    let evil = c.post("/login", &[("username", "bob_1"), ("password", "correct horse"), ("next", "//evil.example")]);
    assert_eq!(evil.location.as_deref(), Some("/"));
}

#[test]
fn session_cookie_is_http_only_and_lax() {
    let s = Server::start();
    let c = s.client();
    let p = c.signup("cookie_user");
    let cookie =
        p.headers.iter().find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("plaza_session="));
    let (_, v) = cookie.expect("session cookie");
    assert!(v.contains("HttpOnly") && v.contains("SameSite=Lax"), "{v}");
}

#[test]
fn new_agreement_version_must_be_accepted_again() {
    // R6.1
    let (s, admin) = with_admin();
    let member = s.client();
    member.signup("carol");
    assert!(admin.get("/terms").has("第 1 版"));
    let form = admin.get("/admin/settings");
    assert!(form.has("当前为第 1 版"));
    let saved = admin.post(
        "/admin/settings",
        &[
            ("site_name", "测试广场"),
            ("icp_filing", "京ICP备12345678号-1"),
            ("psb_filing", "京公网安备11010502000001号"),
            ("news_licence", ""),
            ("footer_note", "运营者：测试学校"),
            ("agreement_text", "新版协议 v2"),
            ("rules_text", "新版规则 v2"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    // Every page footer shows the licence numbers (R4.1).
    let public = s.client().get("/public");
    assert!(public.has("京ICP备12345678号-1") && public.has("京公网安备11010502000001号"));
    assert!(public.has("测试广场") && public.has("运营者：测试学校"));
    // The member is sent to accept version 2 before anything else.
    let home = member.get("/");
    assert_eq!(home.status, 303);
    assert!(home.location.as_deref().unwrap().starts_with("/terms/accept"));
    let post = member.post("/posts", &[("body", "hi"), ("visibility", "public")]);
    assert_eq!(post.status, 303);
    assert!(post.location.as_deref().unwrap().starts_with("/terms/accept"));
    let accept = member.get("/terms/accept");
    assert!(accept.has("新版协议 v2") && accept.has("新版规则 v2"));
    // Accepting an older version than the current one proves nothing.
    let stale = member.post("/terms/accept", &[("version", "1")]);
    assert_eq!(stale.location.as_deref(), Some("/terms/accept"));
    assert_eq!(member.get("/").status, 303);
    let ok = member.post("/terms/accept", &[("version", "2"), ("next", "/public")]);
    assert_eq!(ok.location.as_deref(), Some("/public"));
    assert_eq!(member.get("/").status, 200);
    // The acceptance is stored with its time.
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let (v, at): (i64, i64) = conn
        .query_row("SELECT agreement_version, agreement_accepted_at FROM users WHERE username = 'carol'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(v, 2);
    assert!(at > 1_700_000_000);
}

#[test]
fn admin_pages_need_the_admin_role() {
    let (s, _admin) = with_admin();
    let member = s.client();
    member.signup("dave");
    assert_eq!(member.get("/admin").status, 403);
    assert_eq!(member.get("/admin/settings").status, 403);
    let p = member.post("/admin/settings", &[("site_name", "pwned"), ("agreement_text", "x"), ("rules_text", "y")]);
    assert_eq!(p.status, 403);
    assert!(!s.client().get("/").has("pwned"));
    assert_eq!(s.client().get("/admin").status, 303, "signed out: to login");
}

#[test]
fn languages_and_health() {
    let s = Server::start();
    let c = s.client();
    assert_eq!(c.get("/healthz").body, "ok");
    let zh = c.get("/public");
    assert!(zh.has("lang=\"zh-CN\"") && zh.has("广场"));
    let en = c.get("/public?lang=en");
    assert!(en.has("lang=\"en\"") && en.has("Public timeline"));
    // The choice sticks through a cookie.
    assert!(c.get("/signup").has("Create an account"));
    assert!(c.get("/signup?lang=zh").has("注册账号"));
}

#[test]
fn profile_settings_change_display_name_and_bio() {
    let s = Server::start();
    let c = s.client();
    c.signup("erin");
    let p = c.post("/settings/profile", &[("display_name", "小艾 🌸"), ("bio", "喜欢读书")]);
    assert_eq!(p.status, 303);
    let prof = s.client().get("/@erin");
    assert!(prof.has("小艾 🌸") && prof.has("喜欢读书"));
    let long = "长".repeat(31);
    let bad = c.post("/settings/profile", &[("display_name", &long), ("bio", "")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has(&long), "typed text kept");
    assert!(s.client().get("/@erin").has("小艾 🌸"), "nothing changed");
}

#[test]
fn password_guessing_is_slowed_and_passwords_can_be_changed() {
    let s = Server::start();
    let c = s.client();
    c.signup("guarded");
    c.post("/logout", &[]);
    let guesser = s.client();
    for _ in 0..5 {
        assert_eq!(guesser.post("/login", &[("username", "guarded"), ("password", "wrong password")]).status, 401);
    }
    let p = guesser.post("/login", &[("username", "guarded"), ("password", "correct horse")]);
    assert_eq!(p.status, 429, "even the right password waits: {}", p.body);
    assert!(p.has("登录失败次数过多"), "{}", p.body);
    assert_eq!(p.header("retry-after"), Some("2"), "a short wait, growing with each wrong try");

    // Changing the password needs the current one and ends other sessions.
    let t = Server::start();
    let a = t.client();
    a.signup("changer");
    let other_device = t.client();
    assert_eq!(other_device.login("changer").status, 303);
    let p = a.post("/settings/password", &[("current", "nope nope"), ("password", "a new password")]);
    assert_eq!(p.status, 422);
    let p = a.post("/settings/password", &[("current", "correct horse"), ("password", "short")]);
    assert_eq!(p.status, 422);
    let p = a.post("/settings/password", &[("current", "correct horse"), ("password", "a new password")]);
    assert_eq!(p.status, 303);
    assert!(a.get("/settings/password?saved=1").has("密码已修改"));
    assert_eq!(other_device.get("/notifications").status, 303, "the other session ended");
    a.post("/logout", &[]);
    assert_eq!(a.login("changer").status, 401, "the old password is dead");
    let p = a.post("/login", &[("username", "changer"), ("password", "a new password")]);
    assert_eq!(p.status, 303);
}
