//! Complaint rules (R14.1, R14.2): categories with their SLA, the tracking
//! number, what a complaint may be about, and the limits of its texts.
//! Pure: no I/O.

/// Longest complaint text or resolution, in characters.
pub const MAX_TEXT: usize = 2000;
/// Longest contact field (phone or e-mail), in characters.
pub const MAX_CONTACT: usize = 100;

/// One category of complaint and how long staff have to answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Stored in `complaints.category`: `prohibited`, `rumour`, ...
    pub key: String,
    /// Hours from filing to the due time (R14.2).
    pub sla_hours: i64,
}

/// Parse one configured category, `key:hours` (`rumour:24`); `None` when
/// the key is empty or not `[a-z_]`, or the hours are not 1..=8760.
pub fn parse_category(s: &str) -> Option<Category> {
    let (key, hours) = s.split_once(':')?;
    let key = key.trim();
    let hours: i64 = hours.trim().parse().ok()?;
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') || !(1..=8760).contains(&hours) {
        return None;
    }
    Some(Category { key: key.into(), sla_hours: hours })
}

/// The configured categories, in order (bad entries, refused at start-up, are skipped).
pub fn categories(config: &[String]) -> Vec<Category> {
    config.iter().filter_map(|c| parse_category(c)).collect()
}

/// What a complaint is about, from the `target` field: `post:12`,
/// `comment:3`, `user:alice` (a username is looked up by the caller), or
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Post(i64),
    Comment(i64),
    User(String),
    None,
}

impl Target {
    /// Parse the `target` field; `None` for anything else than the forms above.
    pub fn parse(s: &str) -> Option<Target> {
        let s = s.trim();
        if s.is_empty() {
            return Some(Target::None);
        }
        let (kind, v) = s.split_once(':')?;
        match kind {
            "post" => v.parse().ok().filter(|n: &i64| *n > 0).map(Target::Post),
            "comment" => v.parse().ok().filter(|n: &i64| *n > 0).map(Target::Comment),
            "user" if !v.is_empty() && v.len() <= 64 => Some(Target::User(v.trim_start_matches('@').into())),
            _ => None,
        }
    }
}

/// A tracking number from 10 random bytes: `TS-` and 16 characters of
/// Crockford base 32 in groups of four, easy to read out on the phone.
pub fn tracking_number(random: &[u8; 10]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits: u128 = 0;
    for b in random {
        bits = (bits << 8) | u128::from(*b);
    }
    let chars: Vec<char> = (0..16).map(|i| ALPHABET[((bits >> (75 - 5 * i)) & 31) as usize] as char).collect();
    let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
    format!("TS-{}", groups.join("-"))
}

/// A tracking number as a person types it, made canonical: spaces
/// dropped, upper case, and the Crockford look-alikes read as digits
/// (`O` as `0`, `I` and `L` as `1`) after the `TS-` prefix.
pub fn normalise_tracking(s: &str) -> String {
    let up: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    match up.strip_prefix("TS-") {
        Some(rest) => {
            let rest: String = rest
                .chars()
                .map(|c| match c {
                    'O' => '0',
                    'I' | 'L' => '1',
                    c => c,
                })
                .collect();
            format!("TS-{rest}")
        }
        None => up,
    }
}

/// Is `s` shaped like a tracking number (so a status lookup never queries junk)?
pub fn looks_like_tracking(s: &str) -> bool {
    s.len() == 22 && s.starts_with("TS-") && s[3..].bytes().all(|b| b == b'-' || b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_tracking_numbers_are_normalised() {
        assert_eq!(normalise_tracking(" ts-abcd-0o1l-WXYZ-1234 "), "TS-ABCD-0011-WXYZ-1234");
        assert!(looks_like_tracking(&normalise_tracking("ts-abcd-efgh-jkmn-pqrs")));
        assert_eq!(normalise_tracking("hello"), "HELLO");
    }

    #[test]
    fn categories_parse() {
        assert_eq!(parse_category("rumour:24"), Some(Category { key: "rumour".into(), sla_hours: 24 }));
        assert_eq!(parse_category("Rumour:24"), None);
        assert_eq!(parse_category("rumour:0"), None);
        assert_eq!(parse_category("rumour"), None);
    }

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("post:12"), Some(Target::Post(12)));
        assert_eq!(Target::parse("comment:0"), None);
        assert_eq!(Target::parse("user:@alice"), Some(Target::User("alice".into())));
        assert_eq!(Target::parse(""), Some(Target::None));
        assert_eq!(Target::parse("x:1"), None);
    }

    #[test]
    fn tracking_numbers_are_readable() {
        let t = tracking_number(&[255; 10]);
        assert_eq!(t, "TS-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        assert!(looks_like_tracking(&t));
        assert!(looks_like_tracking(&tracking_number(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
        assert!(!looks_like_tracking("TS-1"));
    }
}
