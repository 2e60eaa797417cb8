//! The block and suspension read-path matrix (issue 18): one table over
//! every read path a post, comment, like or repost reaches a member by,
//! checked for an author the viewer blocked and for a suspended author.
//! Hidden, each path answers exactly as for a missing post (the same
//! status and the same page, or simply nothing listed); lifted, it all
//! comes back.

use crate::common::gov::{count, db, png};
use crate::common::{id_from, with_admin, Client, Server};

/// What one read path shows while the author is visible.
enum Expect {
    /// A page or file of the author's own: 200, then what a missing one gets.
    Found,
    /// A page listing things: always 200, `marker` present, then absent.
    Text(String),
}

/// Everything one hidden author has put in front of the viewer `alice`.
struct Trail {
    rows: Vec<(String, Expect)>,
}

/// The viewer alice with her post, and carol with hers.
struct Scene<'a> {
    alice: &'a Client,
    a1: i64,
    carol: &'a Client,
    c1: i64,
}

/// `name` (bob or sam) writes a post (tagged, with a unique `word`), an
/// image post, a comment, a mention and a like on alice's post, a like and
/// a repost of carol's post; carol reposts the author's post; alice
/// bookmarks it and follows the author.
fn trail(s: &Server, who: &Client, name: &str, word: &str, scene: &Scene) -> Trail {
    let Scene { alice, a1, carol, c1 } = *scene;
    let post = who.post_status(&format!("{word}公开帖 #matrix"), "public");
    let up = who.post_multipart(
        "/posts",
        &[("body", &format!("{word}的图片")), ("visibility", "public")],
        // A file of its own: media are stored by content, and a file another
        // visible post shares is served for that post.
        &[("media", "a.png", &png(if name == "bob" { 9 } else { 11 }, 9))],
    );
    assert_eq!(up.status, 303, "{}", up.body);
    let image = id_from(up.location.as_deref().unwrap());
    let hash: String =
        db(s).query_row("SELECT sha256 FROM attachments WHERE post_id = ?1", [image], |r| r.get(0)).unwrap();
    assert_eq!(who.post(&format!("/posts/{a1}/comments"), &[("body", &format!("{word}的评论"))]).status, 303);
    who.post_status(&format!("@alice {word}提及"), "public");
    assert_eq!(who.post(&format!("/posts/{a1}/like"), &[]).status, 303);
    assert_eq!(who.post(&format!("/posts/{c1}/like"), &[]).status, 303);
    assert_eq!(who.post(&format!("/posts/{c1}/repost"), &[("body", &format!("{word}的转发"))]).status, 303);
    let r = carol.post(&format!("/posts/{post}/repost"), &[("body", &format!("卡萝尔转发{word}"))]);
    assert_eq!(r.status, 303);
    let carol_repost = id_from(r.location.as_deref().unwrap());
    assert_eq!(alice.post(&format!("/posts/{post}/bookmark"), &[]).status, 303);
    alice.post(&format!("/@{name}/follow"), &[]);
    let text = |m: String| Expect::Text(m);
    let body = format!("{word}公开帖");
    Trail {
        rows: vec![
            (format!("/posts/{post}"), Expect::Found),
            (format!("/posts/{image}"), Expect::Found),
            (format!("/posts/{post}/likes"), Expect::Found),
            (format!("/posts/{post}/reposts"), Expect::Found),
            (format!("/media/{hash}"), Expect::Found),
            (format!("/media/{hash}/thumb"), Expect::Found),
            ("/".into(), text(body.clone())),
            ("/public".into(), text(body.clone())),
            ("/tags/matrix".into(), text(body.clone())),
            (format!("/@{name}"), text(body.clone())),
            ("/@carol".into(), text(body.clone())),
            (format!("/posts/{carol_repost}"), text(body.clone())),
            (format!("/posts/{a1}"), text(format!("{word}的评论"))),
            ("/notifications".into(), text(format!("{word}提及"))),
            ("/notifications".into(), text(format!("href=\"/@{name}\""))),
            (format!("/search?q={word}"), text(format!("href=\"/posts/{post}\""))),
            ("/bookmarks".into(), text(body.clone())),
            (format!("/posts/{c1}/likes"), text(format!("href=\"/@{name}\""))),
            (format!("/posts/{c1}/reposts"), text(format!("{word}的转发"))),
        ],
    }
}

/// The `<main>` of a page: what it says, without the header's links back
/// to the path itself.
fn main_of(body: &str) -> &str {
    let start = body.find("<main").unwrap_or(0);
    let end = body.find("</main>").unwrap_or(body.len());
    &body[start..end]
}

/// The same path with its post id or media hash swapped for one that does
/// not exist.
fn missing(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/media/") {
        let tail = rest.find('/').map_or("", |i| &rest[i..]);
        return format!("/media/{}{tail}", "0".repeat(64));
    }
    let rest = path.strip_prefix("/posts/").expect("a post path");
    let tail = rest.find('/').map_or("", |i| &rest[i..]);
    format!("/posts/999999{tail}")
}

fn check(alice: &Client, name: &str, t: &Trail, hidden: bool) {
    for (path, expect) in &t.rows {
        let what = format!("{name} {path} hidden={hidden}");
        match expect {
            Expect::Found if path.starts_with("/media/") => {
                let (got, gone) = (alice.get_raw(path, &[]), alice.get_raw(&missing(path), &[]));
                assert_eq!(got.status, if hidden { gone.status } else { 200 }, "{what}");
                if hidden {
                    let (a, b) = (String::from_utf8_lossy(&got.body), String::from_utf8_lossy(&gone.body));
                    assert_eq!(main_of(&a), main_of(&b), "{what}: as a missing file");
                }
            }
            Expect::Found => {
                let (got, gone) = (alice.get(path), alice.get(&missing(path)));
                assert_eq!(gone.status, 404);
                assert_eq!(got.status, if hidden { 404 } else { 200 }, "{what}");
                if hidden {
                    assert_eq!(main_of(&got.body), main_of(&gone.body), "{what}: as a missing post");
                }
            }
            Expect::Text(marker) => {
                let p = alice.get(path);
                assert_eq!(p.status, 200, "{what}");
                assert_eq!(p.has(marker), !hidden, "{what}: {marker}\n{}", p.body);
            }
        }
    }
}

#[test]
fn blocked_and_suspended_authors_are_hidden_on_every_read_path_as_a_missing_post() {
    let (s, admin) = with_admin();
    let alice = s.client();
    alice.signup("alice");
    let bob = s.client();
    bob.signup("bob");
    let sam = s.client();
    sam.signup("sam");
    let carol = s.client();
    carol.signup("carol");
    let a1 = alice.post_status("爱丽丝的帖子", "public");
    let c1 = carol.post_status("卡萝尔的帖子", "public");
    let scene = Scene { alice: &alice, a1, carol: &carol, c1 };
    let bob_trail = trail(&s, &bob, "bob", "鲍勃", &scene);
    let sam_trail = trail(&s, &sam, "sam", "山姆", &scene);
    check(&alice, "bob", &bob_trail, false);
    check(&alice, "sam", &sam_trail, false);

    // Alice blocks bob: bob's trail is gone for her, sam's is not.
    assert_eq!(alice.post("/@bob/block", &[]).status, 303);
    check(&alice, "bob", &bob_trail, true);
    check(&alice, "sam", &sam_trail, false);
    // Staff suspend sam: gone for everyone, alice included.
    let form = "/admin/credit/sam/sanction";
    assert_eq!(admin.post(form, &[("kind", "suspend"), ("until", "2099-01-01"), ("reason", "矩阵测试")]).status, 303);
    check(&alice, "sam", &sam_trail, true);
    check(&alice, "bob", &bob_trail, true);
    // Carol, outside the block, still sees bob's trail where she can.
    assert!(carol.get("/public").has("鲍勃公开帖") && !carol.get("/public").has("山姆公开帖"));

    // Lifted: everything comes back (a block ended follows: alice follows again).
    let id = count(&s, "SELECT id FROM sanctions");
    assert_eq!(admin.post(&format!("/admin/sanctions/{id}/lift"), &[]).status, 303);
    check(&alice, "sam", &sam_trail, false);
    assert_eq!(alice.post("/@bob/unblock", &[]).status, 303);
    assert_eq!(alice.post("/@bob/follow", &[]).status, 303);
    check(&alice, "bob", &bob_trail, false);
}
