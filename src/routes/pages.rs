//! Fixed pages: health check, embedded assets, the agreement and the rules.

use super::{page, Ctx};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::views::assets;
use crate::views::auth as view;

/// # `GET /healthz` — answers `ok` while the database answers.
pub fn healthz(ctx: &mut Ctx) -> Result<Resp> {
    crate::db::upkeep::ping(ctx.db)?;
    Ok(Resp::text(200, "ok"))
}

/// # `GET /assets/{name}`
pub fn asset(ctx: &mut Ctx) -> Result<Resp> {
    let name = ctx.path_text("name")?.to_string();
    let data = assets::file(&name).ok_or(Error::NotFound)?;
    let content_type = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let etag = format!("\"{}\"", assets::hash(&name).unwrap_or(""));
    let fresh = ctx.req.query("v").is_some_and(|v| assets::hash(&name) == Some(v));
    let cache = if fresh { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    Ok(Resp::with_type(200, content_type, data.into_owned()).header("Cache-Control", cache).header("ETag", &etag))
}

/// # `GET /favicon.ico` — the site icon (an SVG) for browsers that ask
/// for it by this name before reading the page's `<link rel="icon">`.
pub fn favicon(_ctx: &mut Ctx) -> Result<Resp> {
    let data = assets::file("favicon.svg").ok_or(Error::NotFound)?;
    Ok(Resp::with_type(200, "image/svg+xml", data.into_owned()).header("Cache-Control", "public, max-age=86400"))
}

/// # `GET /terms` — the current service agreement (R6.1).
pub fn terms(ctx: &mut Ctx) -> Result<Resp> {
    let site = ctx.site.clone();
    page(ctx, |c| view::agreement(c, &site.agreement, false))
}

/// # `GET /rules` — the current platform rules (R6.1).
pub fn rules(ctx: &mut Ctx) -> Result<Resp> {
    let site = ctx.site.clone();
    page(ctx, |c| view::agreement(c, &site.agreement, true))
}
