//! The checks themselves: each one fails a page that has the fault it is
//! there for, so a green journey means the pages are free of them.

use super::{Browser, PHONE};
use crate::common::Server;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What `step` panicked with; fails when it did not panic.
fn failure(b: &mut Browser, what: &str, step: impl FnOnce(&mut Browser)) -> String {
    match catch_unwind(AssertUnwindSafe(|| step(b))) {
        Ok(()) => panic!("the {what} check let a faulty page pass"),
        Err(e) => e.downcast_ref::<String>().cloned().unwrap_or_default(),
    }
}

/// A zh-CN page made of `body`, as a `data:` URL.
fn page(body: &str) -> String {
    let html =
        format!("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"></head><body>{body}</body></html>");
    format!(
        "data:text/html;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(&html, percent_encoding::NON_ALPHANUMERIC)
    )
}

#[test]
fn each_check_fails_a_faulty_page() {
    let s = Server::start();
    let mut b = Browser::open(&s, "checks", PHONE);

    let m = failure(&mut b, "status", |b| b.goto("/no/such/page"));
    assert!(m.contains("answered 404"), "{m}");
    b.expect_status(404);
    b.goto("/no/such/page");

    let m = failure(&mut b, "overflow", |b| b.goto(&page("<div style=\"width:600px\">太宽了</div>")));
    assert!(m.contains("px wide in a 390 px window") && m.contains("div"), "{m}");

    let m = failure(&mut b, "console", |b| b.goto(&page("<script>console.error('出错了')</script>")));
    assert!(m.contains("console error") && m.contains("出错了"), "{m}");
    let m = failure(&mut b, "console", |b| b.goto(&page("<script>undefinedFunction()</script>")));
    assert!(m.contains("console error") && m.contains("undefinedFunction"), "{m}");

    for token in ["post:7", "complaint:12", "published", "removed", "pending", "open", "repost"] {
        let m = failure(&mut b, "token", |b| b.goto(&page(&format!("<p>状态：{token}</p>"))));
        assert!(m.contains(&format!("raw token \"{token}\"")), "{m}");
    }
    let m = failure(&mut b, "heading", |b| b.goto(&page("<h1>投诉处理进度</h1><h1>投诉处理进度</h1>")));
    assert!(m.contains("heading \"投诉处理进度\" shown twice"), "{m}");

    // English words are fine on an English page, and ordinary Chinese is.
    b.goto(&page("<p>已发布 · 待处理</p>").replace("zh-CN", "en"));
    b.goto(&page("<p>已发布 · 待处理 · 2026-03-01 12:00</p>"));
}
