//! Writes and reads through the client API (issue 19): the same rules as
//! the pages (identity, keywords, review queue, visibility), the refusal in
//! words with its status, the activity log naming the app, and the
//! timelines paged with `Link` headers.

use crate::common::api::*;
use crate::common::gov::*;
use crate::common::with_admin;

#[test]
fn posting_through_the_api_passes_the_same_rules_as_the_web() {
    let (s, admin) = with_admin();
    add_rule(&admin, "赌博", "gambling", "block");
    add_rule(&admin, "代开发票", "fraud", "review");
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "Phone App", "read write follow"));

    // R7.1: no identity, no posting: 403 with the identity page's address.
    let plain = s.client();
    plain.signup_unverified("plain");
    let p = Api::with_token(&s, &token_for(&s, &plain, "Phone App", "read write"));
    let r = p.post("/api/v1/statuses", &[("status", "hello")]);
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(r.body["identity_url"].as_str().unwrap().ends_with("/settings/identity"));
    assert!(r.error().contains("/settings/identity"));
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), 0);

    // A post, with a hashtag; the log names the app as the client (R16.1).
    let r = a.post("/api/v1/statuses", &[("status", "你好 #话题# hello"), ("visibility", "public")]);
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert!(r.body["content"].as_str().unwrap().contains("你好"));
    assert_eq!(r.body["visibility"], "public");
    assert_eq!(r.body["account"]["username"], "alice");
    assert_eq!(r.body["plaza_status"], "published");
    assert_eq!(r.body["tags"][0]["name"], "话题");
    // The tag's link in the content is the tag's absolute URL, which apps match a tap against.
    let tag_url = r.body["tags"][0]["url"].as_str().unwrap();
    assert!(tag_url.starts_with(&s.base), "{tag_url}");
    assert!(r.body["content"].as_str().unwrap().contains(&format!("href=\"{tag_url}\"")), "{}", r.text);
    assert!(
        count(
            &s,
            "SELECT count(*) FROM activity_log WHERE user_agent LIKE 'app:Phone App / %' AND account_id IS NOT NULL"
        ) >= 1
    );
    let anon = Api::new(&s);
    assert_eq!(anon.get(&format!("/api/v1/statuses/{id}")).body["content"], r.body["content"]);

    // R12.1: a blocked word is refused in words (422), nothing stored.
    let before = count(&s, "SELECT count(*) FROM posts");
    let r = a.post("/api/v1/statuses", &[("status", "来赌博吧")]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(!r.error().is_empty());
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), before);
    // Too long, a bad visibility: 422 naming the problem.
    let r = a.post("/api/v1/statuses", &[("status", &"字".repeat(2001))]);
    assert_eq!(r.status, 422);
    let r = a.post("/api/v1/statuses", &[("status", "x"), ("visibility", "everyone")]);
    assert_eq!(r.status, 422);
    assert!(r.error().contains("visibility"));

    // R6.2: held for review: 202, marked pending for its author, hidden from others.
    let r = a.post("/api/v1/statuses", &[("status", "可以代开发票")]);
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["plaza_status"], "pending");
    assert!(!r.body["spoiler_text"].as_str().unwrap().is_empty());
    let held = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(anon.get(&format!("/api/v1/statuses/{held}")).status, 404);
    assert_eq!(a.get(&format!("/api/v1/statuses/{held}")).body["plaza_status"], "pending");

    // Visibility mapping: private is followers-only, direct is only me.
    let r = a.post("/api/v1/statuses", &[("status", "friends only"), ("visibility", "private")]);
    assert_eq!(r.body["visibility"], "private");
    let private = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(anon.get(&format!("/api/v1/statuses/{private}")).status, 404);
    let r = a.post_json(
        "/api/v1/statuses",
        &serde_json::json!({"status": "note to self", "visibility": "direct", "x": [1]}),
    );
    assert_eq!((r.status, r.body["visibility"].as_str()), (200, Some("direct")), "{}", r.text);

    // A comment: in_reply_to_id; it shows in the context.
    let bob = member(&s, "bob");
    let b = Api::with_token(&s, &token_for(&s, &bob, "Other App", "read write follow"));
    let r = b.post("/api/v1/statuses", &[("status", "nice"), ("in_reply_to_id", &id)]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["id"].as_str().unwrap().starts_with('c'));
    assert_eq!(r.body["in_reply_to_id"], id.as_str());
    let ctx = anon.get(&format!("/api/v1/statuses/{id}/context"));
    assert_eq!(ctx.body["descendants"][0]["content"].as_str().unwrap(), "<p>nice</p>");
    assert_eq!(ctx.body["ancestors"].as_array().unwrap().len(), 0);

    // Favourite, unfavourite.
    let r = b.post(&format!("/api/v1/statuses/{id}/favourite"), &[]);
    assert_eq!(
        (r.status, r.body["favourited"].as_bool(), r.body["favourites_count"].as_i64()),
        (200, Some(true), Some(1))
    );
    let fans = anon.get(&format!("/api/v1/statuses/{id}/favourited_by"));
    assert_eq!(fans.body[0]["username"], "bob", "{}", fans.text);
    let r = b.post(&format!("/api/v1/statuses/{id}/unfavourite"), &[]);
    assert_eq!(r.body["favourites_count"], 0);
    assert_eq!(anon.get(&format!("/api/v1/statuses/{id}/favourited_by")).text, "[]");
    assert_eq!(anon.get(&format!("/api/v1/statuses/{id}/reblogged_by")).text, "[]");

    // Bookmarks, private to the member.
    let r = b.post(&format!("/api/v1/statuses/{id}/bookmark"), &[]);
    assert_eq!((r.status, r.body["bookmarked"].as_bool()), (200, Some(true)), "{}", r.text);
    assert_eq!(b.get("/api/v1/bookmarks").body[0]["id"], id.as_str());
    assert_eq!(a.get("/api/v1/bookmarks").text, "[]");
    assert_eq!(b.post(&format!("/api/v1/statuses/{id}/unbookmark"), &[]).body["bookmarked"], false);
    assert_eq!(b.get("/api/v1/bookmarks").text, "[]");

    // Delete: someone else's is refused, one's own goes (then 410).
    let r = b.delete(&format!("/api/v1/statuses/{id}"));
    assert_eq!(r.status, 403);
    let r = a.delete(&format!("/api/v1/statuses/{id}"));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(anon.get(&format!("/api/v1/statuses/{id}")).status, 410);
    // A token without write may not post.
    let reader = Api::with_token(&s, &token_for(&s, &alice, "Reader", "read"));
    assert_eq!(reader.post("/api/v1/statuses", &[("status", "x")]).status, 403);
}

#[test]
fn timelines_page_with_link_headers_and_keep_the_pages_visibility() {
    let (s, _admin) = with_admin();
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read write follow"));
    let b = Api::with_token(&s, &token_for(&s, &bob, "App", "read write follow"));
    let mut ids = Vec::new();
    for i in 0..5 {
        let r = a.post("/api/v1/statuses", &[("status", &format!("post {i} #tl"))]);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    a.post("/api/v1/statuses", &[("status", "for followers"), ("visibility", "private")]);
    let alice_id = a.get("/api/v1/accounts/verify_credentials").body["id"].as_str().unwrap().to_string();

    // Before following: bob's home lacks alice; the followers-only post is hidden everywhere.
    let home = b.get("/api/v1/timelines/home");
    assert_eq!(home.status, 200);
    assert_eq!(home.body.as_array().unwrap().len(), 0);
    let public = Api::new(&s).get("/api/v1/timelines/public?limit=40");
    assert!(!public.text.contains("for followers"));

    // Follow through the API: the Relationship says so.
    let r = b.post(&format!("/api/v1/accounts/{alice_id}/follow"), &[]);
    assert_eq!((r.status, r.body["following"].as_bool()), (200, Some(true)), "{}", r.text);
    let rel = b.get(&format!("/api/v1/accounts/relationships?id[]={alice_id}"));
    assert_eq!(rel.body[0]["following"], true);
    assert_eq!(b.get(&format!("/api/v1/accounts/{alice_id}/followers")).body[0]["username"], "bob");

    // Home, two at a time, newest first, following the Link header.
    let page = b.get("/api/v1/timelines/home?limit=2");
    let got: Vec<&str> = page.body.as_array().unwrap().iter().map(|s| s["content"].as_str().unwrap()).collect();
    assert_eq!(got.len(), 2);
    assert!(got[0].contains("for followers"), "{got:?}");
    let link = page.header("link").expect("a Link header").to_string();
    assert!(link.contains("rel=\"next\"") && link.contains("rel=\"prev\""), "{link}");
    let next = link.split('<').nth(1).unwrap().split('>').next().unwrap();
    let next_path = &next[next.find("/api/").unwrap()..];
    let page2 = b.get(next_path);
    assert_eq!(page2.body[0]["id"], ids[3].as_str(), "{}", page2.text);
    // since_id and min_id.
    let newer = b.get(&format!("/api/v1/timelines/home?min_id={}&limit=2", ids[1]));
    assert_eq!(newer.body.as_array().unwrap().len(), 2);
    assert_eq!(newer.body[1]["id"], ids[2].as_str());
    // Bad numbers are named (422), an over-large limit is clamped.
    let bad = b.get("/api/v1/timelines/home?max_id=abc");
    assert_eq!(bad.status, 422);
    assert!(bad.error().contains("max_id"));
    assert_eq!(b.get("/api/v1/timelines/home?limit=500").status, 200);

    // Search, through the search page's queries and visibility.
    let found = b.get("/api/v2/search?q=post&type=statuses");
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(found.body["statuses"].as_array().unwrap().len(), 5, "{}", found.text);
    let found = Api::with_token(&s, &token_for(&s, &alice, "Search", "read")).get("/api/v2/search?q=alice");
    assert_eq!(found.body["accounts"][0]["username"], "alice", "{}", found.text);
    let found = b.get("/api/v2/search?q=%23tl&type=hashtags");
    assert_eq!(found.body["hashtags"][0]["name"], "tl", "{}", found.text);
    assert_eq!(b.get("/api/v2/search").status, 422);
    // Tag and account timelines, the instance's limits.
    let tag = Api::new(&s).get("/api/v1/timelines/tag/tl");
    assert_eq!(tag.body.as_array().unwrap().len(), 5);
    let theirs = Api::new(&s).get(&format!("/api/v1/accounts/{alice_id}/statuses"));
    assert_eq!(theirs.body.as_array().unwrap().len(), 5, "the followers-only post stays hidden from a visitor");
    let inst = Api::new(&s).get("/api/v2/instance");
    assert_eq!(inst.body["configuration"]["statuses"]["max_characters"], 2000);
    assert!(inst.body["configuration"]["media_attachments"]["image_size_limit"].as_u64().unwrap() > 0);
    let v1 = Api::new(&s).get("/api/v1/instance");
    assert_eq!(v1.body["configuration"]["statuses"]["max_characters"], 2000);
    assert_eq!(Api::new(&s).get("/api/v1/custom_emojis").text, "[]");

    // Profile through the API, then lookup.
    let r = a.send(
        "PATCH",
        "/api/v1/accounts/update_credentials",
        &[("display_name", "Alice A."), ("note", "hi <b>there</b>")],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["display_name"], "Alice A.");
    assert_eq!(r.body["note"], "<p>hi &lt;b&gt;there&lt;/b&gt;</p>");
    // The account embedded in a timeline read before the change is the profile as it is now.
    let home = b.get("/api/v1/timelines/home?limit=40");
    let statuses = home.body.as_array().unwrap();
    assert!(!statuses.is_empty());
    for st in statuses {
        assert_eq!(st["account"]["display_name"], "Alice A.", "{}", home.text);
        assert_eq!(st["account"]["note"], "<p>hi &lt;b&gt;there&lt;/b&gt;</p>");
    }
    let r = Api::new(&s).get("/api/v1/accounts/lookup?acct=@alice");
    assert_eq!(r.body["id"], alice_id.as_str());
    // Unfollow: gone from home.
    b.post(&format!("/api/v1/accounts/{alice_id}/unfollow"), &[]);
    assert_eq!(b.get("/api/v1/timelines/home").body.as_array().unwrap().len(), 0);
}

/// R2.2 through the API: an upload passes the post form's media checks,
/// is cleaned and stored, and a status names it in `media_ids`.
#[test]
fn media_uploads_pass_the_same_checks_and_attach_to_a_status() {
    let (s, _admin) = with_admin();
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read write"));
    let img = png(40, 30);
    let r = a.post_multipart("/api/v2/media", &[("description", "a test image")], &[("file", "x.png", &img)]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "image");
    assert_eq!(r.body["description"], "a test image");
    assert_eq!(r.body["meta"]["original"]["width"], 40);
    let media_id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(a.get(&format!("/api/v1/media/{media_id}")).body["id"], media_id.as_str());
    let r = a.send("PUT", &format!("/api/v1/media/{media_id}"), &[("description", "described again")]);
    assert_eq!(r.body["description"], "described again", "{}", r.text);

    // Not an image: refused in words, with the page's status, nothing kept.
    let before = count(&s, "SELECT count(*) FROM api_media");
    let r = a.post_multipart("/api/v2/media", &[], &[("file", "evil.png", b"<svg onload=alert(1)>")]);
    assert!(r.status == 415 || r.status == 422, "{} {}", r.status, r.text);
    assert!(r.error().contains("evil.png"), "{}", r.text);
    assert_eq!(count(&s, "SELECT count(*) FROM api_media"), before);
    let r = a.post_multipart("/api/v2/media", &[], &[]);
    assert_eq!(r.status, 422);

    // Someone else's upload cannot be posted.
    let bob = member(&s, "bob");
    let b = Api::with_token(&s, &token_for(&s, &bob, "App", "read write"));
    let r = b.post("/api/v1/statuses", &[("status", "stolen"), ("media_ids[]", &media_id)]);
    assert_eq!(r.status, 422);
    assert!(r.error().contains("media_ids"));

    // A status with the image and no text.
    let r = a.post("/api/v1/statuses", &[("status", ""), ("media_ids[]", &media_id)]);
    assert_eq!(r.status, 200, "{}", r.text);
    let att = &r.body["media_attachments"][0];
    assert_eq!(att["description"], "described again");
    let url = att["url"].as_str().unwrap();
    let path = &url[url.find("/media/").unwrap()..];
    let got = s.client().get_raw(path, &[]);
    assert_eq!(got.status, 200, "the posted image is served");
    assert!(got.body.starts_with(b"\x89PNG") || got.body.starts_with(&[0xFF, 0xD8]));
    // Used once only.
    let r = a.post("/api/v1/statuses", &[("status", "again"), ("media_ids[]", &media_id)]);
    assert_eq!(r.status, 422);
}

/// R11.1 and R2.3 through the API: a confirmed 不实信息 label is the
/// content warning of the post and of every repost, with the refutation in
/// the content; a repost without words is a boost, one with words a
/// status with a link to the original.
#[test]
fn rumour_labels_are_content_warnings_and_reposts_map_to_boosts_or_links() {
    let (s, admin) = with_admin();
    s.switch_reposts_on();
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    let b = Api::with_token(&s, &token_for(&s, &bob, "App", "read write"));
    let original = alice.post_status("喝醋能治病", "public");

    // A boost through the API, and a repost with words through the page.
    let r = b.post(&format!("/api/v1/statuses/{original}/reblog"), &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["reblog"]["id"], original.to_string().as_str());
    assert_eq!(r.body["reblog"]["account"]["username"], "alice");
    let boost = r.body["id"].as_str().unwrap().to_string();
    let p = bob.post(&format!("/posts/{original}/repost"), &[("body", "转发说两句")]);
    let quote = crate::common::id_from(p.location.as_deref().unwrap());
    let q = b.get(&format!("/api/v1/statuses/{quote}"));
    assert!(q.body["reblog"].is_null());
    let content = q.body["content"].as_str().unwrap();
    assert!(content.contains("转发说两句") && content.contains(&format!("/posts/{original}")), "{content}");
    let by = Api::new(&s).get(&format!("/api/v1/statuses/{original}/reblogged_by"));
    assert_eq!(by.body.as_array().unwrap().len(), 1, "only the boost: {}", by.text);

    // The label, confirmed by the chief editor.
    let p = reviewer.post(&format!("/admin/posts/{original}/rumour"), &[("refutation", "经核实，喝醋不能治病。")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let label = count(&s, "SELECT id FROM rumour_labels");
    assert_eq!(chief.post(&format!("/admin/rumours/{label}/confirm"), &[]).status, 303);
    let anon = Api::new(&s);
    for id in [original.to_string(), quote.to_string()] {
        let st = anon.get(&format!("/api/v1/statuses/{id}"));
        assert_eq!(st.body["sensitive"], true, "{id}: {}", st.text);
        assert_eq!(st.body["spoiler_text"], "不实信息");
        assert!(st.body["content"].as_str().unwrap().starts_with("<p class=\"rumour-label\">"), "{}", st.text);
        assert!(st.body["content"].as_str().unwrap().contains("经核实，喝醋不能治病。"));
    }
    let st = anon.get(&format!("/api/v1/statuses/{boost}"));
    assert_eq!(st.body["reblog"]["spoiler_text"], "不实信息", "{}", st.text);
    // The public timeline carries it the same way.
    let tl = anon.get("/api/v1/timelines/public");
    assert!(tl.body.as_array().unwrap().iter().all(|s| s["spoiler_text"] == "不实信息"), "{}", tl.text);

    // Unreblog takes the boost back.
    let r = b.post(&format!("/api/v1/statuses/{original}/unreblog"), &[]);
    assert_eq!(r.status, 200);
    assert_eq!(anon.get(&format!("/api/v1/statuses/{boost}")).status, 410);
}

/// Sanctions reach the API (issue 18, R6.5): a muted (禁言) account's
/// post is refused in words; a suspended (封禁) one's tokens stop working
/// with its sessions.
#[test]
fn muted_accounts_cannot_post_and_suspended_ones_lose_their_tokens() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer"]);
    let mallory = member(&s, "mallory");
    let m = Api::with_token(&s, &token_for(&s, &mallory, "App", "read write"));
    assert_eq!(m.post("/api/v1/statuses", &[("status", "before")]).status, 200);
    let form = "/admin/credit/mallory/sanction";
    assert_eq!(rita.post(form, &[("kind", "mute"), ("until", "2099-01-01"), ("reason", "刷屏")]).status, 303);
    let r = m.post("/api/v1/statuses", &[("status", "while muted")]);
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(r.error().contains("刷屏"), "{}", r.text);
    assert_eq!(rita.post(form, &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "违规")]).status, 303);
    assert_eq!(m.get("/api/v1/accounts/verify_credentials").status, 401);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM oauth_tokens WHERE user_id = (SELECT id FROM users WHERE username = 'mallory')"
        ),
        0
    );
}

/// R6.4 through the API: emergency mode holds what apps post (202,
/// pending), then stops it with the reason in words (403), nothing stored.
#[test]
fn emergency_mode_holds_then_stops_what_apps_post() {
    let (s, admin) = with_admin();
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read write"));
    let set = |fields: &[(&str, &str)]| {
        let mut f = fields.to_vec();
        f.push(("confirm", "1"));
        assert_eq!(chief.post("/admin/emergency", &f).status, 303);
    };
    set(&[("hold_all", "1")]);
    let r = a.post("/api/v1/statuses", &[("status", "应急期间")]);
    assert_eq!((r.status, r.body["plaza_status"].as_str()), (202, Some("pending")), "{}", r.text);
    set(&[("stop_publishing", "1")]);
    let before = count(&s, "SELECT count(*) FROM posts");
    let r = a.post("/api/v1/statuses", &[("status", "停止期间")]);
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(!r.error().is_empty());
    assert_eq!(count(&s, "SELECT count(*) FROM posts"), before);
}
