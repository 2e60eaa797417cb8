//! Journey: a member who has not verified an identity opens a post's
//! comments and is told why they cannot comment yet, where the comment box
//! would be, before typing anything; the link leads to the identity page
//! (R7.1, issue 13). A verified member sees the comment box.

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let body = "社区图书角本周六开放";
    let author = s.client();
    author.signup("lu_yao");
    author.post_status(body, "public");
    s.client().signup_unverified("xin_lai");
    let mut b = Browser::open(&s, "comment_notice", width);
    log_in(&mut b, "xin_lai");
    b.goto("/public");
    b.click_in(Within::Post(body), &format!("{} 0", M::Comment.zh()));
    let notice = b.text_of(Within::Css("#comment-form"));
    assert!(notice.contains(M::IdentityRequiredText.zh()), "the notice where the comment box would be: {notice}");
    let boxes = b.js("return document.querySelectorAll('textarea[name=body], input[name=body]').length");
    assert_eq!(boxes.as_u64(), Some(0), "no box to type a comment in vain");
    b.click_in(Within::Css("#comment-form"), M::IdentityBindLink.zh());
    b.see(M::IdentityTitle.zh());
    b.see(M::IdBindButton.zh());
    b.finish();
}

at_both_widths!();
