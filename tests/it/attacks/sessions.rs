//! Sessions (issue 15): idle and absolute expiry (30 days for members, 12
//! hours for staff), `/settings/sessions` with device in words, address
//! and last use, ending one session or every other one; a password change
//! ends the others; a new token at every login (no session fixation); the
//! last use written at most once a minute.

use crate::common::gov::*;
use crate::common::{Client, Server};
use std::time::Duration;

const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const COMPUTER: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/// A browser sending `user_agent`.
fn browser(s: &Server, user_agent: &str) -> Client {
    Client {
        agent: ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(30)).user_agent(user_agent).build(),
        base: s.base.clone(),
        data: s.data.path().to_path_buf(),
    }
}

/// Is this browser signed in as `name`?
fn signed_in(c: &Client, name: &str) -> bool {
    c.get("/settings/profile").status == 200 && c.get("/").has(&format!("href=\"/@{name}\""))
}

fn sql(s: &Server, q: &str) {
    db(s).execute(q, []).unwrap();
}

/// The page lists each device in words with its address; one session or
/// every other one can be signed out; both are logged.
#[test]
fn sessions_are_listed_and_signed_out() {
    let s = Server::start();
    let phone = browser(&s, PHONE);
    phone.signup("alice");
    let computer = browser(&s, COMPUTER);
    assert_eq!(computer.login("alice").status, 303);
    let third = s.client();
    assert_eq!(third.login("alice").status, 303);

    let p = phone.get("/settings/sessions");
    assert_eq!(p.status, 200);
    assert!(p.has("手机 · Safari · iPhone") && p.has("当前设备"), "{}", p.body);
    assert!(p.has("电脑 · Chrome · Windows"), "{}", p.body);
    assert!(p.has("127.0.0.1") && p.has("最近使用"), "{}", p.body);
    assert!(!p.has("smartphone") && !p.has(">pc<") && !p.has("UNKNOWN"), "no raw values on a zh-CN page");
    assert!(phone.get("/settings/sessions?lang=en").has("phone · Safari · iPhone"));

    // End the computer's session from the phone.
    let handle = {
        let conn = db(&s);
        let hash: Vec<u8> = conn
            .query_row("SELECT token_hash FROM sessions WHERE user_agent LIKE '%Windows%'", [], |r| r.get(0))
            .unwrap();
        hex_of(&hash[..16])
    };
    let action = format!("/settings/sessions/{handle}/end");
    assert!(phone.get("/settings/sessions").has(&action), "a button per session");
    assert_eq!(phone.post(&action, &[]).status, 303);
    assert!(!signed_in(&computer, "alice"), "the computer is signed out");
    assert!(signed_in(&phone, "alice") && signed_in(&third, "alice"));
    assert_eq!(phone.post(&action, &[]).status, 404, "gone now");
    let bob = member(&s, "bob");
    let bobs = bob.post(&action.replace(&handle, &hex_of(&[0u8; 16])), &[]);
    assert_eq!(bobs.status, 404);

    // Sign out everywhere else.
    let p = phone.post("/settings/sessions/others/end", &[]);
    assert_eq!(p.status, 303);
    assert!(!signed_in(&third, "alice"));
    assert!(signed_in(&phone, "alice"));
    assert!(phone.get("/settings/sessions?ended=1").has("Sessions signed out: 1"));
    let n = count(&s, "SELECT count(*) FROM activity_log WHERE action IN ('session.end', 'session.end_others')");
    assert_eq!(n, 2);
    // Ending the current session is logging out here.
    let mine = phone.get("/settings/sessions");
    let i = mine.body.find("/settings/sessions/").unwrap();
    let own: String = mine.body[i..].split('"').next().unwrap().to_string();
    assert!(own.ends_with("/end") && !own.contains("others"), "{own}");
    assert_eq!(phone.post(&own, &[]).status, 303);
    assert!(!signed_in(&phone, "alice"));
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A session ends when unused: 30 days for a member, 12 hours for staff;
/// and after its lifetime however much it is used.
#[test]
fn idle_and_absolute_expiry() {
    let (s, admin) = crate::common::with_admin();
    let alice = member(&s, "alice");
    let user = |n: &str| format!("user_id = (SELECT id FROM users WHERE username = '{n}')");
    // 13 hours idle: the member stays, the admin is out.
    sql(&s, &format!("UPDATE sessions SET last_seen_at = last_seen_at - 13 * 3600 WHERE {}", user("alice")));
    sql(&s, &format!("UPDATE sessions SET last_seen_at = last_seen_at - 13 * 3600 WHERE {}", user("admin")));
    assert!(signed_in(&alice, "alice"), "a member after 13 hours");
    assert!(!signed_in(&admin, "admin"), "staff after 12 hours idle");
    assert_eq!(admin.get("/admin").status, 303, "to the login page");
    // 31 days idle: the member is out too.
    sql(&s, &format!("UPDATE sessions SET last_seen_at = last_seen_at - 31 * 86400 WHERE {}", user("alice")));
    assert!(!signed_in(&alice, "alice"), "a member after 31 days idle");
    // Used a minute ago, but signed in 91 days ago: out.
    assert_eq!(alice.login("alice").status, 303);
    sql(&s, &format!("UPDATE sessions SET created_at = created_at - 91 * 86400 WHERE {}", user("alice")));
    assert!(!signed_in(&alice, "alice"), "past the lifetime");
    // Staff: a week at most.
    assert_eq!(admin.login("admin").status, 303);
    sql(&s, &format!("UPDATE sessions SET created_at = created_at - 8 * 86400 WHERE {}", user("admin")));
    assert!(!signed_in(&admin, "admin"), "a staff session past a week");
}

/// The last use is written at most once a minute per session.
#[test]
fn last_use_is_written_at_most_once_a_minute() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let seen = || count(&s, "SELECT last_seen_at FROM sessions");
    sql(&s, "UPDATE sessions SET last_seen_at = last_seen_at - 30");
    let before = seen();
    alice.get("/");
    assert_eq!(seen(), before, "30 s ago: not written again");
    sql(&s, "UPDATE sessions SET last_seen_at = last_seen_at - 90");
    let before = seen();
    alice.get("/");
    assert!(seen() >= before + 90, "90 s ago: written");
}

/// A password change ends every other session, not this one.
#[test]
fn a_password_change_ends_the_other_sessions() {
    let s = Server::start();
    let a = member(&s, "alice");
    let b = s.client();
    assert_eq!(b.login("alice").status, 303);
    let p = a.post("/settings/password", &[("current", "correct horse"), ("password", "a brand new secret")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(signed_in(&a, "alice"));
    assert!(!signed_in(&b, "alice"));
}

/// Every login gets a new token, and the session the browser came with
/// ends (a planted cookie is worth nothing after login).
#[test]
fn no_session_fixation() {
    let s = Server::start();
    let a = member(&s, "alice");
    member(&s, "bob");
    let token = |p: &crate::common::Page| {
        p.headers
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("plaza_session="))
            .map(|(_, v)| v["plaza_session=".len()..].split(';').next().unwrap().to_string())
            .unwrap()
    };
    let first = token(&a.login("alice"));
    let second = token(&a.login("alice"));
    assert_ne!(first, second, "a new token at login");
    let old = s.client().get_raw("/settings/profile", &[("Cookie", &format!("plaza_session={first}"))]);
    assert_eq!(old.status, 303, "the old session ended");
    // Signing in as someone else from a signed-in browser ends the first session too.
    let third = token(&a.login("bob"));
    let old = s.client().get_raw("/settings/profile", &[("Cookie", &format!("plaza_session={second}"))]);
    assert_eq!(old.status, 303);
    let now = s.client().get_raw("/settings/profile", &[("Cookie", &format!("plaza_session={third}"))]);
    assert_eq!(now.status, 200);
    assert_eq!(
        count(&s, "SELECT count(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'alice')"),
        0
    );
}
