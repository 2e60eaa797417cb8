//! Emergency mode (R6.4): each switch on and off at once, site-wide (every
//! worker, from the next request), the banner on every page, every change
//! logged.

use crate::common::gov::*;
use crate::common::with_admin;

/// Send the switches, confirming the second step that stopping all
/// publishing asks for (issue 13; `staff_flows` checks the step itself).
fn set(c: &crate::common::Client, fields: &[(&str, &str)]) {
    let mut fields = fields.to_vec();
    fields.push(("confirm", "1"));
    let p = c.post("/admin/emergency", &fields);
    assert_eq!(p.status, 303, "{}", p.body);
}

#[test]
fn each_switch() {
    let (s, admin) = with_admin();
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let anon = s.client();
    let before = alice.post_status("平时的微博", "public");

    // Hold everything for review.
    set(&chief, &[("hold_all", "1")]);
    let held = alice.post_status("应急期间的微博", "public");
    assert_eq!(status(&s, held), "pending");
    assert!(alice.get(&format!("/posts/{held}")).has("Under review"));
    assert!(!anon.get("/public").has("应急期间的微博"));
    assert_eq!(bob.post(&format!("/posts/{before}/comments"), &[("body", "评论")]).status, 303);
    assert_eq!(db(&s).query_row("SELECT status FROM comments", [], |r| r.get::<_, String>(0)).unwrap(), "pending");
    let r = bob.post(&format!("/posts/{before}/repost"), &[]);
    assert_eq!(status(&s, crate::common::id_from(r.location.as_deref().unwrap())), "pending");
    assert!(chief.get("/admin/review").has("emergency mode"), "the cause is shown");
    assert_eq!(open_items(&s, "hold").len(), 3);

    // Stop reposts only.
    set(&chief, &[("stop_reposts", "1")]);
    let r = bob.post(&format!("/posts/{before}/repost"), &[("body", "再转")]);
    assert_eq!(r.status, 403);
    assert!(r.has("Reposting is paused"), "{}", r.body);
    let ok = alice.post_status("可以发", "public");
    assert_eq!(status(&s, ok), "published", "the hold is off again");

    // Stop all publishing.
    set(&chief, &[("stop_publishing", "1")]);
    let p = alice.post("/posts", &[("body", "发不出去"), ("visibility", "public")]);
    assert_eq!(p.status, 403);
    assert!(p.has("Publishing is paused"), "{}", p.body);
    assert!(p.has("发不出去"), "the text is kept in the form");
    assert_eq!(bob.post(&format!("/posts/{before}/comments"), &[("body", "也发不出去")]).status, 403);
    assert_eq!(bob.post(&format!("/posts/{before}/repost"), &[]).status, 403);
    assert_eq!(count(&s, "SELECT count(*) FROM posts WHERE body = '发不出去'"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM evidence"), 0, "a stopped text is not evidence");
    assert_eq!(
        bob.post("/settings/profile", &[("display_name", "Bob"), ("bio", "")]).status,
        303,
        "profiles still save"
    );

    // The banner, on every page, for everyone; each request may land on another worker.
    set(&chief, &[("banner", "系统维护中，暂停发布")]);
    for path in ["/", "/public", "/login", "/terms", "/@alice"] {
        for _ in 0..3 {
            assert!(anon.get(path).has("系统维护中，暂停发布"), "banner on {path}");
        }
    }
    assert!(alice.get("/").has("系统维护中，暂停发布"));
    assert!(alice.post_status("恢复正常", "public") > 0, "the banner alone stops nothing");

    set(&chief, &[]);
    assert!(!anon.get("/public").has("系统维护中"));
    let changes: Vec<(String, String)> = {
        let conn = db(&s);
        let mut st = conn
            .prepare("SELECT target, outcome FROM activity_log WHERE action = 'emergency.switch' ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let want = [
        ("emergency:hold_all", "on"),
        ("emergency:hold_all", "off"),
        ("emergency:stop_reposts", "on"),
        ("emergency:stop_reposts", "off"),
        ("emergency:stop_publishing", "on"),
        ("emergency:stop_publishing", "off"),
        ("emergency:banner", "on: 系统维护中，暂停发布"),
        ("emergency:banner", "off"),
    ];
    assert_eq!(changes, want.map(|(a, b)| (a.to_string(), b.to_string())));

    // Admins may switch too; reviewers and members may not.
    admin.get("/?lang=en");
    assert_eq!(admin.get("/admin/emergency").status, 200);
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    assert_eq!(reviewer.post("/admin/emergency", &[("stop_publishing", "1")]).status, 403);
    assert_eq!(alice.post("/admin/emergency", &[("stop_publishing", "1")]).status, 403);
    assert!(alice.post_status("still fine", "public") > 0);

    // Another process (a command, a second server) changing the row is seen
    // at the next request: the cached state follows the version.
    db(&s).execute("UPDATE governance SET banner = '来自另一个进程', version = version + 1", []).unwrap();
    assert!(anon.get("/public").has("来自另一个进程"));
}
