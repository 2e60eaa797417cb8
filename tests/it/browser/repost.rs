//! Journey: on a site whose reposts are switched on with an assessment on
//! record (R13.1), a verified member reposts a post with a comment, and
//! sees the repost with the original quoted on their home timeline and
//! the original's repost count gone up (R2.1).

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start_unassessed(&[], &[]);
    s.switch_reposts_on();
    let body = "校运会报名截止到本周五";
    let author = s.client();
    author.signup("he_jing");
    author.post_status(body, "public");
    s.client().signup("feng_tao");
    let mut b = Browser::open(&s, "repost", width);
    log_in(&mut b, "feng_tao");
    b.goto("/public");
    b.click_in(Within::Post(body), &format!("{} 0", M::Repost.zh()));
    b.see(body);

    let why = "三班的同学别忘了";
    b.fill_in(Within::Css("form.repost"), "body", why);
    b.click_in(Within::Css("form.repost"), M::Repost.zh());

    b.goto("/");
    let card = b.text_of(Within::Post(why));
    assert!(card.contains(body) && card.contains("@he_jing"), "the repost quotes the original: {card}");
    b.goto("/public");
    let card = b.text_of(Within::Post(body));
    assert!(card.contains(&format!("{} 1", M::Repost.zh())), "the original counts one repost: {card}");
    b.goto("/");
    b.finish();
}

at_both_widths!();
