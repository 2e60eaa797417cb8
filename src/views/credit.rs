//! Credit pages (R15.1): a member's own score, level and history with
//! appeal forms; the staff view of anyone's with the adjustment form; the
//! appeals queue.

use super::admin::admin_nav;
use super::components::{csrf_field, linked, unlinked, user_link};
use super::{layout, Chrome};
use crate::db::credit::{Appeal, Event};
use crate::db::targets::{self as db_targets, Targets};
use crate::db::users::User;
use crate::domain::credit::{Decider, Level};
use crate::i18n::M;
use maud::{html, Markup};

/// The message of a credit level.
pub fn level_label(l: Level) -> M {
    match l {
        Level::Excellent => M::LevelExcellent,
        Level::Good => M::LevelGood,
        Level::Fair => M::LevelFair,
        Level::Poor => M::LevelPoor,
        Level::Restricted => M::LevelRestricted,
    }
}

/// The words for an event's source; a sanction's record (issue 18) says so.
fn event_label(e: &Event) -> M {
    if e.r#ref.starts_with("sanction:") {
        M::CreditSanction
    } else {
        source_label(&e.source)
    }
}

fn source_label(s: &str) -> M {
    match s {
        "removal" => M::CreditRemoval,
        "complaint" => M::CreditComplaint,
        "rumour" => M::CreditRumour,
        "good_behaviour" => M::CreditGood,
        "appeal" => M::CreditAppeal,
        _ => M::CreditStaff,
    }
}

/// Partial: one event row; `appeal_form` adds the appeal form under an
/// appealable penalty.
/// Its cause (`post:12`) is named in words with a link (issue 13); a
/// member's own page links to public pages, staff pages to staff pages.
fn event_row(c: &Chrome, e: &Event, appeal_form: bool, known: &Targets) -> Markup {
    html! {
        li.credit-event id={ "event-" (e.id) } {
            strong.delta { (format!("{:+}", e.delta)) } " · " (c.t(event_label(e)))
            @if !e.r#ref.is_empty() && !db_targets::tokens(&e.r#ref).is_empty() {
                // A member's removed post stays named but unlinked: it no longer opens.
                @if appeal_form && e.source == "removal" && e.reversed_by.is_none() { " · " (unlinked(c, &e.r#ref, known)) }
                @else { " · " (linked(c, &e.r#ref, known, !appeal_form)) }
            }
            @if !e.reason.is_empty() { " · " (e.reason) }
            " · " (c.time(e.created_at))
            @if e.reversed_by.is_some() { " · " span.reversed { (c.t(M::CreditReversed)) } }
            @if let Some((status, answer)) = &e.appeal {
                " · " span.appeal { (c.t(M::AppealTitle)) "：" (c.t(appeal_status(status))) @if !answer.is_empty() { " (" (answer) ")" } }
            } @else if appeal_form && e.appealable() {
                form.inline method="post" action="/settings/credit/appeal" {
                    (csrf_field(c.csrf))
                    input type="hidden" name="event" value=(e.id);
                    input type="text" name="body" required maxlength="1000" placeholder=(c.t(M::AppealWhy)) aria-label=(c.t(M::AppealWhy));
                    button type="submit" { (c.t(M::AppealLink)) }
                }
            }
        }
    }
}

/// The words for an appeal's status (`open`, `upheld`, `rejected`).
pub fn appeal_status(s: &str) -> M {
    match s {
        "upheld" => M::AppealStatusUpheld,
        "rejected" => M::AppealStatusRejected,
        _ => M::AppealStatusOpen,
    }
}

/// `GET /settings/credit`.
pub fn settings(c: &Chrome, score: i64, level: Level, events: &[Event], known: &Targets, done: Option<&str>) -> Markup {
    layout(
        c,
        c.t(M::CreditTitle),
        html! {
            @if done.is_some() { p.notice role="status" { (c.t(M::AppealSent)) } }
            p.credit-score { (c.t(M::CreditScore)) (c.colon()) strong.score { (score) } " · " (c.t(M::CreditLevel)) (c.colon())
                strong.level { (c.t(level_label(level))) } }
            p.hint { (c.t(M::CreditIntro)) }
            h2 { (c.t(M::CreditHistory)) }
            @if events.is_empty() { p.empty { (c.t(M::CreditNoEvents)) } }
            ul.credit-history { @for e in events { (event_row(c, e, true, known)) } }
        },
    )
}

/// `GET /admin/credit/{username}`.
/// `sanctions` is the account's sanctions part (issue 18), shown after the score.
pub fn admin_show(
    c: &Chrome,
    u: &User,
    score: i64,
    level: Level,
    events: &[Event],
    known: &Targets,
    sanctions: Markup,
) -> Markup {
    layout(
        c,
        c.t(M::CreditTitle),
        html! {
            (admin_nav(c))
            p.credit-user { (user_link(u)) }
            p.credit-score { (c.t(M::CreditScore)) (c.colon()) strong.score { (score) } " · " (c.t(M::CreditLevel)) (c.colon())
                strong.level { (c.t(level_label(level))) } }
            (sanctions)
            form.card method="post" action={ "/admin/credit/" (u.username) "/adjust" } {
                (csrf_field(c.csrf))
                h2 { (c.t(M::CreditAdjust)) }
                label { (c.t(M::CreditDelta)) input type="number" name="delta" required min="-1000" max="1000"; }
                label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="1000"; }
                button type="submit" { (c.t(M::CreditAdjust)) }
            }
            h2 { (c.t(M::CreditHistory)) }
            ul.credit-history { @for e in events { (event_row(c, e, false, known)) } }
        },
    )
}

/// `GET /admin/appeals`.
pub fn appeals(c: &Chrome, list: &[Appeal], deciders: &[Decider], known: &Targets) -> Markup {
    layout(
        c,
        c.t(M::AppealsTitle),
        html! {
            (admin_nav(c))
            (super::components::flash_for(c, "/admin/appeals"))
            @if list.is_empty() { p.empty { (c.t(M::AppealsEmpty)) } }
            ul.appeals { @for (a, d) in list.iter().zip(deciders) {
                li id={ "appeal-" (a.id) } {
                    a href={ "/admin/credit/" (a.username) } { "@" (a.username) } " · "
                    strong { (format!("{:+}", a.event.delta)) } " · " (c.t(event_label(&a.event)))
                    @if !db_targets::tokens(&a.event.r#ref).is_empty() { " · " (linked(c, &a.event.r#ref, known, true)) }
                    " · " (a.event.reason) " · " (c.time(a.created_at))
                    p.body { (a.body) }
                    // Who may decide, said before any click (R6.5): never a button that can only fail.
                    @match d {
                        Decider::Another(names) => {
                            p.hint.appeal-other { (c.f(M::AppealAnotherMust, &[&names.iter().map(|n| format!("@{n}")).collect::<Vec<_>>().join("、")])) }
                        }
                        Decider::Nobody => { p.hint.appeal-nobody { (c.t(M::AppealNobody)) } }
                        _ => {
                            @if *d == Decider::NoIndependentReviewer {
                                p.notice.no-independent role="note" { (c.t(M::AppealNoIndependent)) }
                            }
                            (super::components::flash_for(c, &format!("/admin/appeals/{}", a.id)))
                            form.inline method="post" action={ "/admin/appeals/" (a.id) } {
                                (csrf_field(c.csrf))
                                input type="text" name="answer" required maxlength="1000" placeholder=(c.t(M::AppealAnswer)) aria-label=(c.t(M::AppealAnswer));
                                button type="submit" name="decision" value="uphold" { (c.t(M::AppealUphold)) }
                                button type="submit" name="decision" value="reject" { (c.t(M::AppealReject)) }
                            }
                        }
                    }
                }
            } }
        },
    )
}
