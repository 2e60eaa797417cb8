//! Small partials shared by pages: post cards, the compose form, pagers,
//! rendered post bodies, times.

use super::Chrome;
use crate::db::media::Attachment;
use crate::db::posts::{Comment, Post};
use crate::db::rumours::Label;
use crate::db::users::User;
use crate::domain::account::Visibility;
use crate::domain::text::{segments, Segment};
use crate::i18n::M;
use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

pub use crate::domain::dates::format_time;

/// Partial: when something happened, relative to the request (issue 18):
/// "3 分钟前", "昨天 14:05", "2025年3月1日" past a week, in the site's time
/// zone, with the full time on hover and in `datetime` (RFC 3339, UTC) for
/// machines. Rendered here, so it needs no script; `app.js` only moves
/// "刚刚" and "N 分钟前" on while the page stays open.
pub fn ago(c: &Chrome, unix: i64) -> Markup {
    use crate::domain::dates::{ago, Ago};
    let ago = ago(unix, c.now, c.zone);
    // Under an hour old: `app.js` may count the minutes on from the time
    // the page was made (`data-now`), with the page's own words.
    let recent = matches!(ago, Ago::JustNow | Ago::Minutes(_)) && unix <= c.now;
    let words = match ago {
        Ago::JustNow => c.t(M::AgoJustNow).to_string(),
        Ago::Minutes(n) => c.f(M::AgoMinutes, &[&n]),
        Ago::Hours(n) => c.f(M::AgoHours, &[&n]),
        Ago::Yesterday(hm) => c.f(M::AgoYesterday, &[&hm]),
        Ago::Days(n) => c.f(M::AgoDays, &[&n]),
        Ago::Date(y, m, d) if c.lang == crate::i18n::Lang::En => {
            c.f(M::AgoDate, &[&y, &format!("{m:02}"), &format!("{d:02}")])
        }
        Ago::Date(y, m, d) => c.f(M::AgoDate, &[&y, &m, &d]),
    };
    html! {
        time datetime=(crate::domain::dates::rfc3339(unix)) title=(c.time(unix))
            data-minutes=[recent.then(|| c.t(M::AgoMinutes))] data-now=[recent.then_some(c.now)] { (words) }
    }
}

/// Partial: the message about the form with `action` that was just sent
/// and refused (issue 13), placed next to that form; nothing otherwise.
pub fn flash_for(c: &Chrome, action: &str) -> Markup {
    match c.flash {
        Some(f) if f.form.as_deref() == Some(action) && !c.flash_shown.get() => {
            c.flash_shown.set(true);
            html! { p.error.flash role="alert" { (f.text) } }
        }
        _ => html! {},
    }
}

/// Partial: the hidden CSRF field every state-changing form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(token); }
}

/// Partial: a form with one button posting to `action`, returning to `next`.
pub fn button_form(c: &Chrome, action: &str, label: &str, class: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(c.csrf))
            input type="hidden" name="next" value=(c.url);
            button type="submit" class=(class) { (label) }
        }
    }
}

/// Partial: a destructive action asked twice (issue 13), without script:
/// `label` opens a `<details>` that says `warning` and holds the form's
/// real button, `confirm`. `fields` goes inside the form (CSRF is added).
pub fn confirm_form(c: &Chrome, action: &str, label: &str, warning: &str, confirm: &str, fields: Markup) -> Markup {
    html! {
        details.confirm {
            summary.button.danger { (label) }
            form.confirm-step method="post" action=(action) {
                (csrf_field(c.csrf))
                (fields)
                p.warning role="note" { (warning) }
                button.danger type="submit" { (confirm) }
            }
        }
    }
}

/// The link path of a tag page.
pub fn tag_url(tag: &str) -> String {
    format!("/tags/{}", utf8_percent_encode(tag, NON_ALPHANUMERIC))
}

/// Partial: a post or comment body with hashtags, mentions and links made
/// into links; everything else escaped by maud (no user HTML reaches a page).
pub fn rich_text(body: &str) -> Markup {
    rich_text_marked(body, &[])
}

/// Partial: [`rich_text`] with the places where one of `needles` (folded
/// search terms, `domain::search::fts_query`) occurs in plain text wrapped
/// in `<mark>` (issue 17); everything still escaped by maud.
pub fn rich_text_marked(body: &str, needles: &[String]) -> Markup {
    rich_segments(&segments(body), needles)
}

/// Partial: a body already split by `domain::text::segments`, as
/// [`rich_text_marked`] shows it.
pub fn rich_segments(segments: &[Segment], needles: &[String]) -> Markup {
    rich_segments_keyed(segments, &tag_keys(segments), needles, "")
}

/// The tag key (`domain::text::tag_key`) of each of `segments`, `None`
/// for all but hashtags: what [`rich_segments_keyed`] takes, for callers
/// that read the keys too (the client API's `tags`).
pub fn tag_keys(segments: &[Segment]) -> Vec<Option<String>> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Tag { tag, .. } => Some(crate::domain::text::tag_key(tag)),
            _ => None,
        })
        .collect()
}

/// Partial: [`rich_segments`] with each segment's tag key given
/// ([`tag_keys`]) and the site's own links (tags, mentions) on `base`:
/// empty for the pages' relative links, the site's address for the client
/// API, whose apps need absolute ones.
pub fn rich_segments_keyed(segments: &[Segment], keys: &[Option<String>], needles: &[String], base: &str) -> Markup {
    html! {
        @for (seg, key) in segments.iter().zip(keys) {
            @match seg {
                Segment::Text(t) => (marked(t, needles)),
                Segment::Tag { shown, .. } => a.tag href={ (base) (tag_url(key.as_deref().unwrap_or_default())) } { (shown) },
                Segment::Mention { shown, name } => a.mention href={ (base) "/@" (name) } { (shown) },
                Segment::Link(url) => a href=(url) rel="nofollow noopener ugc" target="_blank" { (url) },
            }
        }
    }
}

/// Partial: `text` with each search match (see [`rich_text_marked`]) in
/// `<mark>`, the rest escaped.
pub fn marked(text: &str, needles: &[String]) -> Markup {
    let ranges = if needles.is_empty() { Vec::new() } else { crate::domain::search::matches(text, needles) };
    // (plain text before a match, the match), then the rest.
    let mut pieces = Vec::with_capacity(ranges.len());
    let mut at = 0;
    for (start, end) in ranges {
        pieces.push((&text[at..start], &text[start..end]));
        at = end;
    }
    html! {
        @for (before, hit) in pieces { (before) mark { (hit) } }
        (&text[at..])
    }
}

/// Display name, or the username when none is set.
pub fn name_of(u: &User) -> &str {
    if u.display_name.trim().is_empty() {
        &u.username
    } else {
        &u.display_name
    }
}

/// Partial: an account's avatar (its thumbnail), or its initial on a
/// coloured disc when it has none. Decorative: the name stands beside it.
pub fn avatar(u: &User, class: &str) -> Markup {
    html! {
        @match &u.avatar {
            Some(h) => img class={ "avatar " (class) } src={ "/media/" (h) "/thumb" } alt="" loading="lazy";,
            None => span class={ "avatar initial " (class) } aria-hidden="true" {
                (name_of(u).chars().next().map(|ch| ch.to_uppercase().to_string()).unwrap_or_default())
            },
        }
    }
}

/// Partial: the images of a post as a grid of thumbnails linking to the
/// full images, or its video in a player (R2.2). An animated GIF is shown
/// itself, not its still thumbnail, so it keeps moving.
pub fn media_block(c: &Chrome, media: &[Attachment]) -> Markup {
    let images: Vec<&Attachment> = media.iter().filter(|a| !a.is_video()).collect();
    html! {
        @for v in media.iter().filter(|a| a.is_video()) {
            @let label = if v.alt.is_empty() { c.t(M::VideoNoAlt) } else { v.alt.as_str() };
            video.media-video controls preload="metadata" src={ "/media/" (v.sha256) } aria-label=(label) title=(label) {
                a href={ "/media/" (v.sha256) } { (c.t(M::VideoFallback)) }
            }
        }
        @if !images.is_empty() {
            div class={ "media-grid n" (images.len().min(4)) } {
                @for a in &images {
                    @let src = if a.frames > 1 { format!("/media/{}", a.sha256) } else { format!("/media/{}/thumb", a.sha256) };
                    a href={ "/media/" (a.sha256) } {
                        img src=(src) alt=(if a.alt.is_empty() { c.t(M::ImageNoAlt) } else { a.alt.as_str() })
                            width=[a.width] height=[a.height] loading="lazy";
                    }
                }
            }
        }
    }
}

/// Partial: an account's name linking to its profile, with its @handle.
pub fn user_link(u: &User) -> Markup {
    html! {
        a.author href={ "/@" (u.username) } { (name_of(u)) }
        " " span.handle { "@" (u.username) }
    }
}

/// What a repost shows of the original it shares.
#[derive(Debug, Clone)]
pub enum Original {
    /// The original, visible to the viewer.
    Shown(Box<Post>),
    /// Deleted by its author or removed by staff.
    Removed,
    /// Still there, but the viewer may not see it.
    Hidden,
}

/// A post with what the viewer needs to see it in a list.
#[derive(Debug, Clone)]
pub struct PostItem {
    pub post: Post,
    /// Has the viewer liked it?
    pub liked: bool,
    /// For a repost: the original.
    pub original: Option<Original>,
    /// Its images or video, in order (R2.2).
    pub media: Vec<Attachment>,
    /// The original's images or video, when it is shown.
    pub original_media: Vec<Attachment>,
    /// Its confirmed 不实信息 label, and its original's (R11.1).
    pub rumour: Option<Label>,
    pub original_rumour: Option<Label>,
    /// When the post was last edited, if it was (issue 18).
    pub edited_at: Option<i64>,
    /// When the original was last edited, if it was.
    pub original_edited_at: Option<i64>,
}

/// Partial: a confirmed 不实信息 label with its refutation (R11.1).
pub fn rumour_label(c: &Chrome, l: &Label) -> Markup {
    html! {
        div.rumour-label role="note" {
            strong { (c.t(M::RumourLabel)) } " " (l.refutation)
            @if let Some(id) = l.refuting_post_id {
                " " a href={ "/posts/" (id) } { (c.t(M::RumourRefutingPost)) }
            }
        }
    }
}

/// Does the viewer review content (R6.5)? Then cards link to the staff page.
fn reviews(c: &Chrome) -> bool {
    c.opens("/admin/review")
}

fn visibility_label(v: Visibility) -> M {
    match v {
        Visibility::Public => M::VisibilityPublic,
        Visibility::Followers => M::VisibilityFollowers,
        Visibility::OnlyMe => M::VisibilitySelf,
    }
}

/// Partial: one post in a list or on its own page.
pub fn post_card(c: &Chrome, item: &PostItem) -> Markup {
    post_card_marked(c, item, &[])
}

/// Partial: [`post_card`] with search terms marked in its text (issue 17).
pub fn post_card_marked(c: &Chrome, item: &PostItem, needles: &[String]) -> Markup {
    let p = &item.post;
    let link = format!("/posts/{}", p.id);
    html! {
        article.post id={ "post-" (p.id) } {
            header {
                (avatar(&p.author, "small"))
                (user_link(&p.author)) (super::verification::badge(c, p.author.badge.as_deref()))
                " · " a.time href=(link) { (ago(c, p.created_at)) }
                @if p.visibility != Visibility::Public { " · " span.vis { (c.t(visibility_label(p.visibility))) } }
                @if let Some(t) = item.edited_at {
                    " · " a.edited href={ (link) "#versions" } title=(c.time(t)) { (c.t(M::Edited)) }
                }
            }
            @if p.is_pending() { p.under-review { (c.t(M::UnderReview)) } }
            @if let Some(l) = &item.rumour { (rumour_label(c, l)) }
            @if !p.body.is_empty() { div.body { (rich_text_marked(&p.body, needles)) } }
            (media_block(c, &item.media))
            @match &item.original {
                Some(Original::Shown(o)) => blockquote.original {
                    header { (user_link(&o.author)) (super::verification::badge(c, o.author.badge.as_deref())) " · " a.time href={ "/posts/" (o.id) } { (ago(c, o.created_at)) } }
                    @if let Some(l) = &item.original_rumour { (rumour_label(c, l)) }
                    div.body { (rich_text(&o.body)) }
                    (media_block(c, &item.original_media))
                    // Issue 18: the current text, said to differ from what was reposted.
                    @if item.original_edited_at.is_some_and(|t| t > p.created_at) {
                        p.meta.edited-after { (c.f(M::OriginalEditedAfterRepost, &[&c.time(item.original_edited_at.unwrap_or(0))])) }
                    }
                },
                Some(Original::Removed) => p.removed { (c.t(M::OriginalRemoved)) },
                Some(Original::Hidden) => p.removed { (c.t(M::OriginalHidden)) },
                None => {},
            }
            footer.actions {
                a href={ (link) "#comments" } { (c.t(M::Comment)) " " (p.comment_count) }
                @if c.user.is_some() {
                    @if c.reposts_on {
                        a href={ (link) "#repost" } { (c.t(M::Repost)) " " (p.repost_count) }
                    } @else {
                        span { (c.t(M::Repost)) " " (p.repost_count) }
                    }
                    @if item.liked {
                        (button_form(c, &format!("{link}/unlike"), &format!("{} {}", c.t(M::Unlike), p.like_count), "link liked"))
                    } @else {
                        (button_form(c, &format!("{link}/like"), &format!("{} {}", c.t(M::Like), p.like_count), "link"))
                    }
                    @if c.is_me(p.author.id) {
                        (confirm_form(c, &format!("{link}/delete"), c.t(M::Delete), c.t(M::ConfirmDeletePost),
                            c.t(M::ConfirmDeletePostButton), html! { input type="hidden" name="next" value=(c.url); }))
                    }
                    @if reviews(c) { a.staff href={ "/admin/posts/" (p.id) } { (c.t(M::StaffManage)) } }
                } @else {
                    span { (c.t(M::Repost)) " " (p.repost_count) }
                    span { (c.t(M::Like)) " " (p.like_count) }
                }
                // R14.1: a complaint link on every post.
                a.complain href={ "/complaints/new?target=post:" (p.id) } { (c.t(M::Complain)) }
            }
        }
    }
}

/// Partial: a list of posts with an "older" link, or an empty message.
pub fn post_list(c: &Chrome, items: &[PostItem], pager: Pager, empty: M) -> Markup {
    html! {
        @if items.is_empty() {
            p.empty { (c.t(empty)) }
        }
        @for item in items { (post_card(c, item)) }
        @if pager.newer.is_some() || pager.older.is_some() {
            nav.pager {
                @if let Some(href) = pager.newer { a rel="prev" href=(href) { (c.t(M::Newer)) } " " }
                @if let Some(href) = pager.older { a rel="next" href=(href) { (c.t(M::Older)) } }
            }
        }
    }
}

/// Links to the pages either side of a listing page: newer (`?min_id=`)
/// and older (`?max_id=`), when there are any.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub newer: Option<String>,
    pub older: Option<String>,
}

/// What a form showed when it was refused, so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub body: String,
    pub visibility: String,
    /// The descriptions typed for the files (the files themselves cannot be kept).
    pub alt: String,
    /// The message saying what was wrong.
    pub error: Option<String>,
}

/// What the compose form says about limits.
#[derive(Debug, Clone, Copy)]
pub struct ComposeLimits {
    /// Longest post in grapheme clusters.
    pub max_chars: usize,
    /// Largest image and video, in MiB (rounded up).
    pub image_max_mib: u64,
    pub video_max_mib: u64,
}

/// Partial: the compose form (R2.2), the one place posts are written: text,
/// images or a video with their descriptions. A plain multipart form: it
/// works without JavaScript (one description per line in `alt`), and
/// returns to the home timeline (`next`) after posting.
///
/// `app.js` enhances it (issue 18): thumbnails of the chosen files, each
/// with its own description field and buttons to remove it or move it
/// (from the `template.thumb` below), a progress bar and a disabled button
/// while sending, `@`/`#` suggestions from `GET /autocomplete` (the
/// `ul.suggest` list), and a draft kept in the browser per account
/// (`data-account`). The counter only helps; the server counts grapheme
/// clusters itself.
pub fn compose_form(c: &Chrome, draft: &Draft, limits: &ComposeLimits) -> Markup {
    let vis = if draft.visibility.is_empty() { "public" } else { draft.visibility.as_str() };
    html! {
        form.compose method="post" action="/posts" enctype="multipart/form-data"
            data-account=[c.user.map(|u| u.username.as_str())]
            data-network-error=(c.t(M::ComposeNetworkError)) data-too-many=(c.t(M::ComposeTooManyFiles)) {
            (csrf_field(c.csrf))
            input type="hidden" name="next" value="/";
            @if c.user.is_some_and(|u| !u.identity.may_publish()) {
                // R7.1: say before typing, not after, that posting needs a verified identity.
                p.notice.identity { (c.t(M::IdentityRequiredText)) " " a href="/settings/identity" { (c.t(M::IdentityBindLink)) } }
            }
            @if let Some(e) = &draft.error { p.error role="alert" { (e) } }
            div.editor {
                textarea name="body" rows="4" placeholder=(c.t(M::ComposePlaceholder))
                    data-max=(limits.max_chars) data-left=(c.t(M::CharsLeft)) aria-label=(c.t(M::ComposePlaceholder))
                    aria-autocomplete="list" aria-controls="compose-suggest" data-suggest=(c.t(M::ComposeSuggestions)) { (draft.body) }
                ul.suggest #compose-suggest role="listbox" aria-label=(c.t(M::ComposeSuggestions)) hidden {}
            }
            details.attach open[!draft.alt.is_empty()] {
                summary { (c.t(M::MediaLabel)) }
                label { (c.f(M::MediaHint, &[&limits.image_max_mib, &limits.video_max_mib]))
                    input type="file" name="media" multiple
                        accept="image/jpeg,image/png,image/gif,image/webp,video/mp4,video/webm";
                }
                ol.thumbs hidden {}
                // `data-named`: each button and field says which photo it is for
                // ("前移（第 2 张）"): read aloud, three "前移" could be any of them.
                template.thumb data-named=(c.t(M::ComposeThumbNamed)) {
                    li.thumb {
                        img alt="";
                        label { (c.t(M::ComposeImageAlt)) input type="text" name="alt" maxlength="500"; }
                        div.thumb-actions {
                            button.secondary type="button" data-act="earlier" { (c.t(M::ComposeMoveEarlier)) }
                            button.secondary type="button" data-act="later" { (c.t(M::ComposeMoveLater)) }
                            button.secondary type="button" data-act="remove" { (c.t(M::ComposeRemoveImage)) }
                        }
                    }
                }
                label.alt-lines { (c.t(M::AltLabel)) textarea name="alt" rows="2" { (draft.alt) } }
            }
            progress.upload max="100" value="0" hidden aria-label=(c.t(M::ComposeSending)) {}
            div.row {
                label { (c.t(M::VisibilityLabel)) " "
                    select name="visibility" {
                        @for (value, m) in [("public", M::VisibilityPublic), ("followers", M::VisibilityFollowers), ("self", M::VisibilitySelf)] {
                            option value=(value) selected[vis == value] { (c.t(m)) }
                        }
                    }
                }
                span.counter aria-live="polite" {}
                button type="submit" { (c.t(M::ComposeButton)) }
            }
        }
    }
}

/// Partial: one comment under a post.
///
/// `owner`: the viewer wrote the post and controls its comments (R10.3):
/// hide, show again and remove buttons. `likes`: how many liked it and
/// whether the viewer did (issue 18), with the like or unlike button.
pub fn comment_item(c: &Chrome, cm: &Comment, owner: bool, likes: (i64, bool)) -> Markup {
    let (like_count, liked) = likes;
    html! {
        li.comment id={ "comment-" (cm.id) } {
            header {
                (user_link(&cm.author)) (super::verification::badge(c, cm.author.badge.as_deref()))
                @if let Some((_, name)) = &cm.reply_to { " " span.reply { (c.f(M::ReplyTo, &[&format!("@{name}")])) } }
                " · " (ago(c, cm.created_at))
            }
            @if cm.status == "pending" { p.under-review { (c.t(M::UnderReview)) } }
            @if cm.status == "hidden" { p.hidden-note { (c.t(M::CommentHiddenNote)) } }
            div.body { (rich_text(&cm.body)) }
            @if c.user.is_none() && like_count > 0 { p.meta.comment-likes { (c.f(M::LikeCount, &[&like_count])) } }
            footer.actions {
                a.complain href={ "/complaints/new?target=comment:" (cm.id) } { (c.t(M::Complain)) }
                @if owner && !c.is_me(cm.author.id) {
                    @if cm.status == "hidden" {
                        (button_form(c, &format!("/comments/{}/unhide", cm.id), c.t(M::CommentUnhide), "link"))
                    } @else {
                        (button_form(c, &format!("/comments/{}/hide", cm.id), c.t(M::CommentHide), "link"))
                    }
                    (button_form(c, &format!("/comments/{}/remove", cm.id), c.t(M::CommentRemove), "link danger"))
                }
            }
            @if c.user.is_some() {
                footer.actions {
                    @if cm.status == "published" {
                        @if liked {
                            (button_form(c, &format!("/comments/{}/unlike", cm.id), &format!("{} {}", c.t(M::Unlike), like_count), "link liked"))
                        } @else {
                            (button_form(c, &format!("/comments/{}/like", cm.id), &format!("{} {}", c.t(M::Like), like_count), "link"))
                        }
                    }
                    a href={ "?reply_to=" (cm.id) "#comment-form" } { (c.t(M::Reply)) }
                    @if c.is_me(cm.author.id) {
                        (button_form(c, &format!("/comments/{}/delete", cm.id), c.t(M::Delete), "link danger"))
                    }
                    @if reviews(c) { a.staff href={ "/admin/comments/" (cm.id) } { (c.t(M::StaffManage)) } }
                }
            }
        }
    }
}

/// Partial: a target in words with a link, as every page shows one instead
/// of a raw `post:7` (issue 13): "微博「今天天气…」", "账号 @alice",
/// "投诉 TS-…". `staff` links posts and comments to their staff pages
/// (`/admin/posts/{id}`), otherwise to the public post.
pub fn target(c: &Chrome, d: &crate::db::targets::Described, staff: bool) -> Markup {
    let (kind, href) = match d.kind {
        "post" if staff => (M::TargetPost, format!("/admin/posts/{}", d.id)),
        "post" => (M::TargetPost, format!("/posts/{}", d.id)),
        "comment" if staff => (M::TargetComment, format!("/admin/comments/{}", d.id)),
        "comment" => (M::TargetComment, format!("/posts/{}#comment-{}", d.post_id.unwrap_or(0), d.id)),
        "user" => (M::TargetUser, format!("/{}", d.text)),
        _ if staff => (M::TargetComplaint, format!("/admin/complaints/{}", d.id)),
        _ => (M::TargetComplaint, format!("/complaints/{}", d.text)),
    };
    let quoted = matches!(d.kind, "post" | "comment");
    html! {
        span.target { (c.t(kind)) " " a href=(href) { @if quoted { "「" (d.text) "」" } @else { (d.text) } } }
    }
}

/// Partial: `text` (a log target or outcome) with each `kind:id` token
/// shown as its [`target`] (issue 13), or as the kind and "no longer
/// exists" when `known` lacks it.
pub fn linked(c: &Chrome, text: &str, known: &crate::db::targets::Targets, staff: bool) -> Markup {
    with_targets(c, text, known, |d| target(c, d, staff))
}

/// Like [`linked`], but each target is named without a link: for content
/// that no longer opens (a member's own removed post on the credit page,
/// R15.1), where a link would only lead to "内容已不存在".
pub fn unlinked(c: &Chrome, text: &str, known: &crate::db::targets::Targets) -> Markup {
    with_targets(c, text, known, |d| html! { span.target { (c.t(kind_label(d.kind))) " 「" (d.text) "」" } })
}

/// `text` with each `kind:id` token it holds shown by `show` when `known`
/// has it, else as the kind and "no longer exists".
fn with_targets(
    c: &Chrome,
    text: &str,
    known: &crate::db::targets::Targets,
    show: impl Fn(&crate::db::targets::Described) -> Markup,
) -> Markup {
    // (plain text before the token, the token)
    let mut parts: Vec<(&str, Option<&str>)> = Vec::new();
    let mut last = 0;
    for (a, z) in crate::db::targets::tokens(text) {
        parts.push((&text[last..a], Some(&text[a..z])));
        last = z;
    }
    parts.push((&text[last..], None));
    html! {
        @for (plain, token) in parts {
            (plain)
            @if let Some(token) = token {
                @match known.get(token) {
                    Some(d) => (show(d)),
                    None => span.target { (c.t(kind_label(token))) (c.t(M::TargetGone)) },
                }
            }
        }
    }
}

/// The word for the kind of a `kind:id` token.
fn kind_label(token: &str) -> M {
    match token.split(':').next().unwrap_or("") {
        "post" => M::TargetPost,
        "comment" => M::TargetComment,
        "user" => M::TargetUser,
        _ => M::TargetComplaint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_escapes_and_links() {
        let html = rich_text("<script>alert(1)</script> #话题# @bob https://a.cn/?x=1&y=2\"><b>").into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(r#"<a class="tag" href="/tags/%E8%AF%9D%E9%A2%98">#话题#</a>"#), "{html}");
        assert!(html.contains(r#"<a class="mention" href="/@bob">@bob</a>"#));
        assert!(html.contains("href=\"https://a.cn/?x=1&amp;y=2\""), "{html}");
        assert!(html.ends_with("&quot;&gt;&lt;b&gt;"), "{html}");
    }
}
