//! Identity-number validators (R7.2) and display masks (R7.4): GB 11643 resident
//! ID numbers, GB 32100 unified social credit codes, GB 11714 organisation codes
//! and mainland mobile numbers; legal names, subject types, a whole binding
//! form ([`parse_binding`]), identity statuses with expiry ([`Status`], R7.1,
//! R7.3), name matching for badges (R10.1) and redaction of numbers typed into
//! free text (R7.5). Pure functions: no I/O, no clock, no logging.
//!
//! Each `parse_*` function trims, normalises and checks one kind of number and
//! returns a small newtype that can only hold a valid, normalised value. The
//! newtypes deliberately do not implement `Display`, and their `Debug` output is
//! masked, so a stray `{:?}` in a log line cannot leak identity data (R7.5).
//! [`IdentityError`] never contains the input either: it names the rule that
//! failed, with a stable snake_case [`IdentityError::code`] for the JSON API.

use std::fmt;

/// Which R7.2 rule an identity value failed.
///
/// The variants are shared by all four kinds of number (GB 11643 ID number,
/// GB 11714 organisation code, GB 32100 credit code, mobile number). `Display`
/// gives an English sentence suitable for a form error; [`IdentityError::code`]
/// gives a stable snake_case key. Neither ever includes the rejected value
/// (R7.5), so an error may be logged or returned over the API as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityError {
    /// Nothing was entered (only whitespace, or separators for a mobile number).
    Empty,
    /// Wrong number of characters: 18 (or legacy 15) for an ID number, 9 for an
    /// organisation code (10 with the hyphen), 18 for a credit code, 11 for a
    /// mobile number after any country code.
    Length,
    /// A character outside the allowed set for its position: digits (and a final
    /// X) for an ID number, `0-9A-Z` for an organisation code, the 31-character
    /// GB 32100 alphabet for a credit code, digits for a mobile number.
    Character,
    /// The check character does not match the one computed from the other
    /// characters (GB 11643 ISO 7064 MOD 11-2, GB 11714 MOD 11, GB 32100 MOD 31).
    CheckCharacter,
    /// The GB 11643 birth date is not a real calendar date or is before 1800.
    BirthDate,
    /// The GB 11643 birth date is after the `today` the caller passed in.
    BirthDateFuture,
    /// The region code is not valid: for an ID number the first two digits are
    /// not a province-level code; for a credit code positions 3-8 are not digits.
    Region,
    /// GB 32100 position 1 is not a known registration authority.
    RegistrationAuthority,
    /// GB 32100 position 2 is not an organisation type that position 1's
    /// registration authority issues.
    OrgType,
    /// GB 32100 positions 9-17 (the embedded GB 11714 organisation code) fail
    /// their own GB 11714 check character.
    EmbeddedOrgCode,
    /// A mobile number carries a country code other than +86 (mainland China).
    CountryCode,
    /// A mobile number does not start with 1 followed by 3-9.
    Prefix,
    /// A legal name is not 2 to 100 characters, or holds control characters
    /// or no letter at all.
    LegalName,
}

impl IdentityError {
    /// Stable snake_case key for this error, for the JSON API and tests:
    /// `empty`, `length`, `character`, `check_character`, `birth_date`,
    /// `birth_date_future`, `region`, `registration_authority`, `org_type`,
    /// `embedded_org_code`, `country_code`, `prefix`. These never change once
    /// published; add new variants with new keys instead.
    pub fn code(&self) -> &'static str {
        match self {
            IdentityError::Empty => "empty",
            IdentityError::Length => "length",
            IdentityError::Character => "character",
            IdentityError::CheckCharacter => "check_character",
            IdentityError::BirthDate => "birth_date",
            IdentityError::BirthDateFuture => "birth_date_future",
            IdentityError::Region => "region",
            IdentityError::RegistrationAuthority => "registration_authority",
            IdentityError::OrgType => "org_type",
            IdentityError::EmbeddedOrgCode => "embedded_org_code",
            IdentityError::CountryCode => "country_code",
            IdentityError::Prefix => "prefix",
            IdentityError::LegalName => "legal_name",
        }
    }
}

impl fmt::Display for IdentityError {
    /// One English sentence that says which rule failed, without the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sentence = match self {
            IdentityError::Empty => "Please enter a number.",
            IdentityError::Length => "The number has the wrong number of characters.",
            IdentityError::Character => "The number contains a character that is not allowed there.",
            IdentityError::CheckCharacter => {
                "The check character does not match; please look for a typing mistake."
            }
            IdentityError::BirthDate => "The birth date inside the ID number is not a real date.",
            IdentityError::BirthDateFuture => "The birth date inside the ID number is in the future.",
            IdentityError::Region => "The region code inside the number is not valid.",
            IdentityError::RegistrationAuthority => {
                "The first character of the credit code is not a known registration authority."
            }
            IdentityError::OrgType => {
                "The second character of the credit code is not a valid organisation type for its registration authority."
            }
            IdentityError::EmbeddedOrgCode => {
                "The organisation code inside the credit code (characters 9 to 17) does not pass its check."
            }
            IdentityError::CountryCode => "Only mainland China mobile numbers (+86) are accepted.",
            IdentityError::Prefix => "A mainland mobile number starts with 13 to 19.",
            IdentityError::LegalName => "The legal name must be 2 to 100 characters of a real name.",
        };
        f.write_str(sentence)
    }
}

impl std::error::Error for IdentityError {}

// ---------------------------------------------------------------------------
// Regions (GB/T 2260 province-level codes)
// ---------------------------------------------------------------------------

/// Province-level name for the first two digits of a GB/T 2260 region code.
/// 83 is the code used on residence permits of Taiwan residents.
fn province_name(two_digits: &str) -> Option<&'static str> {
    Some(match two_digits {
        "11" => "北京市",
        "12" => "天津市",
        "13" => "河北省",
        "14" => "山西省",
        "15" => "内蒙古自治区",
        "21" => "辽宁省",
        "22" => "吉林省",
        "23" => "黑龙江省",
        "31" => "上海市",
        "32" => "江苏省",
        "33" => "浙江省",
        "34" => "安徽省",
        "35" => "福建省",
        "36" => "江西省",
        "37" => "山东省",
        "41" => "河南省",
        "42" => "湖北省",
        "43" => "湖南省",
        "44" => "广东省",
        "45" => "广西壮族自治区",
        "46" => "海南省",
        "50" => "重庆市",
        "51" => "四川省",
        "52" => "贵州省",
        "53" => "云南省",
        "54" => "西藏自治区",
        "61" => "陕西省",
        "62" => "甘肃省",
        "63" => "青海省",
        "64" => "宁夏回族自治区",
        "65" => "新疆维吾尔自治区",
        "71" | "83" => "台湾省",
        "81" => "香港特别行政区",
        "82" => "澳门特别行政区",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// GB 11643 resident ID number
// ---------------------------------------------------------------------------

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
    /// keeps the signature shared with [`CreditCode::province`].
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

// ---------------------------------------------------------------------------
// GB 11714 organisation code
// ---------------------------------------------------------------------------

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
fn org_check_char(body: &[u8]) -> Option<u8> {
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

// ---------------------------------------------------------------------------
// GB 32100 unified social credit code
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Mainland mobile number
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Legal names, subject types, bindings, statuses (R7.1, R7.3, R10.1)
// ---------------------------------------------------------------------------

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

/// Who stands behind an account (DESIGN.md subject types). Individuals
/// bind a resident ID number; every other type a credit code (or a legacy
/// organisation code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectType {
    Individual,
    Organisation,
    Government,
    Media,
    ForeignOrg,
}

impl SubjectType {
    /// Every type, in the order forms list them.
    pub const ALL: [SubjectType; 5] = [
        SubjectType::Individual,
        SubjectType::Organisation,
        SubjectType::Government,
        SubjectType::Media,
        SubjectType::ForeignOrg,
    ];

    /// The stored name (`users.subject_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectType::Individual => "individual",
            SubjectType::Organisation => "organisation",
            SubjectType::Government => "government",
            SubjectType::Media => "media",
            SubjectType::ForeignOrg => "foreign_org",
        }
    }

    /// Parse a stored or typed name.
    pub fn parse(s: &str) -> Option<SubjectType> {
        SubjectType::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// An individual (ID number), not an organisation (credit code).
    pub fn is_individual(self) -> bool {
        self == SubjectType::Individual
    }
}

/// The number an identity is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number {
    /// A resident ID number (individuals).
    Id(IdNumber),
    /// A unified social credit code (organisations).
    Credit(CreditCode),
    /// A legacy organisation code (organisations registered before 2015).
    Org(OrgCode),
}

impl Number {
    /// `id_number`, `credit_code` or `org_code` (`identities.number_kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Number::Id(_) => "id_number",
            Number::Credit(_) => "credit_code",
            Number::Org(_) => "org_code",
        }
    }

    /// The full normalised value: only for sealing and keyed hashing.
    pub fn as_str(&self) -> &str {
        match self {
            Number::Id(v) => v.as_str(),
            Number::Credit(v) => v.as_str(),
            Number::Org(v) => v.as_str(),
        }
    }

    /// The masked value pages show (R7.4).
    pub fn masked(&self) -> String {
        match self {
            Number::Id(v) => mask_id_number(v.as_str()),
            Number::Credit(v) => mask_credit_code(v.as_str()),
            Number::Org(v) => mask_org_code(v.as_str()),
        }
    }

    /// Province of registration from the region digits (R10.2); `None` for
    /// a national-level credit code and for organisation codes, which
    /// carry no region.
    pub fn province(&self) -> Option<&'static str> {
        match self {
            Number::Id(v) => v.province(),
            Number::Credit(v) => v.province(),
            Number::Org(_) => None,
        }
    }
}

/// Province-level name of a kind of number's normalised value, for the
/// filing export of values already stored (R10.2).
pub fn province_of(kind: &str, value: &str) -> Option<&'static str> {
    match kind {
        "id_number" => value.get(..2).and_then(province_name),
        "credit_code" => value.get(2..4).and_then(province_name),
        _ => None,
    }
}

/// Which field of a binding form a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    SubjectType,
    LegalName,
    Number,
    Mobile,
}

/// A checked identity binding (R7.1): who, the legal name, the number and
/// the mobile. `check_failed` marks a credit code accepted without its
/// check characters, for a reviewer to confirm by hand (R7.2).
#[derive(Debug, Clone)]
pub struct Binding {
    pub subject: SubjectType,
    pub legal_name: String,
    pub number: Number,
    pub mobile: Mobile,
    pub check_failed: bool,
}

/// Check the fields of a binding: the subject type decides the number
/// (individual: ID number; others: an 18-character credit code or a
/// 9-character organisation code). `override_check` accepts a credit code
/// whose only fault is a check character, marking it for a reviewer.
///
/// # Errors
/// The first field at fault and the rule it broke.
pub fn parse_binding(
    subject: &str,
    legal_name: &str,
    number: &str,
    mobile: &str,
    today: (i32, u8, u8),
    override_check: bool,
) -> Result<Binding, (Field, Option<IdentityError>)> {
    let subject = SubjectType::parse(subject).ok_or((Field::SubjectType, None))?;
    let legal_name = check_legal_name(legal_name).map_err(|e| (Field::LegalName, Some(e)))?;
    let mut check_failed = false;
    let number = if subject.is_individual() {
        Number::Id(parse_id_number(number, today).map_err(|e| (Field::Number, Some(e)))?)
    } else {
        let compact: String = number.trim().chars().filter(|c| *c != '-').collect();
        if compact.chars().count() == 9 {
            Number::Org(parse_org_code(number).map_err(|e| (Field::Number, Some(e)))?)
        } else {
            match parse_credit_code(number) {
                Ok(c) => Number::Credit(c),
                Err(e) if override_check && overridable(e) => {
                    check_failed = true;
                    Number::Credit(parse_credit_code_unchecked(number).map_err(|e| (Field::Number, Some(e)))?)
                }
                Err(e) => return Err((Field::Number, Some(e))),
            }
        }
    };
    let mobile = parse_mobile(mobile).map_err(|e| (Field::Mobile, Some(e)))?;
    Ok(Binding { subject, legal_name, number, mobile, check_failed })
}

/// Where an identity stands (R7.1, R7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing bound, the mobile not yet confirmed, or refused by staff.
    Unverified,
    /// Mobile confirmed; waiting for the verification webhook or staff.
    Pending,
    /// Confirmed, and the next check is still ahead: may publish.
    Verified,
    /// Was verified, but the next-check date has passed (R7.3).
    Expired,
}

impl Status {
    /// `unverified`, `pending`, `verified` or `expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unverified => "unverified",
            Status::Pending => "pending",
            Status::Verified => "verified",
            Status::Expired => "expired",
        }
    }

    /// Parse a status name (also a filter of `/admin/identities`).
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Unverified, Status::Pending, Status::Verified, Status::Expired].into_iter().find(|t| t.as_str() == s)
    }

    /// The status of a stored identity at `now`: a stored `verified` whose
    /// `next_check_at` is not after `now` is [`Status::Expired`]. No
    /// identity at all is [`Status::Unverified`].
    pub fn effective(stored: Option<&str>, next_check_at: Option<i64>, now: i64) -> Status {
        match stored {
            Some("verified") if next_check_at.is_some_and(|t| t > now) => Status::Verified,
            Some("verified") => Status::Expired,
            Some("pending") => Status::Pending,
            _ => Status::Unverified,
        }
    }

    /// May an account in this status post, comment and repost (R7.1)?
    pub fn may_publish(self) -> bool {
        self == Status::Verified
    }
}

/// Replaces every run of 6 or more digits, and every run of 9 or more
/// letters and digits holding 4 or more digits, with `*`: free text that
/// staff type next to identity data (a reveal reason) must not carry a
/// number into the log (R7.5).
pub fn redact_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let run = &chars[start..i];
            let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
            let longest_digits = run.split(|c| !c.is_ascii_digit()).map(<[char]>::len).max().unwrap_or(0);
            if longest_digits >= 6 || (run.len() >= 9 && digits >= 4) {
                out.extend(std::iter::repeat_n('*', run.len()));
            } else {
                out.extend(run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Display masks (R7.4)
// ---------------------------------------------------------------------------

/// Masks a legal name for display (R7.4): the first character kept, and the
/// last too when the name has 3 or more, e.g. `张三` → `"张*"`, `欧阳娜娜` →
/// `"欧**娜"`.
pub fn mask_legal_name(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        _ => mask_middle(s, 1, 1),
    }
}

/// Keeps `head` leading and `tail` trailing characters of the trimmed value and
/// replaces each character between with `*`. A value too short to keep both
/// ends is masked completely, so a mask never reveals a whole value.
fn mask_middle(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - head - tail;
    let mut out = String::with_capacity(chars.len());
    out.extend(&chars[..head]);
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Masks an ID number for display (R7.4): first 4 and last 4 characters kept,
/// one `*` per hidden character, e.g. `110101199003071234` →
/// `"1101**********1234"`. Meant for a normalised [`IdNumber::as_str`] value;
/// any input of 8 characters or fewer is masked entirely.
pub fn mask_id_number(s: &str) -> String {
    mask_middle(s, 4, 4)
}

/// Masks a mobile number for display (R7.4): first 3 and last 4 digits kept,
/// e.g. `13800138000` → `"138****8000"`. Meant for a normalised
/// [`Mobile::as_str`] value; 7 characters or fewer are masked entirely.
pub fn mask_mobile(s: &str) -> String {
    mask_middle(s, 3, 4)
}

/// Masks a GB 32100 credit code for display (R7.4): first 4 and last 4
/// characters kept, e.g. `91440305GG0UEQ5K5C` → `"9144**********5K5C"`.
/// 8 characters or fewer are masked entirely.
pub fn mask_credit_code(s: &str) -> String {
    mask_middle(s, 4, 4)
}

/// Masks a GB 11714 organisation code for display (R7.4): first 2 and last 2
/// characters kept, e.g. `123456788` → `"12*****88"`. 4 characters or fewer
/// are masked entirely.
pub fn mask_org_code(s: &str) -> String {
    mask_middle(s, 2, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixed "today" so birth-date checks are deterministic.
    const TODAY: (i32, u8, u8) = (2026, 11, 30);

    const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/testdata/identity.tsv");

    /// Error code expected for an `invalid` line, keyed by its note column.
    /// An unknown note fails the test so new test data gets a deliberate code.
    fn expected_code(note: &str) -> &'static str {
        match note {
            "empty" => "empty",
            "length" => "length",
            "character" | "character I not in alphabet" => "character",
            "check character" => "check_character",
            "birth date" | "month 13" => "birth_date",
            "birth date in future" => "birth_date_future",
            "region prefix" | "letter in region digits 3-8" => "region",
            "embedded organisation code check" => "embedded_org_code",
            "second digit" => "prefix",
            "country code" => "country_code",
            other => panic!("no expected error code for test-data note {other:?}"),
        }
    }

    /// Parses one value with the parser for `kind`, returning the normalised
    /// value on success.
    fn parse_kind(kind: &str, value: &str) -> Result<String, IdentityError> {
        match kind {
            "id_number" => parse_id_number(value, TODAY).map(|v| v.as_str().to_owned()),
            "org_code" => parse_org_code(value).map(|v| v.as_str().to_owned()),
            "credit_code" => parse_credit_code(value).map(|v| v.as_str().to_owned()),
            "mobile" => parse_mobile(value).map(|v| v.as_str().to_owned()),
            other => panic!("unknown kind {other:?} in test data"),
        }
    }

    // R7.2: every line of the shared test data.
    #[test]
    fn shared_testdata_every_line() {
        let text = std::fs::read_to_string(TESTDATA).unwrap_or_else(|e| panic!("cannot read {TESTDATA}: {e}"));
        let mut checked = 0;
        let mut failures = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "line {}: expected 4 columns", n + 1);
            let (kind, value, expect, note) = (cols[0], cols[1], cols[2], cols[3]);
            let got = parse_kind(kind, value);
            match (expect, &got) {
                ("valid", Ok(_)) => {}
                ("invalid", Err(e)) if e.code() == expected_code(note) => {}
                ("valid" | "invalid", _) => {
                    failures.push(format!("line {}: {kind} {value:?} expected {expect} ({note}), got {got:?}", n + 1))
                }
                (other, _) => panic!("line {}: unknown expectation {other:?}", n + 1),
            }
            checked += 1;
        }
        assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
        assert!(checked >= 54, "only {checked} test-data lines checked");
    }

    // R7.2: normalisation promised by the notes of valid lines.
    #[test]
    fn testdata_normalisations() {
        let cases = [
            ("id_number", "65010219741019775x", "65010219741019775X"),
            ("id_number", "110101850315123", "110101198503151235"),
            ("credit_code", "91440305gg0ueq5k5c", "91440305GG0UEQ5K5C"),
            ("mobile", "+86 138 0013 8000", "13800138000"),
            ("mobile", "0086-199-1234-5678", "19912345678"),
            ("org_code", "12345678-8", "123456788"),
        ];
        for (kind, input, want) in cases {
            assert_eq!(parse_kind(kind, input).as_deref(), Ok(want), "{kind} {input}");
        }
    }

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

    #[test]
    fn bindings() {
        let b =
            parse_binding("individual", " 张  三 ", "420111196307154048", "+86 138 0013 8000", TODAY, false).unwrap();
        assert_eq!((b.legal_name.as_str(), b.number.kind(), b.mobile.as_str()), ("张 三", "id_number", "13800138000"));
        assert_eq!(b.number.masked(), "4201**********4048");
        assert_eq!(b.number.province(), Some("湖北省"));
        let o = parse_binding("media", "某某日报社", "12540102AKGKG6N892", "13800138000", TODAY, false).unwrap();
        assert_eq!((o.number.kind(), o.check_failed), ("credit_code", false));
        let legacy = parse_binding("organisation", "某某公司", "12345678-8", "13800138000", TODAY, false).unwrap();
        assert_eq!((legacy.number.kind(), legacy.number.province()), ("org_code", None));
        let err = |r: Result<Binding, (Field, Option<IdentityError>)>| r.unwrap_err();
        assert_eq!(err(parse_binding("robot", "x", "", "", TODAY, false)), (Field::SubjectType, None));
        assert_eq!(
            err(parse_binding("individual", "张", "420111196307154048", "13800138000", TODAY, false)),
            (Field::LegalName, Some(IdentityError::LegalName))
        );
        assert_eq!(
            err(parse_binding("individual", "张三", "91440305GG0UEQ5K5C", "13800138000", TODAY, false)).0,
            Field::Number,
            "an individual binds an ID number"
        );
        assert_eq!(
            err(parse_binding("individual", "张三", "420111196307154048", "12345678901", TODAY, false)),
            (Field::Mobile, Some(IdentityError::Prefix))
        );
        // An early credit code failing its check: refused, unless sent for a reviewer.
        assert_eq!(
            err(parse_binding("organisation", "某公司", "91110108MA01B2C31T", "13800138000", TODAY, false)),
            (Field::Number, Some(IdentityError::EmbeddedOrgCode))
        );
        let held = parse_binding("organisation", "某公司", "91110108MA01B2C31T", "13800138000", TODAY, true).unwrap();
        assert!(held.check_failed);
        assert!(parse_binding("organisation", "某公司", "91110108MA01B2C31", "13800138000", TODAY, true).is_err());
    }

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

    // R7.3: expiry is computed, never trusted from storage alone.
    #[test]
    fn statuses() {
        assert_eq!(Status::effective(None, None, 100), Status::Unverified);
        assert_eq!(Status::effective(Some("verified"), Some(101), 100), Status::Verified);
        assert_eq!(Status::effective(Some("verified"), Some(100), 100), Status::Expired);
        assert_eq!(Status::effective(Some("verified"), None, 100), Status::Expired);
        assert_eq!(Status::effective(Some("pending"), Some(10), 100), Status::Pending);
        assert!(Status::Verified.may_publish() && !Status::Expired.may_publish() && !Status::Pending.may_publish());
        assert_eq!(Status::parse("expired"), Some(Status::Expired));
        assert_eq!(SubjectType::parse("foreign_org"), Some(SubjectType::ForeignOrg));
        assert_eq!(province_of("credit_code", "91440305GG0UEQ5K5C"), Some("广东省"));
        assert_eq!(province_of("id_number", "650102195604082468"), Some("新疆维吾尔自治区"));
    }

    // R7.5: numbers typed into free text do not reach the log.
    #[test]
    fn redaction() {
        assert_eq!(redact_numbers("投诉核实 420111196307154048 本人"), "投诉核实 ****************** 本人");
        assert_eq!(redact_numbers("call 13800138000"), "call ***********");
        assert_eq!(redact_numbers("code 91440305GG0UEQ5K5C ok"), "code ****************** ok");
        assert_eq!(redact_numbers("ticket 2026 case A12"), "ticket 2026 case A12");
    }

    // R7.4: masks.
    #[test]
    fn masks_known_answers() {
        assert_eq!(mask_legal_name("张三"), "张*");
        assert_eq!(mask_legal_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_legal_name("某"), "*");
        assert_eq!(mask_id_number("11010119900307123X"), "1101**********123X");
        assert_eq!(mask_mobile("13800000000"), "138****0000");
        assert_eq!(mask_credit_code("91440305GG0UEQ5K5C"), "9144**********5K5C");
        assert_eq!(mask_org_code("123456788"), "12*****88");
        // Too short to keep both ends: everything hidden.
        assert_eq!(mask_mobile("1380000"), "*******");
        assert_eq!(mask_id_number(""), "");
    }

    // R7.5: Debug output of the value types is masked.
    #[test]
    fn debug_is_masked() {
        let id = parse_id_number("420111196307154048", TODAY).unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(\"4201**********4048\")");
        let m = parse_mobile("13800138000").unwrap();
        assert_eq!(format!("{m:?}"), "Mobile(\"138****8000\")");
        let c = parse_credit_code("91440305GG0UEQ5K5C").unwrap();
        assert!(!format!("{c:?}").contains("91440305GG0UEQ5K5C"));
        let o = parse_org_code("123456788").unwrap();
        assert_eq!(format!("{o:?}"), "OrgCode(\"12*****88\")");
    }

    #[test]
    fn error_codes_and_messages() {
        let all = [
            IdentityError::Empty,
            IdentityError::Length,
            IdentityError::Character,
            IdentityError::CheckCharacter,
            IdentityError::BirthDate,
            IdentityError::BirthDateFuture,
            IdentityError::Region,
            IdentityError::RegistrationAuthority,
            IdentityError::OrgType,
            IdentityError::EmbeddedOrgCode,
            IdentityError::CountryCode,
            IdentityError::Prefix,
            IdentityError::LegalName,
        ];
        let mut codes: Vec<&str> = all.iter().map(IdentityError::code).collect();
        for (e, code) in all.iter().zip(&codes) {
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
            let msg = e.to_string();
            assert!(msg.ends_with('.') && msg.chars().next().unwrap().is_uppercase(), "{msg}");
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes must be unique");
    }
}
