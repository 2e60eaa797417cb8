//! Second factor workflows (issue 15): setting up a TOTP secret, switching
//! it on with a first code (which also makes the recovery codes, shown
//! once), checking a code or a recovery code at login, switching it off.
//! The secret is sealed with the identity key and bound to the account;
//! recovery codes are kept as keyed hashes. Each step is logged, never
//! with a code or secret (R16.1).

use super::Env;
use crate::crypto::{self, Keys};
use crate::db::second_factor as dbs;
use crate::domain::second_factor as rules;
use crate::error::Result;
use rand::{Rng, RngCore};
use rusqlite::{Connection, Transaction};

fn aad(user: i64) -> Vec<u8> {
    format!("plaza totp secret v1 user:{user}").into_bytes()
}

fn recovery_mac(keys: &Keys, user: i64, code: &str) -> [u8; 32] {
    crypto::hmac_sha256(&keys.identity_mac, format!("recovery:{user}:{}", rules::normalise_recovery(code)).as_bytes())
}

/// `user`'s secret in clear and whether it is on, if any.
///
/// # Errors
/// A database error, or `Internal` when the sealed secret does not open.
pub fn secret(keys: &Keys, conn: &Connection, user: i64) -> Result<Option<(Vec<u8>, bool)>> {
    match dbs::get(conn, user)? {
        Some(s) => Ok(Some((crypto::open(&keys.identity_enc, &s.sealed, &aad(user))?, s.enabled_at.is_some()))),
        None => Ok(None),
    }
}

/// Make a new secret for `user` to enter in an authenticator app (one
/// being set up is replaced), logged as `second_factor.start`.
///
/// # Returns
/// The secret, or `None` when a second factor is already on.
///
/// # Errors
/// A database error.
pub fn start(env: &Env, tx: &Transaction, user: i64) -> Result<Option<Vec<u8>>> {
    let mut secret = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let sealed = crypto::seal(&env.keys.identity_enc, &secret, &aad(user));
    if !dbs::start(tx, user, &sealed, env.now)? {
        return Ok(None);
    }
    env.log(tx, "second_factor.start", &format!("user:{user}"), "ok")?;
    Ok(Some(secret))
}

/// Switch the secret being set up on with a first right `code`; makes
/// [`rules::RECOVERY_CODES`] recovery codes. Logged as `second_factor.enable`.
///
/// # Returns
/// The recovery codes, to show once; `None` for a wrong code or nothing
/// being set up.
///
/// # Errors
/// A database or decryption error.
pub fn enable(env: &Env, tx: &Transaction, user: i64, code: &str) -> Result<Option<Vec<String>>> {
    let target = format!("user:{user}");
    let Some((secret, false)) = secret(env.keys, tx, user)? else { return Ok(None) };
    let Some(step) = rules::check(&secret, code, env.now, 0) else {
        env.log(tx, "second_factor.enable", &target, "wrong code")?;
        return Ok(None);
    };
    let codes = new_recovery_codes();
    let macs: Vec<[u8; 32]> = codes.iter().map(|c| recovery_mac(env.keys, user, c)).collect();
    if !dbs::enable(tx, user, step, &macs, env.now)? {
        return Ok(None);
    }
    env.log(tx, "second_factor.enable", &target, "ok")?;
    Ok(Some(codes))
}

/// Recovery codes: ten letters and digits (no look-alikes), shown `abcde-fghjk`.
fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..rules::RECOVERY_CODES)
        .map(|_| {
            let s: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// Check `entered` for `user` at login: a code from the app (a step not
/// used before) or an unused recovery code, which is used up. Logged as
/// `user.second_factor` (`ok`, `ok: recovery code` or `wrong code`).
///
/// # Errors
/// A database or decryption error.
pub fn verify(env: &Env, tx: &Transaction, user: i64, entered: &str) -> Result<bool> {
    let target = format!("user:{user}");
    let Some((secret, true)) = secret(env.keys, tx, user)? else { return Ok(false) };
    let last = dbs::get(tx, user)?.map_or(0, |s| s.last_step);
    if let Some(step) = rules::check(&secret, entered, env.now, last) {
        if dbs::accept_step(tx, user, step)? {
            env.log(tx, "user.second_factor", &target, "ok")?;
            return Ok(true);
        }
    }
    let recovery = rules::normalise_recovery(entered);
    if recovery.len() == 10 && dbs::use_recovery(tx, user, &recovery_mac(env.keys, user, &recovery), env.now)? {
        env.log(tx, "user.second_factor", &target, "ok: recovery code")?;
        return Ok(true);
    }
    env.log(tx, "user.second_factor", &target, "wrong code")?;
    Ok(false)
}

/// Switch `user`'s second factor off (the caller checked the password and
/// that the account is not required to have one), logged.
///
/// # Errors
/// A database error.
pub fn disable(env: &Env, tx: &Transaction, user: i64) -> Result<()> {
    dbs::disable(tx, user)?;
    env.log(tx, "second_factor.disable", &format!("user:{user}"), "ok")
}
