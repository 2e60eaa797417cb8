//! Second factor (issue 15): TOTP (RFC 6238) with recovery codes, required
//! for admins and chief editors (staff pages refused until it is on; they
//! are sent to set it up at login), offered to members; after the password
//! a session opens nothing but the code page; a code is never taken twice;
//! wrong codes are throttled.

use crate::common::gov::*;
use crate::common::{setup_admin, Client, Page, Server};
use plaza::domain::second_factor::code_at;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// The secret shown on the set-up page.
fn secret_of(p: &Page) -> Vec<u8> {
    let i = p.body.find("class=\"secret\">").expect("a key on the page") + "class=\"secret\">".len();
    let b32 = p.body[i..].split('<').next().unwrap().to_string();
    totp_rs::Secret::Encoded(b32).to_bytes().unwrap()
}

/// Set a second factor up for the signed-in `c`; returns the secret and
/// the recovery codes.
fn set_up(c: &Client) -> (Vec<u8>, Vec<String>) {
    assert_eq!(c.post("/settings/two-factor/start", &[]).status, 303);
    let secret = secret_of(&c.get("/settings/two-factor"));
    let p = c.post("/settings/two-factor/enable", &[("code", "000000")]);
    assert_eq!(p.status, 422, "a wrong first code");
    let p = c.post("/settings/two-factor/enable", &[("code", &code_at(&secret, now()))]);
    assert_eq!(p.status, 200, "{}", p.body);
    let codes: Vec<String> =
        p.body.split("<li><code>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10, "{}", p.body);
    (secret, codes)
}

fn login_with(c: &Client, name: &str, code: &str) -> Page {
    let p = c.login(name);
    assert_eq!(p.status, 303);
    assert!(p.location.as_deref().unwrap().starts_with("/login/second-factor"), "{:?}", p.location);
    c.post("/login/second-factor", &[("code", code), ("next", "/admin")])
}

#[test]
fn admins_need_a_second_factor_and_it_guards_the_login() {
    let s = Server::start_with(&[], &[("PLAZA_SECOND_FACTOR_FOR_TOP_STAFF", "true")]);
    let admin = setup_admin(&s);
    admin.get("/?lang=en");
    assert!(admin
        .get("/settings/two-factor?required=1")
        .has("Admins and chief editors must use two-step verification"));
    let refused = admin.get("/admin");
    assert_eq!(refused.status, 403);
    assert!(refused.has("two-step verification") && refused.has("/settings/two-factor"), "{}", refused.body);
    let (secret, codes) = set_up(&admin);
    assert_eq!(admin.get("/admin").status, 200, "open once it is on");
    assert!(admin.get("/settings/two-factor").has("Recovery codes left: 10"));
    assert_eq!(admin.post("/settings/two-factor/disable", &[("password", "correct horse")]).status, 403, "required");

    // After the password alone nothing opens.
    admin.post("/logout", &[]);
    let p = admin.login("admin");
    assert_eq!(p.location.as_deref(), Some("/login/second-factor?next=%2F"));
    assert_eq!(admin.get("/admin").status, 303);
    assert_eq!(admin.get("/admin").location.as_deref(), Some("/login/second-factor"));
    assert_eq!(admin.get("/settings/profile").location.as_deref(), Some("/login/second-factor"));
    assert_eq!(admin.post("/settings/profile", &[("display_name", "x")]).status, 401);
    let p = admin.post("/login/second-factor", &[("code", "123456"), ("next", "/admin")]);
    assert_eq!(p.status, 422);
    // The code of the next step (the current one was used to switch it on).
    let code = code_at(&secret, now() + 30);
    let p = admin.post("/login/second-factor", &[("code", &code), ("next", "/admin")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location.as_deref(), Some("/admin"));
    assert_eq!(admin.get("/admin").status, 200);

    // The same code again, from another browser: refused (never twice).
    let thief = s.client();
    let p = login_with(&thief, "admin", &code);
    assert_eq!(p.status, 422, "a replayed code");
    // A recovery code works once.
    let p = thief.post("/login/second-factor", &[("code", &codes[0].to_uppercase()), ("next", "/admin")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let again = s.client();
    assert_eq!(login_with(&again, "admin", &codes[0]).status, 422, "used up");
    let logged = count(
        &s,
        "SELECT count(*) FROM activity_log WHERE action = 'user.second_factor' AND outcome = 'ok: recovery code'",
    );
    assert_eq!(logged, 1);

    // A chief editor is sent to set it up at login.
    let carl = member(&s, "carl");
    assert_eq!(admin.post("/admin/users/carl/roles", &[("role", "chief_editor"), ("action", "grant")]).status, 303);
    assert_eq!(carl.get("/admin/takedown").status, 403);
    carl.post("/logout", &[]);
    let p = carl.login("carl");
    assert_eq!(p.location.as_deref(), Some("/settings/two-factor?required=1"));
    // A member is offered it, not made to.
    let mia = member(&s, "mia");
    mia.post("/logout", &[]);
    assert_eq!(mia.login("mia").location.as_deref(), Some("/"));
    let (msecret, _) = set_up(&mia);
    mia.post("/logout", &[]);
    assert_eq!(login_with(&mia, "mia", &code_at(&msecret, now() + 30)).status, 303);
    assert_eq!(mia.post("/settings/two-factor/disable", &[("password", "correct horse")]).status, 303);
    mia.post("/logout", &[]);
    assert_eq!(mia.login("mia").location.as_deref(), Some("/"), "off again");
}

/// Guessing codes is slowed down per account, across sessions.
#[test]
fn wrong_codes_are_throttled() {
    let s = Server::start();
    let mia = member(&s, "mia");
    let (secret, _) = set_up(&mia);
    mia.post("/logout", &[]);
    let mut statuses = Vec::new();
    for i in 0..8 {
        let c = s.client();
        statuses.push(login_with(&c, "mia", &format!("{:06}", 100_000 + i)).status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let c = s.client();
    let p = login_with(&c, "mia", &code_at(&secret, now() + 30));
    assert_eq!(p.status, 429, "even the right code waits");
    assert!(p.header("retry-after").is_some());
}
