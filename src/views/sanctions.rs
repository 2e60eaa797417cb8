//! The sanctions part of the staff account page (`/admin/credit/{user}`,
//! issue 18): the form to mute (禁言) or suspend (封禁) with a reason and an
//! end date, and every sanction with its state and a button to lift one in
//! force.

use super::components::{button_form, csrf_field, flash_for, user_link};
use super::Chrome;
use crate::db::sanctions::{Kind, Sanction};
use crate::db::users::User;
use crate::i18n::M;
use maud::{html, Markup};

/// The words for a sanction kind.
pub fn kind_label(k: Kind) -> M {
    match k {
        Kind::Mute => M::SanctionMute,
        Kind::Suspend => M::SanctionSuspend,
    }
}

/// Partial: the account's sanctions and the form, at time `now`.
pub fn section(c: &Chrome, u: &User, list: &[Sanction], now: i64) -> Markup {
    let action = format!("/admin/credit/{}/sanction", u.username);
    html! {
        section.card #sanctions {
            h2 { (c.t(M::SanctionsTitle)) }
            @let current: Vec<&Sanction> = list.iter().filter(|s| s.in_force(now)).collect();
            @if current.is_empty() { p.meta { (c.t(M::SanctionNone)) } }
            @for s in &current {
                p.notice role="status" { (c.f(M::SanctionInForce, &[&c.t(kind_label(s.kind)), &c.time(s.ends_at)])) }
            }
            form method="post" action=(action) {
                (csrf_field(c.csrf))
                (flash_for(c, &action))
                label { (c.t(M::SanctionKind))
                    select name="kind" {
                        option value="mute" { (c.t(M::SanctionMute)) }
                        option value="suspend" { (c.t(M::SanctionSuspend)) }
                    }
                }
                label { (c.t(M::SanctionUntil)) input type="date" name="until" required; }
                label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="500"; }
                button type="submit" { (c.t(M::SanctionImpose)) }
            }
            @if !list.is_empty() {
                ul.sanctions {
                    @for s in list {
                        li {
                            strong { (c.t(kind_label(s.kind))) } " · " (s.reason) " · "
                            (c.f(M::SanctionPeriod, &[&c.time(s.created_at), &c.time(s.ends_at)]))
                            @if let Some(by) = &s.decided_by { " · " (user_link(by)) }
                            " · "
                            @if let Some(t) = s.lifted_at { (c.f(M::SanctionLiftedAt, &[&c.time(t)])) }
                            @else if s.in_force(now) {
                                (c.t(M::SanctionActive)) " "
                                (button_form(c, &format!("/admin/sanctions/{}/lift", s.id), c.t(M::SanctionLift), "secondary"))
                            }
                            @else { (c.t(M::SanctionExpired)) }
                        }
                    }
                }
            }
        }
    }
}
