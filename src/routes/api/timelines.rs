//! Statuses as lists (issue 19): the Status entities of posts, built from
//! the same dressed items the pages show (`routes::posts::dress`: likes,
//! originals, media, rumour labels, edits), and the timelines (home,
//! public, tag, an account's) through the same `db::posts` listings and
//! muted-word filter as the HTML pages, so every visibility, block, mute,
//! suspension and review condition is the pages' own (R2.1, R6.2). Pages
//! by `max_id`, `since_id`, `min_id`, `limit`, with `Link` headers.

use super::{base_url, ok, param};
use crate::db::{self, posts::Page, posts::Post, posts::Window};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::routes::Ctx;
use crate::views::api::{self as entity, Embedded, Status, StatusParts};
use crate::views::components::Original;
use std::collections::HashMap;

/// Statuses per page unless `limit` says otherwise, and the most.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 40;

/// The Status entities of `posts`, in order, as the requester sees them.
/// `favourited`, `reblogged` and `bookmarked` are the token's member's own
/// (issue 19), in one query for the whole page (`db::posts::marks_of`),
/// never one per status. Each author's Account entity is built once a page.
///
/// # Errors
/// A database error.
pub fn statuses(ctx: &Ctx, posts: Vec<Post>) -> Result<Vec<Status>> {
    let base = base_url(ctx);
    let mut accounts: HashMap<i64, Embedded> = HashMap::new();
    let mut account = |ctx: &Ctx, u: &db::users::User| -> Result<Embedded> {
        if let Some(a) = accounts.get(&u.id) {
            return Ok(a.clone());
        }
        let a = super::accounts::embedded(ctx, u)?;
        accounts.insert(u.id, a.clone());
        Ok(a)
    };
    let rumour_words = ctx.t(M::RumourLabel);
    let pending_words = ctx.t(M::StatusPending);
    let mut items = crate::routes::posts::dress(ctx, posts, &Default::default())?;
    let marks = match ctx.user.as_ref() {
        Some(me) => {
            let shown: Vec<&Post> = items
                .iter()
                .flat_map(|i| match &i.original {
                    Some(Original::Shown(o)) => vec![&i.post, &**o],
                    _ => vec![&i.post],
                })
                .collect();
            db::posts::marks_of(ctx.db, me.id, &shown)?
        }
        None => db::posts::Marks::default(),
    };
    for item in &mut items {
        item.liked = marks.liked.contains(&item.post.id);
    }
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        let (original, original_url, missing) = match &item.original {
            Some(Original::Shown(o)) => {
                let parts = StatusParts {
                    post: o,
                    account: account(ctx, &o.author)?,
                    media: &item.original_media,
                    rumour: item.original_rumour.as_ref().map(|l| (l, rumour_words)),
                    pending_label: pending_words,
                    edited_at: item.original_edited_at,
                    favourited: marks.liked.contains(&o.id),
                    reblogged: marks.boosted.contains(&o.id),
                    bookmarked: marks.bookmarked.contains(&o.id),
                    original: None,
                    original_url: None,
                    original_missing: None,
                };
                (Some(entity::status(parts, &base)), Some(format!("{base}/posts/{}", o.id)), None)
            }
            Some(Original::Removed) => {
                (None, item.post.repost_root.map(|r| format!("{base}/posts/{r}")), Some(ctx.t(M::OriginalRemoved)))
            }
            Some(Original::Hidden) => {
                (None, item.post.repost_root.map(|r| format!("{base}/posts/{r}")), Some(ctx.t(M::OriginalHidden)))
            }
            None => (None, None, None),
        };
        let parts = StatusParts {
            post: &item.post,
            account: account(ctx, &item.post.author)?,
            media: &item.media,
            rumour: item.rumour.as_ref().or(item.original_rumour.as_ref()).map(|l| (l, rumour_words)),
            pending_label: pending_words,
            edited_at: item.edited_at,
            favourited: item.liked,
            reblogged: marks.boosted.contains(&item.post.id),
            bookmarked: marks.bookmarked.contains(&item.post.id),
            original,
            original_url,
            original_missing: missing,
        };
        out.push(entity::status(parts, &base));
    }
    Ok(out)
}

/// The page the query asks for: `max_id` (older than), `min_id` (just
/// newer than), `since_id` (the newest above), `limit` (clamped to 1..=40,
/// as Mastodon does).
///
/// # Errors
/// `Invalid` (422) naming a parameter that is not a whole number.
pub fn window(ctx: &Ctx) -> Result<Window> {
    window_of(ctx, DEFAULT_LIMIT, MAX_LIMIT)
}

/// As [`window`], with `limit` defaulting to `default` and clamped to
/// 1..=`max` (account lists: 40 and 80, as Mastodon's).
///
/// # Errors
/// `Invalid` (422) naming a parameter that is not a whole number.
pub fn window_of(ctx: &Ctx, default: u32, max: u32) -> Result<Window> {
    let id = |name: &str| -> Result<Option<i64>> {
        match param(ctx, name)? {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(|n| Some(n.max(0)))
                .map_err(|_| Error::Invalid(format!("{name}: {}", ctx.t(M::ApiNotInteger)))),
        }
    };
    let limit = super::int_param(ctx, "limit")?.map_or(default, |l| l.clamp(1, i64::from(max)) as u32);
    let mut w = match (id("min_id")?, id("since_id")?) {
        (Some(min), _) => Window::newer_than(min, limit),
        (None, Some(since)) => Window::since(since, limit),
        (None, None) => Window::newest(limit),
    };
    if let Some(max) = id("max_id")? {
        w.before = max;
    }
    Ok(w)
}

/// A page of statuses with its `Link` header: `next` for older ones
/// (`max_id`), `prev` for newer ones (`min_id`), as Mastodon clients page.
/// With `muted_words`, posts with the requester's muted words are left out
/// (as the HTML timelines do); the links still page past them.
///
/// # Errors
/// A database error.
pub fn page_response(ctx: &Ctx, path: &str, page: Page, muted_words: bool) -> Result<Resp> {
    let Page { posts, older, newer, limit } = page;
    let newer = newer.or_else(|| posts.first().map(|p| p.id));
    let posts = if muted_words { crate::routes::blocks::without_muted_words(ctx, posts)? } else { posts };
    let list = statuses(ctx, posts)?;
    Ok(with_links(ctx, ok(&list)?, path, older, newer, limit.unwrap_or(DEFAULT_LIMIT)))
}

/// `resp` with a `Link` header for the pages around it: `next` for older
/// ones (`max_id`), `prev` for newer ones (`min_id`), each of `limit`.
pub fn with_links(ctx: &Ctx, resp: Resp, path: &str, older: Option<i64>, newer: Option<i64>, limit: u32) -> Resp {
    let base = base_url(ctx);
    let mut links = Vec::new();
    if let Some(older) = older {
        links.push(format!("<{base}{path}?max_id={older}&limit={limit}>; rel=\"next\""));
    }
    if let Some(newer) = newer {
        links.push(format!("<{base}{path}?min_id={newer}&limit={limit}>; rel=\"prev\""));
    }
    if links.is_empty() {
        resp
    } else {
        resp.header("Link", &links.join(", "))
    }
}

/// # `GET /api/v1/timelines/home` (scope `read:statuses`)
pub fn home(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let p = db::posts::home(ctx.db, me, window(ctx)?)?;
    page_response(ctx, "/api/v1/timelines/home", p, true)
}

/// # `GET /api/v1/timelines/public` (`local` and `remote` make no
/// difference: every post is local)
pub fn public(ctx: &mut Ctx) -> Result<Resp> {
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let p = db::posts::public(ctx.db, viewer, window(ctx)?)?;
    page_response(ctx, "/api/v1/timelines/public", p, true)
}

/// # `GET /api/v1/timelines/tag/{tag}`
pub fn tag(ctx: &mut Ctx) -> Result<Resp> {
    let asked = ctx.path_text("tag")?.to_string();
    let key = crate::domain::text::tag_key(&asked);
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let p = db::posts::by_tag(ctx.db, viewer, &key, window(ctx)?)?;
    let path =
        format!("/api/v1/timelines/tag/{}", crate::views::components::tag_url(&key).trim_start_matches("/tags/"));
    page_response(ctx, &path, p, true)
}

/// # `GET /api/v1/accounts/{id}/statuses` — the posts of an account the
/// requester may see, as its profile page lists them; with `pinned=true`,
/// its pinned post alone (none if the requester may not see it).
pub fn account(ctx: &mut Ctx) -> Result<Resp> {
    let u = super::accounts::active(ctx, super::path_id(ctx, "id")?)?;
    // `pinned=true`: the post pinned on the profile (Plaza pins one), if the requester may see it.
    if super::param(ctx, "pinned")? == Some("true") {
        let pinned = match db::bookmarks::pinned(ctx.db, u.id)? {
            Some(id) => db::posts::get(ctx.db, id)?.filter(|p| p.is_published()),
            None => None,
        };
        let viewer = ctx.user.as_ref().map(|s| s.id);
        let shown = match pinned {
            Some(p) if db::posts::visible_to(ctx.db, &p, viewer)? => vec![p],
            _ => Vec::new(),
        };
        return ok(&statuses(ctx, shown)?);
    }
    let viewer = ctx.user.as_ref().map_or(0, |s| s.id);
    let p = db::posts::by_author(ctx.db, viewer, u.id, window(ctx)?)?;
    page_response(ctx, &format!("/api/v1/accounts/{}/statuses", u.id), p, false)
}
