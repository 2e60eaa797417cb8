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
