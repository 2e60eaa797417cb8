//! Active content in PDF proof documents (R8.1, issue 15). Reviewers open
//! proofs in their browser or a PDF reader; a PDF can carry scripts
//! (`/JS`, `/JavaScript`), forms that submit (`/SubmitForm`), actions that
//! launch programs (`/Launch`) and embedded files (`/EmbeddedFile`). Such a
//! proof is refused. Names are read after decoding `#xx` escapes
//! (`/J#61vaScript` is `/JavaScript`), in the file as stored and inside
//! every Flate-compressed stream (object streams hide dictionaries there).

use std::io::Read;

/// The names that make a PDF active, as they appear after `/`.
const ACTIVE: [&str; 6] = ["JS", "JavaScript", "SubmitForm", "Launch", "EmbeddedFile", "EmbeddedFiles"];

/// Most bytes inflated from all of a file's streams together: a
/// decompression bomb stops being inflated here (what was read is checked).
const MAX_INFLATED: u64 = 64 << 20;

/// The first active name found in `pdf` (without its `/`), if any.
pub fn active_content(pdf: &[u8]) -> Option<&'static str> {
    if let Some(n) = active_name(pdf) {
        return Some(n);
    }
    let mut budget = MAX_INFLATED;
    for stream in streams(pdf) {
        if budget == 0 {
            break;
        }
        let mut out = Vec::new();
        let mut z = flate2::read::ZlibDecoder::new(stream).take(budget);
        // A stream that is not Flate, or is damaged, yields what it yields.
        let _ = z.read_to_end(&mut out);
        budget = budget.saturating_sub(out.len() as u64);
        if let Some(n) = active_name(&out) {
            return Some(n);
        }
    }
    None
}

/// The bytes between each `stream` keyword's end of line and `endstream`.
fn streams(pdf: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = pdf;
    std::iter::from_fn(move || {
        let at = find(rest, b"stream")?;
        let mut start = at + b"stream".len();
        // `endstream` also ends in "stream": skip it.
        if at >= 3 && &rest[at - 3..at] == b"end" {
            rest = &rest[start..];
            return Some(&[][..]);
        }
        if rest.get(start) == Some(&b'\r') {
            start += 1;
        }
        if rest.get(start) == Some(&b'\n') {
            start += 1;
        }
        let body = &rest[start..];
        let end = find(body, b"endstream").unwrap_or(body.len());
        rest = &body[end..];
        Some(&body[..end])
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The first active name among the `/Name` tokens of `bytes`.
fn active_name(bytes: &[u8]) -> Option<&'static str> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'/' {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = Vec::new();
        while i < bytes.len() && is_name_char(bytes[i]) {
            if bytes[i] == b'#' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    name.push(b);
                    i += 3;
                    continue;
                }
            }
            name.push(bytes[i]);
            i += 1;
        }
        if let Some(n) = ACTIVE.iter().find(|a| a.as_bytes() == name.as_slice()) {
            return Some(n);
        }
    }
    None
}

/// Regular characters of a PDF name (not white space or a delimiter).
fn is_name_char(b: u8) -> bool {
    !matches!(
        b,
        b'\0'
            | b'\t'
            | b'\n'
            | b'\x0c'
            | b'\r'
            | b' '
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(b: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn plain_documents_pass() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        assert_eq!(active_content(pdf), None);
        assert_eq!(active_content(b"%PDF-1.4 /JSON /Launcher /JavaScripts %%EOF"), None, "whole names only");
    }

    #[test]
    fn active_names_are_found_however_written() {
        for (pdf, want) in [
            (&b"%PDF-1.4 << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> %%EOF"[..], "JavaScript"),
            (b"%PDF-1.4 << /AA << /O << /JS (x) >> >> >>", "JS"),
            (b"%PDF-1.4 << /S /SubmitForm /F (http://x) >>", "SubmitForm"),
            (b"%PDF-1.4 << /S /Launch /F (cmd.exe) >>", "Launch"),
            (b"%PDF-1.4 << /Type /EmbeddedFile >>", "EmbeddedFile"),
            (b"%PDF-1.4 << /S /J#61vaScript >>", "JavaScript"),
            (b"%PDF-1.4 << /S/Launch/F(x) >>", "Launch"),
        ] {
            assert_eq!(active_content(pdf), Some(want), "{}", String::from_utf8_lossy(pdf));
        }
    }

    #[test]
    fn compressed_object_streams_are_read() {
        let inner = deflate(b"<< /S /JavaScript /JS (app.alert(1)) >>");
        let mut pdf = b"%PDF-1.5\n5 0 obj << /Type /ObjStm /Filter /FlateDecode /Length 40 >>\nstream\r\n".to_vec();
        pdf.extend_from_slice(&inner);
        pdf.extend_from_slice(b"\r\nendstream\nendobj\n%%EOF\n");
        assert_eq!(active_name(&pdf), None, "not visible without inflating");
        assert_eq!(active_content(&pdf), Some("JavaScript"));
    }
}
