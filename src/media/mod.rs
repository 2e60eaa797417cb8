//! Images and video (R2.2): upload checks, cleaning, thumbnails and the
//! content-addressed store.
//!
//! An upload goes [`prepare`] (type from magic bytes, limits, markup scan,
//! structure walk, decode, metadata removed, thumbnail) → [`Store::stage`]
//! (written to a temporary file and fsynced, outside any transaction) →
//! [`Store::commit`] (renamed to its SHA-256 name, inside the transaction
//! that adds the database row, so [`gc`] can never remove a file between
//! the two). Nothing is written for a refused file.
//!
//! - `detect.rs`: formats, magic bytes, structure walks, markup scan.
//! - `image.rs`: decoding, orientation, re-encoding, GIF/WebP cleaning, thumbnails.
//! - `store.rs`: files under `DATA/media/`, orphans and garbage collection.

mod codec;
mod detect;
mod image;
pub mod pdf;
mod store;

pub use detect::{sniff, Format, Kind};
pub use store::{
    copy_durably, gc, is_hash, orphans, set_mirror, GcReport, MediaInfo, Orphan, Staged, StagedFile, Store,
};

use crate::config::Config;
use crate::http::Upload;
use std::os::unix::fs::FileExt;

/// Most images one post carries (R2.2); a video comes alone.
pub const MAX_IMAGES_PER_POST: usize = 9;
/// Long side of a thumbnail in pixels.
pub const THUMB_SIDE: u32 = 640;
/// How old an unreferenced file must be before [`gc`] removes it by default:
/// longer than any upload takes between staging and its database row.
pub const GC_MIN_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Upload limits, from the configuration (R2.2).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest image file in bytes.
    pub image_max_bytes: u64,
    /// Largest image width and height in pixels.
    pub image_max_side: u32,
    /// Largest video file in bytes.
    pub video_max_bytes: u64,
}

impl Limits {
    /// The limits a server runs with.
    pub fn from_config(c: &Config) -> Limits {
        Limits {
            image_max_bytes: c.image_max_bytes,
            image_max_side: c.image_max_side,
            video_max_bytes: c.video_max_bytes,
        }
    }
}

/// Why a file was refused. Routes turn each into a message naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Zero bytes.
    Empty,
    /// Not JPEG, PNG, GIF, WebP, MP4 or WebM by its magic bytes (SVG, HTML,
    /// scripts, a `.jpg` that is really HTML...).
    Unsupported,
    /// Has the right magic bytes but also carries HTML, SVG or script markup
    /// (a polyglot).
    Markup,
    /// Over the size limit of its kind: bytes, limit.
    TooLarge { size: u64, max: u64 },
    /// Width or height over the limit, read from the header before any pixel
    /// is decoded (decompression bombs).
    TooManyPixels { width: u32, height: u32, max: u32 },
    /// Truncated or undecodable; the reason is for the server log.
    Damaged(String),
    /// A video whose codec browsers do not play (HEVC, say), named as a
    /// person would search for it ([`codec`]).
    Codec(String),
}

impl Refusal {
    /// The class of refusal, which the error table maps to a status.
    pub fn class(&self) -> crate::error::MediaRefusal {
        use crate::error::MediaRefusal as C;
        match self {
            Refusal::TooLarge { .. } => C::TooLarge,
            Refusal::Unsupported | Refusal::Markup | Refusal::Codec(_) => C::Unsupported,
            Refusal::Empty | Refusal::TooManyPixels { .. } | Refusal::Damaged(_) => C::Unusable,
        }
    }
}

/// A checked upload, ready for [`Store::stage`].
#[derive(Debug)]
pub enum Prepared {
    /// A cleaned image, in memory.
    Image(image::Processed),
    /// A checked video: the upload's own file is stored as it is.
    Video { format: Format, upload: Upload },
}

impl Prepared {
    /// Image or video.
    pub fn kind(&self) -> Kind {
        match self {
            Prepared::Image(_) => Kind::Image,
            Prepared::Video { .. } => Kind::Video,
        }
    }
}

/// The format of an upload from its magic bytes, so a handler can count
/// images and videos before any heavy work.
///
/// # Errors
/// `Empty` for zero bytes, `Unsupported` for any other type.
pub fn format_of(upload: &Upload) -> Result<Format, Refusal> {
    if upload.size == 0 {
        return Err(Refusal::Empty);
    }
    let mut head = vec![0u8; detect::SNIFF_LEN];
    let n = upload.file.as_file().read_at(&mut head, 0).map_err(|e| Refusal::Damaged(e.to_string()))?;
    sniff(&head[..n]).ok_or(Refusal::Unsupported)
}

/// Check an upload and make it ready to store (R2.2): type from magic bytes
/// only, size limit, no markup anywhere, structure complete (not
/// truncated), video codecs browsers play, image size from the header
/// before decoding, then for images
/// EXIF orientation applied, metadata removed and a thumbnail made.
///
/// # Errors
/// The [`Refusal`] that applies; nothing has been written anywhere.
pub fn prepare(upload: Upload, limits: &Limits) -> Result<Prepared, Refusal> {
    let format = format_of(&upload)?;
    let max = match format.kind() {
        Kind::Image => limits.image_max_bytes,
        Kind::Video => limits.video_max_bytes,
    };
    if upload.size > max {
        return Err(Refusal::TooLarge { size: upload.size, max });
    }
    let unreadable = |e: std::io::Error| Refusal::Damaged(format!("unreadable upload: {e}"));
    match format.kind() {
        Kind::Image => {
            let data = std::fs::read(upload.file.path()).map_err(unreadable)?;
            if detect::has_markup(&data) {
                return Err(Refusal::Markup);
            }
            Ok(Prepared::Image(image::process(format, &data, limits.image_max_side)?))
        }
        Kind::Video => {
            let file = upload.file.as_file();
            if detect::reader_has_markup(ReadAt(file, 0)).map_err(unreadable)? {
                return Err(Refusal::Markup);
            }
            match format {
                Format::Mp4 => detect::check_mp4(upload.size, |at, buf| file.read_at(buf, at))?,
                _ => {
                    let mut head = vec![0u8; detect::SNIFF_LEN];
                    let n = file.read_at(&mut head, 0).map_err(unreadable)?;
                    detect::check_webm(upload.size, &head[..n])?;
                }
            }
            let mut from_start = std::io::BufReader::new(file);
            std::io::Seek::rewind(&mut from_start).map_err(unreadable)?;
            codec::check(format, from_start, upload.size)?;
            Ok(Prepared::Video { format, upload })
        }
    }
}

/// Reads a file from an offset with positional reads, whatever its cursor.
struct ReadAt<'a>(&'a std::fs::File, u64);

impl std::io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read_at(buf, self.1)?;
        self.1 += n as u64;
        Ok(n)
    }
}
