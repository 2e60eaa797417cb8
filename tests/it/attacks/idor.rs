//! Insecure direct object references (issue 15): every row of the routing
//! table (generated from `plaza::routes::ROUTES`) whose path takes an id
//! or a private handle is requested with the id of something private to
//! one member (a self-only post, a comment under it, its image, her
//! data download, her verification proof, her session) by a second
//! member and by each staff role that the row does not open, and with an
//! id that does not exist: the two answers are the same, status and page
//! (but for the id itself). A staff role that the row opens is allowed to
//! see; those pairs are left out.

use super::csrf::url;
use crate::common::gov::*;
use crate::common::{with_admin, Client};
use plaza::domain::account::Role;
use plaza::http::Method;
use plaza::routes::{Access, ROUTES};

const MISSING: &str = "999999";

/// The page with `id` replaced where it is a path segment (`/ID/`,
/// `/ID?`, `/ID"`), to compare answers about two ids.
fn normal(body: &str, id: &str) -> String {
    let needle = format!("/{id}");
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        out.push_str(&rest[..i]);
        if after.chars().next().is_none_or(|c| !c.is_ascii_alphanumeric()) {
            out.push_str("/ID");
        } else {
            out.push_str(&needle);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[test]
fn private_things_answer_as_missing_ones() {
    let (s, admin) = with_admin();
    let alice = member(&s, "alice");
    // Her private things.
    let p = alice.post_multipart(
        "/posts",
        &[("body", "只给自己看"), ("visibility", "self")],
        &[("media", "a.png", &png(40, 30))],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let post = count(&s, "SELECT max(id) FROM posts").to_string();
    assert_eq!(alice.post(&format!("/posts/{post}/comments"), &[("body", "note")]).status, 303);
    let comment = count(&s, "SELECT max(id) FROM comments").to_string();
    let hash: String = db(&s).query_row("SELECT sha256 FROM attachments", [], |r| r.get(0)).unwrap();
    assert_eq!(alice.post("/settings/export", &[]).status, 303);
    let export = count(&s, "SELECT max(id) FROM data_exports").to_string();
    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let v = alice.post_multipart(
        "/settings/verification",
        &[("subject_type", "individual"), ("certified_name", "张三")],
        &[("proof", "id.pdf", pdf)],
    );
    assert_eq!(v.status, 303, "{}", v.body);
    let proof = count(&s, "SELECT max(id) FROM verification_proofs").to_string();
    let session: String = {
        let h: Vec<u8> = db(&s)
            .query_row(
                "SELECT token_hash FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'alice')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        h[..16].iter().map(|b| format!("{b:02x}")).collect()
    };

    let who: Vec<(&str, Client, &[Role])> = vec![
        ("member", member(&s, "bob"), &[]),
        ("reviewer", staff(&s, &admin, "rita", &["reviewer"]), &[Role::Reviewer]),
        ("chief editor", staff(&s, &admin, "carl", &["chief_editor"]), &[Role::ChiefEditor]),
        // The setup account holds all three roles (issue 13): the admin
        // role alone is a second account.
        ("admin", staff(&s, &admin, "ada", &["admin"]), &[Role::Admin]),
    ];
    let mut compared = 0;
    for row in ROUTES {
        // The private thing this row's parameter names, if any.
        let private = match row.path {
            p if p.starts_with("/posts/{id}") => post.clone(),
            p if p.starts_with("/comments/{id}") => comment.clone(),
            "/settings/export/{id}" => export.clone(),
            "/verification/proofs/{id}" => proof.clone(),
            "/media/{hash:text}" | "/media/{hash:text}/thumb" => hash.clone(),
            "/settings/sessions/{handle:text}/end" => session.clone(),
            p if p.starts_with("/admin/") && p.contains("{id}") => post.clone(),
            _ => continue,
        };
        for (name, c, roles) in &who {
            if let Access::Staff(need) = row.access {
                if need.iter().any(|r| roles.contains(r)) {
                    continue; // this role may see it
                }
            }
            // Staff who see these by design: any media, as evidence
            // (R12.2); proofs, to the reviewers of badges (R10.1).
            if row.path.starts_with("/media/") && !roles.is_empty() {
                continue;
            }
            if row.path.starts_with("/verification/proofs/")
                && roles.iter().any(|r| matches!(r, Role::Reviewer | Role::Admin))
            {
                continue;
            }
            let fields = [("reason", "x"), ("body", "x"), ("category", "other"), ("mode", "closed")];
            let fetch = |id: &str| {
                let path = if row.path.contains("{id}") {
                    url(row.path, id)
                } else {
                    row.path.replace(row.path.split('/').find(|s| s.starts_with('{')).unwrap(), id)
                };
                match row.method {
                    Method::Post => {
                        let p = c.post(&path, &fields);
                        (p.status, normal(&p.body, id))
                    }
                    _ => {
                        let r = c.get_raw(&path, &[]);
                        (r.status, normal(&String::from_utf8_lossy(&r.body), id))
                    }
                }
            };
            let (s1, b1) = fetch(&private);
            let (s2, b2) = fetch(MISSING);
            assert_eq!(s1, s2, "{name} {:?} {}: private {s1}, missing {s2}", row.method, row.path);
            assert_eq!(b1, b2, "{name} {:?} {}: the pages differ", row.method, row.path);
            assert!(s1 >= 400, "{name} {:?} {}: {s1}", row.method, row.path);
            compared += 1;
        }
    }
    eprintln!("idor: {compared} pairs compared");
    assert!(compared >= 60, "{compared} pairs");
    // Nothing of hers changed.
    assert_eq!(count(&s, &format!("SELECT count(*) FROM posts WHERE id = {post} AND status = 'published'")), 1);
    assert_eq!(count(&s, &format!("SELECT count(*) FROM comments WHERE id = {comment} AND status = 'published'")), 1);
    assert!(alice.get(&format!("/posts/{post}")).has("只给自己看"), "still hers, still there");
}
