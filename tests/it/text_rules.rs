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
