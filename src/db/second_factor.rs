//! Second factor (issue 15): each account's TOTP secret (sealed by the
//! caller, never stored in clear), whether it is on, the newest time step
//! accepted (no code is accepted twice), and single-use recovery codes
//! stored as keyed hashes.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// An account's stored secret.
#[derive(Debug, Clone)]
pub struct Secret {
    /// The sealed secret (`crypto::seal`).
    pub sealed: Vec<u8>,
    /// When it was switched on; `None` while being set up.
    pub enabled_at: Option<i64>,
    /// The newest RFC 6238 time step accepted.
    pub last_step: i64,
}

/// `user`'s secret, on or being set up.
pub fn get(conn: &Connection, user: i64) -> Result<Option<Secret>> {
    Ok(conn
        .prepare_cached("SELECT secret, enabled_at, last_step FROM totp_secrets WHERE user_id = ?1")?
        .query_row([user], |r| Ok(Secret { sealed: r.get(0)?, enabled_at: r.get(1)?, last_step: r.get(2)? }))
        .optional()?)
}

/// Store a new secret being set up (replacing one not yet on); false when
/// a secret is already on.
pub fn start(tx: &Transaction, user: i64, sealed: &[u8], now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO totp_secrets (user_id, secret, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
                 last_step = 0
             WHERE totp_secrets.enabled_at IS NULL",
        )?
        .execute(params![user, sealed, now])?
        > 0)
}

/// Switch the secret being set up on, with the step just accepted, and
/// replace the recovery codes with `codes` (keyed hashes).
pub fn enable(tx: &Transaction, user: i64, step: i64, codes: &[[u8; 32]], now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE totp_secrets SET enabled_at = ?2, last_step = ?3 WHERE user_id = ?1 AND enabled_at IS NULL",
        )?
        .execute(params![user, now, step])?;
    if n == 0 {
        return Ok(false);
    }
    tx.prepare_cached("DELETE FROM recovery_codes WHERE user_id = ?1")?.execute([user])?;
    for c in codes {
        tx.prepare_cached("INSERT INTO recovery_codes (user_id, code_mac) VALUES (?1, ?2)")?
            .execute(params![user, &c[..]])?;
    }
    Ok(true)
}

/// Accept time step `step` for `user`: false when it is not newer than the
/// last one accepted (a replayed code).
pub fn accept_step(tx: &Transaction, user: i64, step: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("UPDATE totp_secrets SET last_step = ?2 WHERE user_id = ?1 AND last_step < ?2")?
        .execute(params![user, step])?
        > 0)
}

/// Use up a recovery code; false when `user` has no unused one with that hash.
pub fn use_recovery(tx: &Transaction, user: i64, mac: &[u8; 32], now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_mac = ?2 AND used_at IS NULL",
        )?
        .execute(params![user, &mac[..], now])?
        > 0)
}

/// How many unused recovery codes `user` has.
pub fn recovery_left(conn: &Connection, user: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL")?
        .query_row([user], |r| r.get(0))?)
}

/// Switch the second factor off: secret and recovery codes go.
pub fn disable(tx: &Transaction, user: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM recovery_codes WHERE user_id = ?1")?.execute([user])?;
    tx.prepare_cached("DELETE FROM totp_secrets WHERE user_id = ?1")?.execute([user])?;
    Ok(())
}
