//! Journey: a new member follows the notice to the identity page, binds a
//! name, ID number and mobile, types the one-time code the outbox received
//! (the harness reads it as `code_for` does), and sees the identity
//! verified, with the number masked (R7.1, R7.2).

use super::{log_in, Browser, Within};
use crate::common::{code_for, fresh_identity, Server};
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup_unverified("zhao_min");
    let mut b = Browser::open(&s, "identity", width);
    log_in(&mut b, "zhao_min");
    b.see(M::IdentityRequiredText.zh());
    b.click(M::IdentityBindLink.zh());
    b.see(M::IdentityTitle.zh());

    let (number, mobile) = fresh_identity();
    b.choose("subject_type", "individual");
    b.fill("legal_name", "赵敏");
    b.fill("number", &number);
    b.fill("mobile", &mobile);
    b.click_in(Within::Css("main form"), M::IdBindButton.zh());
    b.see(M::IdCodeSent.zh());

    let code = code_for(s.data.path(), "zhao_min").expect("a code in the outbox");
    b.fill("code", &code);
    b.click_in(Within::Css("#code"), M::IdConfirmButton.zh());
    // The stub webhook confirms in the background.
    b.reload_until("/settings/identity", M::IdYouMayPublish.zh(), 15);
    b.see(M::IdStatusVerified.zh());
    // Masked on the page: the name's first character, the number's ends.
    b.see("赵*");
    b.not_see("赵敏");
    b.see(&format!("{}**********{}", &number[..4], &number[14..]));
    b.not_see(&number);
    b.not_see(&mobile);

    // Home no longer asks for an identity.
    b.goto("/");
    b.not_see(M::IdentityRequiredText.zh());
    b.goto("/settings/identity");
    b.finish();
}

at_both_widths!();
