//! The member-side front end over HTTP (issue 18): the composer's `@`/`#`
//! suggestions (`GET /autocomplete`: blocks and suspensions honoured,
//! signed in only, bad input 400, a rate cap), the web app manifest and
//! its icons, the compose form returning to the timeline, the phone tab
//! bar's links, and relative times with the full time on hover.

use crate::common::gov::{member, staff};
use crate::common::{with_admin, Client, Server};
use serde_json::Value;

/// The suggestions for `q` as (status, JSON).
fn suggest(c: &Client, q: &str) -> (u16, Value) {
    let q: String = percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string();
    let p = c.get(&format!("/autocomplete?q={q}"));
    let v = serde_json::from_str(&p.body).unwrap_or(Value::Null);
    (p.status, v)
}

/// The `insert` texts of a suggestion answer.
fn inserts(v: &Value) -> Vec<String> {
    v["items"].as_array().into_iter().flatten().map(|i| i["insert"].as_str().unwrap().to_string()).collect()
}

#[test]
fn autocomplete_offers_members_the_viewer_may_mention_and_tags_by_their_usual_spelling() {
    let (s, admin) = with_admin();
    let me = member(&s, "wang_xiao");
    let fang = member(&s, "wang_fang");
    fang.post("/settings/profile", &[("display_name", "王芳"), ("bio", "")]);
    let blocker = member(&s, "wang_blocker");
    let blocked = member(&s, "wang_blocked");
    let _ = member(&s, "wang_gone");
    let _ = member(&s, "li_lei");
    // A block either way takes the account off the list (R2.1).
    assert_eq!(blocker.post("/@wang_xiao/block", &[]).status, 303);
    assert_eq!(me.post("/@wang_blocked/block", &[]).status, 303);
    drop(blocked);
    // A suspended (封禁) account is offered to nobody.
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let p = rita.post(
        "/admin/credit/wang_gone/sanction",
        &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "传播违法信息")],
    );
    assert_eq!(p.status, 303, "{}", p.body);

    let (status, v) = suggest(&me, "@wang");
    assert_eq!(status, 200);
    assert_eq!(inserts(&v), vec!["@wang_fang"], "not oneself, not blocked either way, not suspended: {v}");
    assert_eq!(v["items"][0]["label"], "王芳");
    // The display name as typed finds the account too; case does not matter for handles.
    assert_eq!(inserts(&suggest(&me, "@王").1), vec!["@wang_fang"]);
    assert_eq!(inserts(&suggest(&me, "@WANG_F").1), vec!["@wang_fang"]);
    assert!(inserts(&suggest(&me, "@zzz").1).is_empty());
    // Without the block the other side is offered again.
    assert_eq!(me.post("/@wang_blocked/unblock", &[]).status, 303);
    assert_eq!(inserts(&suggest(&me, "@wang_b").1), vec!["@wang_blocked"]);

    // Tags: public posts only, the spelling written most often.
    fang.post_status("学习 #Rust语言# 第一天", "public");
    fang.post_status("继续 #Rust语言# 第二天", "public");
    fang.post_status("又是 #rust语言# 第三天", "public");
    fang.post_status("只有我 #RustSecret# 看", "self");
    let (status, v) = suggest(&me, "#rust");
    assert_eq!(status, 200);
    assert_eq!(inserts(&v), vec!["#Rust语言#"], "{v}");
    assert_eq!(v["items"][0]["count"], 3);
}

#[test]
fn autocomplete_is_for_members_only_and_refuses_bad_input_in_words() {
    let s = Server::start();
    let anon = s.client();
    let p = anon.get("/autocomplete?q=%40wa");
    assert_eq!(p.status, 303, "signed out: sent to log in");
    assert!(p.location.as_deref().is_some_and(|l| l.starts_with("/login")), "{:?}", p.location);
    assert!(!p.body.contains("items"));

    let me = s.client();
    me.signup("lin_xue");
    let long = format!("@{}", "a".repeat(31));
    for bad in ["", "wa", "@", "#", "@wa ng", "@@wa", long.as_str()] {
        let (status, v) = suggest(&me, bad);
        assert_eq!(status, 400, "{bad:?}");
        assert_eq!(v["error"], "请输入 @ 或 # 加上 1 至 30 个字符。", "{bad:?}: {v}");
    }
    let (status, _) = suggest(&me, &format!("@{}", "a".repeat(30)));
    assert_eq!(status, 200, "30 characters are fine");
}

#[test]
fn autocomplete_is_capped_per_account() {
    let s = Server::start();
    let me = s.client();
    me.signup("fast_typist");
    let other = s.client();
    other.signup("slow_typist");
    let cap = plaza::domain::throttle::AUTOCOMPLETE_PER_MINUTE as usize;
    // The window is one wall-clock minute: the cap's worth of requests is
    // sent quickly enough to land in at most two windows.
    let statuses: Vec<u16> = (0..cap * 2 + 1).map(|_| suggest(&me, "@slow").0).collect();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert!(limited >= 1, "past the cap: 429 ({} of {})", limited, statuses.len());
    let p = me.get("/autocomplete?q=%40slow");
    if p.status == 429 {
        assert_eq!(p.header("retry-after"), Some("60"));
        assert!(p.body.contains("error"));
    }
    assert_eq!(suggest(&other, "@fast").0, 200, "another account is not slowed");
}

#[test]
fn the_manifest_names_the_app_and_its_icons_and_every_page_links_it() {
    let s = Server::start();
    let c = s.client();
    let p = c.get("/manifest.webmanifest");
    assert_eq!(p.status, 200);
    assert_eq!(p.header("content-type"), Some("application/manifest+json"));
    let m: Value = serde_json::from_str(&p.body).expect("JSON");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["start_url"], "/");
    assert_eq!(m["theme_color"], "#d9480f");
    assert!(m["name"].as_str().is_some_and(|n| !n.is_empty()));
    let icons = m["icons"].as_array().expect("icons");
    let mut sizes = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        let img = c.get_raw(src, &[]);
        assert_eq!(img.status, 200, "{src}");
        assert_eq!(img.header("content-type"), Some("image/png"), "{src}");
        let decoded = image::load_from_memory(&img.body).expect("a PNG");
        assert_eq!(icon["sizes"], format!("{}x{}", decoded.width(), decoded.height()), "{src}");
        sizes.push(decoded.width());
    }
    assert_eq!(sizes, vec![192, 512]);
    // Linked from every page, signed in or not, with the theme colour.
    let linked = |c: &Client, path: &str| {
        let page = c.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.has(r#"<link rel="manifest" href="/manifest.webmanifest">"#), "{path}");
        assert!(page.has(r##"<meta name="theme-color" content="#d9480f">"##), "{path}");
    };
    for path in ["/", "/public", "/login", "/signup", "/terms"] {
        linked(&c, path);
    }
    c.signup("lin_xue");
    for path in ["/", "/notifications", "/settings", "/@lin_xue"] {
        linked(&c, path);
    }
}

#[test]
fn posting_from_the_compose_form_returns_to_the_timeline_and_shows_a_relative_time() {
    let s = Server::start();
    let c = s.client();
    c.signup("qian_li");
    let home = c.get("/");
    assert!(home.has(r#"<input type="hidden" name="next" value="/">"#), "the form says where to go back to");
    let p = c.post("/posts", &[("body", "回到时间线"), ("visibility", "public"), ("next", "/")]);
    assert_eq!(p.status, 303);
    let to = p.location.unwrap();
    assert!(to.starts_with("/#post-"), "{to}");
    // A `next` off the site is not followed.
    let p = c.post("/posts", &[("body", "不离开本站"), ("visibility", "public"), ("next", "//evil.example/")]);
    assert!(p.location.as_deref().unwrap().starts_with("/#post-"), "{:?}", p.location);
    // Without `next` (other clients), the post's own page, as before.
    let p = c.post("/posts", &[("body", "自己的页面"), ("visibility", "public")]);
    assert!(p.location.as_deref().unwrap().starts_with("/posts/"));

    // Relative times, with the full time and the instant on hover.
    let home = c.get("/");
    assert!(home.has(">刚刚</time>"), "{}", home.body);
    let i = home.body.find("<time datetime=\"").expect("a time element");
    let tag = &home.body[i..i + 80];
    assert!(tag.contains("Z\" title=\"20"), "{tag}");
    let en = c.get("/?lang=en");
    assert!(en.has(">just now</time>"));
}

#[test]
fn the_tab_bar_links_a_members_main_pages_and_counts_unread_notifications() {
    let s = Server::start();
    let c = s.client();
    c.signup("lin_xue");
    let other = s.client();
    other.signup("zhao_lei");
    other.post("/@lin_xue/follow", &[]);
    let home = c.get("/");
    let i = home.body.find("<nav class=\"tabbar\"").expect("a tab bar");
    let bar = &home.body[i..i + home.body[i..].find("</nav>").unwrap()];
    for href in ["href=\"/\"", "href=\"/public\"", "href=\"/notifications\"", "href=\"/@lin_xue\""] {
        assert!(bar.contains(href), "{href} in {bar}");
    }
    assert!(bar.contains("aria-current=\"page\""), "home is the current tab: {bar}");
    assert!(bar.contains("class=\"badge\""), "the unread count: {bar}");
    // Signed out: no tab bar.
    assert!(!s.client().get("/").has("class=\"tabbar\""));
}

#[test]
fn older_posts_say_yesterday_or_their_date_in_the_site_zone_with_the_full_time_on_hover() {
    use plaza::domain::dates::{parse, today, Bound, Zone};
    let s = Server::start();
    let c = s.client();
    c.signup("qian_li");
    let old = c.post_status("去年春天的帖子", "public");
    let recent = c.post_status("昨天下午的帖子", "public");
    let zone = Zone::default();
    let (y, m, d) = today(plaza::clock::now(), &zone);
    let midnight = parse(&format!("{y:04}-{m:02}-{d:02}"), &zone, Bound::From).unwrap();
    let yesterday = midnight - 86_400 + 14 * 3600 + 5 * 60;
    let spring = parse("2025-03-01T08:00", &zone, Bound::From).unwrap();
    let conn = crate::common::gov::db(&s);
    conn.execute("UPDATE posts SET created_at = ?1 WHERE id = ?2", [spring, old]).unwrap();
    conn.execute("UPDATE posts SET created_at = ?1 WHERE id = ?2", [yesterday, recent]).unwrap();
    let page = c.get("/@qian_li");
    assert!(
        page.has(r#"<time datetime="2025-03-01T00:00:00Z" title="2025-03-01 08:00">2025年3月1日</time>"#),
        "{}",
        page.body
    );
    assert!(page.has(">昨天 14:05</time>"), "{}", page.body);
    let en = c.get("/@qian_li?lang=en");
    assert!(en.has(">2025-03-01</time>") && en.has(">yesterday 14:05</time>"), "{}", en.body);
}

/// A refused post with photos: the plain form is told to choose the files
/// again; the composer's script, which keeps them in the page, is not.
/// Per-photo descriptions (one `alt` field each) land on the photos in
/// the order sent.
#[test]
fn the_composer_sends_one_description_per_photo_and_keeps_its_files_on_a_refusal() {
    use crate::common::client::multipart_body;
    use crate::common::gov::png;
    let s = Server::start();
    let c = s.client();
    c.signup("qian_li");
    let (a, b) = (png(8, 8), png(9, 9));
    let send = |body: &str, composer: bool| {
        let token = c.csrf();
        let fields = [
            ("csrf_token", token.as_str()),
            ("body", body),
            ("visibility", "public"),
            ("next", "/"),
            ("alt", "第一张的描述"),
            ("alt", "第二张的描述"),
        ];
        let (ct, bytes) = multipart_body(&fields, &[("media", "a.png", &a), ("media", "b.png", &b)]);
        let mut rq = c.agent.post(&format!("{}/posts", c.base)).set("Content-Type", &ct);
        if composer {
            rq = rq.set("X-Plaza-Composer", "1");
        }
        match rq.send_bytes(&bytes) {
            Ok(r) => (r.status(), r.header("location").map(String::from), r.into_string().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, None, r.into_string().unwrap()),
            Err(e) => panic!("{e}"),
        }
    };
    let too_long = "长".repeat(2001);
    let (status, _, page) = send(&too_long, false);
    assert_eq!(status, 422);
    assert!(page.contains("请重新选择"), "the plain form: choose the files again");
    let (status, _, page) = send(&too_long, true);
    assert_eq!(status, 422);
    assert!(page.contains("内容过长") && !page.contains("请重新选择"), "the composer keeps its files");

    let (status, to, _) = send("两张照片", true);
    assert_eq!(status, 303);
    assert!(to.as_deref().is_some_and(|l| l.starts_with("/#post-")), "{to:?}");
    let home = c.get("/");
    let first = home.body.find("alt=\"第一张的描述\"").expect("the first description");
    let second = home.body.find("alt=\"第二张的描述\"").expect("the second description");
    assert!(first < second, "in the order sent");
}
