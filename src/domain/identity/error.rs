//! [`IdentityError`]: which R7.2 rule an identity value failed, in words
//! and as a stable snake_case code, never with the value itself (R7.5).

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

#[cfg(test)]
mod tests {
    use super::*;

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
