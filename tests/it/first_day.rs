//! A newcomer's first day, walked by hand (branch `polish`): what a new
//! operator and a new member saw that was wrong, each pinned here over
//! HTTP. The setup admin on a default site (second factor required, R6.5)
//! lands where the second factor is set up instead of on a 403; staff
//! "done" notices and the identity page speak in words, never in
//! internal tokens; `/settings` lists every settings page; a pending
//! identity says "mobile confirmed" once.

use crate::common::{fresh_identity, setup_admin, with_admin, Server, VERIFY_WEBHOOK_VAR};
use plaza::i18n::M;

// R6.5: the default site requires a second factor of admins, so the setup
// admin's first stop is `/settings/two-factor`, not a dashboard that
// answers 403; a staff page opened before it is on links there.
#[test]
fn setup_admin_is_sent_to_set_up_the_second_factor() {
    let s = Server::start_with(&[], &[("PLAZA_SECOND_FACTOR_FOR_TOP_STAFF", "true")]);
    let admin = s.client();
    let url = s.setup_url.clone().expect("setup url printed");
    let token = url.split("token=").nth(1).unwrap().to_string();
    let p = admin.post(
        "/setup",
        &[("token", &token), ("username", "boss"), ("password", "correct horse"), ("accept_terms", "1")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let to = p.location.clone().unwrap_or_default();
    assert!(to.starts_with("/settings/two-factor"), "the setup admin goes to the second factor first, not {to}");
    let page = admin.get(&to);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has(M::SecondFactorRequiredText.zh()), "{}", page.body);

    let dash = admin.get("/admin");
    assert_eq!(dash.status, 403);
    assert!(dash.has(M::ErrNeedsSecondFactor.zh()), "{}", dash.body);
    assert!(
        dash.has("href=\"/settings/two-factor\"") && dash.has(M::TwoFactorSetUpLink.zh()),
        "the 403 links to the page that lifts it: {}",
        dash.body
    );

    // Once it is on, the page leads on to the dashboard, which opens.
    assert_eq!(admin.post("/settings/two-factor/start", &[]).status, 303);
    let p = admin.get("/settings/two-factor");
    let i = p.body.find("class=\"secret\">").expect("a key on the page") + "class=\"secret\">".len();
    let secret = totp_rs::Secret::Encoded(p.body[i..].split('<').next().unwrap().to_string()).to_bytes().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let on =
        admin.post("/settings/two-factor/enable", &[("code", &plaza::domain::second_factor::code_at(&secret, now))]);
    assert_eq!(on.status, 200, "{}", on.body);
    assert!(on.has("href=\"/admin\"") && on.has(M::SecondFactorOnToAdmin.zh()), "{}", on.body);
    assert_eq!(admin.get("/admin").status, 200);

    // Without the requirement the setup admin still lands on the dashboard.
    let plain = Server::start();
    let a = plain.client();
    let url = plain.setup_url.clone().unwrap();
    let token = url.split("token=").nth(1).unwrap().to_string();
    let p = a.post(
        "/setup",
        &[("token", &token), ("username", "boss"), ("password", "correct horse"), ("accept_terms", "1")],
    );
    assert_eq!(p.location.as_deref(), Some("/admin"));
}

// R12.1, R12.2: after adding a keyword rule, importing rules, removing a
// post or restoring it, the notice says what happened in words, never
// "已保存 (added)" or any other word from the address.
#[test]
fn staff_done_notices_are_words() {
    let (s, admin) = with_admin();
    let member = s.client();
    member.signup("li_na");
    let p = admin.post("/admin/keywords", &[("pattern", "违禁词甲"), ("category", "测试"), ("action", "review")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let page = admin.get(p.location.as_deref().unwrap());
    assert!(page.has(M::DoneRuleAdded.zh()), "{}", page.body);
    assert!(!page.has("(added)"), "no internal token: {}", page.body);

    let p = admin.post("/admin/keywords/import", &[("rules", "违禁词乙\t测试\tblock\n违禁词丙\t测试\tflag\n")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let page = admin.get(p.location.as_deref().unwrap());
    assert!(page.has("已导入 2 条规则") && !page.has("(imported"), "no internal token: {}", page.body);

    let post = member.post_status("一条要删除的微博", "public");
    let p = admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "测试删除"), ("category", "other")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let page = admin.get(p.location.as_deref().unwrap());
    assert!(page.has(M::DoneRemoved.zh()), "{}", page.body);
    assert!(!page.has("(removed)"), "{}", page.body);

    // A made-up token is not echoed back.
    let page = admin.get(&format!("/admin/posts/{post}?done=%E5%81%87%E6%B6%88%E6%81%AF"));
    assert!(page.has(M::Saved.zh()) && !page.has("假消息"), "{}", page.body);
}

// R7.2: the staff identity page says who confirmed and how in words
// ("工作人员人工核验"), not the stored `admin`; a member's pending identity
// says the mobile is confirmed once.
#[test]
fn identity_pages_say_how_in_words_and_once() {
    let s = Server::start_with(&[], &[(VERIFY_WEBHOOK_VAR, "")]);
    let admin = setup_admin(&s);
    let m = s.client();
    m.signup_unverified("qian_li");
    let (id, mobile) = fresh_identity();
    let p = m.post(
        "/settings/identity",
        &[("subject_type", "individual"), ("legal_name", "钱力"), ("number", &id), ("mobile", &mobile)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let confirmed = m.confirm_code("qian_li");
    let page = m.get(confirmed.location.as_deref().unwrap());
    assert!(page.has(M::IdPendingStaff.zh()), "{}", page.body);
    assert_eq!(page.body.matches("手机号已确认").count(), 1, "said once: {}", page.body);

    let uid: i64 = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT id FROM users WHERE username = 'qian_li'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(admin.post(&format!("/admin/identities/{uid}/confirm"), &[]).status, 303);
    let page = admin.get(&format!("/admin/identities/{uid}"));
    assert!(page.has(M::IdViaAdmin.zh()), "{}", page.body);
    assert!(!page.has("（admin）"), "no stored token: {}", page.body);
}

// R6.5: `/settings` lists every settings page, the sessions and the
// second factor included (an admin must find where to switch it on).
#[test]
fn settings_index_lists_sessions_and_second_factor() {
    let s = Server::start();
    let m = s.client();
    m.signup_unverified("li_na");
    let page = m.get("/settings");
    for (href, title) in [("/settings/sessions", M::SessionsTitle), ("/settings/two-factor", M::SecondFactorTitle)] {
        let index = &page.body[page.body.find("settings-index").expect("the index")..];
        assert!(index.contains(&format!("href=\"{href}\"")) && index.contains(title.zh()), "{href}: {}", page.body);
    }
}

// A post's page is headed "li_na 的微博", not the bare name its card
// repeats; labels on a zh-CN page take the full-width colon ("信用分：",
// "状态："), an English page ": " (R15.1 credit page, R12.2 staff page).
#[test]
fn post_heading_and_label_colons() {
    let (s, admin) = with_admin();
    let m = s.client();
    m.signup("li_na");
    let post = m.post_status("第一条", "public");
    let page = m.get(&format!("/posts/{post}"));
    assert!(page.has("<h1>li_na 的微博</h1>"), "{}", page.body);

    assert_eq!(admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "测试"), ("category", "")]).status, 303);
    let credit = m.get("/settings/credit");
    assert!(credit.has("信用分：") && !credit.has("信用分: "), "{}", credit.body);
    let staff = admin.get(&format!("/admin/posts/{post}"));
    assert!(staff.has("状态：") && !staff.has("状态: "), "{}", staff.body);
    let en = m.get("/settings/credit?lang=en");
    assert!(en.has(&format!("{}: ", M::CreditScore.en())), "{}", en.body);
}

// R14.1: a member whose author blocked them (so the post is hidden from
// them) and opens its complaint link is told at once, in words, with the
// form; a send answers 404 with the typed text kept, not a bare "page not
// found"; without a target the complaint goes in.
#[test]
fn complaint_about_an_unseen_post_says_so_and_keeps_the_text() {
    let s = Server::start();
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    let post = alice.post_status("屏蔽之前的微博", "public");
    assert_eq!(alice.post("/@bob/block", &[]).status, 303);

    let form = bob.get(&format!("/complaints/new?target=post:{post}"));
    assert_eq!(form.status, 404);
    assert!(form.has(M::ErrComplaintTargetUnseen.zh()) && form.has("action=\"/complaints\""), "{}", form.body);
    assert!(!form.has("屏蔽之前的微博"), "not confirmed to exist: {}", form.body);

    let target = format!("post:{post}");
    let p = bob.post("/complaints", &[("target", &target), ("category", "harassment"), ("body", "她在骚扰我")]);
    assert_eq!(p.status, 404);
    assert!(p.has(M::ErrComplaintTargetUnseen.zh()) && p.has("她在骚扰我"), "{}", p.body);
    let p = bob.post("/complaints", &[("target", ""), ("category", "harassment"), ("body", "她在骚扰我")]);
    assert_eq!(p.status, 303, "{}", p.body);
}

// R15.1: the notice of a removal names which of one's posts it was (its
// words, no link: the post no longer opens), so the appeal is about
// something the member can recognise.
#[test]
fn removal_notice_names_the_post() {
    let (s, admin) = with_admin();
    let m = s.client();
    m.signup("li_na");
    m.post_status("另一条微博", "public");
    let post = m.post_status("周末去爬山的照片", "public");
    assert_eq!(
        admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "测试删除"), ("category", "")]).status,
        303
    );
    let page = m.get("/notifications");
    let row = &page.body[page.body.find("测试删除").expect("the removal notice")..];
    let row = &row[..row.find("</li>").unwrap_or(row.len())];
    assert!(row.contains("周末去爬山的照片"), "which post: {row}");
    assert!(!row.contains(&format!("href=\"/posts/{post}\"")), "no link to a removed post: {row}");
    // Nobody else's notices gain the words of a removed post.
    assert!(!admin.get("/notifications").has("周末去爬山的照片"));
}

// R15.1: on the member's credit page a removed post is named by its words
// without a link (the link only led to "内容已不存在"); once an appeal
// restores it, the link is back.
#[test]
fn credit_page_names_a_removed_post_without_a_dead_link() {
    let (s, admin) = with_admin();
    let m = s.client();
    m.signup("li_na");
    let post = m.post_status("被删除的那条", "public");
    assert_eq!(admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "测试"), ("category", "")]).status, 303);
    assert_eq!(m.get(&format!("/posts/{post}")).status, 410, "the post no longer opens");
    let credit = m.get("/settings/credit");
    assert!(credit.has("被删除的那条"), "{}", credit.body);
    assert!(!credit.has(&format!("href=\"/posts/{post}\"")), "no dead link: {}", credit.body);

    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let event: i64 = conn.query_row("SELECT id FROM credit_events WHERE source = 'removal'", [], |r| r.get(0)).unwrap();
    let p = m.post("/settings/credit/appeal", &[("event", &event.to_string()), ("body", "没有违规")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let appeal: i64 = conn.query_row("SELECT id FROM appeals", [], |r| r.get(0)).unwrap();
    let p = admin.post(&format!("/admin/appeals/{appeal}"), &[("answer", "恢复"), ("decision", "uphold")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(m.get("/settings/credit").has(&format!("href=\"/posts/{post}\"")), "restored: linked again");
}

// R6.2: the review queue's two reason fields each sit under a heading that
// says which items they are for (the ticked ones, or the whole page).
#[test]
fn review_queue_says_which_items_each_reason_is_for() {
    let (s, admin) = with_admin();
    assert_eq!(
        admin.post("/admin/keywords", &[("pattern", "待审词"), ("category", "测试"), ("action", "review")]).status,
        303
    );
    let m = s.client();
    m.signup("li_na");
    m.post("/posts", &[("body", "一条待审词微博"), ("visibility", "public")]);
    let page = admin.get("/admin/review");
    assert!(page.has("一条待审词微博"), "{}", page.body);
    let chosen = page.body.find(M::ReviewChosenHeading.zh()).expect("a heading for the ticked items");
    let all = page.body.find(&M::ReviewPageHeading.zh().replace("{}", "1")).expect("a heading for the whole page");
    let reasons: Vec<usize> = page.body.match_indices("name=\"reason\"").map(|(i, _)| i).collect();
    assert_eq!(reasons.len(), 2);
    assert!(chosen < reasons[0] && reasons[0] < all && all < reasons[1], "each reason under its heading");
}
