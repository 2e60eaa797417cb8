//! Staff rank (R6.5): a staff member may sanction only an account of lower
//! rank (member < reviewer < chief_editor < admin), never their own. The
//! matrix: every acting staff role x every target rank (and oneself) x
//! every sanction (removing a post, removing a comment, taking credit
//! points, restricting through a complaint, upholding a complaint,
//! refusing an identity). A refusal is 403 with the reason in words,
//! changes nothing and is recorded as `access.denied`.

use crate::common::gov::*;
use crate::common::{with_admin, Client, Page};

/// An acting or target account.
struct Account {
    name: &'static str,
    rank: u8,
    client: Client,
}

/// What one sanction did, as the person sees and the database shows.
fn refused_in_words(p: &Page) -> bool {
    p.status == 403 && p.has("equal or higher rank") && p.has("chief editor or an admin")
}

/// One case of the matrix: `expect` whether it may; returns a description
/// of a mismatch, if any.
fn check(s: &Server, what: &str, actor: &Account, target: &Account, p: &Page, changed: bool) -> Option<String> {
    let allowed = actor.rank > target.rank;
    let case = format!("{what}: {} (rank {}) on {} (rank {})", actor.name, actor.rank, target.name, target.rank);
    if allowed {
        if p.status != 303 || !changed {
            return Some(format!("{case}: should be done, got {} changed={changed}: {}", p.status, p.body));
        }
    } else {
        if !refused_in_words(p) {
            return Some(format!("{case}: should be refused in words, got {}: {}", p.status, p.body));
        }
        if changed {
            return Some(format!("{case}: refused but something changed"));
        }
        let logged = count(
            s,
            "SELECT count(*) FROM activity_log WHERE action = 'access.denied' AND outcome LIKE '%outranked%'
             AND id = (SELECT max(id) FROM activity_log)",
        );
        if logged != 1 {
            return Some(format!("{case}: the attempt was not recorded"));
        }
    }
    None
}

/// The whole matrix on one server. Content is made before any sanction
/// (a sanctioned account may lose the right to post), identities are
/// refused last.
#[test]
fn staff_sanction_only_lower_ranks() {
    let (s, admin) = with_admin();
    admin.get("/?lang=en");
    let acc =
        |name: &'static str, roles: &[&str], rank: u8| Account { name, rank, client: staff(&s, &admin, name, roles) };
    let rita = acc("rita", &["reviewer"], 1);
    let carl = acc("carl", &["chief_editor"], 2);
    // An account holding several roles ranks by its highest.
    let ada = acc("ada", &["reviewer", "admin"], 3);
    let targets = [
        acc("mia", &[], 0),
        acc("rob", &["reviewer"], 1),
        acc("cleo", &["chief_editor"], 2),
        acc("abe", &["admin"], 3),
    ];
    let filer = member(&s, "fred");
    // Removal, credit and complaints are reviewer and chief editor pages;
    // identities are reviewer and admin pages (the routing table, R6.5).
    let content_staff = [&rita, &carl];
    let identity_staff = [&rita, &ada];

    // Each case gets its own post, comment and complaint.
    struct Case {
        post: i64,
        complained: i64,
        comment: i64,
        complaint: i64,
    }
    let mut cases = Vec::new();
    for actor in content_staff {
        for t in targets.iter().chain([actor]) {
            let post = t.client.post_status(&format!("post of {} for {}", t.name, actor.name), "public");
            let complained =
                t.client.post_status(&format!("complained post of {} for {}", t.name, actor.name), "public");
            let c = t.client.post(&format!("/posts/{post}/comments"), &[("body", "a comment")]);
            assert_eq!(c.status, 303, "{}", c.body);
            let comment = count(&s, &format!("SELECT max(id) FROM comments WHERE post_id = {post}"));
            let f = filer.post(
                "/complaints",
                &[("target", &format!("post:{complained}")), ("category", "other"), ("body", "b"), ("contact", "")],
            );
            assert_eq!(f.status, 303, "{}", f.body);
            let complaint = count(&s, "SELECT max(id) FROM complaints");
            cases.push((actor.name, t.name, Case { post, complained, comment, complaint }));
        }
    }
    let find = |a: &str, t: &str| &cases.iter().find(|(x, y, _)| *x == a && *y == t).unwrap().2;
    let credit_events = |name: &str| {
        count(
            &s,
            &format!(
                "SELECT count(*) FROM credit_events WHERE user_id = (SELECT id FROM users WHERE username = '{name}')"
            ),
        )
    };

    let mut failures = Vec::new();
    let mut tried = 0;
    for actor in content_staff {
        for t in targets.iter().chain([actor]) {
            let k = find(actor.name, t.name);
            let a = &actor.client;
            let why = [("reason", "违反平台规则"), ("category", "other")];

            let p = a.post(&format!("/admin/posts/{}/remove", k.post), &why);
            let changed = status(&s, k.post) == "removed";
            failures.extend(check(&s, "remove post", actor, t, &p, changed));

            let p = a.post(&format!("/admin/comments/{}/remove", k.comment), &why);
            let st: String =
                db(&s).query_row("SELECT status FROM comments WHERE id = ?1", [k.comment], |r| r.get(0)).unwrap();
            failures.extend(check(&s, "remove comment", actor, t, &p, st == "removed"));

            let before = credit_events(t.name);
            let p = a.post(&format!("/admin/credit/{}/adjust", t.name), &[("delta", "-150"), ("reason", "扣分")]);
            failures.extend(check(&s, "take credit", actor, t, &p, credit_events(t.name) > before));

            let before = credit_events(t.name);
            let p = a.post(
                &format!("/admin/complaints/{}/resolve", k.complaint),
                &[("decision", "upheld"), ("resolution", "属实")],
            );
            let open =
                count(&s, &format!("SELECT count(*) FROM complaints WHERE id = {} AND status = 'open'", k.complaint));
            failures.extend(check(&s, "uphold complaint", actor, t, &p, open == 0 && credit_events(t.name) > before));

            let before = credit_events(t.name);
            let f = filer.post(
                "/complaints",
                &[("target", &format!("user:{}", t.name)), ("category", "other"), ("body", "b"), ("contact", "")],
            );
            assert_eq!(f.status, 303, "{}", f.body);
            let c = count(&s, "SELECT max(id) FROM complaints");
            let p = a.post(&format!("/admin/complaints/{c}/act"), &[("action", "restrict"), ("reason", "限制")]);
            // A score already at the floor gains no event; rank decides before that.
            let changed = credit_events(t.name) > before || actor.rank > t.rank && p.status == 303;
            failures.extend(check(&s, "restrict", actor, t, &p, changed));
            let _ = k.complained;
            tried += 5;
        }
    }
    for actor in identity_staff {
        for t in targets.iter().chain([actor]) {
            let id = count(&s, &format!("SELECT id FROM users WHERE username = '{}'", t.name));
            let rejections = || {
                count(
                    &s,
                    &format!(
                        "SELECT count(*) FROM activity_log WHERE action = 'identity.reject' AND target = 'user:{id}'"
                    ),
                )
            };
            let before = (identity_status(&s, id), rejections());
            let p = actor.client.post(&format!("/admin/identities/{id}/reject"), &[("reason", "材料不符")]);
            let after = (identity_status(&s, id), rejections());
            if t.name == actor.name {
                // One's own identity is refused by the older rule first, in words too.
                assert!(p.status == 403 && p.has("your own identity") && before == after, "{}", p.body);
            } else {
                failures.extend(check(&s, "refuse identity", actor, t, &p, before != after));
            }
            tried += 1;
        }
    }
    assert!(tried >= 60, "{tried} cases");
    assert!(failures.is_empty(), "{} of {tried} cases wrong:\n{}", failures.len(), failures.join("\n"));

    // The zh-CN page says it in Chinese, naming the target's role.
    let k = find("rita", "cleo");
    rita.client.get("/?lang=zh");
    let p = rita.client.post(&format!("/admin/posts/{}/remove", k.post), &[("reason", "x"), ("category", "other")]);
    assert_eq!(p.status, 403);
    assert!(p.has("该账号是总编辑") && p.has("同级或更高级别"), "{}", p.body);
    let (ok, out, _) = s.command(&["log", "verify"]);
    assert!(ok, "{out}");
}

/// Bulk takedown (R6.4) by a chief editor leaves the posts of accounts of
/// equal or higher rank and says how many in the log.
#[test]
fn bulk_takedown_leaves_higher_ranks() {
    let (s, admin) = with_admin();
    let carl = staff(&s, &admin, "carl", &["chief_editor"]);
    let mia = member(&s, "mia");
    let mine = mia.post_status("清除词 from a member", "public");
    let theirs = admin.post_status("清除词 from the admin", "public");
    let own = carl.post_status("清除词 from the chief", "public");
    let p = carl.post(
        "/admin/takedown",
        &[("keyword", "清除词"), ("expected", "3"), ("reason", "批量处置"), ("category", "other")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(status(&s, mine), "removed");
    assert_eq!(status(&s, theirs), "published", "an admin's post stays");
    assert_eq!(status(&s, own), "published", "and the chief editor's own");
    let outcome: String = db(&s)
        .query_row("SELECT outcome FROM activity_log WHERE action = 'post.bulk_remove'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(outcome, "1 posts; 2 left: outranked");
}

fn identity_status(s: &Server, user: i64) -> String {
    db(s)
        .query_row("SELECT status FROM identities WHERE user_id = ?1", [user], |r| r.get::<_, String>(0))
        .unwrap_or_default()
}

use crate::common::Server;
