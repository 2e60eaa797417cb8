//! Search text: what the post search index holds and how a query is asked
//! (issue 17, R12.2). Pure functions, no I/O.
//!
//! SQLite's FTS5 has no Chinese word segmenter, and its trigram tokenizer
//! cannot answer the one- and two-character queries Chinese readers type
//! most (`天气`, `招聘`). So Plaza makes the indexed text itself and FTS5's
//! plain `unicode61` tokenizer only splits it at spaces:
//!
//! 1. **Folding**: every character goes through NFKC and lower-casing, so
//!    full-width `ＡＢＣ` is `abc` and `Rust` is `rust` ([`fold`]).
//! 2. **Tokens**: runs of CJK characters (Han, kana, Hangul) and runs of
//!    other letters and digits ("words"); everything else separates.
//! 3. **Index columns** ([`IndexText`]): `bi` holds each CJK run as its
//!    overlapping bigrams (`今天气温` → `今天 天气 气温`) and each word;
//!    `uni` holds every CJK character alone.
//! 4. **Queries** ([`fts_query`]), built from the query folded the same
//!    way: a single CJK character asks `uni`; a CJK run of two or more asks
//!    `bi` for the phrase of its bigrams (so `天气` finds exactly the posts
//!    containing `天气`); a word asks `bi` for words starting with it. All
//!    parts must match (AND).

use unicode_normalization::UnicodeNormalization;

/// Longest query accepted, in characters (a longer one gets a message).
pub const MAX_QUERY_CHARS: usize = 100;

/// Is `ch` written without spaces between words (Han ideographs, kana,
/// Hangul syllables)? Such runs are indexed by character pairs.
pub fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F
        | 0x3040..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xAC00..=0xD7AF)
}

/// One folded character and the byte range of the original character it
/// came from (several folded characters may share one range: `ﬁ` → `fi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folded {
    pub ch: char,
    pub start: usize,
    pub end: usize,
}

/// NFKC and lower-case `text` character by character, keeping where each
/// folded character came from (for highlighting, see [`matches`]).
pub fn fold(text: &str) -> Vec<Folded> {
    let mut out = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        if c.is_ascii() {
            out.push(Folded { ch: c.to_ascii_lowercase(), start, end });
            continue;
        }
        for n in std::iter::once(c).nfkc() {
            for l in n.to_lowercase() {
                out.push(Folded { ch: l, start, end });
            }
        }
    }
    out
}

/// A token of folded text: a CJK run or a word of other letters and digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Cjk(Vec<char>),
    Word(String),
}

/// The tokens of `text`, folded (see the module doc).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    for f in fold(text) {
        if is_cjk(f.ch) {
            if !word.is_empty() {
                out.push(Token::Word(std::mem::take(&mut word)));
            }
            cjk.push(f.ch);
        } else if f.ch.is_alphanumeric() {
            if !cjk.is_empty() {
                out.push(Token::Cjk(std::mem::take(&mut cjk)));
            }
            word.push(f.ch);
        } else {
            if !word.is_empty() {
                out.push(Token::Word(std::mem::take(&mut word)));
            }
            if !cjk.is_empty() {
                out.push(Token::Cjk(std::mem::take(&mut cjk)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    if !cjk.is_empty() {
        out.push(Token::Cjk(cjk));
    }
    out
}

/// The two columns of a post's index row (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexText {
    /// Bigrams of CJK runs and words, space-separated.
    pub bi: String,
    /// Every CJK character, space-separated.
    pub uni: String,
}

/// The index row of a post body.
pub fn index_text(body: &str) -> IndexText {
    let mut t = IndexText::default();
    let push = |s: &mut String, w: &str| {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    };
    for tok in tokens(body) {
        match tok {
            Token::Word(w) => push(&mut t.bi, &w),
            Token::Cjk(run) => {
                for pair in run.windows(2) {
                    push(&mut t.bi, &pair.iter().collect::<String>());
                }
                for c in run {
                    push(&mut t.uni, &c.to_string());
                }
            }
        }
    }
    t
}

/// Why a query cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    /// Nothing searchable (empty, or only punctuation).
    Empty,
    /// Longer than [`MAX_QUERY_CHARS`].
    TooLong,
}

/// The FTS5 `MATCH` expression for a query typed by a person, and the
/// folded strings to highlight in results.
///
/// # Errors
/// [`QueryError::Empty`] when nothing searchable is left,
/// [`QueryError::TooLong`] over [`MAX_QUERY_CHARS`] characters.
pub fn fts_query(query: &str) -> Result<(String, Vec<String>), QueryError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let mut parts = Vec::new();
    let mut needles = Vec::new();
    for tok in tokens(query) {
        match tok {
            // Tokens hold only letters and digits, so quoting them is safe.
            Token::Word(w) => {
                parts.push(format!("bi : \"{w}\" *"));
                needles.push(w);
            }
            Token::Cjk(run) if run.len() == 1 => {
                parts.push(format!("uni : \"{}\"", run[0]));
                needles.push(run[0].to_string());
            }
            Token::Cjk(run) => {
                let pairs: Vec<String> = run.windows(2).map(|p| p.iter().collect()).collect();
                parts.push(format!("bi : \"{}\"", pairs.join(" ")));
                needles.push(run.iter().collect());
            }
        }
    }
    if parts.is_empty() {
        return Err(QueryError::Empty);
    }
    needles.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    needles.dedup();
    Ok((parts.join(" AND "), needles))
}

/// Byte ranges of `text` where one of `needles` (folded, as [`fts_query`]
/// gives them) occurs after folding, in order and not overlapping.
pub fn matches(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let folded = fold(text);
    let chars: Vec<char> = folded.iter().map(|f| f.ch).collect();
    let needles: Vec<Vec<char>> =
        needles.iter().map(|n| n.chars().collect()).filter(|n: &Vec<char>| !n.is_empty()).collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let hit = needles.iter().find(|n| chars[i..].starts_with(n));
        match hit {
            Some(n) => {
                let (start, end) = (folded[i].start, folded[i + n.len() - 1].end);
                match out.last_mut() {
                    Some(last) if last.1 >= start => last.1 = last.1.max(end),
                    _ => out.push((start, end)),
                }
                i += n.len();
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_text_has_bigrams_unigrams_and_words() {
        let t = index_text("今天气温 Hello, ＡＢＣ 2026年!");
        assert_eq!(t.bi, "今天 天气 气温 hello abc 2026");
        assert_eq!(t.uni, "今 天 气 温 年");
    }

    #[test]
    fn queries_by_length() {
        assert_eq!(fts_query("天").unwrap().0, "uni : \"天\"");
        assert_eq!(fts_query("天气").unwrap().0, "bi : \"天气\"");
        assert_eq!(fts_query("天气预报").unwrap().0, "bi : \"天气 气预 预报\"");
        assert_eq!(fts_query("ＲＵＳＴ 招聘").unwrap().0, "bi : \"rust\" * AND bi : \"招聘\"");
        assert_eq!(fts_query("  ，。 "), Err(QueryError::Empty));
        // FTS5 syntax typed by a person is only text: quotes and stars go, words are quoted.
        assert_eq!(fts_query("\"a\" OR NEAR(*").unwrap().0, "bi : \"a\" * AND bi : \"or\" * AND bi : \"near\" *");
        assert_eq!(fts_query(&"字".repeat(101)), Err(QueryError::TooLong));
    }

    #[test]
    fn matches_map_back_to_the_original() {
        let text = "说ＡＢＣ和abc，天气好";
        let (_, needles) = fts_query("abc 天气").unwrap();
        let found: Vec<&str> = matches(text, &needles).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["ＡＢＣ", "abc", "天气"]);
    }
}
