//! Search and the people directory (issue 17): the header's search box,
//! `/search` with its posts, accounts and topics tabs, `/people`, and the
//! "who to follow" box of an empty home timeline.

use super::components::{avatar, marked, post_card_marked, tag_url, PostItem};
use super::{layout, Chrome};
use crate::db::search::Person;
use crate::i18n::M;
use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

/// Which tab of `/search` is open (`?type=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Posts,
    Accounts,
    Tags,
}

impl Tab {
    /// From `?type=`: `posts` (also when absent or unknown), `accounts`, `tags`.
    pub fn parse(s: Option<&str>) -> Tab {
        match s {
            Some("accounts") => Tab::Accounts,
            Some("tags") => Tab::Tags,
            _ => Tab::Posts,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Tab::Posts => "posts",
            Tab::Accounts => "accounts",
            Tab::Tags => "tags",
        }
    }

    fn label(self) -> M {
        match self {
            Tab::Posts => M::SearchTabPosts,
            Tab::Accounts => M::SearchTabAccounts,
            Tab::Tags => M::SearchTabTags,
        }
    }
}

/// `/search?q=…&type=…` plus `extra` (`&max_id=7`), the query percent-encoded.
pub fn search_url(q: &str, tab: Tab, extra: &str) -> String {
    format!("/search?q={}&type={}{extra}", utf8_percent_encode(q, NON_ALPHANUMERIC), tab.as_str())
}

/// Partial: the search box of the page header (a plain GET form, no script).
pub fn header_box(c: &Chrome) -> Markup {
    html! {
        form.header-search role="search" method="get" action="/search" {
            input type="search" name="q" aria-label=(c.t(M::NavSearch)) placeholder=(c.t(M::SearchPlaceholder)) maxlength="200";
            button type="submit" { (c.t(M::NavSearch)) }
        }
    }
}

/// What the search page shows under its tabs.
pub enum Results {
    /// No query yet, or a refused one: the message to show (none for a bare `/search`).
    Message(Option<String>),
    Posts {
        items: Vec<PostItem>,
        needles: Vec<String>,
        older: Option<i64>,
        newer: Option<i64>,
    },
    Accounts {
        people: Vec<Person>,
        needles: Vec<String>,
        more: Option<u32>,
    },
    Tags(Vec<(String, i64)>),
}

/// `GET /search`.
pub fn search(c: &Chrome, q: &str, tab: Tab, results: &Results) -> Markup {
    let title = if q.trim().is_empty() { c.t(M::SearchTitle).to_string() } else { c.f(M::SearchResultsTitle, &[&q]) };
    layout(
        c,
        &title,
        html! {
            form.search-page role="search" method="get" action="/search" {
                input type="hidden" name="type" value=(tab.as_str());
                input #search-q type="search" name="q" value=(q) aria-label=(c.t(M::NavSearch)) placeholder=(c.t(M::SearchPlaceholder));
                button type="submit" { (c.t(M::NavSearch)) }
            }
            p.hint { (c.t(M::SearchHint)) }
            nav.tabs aria-label=(c.t(M::SearchTitle)) {
                @for t in [Tab::Posts, Tab::Accounts, Tab::Tags] {
                    @if t == tab {
                        a.current href=(search_url(q, t, "")) aria-current="page" { (c.t(t.label())) }
                    } @else {
                        a href=(search_url(q, t, "")) { (c.t(t.label())) }
                    }
                }
            }
            @match results {
                Results::Message(None) => {},
                Results::Message(Some(m)) => p.error role="alert" { (m) },
                Results::Posts { items, needles, older, newer } => {
                    @if items.is_empty() { p.empty { (c.t(M::SearchNoPosts)) } }
                    @for item in items { (post_card_marked(c, item, needles)) }
                    @if newer.is_some() || older.is_some() {
                        nav.pager {
                            @if let Some(id) = newer { a rel="prev" href=(search_url(q, tab, &format!("&min_id={id}"))) { (c.t(M::SearchNewer)) } " " }
                            @if let Some(id) = older { a rel="next" href=(search_url(q, tab, &format!("&max_id={id}"))) { (c.t(M::SearchOlder)) } }
                        }
                    }
                },
                Results::Accounts { people, needles, more } => {
                    @if people.is_empty() { p.empty { (c.t(M::SearchNoAccounts)) } }
                    (person_list(c, people, needles, M::FollowerCount))
                    @if let Some(offset) = more {
                        nav.pager { a rel="next" href=(search_url(q, tab, &format!("&offset={offset}"))) { (c.t(M::SearchMorePeople)) } }
                    }
                },
                Results::Tags(tags) => {
                    @if tags.is_empty() { p.empty { (c.t(M::SearchNoTags)) } }
                    ul.tag-results {
                        @for (tag, n) in tags {
                            li { a.tag href=(tag_url(tag)) { "#" (tag) } " " span.count { (c.f(M::TagPostCount, &[n])) } }
                        }
                    }
                },
            }
        },
    )
}

/// Partial: accounts with avatar, name (search terms marked), handle, bio
/// and a count (`count` has one `{}`: followers, or followers you follow).
pub fn person_list(c: &Chrome, people: &[Person], needles: &[String], count: M) -> Markup {
    html! {
        ul.people {
            @for p in people {
                @let u = &p.user;
                li {
                    (avatar(u, "small"))
                    " "
                    a.author href={ "/@" (u.username) } {
                        @if u.display_name.trim().is_empty() { (marked(&u.username, needles)) } @else { (marked(&u.display_name, needles)) }
                    }
                    (super::verification::badge(c, u.badge.as_deref()))
                    " " span.handle { "@" (marked(&u.username, needles)) }
                    " " span.count { (c.f(count, &[&p.followers])) }
                    @if !u.bio.is_empty() { p.bio { (u.bio) } }
                }
            }
        }
    }
}

/// The sections of `/people`.
pub struct People {
    pub newest: Vec<Person>,
    pub most_followed: Vec<Person>,
    /// The viewer's subject type (in words) and its accounts, when signed in.
    pub same_type: Option<(M, Vec<Person>)>,
    /// Followed by people the viewer follows.
    pub suggested: Vec<Person>,
}

/// `GET /people`.
pub fn people(c: &Chrome, p: &People) -> Markup {
    layout(
        c,
        c.t(M::PeopleTitle),
        html! {
            @if !p.suggested.is_empty() {
                section.people-section {
                    h2 { (c.t(M::WhoToFollow)) }
                    (person_list(c, &p.suggested, &[], M::FollowedByYours))
                }
            }
            section.people-section {
                h2 { (c.t(M::PeopleNewest)) }
                @if p.newest.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
                (person_list(c, &p.newest, &[], M::FollowerCount))
            }
            section.people-section {
                h2 { (c.t(M::PeopleMostFollowed)) }
                @if p.most_followed.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
                (person_list(c, &p.most_followed, &[], M::FollowerCount))
            }
            @if let Some((kind, list)) = &p.same_type {
                section.people-section {
                    h2 { (c.f(M::PeopleSameType, &[&c.t(*kind)])) }
                    @if list.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
                    (person_list(c, list, &[], M::FollowerCount))
                }
            }
        },
    )
}

/// Partial: "who to follow" on an empty home timeline (followed by people
/// the viewer follows, else the most followed), with a link to `/people`.
pub fn who_to_follow(c: &Chrome, people: &[Person], count: M) -> Markup {
    html! {
        @if !people.is_empty() {
            section.who-to-follow {
                h2 { (c.t(M::WhoToFollow)) }
                (person_list(c, people, &[], count))
                p { a href="/people" { (c.t(M::PeopleAll)) } }
            }
        }
    }
}

/// `GET /trending`: the top tags with their distinct authors; reviewers
/// get a form under each to hide it with a reason (R13.1).
pub fn trending(c: &Chrome, trends: &[crate::db::search::Trend], staff: bool) -> Markup {
    layout(
        c,
        c.t(M::TrendingTitle),
        html! {
            p.hint { (c.t(M::TrendingHint)) }
            @if trends.is_empty() { p.empty { (c.t(M::TrendingNone)) } }
            ol.trends {
                @for t in trends {
                    li {
                        a.tag href=(tag_url(&t.tag)) { "#" (t.tag) } " "
                        span.count { (c.f(M::TrendAuthors, &[&t.authors])) }
                        @if staff {
                            details.confirm {
                                summary { (c.t(M::TrendHide)) }
                                form method="post" action="/admin/trending/hide" {
                                    (super::components::csrf_field(c.csrf))
                                    input type="hidden" name="tag" value=(t.tag);
                                    label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="500"; }
                                    button type="submit" { (c.t(M::TrendHideConfirm)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Partial: the side box of the public timeline with the top trending
/// topics and a link to `/trending`; nothing when there are none.
pub fn trend_box(c: &Chrome, trends: &[crate::db::search::Trend]) -> Markup {
    html! {
        @if !trends.is_empty() {
            aside.trend-box aria-label=(c.t(M::TrendingTitle)) {
                strong { a href="/trending" { (c.t(M::TrendingTitle)) } } " "
                @for t in trends { a.tag href=(tag_url(&t.tag)) { "#" (t.tag) } " " }
            }
        }
    }
}
