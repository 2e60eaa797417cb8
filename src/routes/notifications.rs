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
    let mut items = db::notifications::list(ctx.db, me, max, PER_PAGE)?;
    let (full, next_max) = (items.len() == PER_PAGE as usize, items.last().map(|n| n.id));
    // Issue 18: notifications about posts or comments with a muted word are not shown.
    let keys = super::blocks::muted_keys(ctx)?;
    if !keys.is_empty() {
        items.retain(|n| !n.excerpt.as_deref().is_some_and(|e| crate::domain::mute::hits(&keys, e)));
    }
    let next = next_max.filter(|_| full).map(|id| format!("/notifications?max_id={id}"));
    // Shown as unread this once, then read.
    if items.iter().any(|n| n.unread) {
        let now = ctx.now;
        ctx.write(|tx| db::notifications::mark_all_read(tx, me, now))?;
    }
    page(ctx, |c| view::list(c, &items, next))
}
