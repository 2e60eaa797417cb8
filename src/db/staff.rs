//! Staff roles (R6.5): listing accounts with their roles, granting and
//! revoking, and the last-admin rule.

use crate::db::users::{user_at, User, USER_COLS, USER_COL_COUNT};
use crate::domain::account::Role;
use crate::error::Result;
use rusqlite::{params, Connection, Transaction};

/// An account with its staff roles.
#[derive(Debug, Clone)]
pub struct StaffRow {
    pub user: User,
    pub roles: Vec<Role>,
}

/// Accounts whose username starts with `q` (case-insensitive; every
/// account when empty), staff first when `staff_only`, by username, after
/// username key `after`.
pub fn search(conn: &Connection, q: &str, staff_only: bool, after: &str, limit: u32) -> Result<Vec<StaffRow>> {
    let sql = format!(
        "SELECT {USER_COLS}, (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id)
         FROM users u
         WHERE u.username_key > ?3 AND substr(u.username_key, 1, length(?1)) = ?1
           AND (?2 = 0 OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id))
         ORDER BY u.username_key LIMIT ?4"
    );
    let key = crate::domain::account::username_key(q);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![key, staff_only, after, limit], |r| {
        // The roles follow the account's columns (issue 13: read at 9, the
        // badge, after the badge column was added).
        let roles: Option<String> = r.get(USER_COL_COUNT)?;
        Ok(StaffRow {
            user: user_at(r, 0)?,
            roles: roles.unwrap_or_default().split(',').filter_map(Role::parse).collect(),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Take a role away; false if the account did not hold it.
pub fn revoke_role(tx: &Transaction, user: i64, role: Role) -> Result<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM user_roles WHERE user_id = ?1 AND role = ?2")?
        .execute(params![user, role.as_str()])?
        == 1)
}

/// Give a role; false if the account held it already.
pub fn grant_role(tx: &Transaction, user: i64, role: Role, now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("INSERT OR IGNORE INTO user_roles (user_id, role, granted_at) VALUES (?1, ?2, ?3)")?
        .execute(params![user, role.as_str(), now])?
        == 1)
}

/// How many active accounts hold the admin role.
pub fn admin_count(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id
             WHERE r.role = 'admin' AND u.status = 'active'",
        )?
        .query_row([], |r| r.get(0))?)
}

/// Is `user` the only active admin left? Then the admin role stays (R6.5):
/// a site without an admin could not be run.
pub fn is_last_admin(conn: &Connection, user: i64) -> Result<bool> {
    Ok(admin_count(conn)? <= 1 && crate::db::users::roles(conn, user)?.contains(&Role::Admin))
}

/// The active accounts holding any of `roles`, by username: who may be
/// assigned a complaint, who is told of new staff work, and whether a
/// second person exists to decide an appeal (R6.5, R14.2, R15.1).
pub fn holders(conn: &Connection, roles: &[Role]) -> Result<Vec<User>> {
    let wanted: String = roles.iter().fold(",".to_string(), |acc, r| format!("{acc}{},", r.as_str()));
    let sql = format!(
        "SELECT {USER_COLS} FROM users u
         WHERE u.status = 'active'
           AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND instr(?1, ',' || r.role || ',') > 0)
         ORDER BY u.username_key"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([wanted], |r| user_at(r, 0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use crate::db::users::{USER_COLS, USER_COL_COUNT};

    /// The count the roles column is read after matches the columns
    /// (issue 13: a badge column added to `USER_COLS` shifted the roles).
    #[test]
    fn user_col_count_matches_user_cols() {
        assert_eq!(USER_COLS.split(',').count(), USER_COL_COUNT);
    }
}
