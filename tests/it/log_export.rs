//! Finding and exporting log entries (R16.3): `/admin/logs` filters by
//! account, action, IP and time range, paged; `plaza log export` writes the
//! same selection as CSV or JSON Lines for the authorities.

use crate::common::{with_admin, RawClient, Server};

const DAY: i64 = 86_400;

/// (id, at, username, ip, action) of an entry.
type Row = (i64, i64, Option<String>, String, String);

/// Every entry.
fn all_rows(s: &Server) -> Vec<Row> {
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT l.id, l.at, u.username, l.ip, l.action FROM activity_log l
             LEFT JOIN users u ON u.id = l.account_id ORDER BY l.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Ids listed in a `/admin/logs` page (first cell of each row).
fn listed_ids(body: &str) -> Vec<i64> {
    body.split("<tr><td>").skip(1).filter_map(|s| s.split("</td>").next()?.parse().ok()).collect()
}

/// The local (UTC+8) date of a unix time, as typed in a filter.
fn local_day(unix: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix + 8 * 3600).unwrap();
    format!("{:04}-{:02}-{:02}", t.year(), t.month() as u8, t.day())
}

/// Start of that local day, UTC unix seconds.
fn day_start(day: &str) -> i64 {
    let d = time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
    d.midnight().assume_utc().unix_timestamp() - 8 * 3600
}

/// A site with activity three days ago, yesterday and today, some of it
/// through a trusted proxy from 198.51.100.7.
fn site() -> (Server, crate::common::Client) {
    let (s, mut admin) = with_admin();
    let data = s.stop();
    let s = Server::start_in(data, &[], &[("PLAZA_CLOCK_OFFSET_SECONDS", &(-3 * DAY).to_string())]);
    let mut alice = s.client();
    alice.signup("alice");
    alice.post_status("三天前", "public");
    let data = s.stop();
    let s = Server::start_in(
        data,
        &["--trusted-proxies", "127.0.0.1"],
        &[("PLAZA_CLOCK_OFFSET_SECONDS", &(-DAY).to_string())],
    );
    let mut bob = RawClient::new(&s, "ua");
    bob.headers = vec![("X-Forwarded-For".into(), "198.51.100.7".into())];
    bob.post("/signup", &[("username", "bob"), ("password", "correct horse"), ("accept_terms", "1")]);
    bob.verify_identity(s.data.path(), "bob");
    bob.post("/posts", &[("body", "昨天"), ("visibility", "public")]);
    alice.base = s.base.clone();
    alice.login("alice");
    alice.post_status("昨天的我", "public");
    let data = s.stop();
    let s = Server::start_in(data, &[], &[]);
    alice.base = s.base.clone();
    alice.login("alice");
    for i in 0..110 {
        alice.post_status(&format!("今天 {i}"), "public");
    }
    admin.base = s.base.clone();
    admin.login("admin");
    (s, admin)
}

#[test]
fn admin_log_filters_and_export() {
    let (s, admin) = site();
    let rows = all_rows(&s);
    let ids_where =
        |f: &dyn Fn(&Row) -> bool| -> Vec<i64> { rows.iter().filter(|r| f(r)).map(|r| r.0).rev().collect() };

    // By account, newest first, 100 a page, the next page keeps the filter.
    let p = admin.get("/admin/logs?account=alice");
    assert_eq!(p.status, 200);
    let alice_ids = ids_where(&|r| r.2.as_deref() == Some("alice"));
    assert!(alice_ids.len() > 110);
    assert_eq!(listed_ids(&p.body), alice_ids[..100].to_vec());
    let next = p.body.split("rel=\"next\" href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    assert!(next.starts_with("/admin/logs?account=alice&before="), "{next}");
    assert_eq!(listed_ids(&admin.get(&next).body), alice_ids[100..].to_vec());

    // By action, exact and by prefix.
    let p = admin.get("/admin/logs?action=user.signup");
    assert_eq!(listed_ids(&p.body), ids_where(&|r| r.4 == "user.signup"));
    let p = admin.get("/admin/logs?action=user.*&account=bob");
    let bob_user = ids_where(&|r| r.4.starts_with("user.") && r.2.as_deref() == Some("bob"));
    assert_eq!(listed_ids(&p.body), bob_user);
    assert_eq!(bob_user.len(), 2, "signup and login");

    // By source IP (bob came through the trusted proxy).
    let p = admin.get("/admin/logs?ip=198.51.100.7");
    let from_proxy = ids_where(&|r| r.3 == "198.51.100.7");
    assert_eq!(from_proxy.len(), 6, "signup, login, identity bind, code sent, code confirmed, post");
    assert_eq!(listed_ids(&p.body), from_proxy);

    // By time range: yesterday (site time) only.
    let yesterday = local_day(rows.iter().find(|r| r.2.as_deref() == Some("bob")).unwrap().1);
    let (start, end) = (day_start(&yesterday), day_start(&yesterday) + DAY);
    let p = admin.get(&format!("/admin/logs?from={yesterday}&to={yesterday}"));
    let want = ids_where(&|r| r.1 >= start && r.1 < end && r.4 != "log.view");
    assert!(want.len() >= 5);
    assert!(!want.contains(&rows.iter().find(|r| r.4 == "post.create").unwrap().0), "three days ago excluded");
    assert_eq!(listed_ids(&p.body), want);

    // Unknown account and bad dates say so; a member gets 403.
    let p = admin.get("/admin/logs?account=nobody");
    assert!(p.has("nobody") && listed_ids(&p.body).is_empty(), "{}", p.body);
    assert_eq!(admin.get("/admin/logs?from=yesterday").status, 422);
    let member = s.client();
    member.signup("curious");
    assert_eq!(member.get("/admin/logs").status, 403);
    // Looking at the log is itself logged.
    assert!(all_rows(&s).iter().any(|r| r.4 == "log.view" && r.2.as_deref() == Some("admin")));

    // CLI export: alice, yesterday and today, CSV.
    let today = local_day(rows.last().unwrap().1);
    let out = s.data.path().join("alice.csv");
    let out_s = out.to_str().unwrap();
    let (ok, stdout, err) =
        s.command(&["log", "export", "--account", "alice", "--from", &yesterday, "--to", &today, "--out", out_s]);
    assert!(ok, "{err}");
    let want: Vec<i64> = ids_where(&|r| r.2.as_deref() == Some("alice") && r.1 >= start).into_iter().rev().collect();
    assert_eq!(stdout.trim(), format!("exported {} entries to {out_s}", want.len()));
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "id",
            "time_utc",
            "at",
            "account_id",
            "username",
            "ip",
            "port",
            "user_agent",
            "action",
            "target",
            "outcome",
            "hash"
        ]
    );
    let got: Vec<i64> = rdr.records().map(|r| r.unwrap()[0].parse().unwrap()).collect();
    assert_eq!(got, want);
    // Never overwritten.
    let (ok, _, err) = s.command(&["log", "export", "--account", "alice", "--out", out_s]);
    assert!(!ok && err.contains("cannot create"), "{err}");

    // JSON Lines, by IP, with every field.
    let out = s.data.path().join("proxy.jsonl");
    let (ok, _, err) = s.command(&["log", "export", "--ip", "198.51.100.7", "--out", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6);
    assert!(lines
        .iter()
        .all(|l| l["ip"] == "198.51.100.7" && l["username"] == "bob" && l["port"].as_u64().unwrap() > 0));
    assert!(lines[0]["time_utc"].as_str().unwrap().ends_with('Z'));
    assert_eq!(lines[0]["hash"].as_str().unwrap().len(), 64);

    // The exports are logged as operator actions.
    let exports: Vec<_> = all_rows(&s).into_iter().filter(|r| r.4 == "log.export").collect();
    assert_eq!(exports.len(), 2);
    assert!(exports.iter().all(|r| r.3 == "cli"));
    let (ok, _, err) = s.command(&["log", "verify"]);
    assert!(ok, "{err}");
}
