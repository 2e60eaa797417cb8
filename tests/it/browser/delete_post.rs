//! Journey: a member deletes their own post; the page asks first (a
//! second step inside the card that works without script), and only the
//! confirming button deletes it (issue 13).

use super::{log_in, Browser, Within};
use crate::common::gov::status;
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let body = "一条写错了的微博";
    let post = alice.post_status(body, "public");
    let mut b = Browser::open(&s, "delete-post", width);
    log_in(&mut b, "alice");
    b.goto("/@alice");
    // The first click only asks.
    b.not_see(M::ConfirmDeletePost.zh());
    b.reveal(M::Delete.zh());
    b.see(M::ConfirmDeletePost.zh());
    assert_eq!(status(&s, post), "published", "nothing deleted by asking");
    b.click_in(Within::Post(body), M::ConfirmDeletePostButton.zh());
    b.not_see(body);
    assert_eq!(status(&s, post), "deleted");
    b.finish();
}

at_both_widths!();
