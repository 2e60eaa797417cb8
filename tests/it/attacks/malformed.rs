//! Oversized and malformed input on every form (issue 15): each POST row
//! of the routing table (generated from `plaza::routes::ROUTES`) gets a
//! body over the form cap (413), bytes that are not UTF-8 (400), broken
//! percent-encoding (a 4xx), and every field name a form uses filled at once with
//! 20,000 characters, 2,000 Chinese ones, or control characters (a 4xx or a redirect,
//! never a 5xx); GET rows get an overlong query. The server stays up.

use super::csrf::url;
use crate::common::with_admin;
use plaza::http::Method;
use plaza::routes::ROUTES;

/// Field names the forms use.
const FIELDS: &[&str] = &[
    "body",
    "visibility",
    "reason",
    "category",
    "password",
    "current",
    "current_password",
    "username",
    "display_name",
    "bio",
    "role",
    "action",
    "delta",
    "decision",
    "answer",
    "resolution",
    "target",
    "contact",
    "pattern",
    "keyword",
    "tag",
    "expected",
    "code",
    "old_code",
    "legal_name",
    "number",
    "mobile",
    "subject_type",
    "certified_name",
    "mode",
    "ids",
    "field",
    "site_name",
    "refutation",
    "name",
    "next",
    "token",
    "accept_terms",
    "feature",
    "purpose",
];

#[test]
fn every_form_survives_oversized_and_malformed_input() {
    let (s, admin) = with_admin();
    for r in ["reviewer", "chief_editor"] {
        admin.post("/admin/users/admin/roles", &[("role", r), ("action", "grant")]);
    }
    let post = admin.post_status("target", "public").to_string();
    let token = admin.csrf();
    // Every field at once, under the 1 MiB form cap: far past every field's own limit.
    let huge = "x".repeat(20_000);
    let wide = "长".repeat(2_000);
    let controls = "\u{0}\u{1}\u{7f}\u{202e}\r\n\u{feff}";
    let mut tried = 0;
    for row in ROUTES.iter().filter(|r| r.method == Method::Post) {
        if row.path == "/logout" {
            continue;
        }
        let path = url(row.path, &post);
        let over = admin.post_bytes(&path, "application/x-www-form-urlencoded", &vec![b'a'; 2 << 20]);
        assert_eq!(over.status, 413, "POST {path} with 2 MiB");
        let bad = admin.post_bytes(&path, "application/x-www-form-urlencoded", b"body=\xff\xfe&csrf_token=x");
        assert_eq!(bad.status, 400, "POST {path} with invalid UTF-8");
        let enc = admin.post_bytes(&path, "application/x-www-form-urlencoded", b"body=%zz%&csrf_token=%");
        // Read leniently, as browsers write it; the forged token still fails.
        assert!((400..500).contains(&enc.status), "POST {path} with broken percent-encoding: {}", enc.status);
        for value in [huge.as_str(), wide.as_str(), controls] {
            let mut f: Vec<(&str, &str)> = FIELDS.iter().map(|n| (*n, value)).collect();
            f.push(("csrf_token", &token));
            let p = admin.post_raw(&path, &f);
            assert!(p.status < 500, "POST {path} with {} chars: {} {}", value.chars().count(), p.status, p.body);
        }
        tried += 6;
    }
    for row in ROUTES.iter().filter(|r| r.method == Method::Get) {
        let path = url(row.path, &post);
        let p = admin.get_raw(&format!("{path}?q={}&max_id=-1&page=0&after=%00", "x".repeat(4000)), &[]);
        assert!(p.status < 500, "GET {path} with an overlong query: {}", p.status);
        tried += 1;
    }
    assert!(tried > 300, "{tried}");
    assert_eq!(admin.get("/healthz").status, 200, "still up");
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
}
