//! The notifications page (issue 18): likes of one post, reposts of one
//! post and follows grouped into one line ("王芳等 3 人赞了你的微博"), the
//! filter tabs, and excerpts cut at a grapheme boundary with an ellipsis.

use crate::common::with_admin;

#[test]
fn notifications_are_grouped_filtered_by_tab_and_excerpted_by_grapheme() {
    let (s, admin) = with_admin();
    let alice = s.client();
    alice.signup("alice");
    // A system notice: staff adjust her credit.
    assert_eq!(admin.post("/admin/credit/alice/adjust", &[("delta", "5"), ("reason", "热心助人")]).status, 303);
    let a1 = alice.post_status("爱丽丝的第一条", "public");
    let names = [("wangfang", "王芳"), ("lilei", "李雷"), ("hanmei", "韩梅")];
    let mut fans = Vec::new();
    for (name, shown) in names {
        let c = s.client();
        c.signup(name);
        assert_eq!(c.post("/settings/profile", &[("display_name", shown), ("bio", "")]).status, 303);
        fans.push(c);
    }
    // 韩梅 likes first and 王芳 last, so his name heads the group.
    for c in fans.iter().rev() {
        assert_eq!(c.post(&format!("/posts/{a1}/like"), &[]).status, 303);
    }
    assert_eq!(fans[0].post(&format!("/posts/{a1}/repost"), &[("body", "转一个")]).status, 303);
    assert_eq!(fans[1].post(&format!("/posts/{a1}/repost"), &[("body", "我也转")]).status, 303);
    assert_eq!(fans[2].post(&format!("/posts/{a1}/comments"), &[("body", "沙发")]).status, 303);
    // A mention whose text is long in code points but short in graphemes:
    // family emoji of 7 code points each, cut by the database inside one.
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    fans[1].post_status(&format!("@alice {}", family.repeat(40)), "public");

    let all = alice.get("/notifications");
    assert_eq!(all.status, 200);
    assert!(all.has("王芳</a>等 3 人</span> 赞了你的微博"), "{}", all.body);
    assert_eq!(all.body.matches("赞了你的微博").count(), 1, "one line for three likes");
    assert!(all.has("李雷</a>等 2 人</span> 转发了你的微博"), "{}", all.body);
    assert!(all.has(&format!("href=\"/posts/{a1}/likes\"")) && all.has(&format!("href=\"/posts/{a1}/reposts\"")));
    assert!(all.has("评论了你的微博") && all.has("提到了你"));
    // The excerpt: whole graphemes only, then an ellipsis.
    let shown = format!("“@alice {}…”", family.repeat(33));
    assert!(all.has(&shown), "{}", all.body);
    assert!(!all.has(&family.repeat(34)));
    let en = alice.get("/notifications?lang=en");
    alice.get("/notifications?lang=zh");
    assert!(en.has("王芳</a> and 2 others</span> liked your post"), "{}", en.body);

    // Tabs: each shows its kinds only, and says which one is open.
    let tab = |t: &str| alice.get(&format!("/notifications?tab={t}"));
    let m = tab("mentions");
    assert!(m.has("提到了你") && !m.has("赞了你的微博") && !m.has("评论了你的微博"), "{}", m.body);
    assert!(m.has("aria-current=\"page\">@我的"), "{}", m.body);
    let c = tab("comments");
    assert!(c.has("评论了你的微博") && !c.has("提到了你") && !c.has("转发了你的微博"));
    let l = tab("likes");
    assert!(l.has("赞了你的微博") && l.has("转发了你的微博") && !l.has("提到了你") && !l.has("评论了你的微博"));
    let sys = tab("system");
    assert!(sys.has("热心助人") && !sys.has("赞了你的微博") && !sys.has("提到了你"), "{}", sys.body);
    assert!(!l.has("热心助人"));
    // Times are relative, the full time on hover (issue 18).
    assert!(sys.has("刚刚") && sys.has("<time datetime=\"") && sys.has(" title=\""), "{}", sys.body);
    // An unknown tab is refused in words.
    let bad = tab("everything");
    assert_eq!(bad.status, 400);
    assert!(bad.has("没有这个通知分类"), "{}", bad.body);
}
