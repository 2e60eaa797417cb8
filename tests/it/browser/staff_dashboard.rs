//! Journey: the dashboard a person reads at a glance: waiting work and
//! charts drawn as inline SVG with visible bars (issue 13, R6.6). Its
//! screenshot at each width is kept in `docs/screenshots/` for README.

use super::{log_in, Browser};
use crate::common::gov::add_rule;
use crate::common::with_admin;
use plaza::i18n::M;

fn journey(width: u32) {
    let (s, admin) = with_admin();
    add_rule(&admin, "团购", "广告", "review");
    for name in ["alice", "bob", "carol"] {
        let c = s.client();
        c.signup(name);
        let post = c.post_status(&format!("{name} 的第一条微博"), "public");
        c.post(&format!("/posts/{post}/comments"), &[("body", "欢迎")]);
        c.post("/posts", &[("body", "团购水果"), ("visibility", "public")]);
    }
    let anon = s.client();
    anon.post(
        "/complaints",
        &[("target", "user:alice"), ("category", "fraud"), ("body", "冒充他人"), ("contact", "13800000000")],
    );

    let mut b = Browser::open(&s, "staff-dashboard", width);
    log_in(&mut b, "admin");
    b.goto("/admin");
    b.see(M::ChartsTitle.zh());
    b.see(M::ChartPosts.zh());
    b.see(&M::InboxHeld.zh().replace("{}", "3"));
    b.see(&M::MembersFigure.zh().replacen("{}", "4", 1).replacen("{}", "4", 1));
    // Every chart is an SVG laid out on the page, with bars a person sees.
    let charts = b
        .js("return [...document.querySelectorAll('figure.chart svg')].map(s => [s.getBoundingClientRect().width,
            [...s.querySelectorAll('rect.bar')].filter(r => r.getBoundingClientRect().height > 0).length])");
    let charts = charts.as_array().expect("a list").clone();
    assert_eq!(charts.len(), 7, "{charts:?}");
    assert!(charts.iter().all(|c| c[0].as_f64().unwrap_or(0.0) > 200.0), "charts are laid out: {charts:?}");
    assert!(charts[0][1].as_u64().unwrap_or(0) >= 1, "today's posts are a visible bar: {charts:?}");
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    b.screenshot_full(&docs.join(format!("dashboard-{width}.png")));
    b.finish();
}

at_both_widths!();
