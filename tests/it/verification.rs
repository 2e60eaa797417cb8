//! Verified badges end to end (R8.1, R10.1, R10.2): apply with proof
//! documents, private proofs, a reviewer approves (the certified name must
//! match the bound legal name), rejects or revokes with a reason, the
//! applicant is notified, the badge shows on profile, posts and comments,
//! and `plaza filing export verified` lists it by type and province.

use crate::common::{command_with_stdin, fresh_identity, with_admin, Client, Server};

fn count(s: &Server, sql: &str) -> i64 {
    rusqlite::Connection::open(s.db_path()).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

fn apply(c: &Client, subject: &str, name: &str, files: &[(&str, &str, &[u8])]) -> crate::common::Page {
    c.post_multipart("/settings/verification", &[("subject_type", subject), ("certified_name", name)], files)
}

/// A reviewer made with `plaza user add --role reviewer`, logged in and
/// past the agreement.
fn reviewer(s: &Server) -> Client {
    let (id, mobile) = fresh_identity();
    let (ok, out, err) = command_with_stdin(
        s,
        &[
            "user",
            "add",
            "--username",
            "checker",
            "--password-stdin",
            "--legal-name",
            "审核员",
            "--mobile",
            &mobile,
            "--id-number",
            &id,
            "--role",
            "reviewer",
        ],
        "checker password\n",
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("created checker") && out.contains("reviewer"), "{out}");
    let c = s.client();
    let p = c.post("/login", &[("username", "checker"), ("password", "checker password")]);
    assert_eq!(p.status, 303);
    // Never accepted the agreement: asked first (R6.1).
    let p = c.get("/");
    assert!(p.location.as_deref().unwrap_or("").starts_with("/terms/accept"), "{p:?}");
    assert_eq!(c.post("/terms/accept", &[("version", "1"), ("next", "/")]).status, 303);
    c
}

#[test]
fn badge_flow_end_to_end() {
    let (s, admin) = with_admin();
    let zhang = s.client();
    zhang.signup("zhang"); // bound legal name 张三
    let post = zhang.post_status("认证前的微博", "public");
    zhang.post(&format!("/posts/{post}/comments"), &[("body", "我的评论")]);

    // Without a verified identity there is no applying.
    let nobody = s.client();
    nobody.signup_unverified("nobody");
    assert!(nobody.get("/settings/verification").has("href=\"/settings/identity\""));
    assert_eq!(apply(&nobody, "individual", "张三", &[("proof", "id.png", &png())]).status, 403);

    // Refusals: a file that is not PDF/JPEG/PNG, no file, the wrong kind.
    let p = apply(&zhang, "individual", "张三", &[("proof", "notes.txt", b"just text")]);
    assert_eq!(p.status, 415);
    assert!(p.has("notes.txt") && p.has("PDF"), "{}", p.body);
    assert_eq!(apply(&zhang, "individual", "张三", &[]).status, 422);
    let p = apply(&zhang, "media", "张三", &[("proof", "id.png", &png())]);
    assert_eq!(p.status, 422);
    assert!(p.has("认证类型与实名信息的主体类型不符"), "{}", p.body);
    let mut cut = PDF.to_vec();
    cut.truncate(30);
    assert_eq!(apply(&zhang, "individual", "张三", &[("proof", "cut.pdf", &cut)]).status, 422);
    assert_eq!(count(&s, "SELECT count(*) FROM verifications"), 0);

    let p = apply(&zhang, "individual", "张 三", &[("proof", "id.png", &png()), ("proof", "scan.pdf", PDF)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(zhang.get("/settings/verification?applied=1").has("审核中"));
    assert_eq!(apply(&zhang, "individual", "张三", &[("proof", "id.png", &png())]).status, 409);

    // Proofs: the applicant and staff only, never through /media.
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let proofs: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, sha256, mime FROM verification_proofs ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(proofs.iter().map(|p| p.2.as_str()).collect::<Vec<_>>(), ["image/png", "application/pdf"]);
    let pdf = zhang.get_raw(&format!("/verification/proofs/{}", proofs[1].0), &[]);
    assert_eq!((pdf.status, pdf.body.as_slice()), (200, PDF));
    assert!(pdf.header("content-disposition").unwrap().starts_with("attachment"));
    let img = zhang.get_raw(&format!("/verification/proofs/{}", proofs[0].0), &[]);
    assert_eq!((img.status, img.header("content-type")), (200, Some("image/png")));
    assert_eq!(nobody.get_raw(&format!("/verification/proofs/{}", proofs[0].0), &[]).status, 404);
    assert_eq!(s.client().get_raw(&format!("/verification/proofs/{}", proofs[0].0), &[]).status, 303, "login first");
    for (_, sha, _) in &proofs {
        assert_eq!(nobody.get_raw(&format!("/media/{sha}"), &[]).status, 404);
    }
    assert_eq!(admin.get_raw(&format!("/verification/proofs/{}", proofs[1].0), &[]).status, 200);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'verification.proof_view'"), 1);
    // media gc keeps them.
    let (ok, _, err) = s.command(&["media", "gc", "--min-age", "0"]);
    assert!(ok, "{err}");
    assert_eq!(zhang.get_raw(&format!("/verification/proofs/{}", proofs[1].0), &[]).status, 200);

    // A reviewer (not an admin) handles the queue; a member may not.
    let rev = reviewer(&s);
    assert_eq!(nobody.get("/admin/verifications").status, 403);
    let queue = rev.get("/admin/verifications");
    assert_eq!(queue.status, 200);
    assert!(queue.has("@zhang") && queue.has("认证名称与实名信息一致"), "{}", queue.body);
    // The dashboard shows reviewers the workload (R6.6); the log and settings stay admin-only.
    let dash = rev.get("/admin");
    assert_eq!(dash.status, 200);
    assert!(!dash.has("最近的操作日志"), "{}", dash.body);
    assert_eq!(rev.get("/admin/logs").status, 403);
    assert_eq!(rev.get("/admin/settings").status, 403);
    let app = count(&s, "SELECT id FROM verifications WHERE status = 'pending'");
    assert_eq!(rev.post(&format!("/admin/verifications/{app}/approve"), &[]).status, 303);
    assert!(zhang.get("/notifications").has("你的认证申请已通过"));

    // The badge on the profile, posts and comments, by type.
    let profile = s.client().get("/@zhang");
    assert!(profile.has("vbadge individual") && profile.has("个人认证：张 三"), "{}", profile.body);
    let p = s.client().get(&format!("/posts/{post}"));
    assert_eq!(p.body.matches("vbadge individual").count(), 2, "post and comment: {}", p.body);
    assert!(s.client().get("/public").has("vbadge individual"));
    assert_eq!(count(&s, "SELECT count(*) FROM users WHERE username = 'zhang' AND subject_type = 'individual'"), 1);

    // A certified name that does not match the legal name is refused (R10.1), then rejected with a reason.
    let li = s.client();
    li.signup("lisi"); // bound legal name 张三
    assert_eq!(apply(&li, "individual", "李四", &[("proof", "id.png", &png())]).status, 303);
    let app_li = count(&s, "SELECT id FROM verifications WHERE status = 'pending'");
    assert!(rev.get("/admin/verifications").has("不一致"));
    let p = rev.post(&format!("/admin/verifications/{app_li}/approve"), &[]);
    assert_eq!(p.location.as_deref(), Some("/admin/verifications?error=mismatch"));
    assert_eq!(count(&s, &format!("SELECT count(*) FROM verifications WHERE id = {app_li} AND status = 'pending'")), 1);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE action = 'verification.approve' AND outcome = 'refused: mismatch'"
        ),
        1
    );
    assert_eq!(rev.post(&format!("/admin/verifications/{app_li}/reject"), &[("reason", "名称与证件不符")]).status, 303);
    let page = li.get("/settings/verification");
    assert!(page.has("名称与证件不符") && page.has("未通过"), "{}", page.body);
    assert!(li.get("/notifications").has("你的认证申请未通过"));
    assert!(!s.client().get("/@lisi").has("vbadge"));

    // Filing export (R10.2): type, certified name, province from the region digits, dates.
    let out = s.data.path().join("verified.csv");
    let (ok, stdout, err) = s.command(&["filing", "export", "verified", "--out", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(stdout.contains("exported 1 verified accounts"), "{stdout}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "username,subject_type,certified_name,province,applied_on,approved_on,identity_verified_on");
    assert!(lines[1].starts_with("zhang,individual,张 三,北京市,20"), "{csv}");
    assert_eq!(lines.len(), 2);
    let (ok, _, err) = s.command(&["filing", "export", "verified", "--out", out.to_str().unwrap()]);
    assert!(!ok && err.contains("cannot create"), "never overwritten: {err}");

    // Revoked with a reason: the badge goes, the member is told.
    assert_eq!(
        rev.post(&format!("/admin/verifications/{app}/revoke"), &[("reason", "x")]).location.as_deref(),
        Some("/admin/verifications?error=reason")
    );
    assert_eq!(rev.post(&format!("/admin/verifications/{app}/revoke"), &[("reason", "证明材料已过期")]).status, 303);
    assert!(!s.client().get("/@zhang").has("vbadge"));
    assert!(zhang.get("/notifications").has("你的认证标识已被撤销"));
    assert!(zhang.get("/settings/verification").has("证明材料已过期"));
    for action in
        ["verification.apply", "verification.approve", "verification.reject", "verification.revoke", "filing.export"]
    {
        assert!(count(&s, &format!("SELECT count(*) FROM activity_log WHERE action = '{action}'")) >= 1, "{action}");
    }
    let (ok, out, err) = s.command(&["doctor"]);
    assert!(ok, "{out}{err}");
}
