//! Journey: on a site whose only staff member removed a post, its author
//! appeals; the staff member reads on the appeals page, before any click,
//! that no independent reviewer exists and that the decision is recorded
//! as such, and upholds it (R15.1, R6.5, issue 13).

use super::{log_in, Browser};
use crate::common::gov::{count, status};
use crate::common::with_admin;
use plaza::i18n::M;

fn journey(width: u32) {
    let (s, admin) = with_admin();
    let alice = s.client();
    alice.signup("alice");
    let post = alice.post_status("我的活动照片说明", "public");
    assert_eq!(admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "误判"), ("category", "")]).status, 303);
    let event = count(&s, "SELECT id FROM credit_events WHERE source = 'removal'");
    let p = alice.post("/settings/credit/appeal", &[("event", &event.to_string()), ("body", "这条内容并不违规")]);
    assert_eq!(p.status, 303);

    let mut b = Browser::open(&s, "staff-appeal", width);
    log_in(&mut b, "admin");
    b.goto("/admin");
    b.see(&M::InboxAppeals.zh().replace("{}", "1"));
    b.goto("/admin/appeals");
    b.see("这条内容并不违规");
    // Said before the click, next to the buttons.
    b.see(M::AppealNoIndependent.zh());
    // The removed post named by its words, linked to its staff page.
    b.see(&format!("{} 「我的活动照片说明」", M::TargetPost.zh()));
    let link = b.js(&format!(
        "const a = document.querySelector('ul.appeals a[href=\"/admin/posts/{post}\"]'); return a && a.innerText"
    ));
    assert_eq!(
        link.as_str(),
        Some("「我的活动照片说明」"),
        "[staff-appeal @{width}px] the post links to its staff page"
    );
    b.fill("answer", "复核后恢复");
    b.click(M::AppealUphold.zh());
    b.see(M::FlashDone.zh());
    b.see(M::AppealsEmpty.zh());
    assert_eq!(status(&s, post), "published");
    assert_eq!(count(&s, "SELECT no_independent_reviewer FROM appeals"), 1);
    b.finish();
}

at_both_widths!();
