//! Staff flows a small organisation lives with from day one (issue 13):
//! roles shown and revocable in `/admin/users` (R6.5), assignee lists
//! filled (R14.2), the setup account holding every staff role with a
//! first-day checklist, appeals on a one-person staff (R15.1, R6.5), the
//! staff inbox (counts, notifications, dashboard charts, R6.6) and refused
//! staff forms shown again in place with their message. Pages are read as
//! a person reads them: the text of the row, the words next to the form.

use crate::common::gov::*;
use crate::common::{setup_admin, with_admin, Server};

/// The table row of `/admin/users` for `user`, tags stripped to its text.
fn user_row(page: &str, user: &str) -> String {
    let start = page.find(&format!("data-user=\"{user}\"")).unwrap_or_else(|| panic!("no row for {user}:\n{page}"));
    let row = &page[start..];
    let row = &row[..row.find("</tr>").unwrap()];
    text_of(row)
}

/// The visible text of an HTML fragment: tags dropped, entities as sent.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// R6.5: the roles each account holds are named in its row (zh-CN), each
/// held role has a revoke button that works, and the last admin's row
/// says the admin role stays instead of offering a button that fails.
#[test]
fn roles_are_named_in_the_row_and_can_be_taken_back() {
    let (s, admin) = with_admin();
    member(&s, "rita");
    let p =
        admin.post_from("/admin/users?q=rita", "/admin/users/rita/roles", &[("role", "reviewer"), ("action", "grant")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let page = admin.get("/admin/users?lang=zh-CN").body;
    let rita = user_row(&page, "rita");
    assert!(rita.contains("审核员") && rita.contains("撤销审核员"), "{rita}");
    assert!(rita.contains("设为总编辑") && rita.contains("设为管理员"), "{rita}");
    assert!(!rita.contains("撤销管理员"), "{rita}");
    // The setup account holds every role, and as the only admin keeps that one.
    let boss = user_row(&page, "admin");
    for role in ["审核员", "总编辑", "管理员"] {
        assert!(boss.contains(role), "{role} in {boss}");
    }
    assert!(boss.contains("最后一位管理员"), "{boss}");
    assert!(!boss.contains("撤销管理员") && boss.contains("撤销审核员"), "{boss}");

    // Taking the role back from the page.
    let p = admin.post("/admin/users/rita/roles", &[("role", "reviewer"), ("action", "revoke")]);
    assert_eq!(p.status, 303);
    let rita = user_row(&admin.get("/admin/users").body, "rita");
    assert!(rita.contains("普通用户") && !rita.contains("撤销审核员"), "{rita}");
}

/// R14.2: the assignee list names the staff who handle complaints; the
/// assignee is told, and every such staff member hears of a new complaint.
#[test]
fn complaints_can_be_assigned_to_named_staff_who_are_told() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    staff(&s, &admin, "ada", &["admin"]);
    let alice = member(&s, "alice");
    let post = alice.post_status("一条帖子", "public");
    let anon = s.client();
    let p = anon.post(
        "/complaints",
        &[("target", &format!("post:{post}")), ("category", "rumour"), ("body", "谣言"), ("contact", "a@example.com")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(rita.get("/notifications?lang=zh-CN").has("有新的投诉待处理"), "reviewers hear of it");
    assert!(admin.get("/notifications").has("有新的投诉待处理"));
    let id = count(&s, "SELECT id FROM complaints");
    let page = admin.get(&format!("/admin/complaints/{id}")).body;
    let select = &page[page.find("name=\"to\"").expect("an assignee list")..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains(">@rita<") && select.contains(">@admin<"), "{select}");
    assert!(!select.contains("@ada") && !select.contains("@alice"), "only who handles complaints: {select}");
    let p = admin.post(&format!("/admin/complaints/{id}/assign"), &[("to", "rita")]);
    assert_eq!(p.status, 303);
    assert!(rita.get("/notifications").has("一条投诉已分派给你"));
    assert_eq!(count(&s, "SELECT count(*) FROM complaints WHERE assigned_to IS NOT NULL"), 1);
    // The success is said once on the page the form led to.
    assert!(admin.get(&format!("/admin/complaints/{id}")).has("操作已完成。"));
    assert!(!admin.get(&format!("/admin/complaints/{id}")).has("操作已完成。"));
    // Someone who does not handle complaints is refused, said next to the assign form.
    let page = format!("/admin/complaints/{id}");
    let p = admin.post_from(&page, &format!("{page}/assign"), &[("to", "alice")]);
    assert_eq!(p.status, 422);
    let at = p.body.find("只能分派给工作人员").expect("the message");
    assert!(p.body[at..].find(&format!("action=\"{page}/assign\"")).is_some_and(|i| i < 300), "{}", p.body);
    // A resolution without its text: the message next to the resolve form.
    let p = admin.post_from(&page, &format!("{page}/resolve"), &[("decision", "upheld"), ("resolution", "")]);
    assert_eq!(p.status, 422);
    let form = p.body.find(&format!("action=\"{page}/resolve\"")).unwrap();
    assert!(p.body[..form].rfind("class=\"error flash\"").is_some_and(|i| form - i < 300), "{}", p.body);
    assert_eq!(
        count(&s, "SELECT count(*) FROM complaints WHERE status IN ('open', 'in_progress')"),
        1,
        "nothing changed"
    );
}

/// First run: the setup account holds admin, reviewer and chief editor (the
/// page says so), lands on the dashboard, whose checklist ticks itself off
/// from the database and goes away when done.
#[test]
fn setup_gives_every_role_and_a_checklist_until_done() {
    let s = Server::start();
    let url = s.setup_url.clone().unwrap();
    let c = s.client();
    assert!(c.get(&url[s.base.len()..]).has("管理员、审核员和总编辑"));
    let admin = setup_admin(&s);
    let roles: Vec<String> = {
        let conn = db(&s);
        let mut st = conn.prepare("SELECT role FROM user_roles ORDER BY role").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(roles, ["admin", "chief_editor", "reviewer"]);
    let dash = admin.get("/admin");
    let text = text_of(&dash.body);
    assert!(text.contains("开站清单"), "{text}");
    assert!(text.contains("公安备案） (待完成)"), "{text}");
    assert!(text.contains("完成你自己的实名认证 (待完成)"), "{text}");
    assert!(text.contains("登记转发功能的安全评估 (已完成)"), "the harness records one: {text}");
    assert!(text.contains("添加工作人员或导入成员 (待完成)"), "{text}");
    assert!(dash.has("href=\"/admin/settings\"") && dash.has("href=\"/settings/identity\""));

    let site = admin.get("/admin/settings").body;
    let field = |name: &str| {
        let i = site.find(&format!("name=\"{name}\"")).unwrap();
        let v = &site[i..];
        let v = &v[v.find("value=\"").unwrap() + 7..];
        v[..v.find('"').unwrap()].to_string()
    };
    let textarea = |name: &str| {
        let i = site.find(&format!("name=\"{name}\"")).unwrap();
        let v = &site[i..];
        let v = &v[v.find('>').unwrap() + 1..];
        v[..v.find("</textarea>").unwrap()]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let (agreement, rules) = (textarea("agreement_text"), textarea("rules_text"));
    let p = admin.post(
        "/admin/settings",
        &[
            ("site_name", "某某学校微博"),
            ("icp_filing", "京ICP备00000000号"),
            ("psb_filing", "京公网安备00000000000000号"),
            ("news_licence", &field("news_licence")),
            ("footer_note", ""),
            ("agreement_text", &agreement),
            ("rules_text", &rules),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let text = text_of(&admin.get("/admin").body);
    assert!(text.contains("公安备案） (已完成)"), "{text}");
    admin.verify_identity("admin");
    member(&s, "alice");
    assert!(!admin.get("/admin").has("开站清单"), "all done: the list is gone");
}

/// R15.1, R6.5: on a site whose only staff member decided the penalty, the
/// appeals page says before any click that no independent reviewer exists
/// and lets the chief editor decide; the record and the log say so. With a
/// second reviewer, that reviewer must decide and no button is offered.
#[test]
fn a_one_person_staff_decides_appeals_and_it_is_recorded() {
    let (s, admin) = with_admin();
    let alice = member(&s, "alice");
    let post = alice.post_status("我的帖子", "public");
    let p = admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "违规"), ("category", "")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let event = count(&s, "SELECT id FROM credit_events WHERE source = 'removal'");
    let p = alice.post("/settings/credit/appeal", &[("event", &event.to_string()), ("body", "请复核")]);
    assert_eq!(p.status, 303);
    let page = admin.get("/admin/appeals?lang=zh-CN");
    let text = text_of(&page.body);
    assert!(text.contains("本站没有其他可独立复核的审核员"), "{text}");
    assert!(text.contains("维持原决定") || page.has("value=\"reject\""), "{text}");
    // The removed post in words, linked to its staff page, never `post:ID`.
    assert!(text.contains("微博 「我的帖子」") && !text.contains(&format!("post:{post}")), "{text}");
    assert!(page.has(&format!("<a href=\"/admin/posts/{post}\">「我的帖子」</a>")), "{}", page.body);
    let appeal = count(&s, "SELECT id FROM appeals");
    let p = admin.post(&format!("/admin/appeals/{appeal}"), &[("decision", "uphold"), ("answer", "复核后恢复")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(status(&s, post), "published");
    assert_eq!(count(&s, "SELECT no_independent_reviewer FROM appeals"), 1);
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'credit.appeal_decide' AND outcome = 'upheld, no independent reviewer'"),
        1
    );

    // With a second reviewer, the one who decided the penalty is not offered the decision.
    staff(&s, &admin, "rita", &["reviewer"]);
    let post = alice.post_status("第二条", "public");
    admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "违规"), ("category", "")]);
    let event = count(&s, "SELECT max(id) FROM credit_events WHERE source = 'removal'");
    alice.post("/settings/credit/appeal", &[("event", &event.to_string()), ("body", "再请复核")]);
    let page = admin.get("/admin/appeals");
    let text = text_of(&page.body);
    assert!(text.contains("须由其他审核员处理：@rita"), "{text}");
    assert!(!page.has("name=\"decision\""), "no button that can only fail");
    let appeal = count(&s, "SELECT max(id) FROM appeals");
    let p = admin.post_from(
        "/admin/appeals",
        &format!("/admin/appeals/{appeal}"),
        &[("decision", "reject"), ("answer", "x")],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.has("申诉须由作出原决定以外的审核员处理") && p.has("class=\"admin\""),
        "shown on the appeals page: {}",
        p.body
    );
}

/// Issue 13: the admin navigation counts waiting work; the dashboard shows
/// it with charts drawn as SVG bars with titles in words.
#[test]
fn the_staff_inbox_counts_and_the_dashboard_charts() {
    let (s, admin) = with_admin();
    let alice = member(&s, "alice");
    let post = alice.post_status("今天的帖子", "public");
    alice.post(&format!("/posts/{post}/comments"), &[("body", "一条评论")]);
    s.client().post(
        "/complaints",
        &[("target", &format!("post:{post}")), ("category", "rumour"), ("body", "谣言"), ("contact", "a@example.com")],
    );
    add_rule(&admin, "待审词", "", "review");
    alice.post("/posts", &[("body", "含待审词的帖子"), ("visibility", "public")]);
    let dash = admin.get("/admin?lang=zh-CN");
    assert_eq!(dash.status, 200);
    let nav = &dash.body[dash.body.find("<nav class=\"admin\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("title=\"待审内容 1 条\""), "held count in the nav: {nav}");
    assert!(text_of(nav).contains("审核队列 1"), "{}", text_of(nav));
    let text = text_of(&dash.body);
    assert!(text.contains("待审内容 1 条") && text.contains("待处理申诉 0 条"), "{text}");
    assert!(text.contains("近 30 天概况") && text.contains("每日发帖"), "{text}");
    assert!(text.contains("成员共 2 人"), "{text}");
    assert!(dash.body.matches("<svg").count() >= 7, "one chart each");
    assert!(dash.has("<rect class=\"bar\""), "bars");
    // Today's posts: two (one held), in the last bar's title.
    let posts = &dash.body[dash.body.find("chart posts").unwrap()..];
    let posts = &posts[..posts.find("</figure>").unwrap()];
    assert!(posts.contains("合计 2"), "{posts}");
}

/// Issue 13: a refused staff form shows its page again with the message
/// next to the form and a 4xx status, changing nothing; a success redirects
/// and the next page says it was done, once.
#[test]
fn refused_staff_forms_show_their_page_again_with_the_message() {
    let (s, admin) = with_admin();
    let alice = member(&s, "alice");
    add_rule(&admin, "待审词", "", "review");
    alice.post("/posts", &[("body", "含待审词"), ("visibility", "public")]);
    let p = admin.post_from("/admin/review", "/admin/review", &[("decision", "approve")]);
    assert_eq!(p.status, 422);
    let text = text_of(&p.body);
    assert!(text.contains("请先选择要处理的内容"), "{text}");
    // Next to the queue's form, not only at the top of the page.
    let at = p.body.find("请先选择要处理的内容").unwrap();
    assert!(p.body[at..].find("action=\"/admin/review\"").is_some_and(|i| i < 400), "{}", p.body);
    assert!(p.has("action=\"/admin/review\""), "the queue itself, not an error page");
    assert_eq!(open_items(&s, "hold").len(), 1, "nothing changed");
    // Without a Referer: the nearest staff page up the form's path.
    let p = admin.post("/admin/review", &[("decision", "approve")]);
    assert_eq!(p.status, 422);
    assert!(p.has("action=\"/admin/review\"") && p.has("请先选择要处理的内容"), "{}", p.body);
    let p = admin.post("/admin/appeals/999", &[("decision", "maybe"), ("answer", "x")]);
    assert_eq!(p.status, 400);
    assert!(p.has("decision: uphold or reject") && p.has("class=\"admin\""), "the appeals page: {}", p.body);
    // Stopping all publishing is asked twice.
    let p = admin.post("/admin/emergency", &[("stop_publishing", "1"), ("banner", "")]);
    assert_eq!(p.status, 200);
    assert!(p.has("确认停止所有发布"));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action LIKE 'emergency.%' AND target LIKE '%stop_publishing%'"
        ),
        0
    );
    let p = admin.post("/admin/emergency", &[("stop_publishing", "1"), ("banner", ""), ("confirm", "1")]);
    assert_eq!(p.status, 303);
    assert!(admin.get("/admin/emergency").has("checked"));
}

/// R6.5, R12.2: reversing a removal is another chief editor's decision;
/// with none, the one who removed it may, the page says so before the
/// click and the log records it. Never a button that can only fail.
#[test]
fn reversals_need_another_chief_editor_unless_there_is_none() {
    let (s, admin) = with_admin();
    let alice = member(&s, "alice");
    let post = alice.post_status("被误删的帖子", "public");
    assert_eq!(admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "违规"), ("category", "")]).status, 303);
    let page = admin.get(&format!("/admin/posts/{post}?lang=zh-CN"));
    assert!(text_of(&page.body).contains("本站没有其他总编辑"), "{}", page.body);
    assert!(page.has(&format!("action=\"/admin/posts/{post}/restore\"")));
    assert_eq!(admin.post(&format!("/admin/posts/{post}/restore"), &[("reason", "误删")]).status, 303);
    assert_eq!(status(&s, post), "published");
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'post.restore' AND outcome = 'ok: 误删, no independent reviewer'"),
        1
    );
    // The post's staff page keeps it on record.
    let text = text_of(&admin.get(&format!("/admin/posts/{post}")).body);
    assert!(text.contains("撤销删除记录") && text.contains("@admin · 误删 · 无独立复核人"), "{text}");

    // With a second chief editor, that one reverses.
    let chen = staff(&s, &admin, "chen", &["chief_editor"]);
    assert_eq!(admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", "违规"), ("category", "")]).status, 303);
    let page = admin.get(&format!("/admin/posts/{post}"));
    assert!(text_of(&page.body).contains("须由其他总编辑撤销删除：@chen"), "{}", page.body);
    assert!(!page.has(&format!("action=\"/admin/posts/{post}/restore\"")), "no button that can only fail");
    assert_eq!(admin.post(&format!("/admin/posts/{post}/restore"), &[]).status, 422);
    assert_eq!(status(&s, post), "removed");
    assert!(chen.get(&format!("/admin/posts/{post}")).has(&format!("action=\"/admin/posts/{post}/restore\"")));
    assert_eq!(chen.post(&format!("/admin/posts/{post}/restore"), &[("reason", "复核")]).status, 303);
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'post.restore' AND outcome = 'ok: 复核'"),
        1
    );
}

/// Issue 13 (R7.2, R10.1): without a verification webhook, an identity
/// waiting for staff and a badge application each notify the staff who
/// handle them and are counted in the admin navigation.
#[test]
fn identities_and_badge_applications_reach_the_staff_who_handle_them() {
    let s = Server::start_with(&[], &[(crate::common::VERIFY_WEBHOOK_VAR, "")]);
    let admin = setup_admin(&s);
    let (id, mobile) = crate::common::fresh_identity();
    admin.bind_identity("admin", "individual", "王管理", &id, &mobile);
    let me = count(&s, "SELECT id FROM users WHERE username = 'admin'");
    assert_eq!(admin.post(&format!("/admin/identities/{me}/confirm"), &[]).status, 303);
    // Staff without a bound identity of their own: the roles are what counts here.
    let with_role = |name: &str, role: &str| {
        let c = s.client();
        c.signup_unverified(name);
        let p = admin.post(&format!("/admin/users/{name}/roles"), &[("role", role), ("action", "grant")]);
        assert_eq!(p.status, 303);
        c
    };
    let rita = with_role("rita", "reviewer");
    with_role("chen", "chief_editor");

    let zhang = s.client();
    zhang.signup_unverified("zhang");
    let (id, mobile) = crate::common::fresh_identity();
    zhang.bind_identity("zhang", "individual", "张三", &id, &mobile);
    for c in [&admin, &rita] {
        assert!(c.get("/notifications?lang=zh-CN").has("有实名信息等待确认"));
    }
    let chen_notes =
        count(&s, "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'chen'");
    assert_eq!(chen_notes, 0, "chief editors do not confirm identities");
    let nav = admin.get("/admin/identities");
    assert!(nav.has("title=\"待确认实名 1 个\""), "{}", nav.body);
    let zid = count(&s, "SELECT id FROM users WHERE username = 'zhang'");
    assert_eq!(rita.post(&format!("/admin/identities/{zid}/confirm"), &[]).status, 303);
    assert!(!admin.get("/admin/identities").has("title=\"待确认实名"), "nothing waits");

    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let p = zhang.post_multipart(
        "/settings/verification",
        &[("subject_type", "individual"), ("certified_name", "张三")],
        &[("proof", "scan.pdf", pdf)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(rita.get("/notifications").has("有新的认证申请待审核"));
    assert!(admin.get("/admin").has("title=\"待审认证申请 1 个\""));
}

/// Issue 13 (R7.2): when the verification webhook cannot be reached, the
/// identity is left for staff, and the staff who confirm identities are
/// told so.
#[test]
fn an_identity_the_webhook_could_not_check_is_announced_to_staff() {
    let s = Server::start_with(&[], &[(crate::common::VERIFY_WEBHOOK_VAR, "http://127.0.0.1:9/verify")]);
    let admin = setup_admin(&s);
    let rita = s.client();
    rita.signup_unverified("rita");
    assert_eq!(admin.post("/admin/users/rita/roles", &[("role", "reviewer"), ("action", "grant")]).status, 303);
    let zhang = s.client();
    zhang.signup_unverified("zhang");
    let (id, mobile) = crate::common::fresh_identity();
    zhang.bind_identity("zhang", "individual", "张三", &id, &mobile);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !rita.get("/notifications?lang=zh-CN").has("有实名信息等待确认") {
        assert!(std::time::Instant::now() < deadline, "rita was never told");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'identity.verify' AND outcome = 'webhook failed: left for staff'"),
        1
    );
}
