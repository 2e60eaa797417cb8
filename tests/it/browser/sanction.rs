//! Journey (issue 18): staff suspend an account from its staff account
//! page with a reason and an end date, see it in force, find its post gone
//! from the public timeline, then lift it and find the post back.

use super::{log_in, Browser, Within};
use crate::common::with_admin;
use plaza::i18n::M;

fn journey(width: u32) {
    let (s, _admin) = with_admin();
    let member = s.client();
    member.signup("he_ming");
    member.post_status("何明今天的帖子", "public");
    let mut b = Browser::open(&s, "sanction", width);
    log_in(&mut b, "admin");
    b.goto("/admin/credit/he_ming");
    b.see(M::SanctionsTitle.zh());
    b.see(M::SanctionNone.zh());
    b.choose("kind", "suspend");
    b.js("document.querySelector('[name=until]').value = '2099-01-01'; return null;");
    b.fill("reason", "多次发布违法信息");
    b.click_in(Within::Css("#sanctions form"), M::SanctionImpose.zh());
    b.see(M::SanctionActive.zh());
    b.see("多次发布违法信息");
    b.goto("/public");
    b.not_see("何明今天的帖子");

    b.goto("/admin/credit/he_ming");
    b.click_in(Within::Css("#sanctions"), M::SanctionLift.zh());
    b.see(M::SanctionNone.zh());
    b.goto("/public");
    b.see("何明今天的帖子");
    b.finish();
}

at_both_widths!();
