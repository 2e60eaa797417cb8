//! Journey: an admin gives a member the reviewer role from the member's
//! row in `/admin/users`, reads the role's name in that row, and takes it
//! back from the same row (R6.5, issue 13).

use super::{log_in, Browser, Within};
use crate::common::with_admin;
use plaza::i18n::M;

fn journey(width: u32) {
    let (s, _admin) = with_admin();
    s.client().signup("rita");
    let mut b = Browser::open(&s, "staff-roles", width);
    log_in(&mut b, "admin");
    b.goto("/admin/users");
    let row = Within::Css("tr[data-user=\"rita\"]");
    let grant = M::GrantRole.zh().replace("{}", M::RoleReviewer.zh());
    let revoke = M::RevokeRole.zh().replace("{}", M::RoleReviewer.zh());
    assert!(b.text_of(row).contains(M::NoRoles.zh()), "{}", b.text_of(row));
    b.click_in(row, &grant);
    b.see(M::Saved.zh());
    let text = b.text_of(row);
    assert!(text.contains(M::RoleReviewer.zh()) && text.contains(&revoke), "{text}");
    b.click_in(row, &revoke);
    let text = b.text_of(row);
    assert!(!text.contains(&revoke) && text.contains(M::NoRoles.zh()) && text.contains(&grant), "{text}");
    // The only admin's own row: no button that could only fail.
    b.goto("/admin/users");
    let me = b.text_of(Within::Css("tr[data-user=\"admin\"]"));
    let revoke_admin = M::RevokeRole.zh().replace("{}", M::RoleAdmin.zh());
    assert!(me.contains(M::LastAdminKeeps.zh()) && !me.contains(&revoke_admin), "{me}");
    b.finish();
}

at_both_widths!();
