//! The post page: the post, repost form, comments and the comment form (R2.3).

use super::components::{button_form, comment_item, csrf_field, post_card, PostItem};
use super::{layout, Chrome};
use crate::db::posts::Comment;
use crate::i18n::M;
use maud::{html, Markup};

/// A refused comment or repost form, kept so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct PostForms {
    pub comment_body: String,
    pub reply_to: Option<(i64, String)>,
    pub comment_error: Option<String>,
    pub repost_body: String,
    pub repost_error: Option<String>,
    /// The post's comment mode: `open`, `followers` or `closed` (R10.3).
    pub comment_mode: String,
    /// The viewer wrote the post and may control its comments (R10.3).
    pub controls: bool,
    /// The viewer wrote the post and may still edit it (issue 18).
    pub editable: bool,
    /// The text in the edit form after a refusal, and why.
    pub edit_body: Option<String>,
    pub edit_error: Option<String>,
    /// The post's earlier versions, oldest first (issue 18, R12.2).
    pub versions: Vec<crate::db::edits::PostEdit>,
    /// Issue 18: likes of the comments shown: count and whether the viewer
    /// liked it, by comment id (absent: none).
    pub comment_likes: std::collections::HashMap<i64, (i64, bool)>,
    /// The viewer bookmarked the post.
    pub bookmarked: bool,
    /// For the author: whether it is pinned on their profile; `None` for others.
    pub pinned: Option<bool>,
}

/// Partial: "edited" with every earlier version and when it was replaced
/// (issue 18), folded unless `open`; nothing for a post never edited.
pub fn versions(c: &Chrome, versions: &[crate::db::edits::PostEdit], open: bool) -> Markup {
    html! {
        @if let Some(last) = versions.last() {
            details.versions #versions open[open] {
                summary { (c.f(M::EditedAt, &[&c.time(last.replaced_at)])) " · " (c.f(M::EarlierVersions, &[&versions.len()])) }
                ol.versions {
                    @for v in versions.iter().rev() {
                        li {
                            p.body { (v.body) }
                            @if v.alts.iter().any(|a| !a.is_empty()) {
                                ul.version-alts { @for (i, a) in v.alts.iter().enumerate() {
                                    li { (c.f(M::VersionAlt, &[&(i + 1), a])) }
                                } }
                            }
                            p.meta { (c.f(M::VersionUntil, &[&c.time(v.replaced_at)])) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /posts/{id}`.
pub fn show(
    c: &Chrome,
    item: &PostItem,
    comments: &[Comment],
    more: Option<String>,
    forms: &PostForms,
    can_repost: bool,
) -> Markup {
    let p = &item.post;
    // "alice 的微博", not the bare name the card below repeats.
    let title = c.f(M::PostPageTitle, &[&super::components::name_of(&p.author)]);
    // R7.1: an unverified member is told before typing, not after sending.
    let may_publish = c.user.is_some_and(|u| u.identity.may_publish());
    layout(
        c,
        &title,
        html! {
            (post_card(c, item))
            @if p.is_published() {
                // Issue 18: who liked and who reposted it.
                p.post-lists {
                    a href={ "/posts/" (p.id) "/likes" } { (c.f(M::LikeCount, &[&p.like_count])) }
                    " · "
                    a href={ "/posts/" (p.id) "/reposts" } { (c.f(M::RepostCountLink, &[&p.repost_count])) }
                }
            }
            (versions(c, &forms.versions, false))
            @if c.user.is_some() && p.is_published() {
                p.post-tools {
                    @if forms.bookmarked {
                        (button_form(c, &format!("/posts/{}/unbookmark", p.id), c.t(M::Unbookmark), "secondary"))
                    } @else {
                        (button_form(c, &format!("/posts/{}/bookmark", p.id), c.t(M::Bookmark), "secondary"))
                    }
                    @match forms.pinned {
                        Some(true) => { " " (button_form(c, &format!("/posts/{}/unpin", p.id), c.t(M::Unpin), "secondary")) }
                        Some(false) => { " " (button_form(c, &format!("/posts/{}/pin", p.id), c.t(M::Pin), "secondary")) }
                        None => {}
                    }
                }
            }
            @if forms.editable {
                details.edit-post #edit open[forms.edit_error.is_some()] {
                    summary { (c.t(M::EditPost)) }
                    form method="post" action={ "/posts/" (p.id) "/edit" } {
                        (csrf_field(c.csrf))
                        @if let Some(e) = &forms.edit_error { p.error role="alert" { (e) } }
                        label { (c.t(M::EditPostHint))
                            textarea name="body" rows="4" required data-suggest=(c.t(M::ComposeSuggestions)) { (forms.edit_body.as_deref().unwrap_or(&p.body)) }
                        }
                        // Issue 18: each image's or video's description, editable too.
                        @for (i, a) in item.media.iter().enumerate() {
                            label { (c.f(M::EditAltLabel, &[&(i + 1)]))
                                input type="text" name="alt" value=(a.alt) maxlength="500";
                            }
                        }
                        button type="submit" { (c.t(M::Save)) }
                    }
                }
            }
            @if c.user.is_some() {
                @if can_repost && may_publish {
                    form.repost #repost method="post" action={ "/posts/" (p.id) "/repost" } {
                        (csrf_field(c.csrf))
                        @if let Some(e) = &forms.repost_error { p.error role="alert" { (e) } }
                        input type="text" name="body" value=(forms.repost_body) placeholder=(c.t(M::RepostPlaceholder))
                            aria-label=(c.t(M::RepostPlaceholder));
                        button type="submit" { (c.t(M::Repost)) }
                    }
                }
            } @else {
                p.hint { a href="/login" { (c.t(M::LoginToInteract)) } }
            }
            section #comments {
                h2 { (c.t(M::Comments)) " " (p.comment_count) }
                @if comments.is_empty() { p.empty { (c.t(M::NoComments)) } }
                @match forms.comment_mode.as_str() {
                    "closed" => p.comment-mode { (c.t(M::CommentsClosed)) },
                    "followers" => p.comment-mode { (c.t(M::CommentsFollowersOnly)) },
                    _ => {},
                }
                @if forms.controls {
                    form.inline.comment-mode-form method="post" action={ "/posts/" (p.id) "/comment-mode" } {
                        (csrf_field(c.csrf))
                        label { (c.t(M::CommentModeLabel)) " "
                            select name="mode" {
                                @for (v, m) in [("open", M::CommentModeOpen), ("followers", M::CommentModeFollowers), ("closed", M::CommentModeClosed)] {
                                    option value=(v) selected[forms.comment_mode == v] { (c.t(m)) }
                                }
                            }
                        }
                        button type="submit" { (c.t(M::Save)) }
                    }
                }
                ol.comments { @for cm in comments {
                    (comment_item(c, cm, forms.controls, forms.comment_likes.get(&cm.id).copied().unwrap_or((0, false))))
                } }
                @if let Some(href) = more { nav.pager { a rel="next" href=(href) { (c.t(M::MoreComments)) } } }
                @if c.user.is_some() && !may_publish {
                    (identity_notice(c))
                } @else if c.user.is_some() {
                    form.comment #comment-form method="post" action={ "/posts/" (p.id) "/comments" } {
                        (csrf_field(c.csrf))
                        @if let Some(e) = &forms.comment_error { p.error role="alert" { (e) } }
                        @if let Some((id, name)) = &forms.reply_to {
                            input type="hidden" name="reply_to" value=(id);
                            p.reply { (c.f(M::ReplyTo, &[&format!("@{name}")])) }
                        }
                        // Issue 18: `@` and `#` suggestions as in the composer (app.js).
                        textarea name="body" rows="3" required placeholder=(c.t(M::CommentPlaceholder))
                            aria-label=(c.t(M::CommentPlaceholder)) data-suggest=(c.t(M::ComposeSuggestions)) { (forms.comment_body) }
                        button type="submit" { (c.t(M::CommentButton)) }
                    }
                }
            }
        },
    )
}

/// Partial: where the comment form would be, for a member without a
/// verified identity: why they cannot comment yet and the way there
/// (R7.1), so nothing is typed in vain (issue 13).
fn identity_notice(c: &Chrome) -> Markup {
    html! {
        div.card.identity-notice #comment-form {
            p { (c.t(M::IdentityRequiredText)) }
            p { a.button href="/settings/identity" { (c.t(M::IdentityBindLink)) } }
        }
    }
}
