//! Legal names (R7.1, R10.1): what a person's or an organisation's legal
//! name may hold, and whether a badge's certified name matches the bound one.

use super::IdentityError;

/// Checks a legal name (of a person or an organisation) and returns it
/// trimmed, with runs of whitespace made one space: 2 to 100 characters,
/// no control characters, at least one letter.
///
/// # Errors
/// [`IdentityError::Empty`] or [`IdentityError::LegalName`].
pub fn check_legal_name(input: &str) -> Result<String, IdentityError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(IdentityError::Empty);
    }
    let n = name.chars().count();
    // Names of people and organisations: letters and marks, with the
    // punctuation names really use (middle dot of minority names, brackets
    // and `&` of company names); nothing markup-like.
    let allowed = |c: char| {
        c.is_alphanumeric()
            || matches!(c, ' ' | '·' | '•' | '.' | '-' | '\'' | '’' | '(' | ')' | '（' | '）' | '&' | ',' | '，' | '、')
            || unicode_normalization::char::is_combining_mark(c)
    };
    if !(2..=100).contains(&n) || !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
        return Err(IdentityError::LegalName);
    }
    Ok(name)
}

/// Do a certified name and a bound legal name name the same subject
/// (R10.1)? Compared after NFKC, without whitespace, case-folded, with the
/// middle-dot variants of transliterated names made one.
pub fn names_match(a: &str, b: &str) -> bool {
    fn key(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfkc()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{2022}' | '\u{30FB}' | '\u{FF65}' | '\u{2027}' | '\u{00B7}' => '·',
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect()
    }
    let (ka, kb) = (key(a), key(b));
    !ka.is_empty() && ka == kb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_names_and_matching() {
        assert_eq!(check_legal_name("  阿依古丽·买买提 ").unwrap(), "阿依古丽·买买提");
        assert_eq!(check_legal_name("").unwrap_err(), IdentityError::Empty);
        assert_eq!(check_legal_name("1234").unwrap_err(), IdentityError::LegalName);
        assert_eq!(check_legal_name(&"名".repeat(101)).unwrap_err(), IdentityError::LegalName);
        assert_eq!(check_legal_name("王小丽<img src=x>").unwrap_err(), IdentityError::LegalName);
        assert_eq!(check_legal_name("北京某某科技有限公司（分公司）").unwrap(), "北京某某科技有限公司（分公司）");
        assert_eq!(check_legal_name("Smith & Sons Ltd.").unwrap(), "Smith & Sons Ltd.");
        assert!(names_match("张三", " 张 三"));
        assert!(names_match("阿依古丽•买买提", "阿依古丽·买买提"));
        assert!(names_match("ＡＢＣ Media Ltd", "abc media ltd"));
        assert!(!names_match("张三", "张三丰"));
        assert!(!names_match("", ""));
    }
}
