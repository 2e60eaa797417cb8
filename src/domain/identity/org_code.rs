//! GB 11714 organisation codes (R7.2): the legacy 9-character identifier
//! of organisations registered before the credit code, with its MOD 11
//! check character (also embedded in every credit code).

use super::mask::mask_org_code;
use super::IdentityError;
use std::fmt;

/// A validated GB 11714-1997 organisation code (组织机构代码, R7.2), the
/// legacy identifier of organisations that predates the credit code.
///
/// Shape: 9 ASCII characters, 8 body characters from `0-9A-Z` + check
/// character (digit or `X`), uppercase, without the customary hyphen. Only
/// [`parse_org_code`] builds one. `Debug` is masked; there is no `Display`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OrgCode(String);

impl OrgCode {
    /// The normalised 9-character code, e.g. `"123456788"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OrgCode").field(&mask_org_code(&self.0)).finish()
    }
}

/// GB 11714 weights for body positions 1-8.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// GB 11714 value of a body character: `0-9` → 0-9, `A-Z` → 10-35.
fn org_char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// GB 11714 check character for an 8-character body, `None` if a character
/// is outside `0-9A-Z`. C9 = 11 − (Σ value × weight mod 11); 10 → `X`, 11 → `0`.
pub(super) fn org_check_char(body: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (&c, w) in body.iter().zip(ORG_WEIGHTS) {
        sum += org_char_value(c)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    })
}

/// Parses an organisation code per GB 11714-1997 (R7.2).
///
/// Accepts, after trimming surrounding whitespace and uppercasing ASCII
/// letters, 8 body characters from `0-9A-Z` plus a check character, with an
/// optional single hyphen before the check character: `12345678-8` and
/// `123456788` both give `123456788`.
///
/// # Errors
/// In order: [`Empty`](IdentityError::Empty) →
/// [`Length`](IdentityError::Length) (not 9 characters once the hyphen is
/// removed) → [`Character`](IdentityError::Character) (body outside `0-9A-Z`,
/// check outside `0-9X`) → [`CheckCharacter`](IdentityError::CheckCharacter).
pub fn parse_org_code(input: &str) -> Result<OrgCode, IdentityError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(IdentityError::Empty);
    }
    let mut chars: Vec<char> = s.chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() >= 2 && chars[chars.len() - 2] == '-' {
        chars.remove(chars.len() - 2);
    }
    if chars.len() != 9 {
        return Err(IdentityError::Length);
    }
    let body_ok = chars[..8].iter().all(|c| matches!(c, '0'..='9' | 'A'..='Z'));
    if !body_ok || !matches!(chars[8], '0'..='9' | 'X') {
        return Err(IdentityError::Character);
    }
    let code: String = chars.into_iter().collect();
    let b = code.as_bytes();
    if org_check_char(&b[..8]) != Some(b[8]) {
        return Err(IdentityError::CheckCharacter);
    }
    Ok(OrgCode(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_code_rules() {
        let cases = [
            ("a4xfd1ym1", Ok("A4XFD1YM1")),
            ("  12345678-8 ", Ok("123456788")),
            ("", Err("empty")),
            ("1234567-8", Err("length")),
            ("12345678--8", Err("length")),
            ("1234-5678", Err("character")),
            ("1234567_8", Err("character")),
            ("12345678A", Err("character")),
            ("12345678X", Err("check_character")),
        ];
        for (input, want) in cases {
            let got = parse_org_code(input);
            match want {
                Ok(v) => assert_eq!(got.map(|c| c.as_str().to_owned()).as_deref(), Ok(v), "{input}"),
                Err(code) => assert_eq!(got.unwrap_err().code(), code, "{input}"),
            }
        }
    }

    // R7.5: Debug output is masked.
    #[test]
    fn debug_is_masked() {
        let o = parse_org_code("123456788").unwrap();
        assert_eq!(format!("{o:?}"), "OrgCode(\"12*****88\")");
    }
}
