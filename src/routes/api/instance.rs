//! `/api/v1/instance`, `/api/v2/instance` and `/api/v1/custom_emojis`
//! (issue 19): what a client needs to know before it posts: the longest
//! post, how many images, which media types and sizes (R2.2).

use super::{base_url, ok};
use crate::error::Result;
use crate::http::Resp;
use crate::routes::Ctx;
use serde_json::json as j;

/// The media types the media checks accept (R2.2), as clients read them.
const MEDIA_TYPES: [&str; 6] = ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm"];
/// Most images on one post (R2.2), as the post form allows.
pub const MAX_IMAGES: usize = 9;

/// The `configuration` object both instance versions share.
fn configuration(ctx: &Ctx) -> serde_json::Value {
    let c = &ctx.app.config;
    j!({
        "urls": { "streaming": null },
        "accounts": { "max_featured_tags": 0, "max_pinned_statuses": 1 },
        "statuses": {
            "max_characters": c.post_max_chars,
            "max_media_attachments": MAX_IMAGES,
            "characters_reserved_per_url": 0
        },
        "media_attachments": {
            "supported_mime_types": MEDIA_TYPES,
            "image_size_limit": c.image_max_bytes,
            "image_matrix_limit": u64::from(c.image_max_side) * u64::from(c.image_max_side),
            "video_size_limit": c.video_max_bytes,
            "video_frame_rate_limit": 60,
            "video_matrix_limit": 8_294_400
        },
        "polls": { "max_options": 0, "max_characters_per_option": 0, "min_expiration": 0, "max_expiration": 0 },
        "translation": { "enabled": false }
    })
}

/// The host name clients show as the server's domain.
fn domain(base: &str) -> String {
    base.split_once("://").map_or(base, |(_, rest)| rest).trim_end_matches('/').to_string()
}

/// # `GET /api/v1/instance`
pub fn v1(ctx: &mut Ctx) -> Result<Resp> {
    let base = base_url(ctx);
    let s = &ctx.site.settings;
    ok(&j!({
        "uri": domain(&base),
        "title": s.site_name,
        "short_description": s.footer_note,
        "description": s.footer_note,
        "email": "",
        "version": format!("4.2.0 (compatible; Plaza {})", env!("CARGO_PKG_VERSION")),
        "urls": { "streaming_api": null },
        "stats": { "user_count": 0, "status_count": 0, "domain_count": 1 },
        "thumbnail": null,
        "languages": ["zh", "en"],
        "registrations": true,
        "approval_required": false,
        "invites_enabled": false,
        "configuration": configuration(ctx),
        "contact_account": null,
        "rules": []
    }))
}

/// # `GET /api/v2/instance`
pub fn v2(ctx: &mut Ctx) -> Result<Resp> {
    let base = base_url(ctx);
    let s = &ctx.site.settings;
    ok(&j!({
        "domain": domain(&base),
        "title": s.site_name,
        "version": format!("4.2.0 (compatible; Plaza {})", env!("CARGO_PKG_VERSION")),
        "source_url": "",
        "description": s.footer_note,
        "usage": { "users": { "active_month": 0 } },
        "thumbnail": { "url": format!("{base}/favicon.ico") },
        "languages": ["zh", "en"],
        "configuration": configuration(ctx),
        "registrations": { "enabled": true, "approval_required": false, "message": null, "url": format!("{base}/signup") },
        "contact": { "email": "", "account": null },
        "rules": []
    }))
}

/// # `GET /api/v1/custom_emojis` — Plaza has none.
pub fn custom_emojis(_ctx: &mut Ctx) -> Result<Resp> {
    ok(&Vec::<()>::new())
}

/// # `GET /api/v1/apps/verify_credentials` — the app behind the token
/// (any token, the app's own included).
///
/// # Errors
/// 401 without a token.
pub fn app(ctx: &mut Ctx) -> Result<Resp> {
    let g = ctx.grant.as_ref().ok_or(crate::error::Error::LoginRequired)?;
    let app = crate::db::oauth::app_by_id(ctx.db, g.app_id)?.ok_or(crate::error::Error::LoginRequired)?;
    ok(&j!({
        "id": app.id.to_string(),
        "name": app.name,
        "website": if app.website.is_empty() { None } else { Some(&app.website) },
        "scopes": app.scopes,
        "redirect_uri": app.redirect_uris.join("\n"),
        "redirect_uris": app.redirect_uris,
        "vapid_key": ""
    }))
}

/// # `GET /api/v1/preferences` (scope `read:accounts`) — Plaza's defaults:
/// public posts, nothing sensitive, media shown.
pub fn preferences(_ctx: &mut Ctx) -> Result<Resp> {
    ok(&j!({
        "posting:default:visibility": "public",
        "posting:default:sensitive": false,
        "posting:default:language": null,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false
    }))
}

/// # `GET /api/v1/lists`, `/api/v2/filters`, `/api/v1/filters`,
/// `/api/v1/announcements`, `/api/v1/followed_tags` — features Plaza does
/// not have, answered with an empty list so clients that load them at
/// start go on.
pub fn empty_list(_ctx: &mut Ctx) -> Result<Resp> {
    ok(&Vec::<()>::new())
}
