//! `multipart/form-data` bodies (file uploads, R2.2), parsed while they
//! arrive on the I/O side: text fields go to memory (capped like a form),
//! each file part is written to a temporary file in the media folder
//! (hashed on the way), so a 100 MiB video never sits in memory. The body
//! stream itself enforces the whole body's cap and deadlines (`engine.rs`).

use crate::error::{Error, Result};
use bytes::Bytes;
use futures_util::Stream;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// Most file parts one request may carry (a post takes at most 9 images;
/// more are refused by the handler with a message, this only bounds work).
const MAX_FILES: usize = 32;
/// Most text fields one request may carry.
const MAX_TEXT_FIELDS: usize = 256;

/// A file sent in a multipart form, spooled to a temporary file under
/// `DATA/media/tmp/` that is deleted when this is dropped (unless a handler
/// moves it into the media store).
#[derive(Debug)]
pub struct Upload {
    /// The form field name (`media`, `avatar`).
    pub field: String,
    /// The name the browser gave the file. Shown in messages only: the type
    /// always comes from the bytes (R2.2).
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// The spooled bytes.
    pub file: tempfile::NamedTempFile,
}

/// What a multipart body held: text fields in order, then the files.
pub(super) type Parsed = (Vec<(String, String)>, Vec<Upload>);

/// Parse a multipart body from `body`, a stream of its pieces that stops
/// with an error of its own when the body passes its cap or deadline.
///
/// # Errors
/// The body stream's own error (`PayloadTooLarge`, `Timeout`, ...);
/// `PayloadTooLarge` when the text fields pass `max_text` bytes;
/// `BadRequest` for a malformed body, a missing boundary, non-UTF-8 text or
/// too many parts; `Io` when a temporary file fails; `Csrf` when `csrf`
/// (the token the request must carry, issue 15) is given and no
/// `csrf_token` field equal to it came before the first file: nothing is
/// written then.
pub(super) async fn parse<S>(
    body: S,
    content_type: &str,
    max_text: u64,
    tmp_dir: &Path,
    csrf: Option<&str>,
) -> Result<Parsed>
where
    S: Stream<Item = Result<Bytes>> + Send,
{
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| Error::BadRequest("multipart body without a boundary".into()))?;
    let mut mp = multer::Multipart::new(body, boundary);
    let mut form = Vec::new();
    let mut files = Vec::new();
    let mut text_bytes = 0u64;
    while let Some(mut field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                if files.len() >= MAX_FILES {
                    return Err(Error::BadRequest(format!("at most {MAX_FILES} files per request")));
                }
                if let Some(expected) = csrf {
                    let sent =
                        form.iter().find(|(k, _): &&(String, String)| k == "csrf_token").map(|(_, v)| v.as_str());
                    let ok = !expected.is_empty()
                        && sent.is_some_and(|t| crate::crypto::constant_time_eq(t.as_bytes(), expected.as_bytes()));
                    if !ok {
                        return Err(Error::Csrf);
                    }
                }
                let mut file = tempfile::Builder::new().prefix("upload-").tempfile_in(tmp_dir)?;
                let mut hasher = Sha256::new();
                let mut size = 0u64;
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    hasher.update(&chunk);
                    file.write_all(&chunk)?;
                    size += chunk.len() as u64;
                }
                // A file input left empty still sends a part with no name and no bytes.
                if file_name.is_empty() && size == 0 {
                    continue;
                }
                file.flush()?;
                let sha256 = hex::encode(hasher.finalize());
                files.push(Upload { field: name, file_name, size, sha256, file });
            }
            None => {
                if form.len() >= MAX_TEXT_FIELDS {
                    return Err(Error::BadRequest(format!("at most {MAX_TEXT_FIELDS} fields per request")));
                }
                let mut value = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    text_bytes += chunk.len() as u64;
                    if text_bytes > max_text {
                        return Err(Error::PayloadTooLarge);
                    }
                    value.extend_from_slice(&chunk);
                }
                let value =
                    String::from_utf8(value).map_err(|_| Error::BadRequest("the request is not valid UTF-8".into()))?;
                form.push((name, value));
            }
        }
    }
    Ok((form, files))
}

/// multer's error as ours: the body stream's own error comes back as it
/// was (too large, too slow), anything else is a malformed body.
fn bad(e: multer::Error) -> Error {
    match e {
        multer::Error::StreamReadFailed(inner) => match inner.downcast::<Error>() {
            Ok(ours) => *ours,
            Err(other) => Error::BadRequest(format!("malformed multipart body: {other}")),
        },
        e => Error::BadRequest(format!("malformed multipart body: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut b = Vec::new();
        for (name, file, data) in parts {
            b.extend_from_slice(b"--XyZ\r\n");
            match file {
                Some(f) => b.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes(),
                ),
                None => b.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            b.extend_from_slice(data);
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"--XyZ--\r\n");
        b
    }

    const CT: &str = "multipart/form-data; boundary=XyZ";

    /// Parse `raw` sent in 1000-byte pieces, failing like the engine's body
    /// stream does once more than `max_body` bytes came.
    fn parse(raw: &[u8], content_type: &str, max_body: u64, max_text: u64, dir: &Path) -> Result<Parsed> {
        let mut sent = 0u64;
        let pieces = raw.chunks(1000).map(move |c| {
            sent += c.len() as u64;
            if sent > max_body {
                Err(Error::PayloadTooLarge)
            } else {
                Ok(Bytes::copy_from_slice(c))
            }
        });
        let pieces: Vec<_> = pieces.collect();
        futures_executor::block_on(super::parse(futures_util::stream::iter(pieces), content_type, max_text, dir, None))
    }

    #[test]
    fn fields_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![7u8; 300_000];
        let raw = body(&[
            ("csrf_token", None, b"abc"),
            ("media", Some("a.png"), &big),
            ("media", Some(""), b""),
            ("alt", None, "一只猫".as_bytes()),
        ]);
        let (form, files) = parse(&raw, CT, 1 << 20, 1024, dir.path()).unwrap();
        assert_eq!(form, vec![("csrf_token".into(), "abc".into()), ("alt".into(), "一只猫".into())]);
        assert_eq!(files.len(), 1, "the empty file input is skipped");
        assert_eq!(files[0].size, 300_000);
        assert_eq!(files[0].file_name, "a.png");
        assert_eq!(files[0].sha256, hex::encode(Sha256::digest(&big)));
        assert_eq!(std::fs::read(files[0].file.path()).unwrap(), big);
        drop(files);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "temp files go with the request");
    }

    /// A visitor's upload (issue 15): no file is even opened unless a
    /// `csrf_token` equal to the cookie came first (the temp folder here
    /// does not exist, so opening one would be an I/O error).
    #[test]
    fn the_csrf_gate_comes_before_any_file() {
        let nowhere = Path::new("/nonexistent/plaza-upload-dir");
        let run = |raw: &[u8], csrf: Option<&str>| {
            let pieces = vec![Ok(Bytes::copy_from_slice(raw))];
            futures_executor::block_on(super::parse(futures_util::stream::iter(pieces), CT, 1024, nowhere, csrf))
        };
        let late = body(&[("media", Some("a.png"), b"x"), ("csrf_token", None, b"abc")]);
        assert!(matches!(run(&late, Some("abc")), Err(Error::Csrf)));
        let wrong = body(&[("csrf_token", None, b"abd"), ("media", Some("a.png"), b"x")]);
        assert!(matches!(run(&wrong, Some("abc")), Err(Error::Csrf)));
        assert!(matches!(run(&wrong, Some("")), Err(Error::Csrf)), "no cookie, no upload");
        let right = body(&[("csrf_token", None, b"abc"), ("media", Some("a.png"), b"x")]);
        assert!(matches!(run(&right, Some("abc")), Err(Error::Io(_))), "past the gate: the file is opened");
        let text_only = body(&[("body", None, b"hi")]);
        assert!(run(&text_only, Some("")).is_ok(), "no file, nothing to guard");
    }

    #[test]
    fn caps_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let raw = body(&[("media", Some("a"), &[1u8; 5000])]);
        assert!(matches!(parse(&raw, CT, 4000, 1024, dir.path()), Err(Error::PayloadTooLarge)));
        let raw = body(&[("body", None, &[b'x'; 2000])]);
        assert!(matches!(parse(&raw, CT, 1 << 20, 1024, dir.path()), Err(Error::PayloadTooLarge)));
        let raw = body(&[("body", None, &[0xff, 0xfe])]);
        assert!(matches!(parse(&raw, CT, 1 << 20, 1024, dir.path()), Err(Error::BadRequest(_))));
        assert!(matches!(
            parse(b"garbage", "multipart/form-data", 1 << 20, 1024, dir.path()),
            Err(Error::BadRequest(_))
        ));
        let raw = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated";
        assert!(matches!(parse(raw, CT, 1 << 20, 1024, dir.path()), Err(Error::BadRequest(_))));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
