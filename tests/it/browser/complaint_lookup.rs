//! Journey: a member complains about a post, finds the complaint again
//! under "我的投诉" (`GET /complaints`, with the post named in words and
//! the status), then, signed out, looks it up by its tracking number typed
//! loosely, and gets a clear 404 for a wrong number with the text kept
//! (R14.2, issue 13).

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let body = "高价回收手机号，当天到账";
    let author = s.client();
    author.signup("fan_bing");
    author.post_status(body, "public");
    s.client().signup("he_jing");
    let mut b = Browser::open(&s, "complaint_lookup", width);
    log_in(&mut b, "he_jing");
    b.goto("/public");
    b.click_in(Within::Post(body), M::Complain.zh());
    b.choose("category", "fraud");
    b.fill("body", "疑似收购他人手机号用于诈骗");
    b.click_in(Within::Css("main form"), M::ComplaintSend.zh());
    let tracking = b.text_of(Within::Css("p.tracking strong")).trim().to_string();
    assert!(tracking.starts_with("TS-"), "a tracking number: {tracking}");

    // Mine, from the settings page.
    b.goto("/settings");
    b.click_in(Within::Css("ul.settings-index"), M::MyComplaintsTitle.zh());
    let mine = b.text_of(Within::Css("table.mine"));
    for s in [tracking.as_str(), M::TargetPost.zh(), body, M::ComplaintOpen.zh(), M::CatFraud.zh()] {
        assert!(mine.contains(s), "my complaints show {s:?}: {mine}");
    }

    // Signed out: the number alone finds it, typed in lower case with spaces.
    b.click_in(Within::Css("header.site"), M::NavLogout.zh());
    b.goto("/complaints");
    b.not_see(M::MyComplaintsTitle.zh());
    b.fill("tracking", &format!(" {} ", tracking.to_lowercase()));
    b.click_in(Within::Css("form.lookup"), M::ComplaintLookupButton.zh());
    b.see(M::ComplaintStatusTitle.zh());
    b.see(&tracking);
    b.see(M::ComplaintOpen.zh());

    // A wrong number: said in words, on the same page, the text kept.
    b.goto("/complaints");
    b.fill("tracking", "TS-0000-0000-0000-0000");
    b.expect_status(404);
    b.click_in(Within::Css("form.lookup"), M::ComplaintLookupButton.zh());
    b.see(M::ComplaintNotFound.zh());
    let kept = b.js("return document.querySelector('input[name=tracking]').value");
    assert_eq!(kept.as_str(), Some("TS-0000-0000-0000-0000"), "the typed number is kept");
    b.goto("/complaints");
    b.finish();
}

at_both_widths!();
