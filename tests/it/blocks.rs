//! Blocks, mutes and muted words (issue 18): a block is honoured on every
//! read path exactly as visibility is (one table over the paths), stops
//! every interaction both ways, and is logged; a mute and a muted word act
//! on the muter's timelines only; bad input changes nothing.

use crate::common::gov::{count, db, png};
use crate::common::{Client, Server};

/// What one read path must show, before the block and after it.
enum Expect {
    /// The page has `marker` before and not after.
    Text(&'static str),
    /// 200 before, 404 after (answered exactly as for a missing post).
    Found,
}

fn id_of(s: &Server, name: &str) -> i64 {
    db(s).query_row("SELECT id FROM users WHERE username = ?1", [name], |r| r.get(0)).unwrap()
}

#[test]
fn a_block_hides_both_accounts_from_each_other_on_every_read_path() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    let carol = s.client();
    carol.signup("carol");
    alice.post("/@bob/follow", &[]);
    bob.post("/@alice/follow", &[]);
    let a1 = alice.post_status("爱丽丝的帖子 #blocktest", "public");
    let b1 = bob.post_status("鲍勃的公开帖 #blocktest", "public");
    let up = bob.post_multipart(
        "/posts",
        &[("body", "鲍勃的图片"), ("visibility", "public")],
        &[("media", "a.png", &png(8, 8))],
    );
    assert_eq!(up.status, 303, "{}", up.body);
    let b2 = crate::common::client::id_from(up.location.as_deref().unwrap());
    let hash: String =
        db(&s).query_row("SELECT sha256 FROM attachments WHERE post_id = ?1", [b2], |r| r.get(0)).unwrap();
    assert_eq!(bob.post(&format!("/posts/{a1}/comments"), &[("body", "鲍勃的评论")]).status, 303);
    assert_eq!(bob.post(&format!("/posts/{a1}/like"), &[]).status, 303);
    assert_eq!(carol.post(&format!("/posts/{b1}/repost"), &[("body", "卡萝尔转发")]).status, 303);

    let (a1_page, b1_page) = (format!("/posts/{a1}"), format!("/posts/{b1}"));
    let media = format!("/media/{hash}");
    let thumb = format!("/media/{hash}/thumb");
    let b2_page = format!("/posts/{b2}");
    // (viewer, read path, what it shows before the block and hides after)
    let rows: Vec<(&str, &Client, &str, Expect)> = vec![
        ("alice", &alice, b1_page.as_str(), Expect::Found),
        ("alice", &alice, b2_page.as_str(), Expect::Found),
        ("alice", &alice, "/", Expect::Text("鲍勃的公开帖")),
        ("alice", &alice, "/public", Expect::Text("鲍勃的公开帖")),
        ("alice", &alice, "/tags/blocktest", Expect::Text("鲍勃的公开帖")),
        ("alice", &alice, "/@bob", Expect::Text("鲍勃的公开帖")),
        ("alice", &alice, "/@carol", Expect::Text("鲍勃的公开帖")), // the repost chain
        ("alice", &alice, a1_page.as_str(), Expect::Text("鲍勃的评论")), // comments under her post
        ("alice", &alice, "/notifications", Expect::Text("href=\"/@bob\"")),
        ("alice", &alice, media.as_str(), Expect::Found),
        ("alice", &alice, thumb.as_str(), Expect::Found),
        ("bob", &bob, a1_page.as_str(), Expect::Found),
        ("bob", &bob, "/", Expect::Text("爱丽丝的帖子")),
        ("bob", &bob, "/public", Expect::Text("爱丽丝的帖子")),
        ("bob", &bob, "/tags/blocktest", Expect::Text("爱丽丝的帖子")),
        ("bob", &bob, "/@alice", Expect::Text("爱丽丝的帖子")),
    ];
    let check = |blocked: bool| {
        for (who, c, path, expect) in &rows {
            if path.starts_with("/media/") {
                // A file, not a page.
                assert_eq!(
                    c.get_raw(path, &[]).status,
                    if blocked { 404 } else { 200 },
                    "{who} {path} blocked={blocked}"
                );
                continue;
            }
            let p = c.get(path);
            match expect {
                Expect::Found => {
                    assert_eq!(p.status, if blocked { 404 } else { 200 }, "{who} {path} blocked={blocked}")
                }
                Expect::Text(marker) => {
                    assert_eq!(p.status, 200, "{who} {path}");
                    assert_eq!(p.has(marker), !blocked, "{who} {path} {marker} blocked={blocked}");
                }
            }
        }
    };
    check(false);
    let before = count(&s, "SELECT count(*) FROM activity_log");
    assert_eq!(alice.post("/@bob/block", &[]).status, 303);
    check(true);
    // A missing post answers the same 404.
    assert_eq!(alice.get("/posts/999999").status, 404);
    // Carol, outside the block, still sees everything.
    assert!(carol.get("/@carol").has("鲍勃的公开帖"));
    assert!(carol.get(&a1_page).has("鲍勃的评论"));
    assert_eq!(carol.get_raw(&media, &[]).status, 200);

    // Follows between them ended; neither can follow, comment, like, repost.
    let (a, b) = (id_of(&s, "alice"), id_of(&s, "bob"));
    let follows = format!(
        "SELECT count(*) FROM follows WHERE (follower_id = {a} AND followee_id = {b}) OR (follower_id = {b} AND followee_id = {a})"
    );
    assert_eq!(count(&s, &follows), 0);
    assert_eq!(alice.post("/@bob/follow", &[]).status, 422);
    assert_eq!(bob.post("/@alice/follow", &[]).status, 422);
    assert_eq!(count(&s, &follows), 0);
    assert_eq!(bob.post(&format!("/posts/{a1}/comments"), &[("body", "还想评论")]).status, 404);
    assert_eq!(bob.post(&format!("/posts/{a1}/like"), &[]).status, 404);
    assert_eq!(bob.post(&format!("/posts/{a1}/repost"), &[]).status, 404);
    assert_eq!(alice.post(&format!("/posts/{b1}/repost"), &[]).status, 404);
    // A repost of bob's post by someone else cannot carry alice to it either.
    let carol_repost: i64 = db(&s)
        .query_row("SELECT id FROM posts WHERE repost_root = ?1 AND author_id = ?2", [b1, id_of(&s, "carol")], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(alice.post(&format!("/posts/{carol_repost}/repost"), &[]).status, 404);
    // Mentions and every other notice from bob stop.
    bob.post_status("@alice 你还好吗", "public");
    let from_bob =
        format!("SELECT count(*) FROM notifications WHERE user_id = {a} AND actor_id = {b} AND kind = 'mention'");
    assert_eq!(count(&s, &from_bob), 0);
    assert!(!alice.get("/notifications").has("你还好吗"));
    // The log has the block, with nothing more than the block written.
    assert_eq!(
        count(&s, &format!("SELECT count(*) FROM activity_log WHERE action = 'user.block' AND target = 'user:{b}'")),
        1
    );
    assert!(count(&s, "SELECT count(*) FROM activity_log") > before);
    // The settings page lists it with its undo; the profile says so.
    assert!(alice.get("/settings/blocks").has("/@bob/unblock"));
    assert!(alice.get("/@bob").has("你已屏蔽此用户"));
    assert!(bob.get("/@alice").has("你无法查看此用户的微博"));
    // Unblocking restores what was hidden (the follows stay ended).
    assert_eq!(alice.post("/@bob/unblock", &[]).status, 303);
    assert_eq!(alice.get(&b1_page).status, 200);
    assert!(alice.get(&a1_page).has("鲍勃的评论"));
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'user.unblock'"), 1);
}

#[test]
fn blocking_yourself_or_a_missing_account_is_refused_and_changes_nothing() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let p = alice.post("/@alice/block", &[]);
    assert_eq!(p.status, 422);
    assert!(p.has("不能屏蔽或静音自己"), "{}", p.body);
    assert_eq!(alice.post("/@alice/mute", &[]).status, 422);
    assert_eq!(alice.post("/@nobody_here/block", &[]).status, 404);
    assert_eq!(alice.post("/@nobody_here/mute", &[]).status, 404);
    assert_eq!(count(&s, "SELECT count(*) FROM blocks") + count(&s, "SELECT count(*) FROM mutes"), 0);
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action LIKE 'user.%block' OR action LIKE 'user.%mute'"),
        0
    );
    // Signed out: no block at all.
    let anon = s.client().post("/@alice/block", &[]);
    assert!((400..500).contains(&anon.status), "{}", anon.status);
    assert_eq!(count(&s, "SELECT count(*) FROM blocks"), 0);
}

#[test]
fn a_mute_and_muted_words_empty_only_the_muters_timelines() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let carol = s.client();
    carol.signup("carol");
    let dave = s.client();
    dave.signup("dave");
    alice.post("/@carol/follow", &[]);
    alice.post("/@dave/follow", &[]);
    let c1 = carol.post_status("卡萝尔的日常 #mutetest", "public");
    let d1 = dave.post_status("昨晚的剧 透：结局很意外 #mutetest", "public");
    dave.post_status("戴夫的普通帖 #mutetest", "public");
    for path in ["/", "/public", "/tags/mutetest"] {
        let p = alice.get(path);
        assert!(p.has("卡萝尔的日常") && p.has("结局很意外"), "{path}");
    }
    assert_eq!(alice.post("/@carol/mute", &[]).status, 303);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'user.mute'"), 1);
    // Muted words: refused when empty or a duplicate after normalisation.
    assert_eq!(alice.post("/settings/blocks/words", &[("word", "   ")]).status, 422);
    assert_eq!(alice.post("/settings/blocks/words", &[("word", "剧透")]).status, 303);
    let dup = alice.post("/settings/blocks/words", &[("word", "剧 透")]);
    assert_eq!(dup.status, 422);
    assert!(dup.has("这个屏蔽词已经添加过了"));
    assert_eq!(count(&s, "SELECT count(*) FROM muted_words"), 1);
    for path in ["/", "/public", "/tags/mutetest"] {
        let p = alice.get(path);
        assert!(!p.has("卡萝尔的日常"), "muted account on {path}");
        assert!(!p.has("结局很意外"), "muted word on {path}");
        assert!(p.has("戴夫的普通帖"), "{path}");
        // Nobody else is affected.
        assert!(dave.get(path).has("卡萝尔的日常") || path == "/", "{path}");
    }
    // A mute is not a block: the profile and the post page still show them.
    assert!(alice.get("/@carol").has("卡萝尔的日常"));
    assert_eq!(alice.get(&format!("/posts/{c1}")).status, 200);
    assert_eq!(alice.get(&format!("/posts/{d1}")).status, 200);
    // Notifications carrying a muted word are not shown.
    dave.post_status("@alice 剧透警告", "public");
    // Beyond the excerpt too: the word at the end of a long post.
    dave.post_status(&format!("@alice 长帖开头{}剧透", "很长的内容".repeat(30)), "public");
    dave.post_status("@alice 没有那个词的提及", "public");
    let n = alice.get("/notifications");
    assert!(!n.has("剧透警告") && !n.has("长帖开头"), "{}", n.body);
    assert!(n.has("没有那个词的提及"));
    // The settings page lists both with their undo; undo restores.
    let page = alice.get("/settings/blocks");
    assert!(page.has("/@carol/unmute") && page.has("剧透"), "{}", page.body);
    let word: i64 = db(&s).query_row("SELECT id FROM muted_words", [], |r| r.get(0)).unwrap();
    assert_eq!(alice.post(&format!("/settings/blocks/words/{word}/delete"), &[]).status, 303);
    assert_eq!(alice.post("/settings/blocks/words/999/delete", &[]).status, 404);
    assert_eq!(alice.post("/@carol/unmute", &[]).status, 303);
    let p = alice.get("/public");
    assert!(p.has("卡萝尔的日常") && p.has("结局很意外"));
    assert!(alice.get("/public?lang=en").has("Mute") || alice.get("/@carol?lang=en").has("Mute"));
}
