//! Who liked and who reposted a post (issue 18): the post, then the list.

use super::components::{avatar, post_card, post_list, user_link, Pager, PostItem};
use super::{layout, Chrome};
use crate::db::users::User;
use crate::i18n::M;
use maud::{html, Markup};

/// `GET /posts/{id}/likes`: the post, then each liker (newest first) with
/// when they liked it, and the next page's link.
pub fn likers(c: &Chrome, item: &PostItem, list: &[(User, i64)], next: Option<String>) -> Markup {
    layout(
        c,
        c.t(M::LikersTitle),
        html! {
            (post_card(c, item))
            section.likers {
                h2 { (c.t(M::LikersTitle)) }
                @if list.is_empty() { p.empty { (c.t(M::NoLikers)) } }
                ul.people {
                    @for (u, at) in list {
                        li { (avatar(u, "small")) " " (user_link(u)) " · " time { (c.time(*at)) } }
                    }
                }
                @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::Older)) } } }
            }
        },
    )
}

/// `GET /posts/{id}/reposts`: the post, then the reposts of it the viewer may see.
pub fn reposts(c: &Chrome, item: &PostItem, list: &[PostItem], pager: Pager) -> Markup {
    layout(
        c,
        c.t(M::RepostersTitle),
        html! {
            (post_card(c, item))
            section.reposters {
                h2 { (c.t(M::RepostersTitle)) }
                (post_list(c, list, pager, M::NoReposters))
            }
        },
    )
}
