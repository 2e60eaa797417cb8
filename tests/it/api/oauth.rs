//! OAuth as phone apps do it (issue 19): register, the consent page, the
//! code with PKCE S256, the token; refusals in OAuth's words; scopes;
//! revocation by the app and from `/settings/apps`; cookies count for
//! nothing on the API.

use crate::common::api::*;
use crate::common::gov::*;
use crate::common::Server;

#[test]
fn the_code_flow_with_pkce_gives_a_token_that_reads_the_account() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let redirect = "https://app.example/callback";
    let app = register_app(&s, "Phone App", redirect, "read write follow");

    // The consent page names the app and the scopes in words.
    let q = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope=read+write&code_challenge={CHALLENGE}&code_challenge_method=S256",
        enc(&app.client_id),
        enc(redirect)
    );
    let consent = alice.get(&q);
    assert_eq!(consent.status, 200);
    assert!(
        consent.has("Phone App") && consent.has("read all your account") && consent.has("Authorise"),
        "{}",
        consent.body
    );

    // Signed out, the same URL goes to Plaza's own login and back.
    let visitor = s.client();
    let p = visitor.get(&q);
    assert_eq!(p.status, 303);
    assert!(p.location.unwrap().starts_with("/login?next=%2Foauth%2Fauthorize"));

    // A wrong verifier is refused and uses the code up.
    let code = approve(&alice, &app, redirect, "read write");
    let trade = |code: &str, verifier: &str| {
        Api::new(&s).post(
            "/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &app.client_id),
                ("client_secret", &app.client_secret),
                ("redirect_uri", redirect),
                ("code", code),
                ("code_verifier", verifier),
            ],
        )
    };
    let bad = trade(&code, "x".repeat(43).as_str());
    assert_eq!((bad.status, bad.error()), (400, "invalid_grant"), "{}", bad.text);
    assert!(bad.body["error_description"].as_str().unwrap().contains("code_verifier"));
    let again = trade(&code, VERIFIER);
    assert_eq!((again.status, again.error()), (400, "invalid_grant"));

    // The right verifier gets a token, once.
    let code = approve(&alice, &app, redirect, "read write");
    let t = trade(&code, VERIFIER);
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.body["token_type"], "Bearer");
    assert_eq!(t.body["scope"], "read write");
    let token = t.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(trade(&code, VERIFIER).status, 400, "a code works once");

    let me = Api::with_token(&s, &token).get("/api/v1/accounts/verify_credentials");
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["username"], "alice");
    assert_eq!(me.body["acct"], "alice");
    assert!(me.body["source"]["privacy"].is_string());
    assert!(me.header("content-type").unwrap().starts_with("application/json"));

    // Only the token's hash is stored.
    let stored: i64 = db(&s)
        .query_row("SELECT count(*) FROM oauth_tokens WHERE token_hash = ?1", [token.as_bytes()], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0);
    assert_eq!(count(&s, "SELECT count(*) FROM oauth_tokens WHERE user_id IS NOT NULL"), 1);
    // Issuing was logged for the member.
    assert!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'api.token' AND outcome LIKE 'ok%'") >= 1);
    assert!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'api.token' AND outcome LIKE 'refused%'") >= 1);
}

#[test]
fn refusals_are_in_words_with_the_right_status() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let redirect = "https://app.example/callback";
    let app = register_app(&s, "Phone App", redirect, "read write");
    let anon = Api::new(&s);

    // No password grant; unknown grants alike.
    let pw = anon.post(
        "/oauth/token",
        &[
            ("grant_type", "password"),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("username", "alice"),
            ("password", "correct horse"),
        ],
    );
    assert_eq!((pw.status, pw.error()), (400, "unsupported_grant_type"), "{}", pw.text);
    // Wrong secret.
    let wrong = anon.post(
        "/oauth/token",
        &[("grant_type", "client_credentials"), ("client_id", &app.client_id), ("client_secret", "nope")],
    );
    assert_eq!((wrong.status, wrong.error()), (401, "invalid_client"));

    // Registration names the bad field (422).
    let r = anon.post("/api/v1/apps", &[("client_name", "X"), ("redirect_uris", "javascript:alert(1)")]);
    assert_eq!(r.status, 422);
    assert!(r.error().contains("redirect_uris"), "{}", r.text);
    let r = anon.post("/api/v1/apps", &[("redirect_uris", redirect)]);
    assert_eq!(r.status, 422);
    assert!(r.error().contains("client_name"));
    let r =
        anon.post("/api/v1/apps", &[("client_name", "X"), ("redirect_uris", redirect), ("scopes", "read admin:write")]);
    assert_eq!(r.status, 422);
    assert!(r.error().contains("admin:write"));
    // JSON bodies work too, unknown fields ignored.
    let r = anon.post_json(
        "/api/v1/apps",
        &serde_json::json!({"client_name": "J", "redirect_uris": [redirect], "scopes": "read", "colour": 3}),
    );
    assert_eq!(r.status, 200, "{}", r.text);

    // Plain PKCE, an unregistered redirect URI or scope: a page, never a redirect.
    let base = format!("/oauth/authorize?response_type=code&client_id={}", enc(&app.client_id));
    let plain = alice
        .get(&format!("{base}&redirect_uri={}&code_challenge={CHALLENGE}&code_challenge_method=plain", enc(redirect)));
    assert_eq!(plain.status, 400);
    assert!(plain.has("S256"));
    let elsewhere = alice.get(&format!("{base}&redirect_uri={}", enc("https://evil.example/")));
    assert_eq!(elsewhere.status, 400);
    assert!(elsewhere.location.is_none());
    let more = alice.get(&format!("{base}&redirect_uri={}&scope=follow", enc(redirect)));
    assert_eq!(more.status, 400);

    // Denying sends access_denied back with the state.
    let page = alice.get(&format!("{base}&redirect_uri={}&state=s1", enc(redirect)));
    let csrf = page.csrf().unwrap();
    let p = alice.post_raw(
        "/oauth/authorize",
        &[
            ("csrf_token", &csrf),
            ("client_id", &app.client_id),
            ("redirect_uri", redirect),
            ("state", "s1"),
            ("decision", "deny"),
        ],
    );
    assert_eq!(p.status, 303);
    assert_eq!(p.location.unwrap(), format!("{redirect}?error=access_denied&state=s1"));
    // The consent form carries a CSRF token like every form.
    let p = alice.post_raw(
        "/oauth/authorize",
        &[("client_id", &app.client_id), ("redirect_uri", redirect), ("decision", "approve")],
    );
    assert_eq!(p.status, 403);

    // No token, a bad token: 401 JSON with WWW-Authenticate.
    let none = anon.get("/api/v1/accounts/verify_credentials");
    assert_eq!(none.status, 401);
    assert!(none.header("www-authenticate").unwrap().starts_with("Bearer"));
    assert!(!none.error().is_empty());
    let bad = Api::with_token(&s, "0".repeat(64).as_str()).get("/api/v1/accounts/verify_credentials");
    assert_eq!(bad.status, 401);
    // The member's cookie opens nothing on the API.
    let p = alice.get("/api/v1/accounts/verify_credentials");
    assert_eq!(p.status, 401, "{}", p.body);
    // Unknown API paths and methods: JSON too.
    let nf = anon.get("/api/v1/nothing");
    assert_eq!(nf.status, 404);
    assert!(!nf.error().is_empty());
    let m = anon.delete("/api/v1/instance");
    assert_eq!(m.status, 405);
    assert!(!m.error().is_empty());
    // An unknown account id, a non-numeric one: 404, not 400 or 500.
    assert_eq!(anon.get("/api/v1/accounts/99999").status, 404);
    assert_eq!(anon.get("/api/v1/accounts/abc").status, 404);
}

#[test]
fn scopes_app_tokens_and_revocation() {
    let s = Server::start();
    let alice = member(&s, "alice");
    // A token with `write` alone may not read the account.
    let write_only = token_for(&s, &alice, "Writer", "write");
    let r = Api::with_token(&s, &write_only).get("/api/v1/accounts/verify_credentials");
    assert_eq!(r.status, 403);
    assert!(r.error().contains("read:accounts"), "{}", r.text);
    // `read:accounts` alone may.
    let narrow = token_for(&s, &alice, "Reader", "read:accounts");
    assert_eq!(Api::with_token(&s, &narrow).get("/api/v1/accounts/verify_credentials").status, 200);

    // An app's own token (client_credentials) acts for nobody.
    let app = register_app(&s, "Bot", "urn:ietf:wg:oauth:2.0:oob", "read");
    let t = Api::new(&s).post(
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("scope", "read"),
        ],
    );
    assert_eq!(t.status, 200, "{}", t.text);
    let app_token = t.body["access_token"].as_str().unwrap().to_string();
    let r = Api::with_token(&s, &app_token).get("/api/v1/accounts/verify_credentials");
    assert_eq!(r.status, 403);
    let me = Api::with_token(&s, &app_token).get("/api/v1/apps/verify_credentials");
    assert_eq!((me.status, me.body["name"].as_str()), (200, Some("Bot")), "{}", me.text);
    assert_eq!(Api::new(&s).get("/api/v1/apps/verify_credentials").status, 401);
    let member_token = Api::with_token(&s, &narrow);
    assert_eq!(member_token.get("/api/v1/preferences").body["posting:default:visibility"], "public");
    assert_eq!(member_token.get("/api/v2/filters").status, 403, "read:accounts does not cover filters");
    let reader = Api::with_token(&s, &token_for(&s, &alice, "Full reader", "read"));
    assert_eq!(reader.get("/api/v2/filters").text, "[]");
    assert_eq!(reader.get("/api/v1/lists").text, "[]");
    assert_eq!(Api::with_token(&s, &app_token).get("/api/v1/instance").status, 200);

    // Out of band: the code is shown on the page to copy.
    let page = alice.get(&format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}",
        enc(&app.client_id),
        enc("urn:ietf:wg:oauth:2.0:oob")
    ));
    let csrf = page.csrf().unwrap();
    let p = alice.post_raw(
        "/oauth/authorize",
        &[
            ("csrf_token", &csrf),
            ("client_id", &app.client_id),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
            ("scope", "read"),
            ("decision", "approve"),
        ],
    );
    assert_eq!(p.status, 200);
    let code = p.body.split("oauth-code\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let t = Api::new(&s).post(
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("code", &code),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
        ],
    );
    assert_eq!(t.status, 200, "{}", t.text);
    let bot_token = t.body["access_token"].as_str().unwrap().to_string();

    // The app revokes its own token.
    let r = Api::new(&s).post(
        "/oauth/revoke",
        &[("client_id", &app.client_id), ("client_secret", &app.client_secret), ("token", &bot_token)],
    );
    assert_eq!(r.status, 200);
    assert_eq!(Api::with_token(&s, &bot_token).get("/api/v1/accounts/verify_credentials").status, 401);

    // The member sees the apps in /settings/apps and revokes one.
    let page = alice.get("/settings/apps");
    assert!(page.has("Writer") && page.has("Reader"), "{}", page.body);
    let app_id: i64 = db(&s).query_row("SELECT id FROM oauth_apps WHERE name = 'Reader'", [], |r| r.get(0)).unwrap();
    let p = alice.post(&format!("/settings/apps/{app_id}/revoke"), &[]);
    assert_eq!(p.status, 303);
    assert!(alice.get("/settings/apps?revoked=1").has("access was revoked"));
    assert_eq!(Api::with_token(&s, &narrow).get("/api/v1/accounts/verify_credentials").status, 401);
    assert!(!alice.get("/settings/apps").has("Reader"));
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'api.app_revoke'"), 1);
    // Someone else's app id: 404, nothing revoked.
    assert_eq!(alice.post("/settings/apps/99999/revoke", &[]).status, 404);
}

#[test]
fn rate_limits_per_token_and_account_are_announced_and_kept() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("plaza.toml"),
        "api_token_requests_per_5min = 4\napi_account_requests_per_5min = 6\n",
    )
    .unwrap();
    let s = Server::start_in(data, &[], &[]);
    let alice = member(&s, "alice");
    let one = Api::with_token(&s, &token_for(&s, &alice, "One", "read"));
    let r = one.get("/api/v1/accounts/verify_credentials");
    assert_eq!(r.header("x-ratelimit-limit"), Some("4"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("3"));
    assert!(r.header("x-ratelimit-reset").unwrap().ends_with('Z'));
    for _ in 0..2 {
        assert_eq!(one.get("/api/v1/accounts/verify_credentials").status, 200);
    }
    // Error answers (4xx) carry the headers too, as Mastodon's do, and count.
    let missing = one.get("/api/v1/statuses/999999");
    assert_eq!(missing.status, 404, "{}", missing.text);
    assert!(!missing.error().is_empty());
    assert_eq!(missing.header("x-ratelimit-limit"), Some("4"));
    assert_eq!(missing.header("x-ratelimit-remaining"), Some("0"));
    assert!(missing.header("x-ratelimit-reset").unwrap().ends_with('Z'));
    let over = one.get("/api/v1/accounts/verify_credentials");
    assert_eq!(over.status, 429, "{}", over.text);
    assert!(over.header("retry-after").is_some());
    assert_eq!(over.header("x-ratelimit-remaining"), Some("0"));
    // In words about requests, not about failed logins.
    assert!(over.error().contains("请求过于频繁"), "{}", over.text);
    // Another token of the same account has its own count, but the account's is shared (6).
    let two = Api::with_token(&s, &token_for(&s, &alice, "Two", "read"));
    assert_eq!(two.get("/api/v1/instance").header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(two.get("/api/v1/instance").status, 429);
}

#[test]
fn bodies_over_the_cap_get_413_in_json() {
    let s = Server::start();
    let big = "x".repeat(2 << 20);
    let r = Api::new(&s).post("/api/v1/apps", &[("client_name", &big)]);
    assert_eq!(r.status, 413);
    assert!(!r.error().is_empty(), "{}", r.text);
}

/// Browsers check the consent form's `form-action` on the redirect to the
/// app: the consent page's CSP names the app's redirect origin (or
/// scheme), and only that; other pages keep `'self'`.
#[test]
fn the_consent_page_lets_its_form_reach_the_app_and_nothing_else() {
    let s = Server::start();
    let alice = member(&s, "alice");
    for (redirect, source) in [("https://app.example:8443/cb", "https://app.example:8443"), ("tusky://oauth", "tusky:")]
    {
        let app = register_app(&s, "Csp App", redirect, "read");
        let p = alice.get(&format!(
            "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}",
            enc(&app.client_id),
            enc(redirect)
        ));
        assert_eq!(p.status, 200);
        let csp = p.header("content-security-policy").unwrap();
        assert!(csp.contains(&format!("form-action 'self' {source};")), "{csp}");
        assert!(p.header("x-plaza-form-action").is_none());
    }
    let csp = alice.get("/settings/apps").header("content-security-policy").unwrap().to_string();
    assert!(csp.contains("form-action 'self';"), "{csp}");
}

/// A new password revokes every app authorised with the old one.
#[test]
fn a_password_change_revokes_the_apps() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let token = token_for(&s, &alice, "Phone Thing", "read");
    let api = Api::with_token(&s, &token);
    assert_eq!(api.get("/api/v1/accounts/verify_credentials").status, 200);
    assert!(alice.get("/settings/apps").has("Phone Thing"));
    let p = alice.post("/settings/password", &[("current", "correct horse"), ("password", "a new password 2")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(api.get("/api/v1/accounts/verify_credentials").status, 401);
    assert!(!alice.get("/settings/apps").has("Phone Thing"), "no authorised app listed");
}
