//! `plaza user role`: grant or revoke a staff role from the command line
//! (R6.5), with the same last-admin rule as `/admin/users`. Logged.

use super::DataDir;
use crate::actions::roles::{self, RoleChange};
use crate::actions::{Actor, Env};
use crate::config::Config;
use crate::db::{self, log::Source};
use crate::domain::account::Role;
use crate::error::{Error, Result};

/// `plaza user role --username NAME --grant ROLE | --revoke ROLE`, as the
/// operator (`Actor::Cli`), through the same action as `/admin/users`.
///
/// # Returns
/// `granted reviewer to alice`, `alice already holds reviewer`, ….
///
/// # Errors
/// `Error::Config` for an unknown account or role, a closed account (grant),
/// or taking the admin role from the last admin.
pub fn user_role(cfg: &Config, username: &str, role: &str, grant: bool) -> Result<String> {
    let dir = DataDir::open(&cfg.data_dir)?;
    let role = Role::parse(role)
        .ok_or_else(|| Error::Config(format!("unknown role {role:?}: reviewer, chief_editor or admin")))?;
    let user = db::users::by_username(&dir.conn, username.trim_start_matches('@'))?
        .ok_or_else(|| Error::Config(format!("no account named {username:?}")))?;
    let now = crate::clock::now();
    let command = if grant { "user role --grant" } else { "user role --revoke" };
    let env = Env { config: cfg, keys: &dir.keys, actor: Actor::Cli, source: Source::cli(command), now };
    let change = dir.write(now, |tx| roles::set_role(&env, tx, &user, role, grant))?;
    let (name, r) = (&user.username, role.as_str());
    match change {
        RoleChange::AccountClosed => Err(Error::Config(format!("{name} is closed"))),
        RoleChange::LastAdmin => {
            Err(Error::Config(format!("{name} is the last admin: grant admin to someone else first")))
        }
        RoleChange::Granted => Ok(format!("granted {r} to {name}")),
        RoleChange::AlreadyHeld => Ok(format!("{name} already holds {r}")),
        RoleChange::Revoked => Ok(format!("revoked {r} from {name}")),
        RoleChange::NotHeld => Ok(format!("{name} does not hold {r}")),
    }
}
