//! Findings of a new-user and attacker trial, kept fixed: redirects only to
//! plain local paths, mentions never carry hidden text, password guessing is
//! slowed, staff do not confirm their own identity, control characters are
//! dropped, unknown methods on known paths are 405, passwords can be changed.

mod common;
use common::{with_admin, Server};

#[test]
fn next_only_goes_to_plain_local_paths() {
    let s = Server::start();
    let c = s.client();
    c.signup("redirected");
    let id = c.post_status("x", "public");
    for evil in
        ["/\t/evil.example", "/\t\\evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/中"]
    {
        let p = c.post(&format!("/posts/{id}/like"), &[("next", evil)]);
        assert_eq!(p.status, 303, "{evil:?}");
        assert_eq!(p.location.as_deref(), Some(&*format!("/posts/{id}")), "{evil:?}");
    }
    let p = c.post(&format!("/posts/{id}/unlike"), &[("next", "/tags/%E8%AF%9D%E9%A2%98?max_id=3")]);
    assert_eq!(p.location.as_deref(), Some("/tags/%E8%AF%9D%E9%A2%98?max_id=3"), "a real local path is kept");
}

#[test]
fn mentions_never_carry_text_to_someone_who_cannot_see_it() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let eve = s.client();
    eve.signup("eve");
    let fan = s.client();
    fan.signup("fan");
    fan.post("/@alice/follow", &[]);
    alice.post_status("followers-secret @eve @fan", "followers");
    alice.post_status("self-secret @eve @fan", "self");
    let shared = alice.post_status("仅粉丝可见的帖子", "followers");
    fan.post(&format!("/posts/{shared}/comments"), &[("body", "comment-secret @eve")]);
    let n = eve.get("/notifications");
    assert!(!n.has("secret") && !n.has("提到了你"), "{}", n.body);
    let n = fan.get("/notifications");
    assert!(n.has("followers-secret") && !n.has("self-secret"), "{}", n.body);
    // Unfollowing takes the text out of notifications already received.
    fan.post("/@alice/unfollow", &[]);
    assert!(!fan.get("/notifications").has("followers-secret"));
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
    assert!(p.has("15"));

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

#[test]
fn staff_do_not_decide_on_their_own_identity_when_others_could() {
    let (s, admin) = with_admin();
    let rev = s.client();
    rev.signup("reviewer1");
    let id: i64 = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT id FROM users WHERE username = 'reviewer1'", [], |r| r.get(0))
        .unwrap();
    let p = admin.post("/admin/users/reviewer1/roles", &[("role", "reviewer"), ("action", "grant")]);
    assert!(p.status == 303 || p.status == 200, "{}", p.body);
    let p = rev.post(&format!("/admin/identities/{id}/reject"), &[("reason", "我自己拒绝我自己")]);
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(p.has("另一位审核员或管理员"), "{}", p.body);
}

#[test]
fn control_characters_are_dropped_and_invisible_posts_refused() {
    let s = Server::start();
    let c = s.client();
    c.signup("controls");
    let id = c.post_status("a\u{0}b\u{202E}c", "public");
    let p = c.get(&format!("/posts/{id}"));
    assert!(p.has("abc") && !p.body.contains('\u{0}') && !p.body.contains('\u{202E}'));
    let p = c.post("/posts", &[("body", "\u{200B}\u{202E}\u{FEFF}"), ("visibility", "public")]);
    assert_eq!(p.status, 422);
}

#[test]
fn other_methods_on_known_paths_are_405() {
    let s = Server::start();
    let c = s.client();
    let base = s.base.clone();
    for (m, path) in [("DELETE", "/posts/1"), ("OPTIONS", "/"), ("PUT", "/login")] {
        let r = c.agent.request(m, &format!("{base}{path}")).call();
        let status = match r {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(status, 405, "{m} {path}");
    }
}

#[test]
fn a_staff_page_says_which_role_it_needs() {
    let (s, admin) = with_admin();
    let p = admin.get("/admin/review");
    assert_eq!(p.status, 403);
    assert!(p.has("此页面需要以下角色之一") && p.has("审核员"), "{}", p.body);
    let member = s.client();
    member.signup("plain");
    assert!(member.get("/admin/users?lang=en").has("This page needs one of these roles: admin"));
}
