//! Text rules of posts and comments (R2.3): length in grapheme clusters,
//! hashtags (`#话题#` and `#word`), @mentions and links.
//!
//! Everything here is pure: the views turn [`Segment`]s into escaped HTML,
//! the routes store [`hashtags`] and notify [`mentions`].
//!
//! What happens to each invisible, format or control character is decided
//! once, in [`clean`], and the compose counter (`assets/app.js`) applies
//! the same list before counting: `tests/golden/text-counts.json` holds
//! strings with their expected counts, checked here and in the browser.
//!
//! | characters | fate | why |
//! |---|---|---|
//! | `\r\n` | becomes `\n` | one line break, whatever the browser sent |
//! | C0 and C1 controls (NUL, ESC, U+0085...) but tab and line feed | removed | no text needs them; they break logs and terminals |
//! | U+FEFF (byte-order mark, zero-width no-break space) | removed | a BOM pasted at the start is not text; word joining is U+2060's job |
//! | U+202A-U+202E, U+2066-U+2069 (bidi embeddings, overrides, isolates) | removed | they make text read backwards (spoofed links and names) |
//! | U+200B-U+200F, U+2060-U+2064, variation selectors, tag characters | kept, counted as the grapheme rules say | emoji sequences (ZWJ, skin tones, flags), Persian and Indic shaping (ZWNJ), right-to-left marks need them |
//! | leading and trailing white space (Unicode `White_Space`) | trimmed | not counted |
//!
//! A body of nothing but invisible characters is empty.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
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

/// [`excerpt`] of a text of which only `prefix` was read (a database
/// reads a bounded number of code points): when `cut` (the text went on),
/// the last grapheme of the prefix may be a broken one (a flag, an emoji
/// sequence, a letter with its marks) and is dropped, and the result ends
/// in `…` even when it is shorter than `max`. Never splits a grapheme.
pub fn excerpt_of_prefix(prefix: &str, cut: bool, max: usize) -> String {
    if !cut {
        return excerpt(prefix, max);
    }
    let whole: Vec<&str> = prefix.graphemes(true).collect();
    let kept = whole[..whole.len().saturating_sub(1)].concat();
    let e = excerpt(&kept, max);
    if e.ends_with('…') {
        e
    } else {
        format!("{e}…")
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
    // Scan again after each link: a link cut short at full-width
    // punctuation may have swallowed the next one.
    let (mut pos, mut from) = (0, 0);
    while let Some(link) = finder.links(&body[from..]).next() {
        let start = from + link.start();
        let url = link_end(link.as_str());
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) || url.is_empty() {
            from += link.end();
            continue;
        }
        scan_tags_and_mentions(&body[pos..start], &mut out);
        out.push(Segment::Link(url));
        pos = start + url.len();
        from = pos;
    }
    scan_tags_and_mentions(&body[pos..], &mut out);
    out
}

/// A URL as the link finder saw it, cut before the first CJK or
/// full-width punctuation mark (`。`, `，`, `）`, `」`...), which a writer of
/// Chinese or Japanese puts straight after a link with no space, and
/// before a closing bracket that no opening one in the URL balances.
/// Letters of any script stay: an IDN host or a Chinese path links whole.
fn link_end(url: &str) -> &str {
    let mut depth = [0i32; 3];
    for (i, c) in url.char_indices() {
        if is_cjk_punctuation(c) {
            return &url[..i];
        }
        let Some(k) = "([{".find(c).or_else(|| ")]}".find(c).map(|k| k + 3)) else { continue };
        if k < 3 {
            depth[k] += 1;
        } else if depth[k - 3] == 0 {
            return &url[..i];
        } else {
            depth[k - 3] -= 1;
        }
    }
    url
}

/// CJK and full-width punctuation: the CJK Symbols and Punctuation block
/// (U+3000-U+303F: `、。〈〉《》「」『』【】〔〕〜`...), the full-width
/// forms of ASCII punctuation (`！＂＃...～`, U+FF01-U+FF0F, U+FF1A-U+FF20,
/// U+FF3B-U+FF40, U+FF5B-U+FF65) and the ellipsis and dashes Chinese
/// writing uses (`…`, `—`, `‘’“”`).
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2026}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Can `c` go on inside a `#word` tag once it started? Letters, digits,
/// `_`, combining marks (a decomposed accent: `e` + U+0301), and the marks
/// Chinese and Japanese write inside words: the middle dots `・` (U+30FB),
/// `･` (U+FF65) and `·` (U+00B7), the wave dash `〜` (U+301C), the
/// full-width tilde `～` (U+FF5E) and the prolonged sound mark `ー`
/// (U+30FC, also `ｰ` U+FF70).
fn is_tag_char(c: char) -> bool {
    is_word_char(c)
        || is_combining_mark(c)
        || matches!(c, '\u{30FB}' | '\u{FF65}' | '\u{00B7}' | '\u{301C}' | '\u{FF5E}' | '\u{30FC}' | '\u{FF70}')
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
                let rest = &s[i + 1..];
                if !rest.starts_with(is_word_char) {
                    return None;
                }
                let run: usize = rest.chars().take_while(|&c| is_tag_char(c)).map(char::len_utf8).sum();
                // A joining mark ends no tag: `#上海・` is the tag `上海`.
                let word_len = rest[..run].trim_end_matches(|c: char| !is_word_char(c) && !is_combining_mark(c)).len();
                let tag = &rest[..word_len];
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

/// The key a tag is stored and looked up by: NFKC, then Unicode default
/// case folding, then NFKC again (Unicode's `NFKC_Casefold` idea), so
/// `#Rust`, `#RUST` and full-width `#ＲＵＳＴ` are one tag, and `e` +
/// U+0301 is `é`. Accents are not stripped: `#Zähler` and `#Zahler` are
/// different words.
pub fn tag_key(tag: &str) -> String {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    // ASCII is its own NFKC, and folds by lowercasing.
    if tag.is_ascii() {
        return tag.to_ascii_lowercase();
    }
    // Each NFKC pass is skipped when the quick check proves the text NFKC already.
    let folded = match is_nfkc_quick(tag.chars()) {
        IsNormalized::Yes => caseless::default_case_fold_str(tag),
        _ => caseless::default_case_fold_str(&tag.nfkc().collect::<String>()),
    };
    match is_nfkc_quick(folded.chars()) {
        IsNormalized::Yes => folded,
        _ => folded.nfkc().collect(),
    }
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

/// The spelling of tag `key` written most often in `bodies` (the first
/// seen on a tie), as a tag page's heading: `#ＲＵＳＴ`, `#Rust` and
/// `#rust` share a page, which is headed the way most posts write it.
pub fn most_used_spelling<'a>(key: &str, bodies: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for body in bodies {
        for seg in segments(body) {
            if let Segment::Tag { tag, .. } = seg {
                if tag_key(tag) == key {
                    match seen.iter_mut().find(|(t, _)| *t == tag) {
                        Some((_, n)) => *n += 1,
                        None => seen.push((tag, 1)),
                    }
                }
            }
        }
    }
    let best = seen.iter().map(|(_, n)| *n).max()?;
    seen.into_iter().find(|(_, n)| *n == best).map(|(t, _)| t.to_string())
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

/// Remove what no text needs and some use to deceive (the table in the
/// module doc): control characters (NUL and the like; line feeds and tabs
/// stay, `\r\n` becomes `\n`), the byte-order mark U+FEFF, and the
/// bidirectional embeddings, overrides and isolates (U+202A-U+202E,
/// U+2066-U+2069), which can make text read backwards. The compose
/// counter removes exactly these before it counts.
pub fn clean(body: &str) -> String {
    body.replace("\r\n", "\n").chars().filter(|&c| !removed(c)).collect()
}

/// Is `c` one of the characters [`clean`] removes?
fn removed(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The length the compose counter shows and the limit applies to, in
/// grapheme clusters: of the text after [`clean`], without the white space
/// at its ends (R2.2). `assets/app.js` computes the same number.
pub fn counted_len(body: &str) -> usize {
    grapheme_len(clean(body).trim())
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
    let n = counted_len(t);
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

    /// Issue 18: a prefix read by code points may end inside a grapheme;
    /// the broken one is dropped and the ellipsis says the text goes on.
    #[test]
    fn excerpt_of_a_prefix_never_splits_a_grapheme() {
        // "👍🏽" is two code points; a 3-code-point prefix ends inside the second.
        assert_eq!(excerpt_of_prefix("👍🏽👍", true, 10), "👍🏽…");
        // A family emoji (7 code points) cut after its 4th.
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        let cut: String = format!("好{family}").chars().take(5).collect();
        assert_eq!(excerpt_of_prefix(&cut, true, 10), "好…");
        assert_eq!(excerpt_of_prefix("e\u{301}e\u{301}", false, 1), "e\u{301}…");
        assert_eq!(excerpt_of_prefix("完整的", false, 10), "完整的");
        assert_eq!(excerpt_of_prefix("一二三四五六", true, 3), "一二三…");
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

    /// The golden list the compose counter is checked against too
    /// (`tests/it/browser/counter.rs`).
    #[test]
    fn golden_counts() {
        let golden: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../tests/golden/text-counts.json")).unwrap();
        assert!(golden.len() >= 20);
        for case in golden {
            let text = case["text"].as_str().unwrap();
            assert_eq!(counted_len(text) as u64, case["count"].as_u64().unwrap(), "{}: {text:?}", case["note"]);
        }
    }

    #[test]
    fn cjk_tags_go_on_through_word_joining_marks() {
        assert_eq!(hashtags("#上海・外滩 今天"), vec!["上海・外滩"]);
        // NFKC makes the half-width dot the full-width one.
        assert_eq!(hashtags("#東京･渋谷と"), vec!["東京・渋谷と"]);
        assert_eq!(hashtags("#マルクス·エンゲルス。"), vec!["マルクス·エンゲルス"]);
        assert_eq!(hashtags("#ラーメン〜好き！"), vec!["ラーメン〜好き"]);
        assert_eq!(hashtags("#周末～出发，好"), vec!["周末~出发"]);
        assert_eq!(hashtags("#コーヒー、"), vec!["コーヒー"]);
        // A joining mark at the end is not part of the tag.
        assert_eq!(hashtags("#上海・ 你好"), vec!["上海"]);
        // Full-width sentence punctuation and spaces end a tag.
        for (body, tag) in [
            ("#你好，世界", "你好"),
            ("#你好。", "你好"),
            ("#你好！", "你好"),
            ("#你好？", "你好"),
            ("#你好、他", "你好"),
            ("#你好；", "你好"),
            ("#你好：", "你好"),
            ("（#你好）", "你好"),
            ("「#你好」", "你好"),
            ("#你好\u{3000}世界", "你好"),
            ("#서울 여행", "서울"),
        ] {
            assert_eq!(hashtags(body), vec![tag], "{body}");
        }
        // The closed form keeps working, spaces and all rules as before.
        assert_eq!(hashtags("看#春节・快乐#了"), vec!["春节・快乐"]);
        // A tag cannot start with a joining mark.
        assert!(hashtags("#・外滩").is_empty());
    }

    #[test]
    fn tags_compare_after_nfkc_and_case_folding() {
        assert_eq!(hashtags("#ＲＵＳＴ #Rust #rust"), vec!["rust"]);
        assert_eq!(tag_key("ＲＵＳＴ"), tag_key("Rust"));
        // A decomposed accent is part of the tag, and equals the composed one.
        assert_eq!(hashtags("#Cafe\u{301} ok"), vec!["café"]);
        assert_eq!(tag_key("Cafe\u{301}"), tag_key("Café"));
        // Accents are not stripped.
        assert_ne!(tag_key("Zähler"), tag_key("Zahler"));
        assert_eq!(tag_key("STRASSE"), tag_key("straße"));
        assert_eq!(tag_key("ΣΊΣΥΦΟΣ"), tag_key("σίσυφος"));
        // Half-width katakana is the full-width word.
        assert_eq!(tag_key("ｺｰﾋｰ"), tag_key("コーヒー"));
        // A zero-width character ends a tag.
        assert_eq!(hashtags("#ab\u{200B}cd"), vec!["ab"]);
        assert_eq!(hashtags("#ab\u{200D}cd"), vec!["ab"]);
        // Emoji with skin tones and ZWJ sequences are not tag characters.
        assert_eq!(hashtags("#跑步👍🏽"), vec!["跑步"]);
    }

    #[test]
    fn a_tag_page_is_headed_by_the_spelling_most_used() {
        let bodies = ["#Rust 1", "#ＲＵＳＴ 2", "#Rust 3", "#rust 4", "#other"];
        assert_eq!(most_used_spelling("rust", bodies), Some("Rust".to_string()));
        assert_eq!(most_used_spelling("rust", ["#rust", "#RUST"]), Some("rust".to_string()));
        assert_eq!(most_used_spelling("rust", ["no tags"]), None);
    }

    #[test]
    fn links_end_before_cjk_punctuation() {
        assert_eq!(
            segments("见 https://example.com/a。谢谢"),
            vec![Text("见 "), Link("https://example.com/a"), Text("。谢谢")]
        );
        assert_eq!(segments("（https://example.com）"), vec![Text("（"), Link("https://example.com"), Text("）")]);
        assert_eq!(
            segments("看https://example.com/x，然后"),
            vec![Text("看"), Link("https://example.com/x"), Text("，然后")]
        );
        assert_eq!(segments("「https://example.com/」"), vec![Text("「"), Link("https://example.com/"), Text("」")]);
        assert_eq!(segments("https://example.com/a！"), vec![Link("https://example.com/a"), Text("！")]);
        assert_eq!(segments("https://example.com/a…"), vec![Link("https://example.com/a"), Text("…")]);
        // An unbalanced ASCII bracket ends the link; a balanced one stays.
        assert_eq!(
            segments("(see https://example.com/a)"),
            vec![Text("(see "), Link("https://example.com/a"), Text(")")]
        );
        assert_eq!(
            segments("https://en.wikipedia.org/wiki/Rust_(language)"),
            vec![Link("https://en.wikipedia.org/wiki/Rust_(language)")]
        );
        // IDN hosts and non-ASCII paths link whole.
        assert_eq!(segments("https://例子.com/路径/文章 好"), vec![Link("https://例子.com/路径/文章"), Text(" 好")]);
        assert_eq!(segments("https://ko.wikipedia.org/wiki/서울"), vec![Link("https://ko.wikipedia.org/wiki/서울")]);
        // A fragment never makes a hashtag, even with a tag after it.
        assert_eq!(hashtags("https://example.com/#frag 和 #真的"), vec!["真的"]);
        assert_eq!(hashtags("https://example.com/页面#第二节。"), Vec::<String>::new());
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
