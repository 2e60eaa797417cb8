//! Complaints (R14.1, R14.2): anonymous complaints with a contact and a
//! rate limit, tracking number and status page, the staff queue sorted by
//! due time with overdue ones marked and duplicates grouped, assignment,
//! resolution the complainant sees; a complaint link on posts, comments
//! and profiles.

use crate::common::gov::*;
use crate::common::{setup_admin, Client, Server};

const HOUR: i64 = 3600;

/// A complaint form sent by `c`; returns the status page's path.
fn complain(c: &Client, target: &str, category: &str, body: &str, contact: &str) -> String {
    let p = c.post("/complaints", &[("target", target), ("category", category), ("body", body), ("contact", contact)]);
    assert_eq!(p.status, 303, "{}", p.body);
    p.location.unwrap()
}

/// R14.1, R14.2: without an account, a contact is required, the tracking
/// number leads to a status page, and an address may file only a few an hour.
#[test]
fn anonymous_complaint_with_tracking_and_status() {
    let s = Server::start_with(&[], &[]);
    let admin = setup_admin(&s);
    admin.verify_identity("admin");
    let alice = member(&s, "alice");
    let post = alice.post_status("一条帖子", "public");
    assert!(alice.get(&format!("/posts/{post}")).has(&format!("/complaints/new?target=post:{post}")));
    assert!(alice.get("/@alice").has("/complaints/new?target=user:alice"));

    let anon = s.client();
    anon.get("/?lang=en");
    let form = anon.get(&format!("/complaints/new?target=post:{post}"));
    assert_eq!(form.status, 200);
    assert!(form.has("Required without an account"));
    let p = anon.post(
        "/complaints",
        &[("target", &format!("post:{post}")), ("category", "rumour"), ("body", "这是谣言"), ("contact", "")],
    );
    assert_eq!(p.status, 422, "contact required");
    assert!(p.has("a contact is required"));
    assert!(p.has("这是谣言"), "what was typed is kept");
    assert_eq!(count(&s, "SELECT count(*) FROM complaints"), 0);

    // A post the complainant may not see is not confirmed to exist.
    let hidden = alice.post_status("仅关注者", "followers");
    let p = anon.post(
        "/complaints",
        &[("target", &format!("post:{hidden}")), ("category", "other"), ("body", "x"), ("contact", "x")],
    );
    assert_eq!(p.status, 404);
    let status_path = complain(&anon, &format!("post:{post}"), "rumour", "这是谣言", "13900000000");
    assert!(status_path.starts_with("/complaints/TS-"), "{status_path}");
    let page = anon.get(&status_path);
    assert_eq!(page.status, 200);
    assert!(page.has(&status_path["/complaints/".len()..]), "tracking number shown");
    assert!(page.has("Open") && page.has("Rumour"));
    let due: i64 = db(&s).query_row("SELECT due_at - created_at FROM complaints", [], |r| r.get(0)).unwrap();
    assert_eq!(due, 24 * HOUR, "rumours: 24 h");
    // Another browser with the number sees it too; a made-up number is 404.
    assert_eq!(s.client().get(&status_path).status, 200);
    assert_eq!(s.client().get("/complaints/TS-0000-0000-0000-0000").status, 404);

    // The rate limit: five an hour from one address.
    for i in 0..4 {
        complain(&anon, "", "other", &format!("general {i}"), "a@example.com");
    }
    let p = anon.post("/complaints", &[("target", ""), ("category", "other"), ("body", "sixth"), ("contact", "x")]);
    assert_eq!(p.status, 429, "{}", p.body);
    assert_eq!(count(&s, "SELECT count(*) FROM complaints"), 5);
    // A signed-in member is not limited this way and needs no contact.
    complain(&alice, "user:admin", "harassment", "骚扰", "");
    let due: i64 = db(&s)
        .query_row("SELECT due_at - created_at FROM complaints WHERE category = 'harassment'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(due, 72 * HOUR, "others: 72 h");

    // Staff resolve; the complainant reads the result with the number.
    let id: i64 = db(&s).query_row("SELECT id FROM complaints WHERE category = 'rumour'", [], |r| r.get(0)).unwrap();
    let p = admin
        .post(&format!("/admin/complaints/{id}/resolve"), &[("decision", "rejected"), ("resolution", "经核实不属实")]);
    assert_eq!(p.status, 403, "admins are not reviewers");
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let p = rita.post(
        &format!("/admin/complaints/{id}/resolve"),
        &[("decision", "rejected"), ("resolution", "经核实内容属实，不予支持")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = anon.get(&status_path);
    assert!(page.has("Rejected") && page.has("经核实内容属实，不予支持"));
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
}

/// R14.2: the queue is sorted by due time, overdue ones are marked,
/// duplicates on one target are one row, and assignment and resolution
/// cover the whole group.
#[test]
fn queue_sorted_by_due_time_with_overdue_marks_and_groups() {
    // File the complaints 30 hours in the past, then look now.
    let data = tempfile::tempdir().unwrap();
    let s = Server::start_in(data, &[], &[("PLAZA_CLOCK_OFFSET_SECONDS", &(-30 * HOUR).to_string())]);
    let admin = setup_admin(&s);
    admin.verify_identity("admin");
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let post = alice.post_status("可疑内容", "public");
    complain(&bob, "", "other", "72 小时的", "");
    complain(&bob, &format!("post:{post}"), "prohibited", "违法 1", "");
    complain(&s.client(), &format!("post:{post}"), "prohibited", "违法 2", "c@example.com");
    let _ = rita_for(&s, &admin);
    let data = s.stop();
    let s = Server::start_in(data, &[], &[]);
    let rita = s.client();
    rita.login("rita");
    rita.get("/?lang=en");
    let q = rita.get("/admin/complaints");
    assert_eq!(q.status, 200, "{}", q.body);
    // One row for the two complaints on the post, due first and overdue; the general one later, not overdue.
    // The post is named by its text and linked to its staff page, never as `post:ID` (issue 13).
    assert!(!q.has(&format!("post:{post}")), "no raw post:ID: {}", q.body);
    let first = q.body.find(&format!("href=\"/admin/posts/{post}\">「可疑内容」")).expect("post row");
    let general = q.body.find("<span>-</span>").expect("general row");
    assert!(first < general, "sorted by due time");
    assert_eq!(q.body.matches("Overdue").count(), 1, "only the 24-hour complaint is overdue");
    assert!(q.has("overdue-row"));
    let ids: Vec<i64> = db(&s)
        .prepare("SELECT id FROM complaints WHERE target_type = 'post' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let page = rita.get(&format!("/admin/complaints/{}", ids[0]));
    assert!(page.has("违法 1") && page.has("违法 2") && page.has("(2)"), "the group");
    assert_eq!(rita.post(&format!("/admin/complaints/{}/assign", ids[0]), &[("to", "rita")]).status, 303);
    assert_eq!(
        count(&s, "SELECT count(*) FROM complaints WHERE status = 'in_progress' AND assigned_to IS NOT NULL"),
        2
    );
    assert_eq!(
        rita.post(&format!("/admin/complaints/{}/assign", ids[0]), &[("to", "alice")]).status,
        422,
        "staff only"
    );
    let p = rita
        .post(&format!("/admin/complaints/{}/resolve", ids[1]), &[("decision", "upheld"), ("resolution", "已处理")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(count(&s, "SELECT count(*) FROM complaints WHERE status = 'resolved' AND resolution = '已处理'"), 2);
    assert!(!rita.get("/admin/complaints").has("Overdue"), "decided ones leave the queue");
    // Upheld: the author's credit goes down once (R15.1).
    assert_eq!(count(&s, "SELECT count(*) FROM credit_events WHERE source = 'complaint'"), 1);
}

fn rita_for(s: &Server, admin: &Client) -> Client {
    staff(s, admin, "rita", &["reviewer"])
}

/// R14.2: evidence images go with a complaint, cleaned like post images,
/// shown to staff only; a complainant with an account is told the result.
#[test]
fn evidence_images_and_complainant_notified() {
    let (s, admin) = crate::common::with_admin();
    let rita = rita_for(&s, &admin);
    let bob = member(&s, "bob");
    let anon = s.client();
    let p = anon.post_multipart(
        "/complaints",
        &[("target", ""), ("category", "fraud"), ("body", "诈骗截图"), ("contact", "13900000001")],
        &[("images", "shot.png", &png(30, 20))],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let p = anon.post_multipart(
        "/complaints",
        &[("target", ""), ("category", "fraud"), ("body", "not an image"), ("contact", "x")],
        &[("images", "x.html", b"<html><script>alert(1)</script></html>")],
    );
    assert_eq!(p.status, 415, "{}", p.body);
    assert_eq!(count(&s, "SELECT count(*) FROM complaints"), 1, "a refused file stores nothing");
    let id = count(&s, "SELECT id FROM complaints");
    let page = rita.get(&format!("/admin/complaints/{id}"));
    let img = format!("/admin/complaints/{id}/media/1");
    assert!(page.has(&img));
    let raw = rita.get_raw(&img, &[]);
    assert_eq!(raw.status, 200);
    assert_ne!(anon.get(&img).status, 200, "not for the public");
    assert_ne!(bob.get(&img).status, 200, "not for members");

    bob.post("/complaints", &[("target", "user:admin"), ("category", "other"), ("body", "b"), ("contact", "")]);
    let id = count(&s, "SELECT max(id) FROM complaints");
    rita.post(&format!("/admin/complaints/{id}/resolve"), &[("decision", "rejected"), ("resolution", "查无此事")]);
    let n = bob.get("/notifications");
    assert!(n.has("Your complaint was decided") && n.has("查无此事"), "{}", n.body);
}
