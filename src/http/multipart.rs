//! `multipart/form-data` bodies (file uploads, R2.2), parsed while they
//! arrive: text fields go to memory (capped like a form), each file part is
//! written to a temporary file in the media folder (hashed on the way), so a
//! 100 MiB video never sits in memory.
//!
//! `multer` is async and wants a `Send` stream, while tiny_http hands out a
//! plain `&mut dyn Read`; so the worker thread pumps the body into a small
//! bounded channel and a scoped helper thread runs the parser over it with
//! `futures_executor::block_on`. The helper ends with the request.
//!
//! multer pulls from its stream until the stream says `Pending`; a blocking
//! stream never does, so multer would buffer the whole body. [`OneAtATime`]
//! answers `Pending` (and wakes itself) after each chunk, so multer holds
//! about one chunk at a time (measured: a 90 MiB upload raises the server's
//! peak memory by a few MiB, not 90).

use crate::error::{Error, Result};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// Most file parts one request may carry (a post takes at most 9 images;
/// more are refused by the handler with a message, this only bounds work).
const MAX_FILES: usize = 32;
/// Most text fields one request may carry.
const MAX_TEXT_FIELDS: usize = 256;
/// Bytes read from the socket at a time.
const CHUNK: usize = 64 * 1024;

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

/// Parse a multipart body of at most `max_body` bytes from `reader`.
///
/// # Errors
/// `PayloadTooLarge` past `max_body` or when the text fields pass
/// `max_text`; `BadRequest` for a malformed body, a missing boundary,
/// non-UTF-8 text or too many parts; `Io` when the temporary file fails.
pub(super) fn parse(
    reader: &mut dyn Read,
    content_type: &str,
    max_body: u64,
    max_text: u64,
    tmp_dir: &Path,
) -> Result<Parsed> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| Error::BadRequest("multipart body without a boundary".into()))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Bytes>>(4);
    std::thread::scope(|s| {
        let parser = s.spawn(move || parse_stream(rx, boundary, max_text, tmp_dir));
        let mut limited = reader.take(max_body + 1);
        let mut total = 0u64;
        let mut too_large = false;
        loop {
            let mut buf = vec![0u8; CHUNK];
            match limited.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    total += n as u64;
                    if total > max_body {
                        too_large = true;
                        let _ = tx.send(Err(std::io::Error::other("body too large")));
                        break;
                    }
                    buf.truncate(n);
                    if tx.send(Ok(Bytes::from(buf))).is_err() {
                        break; // the parser stopped early: it has the error
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        }
        drop(tx);
        let parsed = parser.join().unwrap_or_else(|_| Err(Error::Internal("multipart parser panicked".into())));
        if too_large {
            return Err(Error::PayloadTooLarge);
        }
        parsed
    })
}

/// A stream over a blocking iterator that yields one item per poll, then
/// `Pending` once (after waking itself), so a consumer that reads "all that
/// is ready" reads one item.
struct OneAtATime<I> {
    iter: I,
    yielded: bool,
}

impl<I: Iterator + Unpin> futures_util::Stream for OneAtATime<I> {
    type Item = I::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<I::Item>> {
        if self.yielded {
            self.yielded = false;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        self.yielded = true;
        std::task::Poll::Ready(self.iter.next())
    }
}

fn bad(e: multer::Error) -> Error {
    Error::BadRequest(format!("malformed multipart body: {e}"))
}

fn parse_stream(
    rx: std::sync::mpsc::Receiver<std::io::Result<Bytes>>,
    boundary: String,
    max_text: u64,
    tmp_dir: &Path,
) -> Result<Parsed> {
    let stream = OneAtATime { iter: rx.into_iter(), yielded: false };
    let mut mp = multer::Multipart::new(stream, boundary);
    futures_executor::block_on(async {
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
                    let value = String::from_utf8(value)
                        .map_err(|_| Error::BadRequest("the request is not valid UTF-8".into()))?;
                    form.push((name, value));
                }
            }
        }
        Ok((form, files))
    })
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
        let (form, files) = parse(&mut &raw[..], CT, 1 << 20, 1024, dir.path()).unwrap();
        assert_eq!(form, vec![("csrf_token".into(), "abc".into()), ("alt".into(), "一只猫".into())]);
        assert_eq!(files.len(), 1, "the empty file input is skipped");
        assert_eq!(files[0].size, 300_000);
        assert_eq!(files[0].file_name, "a.png");
        assert_eq!(files[0].sha256, hex::encode(Sha256::digest(&big)));
        assert_eq!(std::fs::read(files[0].file.path()).unwrap(), big);
        drop(files);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "temp files go with the request");
    }

    #[test]
    fn caps_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let raw = body(&[("media", Some("a"), &[1u8; 5000])]);
        assert!(matches!(parse(&mut &raw[..], CT, 4000, 1024, dir.path()), Err(Error::PayloadTooLarge)));
        let raw = body(&[("body", None, &[b'x'; 2000])]);
        assert!(matches!(parse(&mut &raw[..], CT, 1 << 20, 1024, dir.path()), Err(Error::PayloadTooLarge)));
        let raw = body(&[("body", None, &[0xff, 0xfe])]);
        assert!(matches!(parse(&mut &raw[..], CT, 1 << 20, 1024, dir.path()), Err(Error::BadRequest(_))));
        assert!(matches!(
            parse(&mut &b"garbage"[..], "multipart/form-data", 1 << 20, 1024, dir.path()),
            Err(Error::BadRequest(_))
        ));
        let raw = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated";
        assert!(matches!(parse(&mut &raw[..], CT, 1 << 20, 1024, dir.path()), Err(Error::BadRequest(_))));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
