//! HTTP `Range: bytes=...` requests (RFC 9110 §14), so video seeks (R2.2).
//!
//! Pure: [`parse`] turns the header into byte ranges of a body of known
//! length, and [`respond`] builds the 200, 206 (single range, or
//! `multipart/byteranges` for several) or 416 answer over any body source.

use super::response::{Part, Resp};

/// Most ranges honoured in one request; a longer list is ignored (the whole
/// body is sent), as RFC 9110 allows, so nobody makes us write thousands of
/// tiny parts.
pub const MAX_RANGES: usize = 16;

/// An inclusive byte range `start..=end`, already within the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

impl ByteRange {
    /// Bytes covered.
    pub fn len(&self) -> u64 {
        self.end - self.start + 1
    }

    /// Never true: a range covers at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// What a `Range` header asks of a body of a given length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ranges {
    /// No header, another unit, bad syntax or too many ranges: send it all.
    Full,
    /// One or more satisfiable ranges, in the order asked.
    Some(Vec<ByteRange>),
    /// Well-formed, but no range falls inside the body: 416.
    Unsatisfiable,
}

/// Parse a `Range` header value against a body of `len` bytes.
pub fn parse(header: Option<&str>, len: u64) -> Ranges {
    let Some(h) = header else { return Ranges::Full };
    let Some(spec) = h.trim().strip_prefix("bytes=") else { return Ranges::Full };
    let mut out = Vec::new();
    let mut count = 0;
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        count += 1;
        if count > MAX_RANGES {
            return Ranges::Full;
        }
        let Some((a, b)) = item.split_once('-') else { return Ranges::Full };
        let num = |s: &str| -> Option<u64> {
            if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
                None
            } else {
                s.parse().ok()
            }
        };
        if a.is_empty() {
            // Suffix range: the last N bytes.
            let Some(n) = num(b) else { return Ranges::Full };
            if n > 0 && len > 0 {
                out.push(ByteRange { start: len.saturating_sub(n), end: len - 1 });
            }
            continue;
        }
        let Some(start) = num(a) else { return Ranges::Full };
        let end = if b.is_empty() {
            None
        } else {
            match num(b) {
                Some(e) if e >= start => Some(e),
                _ => return Ranges::Full, // last < first is invalid: ignore the header
            }
        };
        if start < len {
            out.push(ByteRange { start, end: end.unwrap_or(len - 1).min(len - 1) });
        }
    }
    if count == 0 {
        Ranges::Full
    } else if out.is_empty() {
        Ranges::Unsatisfiable
    } else {
        Ranges::Some(out)
    }
}

/// Build the answer for `ranges` over a body of `len` bytes of type
/// `content_type`; `slice(start, len)` gives the part covering those bytes.
/// `boundary` separates the parts of a multi-range answer (it must not
/// occur in the body; a random token does not).
pub fn respond(
    ranges: &Ranges,
    len: u64,
    content_type: &str,
    boundary: &str,
    slice: impl Fn(u64, u64) -> Part,
) -> Resp {
    match ranges {
        Ranges::Full => Resp::with_parts(200, content_type, vec![slice(0, len)]),
        Ranges::Unsatisfiable => {
            Resp::text(416, "range not satisfiable").header("Content-Range", &format!("bytes */{len}"))
        }
        Ranges::Some(list) if list.len() == 1 => {
            let r = list[0];
            Resp::with_parts(206, content_type, vec![slice(r.start, r.len())])
                .header("Content-Range", &format!("bytes {}-{}/{len}", r.start, r.end))
        }
        Ranges::Some(list) => {
            let mut parts = Vec::new();
            for (i, r) in list.iter().enumerate() {
                let head = format!(
                    "{}--{boundary}\r\nContent-Type: {content_type}\r\nContent-Range: bytes {}-{}/{len}\r\n\r\n",
                    if i == 0 { "" } else { "\r\n" },
                    r.start,
                    r.end
                );
                parts.push(Part::Bytes(head.into_bytes()));
                parts.push(slice(r.start, r.len()));
            }
            parts.push(Part::Bytes(format!("\r\n--{boundary}--\r\n").into_bytes()));
            Resp::with_parts(206, &format!("multipart/byteranges; boundary={boundary}"), parts)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: u64, end: u64) -> ByteRange {
        ByteRange { start, end }
    }

    #[test]
    fn parses_like_rfc_9110() {
        let some = |v: Vec<ByteRange>| Ranges::Some(v);
        assert_eq!(parse(None, 100), Ranges::Full);
        assert_eq!(parse(Some("bytes=0-9"), 100), some(vec![r(0, 9)]));
        assert_eq!(parse(Some("bytes=90-"), 100), some(vec![r(90, 99)]));
        assert_eq!(parse(Some("bytes=-10"), 100), some(vec![r(90, 99)]));
        assert_eq!(parse(Some("bytes=-500"), 100), some(vec![r(0, 99)]));
        assert_eq!(parse(Some("bytes=50-500"), 100), some(vec![r(50, 99)]));
        assert_eq!(parse(Some("bytes=0-0, 5-6 ,-1"), 100), some(vec![r(0, 0), r(5, 6), r(99, 99)]));
        assert_eq!(parse(Some("bytes=100-"), 100), Ranges::Unsatisfiable);
        assert_eq!(parse(Some("bytes=100-200, 300-"), 100), Ranges::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), 100), Ranges::Unsatisfiable);
        assert_eq!(parse(Some("bytes=0-"), 0), Ranges::Unsatisfiable);
        assert_eq!(parse(Some("bytes=100-200, 5-6"), 100), some(vec![r(5, 6)]));
        for ignored in ["items=0-1", "bytes=5-1", "bytes=a-b", "bytes=", "bytes=1", "bytes=+1-2", "bytes=--1"] {
            assert_eq!(parse(Some(ignored), 100), Ranges::Full, "{ignored}");
        }
        let many = format!("bytes={}", (0..17).map(|i| format!("{i}-{i}")).collect::<Vec<_>>().join(","));
        assert_eq!(parse(Some(&many), 100), Ranges::Full);
    }

    #[test]
    fn multipart_answer_is_byte_exact() {
        let data: Vec<u8> = (0..100u8).collect();
        let slice = |s: u64, n: u64| Part::Bytes(data[s as usize..(s + n) as usize].to_vec());
        let resp = respond(&parse(Some("bytes=0-1,98-"), 100), 100, "video/mp4", "B", slice);
        assert_eq!(resp.status, 206);
        assert_eq!(resp.header_value("Content-Type"), Some("multipart/byteranges; boundary=B"));
        let body = resp.body.to_vec().unwrap();
        let mut want = b"--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-1/100\r\n\r\n\x00\x01".to_vec();
        want.extend_from_slice(b"\r\n--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 98-99/100\r\n\r\n\x62\x63");
        want.extend_from_slice(b"\r\n--B--\r\n");
        assert_eq!(body, want);
        let one = respond(&parse(Some("bytes=10-12"), 100), 100, "video/mp4", "B", slice);
        assert_eq!((one.status, one.body.to_vec().unwrap()), (206, vec![10, 11, 12]));
        assert_eq!(one.header_value("Content-Range"), Some("bytes 10-12/100"));
        let none = respond(&Ranges::Unsatisfiable, 100, "video/mp4", "B", slice);
        assert_eq!((none.status, none.header_value("Content-Range")), (416, Some("bytes */100")));
    }
}
