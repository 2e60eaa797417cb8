//! Re-authentication before an identity is replaced (issue 15): a stolen
//! session could rebind a verified identity to its own number, sending the
//! code to the new mobile, and the owner lost posting rights. Now
//! replacing a bound identity takes the current password and a code sent to
//! the mobile bound now; staff's request for a full re-verification is the
//! way on for a lost number; the member is told.

use crate::common::gov::*;
use crate::common::identity::{code_for, fresh_identity};
use crate::common::{with_admin, Client, Page};

fn rebind(c: &Client, number: &str, mobile: &str, extra: &[(&str, &str)]) -> Page {
    let mut f = vec![("subject_type", "individual"), ("legal_name", "李四"), ("number", number), ("mobile", mobile)];
    f.extend_from_slice(extra);
    c.post("/settings/identity", &f)
}

/// The newest outbox line for `@name`.
fn last_sms(c: &Client, name: &str) -> String {
    let log = std::fs::read_to_string(c.data.join("outbox").join("sms.log")).unwrap();
    log.lines().rev().find(|l| l.contains(&format!("@{name}"))).unwrap().to_string()
}

#[test]
fn a_bound_identity_is_replaced_only_with_password_and_old_mobile() {
    let (s, admin) = with_admin();
    let alice = s.client();
    alice.signup_unverified("alice");
    alice.get("/?lang=en");
    let (_, old_mobile) = alice.verify_identity("alice");
    let verified = || {
        count(&s, "SELECT count(*) FROM identities WHERE status = 'verified' AND user_id = (SELECT id FROM users WHERE username = 'alice')")
    };
    assert_eq!(verified(), 1);
    let (number, new_mobile) = fresh_identity();

    // A stolen session: no password, a wrong one.
    let page = alice.get("/settings/identity");
    assert!(page.has("name=\"current_password\"") && page.has("name=\"old_code\""), "{}", page.body);
    assert!(page.has("No longer have that number?"));
    let p = rebind(&alice, &number, &new_mobile, &[]);
    assert_eq!(p.status, 422);
    assert!(p.has("Wrong current password"), "{}", p.body);
    let p = rebind(&alice, &number, &new_mobile, &[("current_password", "guess guess")]);
    assert_eq!(p.status, 422);
    assert_eq!(verified(), 1, "nothing changed");
    // The password alone is not enough while the old mobile works.
    let p = rebind(&alice, &number, &new_mobile, &[("current_password", "correct horse"), ("old_code", "")]);
    assert_eq!(p.status, 422);
    assert!(p.has("First send a code to the mobile bound now"), "{}", p.body);
    assert_eq!(verified(), 1);

    // A code to the old mobile (a few minutes after the first binding's).
    let age_sends = || db(&s).execute("UPDATE sms_sends SET sent_at = sent_at - 300", []).unwrap();
    age_sends();
    let p = alice.post("/settings/identity/send", &[("purpose", "change")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(last_sms(&alice, "alice").contains(&old_mobile[7..]), "to the old number: {}", last_sms(&alice, "alice"));
    assert!(alice.get("/settings/identity?sent_old=1").has("A code was sent to the mobile bound now"));
    let code = code_for(&alice.data, "alice").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let p = rebind(&alice, &number, &new_mobile, &[("current_password", "correct horse"), ("old_code", wrong)]);
    assert_eq!(p.status, 422);
    assert!(p.has("tries left"), "{}", p.body);
    assert_eq!(verified(), 1);
    let p = rebind(&alice, &number, &new_mobile, &[("current_password", "correct horse"), ("old_code", &code)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(last_sms(&alice, "alice").contains(&new_mobile[7..]), "then a code to the new number");
    assert_eq!(verified(), 0, "checked again");
    assert!(alice.get("/notifications").has("Your identity details were changed"));
    let outcomes =
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'identity.bind' AND outcome LIKE 'refused%'");
    assert_eq!(outcomes, 2, "the wrong passwords are logged");
    assert_eq!(
        count(&s, "SELECT count(*) FROM activity_log WHERE action = 'identity.reauth' AND outcome = 'ok: old mobile'"),
        1
    );
    alice.confirm_code("alice");
    alice.wait_verified();
    age_sends();

    // Lost the old number: an admin asks for a full re-verification, then
    // the password alone rebinds.
    let id = count(&s, "SELECT id FROM users WHERE username = 'alice'");
    assert_eq!(admin.post(&format!("/admin/identities/{id}/recheck"), &[]).status, 303);
    let page = alice.get("/settings/identity");
    assert!(page.has("name=\"current_password\"") && !page.has("name=\"old_code\""), "{}", page.body);
    let (number, mobile) = fresh_identity();
    let p = rebind(&alice, &number, &mobile, &[("current_password", "correct horse")]);
    assert_eq!(p.status, 303, "{}", p.body);

    // A first binding needs nothing more than before.
    let bob = s.client();
    bob.signup_unverified("bob");
    assert!(!bob.get("/settings/identity").has("name=\"current_password\""));
    bob.verify_identity("bob");
}

/// Guessing the password through the identity form is slowed down like a
/// password change (they share the count).
#[test]
fn password_guesses_on_the_identity_form_are_throttled() {
    let s = crate::common::Server::start();
    let alice = member(&s, "alice");
    let (number, mobile) = fresh_identity();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let p =
            rebind(&alice, &number, &mobile, &[("current_password", &format!("guess {i}")), ("old_code", "123456")]);
        statuses.push(p.status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let p = rebind(&alice, &number, &mobile, &[("current_password", "correct horse"), ("old_code", "123456")]);
    assert_eq!(p.status, 429, "even the right password waits");
}
