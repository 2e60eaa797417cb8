//! A phone app sets the member's avatar (issue 19): `PATCH
//! /api/v1/accounts/update_credentials` with a multipart `avatar` file goes
//! through the profile page's own avatar path (R2.2 checks, re-encoding,
//! thumbnail, the `user.avatar_update` log entry, R16.1); a refused file
//! is answered in the page's words and changes nothing.

use crate::common::api::*;
use crate::common::gov::*;
use crate::common::{files_in, with_admin, Server};

const UPDATE: &str = "/api/v1/accounts/update_credentials?lang=en";

/// The path of an absolute URL of server `s`.
fn path_of<'u>(s: &Server, url: &'u str) -> &'u str {
    url.strip_prefix(s.base.as_str()).unwrap_or_else(|| panic!("{url} is not on {}", s.base))
}

/// The stored media files (temporary ones included).
fn stored_files(s: &Server) -> usize {
    files_in(&s.data.path().join("media")).len()
}

#[test]
fn an_avatar_patched_by_a_phone_app_is_served_and_shown_on_the_profile_page() {
    let (s, _admin) = with_admin();
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "Phone", "read write"));
    let before = a.get("/api/v1/accounts/verify_credentials").body["avatar"].as_str().unwrap().to_string();

    // A name and an avatar in one multipart PATCH; `header` is ignored.
    let r = a.send_multipart(
        "PATCH",
        UPDATE,
        &[("display_name", "Alice A.")],
        &[("avatar", "me.png", &png(200, 160)), ("header", "banner.png", &png(60, 20))],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["display_name"], "Alice A.");
    let url = r.body["avatar"].as_str().unwrap().to_string();
    assert_ne!(url, before, "the avatar changed");
    assert_eq!(r.body["avatar_static"], url.as_str());
    assert!(url.ends_with("/thumb"), "{url}");
    assert_eq!(a.get("/api/v1/accounts/verify_credentials").body["avatar"], url.as_str());

    // The URL serves the image, to anyone.
    let anon = s.client();
    let img = anon.get_raw(path_of(&s, &url), &[]);
    assert_eq!(img.status, 200);
    let ct = img.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone());
    assert!(ct.as_deref().unwrap_or("").starts_with("image/"), "{ct:?}");
    assert_eq!(image::load_from_memory(&img.body).unwrap().width(), 200);
    // The profile page shows the same image.
    let src = format!("src=\"{}\"", path_of(&s, &url));
    assert!(anon.get("/@alice").has(&src), "the profile page shows {src}");
    assert!(alice.get("/settings/profile").has(&src), "the settings page too");

    // The profile page's action and log entry; the header is not stored.
    assert_eq!(count(&s, "SELECT count(*) FROM attachments WHERE purpose = 'avatar'"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments"), 1, "no header image kept");
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'user.avatar_update'"), 1);

    // An avatar alone leaves the texts; a new one replaces the old.
    let r = a.send_multipart("PATCH", UPDATE, &[], &[("avatar", "again.png", &png(64, 64))]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["display_name"], "Alice A.");
    let second = r.body["avatar"].as_str().unwrap().to_string();
    assert_ne!(second, url);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments WHERE purpose = 'avatar'"), 1, "the old row is gone");
    assert_eq!(anon.get_raw(path_of(&s, &url), &[]).status, 404, "the old avatar is no longer served");

    // Form and JSON bodies without an avatar work as before.
    let r = a.send("PATCH", UPDATE, &[("note", "set by form")]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["note"], "<p>set by form</p>");
    assert_eq!(r.body["avatar"], second.as_str(), "the avatar is kept");
    let r = a.send_json("PATCH", UPDATE, &serde_json::json!({ "display_name": "Alice J." }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["display_name"], "Alice J.");
    assert_eq!(r.body["avatar"], second.as_str());
}

/// R2.2: a file the profile page refuses is refused here in the same
/// words, with 422, and the name sent with it is not applied either.
#[test]
fn a_refused_avatar_answers_422_in_words_and_changes_nothing() {
    let (s, admin) = with_admin();
    add_rule(&admin, "赌博", "gambling", "block");
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "Phone", "read write"));
    let me = a.get("/api/v1/accounts/verify_credentials").body;
    let files_before = stored_files(&s);
    let logged = |outcome: &str| {
        db(&s)
            .query_row(
                "SELECT count(*) FROM activity_log WHERE action LIKE 'user.%_update' AND outcome = ?1",
                [outcome],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    };
    let logged_before = logged("ok");

    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"9\" height=\"9\"/></svg>";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("drawing.png", svg.to_vec(), "The file \"drawing.png\" is not a supported type"),
        ("notes.png", b"just some text, not a picture\n".to_vec(), "The file \"notes.png\" is not a supported type"),
        ("wide.png", png(8001, 1), "8001×1 pixels"),
        ("empty.png", Vec::new(), "The file \"empty.png\" is empty"),
    ];
    for (name, bytes, words) in &cases {
        let r = a.send_multipart(
            "PATCH",
            UPDATE,
            &[("display_name", "Mallory"), ("note", "changed")],
            &[("avatar", name, bytes)],
        );
        assert_eq!(r.status, 422, "{name}: {}", r.text);
        assert!(r.error().starts_with("avatar: "), "{name}: {}", r.text);
        assert!(r.error().contains(words), "{name}: no {words:?} in {}", r.text);
    }
    // Two files: the page's "choose an image file".
    let two = png(8, 8);
    let r = a.send_multipart("PATCH", UPDATE, &[], &[("avatar", "a.png", &two), ("avatar", "b.png", &two)]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().contains("Choose an image file"), "{}", r.text);
    // A good file with a refused name: neither is applied (R12.1).
    let r = a.send_multipart("PATCH", UPDATE, &[("display_name", "赌博")], &[("avatar", "ok.png", &png(32, 32))]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().contains("does not meet the platform rules"), "{}", r.text);

    let now = a.get("/api/v1/accounts/verify_credentials").body;
    assert_eq!(now["display_name"], me["display_name"]);
    assert_eq!(now["note"], me["note"]);
    assert_eq!(now["avatar"], me["avatar"]);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments"), 0);
    assert_eq!(stored_files(&s), files_before, "no file left behind");
    assert_eq!(logged("ok"), logged_before, "no profile or avatar change logged");
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'user.avatar_update'"), 0);
    // The refused name is logged as refused (R16.1), as the page's is.
    let refused = "SELECT count(*) FROM activity_log WHERE action = 'user.profile_update' AND outcome != 'ok'";
    assert_eq!(count(&s, refused), 1);
    assert!(!s.client().get("/@alice").has("Mallory"));
}

/// The web upload's size limits hold here too: a file over
/// `image_max_bytes` is 413 in words, a body over `max_upload_bytes` is
/// 413 before it is read; never a 500, and nothing changes.
#[test]
fn avatar_uploads_keep_the_size_limits() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("plaza.toml"), "image_max_bytes = 300000\nmax_upload_bytes = 1500000\n").unwrap();
    let s = Server::start_in(data, &[], &[]);
    let alice = member(&s, "alice");
    let a = Api::with_token(&s, &token_for(&s, &alice, "Phone", "read write"));
    let name = a.get("/api/v1/accounts/verify_credentials").body["display_name"].clone();
    let mut big = png(16, 16);
    big.resize(400_000, 0);
    let r = a.send_multipart("PATCH", UPDATE, &[("display_name", "Big")], &[("avatar", "big.png", &big)]);
    assert_eq!(r.status, 413, "{}", r.text);
    assert!(r.error().contains("The file \"big.png\" is too large"), "{}", r.text);
    let huge = vec![0u8; 1_600_000];
    let r = a.send_multipart("PATCH", UPDATE, &[("display_name", "Huge")], &[("avatar", "huge.png", &huge)]);
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments"), 0);
    let me = a.get("/api/v1/accounts/verify_credentials");
    assert_eq!(me.status, 200);
    assert_eq!(me.body["display_name"], name);
    // A good one still goes through.
    let r = a.send_multipart("PATCH", UPDATE, &[], &[("avatar", "ok.png", &png(32, 32))]);
    assert_eq!(r.status, 200, "{}", r.text);
}
