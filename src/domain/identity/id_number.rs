//! GB 11643 resident ID numbers (R7.2): 18 characters with an ISO 7064
//! MOD 11-2 check character, a real birth date and a province-level region;
//! legacy 15-digit numbers are upgraded.

use super::mask::mask_id_number;
use super::region::province_name;
use super::IdentityError;
use std::fmt;

/// A validated GB 11643-1999 citizen identity number (R7.2).
///
/// Shape: 18 ASCII characters, 6-digit region code + 8-digit birth date
/// `YYYYMMDD` + 3-digit sequence + check character (digit or uppercase `X`).
/// Legacy 15-digit numbers are upgraded to 18 on parsing. Only
/// [`parse_id_number`] builds one. `Debug` is masked; there is no `Display`
/// (R7.4, R7.5): use [`IdNumber::as_str`] only where the full value is needed
/// (encryption, keyed hash).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    /// The full normalised 18-character number (uppercase `X`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit GB/T 2260 region code (address code), characters 1-6.
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// Chinese name of the province-level region from the first two digits,
    /// e.g. `"北京市"` for `11`. Always `Some` for a parsed number; `Option`
    /// keeps the signature shared with [`CreditCode::province`](super::CreditCode::province).
    pub fn province(&self) -> Option<&'static str> {
        province_name(&self.0[..2])
    }

    /// Birth date `(year, month, day)` from characters 7-14.
    pub fn birth_date(&self) -> (i32, u8, u8) {
        birth_date_digits(&self.0)
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&mask_id_number(&self.0)).finish()
    }
}

/// GB 11643 weights for positions 1-17 (2^(18-i) mod 11).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// GB 11643 check character indexed by (weighted sum mod 11).
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// GB 11643 check character for 17 ASCII digits (`b'0'..=b'9'`): one of
/// `0-9` or `X`.
pub fn id_check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(ID_WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    ID_CHECK[(sum % 11) as usize]
}

/// `(year, month, day)` from characters 7-14 of an all-ASCII 18-char number.
fn birth_date_digits(id18: &str) -> (i32, u8, u8) {
    let num = |range: std::ops::Range<usize>| {
        id18.as_bytes()[range].iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    (num(6..10) as i32, num(10..12) as u8, num(12..14) as u8)
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Whether `(year, month, day)` is a real proleptic Gregorian date.
fn is_real_date(year: i32, month: u8, day: u8) -> bool {
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// Parses a resident ID number per GB 11643-1999 (R7.2).
///
/// Accepts, after trimming surrounding whitespace:
/// - 18 characters: 17 digits + check character (digit, `X` or `x`);
/// - legacy 15 digits (GB 11643-1989): region + `YYMMDD` (read as 19YY) +
///   sequence, upgraded by inserting `19` and appending the computed check
///   character, e.g. `110101850315123` → `110101198503151235`.
///
/// `today` is the caller's current date `(year, month, day)`; birth dates after
/// it are rejected. The module reads no clock, so tests stay deterministic.
///
/// # Errors
/// Checked in this order, first failure wins:
/// [`Empty`](IdentityError::Empty) → [`Length`](IdentityError::Length) (not 15
/// or 18 characters) → [`Character`](IdentityError::Character) →
/// [`Region`](IdentityError::Region) (first two digits not a province-level
/// code) → [`BirthDate`](IdentityError::BirthDate) (not a real date, or before
/// 1800) → [`BirthDateFuture`](IdentityError::BirthDateFuture) →
/// [`CheckCharacter`](IdentityError::CheckCharacter) (ISO 7064 MOD 11-2).
pub fn parse_id_number(input: &str, today: (i32, u8, u8)) -> Result<IdNumber, IdentityError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(IdentityError::Empty);
    }
    let bytes = s.as_bytes();
    let normalised = match s.chars().count() {
        18 => {
            // 18 chars and all checked ASCII below, so bytes == chars.
            let digits_ok = bytes.len() == 18 && bytes[..17].iter().all(u8::is_ascii_digit);
            if !digits_ok || !matches!(bytes[17], b'0'..=b'9' | b'X' | b'x') {
                return Err(IdentityError::Character);
            }
            s.to_ascii_uppercase()
        }
        15 => {
            if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_digit) {
                return Err(IdentityError::Character);
            }
            let mut upgraded = String::with_capacity(18);
            upgraded.push_str(&s[..6]);
            upgraded.push_str("19");
            upgraded.push_str(&s[6..]);
            let check = id_check_char(upgraded.as_bytes());
            upgraded.push(char::from(check));
            upgraded
        }
        _ => return Err(IdentityError::Length),
    };

    if province_name(&normalised[..2]).is_none() {
        return Err(IdentityError::Region);
    }
    let (year, month, day) = birth_date_digits(&normalised);
    if year < 1800 || !is_real_date(year, month, day) {
        return Err(IdentityError::BirthDate);
    }
    if (year, month, day) > today {
        return Err(IdentityError::BirthDateFuture);
    }
    let b = normalised.as_bytes();
    if id_check_char(&b[..17]) != b[17] {
        return Err(IdentityError::CheckCharacter);
    }
    Ok(IdNumber(normalised))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixed "today" so birth-date checks are deterministic.
    const TODAY: (i32, u8, u8) = (2026, 11, 30);

    // R7.2: GB 11643-1989 → 1999 upgrade.
    #[test]
    fn legacy_id_upgrade_known_answer() {
        let id = parse_id_number("110101850315123", TODAY).unwrap();
        assert_eq!(id.as_str(), "110101198503151235");
        assert_eq!(id.birth_date(), (1985, 3, 15));
        assert_eq!(id.region_code(), "110101");
        assert_eq!(id.province(), Some("北京市"));
    }

    #[test]
    fn legacy_id_errors() {
        let cases = [
            ("1101018503151234", "length"),
            ("11010185031512X", "character"),
            ("990101850315123", "region"),
            ("110101850230123", "birth_date"),
        ];
        for (input, code) in cases {
            assert_eq!(parse_id_number(input, TODAY).unwrap_err().code(), code, "{input}");
        }
    }

    /// Builds a valid 18-char ID number from its first 17 digits.
    fn with_id_check(first17: &str) -> String {
        format!("{first17}{}", char::from(id_check_char(first17.as_bytes())))
    }

    #[test]
    fn id_birth_date_rules() {
        let valid = [
            "11010120000229123", // 2000 is a leap year
            "11010118000101123", // year 1800 is the lower bound
            "11010120261130123", // born today
        ];
        for first17 in valid {
            assert!(parse_id_number(&with_id_check(first17), TODAY).is_ok(), "{first17}");
        }
        let invalid = [
            ("11010119000229123", "birth_date"), // 1900 is not a leap year
            ("11010117991231123", "birth_date"), // before 1800
            ("11010119900431123", "birth_date"), // 31 April
            ("11010119900100123", "birth_date"), // day 0
            ("11010120261201123", "birth_date_future"),
            ("11010120270101123", "birth_date_future"),
        ];
        for (first17, code) in invalid {
            let err = parse_id_number(&with_id_check(first17), TODAY).unwrap_err();
            assert_eq!(err.code(), code, "{first17}");
        }
    }

    #[test]
    fn id_region_rules() {
        for (prefix, province) in [
            ("11", "北京市"),
            ("15", "内蒙古自治区"),
            ("46", "海南省"),
            ("54", "西藏自治区"),
            ("65", "新疆维吾尔自治区"),
            ("71", "台湾省"),
            ("81", "香港特别行政区"),
            ("82", "澳门特别行政区"),
            ("83", "台湾省"),
        ] {
            let id = parse_id_number(&with_id_check(&format!("{prefix}0000199001011234")[..17]), TODAY)
                .unwrap_or_else(|e| panic!("{prefix}: {e}"));
            assert_eq!(id.province(), Some(province));
        }
        for prefix in ["00", "10", "16", "20", "24", "38", "47", "55", "60", "66", "72", "84", "91", "99"] {
            let input = with_id_check(&format!("{prefix}0000199001011234")[..17]);
            assert_eq!(parse_id_number(&input, TODAY).unwrap_err(), IdentityError::Region, "{prefix}");
        }
    }

    #[test]
    fn id_trims_and_rejects_inner_junk() {
        assert!(parse_id_number("  420111196307154048\n", TODAY).is_ok());
        assert_eq!(parse_id_number("   ", TODAY).unwrap_err(), IdentityError::Empty);
        assert_eq!(
            parse_id_number("42011119630715404８", TODAY).unwrap_err(),
            IdentityError::Character,
            "full-width digit"
        );
        assert_eq!(parse_id_number("4201111963 7154048", TODAY).unwrap_err(), IdentityError::Character);
    }

    // R7.5: Debug output is masked.
    #[test]
    fn debug_is_masked() {
        let id = parse_id_number("420111196307154048", TODAY).unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(\"4201**********4048\")");
    }

    /// Every `--id-number` example in README.md passes its own check
    /// character (issue 13: `110101199003071234` did not), so an operator
    /// who copies it gets an account, not a refusal.
    #[test]
    fn readme_examples_pass_their_check_character() {
        let readme = include_str!("../../../README.md");
        let examples: Vec<&str> = readme
            .split("--id-number")
            .skip(1)
            .filter_map(|rest| rest.split_whitespace().next())
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit() || b == b'X'))
            .collect();
        assert!(!examples.is_empty(), "README shows an --id-number example");
        for n in examples {
            assert!(parse_id_number(n, TODAY).is_ok(), "README's example {n} fails its check");
        }
    }
}
