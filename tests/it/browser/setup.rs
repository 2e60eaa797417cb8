//! Journey: the operator opens the one-time setup URL the server printed
//! on first run, creates the first admin, lands in the admin pages, and
//! finds the link dead afterwards.

use super::{Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let url = s.setup_url.clone().expect("the server printed a setup URL");
    let mut b = Browser::open(&s, "setup", width);
    b.goto(&url);
    b.see(M::SetupTitle.zh());
    b.see(M::SetupIntro.zh());
    b.fill("username", "boss");
    b.fill("password", "correct horse");
    b.tick("accept_terms", "1");
    b.click_in(Within::Css("main form"), M::SetupButton.zh());
    // Signed in as the new admin, on the site settings.
    b.see(M::AdminSettingsTitle.zh());
    b.see(M::NavAdmin.zh());
    b.see(M::NavLogout.zh());
    let settings = b.path();

    // The link was one-time: it now says so, with 410.
    b.expect_status(410);
    b.goto(&url);
    b.see(M::ErrGone.zh());
    b.not_see(M::SetupIntro.zh());

    b.goto(&settings);
    b.finish();
}

at_both_widths!();
