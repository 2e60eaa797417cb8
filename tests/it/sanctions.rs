//! Staff sanctions (issue 18): 禁言 stops publishing, 封禁 stops login and
//! hides the account's content everywhere (reposts by others included)
//! until it ends, which needs no job; a reason and a future end date are
//! required; the member is told; the staff account page and the log show it.

use crate::common::gov::{count, db, staff};
use crate::common::with_admin;

#[test]
fn mute_and_suspension_take_effect_show_and_expire_on_their_own() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let mallory = s.client();
    mallory.signup("mallory");
    let carol = s.client();
    carol.signup("carol");
    let m1 = mallory.post_status("马洛里的帖子 #suspendtest", "public");
    assert_eq!(carol.post(&format!("/posts/{m1}/repost"), &[("body", "卡萝尔转发")]).status, 303);
    let form = "/admin/credit/mallory/sanction";

    // Bad input: refused next to the form, nothing written.
    for (fields, why) in [
        (vec![("kind", "mute"), ("until", "2099-01-01"), ("reason", " ")], "no reason"),
        (vec![("kind", "mute"), ("until", "2020-01-01"), ("reason", "刷屏")], "past end"),
        (vec![("kind", "mute"), ("until", "明天"), ("reason", "刷屏")], "not a date"),
        (vec![("kind", "ban"), ("until", "2099-01-01"), ("reason", "刷屏")], "unknown kind"),
    ] {
        let p = rita.post(form, &fields);
        assert_eq!(p.status, 422, "{why}: {}", p.body);
    }
    assert_eq!(
        rita.post("/admin/credit/rita/sanction", &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "x")]).status,
        422
    );
    assert_eq!(
        rita.post("/admin/credit/nobody/sanction", &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "x")])
            .status,
        404
    );
    assert_eq!(mallory.post(form, &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "x")]).status, 403);
    assert_eq!(count(&s, "SELECT count(*) FROM sanctions"), 0);
    let p = rita.post(form, &[("kind", "mute"), ("until", "2020-01-01"), ("reason", "刷屏")]);
    assert!(p.has("The end date must be in the future"), "{}", p.body);

    // 禁言: no publishing, reading and existing posts unaffected; told; shown; logged.
    assert_eq!(rita.post(form, &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "连续刷屏")]).status, 303);
    let refused = mallory.post("/posts", &[("body", "禁言期间的帖子"), ("visibility", "public")]);
    assert_eq!(refused.status, 403);
    assert!(refused.has("你的账号已被禁言至") && refused.has("连续刷屏"), "{}", refused.body);
    assert_eq!(mallory.post(&format!("/posts/{m1}/comments"), &[("body", "评论")]).status, 403);
    assert_eq!(count(&s, "SELECT count(*) FROM posts WHERE body = '禁言期间的帖子'"), 0);
    assert_eq!(s.client().get(&format!("/posts/{m1}")).status, 200);
    let n = mallory.get("/notifications");
    assert!(n.has("你的账号被工作人员禁言") && n.has("连续刷屏"), "{}", n.body);
    let page = rita.get("/admin/credit/mallory");
    assert!(page.has("连续刷屏") && page.has("in force"), "{}", page.body);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'account.mute'"), 1);
    // Lifted early: publishing works again.
    let id: i64 = db(&s).query_row("SELECT id FROM sanctions", [], |r| r.get(0)).unwrap();
    assert_eq!(rita.post(&format!("/admin/sanctions/{id}/lift"), &[]).status, 303);
    assert_eq!(rita.post(&format!("/admin/sanctions/{id}/lift"), &[]).status, 422, "not in force any more");
    assert_eq!(mallory.post("/posts", &[("body", "解除后的帖子"), ("visibility", "public")]).status, 303);
    assert!(rita.get("/admin/credit/mallory").has("lifted early"));

    // 封禁: signed out, no login, content hidden everywhere, reposts included.
    assert_eq!(
        rita.post(form, &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "传播违法信息")]).status,
        303
    );
    assert_eq!(mallory.get("/notifications").status, 303, "the session ended");
    let login = mallory.login("mallory");
    assert_eq!(login.status, 403);
    assert!(login.has("此账号已被封禁至") && login.has("传播违法信息"), "{}", login.body);
    let anon = s.client();
    let hidden = |c: &crate::common::Client| {
        for path in ["/public", "/tags/suspendtest", "/@mallory", "/@carol"] {
            let p = c.get(path);
            assert_eq!(p.status, 200, "{path}");
            assert!(!p.has("马洛里的帖子"), "{path}");
        }
        assert_eq!(c.get(&format!("/posts/{m1}")).status, 404);
    };
    hidden(&anon);
    assert!(anon.get("/@mallory").has("此账号因违反平台规则已被封禁"));
    hidden(&carol);
    assert!(carol.get("/@carol").has("卡萝尔转发"), "the repost stays, without the original");
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'account.suspend'"), 1);
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'user.login_failed' AND outcome = 'suspended'"),
        1
    );

    // The end date passes (moved into the past here): everything is back, no job needed.
    db(&s).execute("UPDATE sanctions SET ends_at = unixepoch() - 1 WHERE kind = 'suspend'", []).unwrap();
    assert_eq!(anon.get(&format!("/posts/{m1}")).status, 200);
    assert!(anon.get("/public").has("马洛里的帖子"));
    assert_eq!(mallory.login("mallory").status, 303);
    assert!(rita.get("/admin/credit/mallory").has("ended"));
}

/// Issue 15's staff rank applies to sanctions too (R6.5): a reviewer
/// cannot mute an admin; the refusal says so and nothing is written.
#[test]
fn a_reviewer_cannot_sanction_an_admin() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let p = rita.post("/admin/credit/admin/sanction", &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "刷屏")]);
    assert_eq!(p.status, 403, "{}", p.body);
    assert_eq!(count(&s, "SELECT count(*) FROM sanctions"), 0);
}

/// Issue 18: a suspension is an evidence record (R12.2); the member, who
/// cannot log in, appeals it once from the login page through the appeals
/// flow (R15.1), decided by a reviewer other than the one who suspended
/// (R6.5); upheld, it is lifted and everything is back.
#[test]
fn a_suspension_is_evidence_and_is_appealed_from_the_login_page() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let vic = staff(&s, &admin, "vic", &["reviewer"]);
    let mallory = s.client();
    mallory.signup("mallory");
    let m1 = mallory.post_status("马洛里申诉前的帖子", "public");
    let form = "/admin/credit/mallory/sanction";
    // Refused: nothing stored, no evidence, no credit event.
    assert_eq!(rita.post(form, &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "")]).status, 422);
    assert_eq!(rita.post(form, &[("kind", "suspend"), ("until", "2001-01-01"), ("reason", "x")]).status, 422);
    assert_eq!(count(&s, "SELECT count(*) FROM evidence WHERE kind = 'sanction'"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM credit_events WHERE ref LIKE 'sanction:%'"), 0);
    // Found in people search and the directory until suspended, then not:
    // its profile answers as a missing one.
    let people = |c: &crate::common::Client| {
        (c.get("/search?q=mallory&type=accounts").has("href=\"/@mallory\""), c.get("/people").has("href=\"/@mallory\""))
    };
    assert_eq!(people(&vic), (true, true));

    assert_eq!(rita.post(form, &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "冒充他人")]).status, 303);
    assert_eq!(people(&vic), (false, false), "a suspended account is not listed");
    // R12.2: the evidence record names the account, the decider and the reason.
    let (author, decider, category, reason): (String, String, String, String) = db(&s)
        .query_row(
            "SELECT author_username, decider_username, category, reason FROM evidence WHERE kind = 'sanction'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (author.as_str(), decider.as_str(), category.as_str(), reason.as_str()),
        ("mallory", "rita", "suspend", "冒充他人")
    );
    let ev = admin.get("/admin/evidence?lang=zh");
    assert!(ev.has("禁言或封禁账号") && ev.has("冒充他人") && ev.has("href=\"/admin/credit/mallory\""), "{}", ev.body);
    let record = count(&s, "SELECT id FROM evidence WHERE kind = 'sanction'");
    let page = admin.get(&format!("/admin/evidence/{record}"));
    assert!(page.has("<td>封禁</td>") && !page.has(">suspend<"), "{}", page.body);
    assert_eq!(anon_status(&s, m1), 404);

    // The login page refuses and offers the appeal.
    let login = mallory.login("mallory");
    assert_eq!(login.status, 403);
    assert!(login.has("action=\"/login/appeal\"") && login.has("申诉封禁"), "{}", login.body);
    let appeal = |password: &str, body: &str| {
        mallory.post("/login/appeal", &[("username", "mallory"), ("password", password), ("body", body)])
    };
    assert_eq!(appeal("wrong horse", "不是我").status, 401);
    assert_eq!(appeal("correct horse", "  ").status, 422);
    assert_eq!(count(&s, "SELECT count(*) FROM appeals"), 0);
    let filed = appeal("correct horse", "账号是我本人在用");
    assert_eq!(filed.status, 200, "{}", filed.body);
    assert!(filed.has("申诉") && !filed.has("action=\"/login/appeal\""), "{}", filed.body);
    assert_eq!(appeal("correct horse", "再申诉一次").status, 422, "one appeal per sanction");
    assert_eq!(count(&s, "SELECT count(*) FROM appeals"), 1);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'credit.appeal'
               AND account_id = (SELECT id FROM users WHERE username = 'mallory')"
        ),
        1
    );
    // Not suspended: nothing to appeal.
    let carol = s.client();
    carol.signup("carol");
    let p = s.client().post("/login/appeal", &[("username", "carol"), ("password", "correct horse"), ("body", "x")]);
    assert_eq!(p.status, 422, "{}", p.body);

    // The reviewer who suspended cannot decide it; another one upholds it.
    let id = count(&s, "SELECT id FROM appeals");
    let queue = vic.get("/admin/appeals?lang=zh");
    assert!(
        queue.has("账号是我本人在用") && queue.has("禁言或封禁（不扣分") && !queue.has("sanction:"),
        "{}",
        queue.body
    );
    assert_eq!(rita.post(&format!("/admin/appeals/{id}"), &[("decision", "uphold"), ("answer", "核实")]).status, 422);
    assert_eq!(
        vic.post(&format!("/admin/appeals/{id}"), &[("decision", "uphold"), ("answer", "经核实为本人")]).status,
        303
    );
    assert_eq!(count(&s, "SELECT count(*) FROM sanctions WHERE lifted_at IS NOT NULL"), 1);
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'account.lift' AND outcome = 'ok: appeal upheld'"),
        1
    );
    assert_eq!(anon_status(&s, m1), 200, "the content is back");
    assert_eq!(mallory.login("mallory").status, 303);
    assert!(mallory.get("/notifications").has("经核实为本人"));
    assert!(rita.get("/admin/credit/mallory").has("lifted early"));
}

fn anon_status(s: &crate::common::Server, post: i64) -> u16 {
    s.client().get(&format!("/posts/{post}")).status
}

/// Issue 18: a sanction that runs out gets one log entry from the upkeep
/// task; a tier rule can hold the posts of accounts muted within N days (R9.1).
#[test]
fn expiry_is_logged_once_and_tier_rules_match_recently_muted_accounts() {
    let (s, admin) = with_admin();
    let mallory = s.client();
    mallory.signup("mallory");
    let carol = s.client();
    carol.signup("carol");
    let form = "/admin/credit/mallory/sanction";
    assert_eq!(admin.post(form, &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "刷屏")]).status, 303);
    // A muted member can log in, and appeals from the credit page like any penalty.
    let credit = mallory.get("/settings/credit");
    assert!(credit.has("禁言或封禁（不扣分") && credit.has("action=\"/settings/credit/appeal\""), "{}", credit.body);
    let event = count(&s, "SELECT id FROM credit_events WHERE ref LIKE 'sanction:%'");
    let appeal = mallory.post("/settings/credit/appeal", &[("event", &event.to_string()), ("body", "我没有刷屏")]);
    assert_eq!(appeal.status, 303, "{}", appeal.body);
    assert_eq!(count(&s, "SELECT count(*) FROM appeals"), 1);
    // A rule before the defaults: posts of accounts muted now or within 30 days are held.
    let p = admin.post(
        "/admin/tiers",
        &[
            ("position", "1"),
            ("muted_within_days", "30"),
            ("pre_review", "1"),
            ("media_allowed", "1"),
            ("reposts_allowed", "1"),
            ("comments_allowed", "1"),
            ("note", "禁言结束 30 天内先审后发"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(admin.post("/admin/tiers", &[("muted_within_days", "-1")]).status, 422);
    assert!(admin.get("/admin/tiers").has("禁言中或结束 30 天内"));
    // The mute ran out a day ago.
    db(&s).execute("UPDATE sanctions SET ends_at = unixepoch() - 86400", []).unwrap();
    let held = mallory.post_status("禁言刚结束的帖子", "public");
    assert_eq!(crate::common::gov::status(&s, held), "pending", "muted within 30 days");
    assert_eq!(crate::common::gov::status(&s, carol.post_status("普通帖子", "public")), "published");
    // 31 days ago: the rule no longer applies.
    db(&s).execute("UPDATE sanctions SET ends_at = unixepoch() - 31 * 86400", []).unwrap();
    assert_eq!(crate::common::gov::status(&s, mallory.post_status("一个月后的帖子", "public")), "published");

    // The upkeep task (at start-up, then daily) logs the end once.
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'account.sanction_end'"), 0);
    let s = crate::common::Server::start_in(s.stop(), &[], &[]);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'account.sanction_end'"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM sanctions WHERE expiry_logged_at IS NOT NULL"), 1);
    let s = crate::common::Server::start_in(s.stop(), &[], &[]);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'account.sanction_end'"), 1);
}
