//! Image processing at upload (R2.2): size from the header before any pixel
//! is decoded, EXIF orientation applied, metadata removed, a thumbnail made
//! once.
//!
//! How each format loses its metadata:
//! - JPEG and PNG are decoded and encoded again (JPEG quality 90): nothing
//!   of the original file but its pixels survives, so no EXIF, GPS, XMP,
//!   IPTC, comments, ICC profile or trailing data (a "motion photo" video
//!   appended after the JPEG is dropped too).
//! - GIF is *not* re-encoded: that would mean quantising every frame again
//!   and losing timing or transparency. Its container is rebuilt instead,
//!   block by block: image frames, their graphic-control blocks and the
//!   looping block are copied; comments, plain-text blocks, XMP and every
//!   other application block, and anything after the trailer are dropped.
//!   GIF has no EXIF, so nothing else can carry a location.
//! - WebP is rebuilt the same way (it may be animated, and re-encoding a
//!   lossy photo losslessly would triple it): only VP8X, ANIM, ANMF, ALPH,
//!   VP8 and VP8L chunks are kept; EXIF, XMP, ICCP and unknown chunks are
//!   dropped and the VP8X flags cleared to match. A still WebP whose EXIF
//!   asks for a rotation is decoded, rotated and encoded losslessly instead.
//!
//! Decoding is the memory-hungry step (an 8000 x 8000 image is 256 MB of
//! RGBA), so at most [`MAX_PARALLEL`] images are decoded at once.

use super::detect::{self, Format};
use super::{Refusal, THUMB_SIDE};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;
use std::sync::{Condvar, Mutex};

/// Most images decoded at the same time, whatever the number of workers.
pub const MAX_PARALLEL: usize = 2;

/// An image ready to store: the bytes served, their size and a thumbnail.
#[derive(Debug, Clone)]
pub struct Processed {
    pub format: Format,
    pub bytes: Vec<u8>,
    /// Upright width and height in pixels (after the EXIF rotation).
    pub width: u32,
    pub height: u32,
    /// Frames: more than 1 for an animation.
    pub frames: u32,
    /// A still (first frame) at most [`THUMB_SIDE`] on its long side, when
    /// the image is larger than that.
    pub thumb: Option<(Format, Vec<u8>)>,
}

/// A counting semaphore over image decoding.
struct Gate {
    busy: Mutex<usize>,
    freed: Condvar,
}

static GATE: Gate = Gate { busy: Mutex::new(0), freed: Condvar::new() };

struct Permit;

impl Gate {
    fn enter(&'static self) -> Permit {
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        while *busy >= MAX_PARALLEL {
            busy = self.freed.wait(busy).unwrap_or_else(|p| p.into_inner());
        }
        *busy += 1;
        Permit
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        *GATE.busy.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        GATE.freed.notify_one();
    }
}

fn damaged(e: impl std::fmt::Display) -> Refusal {
    Refusal::Damaged(e.to_string())
}

/// Decoder limits: no side above `max_side`, no allocation above what the
/// largest allowed image needs (16-bit RGBA, plus a rotated copy).
fn limits(max_side: u32) -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(max_side);
    l.max_image_height = Some(max_side);
    l.max_alloc = Some((max_side as u64 * max_side as u64 * 8 * 2).max(64 << 20));
    l
}

fn image_format(f: Format) -> ImageFormat {
    match f {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Gif => ImageFormat::Gif,
        _ => ImageFormat::WebP,
    }
}

fn check_side(width: u32, height: u32, max_side: u32) -> Result<(), Refusal> {
    if width == 0 || height == 0 {
        return Err(Refusal::Damaged("the image has no pixels".into()));
    }
    if width > max_side || height > max_side {
        return Err(Refusal::TooManyPixels { width, height, max: max_side });
    }
    Ok(())
}

/// Check, clean and thumbnail an image of `format` (already sniffed).
///
/// # Errors
/// `TooManyPixels` from the header alone, `Damaged` for a truncated or
/// undecodable file.
pub fn process(format: Format, data: &[u8], max_side: u32) -> Result<Processed, Refusal> {
    // The header first: no pixel is decoded for an image that is too big.
    let reader = ImageReader::with_format(Cursor::new(data), image_format(format));
    let (w, h) = reader.into_dimensions().map_err(damaged)?;
    check_side(w, h, max_side)?;
    let _permit = GATE.enter();
    match format {
        Format::Jpeg => {
            detect::jpeg_end(data)?;
            reencode(format, data, max_side)
        }
        Format::Png => {
            detect::png_end(data)?;
            reencode(format, data, max_side)
        }
        Format::Gif => gif(data, max_side),
        Format::WebP => webp(data, max_side),
        Format::Mp4 | Format::WebM => Err(Refusal::Unsupported),
    }
}

fn decoder(format: Format, data: &[u8], max_side: u32) -> Result<impl ImageDecoder + '_, Refusal> {
    let mut reader = ImageReader::with_format(Cursor::new(data), image_format(format));
    reader.limits(limits(max_side));
    reader.into_decoder().map_err(damaged)
}

/// Decode, turn upright, encode again in the same format with no metadata.
fn reencode(format: Format, data: &[u8], max_side: u32) -> Result<Processed, Refusal> {
    let mut dec = decoder(format, data, max_side)?;
    let orientation = dec.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(dec).map_err(damaged)?;
    img.apply_orientation(orientation);
    let bytes = encode(&img, format)?;
    Ok(Processed { format, width: img.width(), height: img.height(), frames: 1, thumb: thumbnail(&img)?, bytes })
}

fn encode(img: &DynamicImage, format: Format) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    let r = match format {
        Format::Jpeg => return jpeg(img, 90),
        Format::Png => img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)),
        _ => img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out)),
    };
    r.map_err(|e| Refusal::Damaged(format!("cannot encode: {e}")))?;
    Ok(out)
}

/// Encode a JPEG with `jpeg-encoder` (SIMD), about four times faster than
/// the `image` crate's encoder on a 12-megapixel photo. Writes no metadata.
fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, Refusal> {
    let (w, h) = (
        u16::try_from(img.width()).map_err(|_| Refusal::Damaged("too wide for JPEG".into()))?,
        u16::try_from(img.height()).map_err(|_| Refusal::Damaged("too tall for JPEG".into()))?,
    );
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, quality);
    let r = match img {
        DynamicImage::ImageLuma8(g) => enc.encode(g.as_raw(), w, h, jpeg_encoder::ColorType::Luma),
        DynamicImage::ImageRgb8(rgb) => enc.encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb),
        other if !other.color().has_color() => {
            enc.encode(other.to_luma8().as_raw(), w, h, jpeg_encoder::ColorType::Luma)
        }
        other => enc.encode(other.to_rgb8().as_raw(), w, h, jpeg_encoder::ColorType::Rgb),
    };
    r.map_err(|e| Refusal::Damaged(format!("cannot encode: {e}")))?;
    Ok(out)
}

/// A still at most [`THUMB_SIDE`] on its long side: JPEG, or PNG when the
/// image has transparency. `None` when the image is already that small.
fn thumbnail(img: &DynamicImage) -> Result<Option<(Format, Vec<u8>)>, Refusal> {
    if img.width().max(img.height()) <= THUMB_SIDE {
        return Ok(None);
    }
    let small = img.thumbnail(THUMB_SIDE, THUMB_SIDE);
    if !small.color().has_alpha() {
        return Ok(Some((Format::Jpeg, jpeg(&small, 80)?)));
    }
    let mut out = Vec::new();
    small
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
        .map_err(|e| Refusal::Damaged(format!("cannot make a thumbnail: {e}")))?;
    Ok(Some((Format::Png, out)))
}

/// A GIF, rebuilt without metadata blocks (see the module doc).
fn gif(data: &[u8], max_side: u32) -> Result<Processed, Refusal> {
    let cleaned = clean_gif(data, max_side)?;
    let mut dec = image::codecs::gif::GifDecoder::new(Cursor::new(&cleaned.bytes[..])).map_err(damaged)?;
    dec.set_limits(limits(max_side)).map_err(damaged)?;
    let first = image::AnimationDecoder::into_frames(dec).next().ok_or_else(|| damaged("GIF: no frame"))?;
    let first = DynamicImage::ImageRgba8(first.map_err(damaged)?.into_buffer());
    Ok(Processed {
        format: Format::Gif,
        width: cleaned.width,
        height: cleaned.height,
        frames: cleaned.frames,
        thumb: thumbnail(&first)?,
        bytes: cleaned.bytes,
    })
}

/// A rebuilt GIF.
#[derive(Debug)]
pub struct CleanGif {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub frames: u32,
}

/// Copy a GIF block by block, keeping only what draws it (see the module doc).
///
/// # Errors
/// `Damaged` when it is cut short or malformed; `TooManyPixels` when a frame
/// is larger than allowed.
pub fn clean_gif(d: &[u8], max_side: u32) -> Result<CleanGif, Refusal> {
    let cut = || damaged("GIF: cut short");
    let le = |i: usize| -> Result<u32, Refusal> {
        d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u32).ok_or_else(cut)
    };
    let (width, height) = (le(6)?, le(8)?);
    check_side(width, height, max_side)?;
    let packed = *d.get(10).ok_or_else(cut)?;
    let mut i = 13 + if packed & 0x80 != 0 { 3 << ((packed & 7) + 1) } else { 0 };
    if i > d.len() {
        return Err(cut());
    }
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&d[6..i]);
    // The data sub-blocks starting at `at`: returns where they end (after the 0 terminator).
    let sub_blocks = |mut at: usize| -> Result<usize, Refusal> {
        loop {
            let n = *d.get(at).ok_or_else(cut)? as usize;
            at += 1 + n;
            if n == 0 {
                return if at <= d.len() { Ok(at) } else { Err(cut()) };
            }
        }
    };
    let mut frames = 0;
    loop {
        match d.get(i) {
            // A GIF that simply stops after a complete block is accepted; a trailer is added.
            None => break,
            Some(0x3B) => break,
            Some(0x2C) => {
                let (fw, fh) = (le(i + 5)?, le(i + 7)?);
                check_side(fw.max(1), fh.max(1), max_side)?;
                let fpacked = *d.get(i + 9).ok_or_else(cut)?;
                let lct = if fpacked & 0x80 != 0 { 3 << ((fpacked & 7) + 1) } else { 0 };
                let data_at = i + 10 + lct + 1; // + LZW minimum code size
                let end = sub_blocks(data_at)?;
                out.extend_from_slice(&d[i..end]);
                frames += 1;
                i = end;
            }
            Some(0x21) => {
                let label = *d.get(i + 1).ok_or_else(cut)?;
                let end = sub_blocks(i + 2)?;
                let keep = match label {
                    0xF9 => true,
                    0xFF => matches!(d.get(i + 2..i + 14), Some(b"\x0BNETSCAPE2.0") | Some(b"\x0BANIMEXTS1.0")),
                    _ => false, // comments (0xFE), plain text (0x01), anything else
                };
                if keep {
                    out.extend_from_slice(&d[i..end]);
                }
                i = end;
            }
            Some(_) => return Err(damaged("GIF: unknown block")),
        }
    }
    if frames == 0 {
        return Err(damaged("GIF: no frame"));
    }
    out.push(0x3B);
    Ok(CleanGif { bytes: out, width, height, frames })
}

/// VP8X flags.
const VP8X_ICC: u8 = 0x20;
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;
const VP8X_ANIMATION: u8 = 0x02;

/// A WebP, rebuilt without metadata chunks, or decoded and rotated when its
/// EXIF asks for it (see the module doc).
fn webp(data: &[u8], max_side: u32) -> Result<Processed, Refusal> {
    let (cleaned, animated) = clean_webp(data)?;
    let mut dec = decoder(Format::WebP, data, max_side)?;
    let orientation = dec.orientation().unwrap_or(Orientation::NoTransforms);
    let mut first = DynamicImage::from_decoder(dec).map_err(damaged)?;
    if !animated && orientation != Orientation::NoTransforms {
        first.apply_orientation(orientation);
        let bytes = encode(&first, Format::WebP)?;
        return Ok(Processed {
            format: Format::WebP,
            width: first.width(),
            height: first.height(),
            frames: 1,
            thumb: thumbnail(&first)?,
            bytes,
        });
    }
    let frames = if animated { count_chunks(&cleaned, b"ANMF").max(1) } else { 1 };
    Ok(Processed {
        format: Format::WebP,
        width: first.width(),
        height: first.height(),
        frames,
        thumb: thumbnail(&first)?,
        bytes: cleaned,
    })
}

fn count_chunks(riff: &[u8], fourcc: &[u8; 4]) -> u32 {
    let mut n = 0;
    let mut i = 12;
    while i + 8 <= riff.len() {
        let len = u32::from_le_bytes([riff[i + 4], riff[i + 5], riff[i + 6], riff[i + 7]]) as usize;
        if &riff[i..i + 4] == fourcc {
            n += 1;
        }
        i += 8 + len + (len & 1);
    }
    n
}

/// Copy a WebP keeping only the chunks that draw it; returns the bytes and
/// whether it is animated.
///
/// # Errors
/// `Damaged` when the RIFF container is cut short or malformed.
pub fn clean_webp(d: &[u8]) -> Result<(Vec<u8>, bool), Refusal> {
    let cut = || damaged("WebP: cut short");
    let riff = d.get(4..8).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize).ok_or_else(cut)?;
    let end = riff.checked_add(8).ok_or_else(cut)?;
    if end > d.len() || riff < 4 {
        return Err(cut());
    }
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let mut i = 12;
    let mut animated = false;
    let mut image_chunks = 0;
    while i < end {
        let head = d.get(i..i + 8).filter(|_| i + 8 <= end).ok_or_else(cut)?;
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let next = i + 8 + len + (len & 1);
        if i + 8 + len > end {
            return Err(cut());
        }
        let fourcc: [u8; 4] = head[..4].try_into().unwrap_or_default();
        match &fourcc {
            b"VP8X" => {
                let mut chunk = d[i..i + 8 + len].to_vec();
                if len < 10 {
                    return Err(damaged("WebP: short VP8X chunk"));
                }
                animated = chunk[8] & VP8X_ANIMATION != 0;
                chunk[8] &= !(VP8X_ICC | VP8X_EXIF | VP8X_XMP);
                out.extend_from_slice(&chunk);
            }
            b"ANIM" | b"ANMF" | b"ALPH" | b"VP8 " | b"VP8L" => {
                out.extend_from_slice(&d[i..(i + 8 + len)]);
                image_chunks += u32::from(&fourcc != b"ANIM");
            }
            _ => {} // EXIF, XMP , ICCP and unknown chunks
        }
        if len & 1 == 1 && matches!(&fourcc, b"VP8X" | b"ANIM" | b"ANMF" | b"ALPH" | b"VP8 " | b"VP8L") {
            out.push(0);
        }
        i = next;
    }
    if image_chunks == 0 {
        return Err(damaged("WebP: no image data"));
    }
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok((out, animated))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2-frame looping GIF from the encoder, with a comment and an XMP
    /// block slipped in after the colour table and junk after the trailer.
    fn gif_bytes() -> Vec<u8> {
        let mut g = Vec::new();
        {
            let mut enc = image::codecs::gif::GifEncoder::new(&mut g);
            enc.set_repeat(image::codecs::gif::Repeat::Infinite).unwrap();
            let frames = [[255u8, 0, 0, 255], [0, 0, 255, 255]]
                .map(|px| image::Frame::new(image::RgbaImage::from_pixel(2, 1, image::Rgba(px))));
            enc.encode_frames(frames).unwrap();
        }
        let packed = g[10];
        let at = 13 + if packed & 0x80 != 0 { 3 << ((packed & 7) + 1) } else { 0 };
        let mut extra = b"\x21\xFE\x09secret gp\x00".to_vec();
        extra.extend_from_slice(b"\x21\xFF\x0BXMP DataXMP\x04<x/>\x00");
        g.splice(at..at, extra);
        g.extend_from_slice(b"trailing junk");
        g
    }

    #[test]
    fn gif_keeps_frames_drops_metadata() {
        let c = clean_gif(&gif_bytes(), 100).unwrap();
        assert_eq!((c.width, c.height, c.frames), (2, 1, 2));
        let s = String::from_utf8_lossy(&c.bytes);
        assert!(s.contains("NETSCAPE2.0"));
        assert!(!s.contains("secret") && !s.contains("XMP") && !s.contains("junk"), "{s}");
        assert_eq!(*c.bytes.last().unwrap(), 0x3B);
        let p = gif(&gif_bytes(), 100).unwrap();
        assert_eq!(p.frames, 2);
        let g = gif_bytes();
        assert!(matches!(clean_gif(&g[..g.len() - 30], 100), Err(Refusal::Damaged(_))));
        assert!(matches!(clean_gif(&g, 1), Err(Refusal::TooManyPixels { .. })));
    }

    #[test]
    fn webp_drops_metadata_chunks() {
        let img = DynamicImage::new_rgb8(3, 2);
        let mut vp8l = Vec::new();
        img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut vp8l)).unwrap();
        // Wrap its VP8L chunk in an extended file with EXIF and XMP.
        let inner = &vp8l[12..];
        let mut body = b"WEBP".to_vec();
        body.extend_from_slice(b"VP8X\x0a\x00\x00\x00\x0c\x00\x00\x00\x02\x00\x00\x01\x00\x00");
        body.extend_from_slice(inner);
        body.extend_from_slice(b"EXIF\x05\x00\x00\x00GPS!!\x00XMP \x02\x00\x00\x00<x");
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);
        let (clean, animated) = clean_webp(&file).unwrap();
        assert!(!animated);
        let s = String::from_utf8_lossy(&clean);
        assert!(!s.contains("GPS") && !s.contains("EXIF") && !s.contains("XMP"), "{s}");
        assert_eq!(clean[20] & (VP8X_EXIF | VP8X_XMP), 0);
        let p = webp(&file, 100).unwrap();
        assert_eq!((p.width, p.height, p.format), (3, 2, Format::WebP));
        assert!(matches!(clean_webp(&file[..file.len() - 10]), Err(Refusal::Damaged(_))));
    }
}
