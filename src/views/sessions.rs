//! `/settings/sessions` (issue 15): where the account is signed in, with a
//! button to end each session and one to end every other.

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::sessions::SessionRow;
use crate::domain::device::{self, Kind};
use crate::i18n::M;
use maud::{html, Markup};

/// A session's device in words: kind, browser, system (`电脑 · Chrome · Windows 10`).
pub fn device_words(c: &Chrome, user_agent: &str) -> String {
    let d = device::parse(user_agent);
    let kind = c.t(match d.kind {
        Kind::Computer => M::DeviceComputer,
        Kind::Phone => M::DevicePhone,
        Kind::MobilePhone => M::DeviceMobilePhone,
        Kind::Appliance => M::DeviceAppliance,
        Kind::Program => M::DeviceProgram,
        Kind::Unknown => M::DeviceUnknown,
    });
    [Some(kind.to_string()), d.browser, d.os].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

/// Seconds as whole hours or days, in words.
fn span(c: &Chrome, seconds: i64) -> String {
    if seconds % 86_400 == 0 {
        c.f(M::Days, &[&(seconds / 86_400)])
    } else {
        c.f(M::Hours, &[&(seconds / 3600).max(1)])
    }
}

/// `GET /settings/sessions`: each live session (device, address, last use,
/// start), the current one marked; `ended` sessions just ended; `life` the
/// idle and absolute limits that apply to this account.
pub fn list(c: &Chrome, rows: &[SessionRow], ended: Option<usize>, life: (i64, i64)) -> Markup {
    layout(
        c,
        c.t(M::SessionsTitle),
        html! {
            (super::users::settings_nav(c, "/settings/sessions"))
            p { (c.f(M::SessionsIntro, &[&span(c, life.0), &span(c, life.1)])) }
            @if let Some(n) = ended { p.notice role="status" { (c.f(M::SessionsEnded, &[&n])) } }
            ul.sessions {
                @for r in rows {
                    li.card {
                        p {
                            strong { (device_words(c, &r.user_agent)) }
                            @if r.current { " " span.tag-note { (c.t(M::SessionThisDevice)) } }
                        }
                        p { (c.t(M::SessionAddress)) " " (if r.ip.is_empty() { "-" } else { r.ip.as_str() }) }
                        p { (c.t(M::SessionLastUsed)) " " (c.time(r.last_seen_at)) " · "
                            (c.t(M::SessionStarted)) " " (c.time(r.created_at)) }
                        form.inline method="post" action={ "/settings/sessions/" (r.handle) "/end" } {
                            (csrf_field(c.csrf))
                            button type="submit" { (c.t(if r.current { M::SessionSignOutHere } else { M::SessionSignOut })) }
                        }
                    }
                }
            }
            @if rows.iter().any(|r| !r.current) {
                form method="post" action="/settings/sessions/others/end" {
                    (csrf_field(c.csrf))
                    button type="submit" { (c.t(M::SessionSignOutElsewhere)) }
                }
            }
        },
    )
}
