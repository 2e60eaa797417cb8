//! `plaza user role`: grant or revoke a staff role from the command line
//! (R6.5), with the same last-admin rule as `/admin/users`. Logged.

use super::DataDir;
use crate::db;
use crate::domain::account::Role;
use crate::error::{Error, Result};
use std::path::Path;

/// `plaza user role --username NAME --grant ROLE | --revoke ROLE`.
///
/// # Returns
/// `granted reviewer to alice`, `alice already holds reviewer`, ….
///
/// # Errors
/// `Error::Config` for an unknown account or role, a closed account (grant),
/// or taking the admin role from the last admin.
pub fn user_role(data: &Path, username: &str, role: &str, grant: bool) -> Result<String> {
    let dir = DataDir::open(data)?;
    let role = Role::parse(role)
        .ok_or_else(|| Error::Config(format!("unknown role {role:?}: reviewer, chief_editor or admin")))?;
    let user = db::users::by_username(&dir.conn, username.trim_start_matches('@'))?
        .ok_or_else(|| Error::Config(format!("no account named {username:?}")))?;
    if grant && user.status != "active" {
        return Err(Error::Config(format!("{} is closed", user.username)));
    }
    let now = crate::clock::now();
    let target = format!("user:{}", user.id);
    let command = if grant { "user role --grant" } else { "user role --revoke" };
    let changed = dir.write(now, |tx| {
        if grant {
            let done = db::staff::grant_role(tx, user.id, role, now)?;
            if done {
                dir.log(tx, now, command, "role.grant", &target, role.as_str())?;
            }
            return Ok(Some(done));
        }
        if role == Role::Admin && db::staff::is_last_admin(tx, user.id)? {
            dir.log(tx, now, command, "role.revoke", &target, "refused: last admin")?;
            return Ok(None);
        }
        let done = db::staff::revoke_role(tx, user.id, role)?;
        if done {
            dir.log(tx, now, command, "role.revoke", &target, role.as_str())?;
        }
        Ok(Some(done))
    })?;
    let (name, r) = (&user.username, role.as_str());
    match (changed, grant) {
        (None, _) => Err(Error::Config(format!("{name} is the last admin: grant admin to someone else first"))),
        (Some(true), true) => Ok(format!("granted {r} to {name}")),
        (Some(false), true) => Ok(format!("{name} already holds {r}")),
        (Some(true), false) => Ok(format!("revoked {r} from {name}")),
        (Some(false), false) => Ok(format!("{name} does not hold {r}")),
    }
}
