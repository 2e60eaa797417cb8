//! Bookmarks (收藏, private: `/bookmarks` shows a member only their own)
//! and the one pinned post on a profile (issue 18). Bookmarking or pinning
//! a post the viewer cannot see answers exactly as for a missing post.

use super::{page, posts::items, posts::visible_post, Ctx};
use crate::db;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::views::bookmarks as view;
use crate::views::components::Pager;

/// Bookmarks per page.
const PER_PAGE: u32 = 20;

/// Set or take back a bookmark of the post in the path.
fn set_bookmark(ctx: &mut Ctx, on: bool) -> Result<Resp> {
    let post = visible_post(ctx)?;
    bookmark_post(ctx, &post, on)?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/posts/{}", post.id))))
}

/// The signed-in member bookmarks `post` (`on`) or takes the bookmark
/// back (the page and the client API), logged when it changed.
///
/// # Errors
/// `NotFound` when bookmarking a post that is not published.
pub(crate) fn bookmark_post(ctx: &Ctx, post: &crate::db::posts::Post, on: bool) -> Result<()> {
    let me = ctx.user()?.id;
    if on && !post.is_published() {
        return Err(Error::NotFound);
    }
    let now = ctx.now;
    ctx.write(|tx| {
        let changed =
            if on { db::bookmarks::add(tx, me, post.id, now)? } else { db::bookmarks::remove(tx, me, post.id)? };
        if changed {
            ctx.log(tx, if on { "post.bookmark" } else { "post.unbookmark" }, &format!("post:{}", post.id))?;
        }
        Ok(())
    })
}

/// # `POST /posts/{id}/bookmark`
pub fn bookmark(ctx: &mut Ctx) -> Result<Resp> {
    set_bookmark(ctx, true)
}

/// # `POST /posts/{id}/unbookmark`
pub fn unbookmark(ctx: &mut Ctx) -> Result<Resp> {
    set_bookmark(ctx, false)
}

/// # `GET /bookmarks` (`?before=` a bookmark time, for older ones)
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let before = ctx.req.query_id("before")?.unwrap_or(i64::MAX);
    let rows = db::bookmarks::list(ctx.db, me, before, PER_PAGE)?;
    let older = (rows.len() == PER_PAGE as usize)
        .then(|| rows.last().map(|(_, at)| format!("/bookmarks?before={at}")))
        .flatten();
    let list = items(ctx, rows.into_iter().map(|(p, _)| p).collect())?;
    page(ctx, |c| view::list(c, &list, Pager { newer: None, older }))
}

/// Pin (`on`) or unpin the post in the path: the viewer's own, published,
/// not a repost.
///
/// # Errors
/// `NotFound` as for a missing post; `Forbidden` for someone else's.
fn set_pin(ctx: &mut Ctx, on: bool) -> Result<Resp> {
    let me = ctx.user()?.id;
    let post = visible_post(ctx)?;
    if post.author.id != me {
        return Err(Error::Forbidden);
    }
    if on && !post.is_published() {
        return Err(Error::Invalid(ctx.t(crate::i18n::M::ErrUnderReview).into()));
    }
    let now = ctx.now;
    ctx.write(|tx| {
        let changed = if on {
            db::bookmarks::pin(tx, me, post.id, now)?;
            true
        } else {
            db::bookmarks::unpin(tx, me, post.id)?
        };
        if changed {
            ctx.log(tx, if on { "post.pin" } else { "post.unpin" }, &format!("post:{}", post.id))?;
        }
        Ok(())
    })?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/@{}", post.author.username))))
}

/// # `POST /posts/{id}/pin` — one pinned post per profile; a new pin replaces the old.
pub fn pin(ctx: &mut Ctx) -> Result<Resp> {
    set_pin(ctx, true)
}

/// # `POST /posts/{id}/unpin`
pub fn unpin(ctx: &mut Ctx) -> Result<Resp> {
    set_pin(ctx, false)
}
