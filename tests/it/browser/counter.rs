//! Journey: the compose counter agrees with the server on every string of
//! the golden list `tests/golden/text-counts.json` (invisible, format and
//! control characters, emoji sequences, CJK, accents), and a post the
//! counter calls exactly full (with a byte-order mark in front) is
//! accepted (R2.2).

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

/// The number in the counter ("还可输入 1995 字": 1995; negative when over).
fn left(b: &Browser) -> i64 {
    let text = b.text_of(Within::Css("form.compose .counter"));
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().unwrap_or_else(|_| panic!("a number in the counter: {text:?}"))
}

/// Put `text` into the compose box as typing would (an `input` event).
fn set_body(b: &Browser, text: &str) {
    let literal = serde_json::to_string(text).unwrap();
    b.js(&format!(
        "var t = document.querySelector('form.compose textarea[name=body]'); t.value = {literal}; \
         t.dispatchEvent(new Event('input', {{ bubbles: true }})); return null;"
    ));
}

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup("lin_xue");
    let mut b = Browser::open(&s, "counter", width);
    log_in(&mut b, "lin_xue");
    let max = 2000;
    let golden: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../golden/text-counts.json")).unwrap();
    for case in &golden {
        let text = case["text"].as_str().unwrap();
        set_body(&b, text);
        let want = case["count"].as_i64().unwrap();
        assert_eq!(max - left(&b), want, "{}: {text:?}", case["note"]);
        assert_eq!(plaza::domain::text::counted_len(text) as i64, want, "server: {text:?}");
    }

    // Exactly full with a byte-order mark and a bidi override the server
    // removes: the counter says 0 left, and the server takes the post.
    let full = format!("\u{FEFF}{}\u{202E}", "好".repeat(1999) + "末");
    set_body(&b, &full);
    assert_eq!(left(&b), 0);
    b.click_in(Within::Css("form.compose"), M::ComposeButton.zh());
    b.see("好好好好末");
    // One more character: the counter says -1, and the server refuses;
    // the composer shows why next to the form, with the text kept.
    b.goto("/");
    set_body(&b, &format!("{full}多"));
    assert_eq!(left(&b), -1);
    b.expect_request_status(422);
    b.press_in(Within::Css("form.compose"), M::ComposeButton.zh());
    b.wait_for("document.querySelector('form.compose p.error.sent:not([hidden])')", "the refusal next to the form");
    b.see("2001");
    assert_eq!(left(&b), -1, "the refused text is kept in the box");
    b.check();
    b.goto("/");
    b.finish();
}

at_both_widths!();
