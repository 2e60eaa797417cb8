//! Journey: a member (no identity needed to like) likes a post on the
//! public timeline, sees the count go from 0 to 1 and the button turn to
//! "unlike", takes it back and likes again; the author then finds the like
//! in their notifications (R2.3).

use super::{log_in, Browser, Within, PHONE};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let body = "新图书馆下周一开放，欢迎大家来看看";
    let author = s.client();
    author.signup("wu_fang");
    author.post_status(body, "public");
    s.client().signup_unverified("zheng_kai");
    let mut b = Browser::open(&s, "like", width);
    log_in(&mut b, "zheng_kai");
    b.goto("/public");
    let like0 = format!("{} 0", M::Like.zh());
    let unlike1 = format!("{} 1", M::Unlike.zh());
    let card = b.text_of(Within::Post(body));
    assert!(card.contains(&like0), "not liked yet: {card}");

    b.click_in(Within::Post(body), &like0);
    let card = b.text_of(Within::Post(body));
    assert!(card.contains(&unlike1), "liked once: {card}");

    b.click_in(Within::Post(body), &unlike1);
    let card = b.text_of(Within::Post(body));
    assert!(card.contains(&like0), "the like taken back: {card}");

    b.click_in(Within::Post(body), &like0);
    b.see(&unlike1);

    // The author, signed in on the same browser, sees one unread
    // notification in the header and finds the like there.
    b.click(M::NavLogout.zh());
    log_in(&mut b, "wu_fang");
    // On a phone the count is on the tab bar's notifications tab.
    let header = b.text_of(Within::Css(if width == PHONE { "nav.tabbar" } else { "header.site" }));
    let unread = header.split(M::NavNotifications.zh()).nth(1).unwrap_or_default().trim_start();
    assert!(unread.starts_with(|c: char| c.is_ascii_digit() && c != '0'), "an unread count in the header: {header}");
    b.goto("/notifications");
    b.see("zheng_kai");
    b.see(M::NotifLike.zh());
    b.finish();
}

at_both_widths!();
