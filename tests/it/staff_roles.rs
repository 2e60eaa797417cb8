//! Staff roles (R6.5): every staff page checks the role on the server; a
//! member who guesses a staff URL gets 403 and the attempt is logged; roles
//! are granted in `/admin/users` and with `plaza user role`; the last admin
//! keeps the admin role; a refused staff page names the role it needs.

use crate::common::gov::*;
use crate::common::with_admin;

/// Every staff URL, with the method it answers.
const STAFF_URLS: &[(&str, &str)] = &[
    ("GET", "/admin"),
    ("GET", "/admin/review"),
    ("GET", "/admin/review?kind=flag"),
    ("POST", "/admin/review"),
    ("GET", "/admin/posts/1"),
    ("POST", "/admin/posts/1/remove"),
    ("POST", "/admin/posts/1/restore"),
    ("POST", "/admin/posts/1/rumour"),
    ("GET", "/admin/comments/1"),
    ("POST", "/admin/comments/1/remove"),
    ("POST", "/admin/comments/1/restore"),
    ("GET", "/admin/takedown"),
    ("POST", "/admin/takedown"),
    ("GET", "/admin/rumours"),
    ("POST", "/admin/rumours/1/confirm"),
    ("POST", "/admin/rumours/1/decline"),
    ("POST", "/admin/rumours/1/withdraw"),
    ("GET", "/admin/keywords"),
    ("POST", "/admin/keywords"),
    ("POST", "/admin/keywords/import"),
    ("GET", "/admin/keywords/export"),
    ("POST", "/admin/keywords/1/delete"),
    ("GET", "/admin/emergency"),
    ("POST", "/admin/emergency"),
    ("GET", "/admin/evidence"),
    ("GET", "/admin/evidence/1"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users/alice/roles"),
    ("GET", "/admin/logs"),
    ("GET", "/admin/settings"),
    ("POST", "/admin/settings"),
];

/// Which roles open each staff URL (R6.5): the rest get 403.
fn allowed(path: &str, role: &str) -> bool {
    let p = path.split('?').next().unwrap();
    let review = role == "reviewer" || role == "chief_editor";
    let policy = role == "chief_editor" || role == "admin";
    match p {
        "/admin" => true,
        _ if p.starts_with("/admin/review") || p.starts_with("/admin/posts") || p.starts_with("/admin/comments") => {
            if p.ends_with("/restore") {
                role == "chief_editor"
            } else {
                review
            }
        }
        _ if p.starts_with("/admin/rumours/") => role == "chief_editor",
        "/admin/rumours" => review,
        _ if p.starts_with("/admin/takedown")
            || p.starts_with("/admin/keywords")
            || p.starts_with("/admin/emergency")
            || p.starts_with("/admin/evidence") =>
        {
            policy
        }
        _ => role == "admin",
    }
}

#[test]
fn every_staff_url_checks_the_role() {
    let (s, admin) = with_admin();
    let alice = member(&s, "alice");
    alice.post_status("a post", "public");
    let denied_before = count(&s, "SELECT count(*) FROM activity_log WHERE action = 'access.denied'");
    for (method, path) in STAFF_URLS {
        let status = if *method == "GET" { alice.get(path).status } else { alice.post(path, &[]).status };
        assert_eq!(status, 403, "member {method} {path}");
    }
    let denied = count(&s, "SELECT count(*) FROM activity_log WHERE action = 'access.denied'") - denied_before;
    assert_eq!(denied, STAFF_URLS.len() as i64, "every attempt is logged");
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'access.denied' AND target = 'path:/admin/evidence/1'"
        ),
        1
    );

    // Signed out: sent to log in (GET) or refused (POST), never shown.
    let anon = s.client();
    for (method, path) in STAFF_URLS {
        let status = if *method == "GET" { anon.get(path).status } else { anon.post(path, &[]).status };
        assert!(status == 303 || status == 401, "anonymous {method} {path}: {status}");
    }

    // Each role opens its pages and no other (GETs; a 403 is the role check,
    // anything else got past it).
    for role in ["reviewer", "chief_editor", "admin"] {
        let made;
        let c = if role == "admin" {
            &admin
        } else {
            made = staff(&s, &admin, &format!("x_{role}"), &[role]);
            &made
        };
        for (method, path) in STAFF_URLS.iter().filter(|(m, _)| *m == "GET") {
            let status = c.get(path).status;
            assert_eq!(status != 403, allowed(path, role), "{role} {method} {path}: {status}");
        }
        for (method, path) in STAFF_URLS.iter().filter(|(m, _)| *m == "POST") {
            let status = c.post(path, &[]).status;
            assert_eq!(status != 403, allowed(path, role), "{role} {method} {path}: {status}");
        }
    }
}

/// `/admin/users`: search, grant, revoke, logged; the last admin keeps the
/// role, on the page and from the command line; `plaza user role` works.
#[test]
fn granting_and_revoking_roles() {
    let (s, admin) = with_admin();
    admin.get("/?lang=en");
    let alice = member(&s, "alice");
    member(&s, "albert");
    member(&s, "bob");
    let list = admin.get("/admin/users?q=al");
    assert!(list.has("@alice") && list.has("@albert") && !list.has("@bob"), "{}", list.body);

    assert_eq!(alice.get("/admin/review").status, 403);
    let p = admin.post("/admin/users/alice/roles", &[("role", "reviewer"), ("action", "grant")]);
    assert_eq!(p.status, 303);
    assert_eq!(alice.get("/admin/review").status, 200, "at once, in the same session");
    assert!(alice.get("/").has("href=\"/admin\""), "staff get the admin link");
    assert!(admin.get("/admin/users?staff=1").has("@alice"));
    assert_eq!(admin.post("/admin/users/alice/roles", &[("role", "reviewer"), ("action", "revoke")]).status, 303);
    assert_eq!(alice.get("/admin/review").status, 403);
    assert_eq!(admin.post("/admin/users/alice/roles", &[("role", "pope"), ("action", "grant")]).status, 400);
    assert_eq!(admin.post("/admin/users/nobody/roles", &[("role", "admin"), ("action", "grant")]).status, 404);

    // The last admin.
    let p = admin.post("/admin/users/admin/roles", &[("role", "admin"), ("action", "revoke")]);
    assert_eq!(p.status, 422);
    assert!(p.has("last admin"), "{}", p.body);
    assert_eq!(admin.get("/admin/users").status, 200, "still an admin");
    let (ok, _, err) = s.command(&["user", "role", "--username", "admin", "--revoke", "admin"]);
    assert!(!ok && err.contains("last admin"), "{err}");

    // The command line.
    let (ok, out, err) = s.command(&["user", "role", "--username", "bob", "--grant", "admin"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "granted admin to bob");
    let (ok, out, _) = s.command(&["user", "role", "--username", "bob", "--grant", "admin"]);
    assert!(ok && out.contains("already holds"), "{out}");
    let (ok, _, err) = s.command(&["user", "role", "--username", "bob", "--grant", "pope"]);
    assert!(!ok && err.contains("unknown role"), "{err}");
    // With two admins, one may step down.
    let p = admin.post("/admin/users/admin/roles", &[("role", "admin"), ("action", "revoke")]);
    assert_eq!(p.status, 303);
    assert_eq!(admin.get("/admin/users").status, 403);
    let (ok, out, err) = s.command(&["user", "role", "--username", "bob", "--revoke", "admin"]);
    assert!(!ok && err.contains("last admin"), "{out} {err}");

    let log: Vec<(String, String)> = {
        let conn = db(&s);
        let mut st =
            conn.prepare("SELECT action, outcome FROM activity_log WHERE action LIKE 'role.%' ORDER BY id").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let want = [
        ("role.grant", "admin"), // the setup link
        ("role.grant", "reviewer"),
        ("role.revoke", "reviewer"),
        ("role.revoke", "refused: last admin"),
        ("role.revoke", "refused: last admin"),
        ("role.grant", "admin"),
        ("role.revoke", "admin"),
        ("role.revoke", "refused: last admin"),
    ];
    assert_eq!(log, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let (ok, out, _) = s.command(&["log", "verify"]);
    assert!(ok, "{out}");
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
