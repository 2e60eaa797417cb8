//! Comment control (R6.3, R10.3): the author of a post (an organisation,
//! government or media account, or anyone when `comment_control_for_all`)
//! sets its comment mode (open, followers only, closed), hides or shows a
//! comment under it, or removes one with an evidence record (R12.2). Every
//! change is logged.

use super::Ctx;
use crate::actions::removal::{self, Target, Why};
use crate::db::posts::{Comment, Post};
use crate::db::{self, notifications::Kind};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;

/// May `author` control comments on their posts? Organisations, government
/// and media may; anyone may when `comment_control_for_all` is set.
pub fn may_control(ctx: &Ctx, author: &crate::db::users::User) -> bool {
    ctx.app.config.comment_control_for_all
        || matches!(author.subject_type.as_str(), "organisation" | "government" | "media")
}

/// Why `me` may not comment on `post` under its comment mode, if so.
pub fn comment_refusal(ctx: &Ctx, post: &Post, me: i64) -> Result<Option<M>> {
    if me == post.author.id {
        return Ok(None);
    }
    Ok(match db::tiers::comment_mode(ctx.db, post.id)?.as_str() {
        "closed" => Some(M::CommentsClosed),
        "followers" if !db::posts::follows(ctx.db, me, post.author.id)? => Some(M::CommentsFollowersOnly),
        _ => None,
    })
}

/// # `POST /posts/{id}/comment-mode` (`mode` = open | followers | closed) — the author, if allowed.
pub fn comment_mode(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let post = super::posts::visible_post(ctx)?;
    if post.author.id != me || !may_control(ctx, &post.author) {
        return Err(Error::Forbidden);
    }
    let mode = ctx.req.field("mode").unwrap_or("").to_string();
    if !["open", "followers", "closed"].contains(&mode.as_str()) {
        return Err(Error::BadRequest("mode: open, followers or closed".into()));
    }
    ctx.write(|tx| {
        db::tiers::set_comment_mode(tx, post.id, &mode)?;
        ctx.log_outcome(tx, "post.comment_mode", &format!("post:{}", post.id), &format!("ok: {mode}"))
    })?;
    Ok(Resp::redirect(&format!("/posts/{}#comments", post.id)))
}

/// The comment at path segment 1 and its post, if the signed-in member
/// wrote the post and may control its comments: 404 for a comment they
/// cannot see, 403 for one they see but may not control.
fn owned_comment(ctx: &Ctx) -> Result<(Comment, Post)> {
    let me = ctx.user()?.id;
    // One you cannot see is 404, as one that does not exist (issue 15).
    let (c, post) = super::posts::visible_comment(ctx)?;
    if post.author.id != me || !may_control(ctx, &post.author) {
        return Err(Error::Forbidden);
    }
    Ok((c, post))
}

/// # `POST /comments/{id}/hide` — the post's author: a hidden comment shows
/// only to its author and the post's author; its author is told.
pub fn hide_comment(ctx: &mut Ctx) -> Result<Resp> {
    set_hidden(ctx, true)
}

/// # `POST /comments/{id}/unhide` — the post's author shows a hidden comment again.
pub fn unhide_comment(ctx: &mut Ctx) -> Result<Resp> {
    set_hidden(ctx, false)
}

/// Hide or show a comment under the signed-in author's post (R6.3, R10.3).
fn set_hidden(ctx: &mut Ctx, hide: bool) -> Result<Resp> {
    let (c, post) = owned_comment(ctx)?;
    let me = post.author.id;
    ctx.write(|tx| {
        if !db::tiers::set_hidden(tx, c.id, post.id, hide)? {
            return Err(Error::Invalid(ctx.t(M::ErrNotLive).into()));
        }
        if hide {
            db::notifications::notify(tx, c.author.id, Kind::CommentHidden, me, Some(post.id), Some(c.id), ctx.now)?;
        }
        ctx.log(tx, if hide { "comment.hide" } else { "comment.unhide" }, &format!("comment:{}", c.id))
    })?;
    Ok(Resp::redirect(&format!("/posts/{}#comments", post.id)))
}

/// # `POST /comments/{id}/remove` (`reason`) — the post's author removes a
/// comment: an evidence record as for staff removals (R12.2), its author told.
pub fn remove_comment(ctx: &mut Ctx) -> Result<Resp> {
    let (c, post) = owned_comment(ctx)?;
    let reason: String = ctx.req.field("reason").unwrap_or("").trim().chars().take(500).collect();
    let env = ctx.as_member()?;
    ctx.write(|tx| {
        if !removal::remove(&env, tx, Target::Comment(&c), Why::PostOwner { reason: &reason })? {
            return Err(Error::Invalid(ctx.t(M::ErrNotLive).into()));
        }
        Ok(())
    })?;
    Ok(Resp::redirect(&format!("/posts/{}#comments", post.id)))
}
