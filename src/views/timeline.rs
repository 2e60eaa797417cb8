//! Timelines: home, public, tag (R2.1, R2.3).

use super::components::{compose_form, post_list, ComposeLimits, Draft, Pager, PostItem};
use super::{layout, Chrome};
use crate::db::search::Person;
use crate::i18n::M;
use maud::{html, Markup};

/// `GET /`: compose box and the home timeline.
/// `suggest`: "who to follow" (issue 17) shown when the timeline is empty,
/// with the message for each account's count.
pub fn home(
    c: &Chrome,
    items: &[PostItem],
    pager: Pager,
    draft: &Draft,
    limits: &ComposeLimits,
    suggest: &(Vec<Person>, M),
) -> Markup {
    layout(
        c,
        c.t(M::HomeTitle),
        html! {
            (compose_form(c, draft, limits))
            (post_list(c, items, pager, M::EmptyHome))
            @if items.is_empty() { (super::search::who_to_follow(c, &suggest.0, suggest.1)) }
        },
    )
}

/// `GET /` signed out: a welcome and the public timeline.
pub fn welcome(c: &Chrome, items: &[PostItem], pager: Pager) -> Markup {
    let title = c.f(M::WelcomeTitle, &[&c.site.settings.site_name]);
    layout(
        c,
        &title,
        html! {
            p.welcome { (c.t(M::WelcomeText)) " "
                a.button href="/login" { (c.t(M::NavLogin)) } " "
                a.button href="/signup" { (c.t(M::NavSignup)) }
            }
            (post_list(c, items, pager, M::EmptyTimeline))
        },
    )
}

/// `GET /public`, with the top trending topics when trending is on (R13.1).
pub fn public(c: &Chrome, items: &[PostItem], pager: Pager, trends: &[crate::db::search::Trend]) -> Markup {
    layout(
        c,
        c.t(M::PublicTitle),
        html! {
            (super::search::trend_box(c, trends))
            (post_list(c, items, pager, M::EmptyTimeline))
        },
    )
}

/// `GET /tags/{tag}`.
pub fn tag(c: &Chrome, tag: &str, items: &[PostItem], pager: Pager) -> Markup {
    layout(c, &c.f(M::TagTitle, &[&tag]), post_list(c, items, pager, M::EmptyTimeline))
}
