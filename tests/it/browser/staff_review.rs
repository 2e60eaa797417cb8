//! Journey: held posts wait in the review queue; a reviewer tries to
//! decide with nothing ticked and reads why on the queue itself, approves
//! one, rejects one with a reason, and rejects the rest in bulk after a
//! second step; then stops all publishing in emergency mode, which also
//! asks first (R6.2, R6.4, issue 13).

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
    alice.post("/posts", &[("body", "团购一：低价"), ("visibility", "public")]);
    alice.post("/posts", &[("body", "团购二：更低价"), ("visibility", "public")]);
    let held = open_items(&s, "hold");
    assert_eq!(held.len(), 4);

    let mut b = Browser::open(&s, "staff-review", width);
    log_in(&mut b, "admin");
    b.goto("/admin");
    // The nav counts the held posts.
    b.see(&M::InboxHeld.zh().replace("{}", "4"));
    b.goto("/admin/review");
    b.see("周末团购水果");
    // Nothing ticked: the queue again, with the message, and nothing decided.
    b.expect_status(422);
    b.click_in(Within::Css("main form"), M::Approve.zh());
    b.see(M::ErrNothingChosen.zh());
    b.see("周末团购水果");
    assert_eq!(open_items(&s, "hold").len(), 4);

    b.tick("item", &held[0].to_string());
    b.click_in(Within::Css("main form"), M::Approve.zh());
    b.see(&M::ReviewDone.zh().replace("{}", "1"));
    b.not_see("周末团购水果");
    b.tick("item", &held[1].to_string());
    b.fill_in(Within::Css("main form"), "reason", "广告引流");
    b.click_in(Within::Css("main form"), M::Reject.zh());
    b.not_see("团购代购");
    assert_eq!(open_items(&s, "hold").len(), 2);

    // Rejecting everything left asks first.
    let all = M::RejectAll.zh().replace("{}", "2");
    b.fill_in(Within::Css("main form:last-of-type"), "reason", "广告");
    b.reveal(&all);
    b.see(&M::ConfirmRejectAll.zh().replace("{}", "2"));
    assert_eq!(open_items(&s, "hold").len(), 2, "asking decides nothing");
    b.click(&M::ConfirmRejectAllButton.zh().replace("{}", "2"));
    b.see(M::QueueEmpty.zh());
    assert!(open_items(&s, "hold").is_empty());

    // Stopping all publishing: a second step page first.
    b.goto("/admin/emergency");
    b.tick("stop_publishing", "1");
    b.click(M::Save.zh());
    b.see(M::ConfirmStopPublishing.zh());
    let p = alice.post("/posts", &[("body", "还能发吗"), ("visibility", "public")]);
    assert_eq!(p.status, 303, "not stopped before the second step");
    b.click(M::ConfirmStopPublishingButton.zh());
    b.see(M::Saved.zh());
    let p = alice.post("/posts", &[("body", "现在呢"), ("visibility", "public")]);
    assert!(p.status >= 400, "publishing is stopped: {}", p.status);
    b.finish();
}

at_both_widths!();
