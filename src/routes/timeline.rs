//! Home, public and tag timelines (R2.1, R2.3), paged by `?max_id=`.

use super::{page, posts::items, Ctx};
use crate::db::{self, posts::Page};
use crate::domain::text::tag_key;
use crate::error::Result;
use crate::http::Resp;
use crate::views::components::{ComposeLimits, Draft};
use crate::views::timeline as view;

/// Posts per timeline page.
pub const PAGE_SIZE: u32 = 20;

/// What the compose form tells the writer: text length and media limits.
pub fn compose_limits(ctx: &Ctx) -> ComposeLimits {
    let c = &ctx.app.config;
    ComposeLimits {
        max_chars: c.post_max_chars,
        image_max_mib: c.image_max_bytes.div_ceil(1024 * 1024),
        video_max_mib: c.video_max_bytes.div_ceil(1024 * 1024),
    }
}

/// `?max_id=` of the request: show posts with smaller ids (all when absent).
fn max_id(ctx: &Ctx) -> Result<i64> {
    Ok(ctx.req.query_id("max_id")?.unwrap_or(i64::MAX))
}

/// The link to the next page of `base`, if there is one.
fn next_link(base: &str, page: &Page) -> Option<String> {
    page.next_max_id.map(|id| format!("{base}?max_id={id}"))
}

/// # `GET /` — home timeline, or a welcome with public posts when signed out.
pub fn home(ctx: &mut Ctx) -> Result<Resp> {
    let max = max_id(ctx)?;
    match ctx.user.as_ref().map(|u| u.id) {
        Some(me) => {
            let p = db::posts::home(ctx.db, me, max, PAGE_SIZE)?;
            let next = next_link("/", &p);
            let list = items(ctx, p.posts)?;
            let limits = compose_limits(ctx);
            let suggest = if list.is_empty() && max == i64::MAX {
                who_to_follow(ctx, me)?
            } else {
                (Vec::new(), crate::i18n::M::FollowerCount)
            };
            page(ctx, |c| view::home(c, &list, next, &Draft::default(), &limits, &suggest))
        }
        None => {
            let p = db::posts::public(ctx.db, max, PAGE_SIZE)?;
            let next = next_link("/public", &p);
            let list = items(ctx, p.posts)?;
            page(ctx, |c| view::welcome(c, &list, next))
        }
    }
}

/// Issue 17: "who to follow" for an empty home timeline: accounts followed
/// by people `me` follows, else the most followed (not `me`, not followed).
fn who_to_follow(ctx: &Ctx, me: i64) -> Result<(Vec<crate::db::search::Person>, crate::i18n::M)> {
    let theirs = db::search::who_to_follow(ctx.db, me, 5)?;
    if !theirs.is_empty() {
        return Ok((theirs, crate::i18n::M::FollowedByYours));
    }
    let mut top = db::search::most_followed(ctx.db, 6)?;
    top.retain(|p| p.user.id != me && !db::posts::follows(ctx.db, me, p.user.id).unwrap_or(true));
    top.truncate(5);
    Ok((top, crate::i18n::M::FollowerCount))
}

/// # `GET /public`
pub fn public(ctx: &mut Ctx) -> Result<Resp> {
    let p = db::posts::public(ctx.db, max_id(ctx)?, PAGE_SIZE)?;
    let next = next_link("/public", &p);
    let list = items(ctx, p.posts)?;
    let trends = super::search::top_trends(ctx, 5)?;
    page(ctx, |c| view::public(c, &list, next, &trends))
}

/// # `GET /tags/{tag}`
pub fn tag(ctx: &mut Ctx) -> Result<Resp> {
    let tag = ctx.path_text("tag")?.to_string();
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let p = db::posts::by_tag(ctx.db, viewer, &tag_key(&tag), max_id(ctx)?, PAGE_SIZE)?;
    let next = next_link(&crate::views::components::tag_url(&tag_key(&tag)), &p);
    let list = items(ctx, p.posts)?;
    page(ctx, |c| view::tag(c, &tag, &list, next))
}
