//! Text the way CJK users write it, through the real server (issue 16):
//! hashtags through word-joining marks and normalised, links that end
//! before full-width punctuation (R2.2, R2.3).

use crate::common::Server;

#[test]
fn cjk_tags_are_whole_and_normalised_across_spellings() {
    let s = Server::start();
    let a = s.client();
    a.signup("mei_ling");
    let shanghai = a.post_status("#上海・外滩 今天人很多", "public");
    a.post_status("学 #ＲＵＳＴ 第一天", "public");
    a.post_status("学 #Rust 第二天", "public");
    a.post_status("学 #Rust 第三天", "public");
    a.post_status("Zahlen: #Zähler und #Zahler", "public");
    a.post_status("#Cafe\u{301} au lait", "public");

    // The whole tag links to its page, and the page finds the post.
    let page = s.client().get(&format!("/posts/{shanghai}"));
    let url = "/tags/%E4%B8%8A%E6%B5%B7%E3%83%BB%E5%A4%96%E6%BB%A9";
    assert!(page.has(&format!(r#"href="{url}">#上海・外滩</a>"#)), "{}", page.body);
    assert!(s.client().get(url).has("今天人很多"));
    // The half-width middle dot is the same tag.
    assert!(s.client().get("/tags/%E4%B8%8A%E6%B5%B7%EF%BD%A5%E5%A4%96%E6%BB%A9").has("今天人很多"));

    // Full-width, title case and lower case: one page, headed the way
    // most posts write it, with all three posts.
    for asked in ["rust", "RUST", "%EF%BC%B2%EF%BC%B5%EF%BC%B3%EF%BC%B4"] {
        let tag = s.client().get(&format!("/tags/{asked}"));
        assert_eq!(tag.status, 200);
        for day in ["第一天", "第二天", "第三天"] {
            assert!(tag.has(day), "/tags/{asked} lists {day}");
        }
        assert!(tag.has("话题 #Rust#"), "headed #Rust: {}", tag.body);
    }
    // Accents are kept: two tags; a decomposed accent is the composed one.
    let zaehler = s.client().get("/tags/z%C3%A4hler");
    assert!(zaehler.has("Zahlen"));
    assert!(s.client().get("/tags/zahler").has("Zahlen"));
    assert!(s.client().get("/tags/caf%C3%A9").has("au lait"));
    assert!(!s.client().get("/tags/cafe").has("au lait"));
}

#[test]
fn links_stop_at_full_width_punctuation() {
    let s = Server::start();
    let a = s.client();
    a.signup("zhou_yu");
    let id = a.post_status(
        "见 https://example.com/a。谢谢（https://example.org）和 https://例子.com/路径 好 https://example.net/#第二节",
        "public",
    );
    let page = s.client().get(&format!("/posts/{id}"));
    assert!(page.has(r#"href="https://example.com/a" "#), "{}", page.body);
    assert!(page.has(r#"href="https://example.org" "#));
    assert!(page.has(r#">https://例子.com/路径</a>"#));
    assert!(page.has("。谢谢（"));
    // The fragment stays in its link and makes no tag.
    assert!(page.has(r#">https://example.net/#第二节</a>"#));
    assert!(!page.has("/tags/%E7%AC%AC%E4%BA%8C%E8%8A%82"));
}

/// Issue 16: a site set to `America/New_York` shows New York's time (with
/// the offset of the day), and an unknown zone stops the start with the
/// line of the setting.
#[test]
fn times_follow_the_iana_time_zone() {
    use plaza::domain::dates::{format_time, Zone};
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("plaza.toml"), "time_zone_name = \"America/New_York\"\n").unwrap();
    let s = Server::start_in(data, &[], &[]);
    let a = s.client();
    a.signup("new_yorker");
    let before = plaza::clock::now();
    let id = a.post_status("晚上好 from Manhattan", "public");
    let after = plaza::clock::now();
    let page = s.client().get(&format!("/posts/{id}"));
    let ny = Zone::named("America/New_York").unwrap();
    let shown = [format_time(before, &ny), format_time(after, &ny)];
    assert!(shown.iter().any(|t| page.has(t)), "one of {shown:?} on the page: {}", page.body);
    let shanghai = format_time(before, &Zone::default());
    assert!(!page.has(&shanghai), "not Shanghai's {shanghai}");
    assert!(page.has("America/New_York"), "the footer names the zone");
    let data = s.stop();

    std::fs::write(data.path().join("plaza.toml"), "workers = 2\n\ntime_zone_name = \"America/NewYork\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("line 3") && err.contains("America/NewYork") && err.contains("unknown time zone"), "{err}");
}

/// The href of the pager link `rel` ("next": older, "prev": newer).
fn pager_link(body: &str, rel: &str) -> Option<String> {
    let at = body.find(&format!(r#"<a rel="{rel}" href=""#))?;
    let rest = &body[at + rel.len() + 16..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

/// Issue 16 class 7: page 2 links back to newer posts, without gaps or
/// repeats when posts arrive meanwhile; a bad `limit` is a 400, not ignored.
#[test]
fn timelines_page_towards_newer_posts_and_refuse_a_bad_limit() {
    let s = Server::start();
    let a = s.client();
    a.signup("pager_one");
    for i in 1..=25 {
        a.post_status(&format!("第{i}条"), "public");
    }
    let reader = s.client();
    let top = reader.get("/public");
    assert!(pager_link(&top.body, "prev").is_none(), "the first page has no newer link");
    let older = pager_link(&top.body, "next").expect("an older link");
    let page2 = reader.get(&older);
    assert!(page2.has("第5条") && page2.has("第1条") && !page2.has("第6条"), "{}", page2.body);
    // Two posts arrive while the reader is on page 2.
    a.post_status("第26条", "public");
    a.post_status("第27条", "public");
    let newer = pager_link(&page2.body, "prev").expect("page 2 links to newer posts");
    let back = reader.get(&newer);
    for i in 6..=25 {
        assert!(back.has(&format!(">第{i}条<")), "第{i}条 on the way back: {}", back.body);
    }
    assert!(!back.has("第5条") && !back.has("第26条"), "no repeats, and a step of one page");
    let up = pager_link(&back.body, "prev").expect("newer posts arrived: another newer link");
    let top2 = reader.get(&up);
    assert!(top2.has("第26条") && top2.has("第27条") && !top2.has("第25条"));
    assert!(pager_link(&top2.body, "prev").is_none());

    // limit: kept in the links, refused when bad.
    let small = reader.get("/public?limit=3");
    assert!(small.has("第27条") && small.has("第25条") && !small.has("第24条"));
    assert!(pager_link(&small.body, "next").unwrap().ends_with("&limit=3"));
    for bad in ["0", "41", "abc", "-1", "3.5", ""] {
        let p = reader.get(&format!("/public?limit={bad}"));
        assert_eq!(p.status, 400, "limit={bad}");
        assert!(p.has("limit"), "the refusal names limit: {}", p.body);
    }
    for q in ["min_id=abc", "since_id=-3", "max_id=1e3"] {
        assert_eq!(reader.get(&format!("/public?{q}")).status, 400, "{q}");
    }
    // The same paging on a profile and a tag page.
    let profile = reader.get("/@pager_one?limit=10&max_id=11");
    assert!(profile.has(">第10条<") && profile.has(">第1条<"));
    assert!(pager_link(&profile.body, "prev").unwrap().contains("min_id=10"));
}
