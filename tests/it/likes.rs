//! Likes on comments and the lists of who liked and who reposted a post
//! (issue 18, R2.3): counted and shown, the comment's author told, blocks
//! honoured both ways; the lists paged and answered as a missing post when
//! the viewer cannot see the post.

use crate::common::gov::{count, db};
use crate::common::Server;

#[test]
fn liking_a_comment_counts_tells_its_author_and_honours_blocks() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    let carol = s.client();
    carol.signup("carol");
    let a1 = alice.post_status("爱丽丝的帖子", "public");
    assert_eq!(bob.post(&format!("/posts/{a1}/comments"), &[("body", "鲍勃的评论")]).status, 303);
    let c1 = count(&s, "SELECT id FROM comments");
    let like = format!("/comments/{c1}/like");
    assert_eq!(carol.post(&like, &[]).status, 303);
    assert_eq!(carol.post(&like, &[]).status, 303, "twice is once");
    assert_eq!(alice.post(&like, &[]).status, 303);
    assert_eq!(count(&s, "SELECT count(*) FROM comment_likes"), 2);
    let page = carol.get(&format!("/posts/{a1}"));
    assert!(page.has(&format!("action=\"/comments/{c1}/unlike\"")) && page.has("取消赞 2"), "{}", page.body);
    assert!(s.client().get(&format!("/posts/{a1}")).has("赞 2"), "signed out: the count");
    let n = bob.get("/notifications");
    assert!(n.has("等 2 人</span> 赞了你的评论"), "grouped: {}", n.body);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'comment.like'"), 2);
    assert_eq!(carol.post(&format!("/comments/{c1}/unlike"), &[]).status, 303);
    assert!(carol.get(&format!("/posts/{a1}")).has(&format!("action=\"/comments/{c1}/like\"")));
    assert_eq!(count(&s, "SELECT count(*) FROM comment_likes"), 1);
    // Bad input: a missing comment is 404 and changes nothing; signed out cannot like.
    assert_eq!(carol.post("/comments/999999/like", &[]).status, 404);
    assert!((400..500).contains(&s.client().post(&like, &[]).status));
    // Across a block the comment is not there: answered as a missing one, nobody told.
    assert_eq!(bob.post("/@carol/block", &[]).status, 303);
    assert_eq!(carol.post(&like, &[]).status, 404);
    assert!(!carol.get(&format!("/posts/{a1}")).has("鲍勃的评论"));
    assert_eq!(count(&s, "SELECT count(*) FROM comment_likes"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM notifications WHERE kind = 'comment_like'"), 2);
}

#[test]
fn who_liked_and_who_reposted_are_listed_paged_and_as_visible_as_the_post() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    let carol = s.client();
    carol.signup("carol");
    let dave = s.client();
    dave.signup("dave");
    let a1 = alice.post_status("爱丽丝的公开帖", "public");
    for c in [&bob, &carol, &dave] {
        assert_eq!(c.post(&format!("/posts/{a1}/like"), &[]).status, 303);
    }
    assert_eq!(bob.post(&format!("/posts/{a1}/repost"), &[("body", "鲍勃转发了")]).status, 303);
    assert_eq!(carol.post(&format!("/posts/{a1}/repost"), &[("body", "卡萝尔转发了")]).status, 303);
    let likes = format!("/posts/{a1}/likes");
    let reposts = format!("/posts/{a1}/reposts");
    let p = s.client().get(&likes);
    assert_eq!(p.status, 200);
    assert!(p.has("赞过的人") && p.has("/@bob") && p.has("/@carol") && p.has("/@dave"), "{}", p.body);
    let post_page = s.client().get(&format!("/posts/{a1}"));
    assert!(post_page.has(&format!("href=\"{likes}\"")) && post_page.has(&format!("href=\"{reposts}\"")));
    let p = s.client().get(&reposts);
    assert!(p.has("鲍勃转发了") && p.has("卡萝尔转发了"), "{}", p.body);
    // A block between the viewer and a liker or reposter leaves them out for that viewer only.
    assert_eq!(dave.post("/@bob/block", &[]).status, 303);
    let p = dave.get(&likes);
    assert!(!p.has("/@bob\"") && p.has("/@carol"), "{}", p.body);
    assert!(!dave.get(&reposts).has("鲍勃转发了") && dave.get(&reposts).has("卡萝尔转发了"));
    assert!(alice.get(&likes).has("/@bob"));

    // Paged: 50 a page, newest first, then the rest.
    {
        let conn = db(&s);
        for i in 0..55 {
            conn.execute(
                "INSERT INTO users (username, username_key, password_hash, agreement_version, agreement_accepted_at, created_at)
                 VALUES (?1, ?1, 'x', 1, 0, 0)",
                [format!("fan{i:02}")],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO likes (user_id, post_id, created_at) VALUES (last_insert_rowid(), ?1, 1000 + ?2)",
                rusqlite::params![a1, i],
            )
            .unwrap();
        }
    }
    let first = alice.get(&likes);
    assert!(first.has("/@fan54") && !first.has("/@fan04\""), "{}", first.body);
    let next = first.body.split("rel=\"next\" href=\"").nth(1).and_then(|r| r.split('"').next()).expect("a next page");
    let second = alice.get(&next.replace("&amp;", "&"));
    assert!(second.has("/@fan04\"") && second.has("/@fan00\"") && !second.has("/@fan54\""), "{}", second.body);
    assert_eq!(alice.get(&format!("{likes}?before=yesterday")).status, 400);

    // A post the viewer cannot see: both lists answer exactly as for a missing post.
    let f1 = alice.post_status("仅粉丝可见", "followers");
    let missing = s.client().get("/posts/999999/likes");
    assert_eq!(missing.status, 404);
    for path in [format!("/posts/{f1}/likes"), format!("/posts/{f1}/reposts"), "/posts/999999/reposts".into()] {
        let p = carol.get(&path);
        assert_eq!(p.status, 404, "{path}");
    }
    assert_eq!(alice.get(&format!("/posts/{f1}/likes")).status, 200, "the author sees her own");
}
