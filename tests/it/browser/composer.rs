//! Journey (issue 18): a member writes a post in the composer as on a
//! phone or a desktop: the draft survives a reload, `@wa` offers a member
//! and Enter inserts the handle, `#爬` offers a topic, three chosen photos
//! show as three thumbnails, one is removed and the other two swapped,
//! each gets its own description; while sending the progress bar shows and
//! the button is disabled; back on the timeline the post has the photos in
//! the chosen order with their descriptions, and the draft is gone. A click
//! on a photo opens the viewer with its description, the arrow key goes to
//! the next one, a swipe back, Esc closes it and focus returns to the
//! photo. The comment box offers the same suggestions. Logging out forgets
//! a draft.

use super::{log_in, png_file, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const RIGHT: &str = "\u{E014}";

/// The compose box's text.
fn body(b: &Browser) -> String {
    b.js("return document.querySelector('form.compose textarea[name=body]').value").as_str().unwrap().to_string()
}

/// The thumbnails' file names, in order.
fn thumbs(b: &Browser) -> Vec<String> {
    let v = b.js("return [...document.querySelectorAll('form.compose li.thumb')].map(li => li.title)");
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup("lin_xue");
    let fang = s.client();
    fang.signup("wang_fang");
    fang.post("/settings/profile", &[("display_name", "王芳"), ("bio", "")]);
    fang.post_status("今天 #爬山# 看日出", "public");
    let files = tempfile::tempdir().unwrap();
    let photos: Vec<_> = ["a.png", "b.png", "c.png"].iter().map(|n| png_file(files.path(), n)).collect();
    let mut b = Browser::open(&s, "composer", width);
    log_in(&mut b, "lin_xue");

    // A draft survives a reload.
    b.type_into("body", "周末去爬山，约");
    b.goto("/");
    assert_eq!(body(&b), "周末去爬山，约", "the draft is back after a reload");

    // `@wa` offers 王芳; Enter inserts her handle.
    b.type_into("body", " @wa");
    b.wait_for("document.querySelector('ul.suggest:not([hidden]) li')", "a suggestion under the box");
    let offered = b.text_of(Within::Css("ul.suggest"));
    assert!(offered.contains("王芳") && offered.contains("@wang_fang"), "{offered}");
    b.press_key(ENTER);
    assert_eq!(body(&b), "周末去爬山，约 @wang_fang ", "the handle replaces what was typed");
    b.type_into("body", "一起");
    // `#爬` offers the topic in the spelling people use; Enter inserts it.
    b.type_into("body", " #爬");
    b.wait_for("document.querySelector('ul.suggest:not([hidden]) li')", "a topic under the box");
    assert!(b.text_of(Within::Css("ul.suggest")).contains("#爬山#"));
    b.press_key(ENTER);
    assert_eq!(body(&b), "周末去爬山，约 @wang_fang 一起 #爬山# ");
    b.check();

    // Three photos: three thumbnails; remove one, swap the others.
    b.reveal(M::MediaLabel.zh());
    b.upload_many("media", &photos);
    b.wait_for("document.querySelectorAll('form.compose li.thumb img').length === 3", "three thumbnails");
    b.wait_for(
        "[...document.querySelectorAll('form.compose li.thumb img')].every(i => i.complete && i.naturalWidth > 0)",
        "the thumbnails to show the photos",
    );
    assert_eq!(thumbs(&b), ["a.png", "b.png", "c.png"]);
    let lines_box = "document.querySelector('form.compose label.alt-lines').getClientRects().length";
    assert_eq!(b.js(&format!("return {lines_box}")), 0, "a field per photo replaces the one-per-line box");
    b.press_in(Within::Css("li.thumb[title='b.png']"), M::ComposeRemoveImage.zh());
    assert_eq!(thumbs(&b), ["a.png", "c.png"]);
    b.press_in(Within::Css("li.thumb[title='c.png']"), M::ComposeMoveEarlier.zh());
    assert_eq!(thumbs(&b), ["c.png", "a.png"]);
    // Read aloud, each control says which photo it is for.
    let named = b.js("return [...document.querySelectorAll('form.compose li.thumb')].map(li => \
         [...li.querySelectorAll('button, input')].map(e => e.getAttribute('aria-label')).join('|'))");
    let want = |n: u32| {
        [M::ComposeImageAlt, M::ComposeMoveEarlier, M::ComposeMoveLater, M::ComposeRemoveImage]
            .map(|m| M::ComposeThumbNamed.zh().replacen("{}", m.zh(), 1).replacen("{}", &n.to_string(), 1))
            .join("|")
    };
    let expected = serde_json::json!([want(1), want(2)]);
    assert_eq!(named, expected, "[composer @{width}px] controls named by photo");
    let files_sent = b.js("return [...document.querySelector('form.compose input[type=file]').files].map(f => f.name)");
    assert_eq!(files_sent, serde_json::json!(["c.png", "a.png"]), "the form sends the files as shown");
    b.fill_in(Within::Css("li.thumb[title='c.png']"), "alt", "山顶的云海");
    b.fill_in(Within::Css("li.thumb[title='a.png']"), "alt", "山脚的溪水");
    b.check();
    b.js("window.scrollTo(0, 0); return null;");
    b.screenshot("thumbnails");

    // While sending: the progress bar shows and the button is disabled
    // (seen by an observer that notes it in sessionStorage, which the
    // next page of this tab still reads).
    b.js("const f = document.querySelector('form.compose'); \
          const bar = f.querySelector('progress.upload'), button = f.querySelector('button[type=submit]'); \
          new MutationObserver(() => { if (!bar.hidden && button.disabled) sessionStorage.setItem('saw_sending', '1'); }) \
            .observe(f, { attributes: true, subtree: true, attributeFilter: ['hidden', 'disabled'] }); \
          return null;");
    b.click_in(Within::Css("form.compose"), M::ComposeButton.zh());
    assert_eq!(b.js("return sessionStorage.getItem('saw_sending')"), "1", "progress shown, button disabled");
    assert_eq!(b.path(), "/", "back on the timeline");
    let card = b.text_of(Within::Post("周末去爬山"));
    assert!(card.contains("@wang_fang 一起"), "{card}");
    assert!(card.contains("刚刚"), "a relative time: {card}");
    b.see_image("山顶的云海");
    b.see_image("山脚的溪水");
    let alts = b.js("return [...document.querySelectorAll('article.post .media-grid img')].map(i => i.alt)");
    assert_eq!(alts, serde_json::json!(["山顶的云海", "山脚的溪水"]), "in the chosen order");
    assert_eq!(body(&b), "", "the draft is gone after posting");
    // Left open, "刚刚" moves on: as if the page had been made 3 minutes
    // after the post, coming back to the tab shows "3 分钟前".
    b.js("const t = document.querySelector('article.post time[data-now]'); \
          t.setAttribute('data-now', String(Date.parse(t.getAttribute('datetime')) / 1000 + 180)); \
          document.dispatchEvent(new Event('visibilitychange')); return null;");
    assert!(b.text_of(Within::Post("周末去爬山")).contains("3 分钟前"));

    // The viewer: opens on the photo, shows its description, the arrow
    // goes on, Esc closes and focus is back on the photo.
    b.click_css("article.post .media-grid a");
    b.wait_for("document.querySelector('dialog.lightbox[open] img').complete", "the viewer to open");
    assert_eq!(b.text_of(Within::Css("dialog.lightbox figcaption")), "山顶的云海");
    b.screenshot("viewer");
    assert_eq!(b.js("return document.querySelector('dialog.lightbox').contains(document.activeElement)"), true);
    b.press_key(RIGHT);
    assert_eq!(b.text_of(Within::Css("dialog.lightbox figcaption")), "山脚的溪水");
    // A swipe to the right goes back to the first photo.
    b.js("const d = document.querySelector('dialog.lightbox'); \
          const at = x => [new Touch({ identifier: 1, target: d, clientX: x, clientY: 300 })]; \
          d.dispatchEvent(new TouchEvent('touchstart', { touches: at(100), changedTouches: at(100), bubbles: true })); \
          d.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: at(260), bubbles: true })); \
          return null;");
    assert_eq!(b.text_of(Within::Css("dialog.lightbox figcaption")), "山顶的云海", "swiped back");
    b.press_key(ESCAPE);
    b.wait_for("!document.querySelector('dialog.lightbox')", "the viewer to close");
    assert_eq!(
        b.js("return document.activeElement === document.querySelector('article.post .media-grid a')"),
        true,
        "focus is back on the photo"
    );
    b.check();

    // The comment box offers the same suggestions.
    let post = b.js("return new URL(document.querySelector('article.post a.time').href).pathname");
    b.goto(post.as_str().unwrap());
    b.fill_in(Within::Css("form.comment"), "body", "@wang");
    b.wait_for(
        "document.querySelector('form.comment ul.suggest:not([hidden]) li')",
        "a suggestion under the comment box",
    );
    b.press_key(ENTER);
    let comment = b.js("return document.querySelector('form.comment textarea[name=body]').value");
    assert_eq!(comment, "@wang_fang ");
    b.check();
    b.goto("/");

    // Logging out forgets a draft kept in this browser.
    b.type_into("body", "不想留下的草稿");
    b.click(M::NavLogout.zh());
    log_in(&mut b, "lin_xue");
    assert_eq!(body(&b), "", "no draft after logging out and in");
    b.finish();
}

at_both_widths!();
