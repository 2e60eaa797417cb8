//! Journey: a visitor who is not signed in complains about a post from its
//! "complain" link, leaves a contact, and gets a tracking number and a
//! status page that says the complaint is open (R14.1, R14.2).

use super::{Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let body = "低价代办各类证件，私聊";
    let author = s.client();
    author.signup("ma_lei");
    author.post_status(body, "public");
    let mut b = Browser::open(&s, "complaint", width);
    b.goto("/public");
    b.click_in(Within::Post(body), M::Complain.zh());
    b.see(M::ComplaintTitle.zh());
    b.see(M::ComplaintContactHint.zh());
    // The form names its target in words with the post's text, never `post:ID` (issue 13).
    b.see(&format!("{}：{} 「{body}」", M::ComplaintAbout.zh(), M::TargetPost.zh()));

    b.choose("category", "fraud");
    b.fill("body", "这条微博在兜售伪造证件");
    b.fill("contact", "13800000000");
    b.click_in(Within::Css("main form"), M::ComplaintSend.zh());
    b.see(M::ComplaintStatusTitle.zh());
    b.see(M::ComplaintTracking.zh());
    b.see(M::ComplaintOpen.zh());
    b.see(M::CatFraud.zh());
    let tracking = b.text_of(Within::Css("p.tracking strong"));
    assert!(!tracking.trim().is_empty(), "a tracking number is shown");

    // The number alone finds the complaint again.
    let page = b.path();
    b.goto("/");
    b.goto(&page);
    b.see(tracking.trim());
    b.finish();
}

at_both_widths!();
