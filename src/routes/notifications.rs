//! The notifications page; visiting it marks everything read.

use super::{page, Ctx};
use crate::db;
use crate::error::Result;
use crate::http::Resp;
use crate::views::notifications as view;

/// Notifications per page.
const PER_PAGE: u32 = 50;

/// # `GET /notifications` (`?max_id=` for older ones)
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let max = ctx.req.query_id("max_id")?.unwrap_or(i64::MAX);
    let items = db::notifications::list(ctx.db, me, max, PER_PAGE)?;
    let (full, next_max) = (items.len() == PER_PAGE as usize, items.last().map(|n| n.id));
    let items = without_muted(ctx, items)?;
    let next = next_max.filter(|_| full).map(|id| format!("/notifications?max_id={id}"));
    // Shown as unread this once, then read.
    if items.iter().any(|n| n.unread) {
        let now = ctx.now;
        ctx.write(|tx| db::notifications::mark_all_read(tx, me, now))?;
    }
    page(ctx, |c| view::list(c, &items, next))
}

/// Issue 18: notifications about posts or comments with a muted word
/// (anywhere in their text, not only the excerpt) are not shown (the page
/// and the client API).
pub(crate) fn without_muted(
    ctx: &Ctx,
    items: Vec<db::notifications::Notification>,
) -> Result<Vec<db::notifications::Notification>> {
    let keys = super::blocks::muted_keys(ctx)?;
    if keys.is_empty() {
        return Ok(items);
    }
    let mut kept = Vec::with_capacity(items.len());
    for n in items {
        let text = match (n.comment_id, n.post_id, n.excerpt.is_some()) {
            (_, _, false) => None,
            (Some(c), _, true) => db::posts::comment(ctx.db, c)?.map(|c| c.body),
            (None, Some(p), true) => db::posts::get(ctx.db, p)?.map(|p| p.body),
            (None, None, true) => None,
        };
        if !text.is_some_and(|t| crate::domain::mute::hits(&keys, &t)) {
            kept.push(n);
        }
    }
    Ok(kept)
}
