//! Personal muted words (issue 18): what a member may mute, and whether a
//! text hits one. Words are matched exactly as keyword rules are (R12.1):
//! both sides go through [`keywords::normalise`], then a substring test.

use crate::domain::keywords;
use crate::domain::text::grapheme_len;

/// Longest muted word, in user-perceived characters (grapheme clusters).
pub const MAX_WORD_CHARS: usize = 30;
/// Most muted words one member may keep.
pub const MAX_WORDS: usize = 100;

/// Why a muted word was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordError {
    /// Nothing left after trimming and normalising (only spaces or separators).
    Empty,
    /// Longer than [`MAX_WORD_CHARS`] (the length is carried).
    TooLong(usize),
}

/// A muted word as typed (trimmed) and its normalised key.
///
/// # Errors
/// [`WordError`] for an empty or too long word.
pub fn parse_word(typed: &str) -> Result<(String, String), WordError> {
    let word = typed.trim().to_string();
    let n = grapheme_len(&word);
    if n > MAX_WORD_CHARS {
        return Err(WordError::TooLong(n));
    }
    let key = keywords::normalise(&word);
    if key.is_empty() {
        return Err(WordError::Empty);
    }
    Ok((word, key))
}

/// Does `text` contain any of the normalised `keys`?
pub fn hits(keys: &[String], text: &str) -> bool {
    if keys.is_empty() {
        return false;
    }
    let t = keywords::normalise(text);
    keys.iter().any(|k| t.contains(k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_after_the_keyword_normalisation() {
        let (word, key) = parse_word("  剧 透 ").unwrap();
        assert_eq!(word, "剧 透");
        assert!(hits(std::slice::from_ref(&key), "今天有人剧\u{200B}透了结局"));
        assert!(hits(&[keywords::normalise("Spoiler")], "ＳＰＯＩＬＥＲ alert"));
        assert!(!hits(&[key], "没有相关内容"));
        assert_eq!(parse_word(" · "), Err(WordError::Empty));
        assert_eq!(parse_word(&"字".repeat(31)), Err(WordError::TooLong(31)));
    }
}
