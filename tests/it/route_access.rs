//! Access rules (R6.5, R7.1): every row of the routing table itself
//! (`plaza::routes::ROUTES`, not a copy), requested by every role. A role
//! the row's access column admits gets past the check; anyone else is sent
//! to log in (signed out), refused with a link to the identity page
//! (unverified, on publishing rows) or refused with 403 and an
//! `access.denied` log entry (a missing staff role). The admin navigation
//! links only to pages the viewer's roles open.

use crate::common::gov::*;
use crate::common::{with_admin, Client};
use plaza::domain::account::Role;
use plaza::http::Method;
use plaza::routes::{Access, ROUTES};

/// One account the sweep acts as.
struct Who {
    name: &'static str,
    client: Client,
    /// Username to log in again after `POST /logout`, if signed in.
    username: Option<&'static str>,
    roles: &'static [Role],
    verified: bool,
}

/// A concrete URL for a row's pattern: ids and names that match nothing,
/// so an admitted role meets 404 or 400, never someone else's data.
fn url(pattern: &str) -> String {
    let segs: Vec<String> = pattern
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with("@{") {
                "@nobody_here".to_string()
            } else if s.starts_with('{') && s.ends_with(":text}") {
                "nothing_here".to_string()
            } else if s.starts_with('{') {
                "999999".to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    format!("/{}", segs.join("/"))
}

/// Does the row's access column admit `who`?
fn admits(access: Access, who: &Who) -> bool {
    let signed_in = who.username.is_some();
    match access {
        Access::Anyone => true,
        Access::Member => signed_in,
        Access::Verified => signed_in && who.verified,
        Access::Staff(roles) => roles.iter().any(|r| who.roles.contains(r)),
        // Client API rows (issue 19): open to anyone; a cookie counts for
        // nothing, so a token row admits no browser (checked below).
        Access::App => true,
        Access::Token(_) | Access::TokenVerified(_) => false,
    }
}

/// A client API row's `PUT`, `PATCH` or `DELETE`, with the browser's cookies.
fn api_call(c: &Client, method: Method, path: &str) -> crate::common::Page {
    let name = match method {
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        _ => "DELETE",
    };
    let r = match c.agent.request(name, &format!("{}{path}", c.base)).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = r.status();
    let headers =
        r.headers_names().into_iter().filter_map(|n| r.header(&n).map(|v| (n.clone(), v.to_string()))).collect();
    let body = r.into_string().unwrap_or_default();
    crate::common::Page { status, body, location: None, headers }
}

#[test]
fn every_route_checks_its_access_rule_for_every_role() {
    let (s, admin) = with_admin();
    let plain = s.client();
    plain.signup_unverified("plain");
    let people = vec![
        Who { name: "anonymous", client: s.client(), username: None, roles: &[], verified: false },
        Who { name: "member", client: plain, username: Some("plain"), roles: &[], verified: false },
        Who {
            name: "verified member",
            client: member(&s, "verified"),
            username: Some("verified"),
            roles: &[],
            verified: true,
        },
        Who {
            name: "reviewer",
            client: staff(&s, &admin, "x_reviewer", &["reviewer"]),
            username: Some("x_reviewer"),
            roles: &[Role::Reviewer],
            verified: true,
        },
        Who {
            name: "chief editor",
            client: staff(&s, &admin, "x_chief", &["chief_editor"]),
            username: Some("x_chief"),
            roles: &[Role::ChiefEditor],
            verified: true,
        },
        Who {
            name: "admin",
            client: staff(&s, &admin, "x_admin", &["admin"]),
            username: Some("x_admin"),
            roles: &[Role::Admin],
            verified: true,
        },
        // The setup link's account holds every staff role (issue 13).
        Who { name: "first admin", client: admin, username: Some("admin"), roles: &Role::ALL, verified: true },
    ];
    let conn = db(&s);
    let denied = |path: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM activity_log WHERE action = 'access.denied' AND target = ?1",
            [format!("path:{path}")],
            |r| r.get(0),
        )
        .unwrap()
    };
    let mut checked = 0;
    for who in &people {
        let c = &who.client;
        let mut csrf = c.csrf();
        for row in ROUTES {
            let path = url(row.path);
            let before = denied(&path);
            let p = match row.method {
                Method::Post => c.post_raw(&path, &[("csrf_token", &csrf)]),
                Method::Get => c.get(&path),
                m => api_call(c, m, &path),
            };
            let logged = denied(&path) - before;
            let what =
                format!("{} {:?} {path} ({:?}): {} {:?}", who.name, row.method, row.access, p.status, p.location);
            if let Access::Token(_) | Access::TokenVerified(_) = row.access {
                // Issue 19: a browser's session cookie opens no client API
                // row: 401 in JSON, with the bearer challenge, nothing logged.
                assert_eq!(p.status, 401, "{what}");
                assert!(p.header("www-authenticate").is_some_and(|h| h.starts_with("Bearer")), "{what}");
                assert!(p.body.starts_with("{\"error\""), "{what}: {}", p.body);
                assert_eq!(logged, 0, "{what}");
            } else if admits(row.access, who) {
                assert_ne!(p.status, 403, "{what}");
                assert_eq!(logged, 0, "{what}");
                let to_login = p.location.as_deref().is_some_and(|l| l.starts_with("/login"));
                assert!(!(row.method == Method::Get && to_login), "{what}");
            } else if who.username.is_none() {
                // Signed out: sent to log in (GET) or refused (POST), nothing logged.
                match row.method {
                    Method::Get => {
                        assert_eq!(p.status, 303, "{what}");
                        assert!(p.location.as_deref().is_some_and(|l| l.starts_with("/login?next=")), "{what}");
                    }
                    _ => assert_eq!(p.status, 401, "{what}"),
                }
                assert_eq!(logged, 0, "{what}");
            } else if row.access == Access::Verified {
                // R7.1: a clear message linking to the identity page; no role was missing.
                assert_eq!(p.status, 403, "{what}");
                assert!(p.has("href=\"/settings/identity\""), "{what}");
                assert_eq!(logged, 0, "{what}");
            } else {
                assert_eq!(p.status, 403, "{what}");
                assert_eq!(logged, 1, "an access.denied entry: {what}");
            }
            if row.path == "/logout" {
                if let Some(u) = who.username {
                    c.login(u);
                    csrf = c.csrf();
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ROUTES.len() * people.len(), "every row, every role");
}

/// The admin navigation reads the same table: a link to a staff page shows
/// exactly when the viewer's roles open it (R6.5).
#[test]
fn the_admin_navigation_links_only_to_pages_the_role_opens() {
    let (s, admin) = with_admin();
    let people = [
        (staff(&s, &admin, "x_reviewer", &["reviewer"]), vec![Role::Reviewer]),
        (staff(&s, &admin, "x_chief", &["chief_editor"]), vec![Role::ChiefEditor]),
        (staff(&s, &admin, "x_admin", &["admin"]), vec![Role::Admin]),
        (admin, Role::ALL.to_vec()),
    ];
    let pages: Vec<_> = ROUTES
        .iter()
        .filter(|r| r.method == Method::Get && r.path.starts_with("/admin") && !r.path.contains('{'))
        .collect();
    for (c, roles) in &people {
        let nav = c.get("/admin").body;
        let nav = &nav[nav.find("<nav class=\"admin\"").expect("an admin nav")..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        for row in &pages {
            let Access::Staff(need) = row.access else { panic!("{} is a staff page", row.path) };
            let opens = need.iter().any(|r| roles.contains(r));
            let linked = nav.contains(&format!("href=\"{}\"", row.path));
            assert!(!linked || opens, "{roles:?} sees a link to {} it may not open", row.path);
            assert_eq!(c.get(row.path).status != 403, opens, "{roles:?} GET {}", row.path);
        }
    }
    // A member sees no admin link at all.
    let m = member(&s, "someone");
    assert!(!m.get("/").has("href=\"/admin\""));
}
