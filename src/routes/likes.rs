//! Likes on comments and the lists of who liked and who reposted a post
//! (issue 18, R2.3). A post or comment the viewer cannot see (visibility,
//! a block either way, a suspended author) is answered exactly as a
//! missing one; the lists leave out accounts on the other side of a block
//! from the viewer and suspended ones.

use super::posts::{items, visible_comment, visible_post};
use super::timeline::{pager, window};
use super::{page, Ctx};
use crate::db::{self, notifications::Kind};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::likes as view;

/// Likers per page.
pub const LIKERS_PER_PAGE: u32 = 50;

/// # `POST /comments/{id}/like` — once per member; the comment's author is
/// told (not across a block); logged as `comment.like`.
///
/// # Errors
/// `NotFound` for a comment the viewer cannot see; `Invalid` for one not
/// published (held, hidden).
pub fn like_comment(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let (c, post) = visible_comment(ctx)?;
    if c.status != "published" || !post.is_published() {
        return Err(Error::Invalid(ctx.t(M::ErrUnderReview).into()));
    }
    let now = ctx.now;
    ctx.write(|tx| {
        if db::likes::like_comment(tx, me, c.id, now)? {
            db::notifications::notify(tx, c.author.id, Kind::CommentLike, me, Some(post.id), Some(c.id), now)?;
            ctx.log(tx, "comment.like", &format!("comment:{}", c.id))?;
        }
        Ok(())
    })?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/posts/{}#comment-{}", post.id, c.id))))
}

/// # `POST /comments/{id}/unlike` — logged as `comment.unlike`.
///
/// # Errors
/// `NotFound` for a comment the viewer cannot see.
pub fn unlike_comment(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let (c, post) = visible_comment(ctx)?;
    ctx.write(|tx| {
        if db::likes::unlike_comment(tx, me, c.id)? {
            ctx.log(tx, "comment.unlike", &format!("comment:{}", c.id))?;
        }
        Ok(())
    })?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/posts/{}#comment-{}", post.id, c.id))))
}

/// The `?before=AT.USER` cursor of a likers page.
fn cursor(ctx: &Ctx) -> Result<Option<db::likes::LikeCursor>> {
    let Some(v) = ctx.req.query("before") else { return Ok(None) };
    let parsed = v.split_once('.').and_then(|(a, u)| Some((a.parse::<i64>().ok()?, u.parse::<i64>().ok()?)));
    parsed.map(Some).ok_or_else(|| Error::BadRequest(ctx.lang.f(M::ErrBadCursor, &[&v])))
}

/// # `GET /posts/{id}/likes` (`?before=` pages) — who liked the post,
/// newest first, [`LIKERS_PER_PAGE`] a page.
///
/// # Errors
/// `NotFound` when the viewer cannot see the post; `BadRequest` for a bad cursor.
pub fn likers(ctx: &mut Ctx) -> Result<Resp> {
    let post = visible_post(ctx)?;
    let before = cursor(ctx)?;
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let (list, next) = db::likes::likers(ctx.db, viewer, post.id, before, LIKERS_PER_PAGE)?;
    let next = next.map(|(at, u)| format!("/posts/{}/likes?before={at}.{u}", post.id));
    let item = items(ctx, vec![post])?.remove(0);
    page(ctx, |c| view::likers(c, &item, &list, next))
}

/// # `GET /posts/{id}/reposts` (`?max_id=` pages) — the reposts of the
/// post that the viewer may see, newest first: every repost in the chain
/// of an original, the reposts of a repost.
///
/// # Errors
/// `NotFound` when the viewer cannot see the post; `BadRequest` for a bad page.
pub fn reposts(ctx: &mut Ctx) -> Result<Resp> {
    let post = visible_post(ctx)?;
    let w = window(ctx)?;
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let (root, of) = match post.repost_root {
        Some(root) => (root, Some(post.id)),
        None => (post.id, None),
    };
    let p = db::likes::reposts(ctx.db, viewer, root, of, w)?;
    let next = pager(&format!("/posts/{}/reposts", post.id), &p);
    let list = items(ctx, p.posts)?;
    let item = items(ctx, vec![post])?.remove(0);
    page(ctx, |c| view::reposts(c, &item, &list, next))
}
