//! Mainland China mobile numbers (R7.1, R7.2): 11 digits, `1` then `3`-`9`,
//! with an optional +86 country code and separators.

use super::mask::mask_mobile;
use super::IdentityError;
use std::fmt;

/// A validated mainland China mobile number (R7.1, R7.2).
///
/// Shape: 11 ASCII digits, `1` then `3`-`9`, without country code or
/// separators, e.g. `"13800138000"`. Only [`parse_mobile`] builds one.
/// `Debug` is masked; there is no `Display`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    /// The normalised 11-digit number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Mobile").field(&mask_mobile(&self.0)).finish()
    }
}

/// Parses a mainland China mobile number (R7.2).
///
/// Whitespace and hyphens anywhere are removed. A country code is accepted
/// only for China: `+86`, `0086`, or a bare `86` in front of 11 digits.
/// `+86 138 0013 8000`, `0086-138-0013-8000` and `8613800138000` all give
/// `13800138000`.
///
/// # Errors
/// In order: [`Empty`](IdentityError::Empty) →
/// [`Character`](IdentityError::Character) (anything but digits and one
/// leading `+`) → [`CountryCode`](IdentityError::CountryCode) (`+` or `00`
/// followed by another country code) → [`Length`](IdentityError::Length) (not
/// 11 digits) → [`Prefix`](IdentityError::Prefix) (not `1` then `3`-`9`).
pub fn parse_mobile(input: &str) -> Result<Mobile, IdentityError> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.is_empty() {
        return Err(IdentityError::Empty);
    }
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentityError::Character);
    }
    let national = if plus {
        digits.strip_prefix("86").ok_or(IdentityError::CountryCode)?
    } else if digits.starts_with("00") {
        digits.strip_prefix("0086").ok_or(IdentityError::CountryCode)?
    } else if digits.len() == 13 && digits.starts_with("86") {
        &digits[2..]
    } else {
        digits
    };
    if national.len() != 11 {
        return Err(IdentityError::Length);
    }
    let b = national.as_bytes();
    if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
        return Err(IdentityError::Prefix);
    }
    Ok(Mobile(national.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_rules() {
        let cases = [
            ("8613800138000", Ok("13800138000")),
            ("+8613800138000", Ok("13800138000")),
            (" 138-0013-8000 ", Ok("13800138000")),
            ("19912345678", Ok("19912345678")),
            ("", Err("empty")),
            (" - ", Err("empty")),
            ("+44 7911 123456", Err("country_code")),
            ("001 138 0013 8000", Err("country_code")),
            ("+86 138 0013 800", Err("length")),
            ("86138001380001", Err("length")),
            ("(138)00138000", Err("character")),
            ("138+00138000", Err("character")),
            ("23800138000", Err("prefix")),
            ("10012345678", Err("prefix")),
        ];
        for (input, want) in cases {
            let got = parse_mobile(input);
            match want {
                Ok(v) => assert_eq!(got.map(|m| m.as_str().to_owned()).as_deref(), Ok(v), "{input}"),
                Err(code) => assert_eq!(got.unwrap_err().code(), code, "{input}"),
            }
        }
    }

    // R7.5: Debug output is masked.
    #[test]
    fn debug_is_masked() {
        let m = parse_mobile("13800138000").unwrap();
        assert_eq!(format!("{m:?}"), "Mobile(\"138****8000\")");
    }
}
