//! Staff sanctions on an account (issue 18): 禁言 (mute: no publishing) and
//! 封禁 (suspend: no login, content hidden everywhere until it ends or is
//! lifted), with a reason, a notice to the member and an activity-log
//! entry (`account.mute`, `account.suspend`, `account.lift`) in one
//! transaction. Expiry needs no job: reads compare the end with the clock.

use super::{Actor, Env};
use crate::db::{self, credit::Source, notifications::Kind as Notice, sanctions::Kind, users::User};
use crate::error::Result;
use rusqlite::Transaction;

/// Longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// Why a sanction was refused (nothing is written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No reason given.
    NoReason,
    /// The reason is longer than [`MAX_REASON_CHARS`].
    ReasonTooLong,
    /// The end is not in the future.
    EndInPast,
    /// Staff cannot sanction themselves.
    Yourself,
    /// A closed account.
    Closed,
}

/// Whether `actor` may sanction `target` at all (not themselves, not a
/// closed account); the staff-rank rule (R6.5) is `actions::rank::check`,
/// which [`impose`] runs after these.
///
/// # Errors
/// A database error.
pub fn may_sanction(_tx: &Transaction, actor: Actor, target: &User) -> Result<Option<Refusal>> {
    if actor.account() == Some(target.id) {
        return Ok(Some(Refusal::Yourself));
    }
    if target.status != "active" {
        return Ok(Some(Refusal::Closed));
    }
    Ok(None)
}

/// Mute or suspend `target` until `ends_at` (UTC unix seconds) for
/// `reason`: checks, record, signing a suspended account out, notice, log.
///
/// # Returns
/// The new sanction's id, or why it was refused.
///
/// # Errors
/// A database error.
pub fn impose(
    env: &Env,
    tx: &Transaction,
    target: &User,
    kind: Kind,
    ends_at: i64,
    reason: &str,
) -> Result<std::result::Result<i64, Refusal>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(Refusal::NoReason));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Ok(Err(Refusal::ReasonTooLong));
    }
    if ends_at <= env.now {
        return Ok(Err(Refusal::EndInPast));
    }
    if let Some(r) = may_sanction(tx, env.actor, target)? {
        return Ok(Err(r));
    }
    super::rank::check(env, tx, target.id)?;

    let id = db::sanctions::create(tx, target.id, kind, reason, ends_at, env.actor.account(), env.now)?;
    // R12.2: the profile as it was, who decided and why, kept as evidence.
    db::evidence::record_sanction(tx, target, id, kind.as_str(), env.actor.account(), reason, env.now)?;
    // R15.1: a credit event (no points) the member can appeal once through
    // the appeals flow; upheld, the sanction is lifted (`actions::credit`).
    let r#ref = format!("sanction:{id}");
    let event = db::credit::add(tx, target.id, 0, Source::Staff, reason, &r#ref, env.actor.account(), env.now)?;
    let notice = match kind {
        Kind::Mute => Notice::SanctionMute,
        Kind::Suspend => {
            db::sanctions::end_sessions(tx, target.id)?;
            Notice::SanctionSuspend
        }
    };
    let actor = env.actor.account().unwrap_or(target.id);
    db::notifications::notify_staff(tx, target.id, notice, Some(actor), reason, env.now)?;
    let action = match kind {
        Kind::Mute => "account.mute",
        Kind::Suspend => "account.suspend",
    };
    let until = crate::domain::dates::rfc3339(ends_at);
    env.log(tx, action, &format!("user:{} sanction:{id} event:{event}", target.id), &format!("until {until}"))?;
    Ok(Ok(id))
}

/// Lift sanction `id` early; false if it was not in force.
///
/// # Errors
/// A database error.
pub fn lift(env: &Env, tx: &Transaction, id: i64) -> Result<bool> {
    lift_because(env, tx, id, "ok")
}

/// Lift sanction `id` early with `outcome` in the log (`ok`, `ok: appeal
/// upheld`); false if it was not in force (nothing written).
///
/// # Errors
/// A database error.
pub fn lift_because(env: &Env, tx: &Transaction, id: i64, outcome: &str) -> Result<bool> {
    let Some(s) = db::sanctions::get(tx, id)? else { return Ok(false) };
    if !s.in_force(env.now) || !db::sanctions::lift(tx, id, env.actor.account(), env.now)? {
        return Ok(false);
    }
    env.log(tx, "account.lift", &format!("user:{} sanction:{id}", s.user_id), outcome)?;
    Ok(true)
}

/// Log, once each, the sanctions that ran out on their own by `env.now`
/// (`account.sanction_end`, issue 18). Expiry itself needs no job (reads
/// compare the end with the clock); this gives the log its entry. Part of
/// the daily maintenance.
///
/// # Returns
/// How many were logged.
///
/// # Errors
/// A database error.
pub fn log_expired(env: &Env, tx: &Transaction) -> Result<usize> {
    let ended = db::sanctions::ended_unlogged(tx, env.now)?;
    for s in &ended {
        db::sanctions::mark_expiry_logged(tx, s.id, env.now)?;
        let at = crate::domain::dates::rfc3339(s.ends_at);
        env.log(
            tx,
            "account.sanction_end",
            &format!("user:{} sanction:{}", s.user_id, s.id),
            &format!("ok: ended {at}"),
        )?;
    }
    Ok(ended.len())
}
