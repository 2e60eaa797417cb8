//! Journey: a complaint arrives; the admin reads the count in the nav,
//! opens it, assigns it to a reviewer chosen by name from the list,
//! restricts the author after a second step, and resolves it with a text
//! the complainant reads (R14.2, R15.1, issue 13).

use super::{log_in, Browser, Within};
use crate::common::gov::{count, staff};
use crate::common::with_admin;
use plaza::i18n::M;

fn journey(width: u32) {
    let (s, admin) = with_admin();
    staff(&s, &admin, "rita", &["reviewer"]);
    let author = s.client();
    author.signup("ma_lei");
    let post = author.post_status("低价代办各类证件，私聊", "public");
    let anon = s.client();
    let p = anon.post(
        "/complaints",
        &[
            ("target", &format!("post:{post}")),
            ("category", "fraud"),
            ("body", "兜售伪造证件"),
            ("contact", "13800000000"),
        ],
    );
    let status_page = p.location.expect("a tracking page");

    let mut b = Browser::open(&s, "staff-complaint", width);
    log_in(&mut b, "admin");
    b.goto("/notifications");
    b.see(M::NotifStaffComplaint.zh());
    b.click(M::NotifStaffComplaint.zh());
    b.see(M::CatFraud.zh());
    b.click(M::ComplaintOpenLink.zh());
    b.see("兜售伪造证件");
    b.see("低价代办各类证件");
    b.choose("to", "rita");
    b.click(M::ComplaintAssign.zh());
    b.see(M::FlashDone.zh());
    // Restricting the author asks first, inside the page.
    b.reveal(M::ComplaintRestrict.zh());
    b.see(M::ConfirmRestrict.zh());
    b.fill_in(Within::Css("details.confirm[open]"), "reason", "多次发布违法广告");
    b.click(M::ConfirmRestrictButton.zh());
    b.see(M::FlashDone.zh());
    let restricted = count(&s, "SELECT count(*) FROM credit_events WHERE source = 'staff' AND delta < 0");
    assert_eq!(restricted, 1, "the author's credit is restricted");
    b.fill("resolution", "已删除该微博并限制账号");
    b.click(M::ComplaintResolve.zh());
    b.see("已删除该微博并限制账号");
    b.goto(&status_page);
    b.see("已删除该微博并限制账号");
    b.finish();
}

at_both_widths!();
