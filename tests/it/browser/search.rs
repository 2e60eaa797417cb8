//! Journey (issue 17): a member types two Chinese characters into the
//! header's search box, sees the matching posts with the words marked (and
//! not a followers-only post of someone they do not follow), pages to older
//! results, then looks at the people and topics tabs, the people
//! directory and the trending topics.

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let author = s.client();
    author.signup("li_ming");
    assert_eq!(author.post("/settings/profile", &[("display_name", "李明"), ("bio", "")]).status, 303);
    for i in 0..22 {
        author.post_status(&format!("第{i}期 #天气预报# 明天天气晴朗"), "public");
    }
    author.post_status("天气 只给粉丝看", "followers");
    author.post_status("食堂今天有饺子", "public");
    s.client().signup_unverified("zhou_lan");
    let (ok, out, err) =
        s.command(&["feature", "on", "trending", "--assessed-on", "2026-01-01", "--reference", "R-17"]);
    assert!(ok, "{out}{err}");
    let mut b = Browser::open(&s, "search", width);
    log_in(&mut b, "zhou_lan");

    b.fill_in(Within::Css("header.site"), "q", "天气");
    b.click_in(Within::Css("header.site"), M::NavSearch.zh());
    b.see("明天天气晴朗");
    b.not_see("只给粉丝看");
    b.not_see("饺子");
    let marks = b.js("return [...document.querySelectorAll('article.post mark')].map(m => m.textContent)");
    let marks: Vec<&str> = marks.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(!marks.is_empty() && marks.iter().all(|m| *m == "天气"), "marked: {marks:?}");
    let shown = b.js("return document.querySelectorAll('article.post').length");
    assert_eq!(shown, 20, "a page of 20");

    b.click(M::SearchOlder.zh());
    b.see("第1期");
    b.see("第0期");
    b.click(M::SearchNewer.zh());
    b.see("第21期");

    b.click(M::SearchTabAccounts.zh());
    b.see(M::SearchNoAccounts.zh());
    b.fill_in(Within::Css("main form"), "q", "李");
    b.click_in(Within::Css("main form"), M::NavSearch.zh());
    b.see("李明");
    b.see("@li_ming");

    b.fill_in(Within::Css("main form"), "q", "天气");
    b.click_in(Within::Css("main form"), M::NavSearch.zh());
    b.click(M::SearchTabTags.zh());
    b.see("#天气预报");
    b.see(&M::TagPostCount.zh().replace("{}", "22"));
    b.click("#天气预报");
    b.see("明天天气晴朗");

    b.click(M::NavPeople.zh());
    b.see(M::PeopleNewest.zh());
    b.see("李明");

    // Trending is on (R13.1): the header links to it and the public timeline shows the box.
    b.click(M::NavTrending.zh());
    b.see("#天气预报");
    b.see(&M::TrendAuthors.zh().replace("{}", "1"));
    b.goto("/public");
    let aside = b.text_of(Within::Css("aside.trend-box"));
    assert!(aside.contains("#天气预报"), "{aside}");
    b.finish();
}

at_both_widths!();
