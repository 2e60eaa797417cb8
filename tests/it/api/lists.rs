//! The token's own marks on statuses and the account lists of the client
//! API (issue 19): `favourited`, `reblogged` and `bookmarked` as the
//! member left them, `unreblog` however old the boost, and followers,
//! following, favourited_by and reblogged_by paged with `Link` headers.

use crate::common::api::*;
use crate::common::gov::*;
use crate::common::with_admin;

/// The path of the `rel` link of a `Link` header.
fn link_path(link: &str, rel: &str) -> Option<String> {
    link.split(", ").find(|l| l.ends_with(&format!("rel=\"{rel}\""))).map(|l| {
        let url = l.trim_start_matches('<').split('>').next().unwrap();
        url[url.find("/api/").unwrap()..].to_string()
    })
}

/// The usernames of a JSON array of accounts.
fn names(r: &Json) -> Vec<String> {
    r.body
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.text))
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_string())
        .collect()
}

/// The status with `id` in a JSON array of statuses.
fn find<'a>(r: &'a Json, id: &str) -> &'a serde_json::Value {
    r.body.as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("{id} in {}", r.text))
}

#[test]
fn statuses_carry_the_tokens_own_favourite_boost_and_bookmark() {
    let (s, _admin) = with_admin();
    s.switch_reposts_on();
    let alice = member(&s, "alice");
    let (_, b) = member_api(&s, "bob", "read write");
    let (carol, c) = member_api(&s, "carol", "read write");
    let liked = alice.post_status("bob likes and boosts this", "public").to_string();
    let kept = alice.post_status("bob bookmarks this", "public").to_string();

    assert_eq!(b.post(&format!("/api/v1/statuses/{liked}/favourite"), &[]).status, 200);
    assert_eq!(b.post(&format!("/api/v1/statuses/{kept}/bookmark"), &[]).status, 200);
    let r = b.post(&format!("/api/v1/statuses/{liked}/reblog"), &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["reblog"]["reblogged"], true, "{}", r.text);
    let boost = r.body["id"].as_str().unwrap().to_string();
    // Carol reposts with words: a status of its own, not a boost.
    let p = carol.post(&format!("/posts/{liked}/repost"), &[("body", "说两句")]);
    assert_eq!(p.status, 303, "{}", p.body);

    // Bob's public timeline: his own marks, on the original inside his boost too.
    let tl = b.get("/api/v1/timelines/public?limit=40");
    let st = find(&tl, &liked);
    assert_eq!((&st["favourited"], &st["reblogged"], &st["bookmarked"]), (&true.into(), &true.into(), &false.into()));
    let st = find(&tl, &kept);
    assert_eq!((&st["favourited"], &st["reblogged"], &st["bookmarked"]), (&false.into(), &false.into(), &true.into()));
    let inner = &find(&tl, &boost)["reblog"];
    assert_eq!((&inner["favourited"], &inner["reblogged"]), (&true.into(), &true.into()), "{inner}");
    // One status, and the bookmarks list, say the same.
    let one = b.get(&format!("/api/v1/statuses/{liked}"));
    assert_eq!((&one.body["favourited"], &one.body["reblogged"]), (&true.into(), &true.into()));
    assert_eq!(b.get(&format!("/api/v1/statuses/{kept}")).body["bookmarked"], true);

    // Tags in the order the body first writes them, each once.
    let r = c.post("/api/v1/statuses", &[("status", "先 #乙# 再 #甲# 又 #乙#"), ("visibility", "public")]);
    assert_eq!(r.status, 200, "{}", r.text);
    let tags: Vec<&str> = r.body["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tags, ["乙", "甲"], "{}", r.text);
    assert!(r.body["tags"][0]["url"].as_str().unwrap().contains("/tags/"), "{}", r.text);
    let tl = Api::new(&s).get("/api/v1/timelines/tag/甲");
    assert_eq!(tl.body[0]["tags"], r.body["tags"], "{}", tl.text);

    // Carol (a repost with words, no like, no bookmark) and a signed-out reader: none.
    for (who, api) in [("carol", &c), ("anonymous", &Api::new(&s))] {
        let tl = api.get("/api/v1/timelines/public?limit=40");
        for id in [&liked, &kept] {
            let st = find(&tl, id);
            assert!(st["favourited"] == false && st["reblogged"] == false && st["bookmarked"] == false, "{who}: {st}");
        }
    }

    // Unreblog finds the boost however many posts came after it.
    let conn = db(&s);
    let bob_id: i64 = conn.query_row("SELECT id FROM users WHERE username = 'bob'", [], |r| r.get(0)).unwrap();
    for i in 0..45 {
        conn.execute(
            "INSERT INTO posts (author_id, body, visibility, created_at) VALUES (?1, ?2, 'public', strftime('%s','now'))",
            rusqlite::params![bob_id, format!("later {i}")],
        )
        .unwrap();
    }
    let r = b.post(&format!("/api/v1/statuses/{liked}/unreblog"), &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["reblogged"], false, "{}", r.text);
    assert_eq!(b.get(&format!("/api/v1/statuses/{boost}")).status, 410);
    assert_eq!(b.get(&format!("/api/v1/statuses/{liked}")).body["reblogged"], false);
    // Unreblogging what one never boosted changes nothing.
    let before = count(&s, "SELECT count(*) FROM posts WHERE status = 'published'");
    assert_eq!(c.post(&format!("/api/v1/statuses/{liked}/unreblog"), &[]).status, 200);
    assert_eq!(count(&s, "SELECT count(*) FROM posts WHERE status = 'published'"), before);
}

#[test]
fn account_lists_page_with_link_headers_by_row_cursors() {
    let (s, _admin) = with_admin();
    s.switch_reposts_on();
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "App", "read write follow"));
    let alice_id = a.get("/api/v1/accounts/verify_credentials").body["id"].as_str().unwrap().to_string();
    let post = alice.post_status("列表分页", "public").to_string();
    let mut fans = Vec::new();
    for name in ["fan1", "fan2", "fan3"] {
        let m = member(&s, name);
        let api = Api::with_token(&s, &token_for(&s, &m, "App", "read write follow"));
        assert_eq!(api.post(&format!("/api/v1/accounts/{alice_id}/follow"), &[]).status, 200);
        assert_eq!(api.post(&format!("/api/v1/statuses/{post}/favourite"), &[]).status, 200);
        assert_eq!(api.post(&format!("/api/v1/statuses/{post}/reblog"), &[]).status, 200);
        let fan_id = api.get("/api/v1/accounts/verify_credentials").body["id"].as_str().unwrap().to_string();
        assert_eq!(a.post(&format!("/api/v1/accounts/{fan_id}/follow"), &[]).status, 200);
        fans.push(api);
    }
    let all = ["fan3", "fan2", "fan1"];
    for list in [
        format!("/api/v1/accounts/{alice_id}/followers"),
        format!("/api/v1/accounts/{alice_id}/following"),
        format!("/api/v1/statuses/{post}/favourited_by"),
        format!("/api/v1/statuses/{post}/reblogged_by"),
    ] {
        // Everything at once, newest first.
        assert_eq!(names(&a.get(&list)), all, "{list}");
        // Two at a time: the next page follows the Link header, nothing repeated or lost.
        let first = a.get(&format!("{list}?limit=2"));
        assert_eq!(names(&first), all[..2], "{list}");
        let link = first.header("link").unwrap_or_else(|| panic!("{list}: no Link")).to_string();
        let next = link_path(&link, "next").unwrap_or_else(|| panic!("{list}: {link}"));
        let second = a.get(&next);
        assert_eq!(second.status, 200, "{next}: {}", second.text);
        assert_eq!(names(&second), all[2..], "{next}");
        let after = second.header("link").and_then(|l| link_path(l, "next"));
        if let Some(after) = after {
            assert!(names(&a.get(&after)).is_empty(), "{after}");
        }
        // Back up from the second page: `prev` (min_id) gives the two newer ones.
        let prev = link_path(second.header("link").unwrap(), "prev").unwrap();
        assert_eq!(names(&a.get(&prev)), all[..2], "{prev}");
        // since_id of the oldest: the newest above it.
        let since = prev.replace("min_id", "since_id").replace("limit=2", "limit=1");
        assert_eq!(names(&a.get(&since)), all[..1], "{since}");
        // Not a number: 422 in words, not a 500.
        let bad = a.get(&format!("{list}?max_id=abc"));
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert!(bad.error().contains("max_id"));
    }
    // The cursors in the links of follows and likes are rows, not account ids.
    let link = a.get(&format!("/api/v1/accounts/{alice_id}/followers?limit=1")).header("link").unwrap().to_string();
    let ids: Vec<String> = fans
        .iter()
        .map(|f| f.get("/api/v1/accounts/verify_credentials").body["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.iter().all(|id| !link.contains(&format!("max_id={id}&"))), "{link}");
}
