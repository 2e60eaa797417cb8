//! Credentials hardening (issue 15): passwords of any length up to 128
//! characters with no two colliding (bcrypt reads only 72 bytes, so the
//! password is pre-hashed with HMAC-SHA256 under a server pepper), and old
//! plain-bcrypt hashes upgraded at the next login (R7.1 accounts, R16.1 log);
//! wrong current passwords on password change and account close slow the
//! account down with a growing wait, refusals logged (R16.1); failed logins
//! slow down the (account, address) pair and the address, never the account
//! for everyone, so a stranger cannot lock the owner out; the most common
//! passwords are refused with the reason, and sign-ups are limited per
//! address.

use crate::common::{gov, Client, RawClient, Server};

/// Sign up `username` with `password`; the status of the answer.
fn signup_with(c: &Client, username: &str, password: &str) -> u16 {
    c.post("/signup", &[("username", username), ("password", password), ("accept_terms", "1")]).status
}

/// Log in from a fresh browser; the status (303 in, 401 refused).
fn login_with(s: &Server, username: &str, password: &str) -> u16 {
    s.client().post("/login", &[("username", username), ("password", password)]).status
}

#[test]
fn a_72_byte_password_plus_anything_does_not_log_in() {
    let s = Server::start();
    let pw72 = "p".repeat(36) + &"q".repeat(36);
    assert_eq!(pw72.len(), 72);
    assert_eq!(signup_with(&s.client(), "longpw", &pw72), 303);
    assert_eq!(login_with(&s, "longpw", &pw72), 303, "the password itself");
    assert_eq!(login_with(&s, "longpw", &format!("{pw72}x")), 401, "72 bytes plus one more must not log in");
    assert_eq!(login_with(&s, "longpw", &format!("{pw72}anything at all")), 401);
    assert_eq!(login_with(&s, "longpw", &pw72[..71]), 401);
}

#[test]
fn long_and_chinese_passwords_up_to_128_characters() {
    let s = Server::start();
    // 128 Chinese characters: 384 bytes in UTF-8, counted as 128.
    let zh: String = "我爱北京天安门广场".chars().cycle().take(128).collect();
    assert_eq!(zh.chars().count(), 128);
    assert_eq!(signup_with(&s.client(), "zhpw", &zh), 303, "128 characters are allowed");
    assert_eq!(login_with(&s, "zhpw", &zh), 303);
    let first_100: String = zh.chars().take(100).collect();
    assert_eq!(login_with(&s, "zhpw", &first_100), 401, "a prefix is another password");
    let mut last_differs: String = zh.chars().take(127).collect();
    last_differs.push('好');
    assert_eq!(login_with(&s, "zhpw", &last_differs), 401, "only the last character differs");
    let too_long: String = "密".repeat(129);
    assert_eq!(signup_with(&s.client(), "zhpw2", &too_long), 422, "129 characters are refused");
    let ascii_long = "a1".repeat(64);
    assert_eq!(signup_with(&s.client(), "asciilong", &ascii_long), 303);
    assert_eq!(login_with(&s, "asciilong", &ascii_long), 303);
}

#[test]
fn stored_hashes_are_versioned_and_never_the_password() {
    let s = Server::start();
    let c = s.client();
    c.signup_unverified("versioned");
    let hash: String = gov::db(&s)
        .query_row("SELECT password_hash FROM users WHERE username = 'versioned'", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$pz1$$2"), "pre-hashed scheme marker: {hash}");
    assert!(!hash.contains("correct horse"));
}

#[test]
fn an_old_plain_bcrypt_hash_still_logs_in_and_is_upgraded() {
    let s = Server::start();
    s.client().signup_unverified("oldhash");
    // A hash as Plaza stored it before the pre-hash: bcrypt of the password.
    let legacy = bcrypt::hash("correct horse", 4).unwrap();
    let db = gov::db(&s);
    db.execute("UPDATE users SET password_hash = ?1 WHERE username = 'oldhash'", [&legacy]).unwrap();
    assert_eq!(login_with(&s, "oldhash", "wrong horse"), 401);
    let still: String =
        db.query_row("SELECT password_hash FROM users WHERE username = 'oldhash'", [], |r| r.get(0)).unwrap();
    assert_eq!(still, legacy, "a failed login changes nothing");
    assert_eq!(login_with(&s, "oldhash", "correct horse"), 303);
    let upgraded: String =
        db.query_row("SELECT password_hash FROM users WHERE username = 'oldhash'", [], |r| r.get(0)).unwrap();
    assert!(upgraded.starts_with("$pz1$"), "rehashed at login: {upgraded}");
    assert_eq!(login_with(&s, "oldhash", "correct horse"), 303, "the new hash works");
    let logins = gov::count(
        &s,
        "SELECT count(*) FROM activity_log WHERE action = 'user.login' AND outcome = 'ok' \
         AND target = (SELECT 'user:' || id FROM users WHERE username = 'oldhash')",
    );
    assert_eq!(logins, 3, "sign-up login plus two logins, each logged (R16.1)");
}

#[test]
fn an_old_hash_of_72_bytes_does_not_take_a_longer_password() {
    let s = Server::start();
    s.client().signup_unverified("oldlong");
    let pw72 = "z".repeat(72);
    let legacy = bcrypt::hash(&pw72, 4).unwrap();
    gov::db(&s).execute("UPDATE users SET password_hash = ?1 WHERE username = 'oldlong'", [&legacy]).unwrap();
    assert_eq!(login_with(&s, "oldlong", &format!("{pw72}!")), 401, "bcrypt would cut it to the same 72 bytes");
    assert_eq!(login_with(&s, "oldlong", &pw72), 303);
}

/// Post a wrong or right current password to a re-authenticating route.
fn reauth(c: &Client, path: &str, password: &str) -> crate::common::Page {
    match path {
        "/settings/password" => c.post(path, &[("current", password), ("password", "a brand new password")]),
        _ => c.post(path, &[("password", password)]),
    }
}

#[test]
fn a_stolen_session_cannot_guess_the_current_password_quickly() {
    let s = Server::start();
    let c = s.client();
    c.signup_unverified("stolen");
    let other_device = s.client();
    assert_eq!(other_device.login("stolen").status, 303);
    for i in 0..5 {
        let path = if i % 2 == 0 { "/settings/password" } else { "/settings/close" };
        assert_eq!(reauth(&c, path, "a wrong guess").status, 422, "try {i} on {path}");
    }
    // Both routes share one budget per account, across sessions.
    for (who, path) in [(&c, "/settings/password"), (&c, "/settings/close"), (&other_device, "/settings/password")] {
        let p = reauth(who, path, "correct horse");
        assert_eq!(p.status, 429, "{path}: even the right password waits: {}", p.body);
        assert!(p.has("密码错误次数过多"), "the page says why: {}", p.body);
        let wait: i64 = p.header("retry-after").expect("Retry-After").parse().unwrap();
        assert!((1..=2).contains(&wait), "first wait is short: {wait}");
    }
    // Another account is not slowed.
    let d = s.client();
    d.signup_unverified("bystander");
    assert_eq!(reauth(&d, "/settings/password", "correct horse").status, 303);
    // The wait grows with each wrong try after it.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(reauth(&c, "/settings/close", "another wrong guess").status, 422);
    let p = reauth(&c, "/settings/close", "correct horse");
    assert_eq!(p.status, 429);
    let wait: i64 = p.header("retry-after").unwrap().parse().unwrap();
    assert!((3..=4).contains(&wait), "the wait doubled: {wait}");
    // Refusals are in the activity log (R16.1), with no password checked.
    for action in ["user.password_change", "user.close"] {
        let n = gov::count(
            &s,
            &format!("SELECT count(*) FROM activity_log WHERE action = '{action}' AND outcome = 'too many attempts'"),
        );
        assert!(n >= 1, "{action} refusal logged");
    }
    assert_eq!(gov::count(&s, "SELECT count(*) FROM users WHERE username = 'stolen' AND status = 'active'"), 1);
}

/// A browser whose requests come through the trusted proxy from `addr`.
fn from_address(s: &Server, addr: &str) -> RawClient {
    let mut c = RawClient::new(s, "credentials test");
    c.headers = vec![("X-Forwarded-For".into(), addr.into())];
    c
}

#[test]
fn a_stranger_flooding_wrong_passwords_does_not_lock_the_owner_out() {
    let s = Server::start_with(&["--trusted-proxies", "127.0.0.1"], &[]);
    let mut owner = from_address(&s, "198.51.100.20");
    let p = owner.post("/signup", &[("username", "chief"), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(p.status, 303, "{}", p.body);
    owner.post("/logout", &[]);
    owner.cookies.clear();
    let mut stranger = from_address(&s, "203.0.113.66");
    let mut answers = Vec::new();
    for _ in 0..12 {
        answers.push(stranger.post("/login", &[("username", "chief"), ("password", "a wrong guess")]).status);
    }
    assert_eq!(&answers[..5], &[401; 5], "{answers:?}");
    assert!(answers[5..].iter().all(|&st| st == 429), "the stranger is slowed down: {answers:?}");
    // The owner, from their own address, is not locked out.
    let p = owner.post("/login", &[("username", "chief"), ("password", "correct horse")]);
    assert_eq!(p.status, 303, "the owner logs in while a stranger floods: {}", p.body);
    let p = stranger.post("/login", &[("username", "chief"), ("password", "correct horse")]);
    assert_eq!(p.status, 429, "even the right password waits at the stranger's address");
    assert!(p.body.contains("登录失败次数过多"), "the page says why: {}", p.body);
    // A stranger trying many accounts from one address is slowed too.
    let mut sprayer = from_address(&s, "203.0.113.99");
    let mut answers = Vec::new();
    for i in 0..40 {
        answers.push(sprayer.post("/login", &[("username", &format!("guess{i}")), ("password", "123456789")]).status);
    }
    assert!(answers.iter().take(30).all(|&st| st == 401), "{answers:?}");
    assert!(answers[30..].iter().all(|&st| st == 429), "per address: {answers:?}");
    let refused = gov::count(
        &s,
        "SELECT count(*) FROM activity_log WHERE action = 'user.login_failed' AND outcome = 'too many attempts' \
         AND ip = '203.0.113.66'",
    );
    assert!(refused >= 7, "refusals logged with the stranger's address (R16.1): {refused}");
    assert_eq!(
        gov::count(&s, "SELECT count(*) FROM activity_log WHERE ip = '198.51.100.20' AND action = 'user.login_failed'"),
        0
    );
}

#[test]
fn sign_ups_are_limited_per_address() {
    let s = Server::start_with(&[], &[("PLAZA_SIGNUP_PER_ADDRESS_HOUR", "3")]);
    for i in 0..3 {
        assert_eq!(signup_with(&s.client(), &format!("burst{i}"), "correct horse"), 303, "sign-up {i}");
    }
    let p = s.client().post("/signup", &[("username", "burst3"), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(p.status, 429, "the fourth in an hour from one address: {}", p.body);
    assert!(p.has("注册的账号过多"), "the page says why: {}", p.body);
    assert!(p.has("burst3"), "the form is kept");
    assert_eq!(gov::count(&s, "SELECT count(*) FROM users WHERE username = 'burst3'"), 0);
    let refused = gov::count(
        &s,
        "SELECT count(*) FROM activity_log WHERE action = 'user.signup' AND outcome = 'too many from this address'",
    );
    assert_eq!(refused, 1, "the refusal is logged (R16.1)");
    // Another address may still sign up.
    let s = Server::start_with(&["--trusted-proxies", "127.0.0.1"], &[("PLAZA_SIGNUP_PER_ADDRESS_HOUR", "1")]);
    let p = from_address(&s, "198.51.100.1")
        .post("/signup", &[("username", "first"), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(p.status, 303);
    let p = from_address(&s, "198.51.100.1")
        .post("/signup", &[("username", "second"), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(p.status, 429);
    let p = from_address(&s, "198.51.100.2")
        .post("/signup", &[("username", "third"), ("password", "correct horse"), ("accept_terms", "1")]);
    assert_eq!(p.status, 303, "{}", p.body);
}

#[test]
fn the_most_common_passwords_are_refused_with_the_reason() {
    let s = Server::start();
    for pw in
        ["password", "12345678", "123456789", "Password1", "woaini1314", "qq123456", "QQ123456", "1qaz2wsx", "iloveyou"]
    {
        let p = s.client().post("/signup", &[("username", "common"), ("password", pw), ("accept_terms", "1")]);
        assert_eq!(p.status, 422, "{pw} refused");
        assert!(p.has("太常见"), "{pw}: the page says why: {}", p.body);
    }
    assert_eq!(gov::count(&s, "SELECT count(*) FROM users WHERE username = 'common'"), 0);
    assert_eq!(signup_with(&s.client(), "common", "woaini1314 forever"), 303, "a longer phrase is fine");
    // Changing to a common password is refused too.
    let c = s.client();
    c.signup_unverified("changer");
    let p = c.post("/settings/password", &[("current", "correct horse"), ("password", "a123456789")]);
    assert_eq!(p.status, 422);
    assert!(p.has("太常见"), "{}", p.body);
}
