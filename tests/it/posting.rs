//! Posts, comments, reposts, likes, tags, mentions, escaping, control
//! characters dropped (R2.2, R2.3).

use crate::common::{id_from, Server};

#[test]
fn chinese_post_with_emoji_hashtags_and_mentions() {
    let s = Server::start();
    let a = s.client();
    a.signup("alice");
    let b = s.client();
    b.signup("bob");
    let body = "今天天气真好☀️👍🏽 #春节快乐# 和 #Rust, 你好 @bob 见 https://example.com/a?b=1";
    let id = a.post_status(body, "public");
    let page = s.client().get(&format!("/posts/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.has("今天天气真好☀️👍🏽"));
    assert!(
        page.has(r#"<a class="tag" href="/tags/%E6%98%A5%E8%8A%82%E5%BF%AB%E4%B9%90">#春节快乐#</a>"#),
        "{}",
        page.body
    );
    assert!(page.has(r#"<a class="tag" href="/tags/rust">#Rust</a>"#));
    assert!(page.has(r#"<a class="mention" href="/@bob">@bob</a>"#));
    assert!(page.has(r#"href="https://example.com/a?b=1" rel="nofollow noopener ugc""#));
    // Tag pages find it, case-insensitively for word tags.
    assert!(s.client().get("/tags/%E6%98%A5%E8%8A%82%E5%BF%AB%E4%B9%90").has("今天天气真好"));
    assert!(s.client().get("/tags/RUST").has("今天天气真好"));
    assert!(!s.client().get("/tags/other").has("今天天气真好"));
    // bob was mentioned.
    let n = b.get("/notifications");
    assert!(n.has("提到了你"), "{}", n.body);
}

#[test]
fn script_in_post_and_display_name_is_escaped() {
    let s = Server::start();
    let a = s.client();
    a.signup("mallory");
    a.post(
        "/settings/profile",
        &[("display_name", "<script>alert('n')</script>"), ("bio", "<img src=x onerror=alert(1)>")],
    );
    let id = a.post_status("<script>alert('p')</script> <b>bold</b> \"q\" & more", "public");
    for path in [format!("/posts/{id}"), "/public".into(), "/@mallory".into(), "/".into()] {
        let p = s.client().get(&path);
        assert!(!p.has("<script>alert"), "{path}: {}", p.body);
        assert!(!p.has("<img src=x"), "{path}");
        assert!(!p.has("<b>bold"), "{path}");
    }
    let p = s.client().get(&format!("/posts/{id}"));
    assert!(p.has("&lt;script&gt;alert('p')&lt;/script&gt;"));
    assert!(p.has("&lt;script&gt;alert('n')&lt;/script&gt;"));
    // Pages forbid inline scripts anyway.
    assert!(p.header("content-security-policy").unwrap().contains("script-src 'self'"));
}

#[test]
fn length_is_counted_in_graphemes_and_refusals_keep_the_text() {
    let s = Server::start_with(&["--post-max-chars", "10"], &[]);
    let a = s.client();
    a.signup("counter");
    // Ten family emoji are 10 graphemes but many more code points and bytes.
    let ok = "👨‍👩‍👧‍👦".repeat(10);
    a.post_status(&ok, "public");
    let long = "字".repeat(11);
    let p = a.post("/posts", &[("body", &long), ("visibility", "followers")]);
    assert_eq!(p.status, 422);
    assert!(p.has("11") && p.has("10"), "{}", p.body);
    assert!(p.has(&long), "typed text kept");
    assert!(p.has(r#"<option value="followers" selected>"#), "visibility kept");
    let empty = a.post("/posts", &[("body", "   \n "), ("visibility", "public")]);
    assert_eq!(empty.status, 422);
    assert!(empty.has("内容不能为空"));
    let bad_vis = a.post("/posts", &[("body", "x"), ("visibility", "everyone")]);
    assert_eq!(bad_vis.status, 422);
    assert_eq!(s.client().get("/@counter").body.matches("class=\"post\"").count(), 1, "only the valid post exists");
}

#[test]
fn comments_replies_and_their_notifications() {
    let s = Server::start();
    let a = s.client();
    a.signup("author");
    let b = s.client();
    b.signup("commenter");
    let c = s.client();
    c.signup("replier");
    let id = a.post_status("讨论帖", "public");
    let first = b.post(&format!("/posts/{id}/comments"), &[("body", "第一条评论 😀")]);
    assert_eq!(first.status, 303);
    let cid: i64 = first.location.unwrap().rsplit("comment-").next().unwrap().parse().unwrap();
    let reply = c.post(&format!("/posts/{id}/comments"), &[("body", "回复你"), ("reply_to", &cid.to_string())]);
    assert_eq!(reply.status, 303);
    let page = s.client().get(&format!("/posts/{id}"));
    let (i1, i2) = (page.body.find("第一条评论").unwrap(), page.body.find("回复你").unwrap());
    assert!(i1 < i2, "oldest first");
    assert!(page.has("回复 @commenter"));
    assert!(page.has("评论 2"));
    assert!(a.get("/notifications").has("评论了你的微博"));
    assert!(b.get("/notifications").has("回复了你的评论"));
    // A reply to a comment of another post is refused.
    let other = a.post_status("另一条", "public");
    let bad = c.post(&format!("/posts/{other}/comments"), &[("body", "x"), ("reply_to", &cid.to_string())]);
    assert_eq!(bad.status, 422);
    // Too long a comment is refused with the text kept.
    let long = "评".repeat(501);
    let p = b.post(&format!("/posts/{id}/comments"), &[("body", &long)]);
    assert_eq!(p.status, 422);
    assert!(p.has(&long));
    // Only the author deletes a comment.
    assert_eq!(c.post(&format!("/comments/{cid}/delete"), &[]).status, 403);
    assert_eq!(b.post(&format!("/comments/{cid}/delete"), &[]).status, 303);
    let page = s.client().get(&format!("/posts/{id}"));
    assert!(!page.has("第一条评论") && page.has("评论 1"));
}

#[test]
fn reposts_show_the_original_and_removal_everywhere() {
    let s = Server::start();
    let a = s.client();
    a.signup("origin");
    let b = s.client();
    b.signup("sharer");
    let c = s.client();
    c.signup("sharer2");
    let id = a.post_status("原创内容 #话题#", "public");
    let r1 = b.post(&format!("/posts/{id}/repost"), &[("body", "转发理由")]);
    assert_eq!(r1.status, 303);
    let r1 = id_from(&r1.location.unwrap());
    // A repost of a repost still shows the original.
    let r2 = id_from(&c.post(&format!("/posts/{r1}/repost"), &[("body", "")]).location.unwrap());
    for r in [r1, r2] {
        let p = s.client().get(&format!("/posts/{r}"));
        assert!(p.has("原创内容"), "{}", p.body);
        assert!(p.has("class=\"original\""));
    }
    assert!(s.client().get(&format!("/posts/{id}")).has("转发 2"));
    assert!(a.get("/notifications").has("转发了你的微博"));
    // Only public posts can be reposted.
    let private = a.post_status("仅粉丝", "followers");
    b.post("/@origin/follow", &[]);
    assert_eq!(b.post(&format!("/posts/{private}/repost"), &[]).status, 422);
    // The author deletes the original: every repost shows it as removed.
    assert_eq!(b.post(&format!("/posts/{id}/delete"), &[]).status, 403, "not the author");
    assert_eq!(a.post(&format!("/posts/{id}/delete"), &[]).status, 303);
    assert_eq!(s.client().get(&format!("/posts/{id}")).status, 410);
    for r in [r1, r2] {
        let p = s.client().get(&format!("/posts/{r}"));
        assert!(!p.has("原创内容"));
        assert!(p.has("原微博已删除"));
    }
    assert!(!s.client().get("/public").has("原创内容"));
    assert!(!s.client().get("/tags/%E8%AF%9D%E9%A2%98").has("原创内容"));
    assert!(!s.client().get("/@origin").has("原创内容"));
}

#[test]
fn likes_toggle_and_count() {
    let s = Server::start();
    let a = s.client();
    a.signup("liked");
    let b = s.client();
    b.signup("liker");
    let id = a.post_status("点赞我", "public");
    let p = b.post(&format!("/posts/{id}/like"), &[("next", "/public")]);
    assert_eq!(p.location.as_deref(), Some("/public"));
    b.post(&format!("/posts/{id}/like"), &[]);
    assert!(s.client().get(&format!("/posts/{id}")).has("赞 1"), "liking twice counts once");
    assert!(b.get(&format!("/posts/{id}")).has("取消赞 1"));
    assert!(a.get("/notifications").has("赞了你的微博"));
    b.post(&format!("/posts/{id}/unlike"), &[]);
    assert!(s.client().get(&format!("/posts/{id}")).has("赞 0"));
    // Signed out, liking asks to log in and changes nothing.
    let anon = s.client();
    assert_eq!(anon.post(&format!("/posts/{id}/like"), &[]).status, 401);
}

#[test]
fn notifications_unread_count_in_header() {
    let s = Server::start();
    let a = s.client();
    a.signup("popular");
    let b = s.client();
    b.signup("fan");
    b.post("/@popular/follow", &[]);
    let home = a.get("/");
    assert!(home.has("class=\"badge\""), "{}", home.body);
    let n = a.get("/notifications");
    assert!(n.has("关注了你") && n.has("class=\"unread\""));
    assert!(!a.get("/").has("class=\"badge\""), "read after viewing");
}

#[test]
fn control_characters_are_dropped_and_invisible_posts_refused() {
    let s = Server::start();
    let c = s.client();
    c.signup("controls");
    let id = c.post_status("a\u{0}b\u{202E}c", "public");
    let p = c.get(&format!("/posts/{id}"));
    assert!(p.has("abc") && !p.body.contains('\u{0}') && !p.body.contains('\u{202E}'));
    let p = c.post("/posts", &[("body", "\u{200B}\u{202E}\u{FEFF}"), ("visibility", "public")]);
    assert_eq!(p.status, 422);
}
