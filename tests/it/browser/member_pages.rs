//! Journey: a member's own pages as a newcomer sees them (branch
//! `polish`): the delete button on their post reads clearly (dark red on
//! no fill, not red on the orange of a button), `/settings` is a list of
//! cards without bullets, a handle typed out in full in a comment box leaves
//! no suggestion list over the send button, and after a removal the credit
//! page's appeal box
//! fits a 390 px phone (the harness's overflow check) and is used there
//! (R15.1).

use super::{log_in, Browser, Within};
use crate::common::gov::count;
use crate::common::with_admin;
use plaza::i18n::M;

/// WCAG contrast ratio of two CSS `rgb(...)` / `rgba(...)` colours (an
/// alpha of 0 counts as the white card behind).
const CONTRAST: &str = r#"
const rgb = s => { const v = s.match(/[\d.]+/g).map(Number); return v.length > 3 && v[3] === 0 ? [255, 255, 255] : v.slice(0, 3); };
const lum = c => { const [r, g, b] = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const el = document.querySelector(arguments[0]);
const st = getComputedStyle(el);
const [a, b] = [lum(rgb(st.color)), lum(rgb(st.backgroundColor))];
return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
"#;

fn journey(width: u32) {
    let (s, admin) = with_admin();
    let alice = s.client();
    alice.signup("alice");
    alice.post_status("今天的第一条", "public");
    let removed = alice.post_status("一条会被删除的微博", "public");
    let zhao = s.client();
    zhao.signup("zhao_lei");
    let other = zhao.post_status("赵磊的微博", "public");
    assert_eq!(
        admin.post(&format!("/admin/posts/{removed}/remove"), &[("reason", "测试删除"), ("category", "")]).status,
        303
    );

    let mut b = Browser::open(&s, "member-pages", width);
    log_in(&mut b, "alice");

    // The delete button of one's own post: readable (WCAG AA for its size).
    b.goto("/@alice");
    b.see(M::Delete.zh());
    let script = CONTRAST.replace("arguments[0]", "'details.confirm > summary'");
    let ratio = b.js(&script).as_f64().expect("a contrast ratio");
    assert!(ratio >= 4.5, "[member-pages @{width}px] 删除 reads at contrast {ratio:.2}, under 4.5");

    // Settings: cards, no list bullets beside them.
    b.goto("/settings");
    let bullets = b.js("return getComputedStyle(document.querySelector('ul.settings-index')).listStyleType");
    assert_eq!(bullets.as_str(), Some("none"), "[member-pages @{width}px] bullets beside the settings cards");

    // A handle typed out in full in a comment box leaves no suggestion list
    // over the send button; a partial one still gets its list.
    b.goto(&format!("/posts/{other}"));
    b.fill_in(Within::Css("form[action$='/comments']"), "body", "好看 @zhao");
    b.wait_for("document.querySelector('ul.suggest:not([hidden]) li')", "a suggestion under the comment box");
    b.fill_in(Within::Css("form[action$='/comments']"), "body", "好看 @zhao_lei");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let open = b.js("return !!document.querySelector('ul.suggest:not([hidden]) li')");
    assert_eq!(open.as_bool(), Some(false), "[member-pages @{width}px] a list for a handle already typed in full");
    b.click_in(Within::Css("form[action$='/comments']"), M::CommentButton.zh());
    b.see("好看 @zhao_lei");

    // The credit page after a removal: the appeal box fits, and works.
    b.goto("/settings/credit");
    b.see("测试删除");
    b.fill_in(Within::Css("ul.credit-history"), "body", "我没有违规");
    b.click_in(Within::Css("ul.credit-history"), M::AppealLink.zh());
    b.see(M::AppealSent.zh());
    assert_eq!(count(&s, "SELECT count(*) FROM appeals"), 1);
    b.finish();
}

at_both_widths!();
