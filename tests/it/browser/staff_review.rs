//! Journey: held posts wait in the review queue; a reviewer tries to
//! decide with nothing ticked and reads why on the queue itself, approves
//! one, and rejects the other with a reason (R6.2, issue 13).

use super::{log_in, Browser, Within};
use crate::common::gov::{add_rule, open_items};
use crate::common::with_admin;
use plaza::i18n::M;

fn journey(width: u32) {
    let (s, admin) = with_admin();
    add_rule(&admin, "团购", "广告", "review");
    let alice = s.client();
    alice.signup("alice");
    alice.post("/posts", &[("body", "周末团购水果，欢迎参加"), ("visibility", "public")]);
    alice.post("/posts", &[("body", "团购代购，加微信"), ("visibility", "public")]);
    let held = open_items(&s, "hold");
    assert_eq!(held.len(), 2);

    let mut b = Browser::open(&s, "staff-review", width);
    log_in(&mut b, "admin");
    b.goto("/admin");
    // The nav counts the held posts.
    b.see(&M::InboxHeld.zh().replace("{}", "2"));
    b.goto("/admin/review");
    b.see("周末团购水果");
    // Nothing ticked: the queue again, with the message, and nothing decided.
    b.expect_status(422);
    b.click_in(Within::Css("main form"), M::Approve.zh());
    b.see(M::ErrNothingChosen.zh());
    b.see("周末团购水果");
    assert_eq!(open_items(&s, "hold").len(), 2);

    b.tick("item", &held[0].to_string());
    b.click_in(Within::Css("main form"), M::Approve.zh());
    b.see(&M::ReviewDone.zh().replace("{}", "1"));
    b.not_see("周末团购水果");
    b.tick("item", &held[1].to_string());
    b.fill_in(Within::Css("main form"), "reason", "广告引流");
    b.click_in(Within::Css("main form"), M::Reject.zh());
    b.see(M::QueueEmpty.zh());
    assert!(open_items(&s, "hold").is_empty());
    b.finish();
}

at_both_widths!();
