//! Journey: a member opens "设置" from the header and finds every settings
//! page on one page (profile, password, identity with its status,
//! verification, credit, my complaints, export, close, language), opens
//! each, and switches the language there and back (issue 13).

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup("li_na");
    let mut b = Browser::open(&s, "settings", width);
    log_in(&mut b, "li_na");
    b.click_in(Within::Css("header.site"), M::NavSettings.zh());
    assert_eq!(b.path(), "/settings");
    b.see(M::IdStatusVerified.zh());
    for (link, title) in [
        (M::ProfileSettings, M::ProfileSettings),
        (M::PasswordTitle, M::PasswordTitle),
        (M::IdentityTitle, M::IdentityTitle),
        (M::VerificationTitle, M::VerificationTitle),
        (M::CreditTitle, M::CreditTitle),
        (M::MyComplaintsTitle, M::ComplaintLookupTitle),
        (M::ExportTitle, M::ExportTitle),
        (M::CloseTitle, M::CloseTitle),
    ] {
        b.click_in(Within::Css("ul.settings-index"), link.zh());
        b.see(title.zh());
        b.goto("/settings");
    }

    // The language, chosen here and kept.
    b.click_in(Within::Css("#language"), "English");
    b.see(M::SettingsTitle.en());
    b.see(M::SettingsPasswordText.en());
    b.goto("/settings/profile");
    b.see(M::ProfileSettings.en());
    b.goto("/settings");
    b.click_in(Within::Css("#language"), "简体中文");
    b.see(M::SettingsPasswordText.zh());
    b.finish();
}

at_both_widths!();
