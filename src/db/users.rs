//! Account queries: create, look up, profile counts, roles, setup tokens.

use crate::domain::account::Role;
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// An account as pages show it. Identity data never lives here (R7.4).
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    /// Free text, may be empty (then pages show the username).
    pub display_name: String,
    pub bio: String,
    /// `individual`, `organisation`, `government`, `media` or `foreign_org`.
    pub subject_type: String,
    /// `active` or `closed`.
    pub status: String,
    /// The agreement version this account last accepted (R6.1).
    pub agreement_version: i64,
    pub created_at: i64,
    /// The avatar image's file name (`/media/{avatar}/thumb`), if one is set.
    pub avatar: Option<String>,
    /// The subject type of the verified badge the account holds, if any (R8.1).
    pub badge: Option<String>,
}

/// Columns of [`User`], for a query that names the users table `u`.
pub(crate) const USER_COLS: &str =
    "u.id, u.username, u.display_name, u.bio, u.subject_type, u.status, u.agreement_version, u.created_at,
     (SELECT a.sha256 FROM attachments a WHERE a.id = u.avatar_id),
     (SELECT v.subject_type FROM verifications v WHERE v.user_id = u.id AND v.status = 'approved')";

/// How many columns [`USER_COLS`] holds: a query that selects more after
/// them reads its next column at this index (plus the offset it gave
/// [`user_at`]), never at a hand-counted number.
pub(crate) const USER_COL_COUNT: usize = 10;

fn user_row(r: &Row) -> rusqlite::Result<User> {
    user_at(r, 0)
}

/// Read a [`User`] from the [`USER_COLS`] starting at column `o` of a row.
pub(crate) fn user_at(r: &Row, o: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(o)?,
        username: r.get(o + 1)?,
        display_name: r.get(o + 2)?,
        bio: r.get(o + 3)?,
        subject_type: r.get(o + 4)?,
        status: r.get(o + 5)?,
        agreement_version: r.get(o + 6)?,
        created_at: r.get(o + 7)?,
        avatar: r.get(o + 8)?,
        badge: r.get(o + 9)?,
    })
}

/// A new account's fields.
pub struct NewUser<'a> {
    pub username: &'a str,
    /// bcrypt hash, never the password.
    pub password_hash: &'a str,
    pub agreement_version: i64,
    pub now: i64,
}

/// Insert an account.
///
/// # Errors
/// `Error::Conflict` when the username is taken (case-insensitively).
pub fn create(tx: &Transaction, u: &NewUser) -> Result<i64> {
    let key = crate::domain::account::username_key(u.username);
    let res = tx
        .prepare_cached(
            "INSERT INTO users (username, username_key, password_hash, agreement_version, agreement_accepted_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?
        .execute(params![u.username, key, u.password_hash, u.agreement_version, u.now]);
    match res {
        Ok(_) => Ok(tx.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            Err(Error::Conflict(u.username.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Look an account up by username, case-insensitively.
pub fn by_username(conn: &Connection, name: &str) -> Result<Option<User>> {
    let key = crate::domain::account::username_key(name);
    Ok(conn
        .prepare_cached(&format!("SELECT {USER_COLS} FROM users u WHERE u.username_key = ?1"))?
        .query_row([key], user_row)
        .optional()?)
}

/// Look an account up by id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = ?1"))?
        .query_row([id], user_row)
        .optional()?)
}

/// Id and password hash for a login attempt.
pub fn credentials(conn: &Connection, name: &str) -> Result<Option<(i64, String)>> {
    let key = crate::domain::account::username_key(name);
    Ok(conn
        .prepare_cached("SELECT id, password_hash FROM users WHERE username_key = ?1 AND status = 'active'")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Counts shown on a profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Published posts (reposts included).
    pub posts: i64,
    pub followers: i64,
    pub following: i64,
}

/// Post, follower and following counts of an account, as `viewer` (0
/// when signed out) may see them: only published posts the viewer may see
/// count (R2.1), so a profile does not tell how many followers-only or
/// self-only posts it hides (issue 15).
pub fn counts(conn: &Connection, id: i64, viewer: i64) -> Result<Counts> {
    let sql = format!(
        "SELECT (SELECT count(*) FROM posts p WHERE p.author_id = ?2 AND p.status = 'published' AND {}),
                (SELECT count(*) FROM follows WHERE followee_id = ?2),
                (SELECT count(*) FROM follows WHERE follower_id = ?2)",
        super::posts::VISIBLE
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([viewer, id], |r| Ok(Counts { posts: r.get(0)?, followers: r.get(1)?, following: r.get(2)? }))?)
}

/// The password hash of an active account.
pub fn password_hash(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT password_hash FROM users WHERE id = ?1 AND status = 'active'")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// How many accounts were signed up from `ip` since `since` (UTC seconds):
/// `user.signup` entries of the activity log naming a new account (a
/// refused sign-up names none).
pub fn signups_since(conn: &Connection, ip: &str, since: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM activity_log WHERE ip = ?1 AND at >= ?2 AND action = 'user.signup' \
             AND target LIKE 'user:%'",
        )?
        .query_row(params![ip, since], |r| r.get(0))?)
}

/// Store a new password hash (bcrypt, never the password).
pub fn set_password_hash(tx: &Transaction, id: i64, hash: &str) -> Result<()> {
    tx.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?.execute(params![id, hash])?;
    Ok(())
}

/// Change display name and bio.
pub fn update_profile(tx: &Transaction, id: i64, display_name: &str, bio: &str) -> Result<()> {
    tx.prepare_cached("UPDATE users SET display_name = ?2, bio = ?3 WHERE id = ?1")?.execute(params![
        id,
        display_name,
        bio
    ])?;
    Ok(())
}

/// Record that an account accepted agreement `version` at `now` (R6.1).
pub fn accept_agreement(tx: &Transaction, id: i64, version: i64, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE users SET agreement_version = ?2, agreement_accepted_at = ?3 WHERE id = ?1")?
        .execute(params![id, version, now])?;
    Ok(())
}

/// The staff roles an account holds.
pub fn roles(conn: &Connection, id: i64) -> Result<Vec<Role>> {
    let mut stmt = conn.prepare_cached("SELECT role FROM user_roles WHERE user_id = ?1")?;
    let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for name in rows {
        if let Some(role) = Role::parse(&name?) {
            out.push(role);
        }
    }
    Ok(out)
}

/// Give an account a role (no-op if it has it).
pub fn grant_role(tx: &Transaction, id: i64, role: Role, now: i64) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO user_roles (user_id, role, granted_at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, role.as_str(), now])?;
    Ok(())
}

/// Does an active account other than `user` hold a role that can confirm
/// identities (reviewer or admin)? Staff may confirm their own identity
/// only while nobody else could (the first admin of a new site).
pub fn other_identity_staff_exists(conn: &Connection, user: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM user_roles r JOIN users u ON u.id = r.user_id
             WHERE r.role IN ('reviewer', 'admin') AND r.user_id != ?1 AND u.status = 'active')",
        )?
        .query_row([user], |r| r.get(0))?)
}

/// Does any account hold the admin role?
pub fn admin_exists(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM user_roles WHERE role = 'admin')")?
        .query_row([], |r| r.get(0))?)
}

/// Store a new setup token's hash, killing every unused older one.
pub fn replace_setup_token(tx: &Transaction, token_hash: &[u8], now: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM setup_tokens WHERE used_at IS NULL")?.execute([])?;
    tx.prepare_cached("INSERT INTO setup_tokens (token_hash, created_at) VALUES (?1, ?2)")?
        .execute(params![token_hash, now])?;
    Ok(())
}

/// Is this setup token live (issued, unused)?
pub fn setup_token_live(conn: &Connection, token_hash: &[u8]) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE token_hash = ?1 AND used_at IS NULL)")?
        .query_row([token_hash], |r| r.get(0))?)
}

/// Mark a setup token used; false if it was not live.
pub fn use_setup_token(tx: &Transaction, token_hash: &[u8], now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("UPDATE setup_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL")?
        .execute(params![token_hash, now])?;
    Ok(n == 1)
}

/// A page of accounts following (`followers = true`) or followed by `id`,
/// newest relation first.
pub fn follow_list(conn: &Connection, id: i64, followers: bool, offset: u32, limit: u32) -> Result<Vec<User>> {
    let (other, this) = if followers { ("follower_id", "followee_id") } else { ("followee_id", "follower_id") };
    let sql = format!(
        "SELECT {USER_COLS} FROM follows f JOIN users u ON u.id = f.{other} WHERE f.{this} = ?1
         ORDER BY f.created_at DESC, u.id DESC LIMIT ?2 OFFSET ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![id, limit, offset], user_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
