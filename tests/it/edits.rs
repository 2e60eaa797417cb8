//! Editing a post (issue 18, R12.2): the author edits within the window;
//! the new text is screened as a new post is; every earlier version is kept
//! and shown to readers and staff; anything else is refused, changing nothing.

use crate::common::gov::{add_rule, count, db, staff, status};
use crate::common::with_admin;

#[test]
fn an_edit_is_screened_kept_as_a_version_and_refused_when_not_allowed() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer", "chief_editor"]);
    add_rule(&rita, "违禁词", "other", "block");
    add_rule(&rita, "待审词", "other", "review");
    let author = s.client();
    author.signup("author");
    let reader = s.client();
    reader.signup("reader");
    let p1 = author.post_status("原来的文字 #edittest", "public");
    let page = format!("/posts/{p1}");
    let edit = format!("/posts/{p1}/edit");
    assert!(author.get(&page).has(&format!("action=\"{edit}\"")), "the author gets the edit form");
    assert!(!reader.get(&page).has(&format!("action=\"{edit}\"")));

    // The author edits: the page shows the new text, "edited" and the earlier version.
    assert_eq!(author.post(&edit, &[("body", "修改后的文字 #newtag")]).status, 303);
    let shown = reader.get(&page);
    assert!(shown.has("修改后的文字") && shown.has("已编辑") && shown.has("原来的文字"), "{}", shown.body);
    assert_eq!(count(&s, "SELECT count(*) FROM post_edits"), 1);
    // Evidence (R12.2): the database refuses to change or delete a young version.
    assert!(db(&s).execute("UPDATE post_edits SET body = 'x'", []).is_err());
    assert!(db(&s).execute("DELETE FROM post_edits", []).is_err());
    assert!(reader.get("/tags/newtag").has("修改后的文字"));
    // Search finds the post by its new text, no longer by the old (issue 17).
    let search = |q: &str| {
        reader
            .get(&format!("/search?q={}", percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)))
    };
    assert!(search("修改后").has(&format!("/posts/{p1}\"")), "{}", search("修改后").body);
    assert!(!search("原来的").has(&format!("/posts/{p1}\"")));
    assert!(!reader.get("/tags/edittest").has("修改后的文字"));
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'post.edit' AND outcome = 'ok'"), 1);

    let body = |s: &crate::common::Server| -> String {
        db(s).query_row("SELECT body FROM posts WHERE id = ?1", [p1], |r| r.get(0)).unwrap()
    };
    // Someone else's post: 403, nothing changed.
    assert_eq!(reader.post(&edit, &[("body", "别人改的")]).status, 403);
    // Edited into prohibited content: refused as a new post would be, evidence kept.
    let evidence = count(&s, "SELECT count(*) FROM evidence");
    let blocked = author.post(&edit, &[("body", "现在含有违禁词")]);
    assert_eq!(blocked.status, 422, "{}", blocked.body);
    assert!(blocked.has("现在含有违禁词"), "the typed text stays in the form");
    assert_eq!(count(&s, "SELECT count(*) FROM evidence"), evidence + 1);
    // Empty: refused.
    assert_eq!(author.post(&edit, &[("body", "  ")]).status, 422);
    assert_eq!(body(&s), "修改后的文字 #newtag");
    assert_eq!(count(&s, "SELECT count(*) FROM post_edits"), 1);

    // A review rule holds the edited post until a reviewer decides.
    assert_eq!(author.post(&edit, &[("body", "第三版，含待审词")]).status, 303);
    assert_eq!(status(&s, p1), "pending");
    assert_eq!(reader.get(&page).status, 404);
    let staff_page = rita.get(&format!("/admin/posts/{p1}"));
    assert!(staff_page.has("原来的文字") && staff_page.has("修改后的文字"), "{}", staff_page.body);
    // Held: no further edit.
    assert_eq!(author.post(&edit, &[("body", "再改")]).status, 422);

    // Past the window (24 h by default): refused.
    let p2 = author.post_status("旧帖子", "public");
    db(&s).execute("UPDATE posts SET created_at = created_at - 90000 WHERE id = ?1", [p2]).unwrap();
    let late = author.post(&format!("/posts/{p2}/edit"), &[("body", "太晚了")]);
    assert_eq!(late.status, 422);
    assert!(late.has("已超过可编辑时间"), "{}", late.body);
    assert!(!author.get(&format!("/posts/{p2}")).has(&format!("/posts/{p2}/edit")));
    // A deleted post is gone.
    let p3 = author.post_status("要删除的帖子", "public");
    author.post(&format!("/posts/{p3}/delete"), &[]);
    assert_eq!(author.post(&format!("/posts/{p3}/edit"), &[("body", "复活")]).status, 410);
    assert_eq!(count(&s, "SELECT count(*) FROM post_edits"), 2);
}

#[test]
fn reposts_show_the_current_text_and_say_it_changed_since() {
    let s = crate::common::Server::start();
    let author = s.client();
    author.signup("author");
    let fan = s.client();
    fan.signup("fan");
    let p1 = author.post_status("第一版内容", "public");
    assert_eq!(fan.post(&format!("/posts/{p1}/repost"), &[("body", "转发一下")]).status, 303);
    assert!(!fan.get("/@fan").has("原微博在转发后被编辑过"));
    // Edited at least a second after the repost, so the times differ.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(author.post(&format!("/posts/{p1}/edit"), &[("body", "第二版内容")]).status, 303);
    let profile = fan.get("/@fan");
    assert!(profile.has("第二版内容") && !profile.has("第一版内容"), "{}", profile.body);
    assert!(profile.has("原微博在转发后被编辑过"), "{}", profile.body);
    assert!(fan.get("/@author").has("已编辑"), "listings mark the edited post");
}

/// Issue 18: the descriptions (alt text) of a post's images are edited in
/// the edit window, screened with the text, and the earlier ones kept with
/// the earlier version (R12.2), shown to readers and staff.
#[test]
fn media_descriptions_are_edited_screened_and_kept_as_versions() {
    let (s, admin) = with_admin();
    let rita = staff(&s, &admin, "rita", &["reviewer", "chief_editor"]);
    add_rule(&rita, "违禁词", "other", "block");
    let author = s.client();
    author.signup("author");
    let up = author.post_multipart(
        "/posts",
        &[("body", "两张图"), ("visibility", "public"), ("alt", "第一张原描述"), ("alt", "第二张原描述")],
        &[("media", "a.png", &crate::common::gov::png(8, 8)), ("media", "b.png", &crate::common::gov::png(9, 9))],
    );
    assert_eq!(up.status, 303, "{}", up.body);
    let p1 = crate::common::id_from(up.location.as_deref().unwrap());
    let (page, edit) = (format!("/posts/{p1}"), format!("/posts/{p1}/edit"));
    let form = author.get(&page);
    assert!(
        form.has("name=\"alt\" value=\"第一张原描述\"") && form.has("name=\"alt\" value=\"第二张原描述\""),
        "{}",
        form.body
    );

    // Refused, nothing changed: a blocked word in a description, one too long.
    let refused = author.post(&edit, &[("body", "两张图"), ("alt", "违禁词在这里"), ("alt", "第二张原描述")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    let long = "长".repeat(501);
    assert_eq!(author.post(&edit, &[("body", "两张图"), ("alt", &long), ("alt", "")]).status, 422);
    assert_eq!(count(&s, "SELECT count(*) FROM post_edits"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments WHERE alt = '第一张原描述'"), 1);
    // R12.2: the refused description is in the evidence record of the refusal.
    assert_eq!(count(&s, "SELECT count(*) FROM evidence WHERE kind = 'block' AND body LIKE '%违禁词在这里%'"), 1);

    // Only the first description changes: the page shows it, the version keeps the old ones.
    assert_eq!(author.post(&edit, &[("body", "两张图"), ("alt", "第一张新描述"), ("alt", "第二张原描述")]).status, 303);
    let shown = s.client().get(&page);
    assert!(shown.has("alt=\"第一张新描述\"") && shown.has("已编辑"), "{}", shown.body);
    assert!(shown.has("第 1 个媒体的描述：第一张原描述"), "{}", shown.body);
    let kept: String = db(&s).query_row("SELECT alts FROM post_edits", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, r#"["第一张原描述","第二张原描述"]"#);
    assert!(rita.get(&format!("/admin/posts/{p1}")).has("第一张原描述"));
    // An edit form without description fields leaves them as they are.
    assert_eq!(author.post(&edit, &[("body", "两张图，改了正文")]).status, 303);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments WHERE alt = '第一张新描述'"), 1);
}
