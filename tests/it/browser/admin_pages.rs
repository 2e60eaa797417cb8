//! Journey: an admin holding every staff role walks every staff page, at
//! desktop and phone width, on a site with something in each (held and
//! flagged posts, a complaint acted on, a removal with evidence, an appeal,
//! a proposed rumour label, keyword and tier rules, identities, the outbox,
//! the log). Each page is checked as every page is (no overflow at 390 px,
//! no raw enum or `kind:id`, no doubled heading, no console error); on a
//! phone the admin menu is folded and opens with one tap. Then the two
//! members involved read their notifications, credit, badge application
//! and complaints pages, checked the same way (issue 13).

use super::{log_in, Browser, Within, PHONE};
use crate::common::gov::{add_rule, count};
use crate::common::{with_admin, Client};
use plaza::i18n::M;

/// The admin grants themself the other staff roles, through the page.
fn grant(admin: &Client, role: &str) {
    let p = admin.post("/admin/users/admin/roles", &[("role", role), ("action", "grant")]);
    assert_eq!(p.status, 303, "grant {role}: {}", p.body);
}

fn journey(width: u32) {
    let (s, admin) = with_admin();
    grant(&admin, "reviewer");
    grant(&admin, "chief_editor");
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    add_rule(&admin, "代购", "fraud", "review");
    add_rule(&admin, "返利", "ads", "flag");
    let p = alice.post("/posts", &[("body", "代购名牌包，价格私聊"), ("visibility", "public")]);
    assert_eq!(p.status, 303);
    alice.post_status("返利活动，转发有奖", "public");
    let bad = alice.post_status("这里有一条违规的内容", "public");
    let rumour = alice.post_status("明天全市停水一整天", "public");
    let p = bob.post(&format!("/posts/{rumour}/comments"), &[("body", "真的吗？")]);
    assert_eq!(p.status, 303);
    s.switch_reposts_on();
    let p = bob.post(&format!("/posts/{rumour}/repost"), &[("body", "转给家里人看看")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let p = admin.post(&format!("/admin/posts/{rumour}/rumour"), &[("refutation", "供水公司已说明：明天正常供水。")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let p = bob.post(
        "/complaints",
        &[("target", &format!("post:{bad}")), ("category", "prohibited"), ("body", "内容违规"), ("contact", "")],
    );
    assert_eq!(p.status, 303);
    let complaint = count(&s, "SELECT id FROM complaints");
    let p =
        admin.post(&format!("/admin/complaints/{complaint}/act"), &[("action", "remove"), ("reason", "违反平台规则")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let event = count(&s, "SELECT id FROM credit_events WHERE source = 'removal'");
    let p = alice.post("/settings/credit/appeal", &[("event", &event.to_string()), ("body", "内容并不违规")]);
    assert_eq!(p.status, 303);

    let pdf: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let p = bob.post_multipart(
        "/settings/verification",
        &[("subject_type", "individual"), ("certified_name", "张三")],
        &[("proof", "scan.pdf", pdf)],
    );
    assert_eq!(p.status, 303, "{}", p.body);

    let mut b = Browser::open(&s, "admin_pages", width);
    log_in(&mut b, "admin");
    b.click_in(Within::Css("header.site"), M::NavAdmin.zh());
    if width == PHONE {
        // Folded on a phone: the menu's links show after one tap.
        let folded = b.js("const d = document.querySelector('details.admin-menu'); \
             return !d.open && getComputedStyle(document.querySelector('nav.admin.wide')).display === 'none'");
        assert_eq!(folded.as_bool(), Some(true), "the admin menu is folded at 390 px");
        b.reveal(M::AdminMenu.zh());
        b.click_in(Within::Css("details.admin-menu nav.admin"), M::ComplaintsTitle.zh());
    } else {
        b.click_in(Within::Css("nav.admin.wide"), M::ComplaintsTitle.zh());
    }
    b.see(M::ComplaintsTitle.zh());

    // Every page the menu lists, then one detail page of each kind.
    let menu = b.js("return [...document.querySelectorAll('nav.admin.wide a')].map(a => a.getAttribute('href'))");
    let mut pages: Vec<String> =
        menu.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
    assert!(pages.len() >= 17, "an admin with every role sees every staff page: {pages:?}");
    for href in [
        format!("/admin/posts/{bad}"),
        format!("/admin/posts/{rumour}"),
        format!("/admin/complaints/{complaint}"),
        "/admin/credit/alice".to_string(),
        format!("/admin/identities/{}", count(&s, "SELECT id FROM users WHERE username = 'alice'")),
        format!("/admin/evidence/{}", count(&s, "SELECT id FROM evidence")),
        format!("/admin/comments/{}", count(&s, "SELECT id FROM comments")),
    ] {
        pages.push(href);
    }
    for href in &pages {
        b.goto(href);
    }
    // The data is there: the pages read as a person reads them.
    b.goto("/admin/review");
    b.see("代购名牌包");
    b.goto("/admin/complaints");
    b.see("「这里有一条违规的内容」");
    b.goto("/admin/appeals");
    b.see("内容并不违规");
    b.goto("/admin/rumours");
    b.see("供水公司已说明");
    b.goto("/admin/evidence");
    b.see("违反平台规则");
    b.goto("/admin/verifications");
    b.see("@bob");

    // The members' side of the same events reads in words too.
    b.click_in(Within::Css("header.site"), M::NavLogout.zh());
    log_in(&mut b, "alice");
    for page in ["/notifications", "/settings/credit", "/settings", "/complaints"] {
        b.goto(page);
    }
    b.goto("/settings/credit");
    b.see("「这里有一条违规的内容」");
    b.see(M::AppealStatusOpen.zh());
    b.click_in(Within::Css("header.site"), M::NavLogout.zh());
    log_in(&mut b, "bob");
    for page in ["/notifications", "/settings/verification", "/complaints"] {
        b.goto(page);
    }
    b.see("「这里有一条违规的内容」");
    b.finish();
}

at_both_widths!();
