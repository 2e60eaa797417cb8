//! What a hostile or careless client found in the client API (issue 19),
//! each now answered as the pages would: a value of the wrong JSON type is
//! refused naming its field (never read as absent, so never a public post
//! meant to be direct), suspended accounts stay out of the liker and
//! booster lists (as on the page, issue 18), a boost of a boost boosts the
//! original it shows and boosting twice makes one boost, `lookup` finds
//! no remote accounts, `pinned=true` lists the pinned post, and a post
//! retried with its `Idempotency-Key` is made once, and a staff notice
//! names no staff member.

use crate::common::api::*;
use crate::common::gov::*;
use crate::common::with_admin;
use serde_json::json;

#[test]
fn a_value_of_the_wrong_type_is_refused_naming_its_field_and_nothing_is_stored() {
    let (s, _admin) = with_admin();
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read write"));
    let before = count(&s, "SELECT count(*) FROM posts");
    for (body, field) in [
        (json!({"status": "meant for nobody", "visibility": ["direct"]}), "visibility"),
        (json!({"status": "meant for nobody", "visibility": {"v": "direct"}}), "visibility"),
        (json!({"status": ["a", "b"]}), "status"),
        (json!({"status": "a reply", "in_reply_to_id": [1]}), "in_reply_to_id"),
        (json!({"status": "with media", "media_ids": [{"a": 1}]}), "media_ids"),
    ] {
        let r = a.post_json("/api/v1/statuses", &body);
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(r.error().starts_with(&format!("{field}:")), "{body}: {}", r.text);
    }
    // Empty ones too: an empty array or object, or a list of nulls, is not "absent".
    for (body, field) in [
        (json!({"status": "meant for nobody", "visibility": []}), "visibility"),
        (json!({"status": "meant for nobody", "visibility": {}}), "visibility"),
        (json!({"status": "a reply", "in_reply_to_id": [null]}), "in_reply_to_id"),
        (json!({"status": "warned", "spoiler_text": {}}), "spoiler_text"),
        (json!({"status": "with media", "media_ids": {}}), "media_ids"),
    ] {
        let r = a.post_json("/api/v1/statuses", &body);
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(r.error().starts_with(&format!("{field}:")), "{body}: {}", r.text);
    }
    // The same through a form: `visibility[]=direct` is an array too, and a
    // second value (in the body or the query) is not overruled by the first.
    for (path, form) in [
        ("/api/v1/statuses", vec![("status", "form"), ("visibility[]", "direct")]),
        ("/api/v1/statuses", vec![("status", "form"), ("visibility", "direct"), ("visibility", "public")]),
        ("/api/v1/statuses?visibility=public", vec![("status", "form"), ("visibility", "direct")]),
        ("/api/v1/statuses?visibility=public", vec![("status", "form"), ("visibility[]", "direct")]),
    ] {
        let r = a.post(path, &form);
        assert_eq!(r.status, 422, "{path} {form:?}: {}", r.text);
        assert!(r.error().starts_with("visibility:"), "{}", r.text);
    }
    // A malformed reply id is named; a well-formed one of nothing is missing.
    let r = a.post("/api/v1/statuses", &[("status", "a reply"), ("in_reply_to_id", "abc")]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().starts_with("in_reply_to_id:"), "{}", r.text);
    assert_eq!(a.post("/api/v1/statuses", &[("status", "a reply"), ("in_reply_to_id", "999999")]).status, 404);
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), before);
    // An empty list where a list goes is just that, as apps send it.
    let r = a.post_json("/api/v1/statuses", &json!({"status": "no media", "media_ids": []}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), before + 1);

    // Profile: a wrong type is named and changes nothing; an empty name clears it, as the page does.
    let r = a.send_json("PATCH", "/api/v1/accounts/update_credentials", &json!({"display_name": "Alice"}));
    assert_eq!(r.body["display_name"], "Alice", "{}", r.text);
    let r = a.send_json("PATCH", "/api/v1/accounts/update_credentials", &json!({"display_name": ["x"]}));
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().starts_with("display_name:"), "{}", r.text);
    assert_eq!(a.get("/api/v1/accounts/verify_credentials").body["display_name"], "Alice");
    let r = a.send_json("PATCH", "/api/v1/accounts/update_credentials", &json!({"display_name": ""}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["display_name"], "alice", "an empty name shows the username, {}", r.text);
    // Markers: a list where a number goes, a timeline without its `last_read_id`, a negative id.
    for body in [
        json!({"home": {"last_read_id": ["x"]}}),
        json!({"home": "5"}),
        json!({"home": ["5"]}),
        json!({"notifications": {"last_read_id": "-5"}}),
    ] {
        let r = a.post_json("/api/v1/markers", &body);
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(r.error().contains("[last_read_id]:"), "{body}: {}", r.text);
    }
    assert_eq!(a.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").text, "{}");
    let r = a.post_json("/api/v1/markers", &json!({"home": {"last_read_id": "5"}}));
    assert_eq!((r.status, r.body["home"]["last_read_id"].as_str()), (200, Some("5")), "{}", r.text);
}

#[test]
fn suspended_accounts_are_not_listed_as_likers_or_boosters() {
    let (s, admin) = with_admin();
    s.switch_reposts_on();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let alice = member(&s, "alice");
    let post = alice.post_status("liked and boosted", "public").to_string();
    for name in ["bob", "eve"] {
        let c = member(&s, name);
        let api = Api::with_token(&s, &token_for(&s, &c, "App", "read write"));
        assert_eq!(api.post(&format!("/api/v1/statuses/{post}/favourite"), &[]).status, 200);
        assert_eq!(api.post(&format!("/api/v1/statuses/{post}/reblog"), &[]).status, 200);
    }
    let names = |path: &str| -> Vec<String> {
        let r = Api::new(&s).get(path);
        r.body.as_array().unwrap_or_else(|| panic!("{}", r.text)).iter().map(|a| a["username"].to_string()).collect()
    };
    assert_eq!(names(&format!("/api/v1/statuses/{post}/favourited_by")).len(), 2);
    let form = "/admin/credit/eve/sanction";
    assert_eq!(rita.post(form, &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "违规")]).status, 303);
    for list in ["favourited_by", "reblogged_by"] {
        let got = names(&format!("/api/v1/statuses/{post}/{list}"));
        assert_eq!(got, ["\"bob\""], "{list}");
    }
    // The page's liker list says the same.
    let page = s.client().get(&format!("/posts/{post}/likes"));
    assert!(page.body.contains("bob") && !page.body.contains("eve"), "{}", page.body);
}

#[test]
fn a_boost_of_a_boost_boosts_the_original_once() {
    let (s, _admin) = with_admin();
    s.switch_reposts_on();
    let alice = member(&s, "alice");
    let (_, b) = member_api(&s, "bob", "read write");
    let (_, c) = member_api(&s, "carol", "read write");
    let original = alice.post_status("worth sharing", "public").to_string();
    let bobs = b.post(&format!("/api/v1/statuses/{original}/reblog"), &[]);
    let bobs = bobs.body["id"].as_str().unwrap().to_string();

    // Carol boosts Bob's boost: a boost of Alice's post, as her app showed it.
    let r = c.post(&format!("/api/v1/statuses/{bobs}/reblog"), &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["reblog"]["id"], original.as_str(), "{}", r.text);
    let carols = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(c.get(&format!("/api/v1/statuses/{original}")).body["reblogged"], true);
    // Again: the same boost, no second one.
    let again = c.post(&format!("/api/v1/statuses/{original}/reblog"), &[]);
    assert_eq!((again.status, again.body["id"].as_str()), (200, Some(carols.as_str())), "{}", again.text);
    let boosters = Api::new(&s).get(&format!("/api/v1/statuses/{original}/reblogged_by"));
    let mut names: Vec<&str> =
        boosters.body.as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["bob", "carol"], "{}", boosters.text);
    assert_eq!(c.get(&format!("/api/v1/statuses/{original}")).body["reblogs_count"], 2);

    // Unreblog through Bob's boost's id: Carol's boost of the original goes.
    let r = c.post(&format!("/api/v1/statuses/{bobs}/unreblog"), &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(c.get(&format!("/api/v1/statuses/{carols}")).status, 410);
    assert_eq!(c.get(&format!("/api/v1/statuses/{original}")).body["reblogged"], false);
}

#[test]
fn lookup_knows_no_remote_accounts_and_pinned_lists_the_pinned_post() {
    let (s, _admin) = with_admin();
    let alice = member(&s, "alice");
    let anon = Api::new(&s);
    // Plaza has no remote accounts: `alice@elsewhere` is not our alice.
    assert_eq!(anon.get("/api/v1/accounts/lookup?acct=alice@evil.example").status, 404);
    let host = s.base.trim_start_matches("http://");
    let r = anon.get(&format!("/api/v1/accounts/lookup?acct=alice@{host}"));
    assert_eq!((r.status, r.body["username"].as_str()), (200, Some("alice")), "{}", r.text);
    let alice_id = r.body["id"].as_str().unwrap().to_string();

    // `pinned=true`: the pinned post alone; none before one is pinned.
    let first = alice.post_status("pin me", "public");
    alice.post_status("a later post", "public");
    let pinned = format!("/api/v1/accounts/{alice_id}/statuses?pinned=true");
    assert_eq!(anon.get(&pinned).text, "[]");
    assert_eq!(alice.post(&format!("/posts/{first}/pin"), &[]).status, 303);
    let r = anon.get(&pinned);
    let ids: Vec<&str> = r.body.as_array().unwrap().iter().map(|st| st["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [first.to_string()], "{}", r.text);
    assert_eq!(anon.get(&format!("/api/v1/accounts/{alice_id}/statuses")).body.as_array().unwrap().len(), 2);
}

#[test]
fn a_post_retried_with_its_idempotency_key_is_made_once() {
    let (s, _admin) = with_admin();
    let alice = member(&s, "alice");
    let (_, b) = member_api(&s, "bob", "read write");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read write"));
    let key = ("Idempotency-Key", "retry-1");
    let first = a.post_with("/api/v1/statuses", key, &[("status", "sent on a bad line")]);
    assert_eq!(first.status, 200, "{}", first.text);
    let again = a.post_with("/api/v1/statuses", key, &[("status", "sent on a bad line")]);
    assert_eq!((again.status, &again.body["id"]), (200, &first.body["id"]), "{}", again.text);
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), 1);
    // Another key, or another member with the same key: a post of its own.
    assert_ne!(
        a.post_with("/api/v1/statuses", ("Idempotency-Key", "retry-2"), &[("status", "two")]).body["id"],
        first.body["id"]
    );
    assert_eq!(b.post_with("/api/v1/statuses", key, &[("status", "bob's")]).status, 200);
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), 3);
    // A refused post is not remembered: fixed and sent again with its key, it goes through.
    let k3 = ("Idempotency-Key", "retry-3");
    assert_eq!(a.post_with("/api/v1/statuses", k3, &[("status", "")]).status, 422);
    assert_eq!(a.post_with("/api/v1/statuses", k3, &[("status", "now with words")]).status, 200);
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), 4);
}

#[test]
fn a_staff_notice_names_no_staff_member() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read"));
    let post = alice.post_status("to be removed", "public");
    let r = rita.post(&format!("/admin/posts/{post}/remove"), &[("reason", "违反平台规则"), ("category", "politics")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let list = a.get("/api/v1/notifications");
    let notice = list.body.as_array().unwrap().iter().find(|n| n["type"] == "moderation_warning");
    let notice = notice.unwrap_or_else(|| panic!("{}", list.text));
    assert_eq!(notice["account"]["username"], "alice", "{notice}");
    assert!(notice["plaza_text"].as_str().unwrap().contains("违反平台规则"), "{notice}");
    assert!(!list.text.contains("rita"), "{}", list.text);
}

#[test]
fn content_keeps_the_texts_lines_as_html_paragraphs_and_breaks() {
    let (s, _admin) = with_admin();
    let (_, a) = member_api(&s, "alice", "read write");
    let r = a.post("/api/v1/statuses", &[("status", "line1\nline2\n\nline4 #tag")]);
    assert_eq!(r.status, 200, "{}", r.text);
    let content = r.body["content"].as_str().unwrap();
    assert!(content.starts_with("<p>line1<br>line2</p><p>line4 <a class=\"tag\""), "{content}");
    assert!(content.ends_with("</a></p>"), "{content}");
}
