//! What a file is, from its bytes only (R2.2): magic numbers, a walk over
//! the container's structure (so a truncated file is refused even by a
//! lenient decoder), and a scan for markup that would make it a polyglot.
//! Pure: no I/O beyond the reader handed in.

use super::Refusal;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Images or video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Video,
}

impl Kind {
    /// As stored in `attachments.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Video => "video",
        }
    }
}

/// The formats Plaza accepts (R2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
    Mp4,
    WebM,
}

impl Format {
    /// The `Content-Type` it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::WebP => "image/webp",
            Format::Mp4 => "video/mp4",
            Format::WebM => "video/webm",
        }
    }

    /// Image or video.
    pub fn kind(self) -> Kind {
        match self {
            Format::Mp4 | Format::WebM => Kind::Video,
            _ => Kind::Image,
        }
    }
}

/// Bytes [`sniff`] wants to see (more is fine, less may miss a WebM doctype).
pub const SNIFF_LEN: usize = 4096;

/// MP4 brands (ISO base media) that browsers play as `video/mp4`.
const MP4_BRANDS: &[&[u8; 4]] = &[
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso8", b"iso9", b"mp41", b"mp42", b"avc1", b"M4V ",
    b"dash", b"mmp4", b"MSNV", b"f4v ",
];
/// Brands of still-image files in the same container (HEIF, AVIF): not video.
const IMAGE_BRANDS: &[&[u8; 4]] = &[b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"];

/// The format of a file from its first bytes, or `None` for anything Plaza
/// does not take (SVG, HTML, scripts, QuickTime, HEIC, archives...).
pub fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else if head.len() >= 16 && &head[4..8] == b"ftyp" {
        let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let brands: Vec<&[u8]> = std::iter::once(&head[8..12])
            .chain(head.get(16..size.min(head.len())).unwrap_or(&[]).chunks_exact(4))
            .collect();
        let is = |list: &[&[u8; 4]], b: &[u8]| list.iter().any(|x| &x[..] == b);
        (size >= 16 && !is(IMAGE_BRANDS, brands[0]) && brands.iter().any(|b| is(MP4_BRANDS, b))).then_some(Format::Mp4)
    } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        (ebml_doctype(head).as_deref() == Some(b"webm".as_slice())).then_some(Format::WebM)
    } else {
        None
    }
}

/// An EBML variable-length integer at `b[0..]`: (value, length). With
/// `keep_marker` the length marker bit stays (element ids), otherwise it is
/// removed (sizes); an all-ones size means "unknown" and gives `u64::MAX`.
fn vint(b: &[u8], keep_marker: bool) -> Option<(u64, usize)> {
    let first = *b.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 || b.len() < len {
        return None;
    }
    let mut v = if keep_marker { first as u64 } else { (first as u64) & (0xFF >> len) };
    for &x in &b[1..len] {
        v = (v << 8) | x as u64;
    }
    if !keep_marker && v == (1u64 << (7 * len)) - 1 {
        v = u64::MAX;
    }
    Some((v, len))
}

/// The DocType of an EBML header (`webm`, `matroska`).
fn ebml_doctype(head: &[u8]) -> Option<Vec<u8>> {
    let (_, idl) = vint(head, true)?;
    let (size, sl) = vint(&head[idl..], false)?;
    let start = idl + sl;
    let end = start.checked_add(usize::try_from(size).ok()?)?.min(head.len());
    let mut i = start;
    while i < end {
        let (id, a) = vint(&head[i..], true)?;
        let (len, b) = vint(&head[i + a..], false)?;
        let data = i + a + b;
        let next = data.checked_add(usize::try_from(len).ok()?)?;
        if id == 0x4282 {
            return head.get(data..next).map(<[u8]>::to_vec);
        }
        i = next;
    }
    None
}

/// Markup that makes a file something a browser could run as a page or
/// script. Each pattern is long enough (six or more significant bytes) that
/// random compressed data holds it by chance about once in 10^5 files of
/// 100 MiB, so honest photos and videos are not refused.
const MARKUP: &[&str] = &[
    "<script",
    "<iframe",
    "<object",
    "<embed",
    "<!doctype",
    "<html>",
    "<html ",
    "<body>",
    "<body ",
    "<svg xmlns",
    "<svg onload",
    "<svg/onload",
    "<?xml ",
    "<?php ",
    "javascript:",
    "<meta http-equiv",
];

fn markup() -> &'static AhoCorasick {
    static M: OnceLock<AhoCorasick> = OnceLock::new();
    M.get_or_init(|| AhoCorasick::builder().ascii_case_insensitive(true).build(MARKUP).expect("fixed patterns compile"))
}

/// Does `data` hold HTML, SVG or script markup anywhere?
pub fn has_markup(data: &[u8]) -> bool {
    markup().is_match(data)
}

/// Does a reader hold markup anywhere? Reads it to the end in 1 MiB steps
/// (with an overlap, so a pattern across two steps is found).
pub fn reader_has_markup(mut r: impl std::io::Read) -> std::io::Result<bool> {
    const STEP: usize = 1 << 20;
    const KEEP: usize = 32;
    let mut buf = vec![0u8; STEP + KEEP];
    let mut kept = 0;
    loop {
        let n = r.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(false);
        }
        let filled = kept + n;
        if has_markup(&buf[..filled]) {
            return Ok(true);
        }
        kept = filled.min(KEEP);
        buf.copy_within(filled - kept..filled, 0);
    }
}

fn damaged(why: &str) -> Refusal {
    Refusal::Damaged(why.into())
}

/// Where a JPEG ends (just after its EOI marker), walking its segments and
/// the entropy-coded data of every scan.
///
/// # Errors
/// `Damaged` when it stops before EOI (truncated) or a segment is malformed.
pub fn jpeg_end(d: &[u8]) -> Result<usize, Refusal> {
    let mut i = 2;
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        if d.get(i) != Some(&0xFF) {
            return Err(damaged("JPEG: no marker where one must be, or the file is cut short"));
        }
        while d.get(i) == Some(&0xFF) {
            i += 1;
        }
        let m = *d.get(i).ok_or_else(|| damaged("JPEG: cut short"))?;
        i += 1;
        match m {
            0xD9 => return Ok(i),
            0x01 | 0xD0..=0xD7 => continue,
            0x00 => return Err(damaged("JPEG: stray 0xFF00")),
            _ => {
                let len = d.get(i..i + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize);
                let len = len.ok_or_else(|| damaged("JPEG: cut short in a segment header"))?;
                if len < 2 || i + len > d.len() {
                    return Err(damaged("JPEG: a segment runs past the end of the file"));
                }
                i += len;
                if m == 0xDA {
                    // Entropy-coded data: runs to the next marker that is not
                    // a stuffed 0xFF00 or a restart marker.
                    loop {
                        let at = i + memchr(0xFF, &d[i..]).ok_or_else(|| damaged("JPEG: cut short in image data"))?;
                        match d.get(at + 1) {
                            Some(0x00) | Some(0xD0..=0xD7) | Some(0xFF) => i = at + 1,
                            Some(_) => {
                                i = at;
                                break;
                            }
                            None => return Err(damaged("JPEG: cut short in image data")),
                        }
                    }
                }
            }
        }
    }
}

fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&x| x == b)
}

/// Where a PNG ends (after its IEND chunk).
///
/// # Errors
/// `Damaged` when a chunk runs past the end or there is no IEND.
pub fn png_end(d: &[u8]) -> Result<usize, Refusal> {
    let mut i = 8;
    while i + 8 <= d.len() {
        let len = u32::from_be_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]) as usize;
        let ty = &d[i + 4..i + 8];
        let next = i + 12 + len;
        if next > d.len() {
            break;
        }
        if ty == b"IEND" {
            return Ok(next);
        }
        i = next;
    }
    Err(damaged("PNG: cut short before its end chunk"))
}

/// Walk the top-level boxes of an MP4 of `len` bytes, reading box headers
/// through `read_at(offset, buf)`. Every box must end inside the file and a
/// `moov` box (the index a player needs) must be there.
///
/// # Errors
/// `Damaged` for a truncated file or one without `moov`.
pub fn check_mp4(len: u64, mut read_at: impl FnMut(u64, &mut [u8]) -> std::io::Result<usize>) -> Result<(), Refusal> {
    let mut at = 0u64;
    let mut moov = false;
    let mut boxes = 0;
    while at < len {
        boxes += 1;
        if boxes > 100_000 {
            return Err(damaged("MP4: too many boxes"));
        }
        let mut h = [0u8; 16];
        let n = read_at(at, &mut h).map_err(|_| damaged("MP4: unreadable"))?;
        if n < 8 {
            return Err(damaged("MP4: cut short in a box header"));
        }
        let size32 = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as u64;
        let size = match size32 {
            0 => len - at, // runs to the end of the file
            1 if n >= 16 => u64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]),
            1 => return Err(damaged("MP4: cut short in a box header")),
            s => s,
        };
        if size < 8 || at.checked_add(size).is_none_or(|end| end > len) {
            return Err(damaged("MP4: a box runs past the end of the file (cut short?)"));
        }
        moov |= &h[4..8] == b"moov";
        at += size;
    }
    if moov {
        Ok(())
    } else {
        Err(damaged("MP4: no moov box (the index a player needs)"))
    }
}

/// Check a WebM's top level: an EBML header, then a Segment that (when its
/// size is known) ends inside the file.
///
/// # Errors
/// `Damaged` for a truncated file.
pub fn check_webm(len: u64, head: &[u8]) -> Result<(), Refusal> {
    let cut = || damaged("WebM: cut short");
    let (_, a) = vint(head, true).ok_or_else(cut)?;
    let (hsize, b) = vint(&head[a..], false).ok_or_else(cut)?;
    let seg = (a + b) as u64 + hsize;
    let rest = head.get(usize::try_from(seg).map_err(|_| cut())?..).ok_or_else(cut)?;
    let (id, c) = vint(rest, true).ok_or_else(cut)?;
    if id != 0x1853_8067 {
        return Err(damaged("WebM: no Segment after the header"));
    }
    let (size, e) = vint(&rest[c..], false).ok_or_else(cut)?;
    if size != u64::MAX && seg + (c + e) as u64 + size > len {
        return Err(damaged("WebM: the segment runs past the end of the file (cut short?)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(sniff(b"GIF89a...."), Some(Format::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::WebP));
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0isomavc1"), Some(Format::Mp4));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"), None, "HEIC is an image format we do not take");
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "), None, "QuickTime");
        let webm = b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81\x04\x42\xF3\x81\x08\x42\x82\x84webm\x42\x87\x81\x02\x42\x85\x81\x02";
        assert_eq!(sniff(webm), Some(Format::WebM));
        let mkv = b"\x1A\x45\xDF\xA3\x8B\x42\x82\x88matroska";
        assert_eq!(sniff(mkv), None);
        for other in
            [&b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..], b"<!DOCTYPE html>", b"#!/bin/sh", b"PK\x03\x04", b""]
        {
            assert_eq!(sniff(other), None);
        }
    }

    #[test]
    fn markup_found_anywhere_any_case() {
        assert!(has_markup(b"\xFF\xD8\xFF\xFE\0\x10<ScRiPt>alert(1)"));
        assert!(has_markup(b"GIF89a.....<HTML><body onload=x>"));
        assert!(!has_markup(b"\xFF\xD8\xFF<b> <svg> <html"));
        let mut big = vec![0u8; (1 << 20) - 3];
        big.extend_from_slice(b"<script>");
        assert!(reader_has_markup(&big[..]).unwrap(), "found across a step boundary");
        assert!(!reader_has_markup(&vec![0u8; 3 << 20][..]).unwrap());
    }

    #[test]
    fn jpeg_walk() {
        let ok = b"\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xDA\x00\x02\x12\xFF\x00\x34\xFF\xD3\x56\xFF\xD9";
        assert_eq!(jpeg_end(ok).unwrap(), ok.len());
        assert!(jpeg_end(&ok[..ok.len() - 2]).is_err());
        assert!(jpeg_end(b"\xFF\xD8\xFF\xE0\x00\x40ab").is_err());
    }

    #[test]
    fn mp4_walk() {
        let mut f = b"\0\0\0\x10ftypisom\0\0\0\0".to_vec();
        f.extend_from_slice(b"\0\0\0\x08moov\0\0\0\x0cmdat1234");
        let rd = |f: &[u8], at: u64, buf: &mut [u8]| {
            let s = &f[(at as usize).min(f.len())..];
            let n = s.len().min(buf.len());
            buf[..n].copy_from_slice(&s[..n]);
            Ok(n)
        };
        assert!(check_mp4(f.len() as u64, |a, b| rd(&f, a, b)).is_ok());
        let cut = &f[..f.len() - 1];
        assert!(check_mp4(cut.len() as u64, |a, b| rd(cut, a, b)).is_err());
        let no_moov = &f[..16];
        assert!(check_mp4(16, |a, b| rd(no_moov, a, b)).is_err());
    }
}
