//! Real-name identity workflows (R7.1-R7.4): a member confirming the
//! one-time code sent to their mobile (a first binding goes on to the
//! verification webhook or to staff, R7.2; a verified or expired identity
//! is renewed, R7.3), and staff confirming, refusing, asking for a full
//! re-verification and revealing one value with a reason (R7.4). Each
//! writes its log entry, never with an identity value (R7.5).

use super::{rank, Env};
use crate::db::{self, identity as idb, notifications::Kind};
use crate::domain::identity::otp::{self, Check};
use crate::domain::identity::{self as rules, Status};
use crate::error::{Error, Result};
use crate::outbound::{Job, Jobs};
use crate::seal;
use rusqlite::Transaction;

/// What an entered one-time code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeOutcome {
    /// No identity is bound yet: nothing to confirm.
    BindFirst,
    /// The mobile is confirmed: a verified or expired identity is renewed
    /// (`renewed`, R7.3); otherwise the identity waits for staff or, when
    /// `to_webhook`, for the verification webhook (R7.2): call
    /// [`hand_to_webhook`] once the transaction has committed.
    Confirmed { renewed: bool, to_webhook: bool },
    /// Wrong or dead code (see [`otp::check`]); nothing confirmed.
    Refused(Check),
}

/// Check `entered` against `member`'s live code and, when right, confirm
/// the mobile (R7.1-R7.3), logged as `identity.code_confirm` or
/// `identity.recheck`.
///
/// # Errors
/// A database error.
pub fn confirm_code(env: &Env, tx: &Transaction, member: i64, entered: &str) -> Result<CodeOutcome> {
    let Some(identity) = idb::get(tx, member)? else { return Ok(CodeOutcome::BindFirst) };
    let stored = idb::code(tx, member)?;
    let matches = otp::well_formed(entered)
        && stored
            .as_ref()
            .is_some_and(|c| crate::crypto::constant_time_eq(&seal::code_mac(env.keys, member, entered), &c.code_mac));
    let target = format!("user:{member}");
    let now = env.now;
    match otp::check(stored.as_ref().map(|c| (c.expires_at, c.tries)), matches, now) {
        Check::Confirmed => {}
        Check::Wrong { left } => {
            idb::add_try(tx, member)?;
            env.log(tx, "identity.code_confirm", &target, &format!("wrong code, {left} tries left"))?;
            return Ok(CodeOutcome::Refused(Check::Wrong { left }));
        }
        other => {
            env.log(tx, "identity.code_confirm", &target, "no live code")?;
            return Ok(CodeOutcome::Refused(other));
        }
    }
    let renewed = matches!(identity.status(now), Status::Expired | Status::Verified) && !identity.full_recheck;
    let webhook = !env.config.identity_verify_webhook.is_empty() && !identity.check_failed;
    idb::delete_code(tx, member)?;
    idb::confirm_mobile(tx, member, now)?;
    if renewed {
        // R7.3: a new mobile code renews a verified identity.
        idb::verify(tx, member, "mobile", None, now, rules::next_check(now, env.config.identity_recheck_days))?;
        env.log(tx, "identity.recheck", &target, "ok")?;
    } else {
        idb::set_pending(tx, member, now)?;
        env.log(tx, "identity.code_confirm", &target, if webhook { "ok, to webhook" } else { "ok, to staff" })?;
        if !webhook {
            // Issue 13: staff learn that an identity waits for them.
            let kind = crate::db::notifications::Kind::StaffIdentity;
            super::inbox::tell_staff(env, tx, super::inbox::IDENTITY_DESK, Some(member), kind, "")?;
        }
    }
    Ok(CodeOutcome::Confirmed { renewed, to_webhook: webhook && !renewed })
}

/// Check a code sent to the mobile bound now, before the identity is
/// replaced (issue 15): right and in time, the code is used up; wrong, a
/// try is counted. Logged as `identity.reauth`; nothing is confirmed.
///
/// # Returns
/// [`Check::Confirmed`] when right; otherwise why not.
///
/// # Errors
/// A database error.
pub fn check_old_mobile(env: &Env, tx: &Transaction, member: i64, entered: &str) -> Result<Check> {
    let stored = idb::code(tx, member)?;
    let matches = otp::well_formed(entered)
        && stored
            .as_ref()
            .is_some_and(|c| crate::crypto::constant_time_eq(&seal::code_mac(env.keys, member, entered), &c.code_mac));
    let target = format!("user:{member}");
    let check = otp::check(stored.as_ref().map(|c| (c.expires_at, c.tries)), matches, env.now);
    match check {
        Check::Confirmed => {
            idb::delete_code(tx, member)?;
            env.log(tx, "identity.reauth", &target, "ok: old mobile")?;
        }
        Check::Wrong { left } => {
            idb::add_try(tx, member)?;
            env.log(tx, "identity.reauth", &target, &format!("wrong code, {left} tries left"))?;
        }
        _ => env.log(tx, "identity.reauth", &target, "no live code")?,
    }
    Ok(check)
}

/// Hand `member`'s pending identity, confirmed at `env.now`, to the
/// verification webhook's `jobs` (R7.2), after the confirming transaction has
/// committed (the job reads it). If the job cannot be queued the identity
/// stays pending for staff in `/admin/identities`.
pub fn hand_to_webhook(env: &Env, jobs: &Jobs, member: i64) {
    if let Err(e) = jobs.submit(Job::Verify { user: member, stamp: env.now }) {
        eprintln!("plaza: queueing the identity webhook for user:{member}: {e}");
    }
}

/// Staff confirm a pending identity by hand (R7.2); for a credit code that
/// fails its own check this is the override, recorded as such. The member
/// is told.
///
/// # Errors
/// A database error; `Forbidden` when no staff account acts.
pub fn confirm(env: &Env, tx: &Transaction, identity: &idb::Identity) -> Result<()> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    let (user, now) = (identity.user_id, env.now);
    let target = format!("user:{user}");
    idb::verify(tx, user, "admin", Some(staff), now, rules::next_check(now, env.config.identity_recheck_days))?;
    if identity.check_failed {
        idb::record_override(tx, user, staff, now)?;
        env.log(tx, "identity.override", &target, "check character failed; licence checked by hand")?;
    }
    db::notifications::notify(tx, user, Kind::IdentityVerified, staff, None, None, now)?;
    env.log(tx, "identity.confirm", &target, if staff == user { "ok, own account" } else { "ok" })
}

/// Staff refuse `user`'s identity with `why` (numbers already redacted,
/// R7.5); the member is told.
///
/// # Errors
/// A database error; `Forbidden` when no staff account acts; `Outranked`
/// when the staff member does not outrank `user` (R6.5).
pub fn reject(env: &Env, tx: &Transaction, user: i64, why: &str) -> Result<()> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    rank::check(env, tx, user)?;
    idb::reject(tx, user, why, env.now)?;
    db::notifications::notify(tx, user, Kind::IdentityRejected, staff, None, None, env.now)?;
    env.log(tx, "identity.reject", &format!("user:{user}"), &format!("reason: {why}"))
}

/// An admin asks `user` for a full re-verification at the next check (R7.3).
///
/// # Errors
/// A database error.
pub fn request_recheck(env: &Env, tx: &Transaction, user: i64) -> Result<()> {
    idb::require_full_recheck(tx, user, env.now)?;
    env.log(tx, "identity.recheck_request", &format!("user:{user}"), "ok")
}

/// One identity value an admin may reveal (R7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    LegalName,
    Number,
    Mobile,
}

impl Field {
    /// Parse the form's `field` value.
    pub fn parse(s: &str) -> Option<Field> {
        match s {
            "legal_name" => Some(Field::LegalName),
            "number" => Some(Field::Number),
            "mobile" => Some(Field::Mobile),
            _ => None,
        }
    }

    /// The name stored in the reveal record and shown on the page.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::LegalName => "legal_name",
            Field::Number => "number",
            Field::Mobile => "mobile",
        }
    }
}

/// Reveal one of `user`'s values in full to the acting admin, with `why`
/// (R7.4): recorded (who, when, whose, which, why) in the identity's
/// history and the activity log.
///
/// # Returns
/// The value in clear.
///
/// # Errors
/// `NotFound` without a stored identity; a database or decryption error;
/// `Forbidden` when no staff account acts.
pub fn reveal(env: &Env, tx: &Transaction, user: i64, field: Field, why: &str) -> Result<String> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    let sealed = idb::sealed(tx, user)?.ok_or(Error::NotFound)?;
    let clear = seal::open(env.keys, user, &sealed)?;
    let name = field.as_str();
    let id = idb::add_reveal(tx, user, staff, name, why, env.now)?;
    env.log(tx, "identity.reveal", &format!("user:{user}"), &format!("reveal:{id} {name}; reason: {why}"))?;
    Ok(match field {
        Field::LegalName => clear.legal_name,
        Field::Number => clear.number,
        Field::Mobile => clear.mobile,
    })
}

/// What a reviewer checks before confirming `user`'s pending identity
/// (R7.2): the legal name and the ID or credit number in full, side by
/// side, for this one record. The look is recorded like an admin's reveal
/// (R7.4): one reveal row per value, reason [`idb::CHECK_REASON`], and one
/// `identity.reveal` log entry naming the fields, never the values (R7.5).
///
/// # Returns
/// `(legal name, number)` in clear.
///
/// # Errors
/// `NotFound` without a stored identity; a database or decryption error;
/// `Forbidden` when no staff account acts.
pub fn reveal_for_check(env: &Env, tx: &Transaction, user: i64) -> Result<(String, String)> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    let sealed = idb::sealed(tx, user)?.ok_or(Error::NotFound)?;
    let clear = seal::open(env.keys, user, &sealed)?;
    let why = idb::CHECK_REASON;
    let a = idb::add_reveal(tx, user, staff, Field::LegalName.as_str(), why, env.now)?;
    let b = idb::add_reveal(tx, user, staff, Field::Number.as_str(), why, env.now)?;
    env.log(
        tx,
        "identity.reveal",
        &format!("user:{user}"),
        &format!("reveal:{a},{b} legal_name, number; reason: {why}"),
    )?;
    Ok((clear.legal_name, clear.number))
}
