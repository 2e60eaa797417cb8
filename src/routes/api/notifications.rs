//! Notifications and read markers (issue 19). Notifications are the
//! page's own list (muted words filtered as there); social ones keep
//! Mastodon's types, staff notices (removal, rejection, sanctions,
//! identity, badges, complaints, credit) are `moderation_warning` with
//! the page's words in `plaza_text`, so a client that knows no such type
//! still gets the words. Listing does not mark them read (clients keep
//! markers); `clear` marks all read: Plaza keeps its notices.

use super::{base_url, ok, param, path_id};
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
        Kind::Like => "favourite",
        _ => "moderation_warning",
    }
}

/// The Notification entity.
fn entity(ctx: &Ctx, n: &Notification) -> Result<serde_json::Value> {
    let status = match n.post_id {
        Some(p) => match db::posts::get(ctx.db, p)? {
            Some(post) if db::posts::visible_to(ctx.db, &post, ctx.user.as_ref().map(|u| u.id))? => {
                super::timelines::statuses(ctx, vec![post])?.pop()
            }
            _ => None,
        },
        None => None,
    };
    let mut text = ctx.t(crate::views::notifications::what(n.kind)).to_string();
    if !n.detail.is_empty() {
        text.push_str(": ");
        text.push_str(&n.detail);
    }
    Ok(serde_json::json!({
        "id": n.id.to_string(),
        "type": kind_name(n.kind),
        "group_key": format!("ungrouped-{}", n.id),
        "created_at": crate::domain::dates::rfc3339(n.created_at),
        "account": super::accounts::embedded(ctx, &n.actor)?,
        "status": status,
        "plaza_kind": n.kind.as_str(),
        "plaza_text": text,
    }))
}

/// # `GET /api/v1/notifications` (scope `read:notifications`; `max_id`,
/// `limit` up to 80)
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let max = super::int_param(ctx, "max_id")?.unwrap_or(i64::MAX);
    let limit = super::int_param(ctx, "limit")?.map_or(40, |l| l.clamp(1, 80)) as u32;
    let items = db::notifications::list(ctx.db, me, db::notifications::Tab::All, max, limit)?;
    let last = items.last().map(|n| n.id).filter(|_| items.len() == limit as usize);
    let items = crate::routes::notifications::without_muted(ctx, items)?;
    let list = items.iter().map(|n| entity(ctx, n)).collect::<Result<Vec<_>>>()?;
    let resp = ok(&list)?;
    Ok(match last {
        Some(id) => resp.header(
            "Link",
            &format!("<{}/api/v1/notifications?max_id={id}&limit={limit}>; rel=\"next\"", base_url(ctx)),
        ),
        None => resp,
    })
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
        if let Some(v) = param(ctx, &field)? {
            let id = v
                .trim()
                .parse::<i64>()
                .map_err(|_| Error::Invalid(format!("{field}: {}", ctx.t(crate::i18n::M::ApiNotInteger))))?;
            saved.push((t, id));
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
