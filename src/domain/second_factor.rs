//! Second factor rules (RFC 6238, issue 15): six-digit codes over 30-second
//! steps with HMAC-SHA1 (what every authenticator app speaks), one step of
//! clock drift either way, never the same step twice; recovery codes; who
//! must have one. Codes come from the maintained `totp-rs` crate.

use super::account::Role;

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: usize = 6;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;

fn totp(secret: &[u8]) -> totp_rs::TOTP {
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, DIGITS, 0, STEP_SECONDS as u64, secret.to_vec())
}

/// The code of `secret` at UTC second `now`.
pub fn code_at(secret: &[u8], now: i64) -> String {
    totp(secret).generate(now.max(0) as u64)
}

/// The time step `code` (spaces allowed) is right for, within one step of
/// `now` either way and newer than `last_step` (a code is never taken
/// twice); `None` otherwise.
pub fn check(secret: &[u8], code: &str, now: i64, last_step: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret);
    let step = now / STEP_SECONDS;
    (step - 1..=step + 1)
        .filter(|s| *s > last_step && *s >= 0)
        .find(|s| crate::crypto::constant_time_eq(t.generate((*s * STEP_SECONDS) as u64).as_bytes(), code.as_bytes()))
}

/// The secret as authenticator apps take it: base32 without padding.
pub fn base32(secret: &[u8]) -> String {
    totp(secret).get_secret_base32()
}

/// The `otpauth://` URI of `secret` for `account` on site `issuer` (apps
/// that read a link or a QR code take it).
pub fn uri(secret: &[u8], issuer: &str, account: &str) -> String {
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// A recovery code as typed, normalised: lower case, without spaces and dashes.
pub fn normalise_recovery(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Must an account holding `roles` use a second factor (`for_top_staff`:
/// the site's setting)? Admins and chief editors: their pages can silence
/// anyone and reveal identities.
pub fn required(roles: &[Role], for_top_staff: bool) -> bool {
    for_top_staff && roles.iter().any(|r| matches!(r, Role::Admin | Role::ChiefEditor))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, the last six digits of its 8-digit answers.
    #[test]
    fn rfc_6238_vectors() {
        let secret = b"12345678901234567890";
        for (t, want) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(code_at(secret, t), want, "t={t}");
        }
    }

    #[test]
    fn drift_and_replay() {
        let s = b"12345678901234567890";
        let now = 1_234_567_890;
        let step = now / STEP_SECONDS;
        assert_eq!(check(s, &code_at(s, now), now, 0), Some(step));
        assert_eq!(check(s, &code_at(s, now - 30), now, 0), Some(step - 1), "one step late");
        assert_eq!(check(s, &code_at(s, now - 90), now, 0), None, "three steps late");
        assert_eq!(check(s, &code_at(s, now), now, step), None, "already used");
        assert_eq!(check(s, "12345", now, 0), None);
        assert_eq!(check(s, "abcdef", now, 0), None);
    }

    #[test]
    fn who_must() {
        assert!(required(&[Role::Admin], true));
        assert!(required(&[Role::Reviewer, Role::ChiefEditor], true));
        assert!(!required(&[Role::Reviewer], true));
        assert!(!required(&[Role::Admin], false));
        assert_eq!(normalise_recovery(" AbCd-3fGh "), "abcd3fgh");
    }
}
