//! R13.1: features with public-opinion or mobilisation attributes are
//! switched on only with a security assessment on record.

use crate::common::{id_from, setup_admin, Server};

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

#[test]
fn reposts_need_an_assessment_before_they_are_switched_on() {
    let s = Server::start_unassessed(&[], &[]);
    let admin = setup_admin(&s);
    admin.verify_identity("admin");
    let a = s.client();
    a.signup("author");
    let b = s.client();
    b.signup("sharer");
    let post = a.post_status("原帖", "public");

    // A new site: reposting is off, and the page offers no repost form.
    let p = b.post(&format!("/posts/{post}/repost"), &[("body", "")]);
    assert_eq!(p.status, 422);
    assert!(p.has("尚未开启转发"), "{}", p.body);
    assert!(!b.get(&format!("/posts/{post}")).has(&format!("action=\"/posts/{post}/repost\"")), "no repost form");

    // Members cannot see or use the page.
    assert_eq!(b.get("/admin/features").status, 403);
    assert_eq!(b.post("/admin/features/reposts/switch", &[("on", "1")]).status, 403);

    // Switching on without an assessment is refused; so is a feature this version lacks.
    let page = admin.get("/admin/features");
    assert_eq!(page.status, 200);
    assert!(page.has("转发") && page.has("直播") && page.has("本版本未提供"));
    // The page offers no switch that can only fail: it says what comes first (issue 13).
    assert!(!page.has("action=\"/admin/features/reposts/switch\"") && page.has("开启前须先登记安全评估"));
    let p = admin.post("/admin/features/reposts/switch", &[("on", "1")]);
    assert_eq!(p.status, 409);
    assert!(p.has("开启前须先登记安全评估"));
    assert_eq!(admin.post("/admin/features/live/switch", &[("on", "1")]).status, 409);

    // A bad date or no reference is refused; a good record with its report is kept.
    let bad = admin.post_multipart(
        "/admin/features/reposts/assess",
        &[("assessed_on", "2999-01-01"), ("reference", "X")],
        &[],
    );
    assert_eq!(bad.status, 422);
    let bad = admin.post_multipart(
        "/admin/features/reposts/assess",
        &[("assessed_on", "2026-03-01"), ("reference", "")],
        &[],
    );
    assert_eq!(bad.status, 422);
    let ok = admin.post_multipart(
        "/admin/features/reposts/assess",
        &[("assessed_on", "2026-03-01"), ("reference", "京网信评〔2026〕017号"), ("assessor", "第三方评估机构")],
        &[("report", "report.pdf", &pdf())],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = admin.get("/admin/features");
    assert!(page.has("京网信评〔2026〕017号") && page.has("2026-03-01"));
    let i = page.body.find("/admin/features/reports/").expect("report link");
    let link = page.body[i..].split('"').next().unwrap().to_string();
    let r = admin.get_raw(&link, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, pdf());
    assert_eq!(b.get_raw(&link, &[]).status, 403, "staff only");

    // Now it can be switched on, and reposting works; off again stops it.
    assert_eq!(admin.post("/admin/features/reposts/switch", &[("on", "1")]).status, 303);
    let r = b.post(&format!("/posts/{post}/repost"), &[("body", "转发")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(b.get(&format!("/posts/{}", id_from(r.location.as_deref().unwrap()))).has("原帖"));
    assert_eq!(admin.post("/admin/features/reposts/switch", &[("on", "0")]).status, 303);
    assert_eq!(b.post(&format!("/posts/{post}/repost"), &[("body", "")]).status, 422);

    // Every record and switch is in the activity log.
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM activity_log WHERE action LIKE 'feature.%' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(actions, ["feature.assess", "feature.report_view", "feature.on", "feature.off"]);
    // Records are kept as recorded.
    assert!(conn.execute("UPDATE security_assessments SET reference = 'x'", []).is_err());
}

#[test]
fn the_command_line_records_the_assessment_or_refuses() {
    let s = Server::start_unassessed(&[], &[]);
    let (ok, _, err) = s.command(&["feature", "on", "reposts"]);
    assert!(!ok && err.contains("no security assessment on record"), "{err}");
    let (ok, _, err) = s.command(&["feature", "on", "reposts", "--assessed-on", "2026-13-01", "--reference", "R"]);
    assert!(!ok && err.contains("--assessed-on"), "{err}");
    let (ok, _, err) = s.command(&["feature", "on", "polls", "--assessed-on", "2026-01-01", "--reference", "R"]);
    assert!(!ok && err.contains("not in this version"), "{err}");
    let (ok, out, err) = s.command(&["feature", "on", "reposts", "--assessed-on", "2026-01-01", "--reference", "R-1"]);
    assert!(ok, "{out}{err}");
    assert_eq!(out.trim(), "reposts is on");
    let (ok, out, _) = s.command(&["feature", "off", "reposts"]);
    assert!(ok && out.trim() == "reposts is off");
}
