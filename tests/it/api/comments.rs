//! Comments as statuses `c{id}` in the client API (issue 19): opened,
//! liked, deleted and listed through the post page's own rules (R2.3,
//! R6.3), what bookmark and reblog answer for them, bad ids, the reply
//! notifications that carry them, and notifications paged by
//! `since_id`/`min_id` as the timelines.

use crate::common::api::*;
use crate::common::gov::*;
use crate::common::with_admin;

/// The id string of a status answer.
fn id_of(r: &Json) -> String {
    r.body["id"].as_str().unwrap_or_else(|| panic!("no id: {}", r.text)).to_string()
}

#[test]
fn a_reply_made_by_api_can_be_opened_liked_and_deleted_by_its_c_id() {
    let (s, _admin) = with_admin();
    let (alice, a) = member_api(&s, "alice", "read write follow");
    let (_, b) = member_api(&s, "bob", "read write follow");
    let (carol, c) = member_api(&s, "carol", "read write follow");
    let anon = Api::new(&s);
    let post = id_of(&a.post("/api/v1/statuses", &[("status", "alice's post")]));

    // Bob replies by API and opens his reply by its c id.
    let r = b.post("/api/v1/statuses", &[("status", "bob replies here"), ("in_reply_to_id", &post)]);
    assert_eq!(r.status, 200, "{}", r.text);
    let reply = id_of(&r);
    let cid = reply.strip_prefix('c').expect("a comment id").to_string();
    let got = b.get(&format!("/api/v1/statuses/{reply}"));
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(
        (got.body["id"].as_str(), got.body["content"].as_str()),
        (Some(reply.as_str()), Some("<p>bob replies here</p>"))
    );
    assert_eq!(got.body["in_reply_to_id"], post.as_str());
    assert_eq!(anon.get(&format!("/api/v1/statuses/{reply}")).status, 200, "a public post's comment is public");

    // Carol likes it: the count moves and the post page shows her like (issue 18).
    let r = c.post(&format!("/api/v1/statuses/{reply}/favourite"), &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["favourited"].as_bool(), r.body["favourites_count"].as_i64()), (Some(true), Some(1)));
    assert_eq!(
        c.post(&format!("/api/v1/statuses/{reply}/favourite"), &[]).body["favourites_count"],
        1,
        "twice is once"
    );
    let page = carol.get(&format!("/posts/{post}"));
    assert!(page.has(&format!("action=\"/comments/{cid}/unlike\"")) && page.has("Unlike 1"), "{}", page.body);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'comment.like'"), 1);
    assert_eq!(b.get(&format!("/api/v1/statuses/{reply}")).body["favourites_count"], 1);
    let r = c.post(&format!("/api/v1/statuses/{reply}/unfavourite"), &[]);
    assert_eq!(
        (r.status, r.body["favourites_count"].as_i64(), r.body["favourited"].as_bool()),
        (200, Some(0), Some(false))
    );
    assert!(carol.get(&format!("/posts/{post}")).has(&format!("action=\"/comments/{cid}/like\"")));
    assert_eq!(count(&s, "SELECT count(*) FROM comment_likes"), 0);

    // Bookmarks and reblogs are for posts: refused in words, nothing stored.
    let r = c.post(&format!("/api/v1/statuses/{reply}/bookmark"), &[]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().contains("收藏"), "{}", r.text);
    let r = c.post(&format!("/api/v1/statuses/{reply}/reblog"), &[]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().contains("评论"), "{}", r.text);
    assert_eq!(count(&s, "SELECT count(*) FROM bookmarks") + count(&s, "SELECT count(*) FROM posts"), 1);

    // A reply's context: the post above it, the answers to it below.
    let r = c.post("/api/v1/statuses", &[("status", "carol answers bob"), ("in_reply_to_id", &reply)]);
    let answer = id_of(&r);
    let ctx = anon.get(&format!("/api/v1/statuses/{reply}/context"));
    assert_eq!(ctx.status, 200, "{}", ctx.text);
    assert_eq!(ctx.body["ancestors"][0]["id"], post.as_str(), "{}", ctx.text);
    assert_eq!(ctx.body["descendants"][0]["id"], answer.as_str(), "{}", ctx.text);
    let ctx = anon.get(&format!("/api/v1/statuses/{answer}/context"));
    let up: Vec<&str> = ctx.body["ancestors"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(up, [post.as_str(), reply.as_str()], "{}", ctx.text);

    // Someone else may not delete it (403, as the page); nothing changes.
    let r = c.delete(&format!("/api/v1/statuses/{reply}"));
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(anon.get(&format!("/api/v1/statuses/{reply}")).status, 200);
    // Its author deletes it: the answer is the reply as it was; gone from the context and the page.
    let r = b.delete(&format!("/api/v1/statuses/{reply}"));
    assert_eq!((r.status, r.body["id"].as_str()), (200, Some(reply.as_str())), "{}", r.text);
    assert_eq!(b.get(&format!("/api/v1/statuses/{reply}")).status, 404);
    assert_eq!(b.delete(&format!("/api/v1/statuses/{reply}")).status, 404, "twice: nothing there");
    let ctx = anon.get(&format!("/api/v1/statuses/{post}/context"));
    let left: Vec<&str> =
        ctx.body["descendants"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(left, [answer.as_str()], "carol's answer stays, as on the page: {}", ctx.text);
    assert!(!ctx.text.contains("bob replies here"), "{}", ctx.text);
    let page = alice.get(&format!("/posts/{post}"));
    assert!(!page.has("bob replies here") && page.has("carol answers bob"), "{}", page.body);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'comment.delete'"), 1);
    // Numeric ids still work unchanged.
    assert_eq!(anon.get(&format!("/api/v1/statuses/{post}")).body["content"], "<p>alice's post</p>");
}

#[test]
fn comment_ids_keep_the_pages_visibility_and_bad_ids_are_named() {
    let (s, admin) = with_admin();
    let (_, a) = member_api(&s, "alice", "read write follow");
    let (_, b) = member_api(&s, "bob", "read write follow");
    let (_, c) = member_api(&s, "carol", "read write follow");
    let alice_id = id_of(&a.get("/api/v1/accounts/verify_credentials"));
    // Bob follows alice and comments on her followers-only post.
    assert_eq!(b.post(&format!("/api/v1/accounts/{alice_id}/follow"), &[]).status, 200);
    let post = id_of(&a.post("/api/v1/statuses", &[("status", "friends only"), ("visibility", "private")]));
    let reply = id_of(&b.post("/api/v1/statuses", &[("status", "a friend's reply"), ("in_reply_to_id", &post)]));
    assert_eq!(b.get(&format!("/api/v1/statuses/{reply}")).status, 200);
    assert_eq!(a.get(&format!("/api/v1/statuses/{reply}")).status, 200);
    // Carol does not follow alice: the comment is missing for her (as the post), whatever she tries.
    for r in [
        c.get(&format!("/api/v1/statuses/{reply}")),
        c.get(&format!("/api/v1/statuses/{reply}/context")),
        c.post(&format!("/api/v1/statuses/{reply}/favourite"), &[]),
        c.post(&format!("/api/v1/statuses/{reply}/bookmark"), &[]),
        c.delete(&format!("/api/v1/statuses/{reply}")),
        Api::new(&s).get(&format!("/api/v1/statuses/{reply}")),
    ] {
        assert_eq!(r.status, 404, "{}", r.text);
    }
    assert_eq!(count(&s, "SELECT count(*) FROM comment_likes"), 0);
    // R6.2: a comment held for review is its author's alone, as on the page.
    add_rule(&admin, "代开发票", "fraud", "review");
    let public = id_of(&a.post("/api/v1/statuses", &[("status", "a public post")]));
    let r = b.post("/api/v1/statuses", &[("status", "可以代开发票"), ("in_reply_to_id", &public)]);
    assert_eq!(r.status, 202, "{}", r.text);
    let held = id_of(&r);
    let mine = b.get(&format!("/api/v1/statuses/{held}"));
    assert_eq!((mine.status, mine.body["plaza_status"].as_str()), (200, Some("pending")), "{}", mine.text);
    for r in [
        c.get(&format!("/api/v1/statuses/{held}")),
        a.get(&format!("/api/v1/statuses/{held}")),
        c.post(&format!("/api/v1/statuses/{held}/favourite"), &[]),
    ] {
        assert_eq!(r.status, 404, "{}", r.text);
    }
    assert!(!a.get(&format!("/api/v1/statuses/{public}/context")).text.contains(&held));
    // A comment that does not exist is missing too.
    assert_eq!(b.get("/api/v1/statuses/c999999").status, 404);
    // Neither a post id nor c + one: 422 naming id, never 500.
    for bad in ["cx", "c-1", "c0", "0x10", "0", "-3", "c", "1c"] {
        let r = b.get(&format!("/api/v1/statuses/{bad}"));
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
        assert!(r.error().contains("id") && r.error().contains("c12"), "{bad}: {}", r.text);
        assert_eq!(b.post(&format!("/api/v1/statuses/{bad}/favourite"), &[]).status, 422, "{bad}");
        assert_eq!(b.delete(&format!("/api/v1/statuses/{bad}")).status, 422, "{bad}");
    }
    assert_eq!(count(&s, "SELECT count(*) FROM comments WHERE status = 'published'"), 1, "nothing changed");
    assert_eq!(count(&s, "SELECT count(*) FROM comments WHERE status = 'pending'"), 1, "nothing changed");
}

#[test]
fn a_reply_to_a_comment_notifies_its_author_with_the_reply_and_notifications_page_by_since_and_min_id() {
    let (s, _admin) = with_admin();
    let (_, a) = member_api(&s, "alice", "read write follow");
    let (_, b) = member_api(&s, "bob", "read write follow");
    let (_, c) = member_api(&s, "carol", "read write follow");
    let bob_id = id_of(&b.get("/api/v1/accounts/verify_credentials"));
    let post = id_of(&a.post("/api/v1/statuses", &[("status", "alice's post")]));
    let bobs = id_of(&b.post("/api/v1/statuses", &[("status", "bob's comment"), ("in_reply_to_id", &post)]));

    // Carol answers bob's comment: the reply names bob as the account replied to.
    let r = c.post("/api/v1/statuses", &[("status", "carol answers bob"), ("in_reply_to_id", &bobs)]);
    assert_eq!(r.status, 200, "{}", r.text);
    let carols = id_of(&r);
    assert_eq!(r.body["in_reply_to_id"], bobs.as_str());
    assert_eq!(r.body["in_reply_to_account_id"], bob_id.as_str(), "{}", r.text);
    assert_eq!(b.get(&format!("/api/v1/statuses/{carols}")).body["in_reply_to_account_id"], bob_id.as_str());
    // A comment on the post itself still names the post's author.
    let alice_id = id_of(&a.get("/api/v1/accounts/verify_credentials"));
    assert_eq!(b.get(&format!("/api/v1/statuses/{bobs}")).body["in_reply_to_account_id"], alice_id.as_str());

    // Bob's notification carries carol's reply, not the post.
    let n = b.get("/api/v1/notifications");
    assert_eq!(n.status, 200, "{}", n.text);
    assert_eq!(n.body[0]["type"], "mention", "{}", n.text);
    assert_eq!(n.body[0]["account"]["username"], "carol");
    assert_eq!(n.body[0]["status"]["id"], carols.as_str(), "{}", n.text);
    assert_eq!(n.body[0]["status"]["content"], "<p>carol answers bob</p>");
    // Alice's (a comment on her post) carries the comment too.
    let n = a.get("/api/v1/notifications");
    let ids: Vec<&str> = n.body.as_array().unwrap().iter().filter_map(|n| n["status"]["id"].as_str()).collect();
    assert!(ids.contains(&bobs.as_str()), "{}", n.text);
    // A like of bob's comment: a favourite carrying the comment.
    c.post(&format!("/api/v1/statuses/{bobs}/favourite"), &[]);
    let n = b.get("/api/v1/notifications?limit=1");
    assert_eq!(
        (n.body[0]["type"].as_str(), n.body[0]["status"]["id"].as_str()),
        (Some("favourite"), Some(bobs.as_str())),
        "{}",
        n.text
    );

    // Paging: more notices for bob (carol likes his posts), newest first.
    for i in 0..6 {
        let p = id_of(&b.post("/api/v1/statuses", &[("status", &format!("bob {i}"))]));
        c.post(&format!("/api/v1/statuses/{p}/favourite"), &[]);
    }
    let all = b.get("/api/v1/notifications?limit=80");
    let all: Vec<i64> =
        all.body.as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(all.len(), 8, "{all:?}");
    assert!(all.windows(2).all(|w| w[0] > w[1]), "newest first: {all:?}");
    let ids = |r: &Json| -> Vec<i64> {
        r.body.as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().parse().unwrap()).collect()
    };
    // since_id: the newest above it (a gap below when more than limit arrived).
    let since = all[5];
    let r = b.get(&format!("/api/v1/notifications?since_id={since}&limit=2"));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(ids(&r), all[0..2].to_vec());
    let r = b.get(&format!("/api/v1/notifications?since_id={since}"));
    assert_eq!(ids(&r), all[0..5].to_vec());
    // min_id: just above it, answered newest first, with a prev link to the newer ones.
    let r = b.get(&format!("/api/v1/notifications?min_id={since}&limit=2"));
    assert_eq!(ids(&r), all[3..5].to_vec(), "{}", r.text);
    let link = r.header("link").expect("a Link header").to_string();
    assert!(link.contains(&format!("min_id={}&limit=2>; rel=\"prev\"", all[3])), "{link}");
    assert!(link.contains(&format!("max_id={}&limit=2>; rel=\"next\"", all[4])), "{link}");
    // Following prev reaches the newest; at the top, min_id answers nothing and max_id pages down.
    let r = b.get(&format!("/api/v1/notifications?min_id={}&limit=2", all[3]));
    assert_eq!(ids(&r), all[1..3].to_vec());
    let r = b.get(&format!("/api/v1/notifications?min_id={}", all[0]));
    assert_eq!(r.text, "[]");
    let r = b.get(&format!("/api/v1/notifications?max_id={}&limit=3", all[2]));
    assert_eq!(ids(&r), all[3..6].to_vec());
    let first = b.get("/api/v1/notifications?limit=3");
    let link = first.header("link").unwrap().to_string();
    assert!(link.contains(&format!("max_id={}&limit=3>; rel=\"next\"", all[2])), "{link}");
    assert!(link.contains(&format!("min_id={}&limit=3>; rel=\"prev\"", all[0])), "{link}");
    // Bad numbers are named.
    let r = b.get("/api/v1/notifications?since_id=x");
    assert_eq!(r.status, 422);
    assert!(r.error().contains("since_id"));
}
