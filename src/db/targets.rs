//! What a staff or member page shows for a logged or referenced target
//! (`post:7`, `comment:3`, `user:5`, `complaint:2`) instead of the raw
//! `kind:id`: its kind, a short excerpt and what to link to (issue 13).
//! Reads only; visibility is the caller's business (staff pages).

use crate::domain::text::excerpt;
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// Characters of a post or comment shown as its excerpt.
pub const EXCERPT_CHARS: usize = 24;

/// A target described for a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// `post`, `comment`, `user` or `complaint`.
    pub kind: &'static str,
    /// The row's id.
    pub id: i64,
    /// A post's or comment's first [`EXCERPT_CHARS`] characters, `@name`
    /// of an account, a complaint's tracking number.
    pub text: String,
    /// The post a comment is under (for its link), else `None`.
    pub post_id: Option<i64>,
}

/// Describe one `kind:id` target; `None` for any other shape (a setting,
/// a path) or a row that no longer exists.
///
/// # Errors
/// A database error.
pub fn describe(conn: &Connection, target: &str) -> Result<Option<Described>> {
    let Some((kind, id)) = target.split_once(':') else { return Ok(None) };
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    let (kind, sql): (&'static str, &str) = match kind {
        "post" => ("post", "SELECT body, NULL FROM posts WHERE id = ?1"),
        "comment" => ("comment", "SELECT body, post_id FROM comments WHERE id = ?1"),
        "user" => ("user", "SELECT '@' || username, NULL FROM users WHERE id = ?1"),
        "complaint" => ("complaint", "SELECT tracking, NULL FROM complaints WHERE id = ?1"),
        _ => return Ok(None),
    };
    let row: Option<(String, Option<i64>)> =
        conn.prepare_cached(sql)?.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(row.map(|(text, post_id)| Described {
        kind,
        id,
        text: if matches!(kind, "post" | "comment") { excerpt(&text, EXCERPT_CHARS) } else { text },
        post_id,
    }))
}

/// Described targets by their `kind:id` token, for a page that shows many.
pub type Targets = std::collections::HashMap<String, Described>;

/// The kinds a `kind:id` token may name.
const KINDS: [&str; 4] = ["complaint", "comment", "post", "user"];

/// Each `kind:id` token in `s` (a log target or outcome such as
/// `ok: user:5, 2 complaints`), as byte ranges `(start, end)`: a known kind
/// at a word start, a colon, then digits up to a word end.
pub fn tokens(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let at_start = i == 0 || !word(b[i - 1]);
        // Bytes, not `&s[i..]`: `i` may fall inside a multi-byte character.
        let kind =
            KINDS.iter().find(|k| at_start && b[i..].starts_with(k.as_bytes()) && b.get(i + k.len()) == Some(&b':'));
        if let Some(k) = kind {
            let digits = i + k.len() + 1;
            let mut end = digits;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end > digits && (end == b.len() || !word(b[end])) {
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Describe every `kind:id` token found in `texts` (each looked up once).
///
/// # Errors
/// A database error.
pub fn describe_in<'a>(conn: &Connection, texts: impl IntoIterator<Item = &'a str>) -> Result<Targets> {
    let mut out = Targets::new();
    for text in texts {
        for (a, z) in tokens(text) {
            let token = &text[a..z];
            if !out.contains_key(token) {
                if let Some(d) = describe(conn, token)? {
                    out.insert(token.to_string(), d);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn finds_kind_id_tokens_at_word_bounds() {
        let s = "ok: user:5, complaint:12 post:x repost:3 post:7";
        let found: Vec<&str> = tokens(s).into_iter().map(|(a, z)| &s[a..z]).collect();
        assert_eq!(found, ["user:5", "complaint:12", "post:7"]);
        assert!(tokens("setting:site_name path:/admin").is_empty());
        assert!(tokens("post:7a").is_empty());
    }

    /// Found by the attack suite: a log outcome with Chinese in it made the
    /// scan slice inside a character and the dashboard answer 500.
    #[test]
    fn multi_byte_text_around_tokens() {
        let s = "长长长 post:3 长x长 comment:9长";
        let found: Vec<&str> = tokens(s).into_iter().map(|(a, z)| &s[a..z]).collect();
        assert_eq!(found, ["post:3", "comment:9"]);
        assert!(tokens("长").is_empty() && tokens("\u{202e}\u{feff}").is_empty());
    }
}
