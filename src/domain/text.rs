//! Text rules of posts and comments (R2.3): length in grapheme clusters,
//! hashtags (`#话题#` and `#word`), @mentions and links.
//!
//! Everything here is pure: the views turn [`Segment`]s into escaped HTML,
//! the routes store [`hashtags`] and notify [`mentions`].

use unicode_segmentation::UnicodeSegmentation;

/// Longest hashtag, in grapheme clusters.
pub const MAX_TAG_CHARS: usize = 64;

/// Length of `s` in user-perceived characters (extended grapheme clusters,
/// Unicode UAX #29): "👍🏽" and "é" count 1 each.
pub fn grapheme_len(s: &str) -> usize {
    s.graphemes(true).count()
}

/// The first `max` user-perceived characters of `s` on one line (runs of
/// whitespace become one space), with `…` when cut: how a page names a
/// post or comment instead of a raw `post:7` (issue 13).
pub fn excerpt(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut g = flat.graphemes(true);
    let head: String = g.by_ref().take(max).collect();
    if g.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// One piece of a post body, in order; concatenating every piece's source
/// text gives back the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Plain text, shown escaped.
    Text(&'a str),
    /// A hashtag: `shown` is the source text (`#话题#` or `#word`), `tag`
    /// the tag itself without `#`.
    Tag { shown: &'a str, tag: &'a str },
    /// `@name`: `name` is the username without `@` (3-30 of `[A-Za-z0-9_]`).
    Mention { shown: &'a str, name: &'a str },
    /// An `http://` or `https://` URL.
    Link(&'a str),
}

/// Split a body into text, hashtags, mentions and links.
pub fn segments(body: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    let mut pos = 0;
    for link in finder.links(body) {
        let url = link.as_str();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            continue;
        }
        scan_tags_and_mentions(&body[pos..link.start()], &mut out);
        out.push(Segment::Link(url));
        pos = link.end();
    }
    scan_tags_and_mentions(&body[pos..], &mut out);
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Push the segments of a span known to hold no link.
fn scan_tags_and_mentions<'a>(s: &'a str, out: &mut Vec<Segment<'a>>) {
    let mut text_start = 0;
    let mut i = 0;
    let prev_char = |i: usize| s[..i].chars().next_back();
    while i < s.len() {
        let c = s[i..].chars().next().expect("i is on a char boundary");
        let found: Option<(Segment<'a>, usize)> = match c {
            '#' => weibo_tag(s, i).or_else(|| {
                if prev_char(i).is_some_and(is_word_char) {
                    return None;
                }
                let word_len: usize = s[i + 1..].chars().take_while(|&c| is_word_char(c)).map(char::len_utf8).sum();
                let tag = &s[i + 1..i + 1 + word_len];
                (word_len > 0 && grapheme_len(tag) <= MAX_TAG_CHARS)
                    .then(|| (Segment::Tag { shown: &s[i..i + 1 + word_len], tag }, i + 1 + word_len))
            }),
            '@' => {
                if prev_char(i).is_some_and(is_name_char) {
                    None
                } else {
                    let n = s[i + 1..].chars().take_while(|&c| is_name_char(c)).count();
                    let name = &s[i + 1..i + 1 + n];
                    (3..=30).contains(&n).then(|| (Segment::Mention { shown: &s[i..i + 1 + n], name }, i + 1 + n))
                }
            }
            _ => None,
        };
        match found {
            Some((seg, end)) => {
                if text_start < i {
                    out.push(Segment::Text(&s[text_start..i]));
                }
                out.push(seg);
                i = end;
                text_start = end;
            }
            None => i += c.len_utf8(),
        }
    }
    if text_start < s.len() {
        out.push(Segment::Text(&s[text_start..]));
    }
}

/// `#话题#` at byte `i`: up to the next `#`, with no white space inside.
fn weibo_tag(s: &str, i: usize) -> Option<(Segment<'_>, usize)> {
    let rest = &s[i + 1..];
    let j = rest.find('#')?;
    let tag = &rest[..j];
    if tag.is_empty() || tag.chars().any(char::is_whitespace) || grapheme_len(tag) > MAX_TAG_CHARS {
        return None;
    }
    let end = i + 1 + j + 1;
    Some((Segment::Tag { shown: &s[i..end], tag }, end))
}

/// The key a tag is stored and looked up by: lower case, so `#Rust` and
/// `#rust` are one tag.
pub fn tag_key(tag: &str) -> String {
    tag.to_lowercase()
}

/// Distinct tag keys of a body, in order of first appearance.
pub fn hashtags(body: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for seg in segments(body) {
        if let Segment::Tag { tag, .. } = seg {
            let key = tag_key(tag);
            if !tags.contains(&key) {
                tags.push(key);
            }
        }
    }
    tags
}

/// Distinct mentioned usernames, lower-cased, in order of first appearance.
pub fn mentions(body: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for seg in segments(body) {
        if let Segment::Mention { name, .. } = seg {
            let key = name.to_ascii_lowercase();
            if !names.contains(&key) {
                names.push(key);
            }
        }
    }
    names
}

/// Why a body was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Nothing but white space.
    Empty,
    /// More than the limit; carries (length, limit) in grapheme clusters.
    TooLong(usize, usize),
}

/// Remove what no text needs and some use to deceive: control characters
/// (NUL and the like; line breaks and tabs stay, `\r\n` becomes `\n`) and
/// the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069),
/// which can make text read backwards.
pub fn clean(body: &str) -> String {
    body.replace("\r\n", "\n")
        .chars()
        .filter(|&c| {
            (!c.is_control() || c == '\n' || c == '\t')
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// Does `c` show nothing by itself (white space, zero-width and format
/// characters, variation selectors)?
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// Check a post or comment body against `max` grapheme clusters (R2.2),
/// after [`clean`]. Leading and trailing white space does not count and is
/// trimmed; a body of only invisible characters is empty.
///
/// # Errors
/// [`BodyError::Empty`] or [`BodyError::TooLong`].
pub fn check_body(body: &str, max: usize) -> Result<String, BodyError> {
    let cleaned = clean(body);
    let t = cleaned.trim();
    if t.chars().all(invisible) {
        return Err(BodyError::Empty);
    }
    let n = grapheme_len(t);
    if n > max {
        return Err(BodyError::TooLong(n, max));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::Segment::*;
    use super::*;

    #[test]
    fn excerpt_cuts_at_graphemes_on_one_line() {
        assert_eq!(excerpt("周末有人\n一起  去爬山", 6), "周末有人 一…");
        assert_eq!(excerpt("短", 6), "短");
        assert_eq!(excerpt("👍🏽👍🏽👍🏽", 2), "👍🏽👍🏽…");
    }

    #[test]
    fn graphemes_not_bytes() {
        assert_eq!(grapheme_len("你好👍🏽e\u{301}"), 4);
        assert_eq!(check_body("  ", 10), Err(BodyError::Empty));
        assert_eq!(check_body("一二三", 2), Err(BodyError::TooLong(3, 2)));
        assert_eq!(check_body(" 一二 ", 2), Ok("一二".to_string()));
        // Control characters and text-reversing overrides are dropped; what
        // shows nothing is empty.
        assert_eq!(check_body("a\u{0}b\r\nc\u{202E}d", 10), Ok("ab\ncd".to_string()));
        assert_eq!(check_body("\u{200B}\u{202E}\u{FEFF} \u{3000}", 10), Err(BodyError::Empty));
        assert_eq!(check_body("👍", 10), Ok("👍".to_string()));
    }

    #[test]
    fn weibo_and_word_tags() {
        assert_eq!(
            segments("看#春节快乐#和 #rust, ok"),
            vec![
                Text("看"),
                Tag { shown: "#春节快乐#", tag: "春节快乐" },
                Text("和 "),
                Tag { shown: "#rust", tag: "rust" },
                Text(", ok")
            ]
        );
        assert_eq!(hashtags("#A #a #话题#"), vec!["a", "话题"]);
        // White space ends a word tag and forbids a Weibo tag.
        assert_eq!(hashtags("#a b# c"), vec!["a"]);
        // Not a tag: inside a word, or bare.
        assert!(hashtags("C# and issue#12 and # alone").is_empty());
    }

    #[test]
    fn mentions_and_links() {
        assert_eq!(
            segments("hi @Alice_1 see https://example.com/a?b=1 mail a@bcd.com"),
            vec![
                Text("hi "),
                Mention { shown: "@Alice_1", name: "Alice_1" },
                Text(" see "),
                Link("https://example.com/a?b=1"),
                Text(" mail a@bcd.com")
            ]
        );
        assert_eq!(mentions("@ab @abc @ABC @abcd"), vec!["abc", "abcd"]);
        // Only http(s) becomes a link.
        assert_eq!(segments("javascript:alert(1)"), vec![Text("javascript:alert(1)")]);
    }

    #[test]
    fn segments_cover_the_body() {
        for body in ["#a#b#c#", "@@abc##", "x https://a.b/#frag #t", "", "##", "#话题#@user_x"] {
            let joined: String = segments(body)
                .iter()
                .map(|s| match s {
                    Text(t) | Link(t) => *t,
                    Tag { shown, .. } | Mention { shown, .. } => *shown,
                })
                .collect();
            assert_eq!(joined, body);
        }
    }
}
