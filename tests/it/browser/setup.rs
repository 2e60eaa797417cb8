//! Journey: the operator opens the one-time setup URL the server printed
//! on first run, reads that the account gets every staff role, creates the
//! first admin, lands on the dashboard with its first-day checklist, finds
//! the three role names in their own row of `/admin/users`, and finds the
//! link dead afterwards (issue 13).

use super::{Browser, Within, PHONE};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let url = s.setup_url.clone().expect("the server printed a setup URL");
    let mut b = Browser::open(&s, "setup", width);
    b.goto(&url);
    b.see(M::SetupTitle.zh());
    b.see(M::SetupIntro.zh());
    b.see(M::SetupRoles.zh());
    b.fill("username", "boss");
    b.fill("password", "correct horse");
    b.tick("accept_terms", "1");
    b.click_in(Within::Css("main form"), M::SetupButton.zh());
    // Signed in as the new admin, on the dashboard with its checklist.
    b.see(M::AdminTitle.zh());
    b.see(M::NavAdmin.zh());
    b.see(M::NavLogout.zh());
    b.see(M::ChecklistTitle.zh());
    b.see(M::ChecklistSite.zh());
    b.see(M::ChecklistTodo.zh());
    // Every staff page is open to the one-person staff: the admin menu
    // lists them (folded on a phone, one tap opens it).
    if width == PHONE {
        b.reveal(M::AdminMenu.zh());
    }
    let menu = b.text_of(Within::Css("nav.admin"));
    for title in [M::ReviewTitle, M::ComplaintsTitle, M::AppealsTitle, M::RumoursTitle, M::UsersTitle] {
        assert!(menu.contains(title.zh()), "[setup @{width}px] {} in the admin menu: {menu}", title.zh());
    }
    b.click(M::ChecklistSite.zh());
    b.see(M::AdminSettingsTitle.zh());
    let settings = b.path();
    b.goto("/admin/users");
    let row = b.text_of(Within::Css("tr[data-user=\"boss\"]"));
    for role in [M::RoleReviewer, M::RoleChiefEditor, M::RoleAdmin] {
        assert!(row.contains(role.zh()), "{} in the row: {row}", role.zh());
    }
    assert!(row.contains(M::LastAdminKeeps.zh()), "{row}");

    // The link was one-time: it now says so, with 410.
    b.expect_status(410);
    b.goto(&url);
    b.see(M::ErrGone.zh());
    b.not_see(M::SetupIntro.zh());

    b.goto(&settings);
    b.finish();
}

at_both_widths!();
