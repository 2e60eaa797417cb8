//! Staff roles (R6.5): roles are granted in `/admin/users` and with
//! `plaza user role`; the last admin keeps the admin role; a refused staff
//! page names the role it needs. That every staff page checks the role
//! (403, logged) is `route_access`, which walks the routing table itself.

use crate::common::gov::*;
use crate::common::with_admin;

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
        ("role.grant", "reviewer"), // the setup link: every staff role (issue 13)
        ("role.grant", "chief_editor"),
        ("role.grant", "admin"),
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
    // An account with only the admin role.
    let only_admin = staff(&s, &admin, "only_admin", &["admin"]);
    let p = only_admin.get("/admin/review?lang=zh-CN");
    assert_eq!(p.status, 403);
    assert!(p.has("此页面需要以下角色之一") && p.has("审核员"), "{}", p.body);
    let member = s.client();
    member.signup("plain");
    assert!(member.get("/admin/users?lang=en").has("This page needs one of these roles: admin"));
}
