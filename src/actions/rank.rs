//! Staff rank (R6.5, issue 15): the one rule on who may sanction whom.
//! An account's rank is its highest role (member < reviewer <
//! chief_editor < admin); staff may sanction only an account they
//! outrank: never their own, nor one of equal or higher rank. Such a case
//! goes to a chief editor or an admin (an admin's account is sanctioned
//! once another admin has taken the role away, `roles::set_role`, logged).
//!
//! "Sanction" means every staff action that costs an account something:
//! a staff removal (`removal`, the review queue's removals, bulk
//! takedown), a credit adjustment or restriction (`credit`), an upheld
//! complaint's penalty (`complaints`), refusing an identity (`identity`).
//! Each calls [`check`] before it writes; a refusal answers 403 with the
//! reason in words ([`Error::Outranked`]) and the dispatcher records the
//! attempt as `access.denied`.

use super::{Actor, Env};
use crate::db;
use crate::domain::account::Role;
use crate::error::{Error, Result};
use rusqlite::Connection;

/// An account's rank: 0 for a member without a staff role, then 1
/// reviewer, 2 chief editor, 3 admin.
pub fn rank(role: Option<Role>) -> u8 {
    match role {
        None => 0,
        Some(Role::Reviewer) => 1,
        Some(Role::ChiefEditor) => 2,
        Some(Role::Admin) => 3,
    }
}

/// The highest of `roles` by [`rank`] (`None` for a member).
pub fn highest(roles: &[Role]) -> Option<Role> {
    roles.iter().copied().max_by_key(|r| rank(Some(*r)))
}

/// May an account whose highest role is `actor` sanction one whose highest
/// role is `target` (the same account counts as equal rank)? Only when it
/// outranks it.
pub fn may_sanction(actor: Option<Role>, target: Option<Role>) -> bool {
    rank(actor) > rank(target)
}

/// Check that `env.actor` may sanction account `target` (R6.5). Only
/// staff acting as staff are bound: a member acting on their own post's
/// comments, the operator at the command line and the server's own jobs
/// are not.
///
/// # Errors
/// [`Error::Outranked`] with the target's highest role when a staff
/// member does not outrank it (their own account included); a database
/// error.
pub fn check(env: &Env, conn: &Connection, target: i64) -> Result<()> {
    let Actor::Staff(me) = env.actor else { return Ok(()) };
    let mine = highest(&db::users::roles(conn, me)?);
    let theirs = highest(&db::users::roles(conn, target)?);
    if may_sanction(mine, theirs) {
        Ok(())
    } else {
        // Equal or higher rank: a staff role (the actor holds one).
        Err(Error::Outranked(theirs.or(mine).unwrap_or(Role::Reviewer)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix of the rule: actor rank x target rank.
    #[test]
    fn only_a_higher_rank_sanctions() {
        let ranks = [None, Some(Role::Reviewer), Some(Role::ChiefEditor), Some(Role::Admin)];
        for (i, actor) in ranks.iter().enumerate() {
            for (j, target) in ranks.iter().enumerate() {
                assert_eq!(may_sanction(*actor, *target), i > j, "{actor:?} on {target:?}");
            }
        }
    }

    #[test]
    fn the_highest_role_counts() {
        assert_eq!(highest(&[Role::Admin, Role::Reviewer]), Some(Role::Admin));
        assert_eq!(highest(&[Role::Reviewer, Role::ChiefEditor]), Some(Role::ChiefEditor));
        assert_eq!(highest(&[]), None);
    }
}
