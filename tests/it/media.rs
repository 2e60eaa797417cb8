//! Images and video in posts and avatars (R2.2): what is accepted, what is
//! refused (and leaves nothing behind), what is served to whom, byte ranges,
//! deletion and garbage collection. Every file is made here, in the test.

use crate::common::exif::exif_app1;
use crate::common::{id_from, Client, Server};
use image::{DynamicImage, ImageEncoder, Rgba, RgbaImage};
use rusqlite::Connection;
use std::path::Path;

// ---------------------------------------------------------------- fixtures

/// A `w` x `h` image: left half red, right half blue.
fn halves(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 255, 255])
        }
    }))
}

fn encode(img: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let img = if format == image::ImageFormat::Jpeg { DynamicImage::ImageRgb8(img.to_rgb8()) } else { img.clone() };
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A 40x20 JPEG (red left, blue right) carrying EXIF orientation 6 and GPS.
fn jpeg_with_exif() -> Vec<u8> {
    let mut j = encode(&halves(40, 20), image::ImageFormat::Jpeg);
    j.splice(2..2, exif_app1(6));
    j
}

/// A JPEG with a comment segment holding `text`.
fn jpeg_with_comment(text: &str) -> Vec<u8> {
    let mut j = encode(&halves(16, 16), image::ImageFormat::Jpeg);
    let mut seg = vec![0xFF, 0xFE];
    seg.extend_from_slice(&((text.len() + 2) as u16).to_be_bytes());
    seg.extend_from_slice(text.as_bytes());
    j.splice(2..2, seg);
    j
}

fn png(w: u32, h: u32) -> Vec<u8> {
    encode(&halves(w, h), image::ImageFormat::Png)
}

/// A 3-frame looping GIF.
fn animated_gif() -> Vec<u8> {
    let mut g = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut g);
        enc.set_repeat(image::codecs::gif::Repeat::Infinite).unwrap();
        let frames = [[255u8, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]].map(|px| {
            image::Frame::from_parts(
                RgbaImage::from_pixel(8, 8, Rgba(px)),
                0,
                0,
                image::Delay::from_numer_denom_ms(100, 1),
            )
        });
        enc.encode_frames(frames).unwrap();
    }
    g
}

fn webp() -> Vec<u8> {
    let mut out = Vec::new();
    let img = halves(12, 6).to_rgba8();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(&img, 12, 6, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// A real MP4 (H.264 video, AAC audio, `tests/fixtures/video/`, made by
/// `scripts/make-video-fixtures.py`) followed by a 1,200-byte `free` box
/// with a pattern, so byte ranges have room.
fn mp4() -> Vec<u8> {
    let mut v = include_bytes!("../fixtures/video/h264-aac.mp4").to_vec();
    v.extend_from_slice(&1208u32.to_be_bytes());
    v.extend_from_slice(b"free");
    v.extend((0..1200u32).map(|i| (i * 7 % 251) as u8));
    v
}

/// A real WebM (VP9 video, Opus audio).
fn webm() -> Vec<u8> {
    include_bytes!("../fixtures/video/vp9-opus.webm").to_vec()
}

/// Issue 16: the codec is read from the container; what browsers play is
/// taken, the rest refused with a message naming the codec and the file,
/// leaving nothing behind (R2.2).
#[test]
fn video_codecs_browsers_cannot_play_are_refused_by_name() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let fixture =
        |name: &str| std::fs::read(format!("{}/tests/fixtures/video/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for ok in ["h264-aac.mp4", "av1-opus.mp4", "vp9-opus.webm", "vp8.webm"] {
        let p = post_media(&alice, ok, "public", &[(ok, &fixture(ok))], &[]);
        assert_eq!(p.status, 303, "{ok}: {}", p.body);
    }
    let before = media_files(s.data.path()).len();
    for (bad, codec) in
        [("hevc-aac.mp4", "HEVC/H.265"), ("h264-flac.mp4", "FLAC"), ("mpeg4-part2.mp4", "MPEG-4 Part 2")]
    {
        let p = post_media(&alice, bad, "public", &[(bad, &fixture(bad))], &[]);
        assert_eq!(p.status, 415, "{bad}: {}", p.body);
        assert!(
            p.has(bad) && p.has(codec) && p.has("H.264"),
            "{bad}: the message names the file, {codec} and what to use: {}",
            p.body
        );
    }
    assert_eq!(media_files(s.data.path()).len(), before, "nothing stored for the refused files");
    assert_eq!(count(&s, "SELECT count(*) FROM posts WHERE body LIKE '%.mp4'"), 2);
}

// ---------------------------------------------------------------- helpers

fn db(s: &Server) -> Connection {
    Connection::open(s.db_path()).unwrap()
}

fn count(s: &Server, sql: &str) -> i64 {
    db(s).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every regular file under `DATA/media/` (temporary ones included).
fn media_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("media")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

/// The (sha256, alt, mime, width, height, frames, thumb) rows of a post.
#[allow(clippy::type_complexity)]
fn rows(s: &Server, post: i64) -> Vec<(String, String, String, Option<i64>, Option<i64>, i64, Option<String>)> {
    let c = db(s);
    let mut stmt = c
        .prepare(
            "SELECT sha256, alt, mime, width, height, frames, thumb_sha256 FROM attachments WHERE post_id = ?1 ORDER BY position",
        )
        .unwrap();
    stmt.query_map([post], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Sign up and switch to English messages.
fn member(s: &Server, name: &str) -> Client {
    let c = s.client();
    c.signup(name);
    c.get("/?lang=en");
    c
}

fn post_media(c: &Client, body: &str, vis: &str, files: &[(&str, &[u8])], alts: &[&str]) -> crate::common::Page {
    let mut fields = vec![("body", body), ("visibility", vis)];
    fields.extend(alts.iter().map(|a| ("alt", *a)));
    let files: Vec<(&str, &str, &[u8])> = files.iter().map(|(n, d)| ("media", *n, *d)).collect();
    c.post_multipart("/posts", &fields, &files)
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

// ---------------------------------------------------------------- tests

/// R2.2: a phone photo with EXIF orientation 6 and a GPS position is served
/// upright, as JPEG, with no EXIF at all; the row records what was stored.
#[test]
fn jpeg_is_rotated_and_loses_exif_and_gps() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let photo = jpeg_with_exif();
    assert!(photo.windows(4).any(|w| w == b"Exif"));
    let p = post_media(&alice, "Beijing #photo#", "public", &[("IMG_0001.jpg", &photo)], &["A red and blue card"]);
    assert_eq!(p.status, 303, "{}", p.body);
    let id = id_from(p.location.as_deref().unwrap());
    let r = rows(&s, id);
    assert_eq!(r.len(), 1);
    let (hash, alt, mime, w, h, frames, thumb) = r[0].clone();
    assert_eq!(
        (alt.as_str(), mime.as_str(), w, h, frames, thumb),
        ("A red and blue card", "image/jpeg", Some(20), Some(40), 1, None)
    );

    let anon = s.client();
    let got = anon.get_raw(&format!("/media/{hash}"), &[]);
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("image/jpeg"));
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(got.header("etag"), Some(format!("\"{hash}\"").as_str()));
    assert!(got.header("cache-control").unwrap().contains("max-age=31536000"));
    assert_eq!(sha256_hex(&got.body), hash, "content-addressed");
    assert!(!got.body.windows(4).any(|w| w == b"Exif"), "no EXIF left");
    assert!(!got.body.windows(2).any(|w| w == [0xFF, 0xE1]), "no APP1 segment");
    let img = image::load_from_memory_with_format(&got.body, image::ImageFormat::Jpeg).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (20, 40), "rotated: width and height swapped");
    let (top, bottom) = (img.get_pixel(10, 5), img.get_pixel(10, 35));
    assert!(top[0] > 200 && top[2] < 60, "the red left half is now on top: {top:?}");
    assert!(bottom[2] > 200 && bottom[0] < 60, "blue below: {bottom:?}");

    // The thumbnail of a small image is the image itself.
    let t = anon.get_raw(&format!("/media/{hash}/thumb"), &[]);
    assert_eq!((t.status, t.body.len()), (200, got.body.len()));
    // Cached copies are revalidated with the ETag.
    let again = anon.get_raw(&format!("/media/{hash}"), &[("If-None-Match", &format!("\"{hash}\""))]);
    assert_eq!((again.status, again.body.len()), (304, 0));

    // The post page shows the thumbnail linking to the full image, with its alt text.
    let page = anon.get(&format!("/posts/{id}"));
    assert!(page.has(&format!("href=\"/media/{hash}\"")), "{}", page.body);
    assert!(page.has(&format!("src=\"/media/{hash}/thumb\"")));
    assert!(page.has("alt=\"A red and blue card\""));
    assert!(anon.get("/public").has(&format!("/media/{hash}/thumb")), "timelines show it too");
}

/// R2.2: PNG (with a thumbnail when large), animated GIF (still animated,
/// shown itself in the grid) and WebP are accepted with the right types.
#[test]
fn png_gif_and_webp_are_accepted() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let (big_png, gif, wp) = (png(1300, 20), animated_gif(), webp());
    let p = post_media(
        &alice,
        "",
        "public",
        &[("wide.png", &big_png), ("anim.gif", &gif), ("x.webp", &wp)],
        &["wide\nmoving\nsmall"],
    );
    assert_eq!(p.status, 303, "an image-only post needs no text: {}", p.body);
    let id = id_from(p.location.as_deref().unwrap());
    let r = rows(&s, id);
    let summary: Vec<_> = r.iter().map(|x| (x.1.as_str(), x.2.as_str(), x.3, x.4, x.5)).collect();
    assert_eq!(
        summary,
        vec![
            ("wide", "image/png", Some(1300), Some(20), 1),
            ("moving", "image/gif", Some(8), Some(8), 3),
            ("small", "image/webp", Some(12), Some(6), 1),
        ],
        "alt lines pair with files in order"
    );
    let anon = s.client();
    let fetch = |h: &str, suffix: &str| anon.get_raw(&format!("/media/{h}{suffix}"), &[]);

    let png_thumb = r[0].6.clone().expect("a 1300 px image gets a thumbnail");
    let t = fetch(&r[0].0, "/thumb");
    assert_eq!(t.header("content-type"), Some("image/png"), "transparency-capable source -> PNG thumb");
    assert_eq!(sha256_hex(&t.body), png_thumb);
    let thumb = image::load_from_memory(&t.body).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (640, 10), "640 px long side");

    let g = fetch(&r[1].0, "");
    assert_eq!(g.header("content-type"), Some("image/gif"));
    let frames = image::AnimationDecoder::into_frames(
        image::codecs::gif::GifDecoder::new(std::io::Cursor::new(&g.body)).unwrap(),
    )
    .count();
    assert_eq!(frames, 3, "still animated");
    assert!(g.body.windows(11).any(|w| w == b"NETSCAPE2.0"), "still loops");

    let w = fetch(&r[2].0, "");
    assert_eq!(w.header("content-type"), Some("image/webp"));
    assert_eq!(image::load_from_memory_with_format(&w.body, image::ImageFormat::WebP).unwrap().width(), 12);

    let page = anon.get(&format!("/posts/{id}"));
    assert!(page.has(&format!("src=\"/media/{}\"", r[1].0)), "the animated GIF itself is in the grid");
    assert!(page.has(&format!("src=\"/media/{}/thumb\"", r[0].0)));
}

/// R2.2: video is stored as sent and answers Range requests byte-exact:
/// single, suffix, open-ended and multiple ranges, 416 when unsatisfiable.
#[test]
fn video_answers_range_requests() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let v = mp4();
    let p = post_media(&alice, "a clip", "public", &[("clip.mp4", &v)], &["A clip"]);
    assert_eq!(p.status, 303, "{}", p.body);
    let id = id_from(p.location.as_deref().unwrap());
    let hash = rows(&s, id)[0].0.clone();
    assert_eq!(hash, sha256_hex(&v), "stored unchanged");
    let page = alice.get(&format!("/posts/{id}"));
    assert!(
        page.has(&format!("<video class=\"media-video\" controls preload=\"metadata\" src=\"/media/{hash}\"")),
        "{}",
        page.body
    );

    let c = s.client();
    let url = format!("/media/{hash}");
    let full = c.get_raw(&url, &[]);
    assert_eq!(
        (full.status, full.header("content-type"), full.header("accept-ranges")),
        (200, Some("video/mp4"), Some("bytes"))
    );
    assert_eq!(full.body, v);
    assert_eq!(full.header("content-length"), Some(v.len().to_string().as_str()));

    let len = v.len();
    for (range, from, to) in [
        ("bytes=100-199", 100, 199),
        ("bytes=-50", len - 50, len - 1),
        ("bytes=2990-", 2990, len - 1),
        ("bytes=0-0", 0, 0),
    ] {
        let r = c.get_raw(&url, &[("Range", range)]);
        assert_eq!(r.status, 206, "{range}");
        assert_eq!(r.body, &v[from..=to], "{range}");
        assert_eq!(r.header("content-range"), Some(format!("bytes {from}-{to}/{len}").as_str()), "{range}");
    }

    let multi = c.get_raw(&url, &[("Range", "bytes=0-9, 2000-2019")]);
    assert_eq!(multi.status, 206);
    let ct = multi.header("content-type").unwrap().to_string();
    let boundary = ct.strip_prefix("multipart/byteranges; boundary=").expect("multipart/byteranges");
    let parts = split_multipart(&multi.body, boundary);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0], (format!("bytes 0-9/{len}"), v[0..10].to_vec()));
    assert_eq!(parts[1], (format!("bytes 2000-2019/{len}"), v[2000..2020].to_vec()));

    let none = c.get_raw(&url, &[("Range", "bytes=99999-")]);
    assert_eq!((none.status, none.header("content-range")), (416, Some(format!("bytes */{len}").as_str())));
    let stale = c.get_raw(&url, &[("Range", "bytes=0-9"), ("If-Range", "\"other\"")]);
    assert_eq!((stale.status, stale.body.len()), (200, len), "If-Range with another ETag: the whole file");

    // WebM is recognised by its EBML DocType.
    let wm = webm();
    let p = post_media(&alice, "webm", "public", &[("clip.webm", &wm)], &[]);
    assert_eq!(p.status, 303, "{}", p.body);
    let h = rows(&s, id_from(p.location.as_deref().unwrap()))[0].0.clone();
    assert_eq!(c.get_raw(&format!("/media/{h}"), &[]).header("content-type"), Some("video/webm"));
}

/// Parts of a multipart/byteranges body: (Content-Range, bytes).
fn split_multipart(body: &[u8], boundary: &str) -> Vec<(String, Vec<u8>)> {
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = find(rest, delim.as_bytes()) {
        rest = &rest[i + delim.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let head_end = find(rest, b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&rest[..head_end]).to_string();
        let range = head.lines().find_map(|l| l.strip_prefix("Content-Range: ")).unwrap().to_string();
        let data = &rest[head_end + 4..];
        let end = find(data, format!("\r\n{delim}").as_bytes()).unwrap();
        out.push((range, data[..end].to_vec()));
        rest = &data[end..];
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// R2.2: every refused kind gets a 4xx with a message naming the problem,
/// and leaves no post, no row and no file behind.
#[test]
fn refused_uploads_leave_nothing_behind() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("plaza.toml"), "image_max_bytes = 300000\nmax_upload_bytes = 1500000\n").unwrap();
    let s = Server::start_in(data, &[], &[]);
    let alice = member(&s, "alice");
    let good = jpeg_with_exif();
    let mut truncated = jpeg_with_exif();
    truncated.truncate(truncated.len() / 2);
    let mut too_large = good.clone();
    too_large.resize(400_000, 0);
    let mut cut_video = mp4();
    cut_video.truncate(1000);
    let html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>".to_vec();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"9\" height=\"9\"/></svg>"
        .to_vec();
    let polyglot = jpeg_with_comment("<html><script>alert(1)</script></html>");
    let mut gif_html = animated_gif();
    gif_html.extend_from_slice(b"<iframe src=//evil.example>");
    let pixels = png(8001, 1);
    let small = png(4, 4);
    let ten: Vec<(&str, &[u8])> = (0..10).map(|_| ("p.png", small.as_slice())).collect();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a [u8])>, u16, &'a str);
    let cases: Vec<Case> = vec![
        ("svg", vec![("drawing.svg", &svg)], 415, "is not a supported type"),
        ("html renamed .jpg", vec![("cat.jpg", &html)], 415, "is not a supported type"),
        ("polyglot jpeg", vec![("poly.jpg", &polyglot)], 415, "hides web page or script code"),
        ("gif with html", vec![("poly.gif", &gif_html)], 415, "hides web page or script code"),
        ("zero bytes", vec![("empty.jpg", b"")], 422, "is empty"),
        ("truncated jpeg", vec![("half.jpg", &truncated)], 422, "damaged or incomplete"),
        ("truncated mp4", vec![("half.mp4", &cut_video)], 422, "damaged or incomplete"),
        ("too large", vec![("huge.jpg", &too_large)], 413, "is too large"),
        ("too many pixels", vec![("wide.png", &pixels)], 422, "8001×1 pixels"),
        ("ten images", ten, 422, "at most 9 images"),
        ("video and image", vec![("v.mp4", &cut_video), ("p.png", &small)], 422, "at most 9 images"),
    ];
    for (what, files, status, message) in cases {
        let p = post_media(&alice, "with a file", "public", &files, &["kept description"]);
        assert_eq!(p.status, status, "{what}: {}", p.body);
        assert!(p.has(message), "{what}: no {message:?} in {}", p.body);
        assert!(p.has("with a file") && p.has("kept description"), "{what}: the draft is kept");
        assert_eq!(count(&s, "SELECT count(*) FROM posts"), 0, "{what}");
        assert_eq!(count(&s, "SELECT count(*) FROM attachments"), 0, "{what}");
        assert_eq!(media_files(s.data.path()), Vec::<std::path::PathBuf>::new(), "{what}: no file left");
    }
    // A body over max_upload_bytes is refused before it is read.
    let big = vec![0u8; 1_600_000];
    let p = post_media(&alice, "x", "public", &[("big.mp4", &big)], &[]);
    assert_eq!(p.status, 413);
    // Without the form's CSRF token a multipart post is refused too.
    let (ct, body) = crate::common::multipart_body(&[("body", "x")], &[("media", "a.png", &small)]);
    assert_eq!(alice.post_bytes("/posts", &ct, &body).status, 403);
    assert_eq!(media_files(s.data.path()), Vec::<std::path::PathBuf>::new());
    // And a good file after all that goes through.
    assert_eq!(post_media(&alice, "ok", "public", &[("ok.jpg", &good)], &[]).status, 303);
}

/// R2.1 + R2.2: the media of a followers-only post is served to followers
/// and the author only; to anyone else it does not exist.
#[test]
fn followers_only_media_is_hidden_from_strangers() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let friend = member(&s, "friend");
    let stranger = member(&s, "stranger");
    assert_eq!(friend.post("/@alice/follow", &[]).status, 303);
    let p = post_media(&alice, "for friends", "followers", &[("f.png", &png(700, 700))], &[]);
    assert_eq!(p.status, 303, "{}", p.body);
    let hash = rows(&s, id_from(p.location.as_deref().unwrap()))[0].0.clone();
    for suffix in ["", "/thumb"] {
        let url = format!("/media/{hash}{suffix}");
        assert_eq!(alice.get_raw(&url, &[]).status, 200, "author {url}");
        assert_eq!(friend.get_raw(&url, &[]).status, 200, "follower {url}");
        assert_eq!(stranger.get_raw(&url, &[]).status, 404, "stranger {url}");
        assert_eq!(s.client().get_raw(&url, &[]).status, 404, "signed out {url}");
    }
    assert_eq!(s.client().get_raw(&format!("/media/{}", "0".repeat(64)), &[]).status, 404);
    assert_eq!(s.client().get_raw("/media/..%2Fplaza.key", &[]).status, 400);
    assert_eq!(s.client().get_raw("/media/plaza.db", &[]).status, 404);
}

/// R2.2: the same bytes are stored once; deleting a post keeps the file
/// while another post uses it; once nothing does it is no longer served,
/// and `plaza media gc` removes what nothing needs (never a referenced
/// file, nor one an evidence record holds, R12.2).
#[test]
fn deleted_posts_media_and_gc() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let img = png(900, 30);
    let first = id_from(post_media(&alice, "one", "public", &[("a.png", &img)], &[]).location.as_deref().unwrap());
    let second = id_from(post_media(&alice, "two", "public", &[("b.png", &img)], &[]).location.as_deref().unwrap());
    let (hash, thumb) = (rows(&s, first)[0].0.clone(), rows(&s, first)[0].6.clone().unwrap());
    assert_eq!(rows(&s, second)[0].0, hash);
    assert_eq!(media_files(s.data.path()).len(), 2, "one image and one thumbnail, stored once");

    let anon = s.client();
    assert_eq!(alice.post(&format!("/posts/{first}/delete"), &[]).status, 303);
    assert_eq!(anon.get_raw(&format!("/media/{hash}"), &[]).status, 200, "the other post still shows it");
    let (ok, out, err) = s.command(&["media", "gc", "--min-age", "0"]);
    assert!(ok, "{err}");
    assert!(out.contains("removed 0 files"), "{out}");

    assert_eq!(alice.post(&format!("/posts/{second}/delete"), &[]).status, 303);
    assert_eq!(anon.get_raw(&format!("/media/{hash}"), &[]).status, 404, "no visible post uses it");
    assert_eq!(anon.get_raw(&format!("/media/{hash}/thumb"), &[]).status, 404);
    assert_eq!(alice.get_raw(&format!("/media/{hash}"), &[]).status, 404, "not even to its author");
    assert_eq!(media_files(s.data.path()).len(), 2, "files wait for gc");
    // R12.2: the evidence records of the two deletions hold the image (never
    // served to members again); only the thumbnail is an orphan.
    let (_, out, _) = s.command(&["media", "gc"]);
    assert!(out.contains("removed 0 files") && out.contains("kept 1 younger"), "young orphans are kept: {out}");
    let (_, out, _) = s.command(&["media", "gc", "--min-age", "0", "--dry-run"]);
    assert!(out.contains("would remove 1 files"), "{out}");
    let (ok, out, err) = s.command(&["media", "gc", "--min-age", "0"]);
    assert!(ok, "{err}");
    assert!(out.contains("removed 1 files"), "{out}");
    let left = media_files(s.data.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].to_string_lossy().ends_with(&hash) && !left[0].to_string_lossy().ends_with(&thumb));
    let (ok, out, _) = s.command(&["log", "verify"]);
    assert!(ok, "{out}");
}

/// R2.2: an avatar is an image checked like any other, shown on the profile
/// and on post cards; a new one replaces the old.
#[test]
fn avatars() {
    let s = Server::start();
    let alice = member(&s, "alice");
    alice.post_status("hello", "public");
    let first = png(800, 800);
    let p = alice.post_multipart("/settings/avatar", &[], &[("avatar", "me.png", &first)]);
    assert_eq!(p.status, 303, "{}", p.body);
    let hash: String = db(&s)
        .query_row("SELECT a.sha256 FROM users u JOIN attachments a ON a.id = u.avatar_id", [], |r| r.get(0))
        .unwrap();
    let anon = s.client();
    let src = format!("src=\"/media/{hash}/thumb\"");
    assert!(anon.get("/@alice").has(&src), "on the profile");
    assert!(anon.get("/public").has(&src), "on post cards");
    let t = anon.get_raw(&format!("/media/{hash}/thumb"), &[]);
    assert_eq!(t.status, 200);
    assert_eq!(image::load_from_memory(&t.body).unwrap().width(), 640);

    let v = alice.post_multipart("/settings/avatar", &[], &[("avatar", "me.mp4", &mp4())]);
    assert_eq!(v.status, 415);
    assert!(v.has("must be an image"), "{}", v.body);
    let none = alice.post_multipart("/settings/avatar", &[], &[]);
    assert_eq!(none.status, 422);
    assert!(none.has("Choose an image file"));

    assert_eq!(alice.post_multipart("/settings/avatar", &[], &[("avatar", "new.gif", &animated_gif())]).status, 303);
    assert_eq!(count(&s, "SELECT count(*) FROM attachments WHERE purpose = 'avatar'"), 1, "the old row is gone");
    assert_eq!(anon.get_raw(&format!("/media/{hash}"), &[]).status, 404, "the old avatar is no longer served");
}
