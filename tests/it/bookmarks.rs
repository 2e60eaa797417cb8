//! Bookmarks (收藏, private) and the one pinned post on a profile (issue
//! 18): a post the viewer cannot see answers exactly as a missing post.

use crate::common::gov::count;
use crate::common::Server;

#[test]
fn bookmarks_are_private_and_follow_visibility() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    let public = bob.post_status("鲍勃的公开帖", "public");
    let own = bob.post_status("鲍勃自己可见", "self");
    assert_eq!(alice.post(&format!("/posts/{public}/bookmark"), &[]).status, 303);
    assert_eq!(alice.post(&format!("/posts/{public}/bookmark"), &[]).status, 303, "twice changes nothing");
    assert_eq!(count(&s, "SELECT count(*) FROM bookmarks"), 1);
    let page = alice.get("/bookmarks");
    assert!(page.has("鲍勃的公开帖"), "{}", page.body);
    assert!(alice.get(&format!("/posts/{public}")).has("取消收藏"));
    // Private: bob's bookmarks page is his own, empty.
    let theirs = bob.get("/bookmarks");
    assert!(!theirs.has("鲍勃的公开帖") && theirs.has("还没有收藏"));
    // Signed out: to the login page.
    assert_eq!(s.client().get("/bookmarks").status, 303);
    // A post alice cannot see, or none at all: 404 both, nothing stored.
    let hidden = alice.post(&format!("/posts/{own}/bookmark"), &[]);
    let missing = alice.post("/posts/999999/bookmark", &[]);
    assert_eq!((hidden.status, missing.status), (404, 404));
    assert_eq!(count(&s, "SELECT count(*) FROM bookmarks"), 1);
    // When the post stops being visible (a block), it leaves the list.
    bob.post("/@alice/block", &[]);
    assert!(!alice.get("/bookmarks").has("鲍勃的公开帖"));
    bob.post("/@alice/unblock", &[]);
    assert_eq!(alice.post(&format!("/posts/{public}/unbookmark"), &[]).status, 303);
    assert!(!alice.get("/bookmarks").has("鲍勃的公开帖"));
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action IN ('post.bookmark', 'post.unbookmark')"), 2);
}

#[test]
fn one_pinned_post_heads_the_profile() {
    let s = Server::start();
    let bob = s.client();
    bob.signup("bob");
    let alice = s.client();
    alice.signup("alice");
    let first = bob.post_status("第一条：置顶这条", "public");
    let second = bob.post_status("第二条：后来置顶", "public");
    for i in 0..3 {
        bob.post_status(&format!("普通帖子{i}"), "public");
    }
    let own = alice.post_status("爱丽丝自己可见", "self");
    assert_eq!(bob.post(&format!("/posts/{first}/pin"), &[]).status, 303);
    let profile = alice.get("/@bob");
    let pinned_at = profile.body.find("第一条：置顶这条").expect("pinned shown");
    assert!(pinned_at < profile.body.find("普通帖子2").unwrap(), "the pinned post comes first");
    assert!(profile.has("置顶"));
    // One pin: a new one replaces it.
    assert_eq!(bob.post(&format!("/posts/{second}/pin"), &[]).status, 303);
    assert_eq!(count(&s, "SELECT count(*) FROM pins"), 1);
    let profile = alice.get("/@bob");
    assert!(profile.body.find("第二条：后来置顶").unwrap() < profile.body.find("普通帖子2").unwrap());
    // Someone else's post: 403; a post one cannot see or a missing one: 404.
    assert_eq!(alice.post(&format!("/posts/{second}/pin"), &[]).status, 403);
    assert_eq!(bob.post(&format!("/posts/{own}/pin"), &[]).status, 404);
    assert_eq!(bob.post("/posts/999999/pin", &[]).status, 404);
    assert_eq!(
        count(&s, "SELECT count(*) FROM pins WHERE post_id = ?1".replace("?1", &second.to_string()).as_str()),
        1
    );
    assert_eq!(bob.post(&format!("/posts/{second}/unpin"), &[]).status, 303);
    assert_eq!(count(&s, "SELECT count(*) FROM pins"), 0);
}
