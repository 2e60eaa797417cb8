//! Real-name identity (R7.1-R7.5): the publish gate, the binding form and
//! its rules in words, one-time codes (throttle, tries, expiry), staff
//! confirmation without a webhook, the webhook's refusal, uniqueness,
//! periodic re-verification with a shifted clock, the reviewer's override
//! for early credit codes, masking, the reveal log, a planted ID number
//! found nowhere in clear, and staff who may not decide on their own identity.

use crate::common::{
    code_for, fresh_identity, setup_admin, verify_webhook, webhook_bodies, with_admin, with_id_check, Client, Server,
    VERIFY_WEBHOOK_VAR,
};

const DAY: i64 = 86_400;

fn count(s: &Server, sql: &str) -> i64 {
    rusqlite::Connection::open(s.db_path()).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A server whose identities are confirmed by an admin (no webhook).
fn manual() -> Server {
    Server::start_with(&[], &[(VERIFY_WEBHOOK_VAR, "")])
}

fn bind(c: &Client, subject: &str, name: &str, number: &str, mobile: &str) -> crate::common::Page {
    c.post(
        "/settings/identity",
        &[("subject_type", subject), ("legal_name", name), ("number", number), ("mobile", mobile)],
    )
}

// R7.1: reading, following and liking work without an identity; posting,
// commenting and reposting answer a clear message linking to the identity page.
#[test]
fn publishing_needs_a_verified_identity() {
    let s = Server::start();
    let author = s.client();
    author.signup("author");
    let post = author.post_status("有实名的微博", "public");
    let m = s.client();
    m.signup_unverified("newcomer");
    assert_eq!(m.get("/").status, 200);
    assert_eq!(m.get("/public").status, 200);
    // Told before typing: the post page offers the identity page, not a comment box (issue 13).
    let page = m.get(&format!("/posts/{post}"));
    assert_eq!(page.status, 200);
    assert!(page.has("identity-notice") && !page.has("name=\"body\""), "{}", page.body);
    assert_eq!(m.post("/@author/follow", &[]).status, 303);
    assert_eq!(m.post(&format!("/posts/{post}/like"), &[]).status, 303);
    for (path, fields) in [
        ("/posts".to_string(), vec![("body", "想发微博"), ("visibility", "public")]),
        (format!("/posts/{post}/comments"), vec![("body", "想评论")]),
        (format!("/posts/{post}/repost"), vec![("body", "想转发")]),
    ] {
        let p = m.post(&path, &fields);
        assert_eq!(p.status, 403, "{path}");
        assert!(p.has("href=\"/settings/identity\"") && p.has("实名"), "{path}: {}", p.body);
        // What was typed is on the page to copy, never lost (issue 13).
        assert!(p.has(&format!(">{}</textarea>", fields[0].1)), "{path} keeps the text: {}", p.body);
    }
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM comments"), 0);
    // Not an access.denied: nothing was forbidden by role.
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'access.denied'"), 0);
    m.verify_identity("newcomer");
    m.post_status("现在可以了", "public");
    assert_eq!(m.post(&format!("/posts/{post}/comments"), &[("body", "评论")]).status, 303);
}

// R7.2: each rule in words; the number and mobile are never echoed back.
#[test]
fn binding_rules_are_explained() {
    let s = Server::start();
    let m = s.client();
    m.signup_unverified("typist");
    let (id, mobile) = fresh_identity();
    let bad_check = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    let cases = [
        ("individual", "张三", bad_check.as_str(), mobile.as_str(), "校验位不符"),
        ("individual", "张三", "110101209912311237", mobile.as_str(), "出生日期晚于今天"),
        ("individual", "张三", "990101199001011230", mobile.as_str(), "地区代码无效"),
        ("individual", "张三", id.as_str(), "12345678901", "13-19"),
        ("individual", "张三", id.as_str(), "+1 138 0013 8000", "+86"),
        ("individual", "张", id.as_str(), mobile.as_str(), "2-100"),
        ("individual", "张三", "91440305GG0UEQ5K5C", mobile.as_str(), "不允许的字符"),
        ("individual", "张三", "4201111963071540481", mobile.as_str(), "位数不对"),
        ("robot", "张三", id.as_str(), mobile.as_str(), "主体类型"),
    ];
    for (subject, name, number, mob, want) in cases {
        let p = bind(&m, subject, name, number, mob);
        assert_eq!(p.status, 422, "{number} {mob}");
        assert!(p.has(want), "{number} {mob}: want {want}: {}", p.body);
        assert!(!p.has(&id) && !p.has(number), "number echoed back: {number}");
        assert!(!p.has(&mobile), "mobile echoed back");
    }
    // In English too.
    m.get("/?lang=en");
    let p = bind(&m, "individual", "张三", &bad_check, &mobile);
    assert!(p.has("the check character does not match"), "{}", p.body);
    assert_eq!(count(&s, "SELECT count(*) FROM identities"), 0, "nothing stored for a refused form");
}

// R7.1: 6 digits, 10-minute expiry, 5 tries, resend throttled.
#[test]
fn one_time_codes_expire_run_out_and_are_throttled() {
    let s = Server::start();
    let m = s.client();
    m.signup_unverified("coder");
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&m, "individual", "张三", &id, &mobile).status, 303);
    let code = code_for(s.data.path(), "coder").unwrap();
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
    let outbox = std::fs::read_to_string(s.data.path().join("outbox/sms.log")).unwrap();
    assert!(!outbox.contains(&mobile) && outbox.contains(&format!("{}****{}", &mobile[..3], &mobile[7..])));
    // Resend at once: throttled.
    let p = m.post("/settings/identity/send", &[]);
    assert_eq!(p.status, 429, "{}", p.body);
    assert!(p.has("秒后再试"), "{}", p.body);
    // Five wrong tries kill the code, even the right one after.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let p = m.post("/settings/identity/confirm", &[("code", wrong)]);
        assert_eq!(p.status, 422);
        if left > 0 {
            assert!(p.has(&format!("还可以再试 {left} 次")), "{}", p.body);
        }
    }
    let p = m.post("/settings/identity/confirm", &[("code", &code)]);
    assert_eq!(p.status, 422);
    assert!(p.has("已失效"), "{}", p.body);
    // Two minutes later a new code may go out; eleven minutes after that it has expired.
    let data = s.stop();
    let s = Server::start_in(data, &[], &[("PLAZA_CLOCK_OFFSET_SECONDS", "120")]);
    let m = s.client();
    m.login("coder");
    assert_eq!(m.post("/settings/identity/send", &[]).status, 303);
    let code2 = code_for(s.data.path(), "coder").unwrap();
    let data = s.stop();
    let s = Server::start_in(data, &[], &[("PLAZA_CLOCK_OFFSET_SECONDS", &(120 + 11 * 60).to_string())]);
    let m = s.client();
    m.login("coder");
    let p = m.post("/settings/identity/confirm", &[("code", &code2)]);
    assert_eq!(p.status, 422);
    assert!(p.has("已过期"), "{}", p.body);
    // A fresh code in time works.
    assert_eq!(m.post("/settings/identity/send", &[]).status, 303);
    m.confirm_code("coder");
    m.wait_verified();
    // Five sends a day at most, per account and per number.
    assert_eq!(count(&s, "SELECT count(*) FROM sms_sends"), 3);
    let log: Vec<String> = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .prepare("SELECT outcome FROM activity_log WHERE action = 'identity.code_send'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(log, ["ok", "throttled", "ok", "ok"]);
}

// R7.2, R7.4: the reviewer's check is not blind: one button shows the
// pending record's legal name and number in full, side by side, with the
// confirm form; the look is a recorded reveal (history and log, no value in
// the log, R7.5), and /admin/logs names the account in words (issue 13).
#[test]
fn reviewer_sees_name_and_number_in_full_before_confirming() {
    let s = manual();
    let admin = setup_admin(&s);
    let m = s.client();
    m.signup_unverified("qian_li");
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&m, "individual", "钱力", &id, &mobile).status, 303);
    m.confirm_code("qian_li");
    let uid = count(&s, "SELECT id FROM users WHERE username = 'qian_li'");
    let page = admin.get(&format!("/admin/identities/{uid}"));
    assert!(!page.has(&id) && !page.has("钱力"), "masked until the check: {}", page.body);
    assert!(page.has(&format!("/admin/identities/{uid}/check")) && page.has("显示完整信息并核对"), "{}", page.body);
    assert_eq!(m.post(&format!("/admin/identities/{uid}/check"), &[]).status, 403, "members may not look");

    let check = admin.post(&format!("/admin/identities/{uid}/check"), &[]);
    assert_eq!(check.status, 200, "{}", check.body);
    assert_eq!(check.header("cache-control"), Some("no-store"));
    let section = &check.body[check.body.find("id=\"check\"").expect("the check section")..];
    let (name_at, number_at) = (section.find("钱力").expect("the name"), section.find(&id).expect("the number"));
    assert!(number_at > name_at, "side by side, name first");
    assert!(section.find(&format!("/admin/identities/{uid}/confirm")).is_some(), "confirm from the check");
    assert!(!check.has(&mobile), "the mobile is not part of the check");
    assert_eq!(
        count(
            &s,
            &format!(
                "SELECT count(*) FROM identity_reveals WHERE user_id = {uid} AND reason = 'check before confirming'"
            )
        ),
        2
    );
    let logged: String = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT outcome FROM activity_log WHERE action = 'identity.reveal'", [], |r| r.get(0))
        .unwrap();
    assert!(logged.contains("legal_name, number") && !logged.contains(&id) && !logged.contains("钱力"), "{logged}");
    let history = admin.get(&format!("/admin/identities/{uid}"));
    assert!(history.has("确认前核对"), "the reveal history says why: {}", history.body);
    let log = admin.get("/admin/logs?action=identity.reveal");
    assert!(log.has("@qian_li") && !log.has(&format!("user:{uid}")), "{}", log.body);

    // A reviewer (not only an admin) may check: the role that confirms sees what it confirms.
    let rita = s.client();
    rita.signup_unverified("rita");
    let p = admin.post("/admin/users/rita/roles", &[("role", "reviewer"), ("action", "grant")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let by_reviewer = rita.post(&format!("/admin/identities/{uid}/check"), &[]);
    assert!(by_reviewer.status == 200 && by_reviewer.has(&id), "{}", by_reviewer.body);

    assert_eq!(admin.post(&format!("/admin/identities/{uid}/confirm"), &[]).status, 303);
    assert_eq!(admin.post(&format!("/admin/identities/{uid}/check"), &[]).status, 409, "no longer pending");
}

// The outbox shows each message's time in the site's zone (Asia/Shanghai,
// UTC+8), like every other page, not the file's raw UTC (issue 13).
#[test]
fn outbox_shows_local_times() {
    let s = manual();
    let admin = setup_admin(&s);
    let m = s.client();
    m.signup_unverified("sun_li");
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&m, "individual", "孙丽", &id, &mobile).status, 303);
    let line = std::fs::read_to_string(s.data.path().join("outbox/sms.log")).unwrap();
    let utc = line.lines().last().unwrap().split('\t').next().unwrap().to_string();
    let at = time::OffsetDateTime::parse(&utc, &time::format_description::well_known::Rfc3339).unwrap();
    let local = at.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap());
    let shown = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    );
    let page = admin.get("/admin/outbox");
    assert_eq!(page.status, 200);
    assert!(page.has(&format!("<td>{shown}</td>")), "local time {shown}: {}", page.body);
    assert!(!page.has(&utc), "no raw UTC {utc}");
}

// R7.2: without a webhook an admin confirms in /admin/identities, and may
// refuse with a reason; the member is told. The first admin binds too.
#[test]
fn admin_confirms_and_refuses_without_a_webhook() {
    let s = manual();
    let admin = setup_admin(&s);
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&admin, "individual", "王管理", &id, &mobile).status, 303);
    admin.confirm_code("admin");
    assert!(admin.get("/settings/identity").has("等待管理员核验"));
    assert_eq!(admin.post("/posts", &[("body", "x"), ("visibility", "public")]).status, 403);
    // The first admin has nobody else: confirming their own is allowed and logged as such.
    let admin_id = count(&s, "SELECT id FROM users WHERE username = 'admin'");
    assert_eq!(admin.post(&format!("/admin/identities/{admin_id}/confirm"), &[]).status, 303);
    admin.post_status("管理员实名了", "public");
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'identity.confirm' AND outcome = 'ok, own account'"
        ),
        1
    );

    let m = s.client();
    m.signup_unverified("waiting");
    let (id2, mobile2) = fresh_identity();
    assert_eq!(bind(&m, "individual", "李四", &id2, &mobile2).status, 303);
    m.confirm_code("waiting");
    let list = admin.get("/admin/identities?status=pending");
    assert!(list.has("@waiting") && list.has("李*") && !list.has(&id2), "{}", list.body);
    let uid = count(&s, "SELECT id FROM users WHERE username = 'waiting'");
    // A plain member may not look.
    assert_eq!(m.get("/admin/identities").status, 403);
    assert_eq!(m.post(&format!("/admin/identities/{uid}/confirm"), &[]).status, 403);
    assert_eq!(admin.post(&format!("/admin/identities/{uid}/confirm"), &[]).status, 303);
    m.post_status("通过了", "public");
    assert!(m.get("/notifications").has("你的实名信息已通过核验"));
    assert_eq!(count(&s, &format!("SELECT verified_by FROM identities WHERE user_id = {uid}")), admin_id);

    let r = s.client();
    r.signup_unverified("refused");
    let (id3, mobile3) = fresh_identity();
    assert_eq!(bind(&r, "individual", "赵五", &id3, &mobile3).status, 303);
    r.confirm_code("refused");
    let rid = count(&s, "SELECT id FROM users WHERE username = 'refused'");
    assert_eq!(admin.post(&format!("/admin/identities/{rid}/reject"), &[("reason", "ab")]).status, 422);
    let p = admin.post(&format!("/admin/identities/{rid}/reject"), &[("reason", "证件照片与号码不符")]);
    assert_eq!(p.status, 303);
    let page = r.get("/settings/identity");
    assert!(page.has("证件照片与号码不符") && page.has("id-status unverified"), "{}", page.body);
    assert_eq!(r.post("/posts", &[("body", "x"), ("visibility", "public")]).status, 403);
    assert!(r.get("/notifications").has("未通过核验"));
}

// R7.2: the verification webhook may refuse; the member sees why. It gets
// the values it needs and nothing is logged in clear.
#[test]
fn webhook_refusal_is_shown() {
    let s = Server::start();
    let m = s.client();
    m.signup_unverified("doubtful");
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&m, "individual", "拒绝某", &id, &mobile).status, 303);
    m.confirm_code("doubtful");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let p = m.get("/settings/identity");
        if p.has("姓名与号码不符") {
            assert!(p.has("id-status unverified"));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", p.body);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'identity.verify' AND outcome = 'refused by webhook'"
        ),
        1
    );
}

// R7.4: one ID number backs one individual account (a closed account frees
// it); a credit code may back several organisation accounts.
#[test]
fn an_id_number_backs_one_account() {
    let s = Server::start();
    let a = s.client();
    a.signup_unverified("first");
    let b = s.client();
    b.signup_unverified("second");
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&a, "individual", "张三", &id, &mobile).status, 303);
    let (_, mobile2) = fresh_identity();
    let p = bind(&b, "individual", "张三", &id, &mobile2);
    assert_eq!(p.status, 409);
    assert!(p.has("已绑定其他账号"), "{}", p.body);
    // Lower case x, or the same person typed again: the same number.
    assert_eq!(bind(&b, "individual", "张三", &format!(" {} ", id.to_lowercase()), &mobile2).status, 409);
    // A credit code may back several organisation accounts.
    for name in ["org_one", "org_two"] {
        let o = s.client();
        o.signup_unverified(name);
        let (_, m) = fresh_identity();
        assert_eq!(bind(&o, "organisation", "某某公司", "91440305GG0UEQ5K5C", &m).status, 303, "{name}");
    }
    // Closing the account frees the number (its identity is kept for the retention period).
    assert_eq!(a.post("/settings/close", &[("password", "correct horse")]).status, 200);
    assert_eq!(
        count(&s, "SELECT count(*) FROM identities i JOIN users u ON u.id = i.user_id WHERE u.username = 'first'"),
        1
    );
    let (_, mobile3) = fresh_identity();
    assert_eq!(bind(&b, "individual", "张三", &id, &mobile3).status, 303);
}

// R7.3: past the next-check date publishing stops until a new mobile code;
// an admin may ask for more than a code.
#[test]
fn identity_expires_and_is_renewed_by_a_code() {
    let s = manual();
    let admin = setup_admin(&s);
    let (id, mobile) = fresh_identity();
    bind(&admin, "individual", "王管理", &id, &mobile);
    admin.confirm_code("admin");
    let admin_id = count(&s, "SELECT id FROM users WHERE username = 'admin'");
    admin.post(&format!("/admin/identities/{admin_id}/confirm"), &[]);
    let m = s.client();
    m.signup_unverified("yearly");
    let (id2, mobile2) = fresh_identity();
    bind(&m, "individual", "李四", &id2, &mobile2);
    m.confirm_code("yearly");
    let uid = count(&s, "SELECT id FROM users WHERE username = 'yearly'");
    admin.post(&format!("/admin/identities/{uid}/confirm"), &[]);
    m.post_status("今年", "public");

    let data = s.stop();
    let s = Server::start_in(
        data,
        &[],
        &[(VERIFY_WEBHOOK_VAR, ""), ("PLAZA_CLOCK_OFFSET_SECONDS", &(366 * DAY).to_string())],
    );
    let m = s.client();
    m.login("yearly");
    let p = m.post("/posts", &[("body", "明年"), ("visibility", "public")]);
    assert_eq!(p.status, 403);
    let page = m.get("/settings/identity");
    assert!(page.has("id-status expired") && page.has("定期核验"), "{}", page.body);
    let admin = s.client();
    admin.login("admin");
    assert!(admin.get("/admin/identities?status=expired").has("@yearly"));
    assert_eq!(m.post("/settings/identity/send", &[]).status, 303);
    m.confirm_code("yearly");
    m.post_status("明年续上了", "public");
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'identity.recheck'"), 1);

    // Staff ask for a full re-check: expired at once, and a code leads to staff again.
    assert_eq!(admin.post(&format!("/admin/identities/{uid}/recheck"), &[]).status, 303);
    assert_eq!(m.post("/posts", &[("body", "x"), ("visibility", "public")]).status, 403);
    // A minute on, the next code may go out.
    let data = s.stop();
    let offset = (366 * DAY + 120).to_string();
    let s = Server::start_in(data, &[], &[(VERIFY_WEBHOOK_VAR, ""), ("PLAZA_CLOCK_OFFSET_SECONDS", &offset)]);
    let (m, admin) = (s.client(), s.client());
    m.login("yearly");
    admin.login("admin");
    assert_eq!(m.post("/settings/identity/send", &[]).status, 303);
    m.confirm_code("yearly");
    assert!(m.get("/settings/identity").has("id-status pending"));
    assert_eq!(m.post("/posts", &[("body", "x"), ("visibility", "public")]).status, 403);
    admin.post(&format!("/admin/identities/{uid}/confirm"), &[]);
    m.post_status("全部重新核验", "public");
}

// R7.2: an early credit code failing its own check is accepted only by a
// reviewer's recorded override.
#[test]
fn early_credit_code_needs_a_recorded_override() {
    let (s, admin) = with_admin();
    let org = s.client();
    org.signup_unverified("old_firm");
    let (_, mobile) = fresh_identity();
    let p = bind(&org, "organisation", "北京老字号有限公司", "91110108MA01B2C31T", &mobile);
    assert_eq!(p.status, 422);
    assert!(p.has("override_check") && p.has("组织机构代码"), "{}", p.body);
    let p = org.post(
        "/settings/identity",
        &[
            ("subject_type", "organisation"),
            ("legal_name", "北京老字号有限公司"),
            ("number", "91110108MA01B2C31T"),
            ("mobile", &mobile),
            ("override_check", "1"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    org.confirm_code("old_firm");
    // Not sent to the webhook: it waits for staff.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(org.get("/settings/identity").has("id-status pending"));
    let uid = count(&s, "SELECT id FROM users WHERE username = 'old_firm'");
    let detail = admin.get(&format!("/admin/identities/{uid}"));
    assert!(detail.has("未通过校验位检查"), "{}", detail.body);
    assert_eq!(admin.post(&format!("/admin/identities/{uid}/confirm"), &[]).status, 303);
    org.post_status("老字号开张", "public");
    assert_eq!(
        count(&s, &format!("SELECT count(*) FROM identities WHERE user_id = {uid} AND override_by IS NOT NULL")),
        1
    );
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'identity.override'"), 1);
    assert!(admin.get(&format!("/admin/identities/{uid}")).has("人工确认"));
}

/// Every file under `dir`, read whole.
fn files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    crate::common::files_in(dir).into_iter().map(|p| (p.clone(), std::fs::read(dir.join(&p)).unwrap())).collect()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

// R7.4, R7.5: masked everywhere; an admin reveals only with a reason, and
// the reveal is recorded; a planted ID number is nowhere in clear: not in
// the database, the server's stderr, any page, the log, the outbox or the
// member's own download.
#[test]
fn masked_everywhere_revealed_with_a_reason_and_logged() {
    let (s, admin) = with_admin();
    let planted = with_id_check("51010719870611432");
    let mobile = "13912345678";
    let m = s.client();
    m.signup_unverified("planted");
    assert_eq!(bind(&m, "individual", "钱多多", &planted, mobile).status, 303);
    m.confirm_code("planted");
    m.wait_verified();
    let post = m.post_status("我的微博", "public");
    m.post(&format!("/posts/{post}/comments"), &[("body", "自己评论")]);
    let uid = count(&s, "SELECT id FROM users WHERE username = 'planted'");
    let masked = format!("5101**********{}", &planted[14..]);

    let mut pages = Vec::new();
    let other = s.client();
    other.signup("bystander");
    for (c, path) in [
        (&m, "/settings/identity".to_string()),
        (&m, "/settings/profile".into()),
        (&m, "/settings/verification".into()),
        (&m, "/@planted".into()),
        (&m, format!("/posts/{post}")),
        (&other, "/@planted".into()),
        (&other, format!("/posts/{post}")),
        (&other, "/public".into()),
        (&admin, "/admin".into()),
        (&admin, "/admin/identities".into()),
        (&admin, format!("/admin/identities/{uid}")),
        (&admin, "/admin/logs".into()),
        (&admin, "/admin/outbox".into()),
        (&admin, "/admin/verifications".into()),
    ] {
        let p = c.get(&path);
        assert_eq!(p.status, 200, "{path}");
        pages.push((path, p.body));
    }
    assert!(pages[0].1.contains(&masked) && pages[0].1.contains("139****5678"), "{}", pages[0].1);
    assert!(pages[10].1.contains(&masked) && pages[10].1.contains("钱*多"));
    assert!(!pages[5].1.contains("钱") && !pages[5].1.contains(&masked), "other members see nothing of it");

    // Reveal: admin only, with a reason; recorded with who, when, whose, why.
    assert_eq!(
        other.post(&format!("/admin/identities/{uid}/reveal"), &[("field", "number"), ("reason", "公安协查")]).status,
        403
    );
    let p = admin.post(&format!("/admin/identities/{uid}/reveal"), &[("field", "number"), ("reason", "")]);
    assert_eq!(p.status, 422);
    assert!(!p.has(&planted));
    let p = admin.post(
        &format!("/admin/identities/{uid}/reveal"),
        &[("field", "number"), ("reason", "公安机关协查函 2026-17 号")],
    );
    assert_eq!(p.status, 200);
    assert!(p.has(&planted), "the answer shows it");
    assert_eq!(p.header("cache-control"), Some("no-store"));
    let admin_id = count(&s, "SELECT id FROM users WHERE username = 'admin'");
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let (staff, field, reason, at): (i64, String, String, i64) = conn
        .query_row(
            &format!("SELECT staff_id, field, reason, at FROM identity_reveals WHERE user_id = {uid}"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((staff, field.as_str(), reason.as_str()), (admin_id, "number", "公安机关协查函 2026-17 号"));
    assert!(at > 0);
    let (account, target, outcome): (i64, String, String) = conn
        .query_row("SELECT account_id, target, outcome FROM activity_log WHERE action = 'identity.reveal'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((account, target), (admin_id, format!("user:{uid}")));
    assert!(outcome.contains("number") && outcome.contains("公安机关协查函"), "{outcome}");
    let history = admin.get(&format!("/admin/identities/{uid}"));
    assert!(history.has("公安机关协查函") && history.has("@admin") && !history.has(&planted));
    // A number typed into the reason is redacted before it is kept.
    admin.post(
        &format!("/admin/identities/{uid}/reveal"),
        &[("field", "mobile"), ("reason", &format!("核对 {planted}"))],
    );

    // The member's own download: masked only.
    m.post("/settings/export", &[]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let link = loop {
        let p = m.get("/settings/export");
        if let Some(i) = p.body.find("href=\"/settings/export/") {
            break p.body[i + 6..].split('"').next().unwrap().to_string();
        }
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let zip_bytes = m.get_raw(&link, &[]).body;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut all_json = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut f, &mut all_json).unwrap();
    }
    assert!(all_json.contains(&masked) && all_json.contains("\"status\": \"verified\""), "{all_json}");

    // The log export for the authorities.
    let out = s.data.path().join("log.jsonl");
    let (ok, _, err) = s.command(&["log", "export", "--out", out.to_str().unwrap()]);
    assert!(ok, "{err}");

    // The planted values in clear: nowhere but the reveal answers above.
    for needle in [planted.as_str(), mobile, "钱多多"] {
        for (path, body) in &pages {
            assert!(!body.contains(needle), "{needle} in page {path}");
        }
        assert!(!all_json.contains(needle), "{needle} in the member's download");
        assert!(!s.stderr().contains(needle), "{needle} on stderr");
        for (file, bytes) in files(s.data.path()) {
            assert!(!contains(&bytes, needle), "{needle} in {}", file.display());
        }
    }
    assert!(!contains(&std::fs::read(s.db_path()).unwrap(), &planted));
    assert!(std::fs::read_to_string(&out).unwrap().contains("identity.reveal"));
    // Sealed, not merely hidden: the database holds ciphertext of the right size.
    let n: i64 = conn
        .query_row(&format!("SELECT length(number_enc) FROM identities WHERE user_id = {uid}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 12 + 18 + 16);
}

// R7.1, R7.2: with `sms_sender = "webhook"` the code goes to the SMS service
// (off the request worker), not to the outbox; the verification webhook
// receives the values it checks.
#[test]
fn codes_through_the_sms_webhook() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("plaza.toml"),
        format!("sms_sender = \"webhook\"\nsms_webhook_url = \"{}\"\n", verify_webhook()),
    )
    .unwrap();
    let s = Server::start_in(data, &[], &[]);
    let m = s.client();
    m.signup_unverified("texted");
    let (id, mobile) = fresh_identity();
    assert_eq!(bind(&m, "individual", "孙七", &id, &mobile).status, 303);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let sms: serde_json::Value = loop {
        let found =
            webhook_bodies().lock().unwrap().iter().find(|b| b.contains(&mobile) && b.contains("\"code\"")).cloned();
        if let Some(b) = found {
            break serde_json::from_str(&b).unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "no SMS webhook call");
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(sms["mobile"], mobile.as_str());
    let code = sms["code"].as_str().unwrap().to_string();
    assert!(sms["text"].as_str().unwrap().contains(&code));
    assert!(code_for(s.data.path(), "texted").is_none(), "nothing in the outbox");
    assert_eq!(m.post("/settings/identity/confirm", &[("code", &code)]).status, 303);
    m.wait_verified();
    let bodies = webhook_bodies().lock().unwrap().clone();
    let check: serde_json::Value =
        serde_json::from_str(bodies.iter().find(|b| b.contains(&id)).expect("verification call")).unwrap();
    assert_eq!((check["legal_name"].as_str(), check["number_kind"].as_str()), (Some("孙七"), Some("id_number")));
    assert!(!s.stderr().contains(&mobile) && !s.stderr().contains(&id));
}

#[test]
fn staff_do_not_decide_on_their_own_identity_when_others_could() {
    let (s, admin) = with_admin();
    let rev = s.client();
    rev.signup("reviewer1");
    let id: i64 = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT id FROM users WHERE username = 'reviewer1'", [], |r| r.get(0))
        .unwrap();
    let p = admin.post("/admin/users/reviewer1/roles", &[("role", "reviewer"), ("action", "grant")]);
    assert!(p.status == 303 || p.status == 200, "{}", p.body);
    let p = rev.post(&format!("/admin/identities/{id}/reject"), &[("reason", "我自己拒绝我自己")]);
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(p.has("另一位审核员或管理员"), "{}", p.body);
}
