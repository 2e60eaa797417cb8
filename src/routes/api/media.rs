//! Media uploads of the client API (issue 19): `POST /api/v2/media` takes
//! one image or video (`file`, with a `description`) through the very
//! checks of the post form (R2.2: type from the bytes, size and pixel
//! limits, codecs, re-encoding without EXIF, thumbnails: `routes::media`),
//! stores it, and answers its MediaAttachment; a status then names it in
//! `media_ids`. A refused file is answered in words with the page's
//! status (413, 415, 422) and nothing is kept.

use super::{base_url, ok, param, path_id};
use crate::actions::publish;
use crate::db;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::routes::{media as checks, Ctx};
use crate::views::api as entity;

/// Longest description, in grapheme clusters (as the post form's).
const MAX_ALT_CHARS: usize = 500;

/// The description field, checked.
fn description(ctx: &Ctx) -> Result<String> {
    let alt = param(ctx, "description")?.unwrap_or("").trim().to_string();
    if crate::domain::text::grapheme_len(&alt) > MAX_ALT_CHARS {
        return Err(Error::Invalid(format!("description: {}", ctx.lang.f(M::ErrAltTooLong, &[&MAX_ALT_CHARS]))));
    }
    Ok(alt)
}

/// # `POST /api/v2/media` (also `/api/v1/media`; scope `write:media`,
/// verified identity, R7.1) — multipart `file` and `description`.
///
/// # Errors
/// 422 without a file or with a too long description; the media checks'
/// refusal in words with their status (413 too large, 415 not an accepted
/// type, 422 unusable).
pub fn upload(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let alt = description(ctx)?;
    if ctx.req.files_named("file").count() != 1 {
        return Err(Error::Invalid(format!("file: {}", ctx.t(M::ApiFieldMissing))));
    }
    let staged = match checks::stage_uploads(ctx, "file", checks::Accept { max_images: 1, video: true }) {
        Ok(mut s) => s.remove(0),
        Err(e) => {
            let (status, msg) = e.media_refusal()?;
            return super::json(status, &serde_json::json!({ "error": msg }));
        }
    };
    let now = ctx.now;
    let id = ctx.write(|tx| {
        let info = checks::commit(ctx, tx, staged)?;
        let id = db::oauth::insert_media(tx, &publish::attachment(&info, me, None, 0, &alt, now))?;
        ctx.log(tx, "api.media_upload", &format!("media:{id}"))?;
        Ok(id)
    })?;
    let m = db::oauth::media(ctx.db, me, id)?.ok_or(Error::NotFound)?;
    ok(&entity::media(&m.attachment, &base_url(ctx)))
}

/// # `GET /api/v1/media/{id}` — one's own upload.
pub fn show(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let m = db::oauth::media(ctx.db, me, path_id(ctx, "id")?)?.ok_or(Error::NotFound)?;
    ok(&entity::media(&m.attachment, &base_url(ctx)))
}

/// # `PUT /api/v1/media/{id}` — change the description before posting.
///
/// # Errors
/// 404 for someone else's upload or one already posted.
pub fn describe(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let id = path_id(ctx, "id")?;
    let alt = description(ctx)?;
    ctx.write(|tx| if db::oauth::describe_media(tx, me, id, &alt)? { Ok(()) } else { Err(Error::NotFound) })?;
    show(ctx)
}

/// The uploads `ids` of `me` for a new status, in order: each must be
/// the member's, not yet posted; at most nine images or one video (R2.2).
///
/// # Errors
/// 422 naming `media_ids` otherwise.
pub fn for_status(ctx: &Ctx, me: i64, ids: &[&str]) -> Result<Vec<db::oauth::ApiMedia>> {
    let bad = |m: M| Error::Invalid(format!("media_ids: {}", ctx.t(m)));
    let mut out: Vec<db::oauth::ApiMedia> = Vec::new();
    for id in ids {
        let id = crate::http::parse_id(id).map_err(|_| bad(M::ApiMediaUnknown))?;
        let m = db::oauth::media(ctx.db, me, id)?
            .filter(|m| m.attachment.post_id.is_none())
            .ok_or_else(|| bad(M::ApiMediaUnknown))?;
        if !out.iter().any(|o| o.attachment.id == id) {
            out.push(m);
        }
    }
    let videos = out.iter().filter(|m| m.attachment.is_video()).count();
    if videos > 1 || (videos == 1 && out.len() > 1) || out.len() > crate::media::MAX_IMAGES_PER_POST {
        return Err(bad(M::ErrMediaTooMany));
    }
    Ok(out)
}
