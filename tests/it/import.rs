//! Accounts an organisation makes (R7.1, R6.5): `plaza user import` with
//! good rows, bad rows (each reported with its line number) and a re-run
//! that changes nothing; the one-time password-set link; `plaza user add`
//! with the password on standard input, while the server runs.

use crate::common::{command_with_stdin, fresh_identity, Server};

fn count(s: &Server, sql: &str) -> i64 {
    rusqlite::Connection::open(s.db_path()).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn import_good_rows_report_bad_ones_and_rerun_changes_nothing() {
    let s = Server::start();
    let (id1, m1) = fresh_identity();
    let (id2, m2) = fresh_identity();
    let (_, m3) = fresh_identity();
    let bad_check = format!("{}{}", &id2[..17], if id2.ends_with('0') { '1' } else { '0' });
    let csv = format!(
        "username,display_name,legal_name,mobile,id_number,credit_code,subject_type,role\n\
         wang,王老师,王五,{m1},{id1},,,\n\
         acme_news,某某报社,某某日报社,{m2},,12540102AKGKG6N892,media,reviewer\n\
         bad_check,,赵六,{m3},{bad_check},,,\n\
         bad_role,,赵六,{m3},{id2},,,boss\n\
         wang,,王五,{m1},{id1},,,\n\
         no_number,,赵六,{m3},,,,\n\
         x,,赵六,{m3},{id2},,,\n\
         twin,,王五,{m1},{id1},,,\n"
    );
    let file = s.data.path().join("members.csv");
    std::fs::write(&file, csv).unwrap();
    let (ok, out, err) = s.command(&["user", "import", file.to_str().unwrap()]);
    assert!(!ok, "bad rows make the exit status 1");
    for (line, what) in [
        (4, "check character"),
        (5, "role"),
        (6, "earlier line"),
        (7, "one of them"),
        (8, "username"),
        (9, "id_number: appears on an earlier line"),
    ] {
        assert!(
            err.contains(&format!("plaza: line {line}: "))
                && err.lines().any(|l| l.contains(&format!("line {line}: ")) && l.contains(what)),
            "line {line} {what}: {err}"
        );
    }
    assert!(out.contains("2 created, 0 unchanged, 6 bad rows"), "{out}");
    let link = |name: &str| -> String {
        let l = out.lines().find(|l| l.starts_with(&format!("created {name}:"))).unwrap();
        l[l.find("/password/set?token=").unwrap()..].trim().to_string()
    };
    let (wang_link, acme_link) = (link("wang"), link("acme_news"));
    assert!(out.contains("http://127.0.0.1:8080/password/set?token="), "{out}");

    // Identities verified by the organisation, recorded as such; the role granted; no password yet.
    assert_eq!(
        count(&s, "SELECT count(*) FROM identities WHERE status = 'verified' AND verified_via = 'organisation'"),
        2
    );
    assert_eq!(count(&s, "SELECT count(*) FROM users WHERE username = 'acme_news' AND subject_type = 'media'"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'acme_news' AND r.role = 'reviewer'"), 1);
    let c = s.client();
    assert_eq!(c.post("/login", &[("username", "wang"), ("password", "")]).status, 401);
    let db = std::fs::read(s.db_path()).unwrap();
    assert!(!db.windows(id1.len()).any(|w| w == id1.as_bytes()), "the ID number is sealed");

    // Running it again changes nothing.
    let users = count(&s, "SELECT count(*) FROM users");
    let log = count(&s, "SELECT count(*) FROM activity_log");
    let (_, out2, _) = s.command(&["user", "import", file.to_str().unwrap()]);
    assert!(out2.contains("0 created, 2 unchanged, 6 bad rows") && out2.contains("unchanged wang"), "{out2}");
    assert_eq!(count(&s, "SELECT count(*) FROM users"), users);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log"), log + 1, "only the import itself is logged");
    assert_eq!(count(&s, "SELECT count(*) FROM password_tokens"), 2);

    // The link sets the password once; then the member accepts the agreement and may post at once.
    let form = c.get(&wang_link);
    assert_eq!(form.status, 200);
    assert!(form.has("@wang"));
    let token = wang_link.split("token=").nth(1).unwrap();
    assert_eq!(c.post("/password/set", &[("token", token), ("password", "short")]).status, 422);
    assert_eq!(c.post("/password/set", &[("token", token), ("password", "wang's own password")]).status, 303);
    assert_eq!(c.get(&wang_link).status, 410, "used");
    assert_eq!(c.post("/password/set", &[("token", token), ("password", "another password")]).status, 410);
    assert_eq!(c.post("/login", &[("username", "wang"), ("password", "wang's own password")]).status, 303);
    assert!(c.get("/").location.unwrap().starts_with("/terms/accept"));
    assert_eq!(c.post("/terms/accept", &[("version", "1"), ("next", "/")]).status, 303);
    c.post_status("我是王老师", "public");
    assert!(c.get("/settings/identity").has("id-status verified"));
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'user.password_set'"), 1);
    assert_eq!(s.client().get(&acme_link).status, 200, "the other link still works");
    assert_eq!(s.client().get("/password/set?token=nonsense").status, 410);
}

/// DESIGN.md's plain role `member` in the role column imports the row with
/// no staff role (issue 13: such rows were refused); `member; reviewer`
/// grants only the reviewer role.
#[test]
fn import_accepts_the_plain_member_role() {
    let s = Server::start();
    let (id1, m1) = fresh_identity();
    let (id2, m2) = fresh_identity();
    let csv = format!(
        "username,legal_name,mobile,id_number,role\n\
         li_lei,李雷,{m1},{id1},member\n\
         han_mei,韩梅,{m2},{id2},member; reviewer\n"
    );
    let file = s.data.path().join("members.csv");
    std::fs::write(&file, csv).unwrap();
    let (ok, out, err) = s.command(&["user", "import", file.to_str().unwrap()]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("2 created, 0 unchanged, 0 bad rows"), "{out}");
    let roles = |name: &str| {
        count(
            &s,
            &format!("SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = '{name}'"),
        )
    };
    assert_eq!(roles("li_lei"), 0, "member is no staff role");
    assert_eq!(roles("han_mei"), 1);
    assert_eq!(
        count(&s, "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'han_mei' AND r.role = 'reviewer'"),
        1
    );
}

#[test]
fn user_add_while_the_server_runs() {
    let s = Server::start();
    let (id, mobile) = fresh_identity();
    let args = |name: &'static str, id: &str, mobile: &str| -> Vec<String> {
        [
            "user",
            "add",
            "--username",
            name,
            "--password-stdin",
            "--legal-name",
            "周管理",
            "--mobile",
            mobile,
            "--id-number",
            id,
            "--role",
            "admin",
            "--role",
            "chief_editor",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect()
    };
    let run = |a: &[String], pw: &str| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        command_with_stdin(&s, &a, pw)
    };
    let (ok, out, err) = run(&args("boss", &id, &mobile), "boss password\n");
    assert!(ok, "{out}{err}");
    assert!(out.contains("created boss") && out.contains("admin, chief_editor"), "{out}");
    // Again: unchanged.
    let (ok, out, _) = run(&args("boss", &id, &mobile), "boss password\n");
    assert!(ok && out.contains("unchanged boss"), "{out}");
    // The same username with another identity, or the same ID for another account: refused.
    let (id2, mobile2) = fresh_identity();
    let (ok, _, err) = run(&args("boss", &id2, &mobile2), "boss password\n");
    assert!(!ok && err.contains("taken by another account"), "{err}");
    let (ok, _, err) = run(&args("boss_two", &id, &mobile), "boss password\n");
    assert!(!ok && err.contains("already backs another account"), "{err}");
    let (ok, _, err) = run(&args("boss_three", &id2, &mobile2), "short\n");
    assert!(!ok && err.contains("password"), "{err}");
    let (ok, _, err) = run(&args("boss_four", "110101199001011231", &mobile2), "boss password\n");
    assert!(!ok && err.contains("check character"), "{err}");

    let c = s.client();
    assert_eq!(c.post("/login", &[("username", "boss"), ("password", "boss password")]).status, 303);
    c.post("/terms/accept", &[("version", "1"), ("next", "/")]);
    assert_eq!(c.get("/admin").status, 200);
    c.post_status("运营者的第一条", "public");
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
    // The first admin exists now: a restarted server prints no setup link.
    let data = s.stop();
    let s = Server::start_in(data, &[], &[]);
    assert!(s.setup_url.is_none());
}
