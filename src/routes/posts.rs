//! Posting, reposting, commenting, liking and deleting (R2.2, R2.3), and the
//! post page. Each change and its activity-log entry commit together.
//! Posting, commenting and reposting need a verified identity (R7.1);
//! liking, reading and deleting one's own do not.
//!
//! Each new text goes through `actions::publish` (tier gate, keyword rules,
//! emergency switches: R9.1, R12.1, R6.4): it is published, flagged, held
//! as `pending` (R6.2), or refused with the reason in words; a `block`
//! refusal keeps an evidence record (R12.2). Comment control under one's
//! own posts (R10.3) is `comments`.

use super::{media, page, Ctx};
use crate::actions::publish::{self, Outcome, Refusal};
use crate::actions::removal::{self, Target, Why};
use crate::db::{
    self,
    notifications::Kind,
    posts::{Comment, Post, Window},
};
use crate::domain::account::Visibility;
use crate::domain::text::{self, BodyError};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::components::{Draft, Original, Pager, PostItem};
use crate::views::posts::{self as view, PostForms};

/// How many comments the post page shows at once.
const COMMENTS_PER_PAGE: u32 = 100;

/// The message for a refused body.
pub(crate) fn body_error(ctx: &Ctx, e: BodyError) -> String {
    match e {
        BodyError::Empty => ctx.t(M::ErrEmptyBody).into(),
        BodyError::TooLong(n, max) => ctx.lang.f(M::ErrTooLong, &[&n, &max]),
    }
}

/// Dress posts for a listing: the viewer's likes, each repost's original,
/// and the media of both (one query for all of them).
pub fn items(ctx: &Ctx, posts: Vec<Post>) -> Result<Vec<PostItem>> {
    let liked = match ctx.user.as_ref() {
        Some(v) => db::posts::liked_of(ctx.db, v.id, &posts.iter().map(|p| p.id).collect::<Vec<_>>())?,
        None => Default::default(),
    };
    dress(ctx, posts, &liked)
}

/// As [`items`], with the viewer's likes already known: `liked` holds the
/// ids of those of `posts` the viewer liked (the client API reads them
/// with its other marks, `db::posts::marks_of`).
pub fn dress(ctx: &Ctx, posts: Vec<Post>, liked: &std::collections::HashSet<i64>) -> Result<Vec<PostItem>> {
    let viewer = ctx.user.as_ref().map(|u| u.id);
    let mut out = posts
        .into_iter()
        .map(|post| {
            let liked = liked.contains(&post.id);
            let original = match post.repost_root {
                Some(root) => Some(match db::posts::get(ctx.db, root)? {
                    Some(o) if !o.is_published() => Original::Removed,
                    Some(o) if db::posts::visible_to(ctx.db, &o, viewer)? => Original::Shown(Box::new(o)),
                    Some(_) => Original::Hidden,
                    None => Original::Removed,
                }),
                None => None,
            };
            Ok(PostItem {
                post,
                liked,
                original,
                media: Vec::new(),
                original_media: Vec::new(),
                rumour: None,
                original_rumour: None,
                edited_at: None,
                original_edited_at: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut ids: Vec<i64> = out.iter().map(|i| i.post.id).collect();
    ids.extend(out.iter().filter_map(|i| match &i.original {
        Some(Original::Shown(o)) => Some(o.id),
        _ => None,
    }));
    let mut media = db::media::for_posts(ctx.db, &ids)?;
    // R11.1: a confirmed 不实信息 label shows on the post and on every repost of it.
    let labels = db::rumours::confirmed_for(ctx.db, &ids)?;
    // Issue 18: "edited" on a post, and on a repost whose original changed since.
    let edited = db::edits::last_edited(ctx.db, &ids)?;
    for item in &mut out {
        item.edited_at = edited.get(&item.post.id).copied();
        if let Some(Original::Shown(o)) = &item.original {
            item.original_edited_at = edited.get(&o.id).copied();
        }
    }
    for item in &mut out {
        item.media = media.remove(&item.post.id).unwrap_or_default();
        item.rumour = labels.get(&item.post.id).cloned();
        if let Some(Original::Shown(o)) = &item.original {
            item.original_media = media.get(&o.id).cloned().unwrap_or_default();
            item.original_rumour = labels.get(&o.id).cloned();
        }
    }
    Ok(out)
}

/// The post at path segment 1 if the viewer may see it; `NotFound`
/// otherwise, so a hidden post is indistinguishable from a missing one.
pub fn visible_post(ctx: &Ctx) -> Result<Post> {
    let id = ctx.path_id("id")?;
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let viewer = ctx.user.as_ref().map(|u| u.id);
    if !db::posts::visible_to(ctx.db, &post, viewer)? {
        // A held post is nobody else's business: it does not exist for them yet.
        return Err(if post.is_published() || post.is_pending() { Error::NotFound } else { Error::Gone });
    }
    Ok(post)
}

/// The comment at path parameter `id` and its post, when the viewer may
/// see both: the post by [`db::posts::visible_to`], the comment published,
/// or held (`pending`) and theirs, or hidden and theirs or under their
/// post (R6.3).
///
/// # Errors
/// `NotFound` otherwise: the same answer as for a comment that does not
/// exist, so acting on a comment nobody showed you tells nothing about it
/// (an existence oracle, issue 15).
pub fn visible_comment(ctx: &Ctx) -> Result<(Comment, Post)> {
    visible_comment_by_id(ctx, ctx.path_id("id")?)
}

/// [`visible_comment`] for comment `id` (not from the path): what the
/// client API's notifications show (issue 19).
///
/// # Errors
/// As [`visible_comment`].
pub fn visible_comment_by_id(ctx: &Ctx, id: i64) -> Result<(Comment, Post)> {
    let viewer = ctx.user.as_ref().map(|u| u.id);
    let c = db::posts::comment(ctx.db, id)?.ok_or(Error::NotFound)?;
    let post = db::posts::get(ctx.db, c.post_id)?.ok_or(Error::NotFound)?;
    let own = viewer == Some(c.author.id);
    let seen = match c.status.as_str() {
        "published" => true,
        "pending" => own,
        "hidden" => own || viewer == Some(post.author.id),
        _ => false,
    };
    if !seen || !db::posts::visible_to(ctx.db, &post, viewer)? {
        return Err(Error::NotFound);
    }
    // Issue 18: a comment by an account on the other side of a block, or a
    // suspended one, is not there for the viewer (as in the post's list).
    let blocked = match viewer.filter(|v| *v != c.author.id) {
        Some(v) => db::blocks::between(ctx.db, v, c.author.id)?,
        None => false,
    };
    if blocked || db::sanctions::suspended_now(ctx.db, c.author.id)? {
        return Err(Error::NotFound);
    }
    Ok((c, post))
}

/// The post at path segment 1, visible to the viewer and published (not
/// held): what may be commented on, reposted or liked.
pub(crate) fn live_post(ctx: &Ctx) -> Result<Post> {
    let post = visible_post(ctx)?;
    if !post.is_published() {
        return Err(Error::Invalid(ctx.t(M::ErrUnderReview).into()));
    }
    Ok(post)
}

/// A publishing refusal in words, and the status to answer with: 422 for
/// a tier rule (R9.1) or a blocked text (R12.1), 403 while emergency mode
/// stops publishing (R6.4).
pub fn refusal(ctx: &Ctx, r: &Refusal) -> (String, u16) {
    match r {
        Refusal::Tier { rule, level, why } => (super::tiers::refusal_words(ctx, *rule, *level, *why), 422),
        Refusal::Stopped(m) => (ctx.t(*m).to_string(), 403),
        Refusal::Blocked { .. } => (ctx.t(M::ErrBlocked).to_string(), 422),
    }
}

/// Longest description (alt text) of one file, in grapheme clusters.
const MAX_ALT_CHARS: usize = 500;

/// The description of each of `n` files: one `alt` field per file in
/// order, or a single `alt` field with one line per file (the compose form,
/// which works without JavaScript).
fn alt_texts(ctx: &Ctx, n: usize) -> Vec<String> {
    let fields: Vec<&str> = ctx.req.form.iter().filter(|(k, _)| k == "alt").map(|(_, v)| v.as_str()).collect();
    let lines: Vec<String> = if fields.len() == 1 && n > 1 {
        fields[0].lines().map(|l| l.trim().to_string()).collect()
    } else {
        fields.iter().map(|v| v.trim().to_string()).collect()
    };
    (0..n).map(|i| lines.get(i).cloned().unwrap_or_default()).collect()
}

/// # `POST /posts` (`body`, `visibility`; as `multipart/form-data` also
/// files `media` and their `alt` texts)
///
/// Up to 9 images or one video (R2.2); the body may then be empty. Every
/// file is checked before anything is stored; a refused one answers the
/// compose form with a message naming it and stores nothing.
pub fn create(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let raw = ctx.req.field("body").unwrap_or("").to_string();
    let vis_field = ctx.req.field("visibility").unwrap_or("public").to_string();
    let had_files = ctx.req.files_named("media").next().is_some();
    let alt_field =
        ctx.req.form.iter().filter(|(k, _)| k == "alt").map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("\n");
    let refuse = |ctx: &mut Ctx, error: String, status: u16| -> Result<Resp> {
        let mut error = error;
        // The composer's script keeps the chosen files in the page, and says so.
        if had_files && ctx.req.header("x-plaza-composer").is_none() {
            error = format!("{error} {}", ctx.t(M::FilesNotKept));
        }
        let draft =
            Draft { body: raw.clone(), visibility: vis_field.clone(), alt: alt_field.clone(), error: Some(error) };
        let page_ = crate::db::posts::home(ctx.db, me, Window::newest(super::timeline::PAGE_SIZE))?;
        let list = items(ctx, page_.posts)?;
        let limits = super::timeline::compose_limits(ctx);
        Ok(page(ctx, |c| {
            crate::views::timeline::home(c, &list, Pager::default(), &draft, &limits, &(Vec::new(), M::FollowerCount))
        })?
        .status(status))
    };
    let Some(visibility) = Visibility::parse(&vis_field) else {
        let msg = ctx.t(M::ErrBadVisibility).to_string();
        return refuse(ctx, msg, 422);
    };
    let body = match text::check_body(&raw, ctx.app.config.post_max_chars) {
        Ok(b) => b,
        Err(BodyError::Empty) if had_files => String::new(),
        Err(e) => {
            let msg = body_error(ctx, e);
            return refuse(ctx, msg, 422);
        }
    };
    let alts = alt_texts(ctx, ctx.req.files_named("media").count());
    if alts.iter().any(|a| text::grapheme_len(a) > MAX_ALT_CHARS) {
        let msg = ctx.lang.f(M::ErrAltTooLong, &[&MAX_ALT_CHARS]);
        return refuse(ctx, msg, 422);
    }
    // R9.1: the author's tier for this kind of post.
    let kind =
        if ctx.req.files_named("media").any(|u| crate::media::format_of(u).is_ok_and(|f| f.kind().as_str() == "video"))
        {
            "video"
        } else if had_files {
            "image"
        } else {
            "text"
        };
    let accept = media::Accept { max_images: crate::media::MAX_IMAGES_PER_POST, video: true };
    let staged = match media::stage_uploads(ctx, "media", accept) {
        Ok(s) => s,
        Err(e) => {
            let (status, msg) = e.media_refusal()?;
            return refuse(ctx, msg, status);
        }
    };
    let files = staged.into_iter().zip(alts).collect();
    let new = publish::NewPost { body: &body, visibility, kind, files, uploaded: Vec::new() };
    let env = ctx.as_member()?;
    let outcome = ctx.publish(&env, kind, |tx, gate| publish::post(&env, tx, &ctx.gov, me, gate, new))?;
    match outcome {
        // Issue 18: the compose form says where to go back to (its
        // timeline, `next`), so the author lands there with the new post on
        // top; a held post's own page says it is under review.
        Outcome::Published(id) | Outcome::Flagged(id, _) if ctx.req.field("next").is_some() => {
            Ok(Resp::redirect(&format!("{}#post-{id}", ctx.next_or("/"))))
        }
        Outcome::Published(id) | Outcome::Flagged(id, _) | Outcome::Held(id, ..) => {
            Ok(Resp::redirect(&format!("/posts/{id}")))
        }
        Outcome::Refused(r) => {
            let (msg, status) = refusal(ctx, &r);
            refuse(ctx, msg, status)
        }
    }
}

/// # `GET /posts/{id}` (`?reply_to=` prefills a reply, `?after=` pages comments)
pub fn show(ctx: &mut Ctx) -> Result<Resp> {
    let post = visible_post(ctx)?;
    show_with(ctx, post, PostForms::default(), 200)
}

fn show_with(ctx: &mut Ctx, post: Post, mut forms: PostForms, status: u16) -> Result<Resp> {
    let after = ctx.req.query_id("after")?.unwrap_or(0);
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let comments = db::posts::comments(ctx.db, post.id, viewer, after, COMMENTS_PER_PAGE)?;
    let more = (comments.len() == COMMENTS_PER_PAGE as usize)
        .then(|| comments.last().map(|c| format!("/posts/{}?after={}#comments", post.id, c.id)))
        .flatten();
    if forms.reply_to.is_none() {
        if let Some(rid) = ctx.req.query_id("reply_to")? {
            if let Some(c) =
                db::posts::comment(ctx.db, rid)?.filter(|c| c.post_id == post.id && c.status == "published")
            {
                forms.reply_to = Some((c.id, c.author.username));
            }
        }
    }
    let can_repost = post.visibility == Visibility::Public
        && post.is_published()
        && db::features::enabled(ctx.db, crate::domain::features::Feature::Reposts)?;
    forms.comment_mode = db::tiers::comment_mode(ctx.db, post.id)?;
    forms.controls =
        ctx.user.as_ref().is_some_and(|u| u.id == post.author.id) && super::comments::may_control(ctx, &post.author);
    forms.versions = db::edits::for_post(ctx.db, post.id)?;
    let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    forms.comment_likes = db::likes::for_comments(ctx.db, viewer, &ids)?;
    if let Some(me) = ctx.user.as_ref().map(|u| u.id) {
        forms.bookmarked = db::bookmarks::has(ctx.db, me, post.id)?;
        if me == post.author.id && post.repost_of.is_none() {
            forms.pinned = Some(db::bookmarks::pinned(ctx.db, me)? == Some(post.id));
        }
    }
    forms.editable = ctx.user.as_ref().is_some_and(|u| u.id == post.author.id && u.identity.may_publish())
        && edit_refusal(ctx, &post).is_none();
    let item = items(ctx, vec![post])?.remove(0);
    Ok(page(ctx, |c| view::show(c, &item, &comments, more, &forms, can_repost))?.status(status))
}

/// # `POST /posts/{id}/comments` (`body`, optional `reply_to`)
pub fn comment(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let post = live_post(ctx)?;
    let raw = ctx.req.field("body").unwrap_or("").to_string();
    let reply_to = match ctx.req.field("reply_to").filter(|v| !v.is_empty()) {
        Some(v) => {
            let rid = crate::http::parse_id(v)?;
            let c = db::posts::comment(ctx.db, rid)?
                .filter(|c| c.post_id == post.id && c.status == "published")
                .filter(|c| !db::blocks::between(ctx.db, me, c.author.id).unwrap_or(true))
                .ok_or_else(|| Error::Invalid(ctx.t(M::ErrBadReply).into()))?;
            Some(c)
        }
        None => None,
    };
    let refused = |ctx: &mut Ctx, post: Post, msg: String, status: u16| {
        let forms = PostForms {
            comment_body: raw.clone(),
            reply_to: reply_to.as_ref().map(|c| (c.id, c.author.username.clone())),
            comment_error: Some(msg),
            ..Default::default()
        };
        show_with(ctx, post, forms, status)
    };
    let body = match text::check_body(&raw, ctx.app.config.comment_max_chars) {
        Ok(b) => b,
        Err(e) => {
            let msg = body_error(ctx, e);
            return refused(ctx, post, msg, 422);
        }
    };
    // R10.3: the post's comment mode.
    if let Some(m) = super::comments::comment_refusal(ctx, &post, me)? {
        let msg = ctx.t(m).to_string();
        return refused(ctx, post, msg, 403);
    }
    let new = publish::NewComment { post: post.id, reply_to: reply_to.as_ref().map(|c| c.id), body: &body };
    let env = ctx.as_member()?;
    let outcome = ctx.publish(&env, "comment", |tx, gate| publish::comment(&env, tx, &ctx.gov, me, gate, new))?;
    match outcome {
        Outcome::Published(id) | Outcome::Flagged(id, _) | Outcome::Held(id, ..) => {
            Ok(Resp::redirect(&format!("/posts/{}#comment-{id}", post.id)))
        }
        Outcome::Refused(r) => {
            let (msg, status) = refusal(ctx, &r);
            refused(ctx, post, msg, status)
        }
    }
}

/// # `POST /posts/{id}/repost` (optional `body`)
///
/// Only public posts can be reposted; a repost of a repost shares the same
/// original, so the original shows in every repost (R2.3).
pub fn repost(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    // R13.1: reposting has mobilisation attributes; it is off until a
    // security assessment is on record and staff switch it on.
    if !db::features::enabled(ctx.db, crate::domain::features::Feature::Reposts)? {
        return Err(Error::Invalid(ctx.t(M::RepostsOff).into()));
    }
    let target = live_post(ctx)?;
    if target.visibility != Visibility::Public {
        return Err(Error::Invalid(ctx.t(M::ErrCannotRepost).into()));
    }
    let root_id = target.repost_root.unwrap_or(target.id);
    let root = db::posts::get(ctx.db, root_id)?.ok_or(Error::NotFound)?;
    // Issue 18: the original's author may be on the other side of a block.
    if root.is_published() && !db::posts::visible_to(ctx.db, &root, Some(me))? {
        return Err(Error::NotFound);
    }
    if !root.is_published() {
        return Err(Error::Invalid(ctx.t(M::ErrCannotRepost).into()));
    }
    let raw = text::clean(ctx.req.field("body").unwrap_or("")).trim().to_string();
    if let Err(BodyError::TooLong(n, max)) = text::check_body(&raw, ctx.app.config.post_max_chars) {
        let forms = PostForms {
            repost_body: raw.clone(),
            repost_error: Some(body_error(ctx, BodyError::TooLong(n, max))),
            ..Default::default()
        };
        return show_with(ctx, target, forms, 422);
    }
    let new = publish::NewRepost { of: target.id, root: root_id, body: &raw };
    let env = ctx.as_member()?;
    let outcome = ctx.publish(&env, "repost", |tx, gate| publish::repost(&env, tx, &ctx.gov, me, gate, new))?;
    match outcome {
        Outcome::Published(id) | Outcome::Flagged(id, _) | Outcome::Held(id, ..) => {
            Ok(Resp::redirect(&format!("/posts/{id}")))
        }
        Outcome::Refused(r) => {
            let (msg, status) = refusal(ctx, &r);
            let forms = PostForms { repost_body: raw.clone(), repost_error: Some(msg), ..Default::default() };
            show_with(ctx, target, forms, status)
        }
    }
}

/// Why the author may not edit `post` now, in words: held for review, a
/// repost, or past the edit window (`edit_window_seconds`, issue 18).
fn edit_refusal(ctx: &Ctx, post: &Post) -> Option<String> {
    if !post.is_published() {
        return Some(ctx.t(M::ErrUnderReview).into());
    }
    if post.repost_of.is_some() {
        return Some(ctx.t(M::ErrEditRepost).into());
    }
    let window = ctx.app.config.edit_window_seconds;
    if ctx.now - post.created_at > window {
        return Some(ctx.lang.f(M::ErrEditWindow, &[&(window / 3600)]));
    }
    None
}

/// # `POST /posts/{id}/edit` (`body`, one `alt` per image or video in
/// order) — the author's own post, within the edit window (issue 18, R12.2)
///
/// The new text and descriptions are screened as a new post is
/// (`publish::edit`); every earlier version, descriptions included, is kept.
///
/// # Errors
/// `NotFound` / `Gone` as for the post page (a removed post is gone);
/// `Forbidden` for someone else's post; 422 with the form for a held post,
/// a repost, past the window, a bad or refused text; nothing changed.
pub fn edit(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let post = visible_post(ctx)?;
    if post.author.id != me {
        return Err(Error::Forbidden);
    }
    let raw = ctx.req.field("body").unwrap_or("").to_string();
    let refused = |ctx: &mut Ctx, post: Post, msg: String, status: u16| {
        let forms = PostForms { edit_body: Some(raw.clone()), edit_error: Some(msg), ..Default::default() };
        show_with(ctx, post, forms, status)
    };
    if let Some(msg) = edit_refusal(ctx, &post) {
        return Err(Error::Invalid(msg));
    }
    let body = match text::check_body(&raw, ctx.app.config.post_max_chars) {
        Ok(b) => b,
        Err(e) => {
            let msg = body_error(ctx, e);
            return refused(ctx, post, msg, 422);
        }
    };
    // Issue 18: one `alt` field per image or video, in order; without
    // any, the descriptions stay as they are.
    let current: Vec<String> = db::media::for_posts(ctx.db, &[post.id])?
        .remove(&post.id)
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.alt)
        .collect();
    let alts =
        if ctx.req.form.iter().any(|(k, _)| k == "alt") { alt_texts(ctx, current.len()) } else { current.clone() };
    if alts.iter().any(|a| text::grapheme_len(a) > MAX_ALT_CHARS) {
        let msg = ctx.lang.f(M::ErrAltTooLong, &[&MAX_ALT_CHARS]);
        return refused(ctx, post, msg, 422);
    }
    if body == post.body && alts == current {
        return Ok(Resp::redirect(&format!("/posts/{}", post.id)));
    }
    let env = ctx.as_member()?;
    let outcome = ctx.publish(&env, "text", |tx, gate| publish::edit(&env, tx, &ctx.gov, &post, gate, &body, &alts))?;
    match outcome {
        Outcome::Published(_) | Outcome::Flagged(..) | Outcome::Held(..) => {
            Ok(Resp::redirect(&format!("/posts/{}", post.id)))
        }
        Outcome::Refused(r) => {
            let (msg, status) = refusal(ctx, &r);
            refused(ctx, post, msg, status)
        }
    }
}

/// # `POST /posts/{id}/like`
pub fn like(ctx: &mut Ctx) -> Result<Resp> {
    let post = live_post(ctx)?;
    like_post(ctx, &post)?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/posts/{}", post.id))))
}

/// The signed-in member likes `post` (the page and the client API):
/// the like, its notice and its log entry in one transaction; liking
/// twice changes nothing.
pub(crate) fn like_post(ctx: &Ctx, post: &Post) -> Result<()> {
    let me = ctx.user()?.id;
    let now = ctx.now;
    ctx.write(|tx| {
        if db::posts::like(tx, me, post.id, now)? {
            db::notifications::notify(tx, post.author.id, Kind::Like, me, Some(post.id), None, now)?;
            ctx.log(tx, "post.like", &format!("post:{}", post.id))?;
        }
        Ok(())
    })
}

/// # `POST /posts/{id}/unlike`
pub fn unlike(ctx: &mut Ctx) -> Result<Resp> {
    let post = visible_post(ctx)?;
    unlike_post(ctx, &post)?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/posts/{}", post.id))))
}

/// The signed-in member takes back a like of `post` (page and API).
pub(crate) fn unlike_post(ctx: &Ctx, post: &Post) -> Result<()> {
    let me = ctx.user()?.id;
    ctx.write(|tx| {
        if db::posts::unlike(tx, me, post.id)? {
            ctx.log(tx, "post.unlike", &format!("post:{}", post.id))?;
        }
        Ok(())
    })
}

/// # `POST /posts/{id}/delete` — the author's own post only.
pub fn delete(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let post = visible_post(ctx)?;
    if post.author.id != me {
        return Err(Error::Forbidden);
    }
    let env = ctx.as_member()?;
    ctx.write(|tx| removal::remove(&env, tx, Target::Post(&post), Why::Author))?;
    let next = ctx.next_or("/");
    // Going back to the deleted post's own page would only show "gone".
    Ok(Resp::redirect(if next.starts_with(&format!("/posts/{}", post.id)) { "/" } else { &next }))
}

/// # `POST /comments/{id}/delete` — the comment's author only.
pub fn delete_comment(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let (c, _) = visible_comment(ctx)?;
    if c.status != "published" && c.status != "pending" {
        return Err(Error::NotFound);
    }
    if c.author.id != me {
        return Err(Error::Forbidden);
    }
    let env = ctx.as_member()?;
    ctx.write(|tx| removal::remove(&env, tx, Target::Comment(&c), Why::Author))?;
    Ok(Resp::redirect(&format!("/posts/{}#comments", c.post_id)))
}
