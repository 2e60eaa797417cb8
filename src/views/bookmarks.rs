//! `/bookmarks`: the posts a member bookmarked (收藏), private to them (issue 18).

use super::components::{post_list, Pager, PostItem};
use super::{layout, Chrome};
use crate::i18n::M;
use maud::{html, Markup};

/// `GET /bookmarks`.
pub fn list(c: &Chrome, items: &[PostItem], pager: Pager) -> Markup {
    layout(
        c,
        c.t(M::BookmarksTitle),
        html! {
            p.meta { (c.t(M::BookmarksHint)) }
            (post_list(c, items, pager, M::NoBookmarks))
        },
    )
}
