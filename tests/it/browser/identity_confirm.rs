//! Journey: an admin without an identity webhook opens the pending
//! identities, checks the one record in full (legal name and number side
//! by side, not masked), confirms it, and finds the look in the activity
//! log as a reveal of that account (R7.2, R7.4; issue 13).

use super::{log_in, Browser, Within};
use crate::common::{fresh_identity, setup_admin, Server, VERIFY_WEBHOOK_VAR};
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start_with(&[], &[(VERIFY_WEBHOOK_VAR, "")]);
    setup_admin(&s);
    let member = s.client();
    member.signup_unverified("qian_li");
    let (number, mobile) = fresh_identity();
    member.bind_identity("qian_li", "individual", "钱力", &number, &mobile);

    let mut b = Browser::open(&s, "identity_confirm", width);
    log_in(&mut b, "admin");
    b.goto("/admin/identities?status=pending");
    b.see("@qian_li");
    b.click("@qian_li");
    // Masked until the reviewer asks to check.
    b.not_see("钱力");
    b.not_see(&number);
    b.see(M::IdCheckIntro.zh());
    b.click(M::IdCheckButton.zh());

    // The one record in full: name and number side by side, then the confirm button.
    let check = b.text_of(Within::Css("#check"));
    let (name_at, number_at) = (check.find("钱力"), check.find(&number));
    assert!(name_at.is_some() && number_at > name_at, "name then number in full: {check}");
    assert!(!check.contains(&mobile), "the mobile is not part of the check: {check}");
    b.see(M::IdCheckShownText.zh());
    b.click_in(Within::Css("#check"), M::IdConfirmStaff.zh());
    b.see(M::IdStatusVerified.zh());
    b.not_see(&number);
    b.see(M::IdCheckReason.zh());

    // The look is in the activity log, naming the account in words.
    b.goto("/admin/logs?action=identity.reveal");
    let log = b.text_of(Within::Css("table.log"));
    assert!(log.contains(M::ActIdentityReveal.zh()) && log.contains("@qian_li"), "the reveal is logged: {log}");
    assert!(!log.contains(&number) && !log.contains("钱力"), "never the values: {log}");
    b.finish();
}

at_both_widths!();
