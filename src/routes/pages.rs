//! Fixed pages: health check, embedded assets, the agreement and the rules.

use super::{page, Ctx};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::views::auth as view;
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Everything under `assets/`, embedded in the binary (debug builds too).
#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// Content hashes of the assets, first 16 hex characters, by file name.
fn hashes() -> &'static HashMap<String, String> {
    static H: OnceLock<HashMap<String, String>> = OnceLock::new();
    H.get_or_init(|| {
        Assets::iter()
            .filter_map(|name| {
                let f = Assets::get(&name)?;
                Some((name.to_string(), hex::encode(&f.metadata.sha256_hash()[..8])))
            })
            .collect()
    })
}

/// The URL of an asset with its content hash, so it can be cached forever.
pub fn asset_url(name: &str) -> String {
    match hashes().get(name) {
        Some(h) => format!("/assets/{name}?v={h}"),
        None => format!("/assets/{name}"),
    }
}

/// # `GET /healthz` — answers `ok` while the database answers.
pub fn healthz(ctx: &mut Ctx) -> Result<Resp> {
    crate::db::upkeep::ping(ctx.db)?;
    Ok(Resp::text(200, "ok"))
}

/// # `GET /assets/{name}`
pub fn asset(ctx: &mut Ctx) -> Result<Resp> {
    let name = ctx.path_text("name")?.to_string();
    let file = Assets::get(&name).ok_or(Error::NotFound)?;
    let content_type = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let etag = format!("\"{}\"", hashes().get(name.as_str()).map(String::as_str).unwrap_or(""));
    let fresh = ctx.req.query("v").is_some_and(|v| hashes().get(name.as_str()).is_some_and(|h| h == v));
    let cache = if fresh { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    Ok(Resp::with_type(200, content_type, file.data.into_owned()).header("Cache-Control", cache).header("ETag", &etag))
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
