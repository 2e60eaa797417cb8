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
//!
//! One file per validator, each with its known-answer tests: [`id_number`]
//! (GB 11643), [`credit_code`] (GB 32100), [`org_code`] (GB 11714),
//! [`mobile`], [`legal_name`]; [`otp`] (one-time codes that confirm the
//! mobile: expiry, tries, resend throttle), [`region`] (GB/T 2260 provinces), [`mask`]
//! (display masks, redaction), [`error`] ([`IdentityError`]) and [`model`]
//! (subject types, bindings, statuses), [`reauth`] (what replacing a bound
//! identity takes, issue 15). Everything is re-exported here, so
//! callers name `domain::identity::parse_mobile` and never the file.

pub mod credit_code;
pub mod error;
pub mod id_number;
pub mod legal_name;
pub mod mask;
pub mod mobile;
pub mod model;
pub mod org_code;
pub mod otp;
pub mod reauth;
pub mod region;

pub use credit_code::{overridable, parse_credit_code, parse_credit_code_unchecked, CreditCode};
pub use error::IdentityError;
pub use id_number::{id_check_char, parse_id_number, IdNumber};
pub use legal_name::{check_legal_name, names_match};
pub use mask::{mask_credit_code, mask_id_number, mask_legal_name, mask_mobile, mask_org_code, redact_numbers};
pub use mobile::{parse_mobile, Mobile};
pub use model::{next_check, parse_binding, Binding, Field, Number, Status, SubjectType};
pub use org_code::{parse_org_code, OrgCode};
pub use region::province_of;

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
}
