//! Notifications and read markers (issue 19). Notifications are the
//! page's own list (muted words filtered as there); social ones keep
//! Mastodon's types, staff notices (removal, rejection, sanctions,
//! identity, badges, complaints, credit) are `moderation_warning` with
//! the page's words in `plaza_text`, so a client that knows no such type
//! still gets the words. Listing does not mark them read (clients keep
//! markers); `clear` marks all read: Plaza keeps its notices.

use super::{ok, param, path_id};
use crate::db::{self, notifications::Kind, notifications::Notification};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::routes::Ctx;

/// Mastodon's notification type for a Plaza notice.
fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Follow => "follow",
        Kind::Comment | Kind::Reply | Kind::Mention => "mention",
        Kind::Repost => "reblog",
        Kind::Like | Kind::CommentLike => "favourite",
        _ => "moderation_warning",
    }
}

/// The Notification entity. A comment, an answer to one's comment, a
/// mention in a comment or a like of one's comment carries the comment's
/// status (`c{id}`, null once the requester may no longer see it, as on
/// the post page); any other the post's, when visible.
fn entity(ctx: &Ctx, n: &Notification) -> Result<serde_json::Value> {
    let about_comment = matches!(n.kind, Kind::Comment | Kind::Reply | Kind::Mention | Kind::CommentLike);
    let status = match (n.comment_id.filter(|_| about_comment), n.post_id) {
        (Some(cid), _) => match crate::routes::posts::visible_comment_by_id(ctx, cid) {
            Ok((c, post)) => Some(super::statuses::comment_status(ctx, &c, &post)?),
            Err(Error::NotFound) => None,
            Err(e) => return Err(e),
        },
        (None, Some(p)) => match db::posts::get(ctx.db, p)? {
            Some(post) if db::posts::visible_to(ctx.db, &post, ctx.user.as_ref().map(|u| u.id))? => {
                super::timelines::statuses(ctx, vec![post])?.pop()
            }
            _ => None,
        },
        (None, None) => None,
    };
    let mut text = ctx.t(crate::views::notifications::what(n.kind)).to_string();
    if !n.detail.is_empty() {
        text.push_str(": ");
        text.push_str(&n.detail);
    }
    // A staff notice names no staff member, as the page names nobody: its
    // account is the member's own, as Mastodon's account warnings carry
    // the warned account.
    let account = match kind_name(n.kind) {
        "moderation_warning" => {
            let me = db::users::by_id(ctx.db, ctx.user()?.id)?.ok_or(Error::NotFound)?;
            super::accounts::embedded(ctx, &me)?
        }
        _ => super::accounts::embedded(ctx, &n.actor)?,
    };
    Ok(serde_json::json!({
        "id": n.id.to_string(),
        "type": kind_name(n.kind),
        "group_key": format!("ungrouped-{}", n.id),
        "created_at": crate::domain::dates::rfc3339(n.created_at),
        "account": account,
        "status": status,
        "plaza_kind": n.kind.as_str(),
        "plaza_text": text,
    }))
}

/// # `GET /api/v1/notifications` (scope `read:notifications`) — newest
/// first, paged as the timelines: `max_id` (older than), `since_id` (the
/// newest above), `min_id` (the ones just above, answered newest first),
/// `limit` (40, up to 80); `Link` with `next` (`max_id`) when older ones
/// may be left and `prev` (`min_id`, the newest id shown) as the
/// timelines' [`super::timelines::page_response`].
///
/// # Errors
/// 422 naming a paging parameter that is not a whole number.
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let w = super::timelines::window_of(ctx, 40, 80)?;
    let mut items = db::notifications::list_in(ctx.db, me, db::notifications::Tab::All, &w)?;
    let (older, newer) = w.settle(&mut items, |n| n.id);
    let newer = newer.or_else(|| items.first().map(|n| n.id));
    let items = crate::routes::notifications::without_muted(ctx, items)?;
    let list = items.iter().map(|n| entity(ctx, n)).collect::<Result<Vec<_>>>()?;
    Ok(super::timelines::with_links(ctx, ok(&list)?, "/api/v1/notifications", older, newer, w.limit))
}

/// # `GET /api/v1/notifications/{id}`
pub fn show(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let id = path_id(ctx, "id")?;
    let n = db::notifications::list(ctx.db, me, db::notifications::Tab::All, id.saturating_add(1), 1)?;
    let n = crate::routes::notifications::without_muted(ctx, n)?;
    match n.first().filter(|n| n.id == id) {
        Some(n) => ok(&entity(ctx, n)?),
        None => Err(Error::NotFound),
    }
}

/// # `POST /api/v1/notifications/clear` (scope `write:notifications`) —
/// every notification marked read (Plaza keeps its notices).
pub fn clear(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let now = ctx.now;
    ctx.write(|tx| db::notifications::mark_all_read(tx, me, now))?;
    ok(&serde_json::json!({}))
}

/// The timelines markers are kept for.
const TIMELINES: [&str; 2] = ["home", "notifications"];

/// The markers of `timelines` as Mastodon's `{"home": {...}}`.
fn markers_json(ctx: &Ctx, me: i64, timelines: &[&str]) -> Result<serde_json::Value> {
    let mut out = serde_json::Map::new();
    for m in db::oauth::markers(ctx.db, me, timelines)? {
        out.insert(
            m.timeline.clone(),
            serde_json::json!({
                "last_read_id": m.last_read_id.to_string(),
                "version": m.version,
                "updated_at": crate::domain::dates::rfc3339(m.updated_at),
            }),
        );
    }
    Ok(serde_json::Value::Object(out))
}

/// # `GET /api/v1/markers?timeline[]=home&timeline[]=notifications`
/// (scope `read:statuses`)
pub fn markers(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let asked: Vec<&str> = super::list_param(ctx, "timeline")?.into_iter().filter(|t| TIMELINES.contains(t)).collect();
    let asked = if asked.is_empty() { TIMELINES.to_vec() } else { asked };
    ok(&markers_json(ctx, me, &asked)?)
}

/// # `POST /api/v1/markers` (scope `write:statuses`) —
/// `home[last_read_id]`, `notifications[last_read_id]`.
///
/// # Errors
/// 422 naming a `last_read_id` that is not a whole number.
pub fn save_markers(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let mut saved = Vec::new();
    for t in TIMELINES {
        let field = format!("{t}[last_read_id]");
        match param(ctx, &field)? {
            Some(v) => {
                let id = crate::http::parse_id(v.trim())
                    .map_err(|_| Error::Invalid(format!("{field}: {}", ctx.t(crate::i18n::M::ApiNotInteger))))?;
                saved.push((t, id));
            }
            // The timeline was sent, but not as `{"last_read_id": ...}`: say what is missing.
            None if super::sent(ctx, t) => {
                return Err(Error::Invalid(format!("{field}: {}", ctx.t(crate::i18n::M::ApiFieldMissing))));
            }
            None => {}
        }
    }
    let now = ctx.now;
    ctx.write(|tx| {
        for (t, id) in &saved {
            db::oauth::set_marker(tx, me, t, *id, now)?;
        }
        Ok(())
    })?;
    let names: Vec<&str> = saved.iter().map(|(t, _)| *t).collect();
    ok(&markers_json(ctx, me, &names)?)
}
