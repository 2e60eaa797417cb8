//! Side channels (issue 15): what a page lets slip without showing it.
//! Acting on a comment one cannot see answers exactly as for a comment
//! that does not exist; a profile counts only the posts its viewer may
//! see; a request target of `//evil.example/` keeps the language switch
//! on the site.

use crate::common::gov::*;
use crate::common::raw::RawClient;
use crate::common::{Client, Server};

/// The page with every mention of `id` replaced, so two error pages for
/// different ids compare equal when they say the same thing.
fn without(body: &str, id: i64) -> String {
    body.replace(&format!("/{id}/"), "/ID/")
}

/// A comment under a post the actor cannot see (followers-only, self-only,
/// a hidden comment, a held one) answers 404 with the same page as a
/// comment that was never there, on every comment action.
#[test]
fn a_comment_you_cannot_see_does_not_exist() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("plaza.toml"), "comment_control_for_all = true\n").unwrap();
    let s = Server::start_in(data, &[], &[]);
    let alice = member(&s, "alice");
    let fan = member(&s, "fan");
    let carol = member(&s, "carol");
    assert_eq!(fan.post("/@alice/follow", &[]).status, 303);
    let comment_on = |c: &Client, post: i64, body: &str| {
        let p = c.post(&format!("/posts/{post}/comments"), &[("body", body)]);
        assert_eq!(p.status, 303, "{}", p.body);
        count(&s, "SELECT max(id) FROM comments")
    };
    let followers_only = alice.post_status("for followers", "followers");
    let under_followers = comment_on(&fan, followers_only, "a fan's comment");
    let self_only = alice.post_status("for me", "self");
    let under_self = comment_on(&alice, self_only, "my own note");
    let public = alice.post_status("for all", "public");
    let hidden = comment_on(&fan, public, "to be hidden");
    assert_eq!(alice.post(&format!("/comments/{hidden}/hide"), &[]).status, 303);
    let missing = 999_999;

    let actions = ["delete", "hide", "unhide", "remove"];
    let mut tried = 0;
    for action in actions {
        let form = [("reason", "x")];
        let nothing = carol.post(&format!("/comments/{missing}/{action}"), &form);
        assert_eq!(nothing.status, 404, "{action} on a missing comment");
        for id in [under_followers, under_self, hidden] {
            let p = carol.post(&format!("/comments/{id}/{action}"), &form);
            assert_eq!(p.status, 404, "{action} on comment {id}: {}", p.body);
            assert_eq!(without(&p.body, id), without(&nothing.body, missing), "{action} on {id}: the same page");
            tried += 1;
        }
    }
    assert_eq!(tried, 12);
    // Nothing changed; a comment one sees but may not act on still says why.
    assert_eq!(count(&s, "SELECT count(*) FROM comments WHERE status IN ('removed', 'deleted')"), 0);
    let visible = comment_on(&fan, public, "visible to all");
    assert_eq!(carol.post(&format!("/comments/{visible}/delete"), &[]).status, 403, "seen, not hers");
    // Those who may see it still act on it.
    assert_eq!(alice.post(&format!("/comments/{hidden}/unhide"), &[]).status, 303);
    assert_eq!(fan.post(&format!("/comments/{under_followers}/delete"), &[]).status, 303);
}

/// A profile's post count is the number of posts its viewer may see
/// (R2.1): not the followers-only and self-only ones of someone else.
#[test]
fn a_profile_counts_only_posts_the_viewer_may_see() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let fan = member(&s, "fan");
    let anon = s.client();
    anon.get("/?lang=en");
    assert_eq!(fan.post("/@alice/follow", &[]).status, 303);
    for (body, vis) in [("one", "public"), ("two", "public"), ("three", "followers"), ("four", "self")] {
        alice.post_status(body, vis);
    }
    let shown = |c: &Client| {
        let p = c.get("/@alice");
        let i = p.body.find("Posts <strong>").expect("post count");
        p.body[i + 14..].split('<').next().unwrap().to_string()
    };
    assert_eq!(shown(&anon), "2", "signed out: public only");
    assert_eq!(shown(&member(&s, "carol")), "2", "a stranger: public only");
    assert_eq!(shown(&fan), "3", "a follower: public and followers-only");
    assert_eq!(shown(&alice), "4", "the author: all");
}

/// A request target of `//evil.example/` (and `/\evil.example/`) keeps
/// the language switch on this site: a path with one leading `/`.
#[test]
fn the_language_switch_stays_on_the_site() {
    let s = Server::start();
    let mut raw = RawClient::new(&s, "side-channel test");
    for target in ["//evil.example/", "///evil.example/x?a=1", "//evil.example/?lang=en", "/%2F%2Fevil.example/"] {
        let a = raw.send("GET", target, &[]);
        let Some(i) = a.body.find("class=\"lang\" href=\"") else {
            // Refused before any page is drawn (an encoded `/` in a segment).
            assert_eq!(a.status, 400, "{target}: {}", a.body);
            assert!(!a.body.contains("href"), "{target}");
            continue;
        };
        let href = a.body[i + 19..].split('"').next().unwrap();
        assert!(href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\"), "{target}: {href}");
    }
}
