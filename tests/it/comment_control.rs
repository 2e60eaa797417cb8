//! Comment control (R10.3): an organisation's posts may be open to all
//! comments, to followers only, or closed; the author hides or removes
//! comments under them (removal keeps evidence) and the comment's author
//! is told. Individuals may not, unless the site allows everyone.

use crate::common::gov::*;
use crate::common::{Client, Server};

/// An organisation account (verified with a credit code), pages in English.
fn organisation(s: &Server, name: &str) -> Client {
    let c = s.client();
    c.signup_unverified(name);
    let (_, mobile) = crate::common::fresh_identity();
    c.bind_identity(name, "organisation", "某某公司", "91440305GG0UEQ5K5C", &mobile);
    c.wait_verified();
    c.get("/?lang=en");
    c
}

fn comment(c: &Client, post: i64, body: &str) -> u16 {
    c.post(&format!("/posts/{post}/comments"), &[("body", body)]).status
}

#[test]
fn comment_modes_hide_and_remove() {
    let s = Server::start();
    let org = organisation(&s, "acme");
    let fan = member(&s, "fan");
    let other = member(&s, "other");
    assert_eq!(fan.post("/@acme/follow", &[]).status, 303);
    let post = org.post_status("公告", "public");
    let path = format!("/posts/{post}");
    assert!(org.get(&path).has("comment-mode-form"), "the author sees the control");
    assert!(!fan.get(&path).has("comment-mode-form"));

    // open
    assert_eq!(comment(&other, post, "open: anyone"), 303);
    // followers only
    assert_eq!(org.post(&format!("{path}/comment-mode"), &[("mode", "followers")]).status, 303);
    let p = other.post(&format!("{path}/comments"), &[("body", "not a follower")]);
    assert_eq!(p.status, 403);
    assert!(p.has("Only the author&#39;s followers can comment") || p.has("Only the author's followers can comment"));
    assert_eq!(comment(&fan, post, "a follower"), 303);
    assert_eq!(comment(&org, post, "the author"), 303);
    // closed
    assert_eq!(org.post(&format!("{path}/comment-mode"), &[("mode", "closed")]).status, 303);
    assert_eq!(comment(&fan, post, "closed now"), 403);
    assert_eq!(comment(&other, post, "closed now"), 403);
    assert!(other.get(&path).has("The author has closed comments."));
    assert_eq!(org.post(&format!("{path}/comment-mode"), &[("mode", "nonsense")]).status, 400);
    assert_eq!(count(&s, "SELECT count(*) FROM comments"), 3);

    // Hide: only the two of them still see it; its author is told.
    let open_id = count(&s, "SELECT id FROM comments WHERE body = 'open: anyone'");
    assert_eq!(other.post(&format!("/comments/{open_id}/hide"), &[]).status, 403, "not the post's author");
    assert_eq!(org.post(&format!("/comments/{open_id}/hide"), &[]).status, 303);
    assert!(!fan.get(&path).has("open: anyone"));
    assert!(other.get(&path).has("open: anyone") && other.get(&path).has("Hidden by the post"));
    assert!(org.get(&path).has("open: anyone"));
    assert!(other.get("/notifications").has("hid your comment"));
    assert_eq!(org.post(&format!("/comments/{open_id}/unhide"), &[]).status, 303);
    assert!(fan.get(&path).has("open: anyone"));

    // Remove: evidence as for staff removals; its author is told.
    let fan_id = count(&s, "SELECT id FROM comments WHERE body = 'a follower'");
    assert_eq!(org.post(&format!("/comments/{fan_id}/remove"), &[("reason", "不友善")]).status, 303);
    assert!(!other.get(&path).has("a follower"));
    assert_eq!(
        count(&s, &format!("SELECT count(*) FROM evidence WHERE kind = 'removal' AND content_type = 'comment' AND content_id = {fan_id}")),
        1
    );
    assert!(fan.get("/notifications").has("不友善"));
    assert_eq!(count(&s, "SELECT count(*) FROM credit_events"), 0, "an author's removal is not a staff penalty");

    // An individual may not control comments by default.
    let fan_post = fan.post_status("个人帖子", "public");
    assert_eq!(fan.post(&format!("/posts/{fan_post}/comment-mode"), &[("mode", "closed")]).status, 403);
    let c = count(&s, "SELECT max(id) FROM comments");
    assert_eq!(comment(&other, fan_post, "hi"), 303);
    assert_eq!(fan.post(&format!("/comments/{}/hide", c + 1), &[]).status, 403);
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
}

/// `comment_control_for_all` lets any author close comments.
#[test]
fn site_setting_lets_everyone_control_comments() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("plaza.toml"), "comment_control_for_all = true\n").unwrap();
    let s = Server::start_in(data, &[], &[]);
    let ann = member(&s, "ann");
    let ben = member(&s, "ben");
    let post = ann.post_status("个人帖子", "public");
    assert_eq!(ann.post(&format!("/posts/{post}/comment-mode"), &[("mode", "closed")]).status, 303);
    assert_eq!(comment(&ben, post, "no"), 403);
}
