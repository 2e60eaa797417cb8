//! The review queue (R6.2, R6.6): held content oldest first with its rule,
//! approve and reject (one or in bulk) with the author told, the workload
//! on the dashboard.

use crate::common::gov::*;
use crate::common::with_admin;

/// Held posts wait oldest first with the matched rule; approving publishes
/// and tells whoever it concerns then; rejecting needs a reason, tells the
/// author, keeps evidence. The dashboard shows the queue size and the
/// oldest item's age, to reviewers too.
#[test]
fn approve_and_reject_with_author_notified() {
    let (s, admin) = with_admin();
    add_rule(&admin, "内部消息", "rumour", "review");
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");

    let first = alice.post_status("内部消息：@bob 明天放假", "public");
    let second = alice.post_status("又一条 内部 消息", "public");
    assert_eq!((status(&s, first), status(&s, second)), ("pending".into(), "pending".into()));
    assert_eq!(
        count(&s, "SELECT count(*) FROM notifications WHERE user_id = (SELECT id FROM users WHERE username = 'bob')"),
        0,
        "a held post mentions nobody yet"
    );

    let dash = reviewer.get("/admin");
    assert_eq!(dash.status, 200, "reviewers see the dashboard");
    assert!(dash.has("Waiting for review<strong>2</strong>"), "{}", dash.body);
    assert!(dash.has("Oldest waiting for<strong>"), "{}", dash.body);
    assert!(!dash.has("Recent activity log"), "the log is for admins");

    let q = reviewer.get("/admin/review");
    assert_eq!(q.status, 200);
    let (a, b) = (q.body.find("明天放假").unwrap(), q.body.find("又一条 内部 消息").unwrap());
    assert!(a < b, "oldest first");
    assert!(q.has("matched rule: 内部消息 (rumour)"), "{}", q.body);

    let items = open_items(&s, "hold");
    let no_reason = reviewer.post("/admin/review", &[("item", &items[1].to_string()), ("decision", "reject")]);
    assert_eq!(no_reason.status, 422, "rejecting needs a reason");
    let p = reviewer.post("/admin/review", &[("item", &items[0].to_string()), ("decision", "approve")]);
    assert_eq!(p.status, 303);
    assert_eq!(status(&s, first), "published");
    assert!(s.client().get("/public").has("明天放假"));
    assert!(bob.get("/notifications").has("mentioned you"), "told at approval");

    let p = reviewer.post(
        "/admin/review",
        &[("item", &items[1].to_string()), ("decision", "reject"), ("reason", "未经证实的传言")],
    );
    assert_eq!(p.status, 303);
    assert_eq!(status(&s, second), "rejected");
    assert_eq!(alice.get(&format!("/posts/{second}")).status, 410, "gone, even for its author");
    let n = alice.get("/notifications");
    assert!(n.has("Your content was not approved") && n.has("未经证实的传言"), "{}", n.body);
    let (kind, body, decider): (String, String, String) = db(&s)
        .query_row("SELECT kind, body, decider_username FROM evidence", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!((kind.as_str(), body.as_str(), decider.as_str()), ("rejection", "又一条 内部 消息", "rita"));
    assert!(reviewer.get("/admin").has("Waiting for review<strong>0</strong>"));
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action IN ('review.approve', 'review.reject')"), 2);
}

/// Bulk: every item on the page approved at once; held comments and
/// reposts are counted only when approved; a held profile change applies
/// on approval. Emergency hold gives the cause shown.
#[test]
fn bulk_approval_of_posts_comments_reposts_and_profiles() {
    let (s, admin) = with_admin();
    add_rule(&admin, "待审", "custom", "review");
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let post = alice.post_status("hello world", "public");
    assert_eq!(bob.post(&format!("/posts/{post}/comments"), &[("body", "待审 comment")]).status, 303);
    assert_eq!(bob.post(&format!("/posts/{post}/repost"), &[("body", "待审 repost")]).status, 303);
    assert_eq!(bob.post("/settings/profile", &[("display_name", "待审的名字"), ("bio", "")]).status, 303);
    assert_eq!(count(&s, &format!("SELECT comment_count + repost_count FROM posts WHERE id = {post}")), 0);
    assert_eq!(
        count(&s, "SELECT count(*) FROM notifications WHERE user_id = (SELECT id FROM users WHERE username = 'alice')"),
        0
    );

    let items = open_items(&s, "hold");
    assert_eq!(items.len(), 3);
    let all = items.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let p = chief.post("/admin/review", &[("all", &all), ("decision", "approve")]);
    assert_eq!(p.status, 303);
    assert_eq!(p.location.as_deref(), Some("/admin/review?kind=hold&done=3"));
    assert!(open_items(&s, "hold").is_empty());
    assert_eq!(count(&s, &format!("SELECT comment_count FROM posts WHERE id = {post}")), 1);
    assert_eq!(count(&s, &format!("SELECT repost_count FROM posts WHERE id = {post}")), 1);
    let page = s.client().get(&format!("/posts/{post}"));
    assert!(page.has("待审 comment"));
    assert!(s.client().get("/@bob").has("待审的名字"), "the profile change applied");
    assert_eq!(
        count(&s, "SELECT count(*) FROM notifications WHERE user_id = (SELECT id FROM users WHERE username = 'alice')"),
        2,
        "comment and repost told at approval"
    );
}
