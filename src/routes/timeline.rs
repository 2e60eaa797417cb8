//! Home, public and tag timelines (R2.1, R2.3), paged by `?max_id=`.

use super::{page, posts::items, Ctx};
use crate::db::{self, posts::Page, posts::Window};
use crate::domain::text::{most_used_spelling, tag_key};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::components::{ComposeLimits, Draft, Pager};
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

/// Most posts one page may ask for with `?limit=`.
pub const MAX_LIMIT: u32 = 40;

/// The page of a listing the query asks for (R2.1): `?max_id=` (older
/// than), `?min_id=` (just newer than, towards the newest), `?since_id=`
/// (the newest above), `?limit=` posts (1 to [`MAX_LIMIT`], default
/// [`PAGE_SIZE`]); with none of them, the newest page.
///
/// # Errors
/// `BadRequest` naming a bad id or limit (never silently ignored).
pub fn window(ctx: &Ctx) -> Result<Window> {
    let limit = match ctx.req.query("limit") {
        None => PAGE_SIZE,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => return Err(Error::BadRequest(ctx.lang.f(M::ErrBadLimit, &[&MAX_LIMIT, &v]))),
        },
    };
    let (max, min, since) = (ctx.req.query_id("max_id")?, ctx.req.query_id("min_id")?, ctx.req.query_id("since_id")?);
    let mut w = match (min, since) {
        (Some(min), _) => Window::newer_than(min, limit),
        (None, Some(since)) => Window::since(since, limit),
        (None, None) => Window::newest(limit),
    };
    if let Some(max) = max {
        w.before = max;
    }
    Ok(w)
}

/// The newer and older links of page `p` of the listing at `base` (a path
/// without a query); a `?limit=` other than the default is kept.
pub fn pager(base: &str, p: &Page) -> Pager {
    let limit = p.limit.filter(|&l| l != PAGE_SIZE).map_or(String::new(), |l| format!("&limit={l}"));
    Pager {
        newer: p.newer.map(|id| format!("{base}?min_id={id}{limit}")),
        older: p.older.map(|id| format!("{base}?max_id={id}{limit}")),
    }
}

/// # `GET /` — home timeline, or a welcome with public posts when signed out.
pub fn home(ctx: &mut Ctx) -> Result<Resp> {
    let w = window(ctx)?;
    match ctx.user.as_ref().map(|u| u.id) {
        Some(me) => {
            let p = db::posts::home(ctx.db, me, w)?;
            let next = pager("/", &p);
            let list = items(ctx, super::blocks::without_muted_words(ctx, p.posts)?)?;
            let limits = compose_limits(ctx);
            let suggest = if list.is_empty() && w.is_top() {
                who_to_follow(ctx, me)?
            } else {
                (Vec::new(), crate::i18n::M::FollowerCount)
            };
            page(ctx, |c| view::home(c, &list, next, &Draft::default(), &limits, &suggest))
        }
        None => {
            let p = db::posts::public(ctx.db, 0, w)?;
            let next = pager("/public", &p);
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
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let p = db::posts::public(ctx.db, viewer, window(ctx)?)?;
    let next = pager("/public", &p);
    let list = items(ctx, super::blocks::without_muted_words(ctx, p.posts)?)?;
    let trends = super::search::top_trends(ctx, 5)?;
    page(ctx, |c| view::public(c, &list, next, &trends))
}

/// # `GET /tags/{tag}`
pub fn tag(ctx: &mut Ctx) -> Result<Resp> {
    let asked = ctx.path_text("tag")?.to_string();
    let key = tag_key(&asked);
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let p = db::posts::by_tag(ctx.db, viewer, &key, window(ctx)?)?;
    let next = pager(&crate::views::components::tag_url(&key), &p);
    let tag = most_used_spelling(&key, p.posts.iter().map(|p| p.body.as_str())).unwrap_or(asked);
    let list = items(ctx, super::blocks::without_muted_words(ctx, p.posts)?)?;
    page(ctx, |c| view::tag(c, &tag, &list, next))
}
