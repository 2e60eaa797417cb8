//! Journey: the dashboard a person reads at a glance: waiting work and
//! charts drawn as inline SVG with visible bars (issue 13, R6.6). Its
//! screenshot at each width is kept in `docs/screenshots/` for README.

use super::{log_in, Browser};
use crate::common::gov::add_rule;
use crate::common::{setup_admin, Server};
use plaza::i18n::M;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// A site with a week of history: the server is started with its clock
/// set back (`PLAZA_CLOCK_OFFSET_SECONDS`) on each of a few past days and
/// members post and comment, complain and sign up then, as on a real site;
/// today a few posts wait for review.
fn a_week_of_activity() -> Server {
    let start = |days: i64, data: Option<tempfile::TempDir>| {
        let offset = (-days * DAY).to_string();
        let env = [("PLAZA_CLOCK_OFFSET_SECONDS", offset.as_str())];
        match data {
            None => Server::start_with(&[], &env),
            Some(d) => Server::start_in(d, &[], &env),
        }
    };
    let s = start(8, None);
    let admin = setup_admin(&s);
    admin.verify_identity("admin");
    add_rule(&admin, "团购", "广告", "review");
    let mut members: Vec<&str> = Vec::new();
    let mut s = Some(s);
    // (days ago, new members, posts each, complaints)
    for (days, joining, posts, complaints) in [
        (8, &["alice", "bob"][..], 2, 0),
        (6, &["carol"][..], 3, 1),
        (5, &[][..], 1, 0),
        (3, &["dave", "erin"][..], 2, 2),
        (2, &[][..], 4, 0),
        (1, &["frank"][..], 3, 1),
    ] {
        let server = match s.take() {
            Some(x) if days == 8 => x,
            Some(x) => start(days, Some(x.stop())),
            None => unreachable!(),
        };
        for name in joining {
            server.client().signup(name);
            members.push(name);
        }
        for name in &members {
            let c = server.client();
            c.login(name);
            for i in 0..posts {
                let post = c.post_status(&format!("{name} 的动态 {i}"), "public");
                c.post(&format!("/posts/{post}/comments"), &[("body", "赞")]);
            }
        }
        for i in 0..complaints {
            server.client().post(
                "/complaints",
                &[
                    ("target", "user:alice"),
                    ("category", "fraud"),
                    ("body", &format!("冒充他人 {i}")),
                    ("contact", "13800000000"),
                ],
            );
        }
        s = Some(server);
    }
    let today = Server::start_in(s.take().unwrap().stop(), &[], &[]);
    for name in ["alice", "bob", "carol"] {
        let c = today.client();
        c.login(name);
        c.post_status(&format!("{name} 今天的微博"), "public");
        c.post("/posts", &[("body", "团购水果"), ("visibility", "public")]);
    }
    today
}

fn journey(width: u32) {
    let s = a_week_of_activity();
    let mut b = Browser::open(&s, "staff-dashboard", width);
    log_in(&mut b, "admin");
    b.goto("/admin");
    b.see(M::ChartsTitle.zh());
    b.see(M::ChartPosts.zh());
    b.see(&M::InboxHeld.zh().replace("{}", "3"));
    b.see(&M::MembersFigure.zh().replacen("{}", "7", 1).replacen("{}", "7", 1));
    // Every chart is an SVG laid out on the page, with bars a person sees.
    let charts = b
        .js("return [...document.querySelectorAll('figure.chart svg')].map(s => [s.getBoundingClientRect().width,
            [...s.querySelectorAll('rect.bar')].filter(r => r.getBoundingClientRect().height > 0).length])");
    let charts = charts.as_array().expect("a list").clone();
    assert_eq!(charts.len(), 7, "{charts:?}");
    assert!(charts.iter().all(|c| c[0].as_f64().unwrap_or(0.0) > 200.0), "charts are laid out: {charts:?}");
    assert!(charts[0][1].as_u64().unwrap_or(0) >= 7, "a week of posts, a visible bar a day: {charts:?}");
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    b.screenshot_full(&docs.join(format!("dashboard-{width}.png")));
    b.finish();
}

at_both_widths!();
