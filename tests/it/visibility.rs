//! Follows, timelines, visibility everywhere (mentions included: a
//! notification never carries text its reader may not see), pagination (R2.1).

use crate::common::Server;

#[test]
fn visibility_is_enforced_in_every_listing_and_direct_url() {
    let s = Server::start();
    let author = s.client();
    author.signup("writer");
    let follower = s.client();
    follower.signup("follower");
    let stranger = s.client();
    stranger.signup("stranger");
    follower.post("/@writer/follow", &[]);
    let public = author.post_status("公开 #可见性#", "public");
    let fans = author.post_status("仅粉丝可见 #可见性#", "followers");
    let me = author.post_status("仅自己可见 #可见性#", "self");
    let anon = s.client();
    let pages = ["/@writer", "/tags/%E5%8F%AF%E8%A7%81%E6%80%A7", "/public", "/"];
    // (who, sees followers-only, sees self-only)
    for (who, c, fans_ok, me_ok) in [
        ("author", &author, true, true),
        ("follower", &follower, true, false),
        ("stranger", &stranger, false, false),
        ("anon", &anon, false, false),
    ] {
        for path in pages {
            let p = c.get(path);
            if path == "/public" || (path == "/" && who == "anon") {
                // The public timeline only ever lists public posts.
                assert!(!p.has("仅粉丝可见") && !p.has("仅自己可见"), "{who} {path}");
                continue;
            }
            if path == "/" && who == "stranger" {
                assert!(!p.has("公开 #"), "strangers' home has no unfollowed posts");
            }
            assert_eq!(p.has("仅粉丝可见"), fans_ok && (path != "/" || who != "stranger"), "{who} {path}");
            assert_eq!(p.has("仅自己可见"), me_ok, "{who} {path}");
        }
        assert_eq!(c.get(&format!("/posts/{public}")).status, 200, "{who}");
        assert_eq!(c.get(&format!("/posts/{fans}")).status, if fans_ok { 200 } else { 404 }, "{who}");
        assert_eq!(c.get(&format!("/posts/{me}")).status, if me_ok { 200 } else { 404 }, "{who}");
    }
    // Not visible means no interaction either.
    assert_eq!(stranger.post(&format!("/posts/{fans}/comments"), &[("body", "偷看")]).status, 404);
    assert_eq!(stranger.post(&format!("/posts/{me}/like"), &[]).status, 404);
    assert_eq!(follower.post(&format!("/posts/{me}/like"), &[]).status, 404);
    // Unfollowing takes the access away.
    follower.post("/@writer/unfollow", &[]);
    assert_eq!(follower.get(&format!("/posts/{fans}")).status, 404);
}

#[test]
fn home_timeline_has_own_and_followed_posts_newest_first() {
    let s = Server::start();
    let a = s.client();
    a.signup("reader");
    let b = s.client();
    b.signup("followed");
    let c = s.client();
    c.signup("unfollowed");
    b.post_status("被关注者的第一条", "public");
    c.post_status("未关注者的帖子", "public");
    a.post("/@followed/follow", &[]);
    a.post_status("我自己的帖子", "self");
    b.post_status("被关注者的第二条", "followers");
    let home = a.get("/");
    assert!(!home.has("未关注者的帖子"));
    let order: Vec<usize> =
        ["被关注者的第二条", "我自己的帖子", "被关注者的第一条"].iter().map(|t| home.body.find(t).expect(t)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first");
    let prof = s.client().get("/@followed");
    assert!(prof.has("粉丝 <strong>1</strong>"), "{}", prof.body);
    assert!(s.client().get("/@followed/followers").has("@reader"));
    assert!(s.client().get("/@reader/following").has("@followed"));
    assert_eq!(a.post("/@reader/follow", &[]).status, 422, "cannot follow yourself");
    assert!(b.get("/@reader").has("关注了你"));
}

#[test]
fn pagination_by_max_id_has_no_gaps_or_duplicates() {
    let s = Server::start();
    let a = s.client();
    a.signup("pager");
    for i in 0..45 {
        a.post_status(&format!("帖子编号{i:03}号"), "public");
    }
    let mut seen = Vec::new();
    let mut path = "/@pager".to_string();
    let mut pages = 0;
    loop {
        let p = a.get(&path);
        assert_eq!(p.status, 200);
        for part in p.body.split("帖子编号").skip(1) {
            seen.push(part[..3].parse::<u32>().unwrap());
        }
        pages += 1;
        if pages == 1 {
            // New posts arriving meanwhile do not shift later pages.
            a.post_status("帖子编号999号", "public");
        }
        match p.body.split("rel=\"next\" href=\"").nth(1) {
            Some(rest) => path = rest.split('"').next().unwrap().replace("&amp;", "&"),
            None => break,
        }
    }
    let expected: Vec<u32> = (0..45).rev().collect();
    assert_eq!(seen, expected);
    assert_eq!(pages, 3);
    assert!(a.get("/").has("帖子编号999号"));
    assert_eq!(a.get("/public?max_id=abc").status, 400);
}

#[test]
fn mentions_never_carry_text_to_someone_who_cannot_see_it() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let eve = s.client();
    eve.signup("eve");
    let fan = s.client();
    fan.signup("fan");
    fan.post("/@alice/follow", &[]);
    alice.post_status("followers-secret @eve @fan", "followers");
    alice.post_status("self-secret @eve @fan", "self");
    let shared = alice.post_status("仅粉丝可见的帖子", "followers");
    fan.post(&format!("/posts/{shared}/comments"), &[("body", "comment-secret @eve")]);
    let n = eve.get("/notifications");
    assert!(!n.has("secret") && !n.has("提到了你"), "{}", n.body);
    let n = fan.get("/notifications");
    assert!(n.has("followers-secret") && !n.has("self-secret"), "{}", n.body);
    // Unfollowing takes the text out of notifications already received.
    fan.post("/@alice/unfollow", &[]);
    assert!(!fan.get("/notifications").has("followers-secret"));
}
