//! Search (issue 17, R12.2): Chinese, English and mixed posts found by 1-,
//! 2- and longer queries, full-width and case variants; visibility for
//! every viewer; removal, deletion, restore and holds keeping results in
//! step; the accounts and topics tabs; the people directory; search terms
//! logged only when the operator says so and never printed.

use crate::common::gov::*;
use crate::common::{with_admin, Client, Server};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

fn url(q: &str, extra: &str) -> String {
    format!("/search?q={}{extra}", utf8_percent_encode(q, NON_ALPHANUMERIC))
}

/// The ids of the posts a search shows `c`, in page order.
fn found(c: &Client, q: &str) -> Vec<i64> {
    let p = c.get(&url(q, ""));
    assert_eq!(p.status, 200, "{q}: {}", p.body);
    ids(&p.body)
}

fn ids(body: &str) -> Vec<i64> {
    body.match_indices("<article class=\"post\" id=\"post-")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn chinese_english_and_mixed_queries_of_every_length() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let weather = alice.post_status("今天天气很好，适合出门", "public");
    let jobs = alice.post_status("公司招聘 Rust 工程师，2026年入职", "public");
    let hello = alice.post_status("Hello World from ＰＬＡＺＡ", "public");
    let sunny = alice.post_status("晴天", "public");
    let anon = s.client();

    // One character: a CJK unigram anywhere in a run, also at its end.
    assert_eq!(found(&anon, "天"), [sunny, weather]);
    assert_eq!(found(&anon, "晴"), [sunny]);
    // Two characters: exactly the posts containing them.
    assert_eq!(found(&anon, "天气"), [weather]);
    assert_eq!(found(&anon, "招聘"), [jobs]);
    assert_eq!(found(&anon, "气很"), [weather]);
    assert!(found(&anon, "天很").is_empty(), "not adjacent");
    // Three and more: the phrase of bigrams, not any order.
    assert_eq!(found(&anon, "天气很好"), [weather]);
    assert!(found(&anon, "好天气").is_empty());
    // English: words by prefix, any case, full-width in the text or the query.
    for q in ["rust", "RUST", "Ｒｕｓｔ", "ru"] {
        assert_eq!(found(&anon, q), [jobs], "{q}");
    }
    for q in ["plaza", "PLAZA", "ＰＬＡ"] {
        assert_eq!(found(&anon, q), [hello], "{q}");
    }
    assert_eq!(found(&anon, "2026"), [jobs]);
    assert_eq!(found(&anon, "２０２６年"), [jobs], "full-width digits and a Chinese suffix");
    // Mixed: every part must be there.
    assert_eq!(found(&anon, "招聘 rust"), [jobs]);
    assert_eq!(found(&anon, "招聘Rust工程师"), [jobs]);
    assert!(found(&anon, "招聘 hello").is_empty());

    // Matches are marked, the query is escaped.
    let p = anon.get(&url("天气", "&lang=en"));
    assert!(p.has("今天<mark>天气</mark>很好"), "{}", p.body);
    let p = anon.get(&url("Ｒｕｓｔ", ""));
    assert!(p.has("公司招聘 <mark>Rust</mark> 工程师"), "{}", p.body);
    let p = anon.get(&url("<rust>", ""));
    assert_eq!(p.status, 200);
    assert!(!p.has("<rust>") && p.has("&lt;rust&gt;"), "{}", p.body);
    assert_eq!(ids(&p.body), [jobs]);

    // Empty, punctuation-only and too long queries: a message, 4xx or the bare form.
    let p = anon.get("/search?q=");
    assert_eq!(p.status, 200);
    assert!(p.has("name=\"q\"") && ids(&p.body).is_empty());
    let p = anon.get(&url("，。！", "&lang=en"));
    assert_eq!(p.status, 400);
    assert!(p.has("Type the words, letters or numbers to search for."), "{}", p.body);
    let p = anon.get(&url(&"天".repeat(101), "&lang=zh"));
    assert_eq!(p.status, 400);
    assert!(p.has("搜索内容太长：最多 100 个字。"), "{}", p.body);
    assert_eq!(anon.get(&url("天气", "&max_id=abc")).status, 400, "a bad id is refused");
}

#[test]
fn results_are_paged_newest_first_with_newer_and_older() {
    let s = Server::start();
    let a = s.client();
    a.signup("pager");
    let posts: Vec<i64> = (0..45).map(|i| a.post_status(&format!("通知 第{i}条"), "public")).collect();
    let anon = s.client();
    let first = anon.get(&url("通知", "&lang=en"));
    let want: Vec<i64> = posts.iter().rev().copied().collect();
    assert_eq!(ids(&first.body), want[..20]);
    assert!(!first.has("Newer results"), "the first page has nothing newer");
    let older = format!("max_id={}", want[19]);
    assert!(first.has(&older), "{}", first.body);
    let second = anon.get(&url("通知", &format!("&type=posts&{older}")));
    assert_eq!(ids(&second.body), want[20..40]);
    let third = anon.get(&url("通知", &format!("&max_id={}", want[39])));
    assert_eq!(ids(&third.body), want[40..]);
    assert!(!third.has("更早的结果"), "the last page has nothing older");
    let back = anon.get(&url("通知", &format!("&min_id={}", want[20])));
    assert_eq!(ids(&back.body), want[..20], "newer goes back to the page above");
}

/// Every visibility x viewer combination, exactly as timelines (R2.1).
#[test]
fn visibility_for_author_follower_stranger_and_signed_out() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let carol = member(&s, "carol");
    assert_eq!(bob.post("/@alice/follow", &[]).status, 303);
    let public = alice.post_status("暗号 公开", "public");
    let followers = alice.post_status("暗号 粉丝", "followers");
    let own = alice.post_status("暗号 自己", "self");
    let anon = s.client();
    assert_eq!(found(&alice, "暗号"), [own, followers, public]);
    assert_eq!(found(&bob, "暗号"), [followers, public]);
    assert_eq!(found(&carol, "暗号"), [public]);
    assert_eq!(found(&anon, "暗号"), [public]);
    assert_eq!(found(&anon, "暗"), [public], "one character too");
    assert!(found(&carol, "粉丝").is_empty() && found(&carol, "自己").is_empty());
    // Unfollowing takes the followers-only post away at once.
    assert_eq!(bob.post("/@alice/unfollow", &[]).status, 303);
    assert_eq!(found(&bob, "暗号"), [public]);
}

/// R12.2: removal, restore, the author's delete and holds change results in
/// the same transaction as the post.
#[test]
fn removal_restore_deletion_and_holds_keep_results_in_step() {
    let (s, admin) = with_admin();
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let anon = s.client();
    let post = alice.post_status("消防演习通知 fire drill", "public");
    assert_eq!(found(&anon, "演习"), [post]);

    let p = reviewer.post(&format!("/admin/posts/{post}/remove"), &[("reason", "测试"), ("category", "other")]);
    assert_eq!(p.status, 303, "{}", p.body);
    for (who, q) in [(&anon, "演习"), (&alice, "演习"), (&bob, "fire"), (&alice, "消")] {
        assert!(found(who, q).is_empty(), "removed, {q}");
    }
    assert_eq!(chief.post(&format!("/admin/posts/{post}/restore"), &[("reason", "误删")]).status, 303);
    assert_eq!(found(&anon, "演习"), [post], "restored");

    assert_eq!(alice.post(&format!("/posts/{post}/delete"), &[]).status, 303);
    assert!(found(&alice, "演习").is_empty(), "deleted, not even for its author");
    assert!(found(&anon, "drill").is_empty());

    // Held by a keyword rule (R6.2): only its author finds it, until approved.
    add_rule(&admin, "内部消息", "rumour", "review");
    let held = alice.post_status("内部消息：明天雨天", "public");
    assert_eq!(status(&s, held), "pending");
    assert_eq!(found(&alice, "雨天"), [held]);
    assert!(found(&bob, "雨天").is_empty() && found(&anon, "雨").is_empty());
    let item = *open_items(&s, "hold").last().unwrap();
    let p = reviewer.post("/admin/review", &[("item", &item.to_string()), ("decision", "approve")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(found(&bob, "雨天"), [held], "approved");
    // A rejected one is gone for everyone.
    let rejected = alice.post_status("内部消息 第二条 晴朗", "public");
    let item = *open_items(&s, "hold").last().unwrap();
    let p = reviewer.post("/admin/review", &[("item", &item.to_string()), ("decision", "reject"), ("reason", "不实")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(status(&s, rejected), "rejected");
    assert!(found(&alice, "晴朗").is_empty() && found(&bob, "晴朗").is_empty());
}

#[test]
fn accounts_and_topics_tabs() {
    let s = Server::start();
    let zhang = member(&s, "zhangsan");
    assert_eq!(zhang.post("/settings/profile", &[("display_name", "张三丰"), ("bio", "太极")]).status, 303);
    let lisi = member(&s, "lisi");
    assert_eq!(lisi.post("/@zhangsan/follow", &[]).status, 303);
    zhang.post_status("#天气预报# 明天有雨", "public");
    zhang.post_status("#天气预报# 后天晴", "public");
    zhang.post_status("#天气# 一般", "public");
    zhang.post_status("#天气# 私下说", "self");
    zhang.post_status("#Rust# 入门", "public");
    let anon = s.client();

    let p = anon.get(&url("张三", "&type=accounts&lang=en"));
    assert_eq!(p.status, 200);
    assert!(p.has("<mark>张三</mark>丰") && p.has("href=\"/@zhangsan\""), "{}", p.body);
    assert!(p.has("1 followers") && !p.has("/@lisi\""), "{}", p.body);
    for q in ["ZHANG", "@zhangsan", "ｚｈａｎｇ"] {
        assert!(anon.get(&url(q, "&type=accounts")).has("href=\"/@zhangsan\""), "{q}");
    }
    assert!(anon.get(&url("nobody", "&type=accounts&lang=en")).has("No people found."));

    let p = anon.get(&url("天气", "&type=tags&lang=en"));
    assert_eq!(p.status, 200);
    let (a, b) = (p.body.find("#天气预报").unwrap(), p.body.find("#天气<").unwrap());
    assert!(a < b, "most used first: {}", p.body);
    assert!(p.has("2 public posts") && p.has("1 public posts"), "a self post is not counted: {}", p.body);
    assert!(anon.get(&url("#RU", "&type=tags")).has("#rust"), "by prefix, any case");
    assert!(anon.get(&url("雪", "&type=tags&lang=en")).has("No topics start with this."));
    // The tabs keep the query.
    assert!(p.has(&url("天气", "&type=posts").replace('&', "&amp;")), "{}", p.body);
}

#[test]
fn people_directory_and_who_to_follow() {
    let s = Server::start();
    let a = member(&s, "amy");
    let b = member(&s, "ben");
    let c = member(&s, "cat");
    let d = member(&s, "dan");
    // ben and cat follow dan; amy follows ben.
    assert_eq!(b.post("/@dan/follow", &[]).status, 303);
    assert_eq!(c.post("/@dan/follow", &[]).status, 303);
    assert_eq!(a.post("/@ben/follow", &[]).status, 303);
    let p = s.client().get("/people?lang=en");
    assert_eq!(p.status, 200);
    assert!(p.has("Newest members") && p.has("Most followed"), "{}", p.body);
    let newest = p.body.find("Newest members").unwrap();
    let most = p.body.find("Most followed").unwrap();
    assert!(p.body[newest..most].find("/@dan\"").unwrap() < p.body[newest..most].find("/@amy\"").unwrap());
    assert!(p.body[most..].contains("/@dan\"") && p.body[most..].contains("2 followers"), "{}", p.body);

    // amy follows ben, ben follows dan: dan is suggested to amy.
    let p = a.get("/people?lang=zh");
    assert!(p.has("你可能想关注") && p.has("你关注的人中有 1 位关注了 TA"), "{}", p.body);
    assert!(p.has("与你同类的账号（个人）"), "{}", p.body);
    // amy's home timeline is empty (ben has not posted): it suggests dan.
    let home = a.get("/");
    let box_at = home.body.find("who-to-follow").expect("who to follow on an empty home");
    assert!(home.body[box_at..].contains("/@dan\""), "{}", home.body);
    b.post_status("第一条", "public");
    assert!(!a.get("/").has("who-to-follow"), "not once the timeline has posts");
    let _ = d;
}

#[test]
fn search_terms_are_logged_only_when_switched_on_and_never_printed() {
    let s = Server::start();
    let a = member(&s, "alice");
    let id = a.post_status("秘密计划", "public");
    assert_eq!(found(&a, "秘密计划"), [id]);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'search'"), 0, "off by default");
    assert!(!s.stderr().contains("秘密计划"));

    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("plaza.toml"), "log_searches = true\n").unwrap();
    let s = Server::start_in(data, &[], &[]);
    let a = member(&s, "alice");
    assert!(found(&a, "机密词").is_empty());
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'search' AND target = '机密词'"), 1);
    assert!(!s.stderr().contains("机密词"), "{}", s.stderr());
}

/// `plaza seed` fills the index too.
#[test]
fn seeded_posts_are_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(["seed", "--data", dir.path().to_str().unwrap(), "--users", "20", "--follows", "3", "--posts", "300"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let conn = rusqlite::Connection::open(dir.path().join("plaza.db")).unwrap();
    let posts: i64 = conn.query_row("SELECT count(*) FROM posts WHERE body != ''", [], |r| r.get(0)).unwrap();
    let indexed: i64 = conn.query_row("SELECT count(*) FROM post_search_docsize", [], |r| r.get(0)).unwrap();
    assert_eq!(indexed, posts);
}

/// `plaza search rebuild` writes the index again (logged), and what it
/// writes answers the same queries.
#[test]
fn rebuild_command_restores_the_index() {
    let s = Server::start();
    let a = member(&s, "alice");
    let id = a.post_status("图书馆 library 开放", "public");
    db(&s).execute("DELETE FROM post_search", []).unwrap();
    assert!(found(&a, "图书").is_empty(), "the index was emptied");
    let (ok, out, err) = s.command(&["search", "rebuild", "--quiet"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("indexed 1 posts"), "{out}");
    assert_eq!(found(&a, "图书"), [id]);
    assert_eq!(found(&a, "LIB"), [id]);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'search.rebuild'"), 1);
}

/// R13.1: `/trending` exists only with the `trending` feature on (which needs
/// an assessment); tags rank by distinct authors over 24 hours; removed,
/// held and keyword-matching tags never trend; staff hide a tag with a
/// reason, logged.
#[test]
fn trending_gate_ranking_exclusions_and_hiding() {
    let (s, admin) = with_admin();
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let anon = s.client();
    assert_eq!(anon.get("/trending").status, 404, "off by default");
    assert!(!anon.get("/public").has("/trending"), "no link or box while off");
    let (ok, _, err) = s.command(&["feature", "on", "trending"]);
    assert!(!ok && err.contains("no security assessment"), "{err}");
    let (ok, out, err) = s.command(&[
        "feature",
        "on",
        "trending",
        "--assessed-on",
        "2026-01-01",
        "--reference",
        "京网信评〔2026〕018号",
    ]);
    assert!(ok, "{out}{err}");

    let people: Vec<Client> = ["ann", "ben", "cal"].iter().map(|n| member(&s, n)).collect();
    for c in &people {
        c.post_status("#春节# 回家", "public");
    }
    let loud = member(&s, "loud");
    for i in 0..6 {
        loud.post_status(&format!("#刷屏# 第{i}条"), "public");
    }
    people[0].post_status("#年夜饭# 好吃", "public");
    people[1].post_status("#年夜饭# 真香", "public");
    // Private, removed, held and rule-matching tags do not count.
    people[2].post_status("#私房话# 只给自己", "self");
    let gone = people[0].post_status("#删掉的# 一", "public");
    assert_eq!(reviewer.post(&format!("/admin/posts/{gone}/remove"), &[("reason", "测试")]).status, 303);
    add_rule(&admin, "待审核词", "other", "review");
    for c in &people {
        assert_eq!(status(&s, c.post_status("#排队话题# 待审核词", "public")), "pending");
    }
    add_rule(&admin, "赌博", "gambling", "flag");
    people[0].post_status("#赌博技巧# 一", "public");
    people[1].post_status("#赌博技巧# 二", "public");

    let p = anon.get("/trending?lang=en");
    assert_eq!(p.status, 200, "{}", p.body);
    let order: Vec<usize> = ["#春节", "#年夜饭", "#刷屏"].iter().map(|t| p.body.find(t).expect(t)).collect();
    assert!(order[0] < order[1] && order[1] < order[2], "by distinct authors: {}", p.body);
    assert!(p.has("3 people posting") && p.has("1 people posting"), "{}", p.body);
    for t in ["#私房话", "#删掉的", "#排队话题", "#赌博技巧"] {
        assert!(!p.has(t), "{t} must not trend");
    }
    assert!(!p.has("/admin/trending/hide"), "no hide form for visitors");
    let public = anon.get("/public");
    assert!(public.has("<aside class=\"trend-box\"") && public.has("href=\"/trending\""), "{}", public.body);

    assert!(reviewer.get("/trending").has("/admin/trending/hide"));
    let no_reason = reviewer.post("/admin/trending/hide", &[("tag", "春节"), ("reason", " ")]);
    assert_eq!(no_reason.status, 422);
    assert_eq!(people[0].post("/admin/trending/hide", &[("tag", "春节"), ("reason", "x")]).status, 403);
    let p = reviewer.post("/admin/trending/hide", &[("tag", "#春节#"), ("reason", "与活动无关")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(!anon.get("/trending").has("#春节"));
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'trending.hide' AND outcome = '与活动无关'"),
        1
    );
    // The tag itself stays searchable and its page works.
    assert!(anon.get(&url("春", "&type=tags")).has("#春节"));

    // A day later nothing trends: the window is the last 24 hours.
    drop((admin, reviewer, people, loud, anon));
    let s = Server::start_in(s.stop(), &[], &[("PLAZA_CLOCK_OFFSET_SECONDS", "90000")]);
    let p = s.client().get("/trending?lang=en");
    assert!(p.has("No trending topics in the last 24 hours.") && !p.has("#刷屏"), "{}", p.body);
}
