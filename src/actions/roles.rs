//! Staff roles (R6.5): granting and revoking a role, from `/admin/users`
//! and from `plaza user role`, with one rule for both: the last active
//! admin keeps the admin role. Every change and refusal is logged as
//! `role.grant` / `role.revoke`.

use super::Env;
use crate::db::{self, users::User};
use crate::domain::account::Role;
use crate::error::Result;
use rusqlite::Transaction;

/// What a grant or revoke did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    /// The role was granted.
    Granted,
    /// The account already held it.
    AlreadyHeld,
    /// The role was revoked.
    Revoked,
    /// The account did not hold it.
    NotHeld,
    /// Refused: a closed account gets no role.
    AccountClosed,
    /// Refused, and the refusal logged: the last active admin keeps the role.
    LastAdmin,
}

/// Grant (`grant`) or revoke `role` for `user` as `env.actor` (an admin
/// on the page, the operator at the command line), inside `tx`.
///
/// # Errors
/// A database error.
pub fn set_role(env: &Env, tx: &Transaction, user: &User, role: Role, grant: bool) -> Result<RoleChange> {
    let target = format!("user:{}", user.id);
    if grant {
        if user.status != "active" {
            return Ok(RoleChange::AccountClosed);
        }
        if !db::staff::grant_role(tx, user.id, role, env.now)? {
            return Ok(RoleChange::AlreadyHeld);
        }
        env.log(tx, "role.grant", &target, role.as_str())?;
        return Ok(RoleChange::Granted);
    }
    if role == Role::Admin && db::staff::is_last_admin(tx, user.id)? {
        env.log(tx, "role.revoke", &target, "refused: last admin")?;
        return Ok(RoleChange::LastAdmin);
    }
    if !db::staff::revoke_role(tx, user.id, role)? {
        return Ok(RoleChange::NotHeld);
    }
    env.log(tx, "role.revoke", &target, role.as_str())?;
    Ok(RoleChange::Revoked)
}
