//! Journey (issue 18): at phone width a member has a tab bar at the bottom
//! (home, public, notifications with the unread count, me) and each tab
//! reaches its page and says it is the current one; at desktop width the
//! bar is hidden and the header does the same work.

use super::{log_in, Browser, Within, PHONE};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup("lin_xue");
    let other = s.client();
    other.signup("zhao_lei");
    other.post("/@lin_xue/follow", &[]);
    let mut b = Browser::open(&s, "tab_bar", width);
    log_in(&mut b, "lin_xue");
    let shown = || b.js("const n = document.querySelector('nav.tabbar'); return !!n && n.getClientRects().length > 0");
    if width != PHONE {
        assert_eq!(shown(), false, "no tab bar at {width} px");
        b.finish();
        return;
    }
    assert_eq!(shown(), true, "a tab bar at phone width");
    // The sticky header leaves the four tabs to the bar: two rows (brand
    // and links, search), not three.
    let header = b.text_of(Within::Css("header.site"));
    for tab in [M::NavHome, M::NavPublic, M::NavNotifications, M::NavProfile] {
        assert!(!header.contains(tab.zh()), "{} in the phone header too: {header}", tab.zh());
    }
    let tall = b.js("return Math.round(document.querySelector('header.site').getBoundingClientRect().height)");
    assert!(tall.as_i64().unwrap() < 100, "the phone header is {tall} px tall");
    let bottom = b.js(
        "return Math.round(document.querySelector('nav.tabbar').getBoundingClientRect().bottom) === window.innerHeight",
    );
    assert_eq!(bottom, true, "the bar sits at the bottom of the window");
    let unread = b.text_of(Within::Css("nav.tabbar a[href='/notifications']"));
    assert_eq!(unread.split_whitespace().collect::<Vec<_>>(), [M::NavNotifications.zh(), "1"], "the unread count");
    for (label, path) in [
        (M::NavPublic.zh(), "/public"),
        (M::NavNotifications.zh(), "/notifications"),
        (M::TabMe.zh(), "/@lin_xue"),
        (M::NavHome.zh(), "/"),
    ] {
        b.click_in(Within::Css("nav.tabbar"), label);
        assert_eq!(b.path(), path, "{label}");
        let current = b.js("return document.querySelector('nav.tabbar a[aria-current=page]').textContent.trim()");
        assert!(current.as_str().unwrap().starts_with(label), "{label} is the current tab: {current}");
    }
    b.finish();
}

at_both_widths!();
