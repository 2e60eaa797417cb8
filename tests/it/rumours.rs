//! 不实信息 labels (R11.1, R6.5): proposed by a reviewer, confirmed by the
//! chief editor, shown on the post and every repost down a chain of depth
//! 3, with everyone who reposted, commented on or liked it told; withdrawn
//! by the chief editor, with everyone told again.

use crate::common::gov::*;
use crate::common::{id_from, with_admin, Client};

fn repost(c: &Client, of: i64, body: &str) -> i64 {
    let p = c.post(&format!("/posts/{of}/repost"), &[("body", body)]);
    assert_eq!(p.status, 303, "{}", p.body);
    id_from(p.location.as_deref().unwrap())
}

fn notes(s: &Server, kind: &str) -> i64 {
    count(s, &format!("SELECT count(*) FROM notifications WHERE kind = '{kind}'"))
}

use crate::common::Server;

#[test]
fn label_on_a_repost_chain_of_depth_three() {
    let (s, admin) = with_admin();
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let [alice, bob, carol, dave, erin, frank] =
        ["alice", "bob", "carol", "dave", "erin", "frank"].map(|n| member(&s, n));
    let original = alice.post_status("喝醋能治病", "public");
    let refuting = chief.post_status("官方辟谣：喝醋不能治病", "public");
    let r1 = repost(&bob, original, "转");
    let r2 = repost(&carol, r1, "再转");
    let r3 = repost(&dave, r2, "三转");
    assert_eq!(erin.post(&format!("/posts/{original}/comments"), &[("body", "真的吗")]).status, 303);
    assert_eq!(frank.post(&format!("/posts/{original}/like"), &[]).status, 303);
    assert_eq!(bob.post(&format!("/posts/{original}/like"), &[]).status, 303, "bob counts once");

    // Proposed on a repost: the label goes on the original.
    assert_eq!(alice.post(&format!("/admin/posts/{r2}/rumour"), &[("refutation", "x")]).status, 403);
    let p = reviewer.post(
        &format!("/admin/posts/{r2}/rumour"),
        &[("refutation", "经核实，喝醋不能治病。"), ("refuting_post", &format!("{}/posts/{refuting}", s.base))],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let again = reviewer.post(&format!("/admin/posts/{original}/rumour"), &[("refutation", "again")]);
    assert_eq!(again.status, 422, "one live label a post");
    assert_eq!(count(&s, &format!("SELECT count(*) FROM rumour_labels WHERE post_id = {original}")), 1);
    assert!(!s.client().get(&format!("/posts/{original}")).has("经核实"), "not shown before it is confirmed");
    let label = count(&s, "SELECT id FROM rumour_labels");
    assert_eq!(reviewer.post(&format!("/admin/rumours/{label}/confirm"), &[]).status, 403, "the chief editor decides");
    assert!(chief.get("/admin/rumours").has("经核实，喝醋不能治病。"));

    assert_eq!(chief.post(&format!("/admin/rumours/{label}/confirm"), &[]).status, 303);
    let anon = s.client();
    anon.get("/?lang=en");
    for id in [original, r1, r2, r3] {
        let page = anon.get(&format!("/posts/{id}"));
        assert!(page.has("False information") && page.has("经核实，喝醋不能治病。"), "post {id}: {}", page.body);
        assert!(page.has(&format!("href=\"/posts/{refuting}\"")), "links the refutation");
    }
    assert_eq!(anon.get("/public").body.matches("经核实，喝醋不能治病。").count(), 4, "in the timeline too");
    // alice (author), bob, carol, dave (reposts), erin (comment), frank (like): each once.
    assert_eq!(notes(&s, "rumour"), 6);
    let n = frank.get("/notifications");
    assert!(n.has("labelled false information") && n.has("经核实"), "{}", n.body);
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'rumour.confirm' AND outcome = 'ok, 6 notified'"),
        1
    );

    assert_eq!(chief.post(&format!("/admin/rumours/{label}/withdraw"), &[]).status, 303);
    assert!(!anon.get(&format!("/posts/{r3}")).has("经核实"));
    assert_eq!(notes(&s, "rumour_withdrawn"), 6);
    assert_eq!(chief.post(&format!("/admin/rumours/{label}/withdraw"), &[]).status, 422, "only once");

    // A declined proposal shows nowhere and tells nobody.
    assert_eq!(reviewer.post(&format!("/admin/posts/{original}/rumour"), &[("refutation", "第二次")]).status, 303);
    let second = count(&s, "SELECT max(id) FROM rumour_labels");
    assert_eq!(chief.post(&format!("/admin/rumours/{second}/decline"), &[]).status, 303);
    assert!(!anon.get(&format!("/posts/{original}")).has("第二次"));
    assert_eq!(notes(&s, "rumour") + notes(&s, "rumour_withdrawn"), 12);
}
