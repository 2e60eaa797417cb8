//! Accounts an organisation makes for its members (`plaza user add`,
//! `plaza user import`): no agreement accepted yet, and one-time links that
//! set the password. Only the SHA-256 of a link's token is stored.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// The password hash of an account whose password was never set: bcrypt
/// never produces it, so nobody can log in with it.
pub const NO_PASSWORD: &str = "!unset";

/// The member has not accepted any agreement yet (R6.1): their first visit
/// after logging in asks for it.
pub fn clear_agreement(tx: &Transaction, user: i64) -> Result<()> {
    tx.prepare_cached("UPDATE users SET agreement_version = 0, agreement_accepted_at = 0 WHERE id = ?1")?
        .execute([user])?;
    Ok(())
}

/// Store a password-set token's hash for `user`, valid until `expires_at`.
pub fn add_token(tx: &Transaction, user: i64, token_hash: &[u8], now: i64, expires_at: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO password_tokens (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![token_hash, user, now, expires_at])?;
    Ok(())
}

/// The account (id, username) a live token sets the password of.
pub fn token_user(conn: &Connection, token_hash: &[u8], now: i64) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT u.id, u.username FROM password_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?1 AND t.used_at IS NULL AND t.expires_at > ?2 AND u.status = 'active'",
        )?
        .query_row(params![token_hash, now], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Use a token: set the password hash and kill every token of the account.
/// Returns the account, or `None` when the token was not live (used meanwhile).
pub fn use_token(tx: &Transaction, token_hash: &[u8], password_hash: &str, now: i64) -> Result<Option<i64>> {
    let user: Option<i64> = tx
        .prepare_cached(
            "SELECT user_id FROM password_tokens WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
        )?
        .query_row(params![token_hash, now], |r| r.get(0))
        .optional()?;
    let Some(user) = user else { return Ok(None) };
    tx.prepare_cached("UPDATE password_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL")?
        .execute(params![user, now])?;
    tx.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?.execute(params![user, password_hash])?;
    Ok(Some(user))
}
