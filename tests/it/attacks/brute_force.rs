//! Brute force (issue 15): every place a secret is guessed slows the
//! guesser down with a growing wait (429 with `Retry-After`, the right
//! secret included while it lasts), logged, and never locks the owner out
//! from elsewhere: the password at login, the current password (password
//! change, account close, identity change: one budget per account), the
//! one-time mobile code (five tries per code), the second factor
//! (`second_factor::wrong_codes_are_throttled`). The owner-from-another-
//! address case is `credentials::a_stranger_flooding_wrong_passwords_does_not_lock_the_owner_out`.

use crate::common::gov::*;
use crate::common::identity::code_for;
use crate::common::Server;

#[test]
fn guessing_is_slowed_down_everywhere() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let guesser = s.client();
    // Login: 20 guesses from one address.
    let statuses: Vec<u16> = (0..20)
        .map(|i| guesser.post("/login", &[("username", "alice"), ("password", &format!("guess number {i}"))]).status)
        .collect();
    let first_429 = statuses.iter().position(|s| *s == 429).expect("slowed down");
    assert!(first_429 <= 10, "{statuses:?}");
    let p = guesser.post("/login", &[("username", "alice"), ("password", "correct horse")]);
    assert_eq!(p.status, 429, "the right password waits too");
    assert!(p.header("retry-after").is_some());
    assert!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'user.login_failed' AND outcome = 'too many attempts'"
        ) >= 1
    );

    // The current password: change, close and identity share one budget.
    let mut statuses = Vec::new();
    for i in 0..12 {
        let wrong = format!("guess {i}");
        let p = match i % 3 {
            0 => alice.post("/settings/password", &[("current", &wrong), ("password", "a brand new secret")]),
            1 => alice.post("/settings/close", &[("password", &wrong)]),
            _ => alice.post(
                "/settings/identity",
                &[
                    ("subject_type", "individual"),
                    ("legal_name", "李四"),
                    ("number", "x"),
                    ("mobile", "x"),
                    ("current_password", &wrong),
                ],
            ),
        };
        statuses.push(p.status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(count(&s, "SELECT count(*) FROM users WHERE username = 'alice' AND status = 'active'"), 1);

    // One-time codes: five wrong tries kill the code, the right one after too.
    let bob = s.client();
    bob.signup_unverified("bob");
    let (id, mobile) = crate::common::identity::fresh_identity();
    let p = bob.post(
        "/settings/identity",
        &[("subject_type", "individual"), ("legal_name", "王五"), ("number", &id), ("mobile", &mobile)],
    );
    assert_eq!(p.status, 303);
    let code = code_for(&bob.data, "bob").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(bob.post("/settings/identity/confirm", &[("code", wrong)]).status, 422);
    }
    let p = bob.post("/settings/identity/confirm", &[("code", &code)]);
    assert_eq!(p.status, 422, "dead after five tries");
    assert_eq!(count(&s, "SELECT count(*) FROM identities WHERE mobile_confirmed_at IS NOT NULL AND user_id = (SELECT id FROM users WHERE username = 'bob')"), 0);
}

#[test]
fn guessing_one_account_does_not_slow_another() {
    let s = Server::start();
    member(&s, "alice");
    member(&s, "bob");
    let g = s.client();
    for i in 0..12 {
        g.post("/login", &[("username", "alice"), ("password", &format!("guess {i}"))]);
    }
    let other = s.client();
    // Another account from the same address is slowed only by the
    // per-address budget, which is larger: bob still logs in.
    assert_eq!(other.post("/login", &[("username", "bob"), ("password", "correct horse")]).status, 303);
}
