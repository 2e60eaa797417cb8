//! Media (R2.2): serving stored files to those who may see them, and the
//! upload steps shared by posts and avatars (check, stage, commit).
//!
//! A file is served when at least one row naming it is visible to the
//! viewer: an avatar (public), or an attachment of a post the viewer may see
//! (visibility, not deleted or removed). Anything else is 404, like a file
//! that does not exist. Staff also get the files of held, removed and
//! deleted content and of evidence records (R12.2).

use super::Ctx;
use crate::db;
use crate::error::{Error, MediaRefusal, Result};
use crate::http::range;
use crate::http::{Part, Resp, Upload};
use crate::i18n::M;
use crate::media::{self, Kind, MediaInfo, Refusal, Staged, Store};
use rusqlite::Transaction;
use std::sync::Arc;

/// Content-addressed files never change; `private` keeps shared caches from
/// holding media of followers-only or later removed posts.
const CACHE: &str = "private, max-age=31536000, immutable";

/// The hash in path segment 1, or `NotFound`.
fn hash_segment(ctx: &Ctx) -> Result<String> {
    let h = ctx.path_text("hash")?;
    if media::is_hash(h) {
        Ok(h.to_string())
    } else {
        Err(Error::NotFound)
    }
}

/// The type file `sha256` is served as, if the viewer may see some row naming it.
fn visible_mime(ctx: &Ctx, sha256: &str) -> Result<Option<String>> {
    let viewer = ctx.user.as_ref().map(|u| u.id);
    let refs = db::media::references(ctx.db, sha256)?;
    for (post, mime) in &refs {
        let Some(post) = post else { return Ok(Some(mime.clone())) }; // an avatar
        if let Some(p) = db::posts::get(ctx.db, *post)? {
            if db::posts::visible_to(ctx.db, &p, viewer)? {
                return Ok(Some(mime.clone()));
            }
        }
    }
    if ctx.user.as_ref().is_some_and(|u| !u.roles.is_empty()) {
        if let Some((_, mime)) = refs.into_iter().next() {
            return Ok(Some(mime));
        }
        return db::evidence::media_mime(ctx.db, sha256);
    }
    Ok(None)
}

/// # `GET /media/{sha256}` — the file, with ranges.
pub fn file(ctx: &mut Ctx) -> Result<Resp> {
    let hash = hash_segment(ctx)?;
    let mime = visible_mime(ctx, &hash)?.ok_or(Error::NotFound)?;
    serve(ctx, &hash, &mime)
}

/// # `GET /media/{sha256}/thumb` — the image's thumbnail (the image itself when small).
pub fn thumb(ctx: &mut Ctx) -> Result<Resp> {
    let hash = hash_segment(ctx)?;
    let mime = visible_mime(ctx, &hash)?.ok_or(Error::NotFound)?;
    let (thumb, mime) = match db::media::thumb_of(ctx.db, &hash)? {
        Some(t) => t,
        // An image only an evidence record holds (staff): the image itself.
        None if mime.starts_with("image/") => (hash.clone(), mime),
        None => return Err(Error::NotFound),
    };
    serve(ctx, &thumb, &mime)
}

/// Does an `If-None-Match` value match `etag`?
fn etag_matches(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag))
}

/// Answer with stored file `sha256` as `mime`: ETag and 304, `Range` (206,
/// `multipart/byteranges`, 416), long private caching, `nosniff` (set on
/// every response), and a sandbox so the file can never run as a page.
fn serve(ctx: &Ctx, sha256: &str, mime: &str) -> Result<Resp> {
    let etag = format!("\"{sha256}\"");
    let fixed = |r: Resp| {
        r.header("ETag", &etag)
            .header("Cache-Control", CACHE)
            .header("Accept-Ranges", "bytes")
            .header("Content-Security-Policy", "sandbox")
            .header("Cross-Origin-Resource-Policy", "same-origin")
    };
    if ctx.req.header("if-none-match").is_some_and(|h| etag_matches(h, &etag)) {
        return Ok(fixed(Resp::with_type(304, mime, Vec::new())));
    }
    let file = match Store::new(&ctx.app.config.data_dir).open(sha256) {
        Ok(f) => Arc::new(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("plaza: media file {sha256} is referenced but missing");
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let len = file.metadata()?.len();
    let ranges = match ctx.req.header("if-range") {
        Some(v) if v.trim() != etag => range::Ranges::Full, // changed since: send it all
        _ => range::parse(ctx.req.header("range"), len),
    };
    let boundary = &crate::crypto::random_token()[..32];
    let resp =
        range::respond(&ranges, len, mime, boundary, |start, n| Part::File { file: file.clone(), start, len: n });
    Ok(fixed(resp))
}

/// The message for a refused file, naming it.
pub fn refusal_message(ctx: &Ctx, file_name: &str, r: &Refusal) -> String {
    let name: String = file_name.chars().take(80).collect();
    let mib = |b: u64| format!("{:.1}", b as f64 / (1024.0 * 1024.0));
    match r {
        Refusal::Empty => ctx.lang.f(M::ErrMediaEmpty, &[&name]),
        Refusal::Unsupported => ctx.lang.f(M::ErrMediaType, &[&name]),
        Refusal::Markup => ctx.lang.f(M::ErrMediaMarkup, &[&name]),
        Refusal::TooLarge { size, max } => ctx.lang.f(M::ErrMediaTooLarge, &[&name, &mib(*size), &mib(*max)]),
        Refusal::TooManyPixels { width, height, max } => ctx.lang.f(M::ErrMediaPixels, &[&name, width, height, max]),
        Refusal::Damaged(_) => ctx.lang.f(M::ErrMediaDamaged, &[&name]),
        Refusal::Codec(codec) => ctx.lang.f(M::ErrMediaCodec, &[&name, codec]),
    }
}

fn refused(ctx: &Ctx, upload: &Upload, r: &Refusal) -> Error {
    Error::Media(r.class(), refusal_message(ctx, &upload.file_name, r))
}

/// What a handler accepts in one request.
#[derive(Debug, Clone, Copy)]
pub struct Accept {
    /// Most images.
    pub max_images: usize,
    /// Whether one video (alone) is allowed.
    pub video: bool,
}

/// Check every upload of field `field`, then prepare and stage them, in
/// order (R2.2). Types and counts are checked before any file is decoded;
/// nothing is written for a request with any refused file.
///
/// # Errors
/// `Error::Media` naming the first refused file (or `ErrMediaTooMany`,
/// `ErrAvatarNotImage`); `Error::Io` if staging fails.
pub fn stage_uploads(ctx: &mut Ctx, field: &str, accept: Accept) -> Result<Vec<Staged>> {
    let (uploads, rest): (Vec<Upload>, Vec<Upload>) =
        std::mem::take(&mut ctx.req.files).into_iter().partition(|u| u.field == field);
    ctx.req.files = rest;
    let mut formats = Vec::new();
    for u in &uploads {
        formats.push(media::format_of(u).map_err(|r| refused(ctx, u, &r))?);
    }
    let videos = formats.iter().filter(|f| f.kind() == Kind::Video).count();
    if videos > 0 && !accept.video {
        return Err(Error::Media(MediaRefusal::Unsupported, ctx.t(M::ErrAvatarNotImage).into()));
    }
    if videos > 1 || (videos == 1 && uploads.len() > 1) || uploads.len() - videos > accept.max_images {
        return Err(Error::Media(MediaRefusal::Unusable, ctx.t(M::ErrMediaTooMany).into()));
    }
    let limits = media::Limits::from_config(&ctx.app.config);
    let mut prepared = Vec::new();
    for u in uploads {
        let name = u.file_name.clone();
        let p = media::prepare(u, &limits).map_err(|r| Error::Media(r.class(), refusal_message(ctx, &name, &r)))?;
        prepared.push(p);
    }
    let store = Store::new(&ctx.app.config.data_dir);
    Ok(prepared.into_iter().map(|p| store.stage(p)).collect::<std::io::Result<Vec<_>>>()?)
}

/// Give staged files their names inside the write transaction `_tx` that
/// adds their rows (see `media::Store::commit`).
pub fn commit(ctx: &Ctx, _tx: &Transaction, staged: Staged) -> Result<MediaInfo> {
    Ok(Store::new(&ctx.app.config.data_dir).commit(staged)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match() {
        assert!(etag_matches("\"ab\"", "\"ab\""));
        assert!(etag_matches("\"x\", W/\"ab\"", "\"ab\""));
        assert!(etag_matches("*", "\"ab\""));
        assert!(!etag_matches("\"abc\"", "\"ab\""));
    }
}
