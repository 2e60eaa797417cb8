//! Journey: a visitor finds the sign-up link on the home page, creates an
//! account accepting the agreement, and is told to bind an identity before
//! posting (R6.1, R7.1).

use super::{Browser, Within, PHONE};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let mut b = Browser::open(&s, "signup", width);
    b.goto("/");
    b.click(M::NavSignup.zh());
    b.see(M::SignupTitle.zh());
    b.fill("username", "lin_wei");
    b.fill("password", "correct horse");
    b.tick("accept_terms", "1");
    b.click_in(Within::Css("main form"), M::SignupButton.zh());
    // Signed in at home: the identity notice comes before any typing.
    // "Me" is in the header at desktop width, in the tab bar on a phone.
    let me = if width == PHONE { M::TabMe } else { M::NavProfile };
    b.see(me.zh());
    b.see(M::NavLogout.zh());
    b.see(M::IdentityRequiredText.zh());
    b.see(M::IdentityBindLink.zh());
    b.see(M::EmptyHome.zh());
    b.click(me.zh());
    b.see("@lin_wei");
    b.finish();
}

at_both_widths!();
