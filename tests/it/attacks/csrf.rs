//! Cross-site request forgery (issue 15): every POST row of the routing
//! table itself (`plaza::routes::ROUTES`, not a copy), sent by a signed-in
//! account holding every role and by a signed-out visitor, without a
//! token, with a token replayed from another session, and with another
//! visitor's double-submit token: always 403, and nothing is written (the
//! activity log, where every change leaves an entry, does not grow).

use crate::common::gov::*;
use crate::common::with_admin;
use plaza::http::Method;
use plaza::routes::ROUTES;

/// A concrete URL for a row's pattern.
pub fn url(pattern: &str, id: &str) -> String {
    let segs: Vec<String> = pattern
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with("@{") {
                "@admin".to_string()
            } else if s.starts_with('{') && s.ends_with(":text}") {
                "admin".to_string()
            } else if s.starts_with('{') {
                id.to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    format!("/{}", segs.join("/"))
}

#[test]
fn every_post_route_refuses_forged_requests() {
    let (s, admin) = with_admin();
    for r in ["reviewer", "chief_editor"] {
        assert_eq!(admin.post("/admin/users/admin/roles", &[("role", r), ("action", "grant")]).status, 303);
    }
    let victim_post = admin.post_status("a post to act on", "public").to_string();
    let other = member(&s, "mallory");
    let replayed = other.csrf();
    let visitor = s.client();
    let visitor_token = visitor.csrf();
    let anon = s.client();
    anon.get("/login");
    let log = || count(&s, "SELECT count(*) FROM activity_log");
    let before = log();
    let mut tried = 0;
    // Client API rows (issue 19) read no cookie, so there is nothing to
    // forge: `route_access` checks that a session opens none of them.
    for row in ROUTES.iter().filter(|r| r.method == Method::Post && !r.access.is_api()) {
        let path = url(row.path, &victim_post);
        let fields = [("body", "forged"), ("reason", "forged"), ("password", "correct horse"), ("role", "admin")];
        for (who, c, token) in [
            ("admin, no token", &admin, None),
            ("admin, another session's token", &admin, Some(replayed.as_str())),
            ("admin, a visitor's token", &admin, Some(visitor_token.as_str())),
            ("signed out, no token", &anon, None),
            ("signed out, another visitor's token", &anon, Some(visitor_token.as_str())),
        ] {
            let mut f = fields.to_vec();
            if let Some(t) = token {
                f.push(("csrf_token", t));
            }
            let p = c.post_raw(&path, &f);
            assert_eq!(p.status, 403, "{who}: POST {path}: {}", p.status);
            tried += 1;
        }
    }
    assert_eq!(log(), before, "nothing was written");
    assert!(tried >= 5 * 60, "{tried} forged requests");
    // The same requests with the right token do get through (the sweep
    // refused them for the token, not for something else).
    assert_eq!(admin.post(&format!("/posts/{victim_post}/like"), &[]).status, 303);
}
