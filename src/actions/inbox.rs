//! Telling staff of new work (issue 13): a new complaint (R14.2), an
//! identity waiting for confirmation (R7.2), an appeal (R15.1) or a badge
//! application (R10.1) notifies every active account whose roles open the
//! page where it is done; an assigned complaint notifies its assignee.

use super::Env;
use crate::db::{self, notifications::Kind};
use crate::domain::account::Role;
use crate::error::Result;
use rusqlite::Transaction;

/// Who confirms identities and decides badge applications: the roles of
/// `/admin/identities` and `/admin/verifications` (R7.2, R10.1).
pub const IDENTITY_DESK: &[Role] = &[Role::Reviewer, Role::Admin];
/// Who handles complaints and appeals: the roles of `/admin/complaints`
/// and `/admin/appeals` (R14.2, R15.1).
pub const REVIEW_DESK: &[Role] = &[Role::Reviewer, Role::ChiefEditor];

/// Notify every active holder of `roles` except `except` (the one who
/// caused the work, who knows already) of `kind`, with `detail`.
///
/// # Returns
/// How many were told.
///
/// # Errors
/// A database error.
pub fn tell_staff(
    env: &Env,
    tx: &Transaction,
    roles: &[Role],
    except: Option<i64>,
    kind: Kind,
    detail: &str,
) -> Result<usize> {
    let mut n = 0;
    for u in db::staff::holders(tx, roles)? {
        if Some(u.id) == except || Some(u.id) == env.actor.account() {
            continue;
        }
        db::notifications::notify_staff(tx, u.id, kind, env.actor.account(), detail, env.now)?;
        n += 1;
    }
    Ok(n)
}

/// Notify `assignee` that a complaint (`tracking`) is theirs, unless they
/// assigned it themselves.
///
/// # Errors
/// A database error.
pub fn tell_assignee(env: &Env, tx: &Transaction, assignee: i64, tracking: &str) -> Result<()> {
    if env.actor.account() == Some(assignee) {
        return Ok(());
    }
    db::notifications::notify_staff(tx, assignee, Kind::ComplaintAssigned, env.actor.account(), tracking, env.now)
}
