//! The composer's helpers (issue 18): `@` and `#` suggestions as a small
//! JSON answer for `app.js`, and the web app manifest that lets a phone
//! add the site to its home screen. Pages never need either: the compose
//! form is a plain form.

use super::Ctx;
use crate::db;
use crate::domain::text::{grapheme_len, most_used_spelling, tag_key};
use crate::error::Result;
use crate::http::Resp;
use crate::i18n::M;
use serde_json::json;

/// Suggestions in one answer.
const SUGGESTIONS: u32 = 8;
/// Longest fragment after `@` or `#`, in grapheme clusters.
const MAX_FRAGMENT: usize = 30;
/// Newest posts of a tag read for its most used spelling.
const SPELLING_SAMPLE: u32 = 50;

/// A JSON answer.
fn json(status: u16, value: &serde_json::Value) -> Resp {
    Resp::with_type(status, "application/json; charset=utf-8", value.to_string().into_bytes())
        .header("Cache-Control", "no-store")
}

/// # `GET /autocomplete?q=@wa` or `?q=%23春` (signed in)
///
/// `{"items": [{"insert": "@wang_fang", "label": "王芳", "handle": "@wang_fang"}]}`
/// for `@`: open accounts whose username or display name starts with the
/// fragment, never one with a block either way or suspended (R2.1, as
/// every listing honours blocks); for `#`: tags of public posts starting
/// with the fragment's tag key, most used first, each in the spelling
/// written most often (`{"insert": "#Rust#", "label": "#Rust#", "count": 12}`).
///
/// Refused with 400 and `{"error": ...}` in words unless `q` is `@` or `#`
/// and 1-30 characters without spaces; 429 past
/// [`crate::domain::throttle::AUTOCOMPLETE_PER_MINUTE`] requests a minute for one account.
pub fn autocomplete(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let q = ctx.req.query("q").unwrap_or("").to_string();
    let mut chars = q.chars();
    let sigil = chars.next();
    let fragment = chars.as_str();
    let fits = matches!(sigil, Some('@' | '#'))
        && (1..=MAX_FRAGMENT).contains(&grapheme_len(fragment))
        && !fragment.chars().any(|c| c.is_whitespace() || c.is_control() || c == '@' || c == '#');
    if !fits {
        return Ok(json(400, &json!({ "error": ctx.t(M::ErrAutocompleteQuery) })));
    }
    let allowed =
        ctx.app.autocomplete_rate.lock().unwrap_or_else(|p| p.into_inner()).allow(&format!("user:{me}"), ctx.now);
    if !allowed {
        return Ok(json(429, &json!({ "error": ctx.t(M::ErrTooManyAttempts) })).header("Retry-After", "60"));
    }
    let items: Vec<serde_json::Value> = if sigil == Some('@') {
        let prefix = if fragment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            fragment.to_ascii_lowercase()
        } else {
            String::new()
        };
        db::autocomplete::members(ctx.db, me, &prefix, fragment, SUGGESTIONS)?
            .into_iter()
            .map(|u| {
                let label = crate::views::components::name_of(&u).to_string();
                json!({ "insert": format!("@{}", u.username), "label": label, "handle": format!("@{}", u.username) })
            })
            .collect()
    } else {
        let key = tag_key(fragment);
        let mut out = Vec::new();
        for (tag, count) in db::search::tags(ctx.db, &key, SUGGESTIONS)? {
            let bodies = db::autocomplete::tag_bodies(ctx.db, &tag, SPELLING_SAMPLE)?;
            let shown = most_used_spelling(&tag, bodies.iter().map(String::as_str)).unwrap_or(tag);
            out.push(json!({ "insert": format!("#{shown}#"), "label": format!("#{shown}#"), "count": count }));
        }
        out
    };
    Ok(json(200, &json!({ "items": items })))
}

/// # `GET /manifest.webmanifest` — the web app manifest (issue 18): the
/// site's name, its icons (192 and 512 px PNG), theme colour, and
/// `display: standalone` from `/`, so "add to home screen" gives an app.
pub fn manifest(ctx: &mut Ctx) -> Result<Resp> {
    let s = &ctx.site.settings;
    let icon = |size: u32| {
        let name = format!("icon-{size}.png");
        json!({ "src": crate::views::assets::asset_url(&name), "sizes": format!("{size}x{size}"),
                "type": "image/png", "purpose": "any maskable" })
    };
    let body = json!({
        "name": s.site_name,
        "short_name": s.site_name.chars().take(12).collect::<String>(),
        "description": ctx.t(M::ManifestDescription),
        "lang": ctx.lang.code(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f6f8",
        "theme_color": crate::views::layout::THEME_COLOUR,
        "icons": [icon(192), icon(512)],
    });
    Ok(Resp::with_type(200, "application/manifest+json", body.to_string().into_bytes())
        .header("Cache-Control", "public, max-age=3600"))
}
