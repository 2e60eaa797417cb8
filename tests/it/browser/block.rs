//! Journey (issue 18): a member blocks an account from its profile, sees
//! its post gone from the public timeline, mutes a word in
//! `/settings/blocks`, then takes the block back there and finds the post
//! again, while a post with the muted word stays out.

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let bob = s.client();
    bob.signup("bob_li");
    bob.post_status("周末一起去爬山吧", "public");
    bob.post_status("这部电影的剧透在这里", "public");
    s.client().signup_unverified("zhou_min");
    let mut b = Browser::open(&s, "block", width);
    log_in(&mut b, "zhou_min");
    b.goto("/@bob_li");
    b.click(M::Block.zh());
    b.see(M::YouBlocked.zh());
    b.see(M::Unblock.zh());
    b.goto("/public");
    b.not_see("周末一起去爬山吧");

    b.goto("/settings/blocks");
    b.see("bob_li");
    b.fill("word", "剧透");
    b.click_in(Within::Css("#words form[action='/settings/blocks/words']"), M::MutedWordAdd.zh());
    b.see("剧透");
    b.goto("/settings/blocks");
    b.click_in(Within::Css("#blocked"), M::Unblock.zh());
    b.see(M::NoneYet.zh());

    b.goto("/public");
    b.see("周末一起去爬山吧");
    b.not_see("这部电影的剧透在这里");
    b.finish();
}

at_both_widths!();
