//! Reviewers' decisions on verified-badge applications (R10.1): approving
//! (only when the applicant's identity is verified, of the same kind, and
//! its legal name matches the certified name; a refusal is logged),
//! rejecting and revoking with a reason. The applicant is told each time.

use super::Env;
use crate::crypto::Keys;
use crate::db::{self, identity as idb, notifications::Kind, verification as vdb};
use crate::domain::identity::{self as rules, Status};
use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction};

/// Why an approval was refused (R10.1), as the admin page's `error` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    /// The applicant has no verified identity.
    Identity,
    /// An individual applied as an organisation or the other way round.
    Kind,
    /// The certified name is not the bound legal name.
    Name,
}

impl Mismatch {
    /// The code the admin page shows a message for.
    pub fn code(self) -> &'static str {
        match self {
            Mismatch::Identity => "identity",
            Mismatch::Kind => "kind",
            Mismatch::Name => "mismatch",
        }
    }
}

/// Approve pending application `app` as `env.actor` (R10.1).
///
/// # Returns
/// `Err(mismatch)` when the badge does not match the identity; the refusal
/// is logged and nothing else written.
///
/// # Errors
/// A database or decryption error; `Forbidden` when no staff account acts.
pub fn approve(env: &Env, tx: &Transaction, app: &vdb::Application) -> Result<std::result::Result<(), Mismatch>> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    let target = format!("verification:{}", app.id);
    if let Err(why) = check(tx, env.keys, env.now, app)? {
        env.log(tx, "verification.approve", &target, &format!("refused: {}", why.code()))?;
        return Ok(Err(why));
    }
    vdb::decide(tx, app.id, true, "", staff, env.now)?;
    db::notifications::notify(tx, app.user_id, Kind::VerificationApproved, staff, None, None, env.now)?;
    env.log(tx, "verification.approve", &target, &app.subject_type)?;
    Ok(Ok(()))
}

/// Whether the applicant of `app` may get the badge at `now` (R10.1);
/// the review queue shows it next to each application.
///
/// # Errors
/// A database or decryption error.
pub fn check(
    conn: &Connection,
    keys: &Keys,
    now: i64,
    app: &vdb::Application,
) -> Result<std::result::Result<(), Mismatch>> {
    let Some(identity) = idb::get(conn, app.user_id)? else { return Ok(Err(Mismatch::Identity)) };
    if identity.status(now) != Status::Verified {
        return Ok(Err(Mismatch::Identity));
    }
    if (identity.subject_type == "individual") != (app.subject_type == "individual") {
        return Ok(Err(Mismatch::Kind));
    }
    let sealed = idb::sealed(conn, app.user_id)?.ok_or(Error::NotFound)?;
    let clear = crate::seal::open(keys, app.user_id, &sealed)?;
    Ok(if rules::names_match(&app.certified_name, &clear.legal_name) { Ok(()) } else { Err(Mismatch::Name) })
}

/// Reject application `app` with `why` (numbers redacted, R7.5).
///
/// # Errors
/// A database error; `Forbidden` when no staff account acts.
pub fn reject(env: &Env, tx: &Transaction, app: &vdb::Application, why: &str) -> Result<()> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    vdb::decide(tx, app.id, false, why, staff, env.now)?;
    db::notifications::notify(tx, app.user_id, Kind::VerificationRejected, staff, None, None, env.now)?;
    env.log(tx, "verification.reject", &format!("verification:{}", app.id), &format!("reason: {why}"))
}

/// Take the badge of application `app` away with `why` (R10.1).
///
/// # Errors
/// A database error; `Forbidden` when no staff account acts.
pub fn revoke(env: &Env, tx: &Transaction, app: &vdb::Application, why: &str) -> Result<()> {
    let staff = env.actor.account().ok_or(Error::Forbidden)?;
    vdb::revoke(tx, app.id, why, staff, env.now)?;
    db::notifications::notify(tx, app.user_id, Kind::VerificationRevoked, staff, None, None, env.now)?;
    env.log(tx, "verification.revoke", &format!("verification:{}", app.id), &format!("reason: {why}"))
}
