//! Journey: a verified member finds a post on the public timeline, opens
//! its comments, writes one, and sees it under the post with the count
//! gone up (R2.3).

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let body = "周末有人一起去爬香山吗？";
    let author = s.client();
    author.signup("sun_hao");
    author.post_status(body, "public");
    s.client().signup("zhou_yu");
    let mut b = Browser::open(&s, "comment", width);
    log_in(&mut b, "zhou_yu");
    b.goto("/public");
    b.click_in(Within::Post(body), &format!("{} 0", M::Comment.zh()));
    b.see(body);

    let reply = "我去！周六早上八点东门见";
    b.fill_in(Within::Css("form.comment"), "body", reply);
    b.click_in(Within::Css("form.comment"), M::CommentButton.zh());
    b.see(reply);
    // The answer lands on the new comment's anchor, not hidden under the sticky header (issue 13).
    let clear = b.js(
        "const t = document.querySelector(location.hash); const h = document.querySelector('header.site'); \
         return location.hash.startsWith('#comment-') && t.getBoundingClientRect().top >= h.getBoundingClientRect().bottom - 1",
    );
    assert_eq!(clear.as_bool(), Some(true), "the comment's anchor shows below the header");
    let list = b.text_of(Within::Css("ol.comments"));
    assert!(list.contains(reply) && list.contains("@zhou_yu"), "the comment is listed with its author: {list}");

    b.goto("/public");
    let card = b.text_of(Within::Post(body));
    assert!(card.contains(&format!("{} 1", M::Comment.zh())), "the card counts one comment: {card}");
    b.finish();
}

at_both_widths!();
