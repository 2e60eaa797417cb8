//! Which codecs a video carries, read from its container by maintained
//! parsers (`re_mp4` for MP4 sample entries, `matroska-demuxer` for WebM
//! tracks), and whether browsers play them (R2.2): a video stored as
//! `video/mp4` that no browser can decode is refused at upload, with a
//! message naming the codec.
//!
//! Played everywhere that matters (Chrome, Edge, Firefox, Safari): video
//! H.264/AVC, VP8, VP9, AV1; audio AAC, MP3, Opus, and in WebM also Vorbis
//! (WebM's older audio). Refused: HEVC/H.265 (most browsers cannot play
//! it without a licence), MPEG-4 Part 2, AC-3, FLAC, ALAC, PCM, anything
//! unknown. Subtitle, timecode and metadata tracks are ignored.

use super::{Format, Refusal};
use std::io::{Read, Seek};

/// A codec of one track, in the words a person searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec {
    /// `H.264/AVC`, `HEVC/H.265`, `Opus`, or the container's own code for
    /// one this table does not know (`mp4v`, `A_FLAC`).
    pub name: String,
    /// Do browsers play it?
    pub playable: bool,
}

/// The first video or audio codec of `file` browsers cannot play, if any.
///
/// # Errors
/// `Damaged` when the container cannot be parsed, `Codec` naming the
/// first codec browsers do not play, or `Damaged` for a video with no
/// video track.
pub fn check<R: Read + Seek>(format: Format, file: R, len: u64) -> Result<(), Refusal> {
    let codecs = match format {
        Format::Mp4 => mp4_codecs(file, len)?,
        Format::WebM => webm_codecs(file)?,
        _ => return Ok(()),
    };
    if let Some(c) = codecs.iter().find(|c| !c.playable) {
        return Err(Refusal::Codec(c.name.clone()));
    }
    if codecs.is_empty() {
        return Err(Refusal::Damaged("no video or audio track".into()));
    }
    Ok(())
}

fn known(name: &str, playable: bool) -> Codec {
    Codec { name: name.into(), playable }
}

/// The codecs of an MP4's video and audio tracks, from their sample entries.
fn mp4_codecs<R: Read + Seek>(file: R, len: u64) -> Result<Vec<Codec>, Refusal> {
    use re_mp4::StsdBoxContent as S;
    let mp4 = re_mp4::Mp4::read(file, len).map_err(|e| Refusal::Damaged(format!("MP4: {e}")))?;
    let mut out = Vec::new();
    for trak in &mp4.moov.traks {
        let handler = trak.mdia.hdlr.handler_type.to_string();
        if handler != "vide" && handler != "soun" {
            continue;
        }
        out.push(match &trak.mdia.minf.stbl.stsd.contents {
            S::Avc1(_) => known("H.264/AVC", true),
            S::Vp08(_) => known("VP8", true),
            S::Vp09(_) => known("VP9", true),
            S::Av01(_) => known("AV1", true),
            S::Hvc1(_) | S::Hev1(_) => known("HEVC/H.265", false),
            S::Mp4a(a) => {
                // The object type says what MPEG-4 audio carries (ISO/IEC
                // 14496-1 table 5): AAC (0x40, MPEG-2 AAC 0x66-0x68) or MP3
                // (0x69, 0x6B).
                match a.esds.as_ref().map(|e| e.es_desc.dec_config.object_type_indication) {
                    Some(0x40 | 0x66..=0x68) => known("AAC", true),
                    Some(0x69 | 0x6B) => known("MP3", true),
                    Some(t) => known(&format!("MPEG-4 audio type 0x{t:02X}"), false),
                    None => known("AAC", true),
                }
            }
            S::Tx3g(_) => continue,
            S::Unknown(fourcc) => match fourcc.to_string().as_str() {
                "avc3" => known("H.264/AVC", true),
                "Opus" => known("Opus", true),
                ".mp3" => known("MP3", true),
                "hvc1" | "hev1" | "dvh1" | "dvhe" => known("HEVC/H.265", false),
                "mp4v" => known("MPEG-4 Part 2", false),
                "ac-3" | "ec-3" => known("AC-3", false),
                "fLaC" => known("FLAC", false),
                "alac" => known("ALAC", false),
                other => known(other.trim(), false),
            },
        });
    }
    Ok(out)
}

/// The codecs of a WebM's video and audio tracks, from their codec ids.
fn webm_codecs<R: Read + Seek>(file: R) -> Result<Vec<Codec>, Refusal> {
    use matroska_demuxer::TrackType;
    let mkv = matroska_demuxer::MatroskaFile::open(file).map_err(|e| Refusal::Damaged(format!("WebM: {e}")))?;
    let mut out = Vec::new();
    for t in mkv.tracks() {
        if !matches!(t.track_type(), TrackType::Video | TrackType::Audio) {
            continue;
        }
        out.push(match t.codec_id() {
            "V_VP8" => known("VP8", true),
            "V_VP9" => known("VP9", true),
            "V_AV1" => known("AV1", true),
            "A_OPUS" => known("Opus", true),
            "A_VORBIS" => known("Vorbis", true),
            "V_MPEGH/ISO/HEVC" => known("HEVC/H.265", false),
            "V_MPEG4/ISO/AVC" => known("H.264/AVC in WebM", false),
            other => known(other, false),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codecs(name: &str) -> Vec<Codec> {
        let path = format!("{}/tests/fixtures/video/{name}", env!("CARGO_MANIFEST_DIR"));
        let f = std::fs::File::open(&path).unwrap();
        let len = f.metadata().unwrap().len();
        if name.ends_with(".mp4") {
            mp4_codecs(std::io::BufReader::new(f), len).unwrap()
        } else {
            webm_codecs(std::io::BufReader::new(f)).unwrap()
        }
    }

    fn names(name: &str) -> Vec<(String, bool)> {
        codecs(name).into_iter().map(|c| (c.name, c.playable)).collect()
    }

    #[test]
    fn codecs_are_read_from_the_container() {
        let s = |n: &str, p: bool| (n.to_string(), p);
        assert_eq!(names("h264-aac.mp4"), vec![s("H.264/AVC", true), s("AAC", true)]);
        assert_eq!(names("av1-opus.mp4"), vec![s("AV1", true), s("Opus", true)]);
        assert_eq!(names("vp9-opus.webm"), vec![s("VP9", true), s("Opus", true)]);
        assert_eq!(names("vp8.webm"), vec![s("VP8", true)]);
        assert_eq!(names("hevc-aac.mp4"), vec![s("HEVC/H.265", false), s("AAC", true)]);
        assert_eq!(names("h264-flac.mp4"), vec![s("H.264/AVC", true), s("FLAC", false)]);
        assert_eq!(names("mpeg4-part2.mp4"), vec![s("MPEG-4 Part 2", false)]);
    }

    #[test]
    fn the_first_unplayable_codec_is_named() {
        let check_file = |name: &str, format| {
            let path = format!("{}/tests/fixtures/video/{name}", env!("CARGO_MANIFEST_DIR"));
            let f = std::fs::File::open(&path).unwrap();
            let len = f.metadata().unwrap().len();
            check(format, std::io::BufReader::new(f), len)
        };
        assert!(check_file("h264-aac.mp4", Format::Mp4).is_ok());
        assert!(check_file("vp9-opus.webm", Format::WebM).is_ok());
        assert!(matches!(check_file("hevc-aac.mp4", Format::Mp4), Err(Refusal::Codec(c)) if c == "HEVC/H.265"));
        // A container that is not what it claims: damaged, not a crash.
        assert!(matches!(check_file("vp8.webm", Format::Mp4), Err(Refusal::Damaged(_))));
        assert!(matches!(check_file("h264-aac.mp4", Format::WebM), Err(Refusal::Damaged(_))));
    }
}
