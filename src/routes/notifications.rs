//! The notifications page; visiting it marks everything read.

use super::{page, Ctx};
use crate::db;
use crate::db::notifications::Tab;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::notifications as view;

/// Notifications per page.
const PER_PAGE: u32 = 50;

/// # `GET /notifications` (`?tab=` mentions | comments | likes | system,
/// `?max_id=` for older ones) — grouped: likes of one post or comment,
/// reposts of one post and follows are one line each ("王芳等 3 人赞了你的微博").
///
/// # Errors
/// `BadRequest` for an unknown tab or a bad id.
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let max = ctx.req.query_id("max_id")?.unwrap_or(i64::MAX);
    let raw_tab = ctx.req.query("tab").unwrap_or("");
    let tab = Tab::parse(raw_tab).ok_or_else(|| Error::BadRequest(ctx.lang.f(M::ErrNotifTab, &[&raw_tab])))?;
    let items = db::notifications::list(ctx.db, me, tab, max, PER_PAGE)?;
    let (full, next_max) = (items.len() == PER_PAGE as usize, items.last().map(|n| n.id));
    // Issue 18: notifications about posts or comments with a muted word
    // (anywhere in their text, not only the excerpt) are not shown.
    let items = without_muted(ctx, items)?;
    let tab_q = if tab == Tab::All { String::new() } else { format!("tab={}&", tab.as_str()) };
    let next = next_max.filter(|_| full).map(|id| format!("/notifications?{tab_q}max_id={id}"));
    // Shown as unread this once, then read.
    if items.iter().any(|n| n.unread) {
        let now = ctx.now;
        ctx.write(|tx| db::notifications::mark_all_read(tx, me, now))?;
    }
    let groups = db::notifications::grouped(items);
    page(ctx, |c| view::list(c, tab, &groups, next))
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
