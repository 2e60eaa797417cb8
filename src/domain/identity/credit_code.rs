//! GB 32100 unified social credit codes (R7.2): 18 characters of a
//! 31-character alphabet with a MOD 31 check character, a known registration
//! authority and organisation type, and an embedded GB 11714 organisation
//! code; the reviewer's override for early codes that fail their check.

use super::mask::mask_credit_code;
use super::org_code::org_check_char;
use super::region::province_name;
use super::IdentityError;
use std::fmt;

/// A validated GB 32100-2015 unified social credit code (统一社会信用代码, R7.2).
///
/// Shape: 18 characters from the 31-character alphabet
/// `0123456789ABCDEFGHJKLMNPQRTUWXY`: registration authority (1), organisation
/// type (1), region code (6 digits), embedded GB 11714 organisation code (9),
/// check character (1). Only [`parse_credit_code`] builds one. `Debug` is
/// masked; there is no `Display`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    /// The normalised 18-character uppercase code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit region code of the registering authority, characters 3-8
    /// (e.g. `"440305"`; `"100000"` for national-level registration).
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// Chinese province-level name from characters 3-4, or `None` when they
    /// are not a province code (e.g. `10` for national-level registration).
    pub fn province(&self) -> Option<&'static str> {
        province_name(&self.0[2..4])
    }

    /// The embedded GB 11714 organisation code, characters 9-17.
    pub fn org_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CreditCode").field(&mask_credit_code(&self.0)).finish()
    }
}

/// GB 32100 character set; a character's value is its index (I, O, S, V, Z
/// are excluded).
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100 weights for positions 1-17 (3^(i-1) mod 31).
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn credit_char_value(c: u8) -> Option<u32> {
    CREDIT_ALPHABET.iter().position(|&a| a == c).map(|i| i as u32)
}

/// GB 32100 check character for 17 alphabet characters:
/// C18 = 31 − (Σ value × weight mod 31), 31 → 0, mapped through the alphabet.
fn credit_check_char(first17: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (&c, w) in first17.iter().zip(CREDIT_WEIGHTS) {
        sum += credit_char_value(c)? * w;
    }
    Some(CREDIT_ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// Organisation types (position 2) a registration authority (position 1)
/// issues, per the GB 32100-2015 code table and later assignments, or `None`
/// if the authority is unknown. Deliberately permissive: where the table is
/// not clear-cut, types 1, 2, 3 and 9 are accepted.
fn credit_org_types(authority: u8) -> Option<&'static [u8]> {
    Some(match authority {
        b'1' => b"1239",   // 机构编制: 机关, 事业单位, 群众团体, 其他
        b'5' => b"1239",   // 民政: 社会团体, 民办非企业单位, 基金会, 其他
        b'9' => b"123",    // 工商: 企业, 个体工商户, 农民专业合作社
        b'3' => b"123459", // 司法行政: 律所, 公证处, 法律服务所, 司法鉴定, 仲裁委, 其他
        b'Y' => b"123",    // 其他
        b'2' | b'4' | b'6' | b'7' | b'8' | b'A' | b'B' | b'C' | b'D' | b'E' | b'F' | b'G' | b'N' => b"1239",
        _ => return None,
    })
}

/// Parses a unified social credit code per GB 32100-2015 (R7.2).
///
/// Accepts, after trimming surrounding whitespace and uppercasing ASCII
/// letters, 18 characters from the GB 32100 alphabet. Positions 3-8 must be
/// digits, position 18 the MOD 31 check character, and positions 9-17 a
/// GB 11714 organisation code with a valid check character (letter values
/// A=10 … Z=35, as GB 11714 defines them).
///
/// # Errors
/// In order: [`Empty`](IdentityError::Empty) →
/// [`Length`](IdentityError::Length) → [`Character`](IdentityError::Character)
/// (outside the 31-character alphabet, e.g. `I`) →
/// [`RegistrationAuthority`](IdentityError::RegistrationAuthority) →
/// [`OrgType`](IdentityError::OrgType) → [`Region`](IdentityError::Region)
/// (positions 3-8 not digits) →
/// [`CheckCharacter`](IdentityError::CheckCharacter) →
/// [`EmbeddedOrgCode`](IdentityError::EmbeddedOrgCode).
pub fn parse_credit_code(input: &str) -> Result<CreditCode, IdentityError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(IdentityError::Empty);
    }
    if s.chars().count() != 18 {
        return Err(IdentityError::Length);
    }
    let code = s.to_ascii_uppercase();
    let b = code.as_bytes();
    // Non-ASCII input has more bytes than chars and fails the alphabet check.
    if b.len() != 18 || !b.iter().all(|&c| credit_char_value(c).is_some()) {
        return Err(IdentityError::Character);
    }
    let types = credit_org_types(b[0]).ok_or(IdentityError::RegistrationAuthority)?;
    if !types.contains(&b[1]) {
        return Err(IdentityError::OrgType);
    }
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        return Err(IdentityError::Region);
    }
    if credit_check_char(&b[..17]) != Some(b[17]) {
        return Err(IdentityError::CheckCharacter);
    }
    if org_check_char(&b[8..16]) != Some(b[16]) {
        return Err(IdentityError::EmbeddedOrgCode);
    }
    Ok(CreditCode(code))
}

/// Parses a credit code like [`parse_credit_code`] but without its two
/// check characters (position 18 and the embedded organisation code's).
///
/// A few genuinely issued early codes fail their own check; such a code may
/// be accepted only by a reviewer who has seen the licence, and that
/// override is recorded (R7.2). Use this only on that path, and only after
/// [`parse_credit_code`] failed with
/// [`CheckCharacter`](IdentityError::CheckCharacter) or
/// [`EmbeddedOrgCode`](IdentityError::EmbeddedOrgCode).
///
/// # Errors
/// Every rule of [`parse_credit_code`] except the two check characters.
pub fn parse_credit_code_unchecked(input: &str) -> Result<CreditCode, IdentityError> {
    match parse_credit_code(input) {
        Ok(c) => Ok(c),
        Err(IdentityError::CheckCharacter | IdentityError::EmbeddedOrgCode) => {
            Ok(CreditCode(input.trim().to_ascii_uppercase()))
        }
        Err(e) => Err(e),
    }
}

/// Can a failure of this rule be overridden by a reviewer who checked the
/// licence by hand (R7.2)? Only a credit code's check characters.
pub fn overridable(e: IdentityError) -> bool {
    matches!(e, IdentityError::CheckCharacter | IdentityError::EmbeddedOrgCode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identity::parse_org_code;

    #[test]
    fn credit_code_accessors() {
        let c = parse_credit_code("91440305GG0UEQ5K5C").unwrap();
        assert_eq!(c.region_code(), "440305");
        assert_eq!(c.province(), Some("广东省"));
        assert_eq!(c.org_code(), "GG0UEQ5K5");
        assert!(parse_org_code(c.org_code()).is_ok());
    }

    /// Builds an 18-char credit code with a correct position-18 check from 17
    /// characters, so rule order can be tested independently of the check.
    fn with_credit_check(first17: &str) -> String {
        let check = credit_check_char(first17.as_bytes()).unwrap();
        format!("{first17}{}", char::from(check))
    }

    #[test]
    fn credit_code_rules() {
        // National-level registration (region 100000) has no province.
        let national = parse_credit_code(&with_credit_check("11100000GG0UEQ5K5")).unwrap();
        assert_eq!(national.province(), None);
        let cases = [
            ("", "empty"),
            ("91440305GG0UEQ5K5CC", "length"),
            ("91440305GG0UEQ5K5Ｃ", "character"),
            ("91440305GGOUEQ5K5C", "character"),
            ("H1440305GG0UEQ5K5C", "registration_authority"),
            ("94440305GG0UEQ5K5C", "org_type"),
            ("14440305GG0UEQ5K5C", "org_type"),
            ("Y9440305GG0UEQ5K5C", "org_type"),
            ("914403A5GG0UEQ5K5C", "region"),
        ];
        for (input, code) in cases {
            assert_eq!(parse_credit_code(input).unwrap_err().code(), code, "{input}");
        }
        // Embedded org code checked after the position-18 check.
        let bad_embedded = with_credit_check("91440305GG0UEQ5K4");
        assert_eq!(parse_credit_code(&bad_embedded).unwrap_err(), IdentityError::EmbeddedOrgCode);
    }

    // R7.2: a reviewer's override path accepts only check-character faults.
    #[test]
    fn unchecked_credit_code() {
        assert!(parse_credit_code("91440305GG0UEQ5K5D").is_err());
        assert_eq!(parse_credit_code_unchecked("91440305GG0UEQ5K5D").unwrap().as_str(), "91440305GG0UEQ5K5D");
        assert_eq!(parse_credit_code_unchecked("91110108MA01B2C31T").unwrap().province(), Some("北京市"));
        assert_eq!(parse_credit_code_unchecked("91440305GGIUEQ5K5C").unwrap_err(), IdentityError::Character);
        assert_eq!(parse_credit_code_unchecked("H1440305GG0UEQ5K5C").unwrap_err().code(), "registration_authority");
        assert!(overridable(IdentityError::EmbeddedOrgCode) && !overridable(IdentityError::Length));
    }

    // R7.5: Debug output is masked.
    #[test]
    fn debug_is_masked() {
        let c = parse_credit_code("91440305GG0UEQ5K5C").unwrap();
        assert!(!format!("{c:?}").contains("91440305GG0UEQ5K5C"));
    }
}
