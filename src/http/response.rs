//! Plaza's own response: status, headers, body (the engine module adds the
//! security headers every answer gets).
//!
//! A body is either bytes in memory or a list of [`Part`]s that may point
//! into files (media, byte ranges), read with positional reads while the
//! response is written, so a 100 MiB video is never held in memory.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// A header a handler sets to let the page's forms lead to one more
/// destination (a CSP source: `https://app.example` or `myapp:`); the
/// engine widens the fixed `form-action 'self'` with it and never sends
/// the header itself. The OAuth consent page needs it: browsers check
/// `form-action` on the redirect to the app after "Authorise" (issue 19).
pub const FORM_ACTION_HEADER: &str = "x-plaza-form-action";

/// Is `source` one CSP source expression safe to put in a header: a
/// scheme (`myapp:`) or a scheme, host and port, without spaces, quotes,
/// `;` or `,`?
pub fn csp_source_ok(source: &str) -> bool {
    !source.is_empty()
        && source.len() <= 300
        && source
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'.' | b'-' | b'+' | b'[' | b']'))
}

/// A `Set-Cookie` to send.
#[derive(Debug, Clone)]
pub struct Cookie {
    pub name: &'static str,
    pub value: String,
    /// Lifetime in seconds; 0 deletes the cookie.
    pub max_age: i64,
    /// Hidden from scripts (session cookie).
    pub http_only: bool,
    /// Only sent over TLS.
    pub secure: bool,
}

impl Cookie {
    fn header(&self) -> String {
        let mut s = format!("{}={}; Path=/; Max-Age={}; SameSite=Lax", self.name, self.value, self.max_age);
        if self.http_only {
            s.push_str("; HttpOnly");
        }
        if self.secure {
            s.push_str("; Secure");
        }
        s
    }
}

/// One piece of a streamed body.
#[derive(Debug, Clone)]
pub enum Part {
    /// Bytes in memory (a multipart/byteranges boundary, say).
    Bytes(Vec<u8>),
    /// `len` bytes of `file` from byte `start`.
    File { file: Arc<File>, start: u64, len: u64 },
}

impl Part {
    fn len(&self) -> u64 {
        match self {
            Part::Bytes(b) => b.len() as u64,
            Part::File { len, .. } => *len,
        }
    }
}

/// What a response carries.
#[derive(Debug, Clone)]
pub enum Body {
    /// The whole body in memory (pages, errors).
    Bytes(Vec<u8>),
    /// Pieces sent one after the other (media files and byte ranges).
    Parts(Vec<Part>),
}

impl Body {
    /// The body length in bytes (sent as `Content-Length`).
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Parts(p) => p.iter().map(Part::len).sum(),
        }
    }

    /// Is the body empty?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All of it in memory (tests and small bodies).
    ///
    /// # Errors
    /// A file part that cannot be read.
    pub fn to_vec(&self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        BodyReader::new(self.clone()).read_to_end(&mut out)?;
        Ok(out)
    }
}

/// Reads a [`Body`] in order; file parts use positional reads, so several
/// responses may share one open file.
pub(super) struct BodyReader {
    parts: std::collections::VecDeque<Part>,
    /// Bytes already read of the first part.
    done: u64,
}

impl BodyReader {
    pub(super) fn new(body: Body) -> BodyReader {
        let parts = match body {
            Body::Bytes(b) => vec![Part::Bytes(b)],
            Body::Parts(p) => p,
        };
        BodyReader { parts: parts.into(), done: 0 }
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(part) = self.parts.front() {
            let left = part.len() - self.done;
            if left == 0 {
                self.parts.pop_front();
                self.done = 0;
                continue;
            }
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = match part {
                Part::Bytes(b) => {
                    let from = self.done as usize;
                    buf[..want].copy_from_slice(&b[from..from + want]);
                    want
                }
                Part::File { file, start, .. } => {
                    let n = file.read_at(&mut buf[..want], start + self.done)?;
                    if n == 0 {
                        // The file shrank under us: better a short body than a hang.
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                    n
                }
            };
            self.done += n as u64;
            return Ok(n);
        }
        Ok(0)
    }
}

/// A response being built.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Resp {
    /// 200 with an HTML page.
    pub fn html(markup: maud::Markup) -> Resp {
        Resp::with_type(200, "text/html; charset=utf-8", markup.into_string().into_bytes())
    }

    /// A body of any type.
    pub fn with_type(status: u16, content_type: &str, body: Vec<u8>) -> Resp {
        Resp { status, headers: vec![("Content-Type".into(), content_type.into())], body: Body::Bytes(body) }
    }

    /// A streamed body of any type (media files, byte ranges).
    pub fn with_parts(status: u16, content_type: &str, parts: Vec<Part>) -> Resp {
        Resp { status, headers: vec![("Content-Type".into(), content_type.into())], body: Body::Parts(parts) }
    }

    /// The value of a header set on this response.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Plain text.
    pub fn text(status: u16, body: &str) -> Resp {
        Resp::with_type(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
    }

    /// 303 See Other to a local path (after a form post).
    pub fn redirect(location: &str) -> Resp {
        let mut r = Resp::text(303, "");
        r.headers.push(("Location".into(), location.into()));
        r
    }

    /// Set the status.
    pub fn status(mut self, status: u16) -> Resp {
        self.status = status;
        self
    }

    /// Let this page's forms lead to `source` too (a CSP source, see
    /// `FORM_ACTION_HEADER`); an unsafe source is ignored.
    pub fn allow_form_action(self, source: &str) -> Resp {
        if csp_source_ok(source) {
            self.header(FORM_ACTION_HEADER, source)
        } else {
            self
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Resp {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Add a cookie.
    pub fn cookie(self, c: &Cookie) -> Resp {
        let h = c.header();
        self.header("Set-Cookie", &h)
    }
}
