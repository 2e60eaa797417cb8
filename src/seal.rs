//! Identity values at rest (R7.4, R7.5): each value sealed with
//! AES-256-GCM under the identity key, bound to its account and field;
//! keyed hashes (HMAC) of normalised numbers for uniqueness checks and of
//! one-time codes; storing a checked binding sealed, opening it again, and
//! issuing a code. The pages, the commands and the webhook thread
//! ([`crate::outbound`]) all seal and open through here.
//!
//! Clear values live only in memory here, inside types whose `Debug` is
//! masked; nothing in this module writes a value to a log line (R7.5).

use crate::config::Config;
use crate::crypto::{self, Keys};
use crate::db::identity as idb;
use crate::domain::identity::otp;
use crate::domain::identity::{self as rules, Binding};
use crate::error::{Error, Result};

/// The associated data that binds a sealed value to its account and field.
pub fn aad(user: i64, field: &str) -> Vec<u8> {
    format!("plaza identity v1 user:{user} {field}").into_bytes()
}

/// The keyed hash of a normalised value of kind `kind` (`id_number`,
/// `credit_code`, `org_code`, `mobile`): equal values give equal hashes,
/// and without the key nobody can test a guess (R7.4).
pub fn mac(keys: &Keys, kind: &str, value: &str) -> [u8; 32] {
    let mut data = Vec::with_capacity(kind.len() + 1 + value.len());
    data.extend_from_slice(kind.as_bytes());
    data.push(0);
    data.extend_from_slice(value.as_bytes());
    crypto::hmac_sha256(&keys.identity_mac, &data)
}

/// The keyed hash of one-time code `code` sent to account `user`.
pub fn code_mac(keys: &Keys, user: i64, code: &str) -> [u8; 32] {
    crypto::hmac_sha256(&keys.identity_mac, format!("code\0{user}\0{}", code.trim()).as_bytes())
}

/// Seal a checked binding and store it for `user` (`db::identity::bind`):
/// it starts unverified, mobile unconfirmed.
///
/// # Errors
/// `Error::Db`.
pub fn store_binding(tx: &rusqlite::Transaction, keys: &Keys, user: i64, b: &Binding, now: i64) -> Result<()> {
    let key = &keys.identity_enc;
    let legal_name_enc = crypto::seal(key, b.legal_name.as_bytes(), &aad(user, "legal_name"));
    let number_enc = crypto::seal(key, b.number.as_str().as_bytes(), &aad(user, "number"));
    let mobile_enc = crypto::seal(key, b.mobile.as_str().as_bytes(), &aad(user, "mobile"));
    let number_mac = mac(keys, b.number.kind(), b.number.as_str());
    let mobile_mac = mac(keys, "mobile", b.mobile.as_str());
    idb::bind(
        tx,
        &idb::NewIdentity {
            user_id: user,
            subject_type: b.subject.as_str(),
            legal_name_enc: &legal_name_enc,
            legal_name_masked: &rules::mask_legal_name(&b.legal_name),
            number_kind: b.number.kind(),
            number_enc: &number_enc,
            number_mac: &number_mac,
            number_masked: &b.number.masked(),
            mobile_enc: &mobile_enc,
            mobile_mac: &mobile_mac,
            mobile_masked: &rules::mask_mobile(b.mobile.as_str()),
            province: b.number.province(),
            check_failed: b.check_failed,
            now,
        },
    )
}

/// The opened values of an identity. `Debug` is masked.
#[derive(Clone)]
pub struct Clear {
    pub legal_name: String,
    pub number: String,
    pub mobile: String,
}

impl std::fmt::Debug for Clear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clear(..)")
    }
}

/// Open the sealed values of `user`'s identity.
///
/// # Errors
/// `Error::Internal` when a value does not open (wrong key file, or moved).
pub fn open(keys: &Keys, user: i64, s: &idb::SealedRow) -> Result<Clear> {
    let one = |field: &str, blob: &[u8]| -> Result<String> {
        let bytes = crypto::open(&keys.identity_enc, blob, &aad(user, field))?;
        String::from_utf8(bytes).map_err(|_| Error::Internal("a sealed identity value is not text".into()))
    };
    Ok(Clear {
        legal_name: one("legal_name", &s.legal_name)?,
        number: one("number", &s.number)?,
        mobile: one("mobile", &s.mobile)?,
    })
}

/// Would binding this number to `user` break uniqueness (R7.4: one ID number
/// backs at most one active individual account, when `identity_unique`)?
///
/// # Errors
/// `Error::Db`.
pub fn number_taken(conn: &rusqlite::Connection, keys: &Keys, cfg: &Config, user: i64, b: &Binding) -> Result<bool> {
    if !cfg.identity_unique || !b.subject.is_individual() {
        return Ok(false);
    }
    Ok(idb::number_holder(conn, &mac(keys, b.number.kind(), b.number.as_str()), user)?.is_some())
}

/// A code that may go out now: it is stored (as a keyed hash) in `tx`.
/// Returns the code to deliver after the commit. `after_reauth`: the
/// account's last code was just used to prove its old mobile before this
/// new binding (issue 15), so the one-a-minute gap does not count it (the
/// daily limit still does).
///
/// # Errors
/// `Ok(Err(throttle))` when the account or the number had a code too
/// recently (R7.1 resend throttle); `Error::Db`.
pub fn new_code(
    tx: &rusqlite::Transaction,
    keys: &Keys,
    user: i64,
    mobile_mac: &[u8],
    now: i64,
    after_reauth: bool,
) -> Result<std::result::Result<String, otp::Throttle>> {
    let mut sent = idb::sends_since(tx, user, mobile_mac, now - otp::WINDOW_SECONDS)?;
    if after_reauth {
        // Moved back, not dropped: out of the gap, still in the day's count.
        if let Some(last) = sent.iter_mut().max() {
            *last = (*last).min(now - otp::RESEND_GAP_SECONDS);
        }
    }
    if let Err(t) = otp::may_send(&sent, now) {
        return Ok(Err(t));
    }
    let code = crypto::random_digits(otp::CODE_DIGITS);
    idb::put_code(tx, user, &code_mac(keys, user, &code), mobile_mac, now, otp::CODE_TTL_SECONDS)?;
    Ok(Ok(code))
}
