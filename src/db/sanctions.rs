//! Staff sanctions on an account (issue 18): 禁言 (`mute`, no publishing)
//! and 封禁 (`suspend`, no login, content hidden). A sanction is in force
//! while it is not lifted and its `ends_at` is still ahead: expiry needs no
//! job, every read compares the end with the clock.

use crate::db::users::{user_at, User, USER_COLS};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// SQL: the ids of accounts suspended right now (SQLite's clock, which is
/// the program's clock on a real site; `clock::OFFSET_VAR` is test-only).
pub const SUSPENDED_IDS: &str =
    "SELECT user_id FROM sanctions WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch()";

/// Which sanction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 禁言: may read and log in, may not post, comment or repost.
    Mute,
    /// 封禁: may not log in; everything the account wrote is hidden.
    Suspend,
}

impl Kind {
    /// The name stored in `sanctions.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mute => "mute",
            Kind::Suspend => "suspend",
        }
    }

    /// From a form or the table.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "mute" => Some(Kind::Mute),
            "suspend" => Some(Kind::Suspend),
            _ => None,
        }
    }
}

/// One sanction as staff pages show it.
#[derive(Debug, Clone)]
pub struct Sanction {
    pub id: i64,
    pub user_id: i64,
    pub kind: Kind,
    pub reason: String,
    /// UTC unix seconds it ends at.
    pub ends_at: i64,
    /// The staff account that decided it (none from the command line).
    pub decided_by: Option<User>,
    pub created_at: i64,
    /// When it was lifted early, if it was.
    pub lifted_at: Option<i64>,
}

impl Sanction {
    /// Is it in force at `now`?
    pub fn in_force(&self, now: i64) -> bool {
        self.lifted_at.is_none() && self.ends_at > now
    }
}

fn sanction_sql(filter: &str) -> String {
    format!(
        "SELECT s.id, s.user_id, s.kind, s.reason, s.ends_at, s.created_at, s.lifted_at, u.id IS NOT NULL, {USER_COLS}
         FROM sanctions s LEFT JOIN users u ON u.id = s.decided_by WHERE {filter}"
    )
}

fn sanction_row(r: &rusqlite::Row) -> rusqlite::Result<Sanction> {
    let kind: String = r.get(2)?;
    let has_decider: bool = r.get(7)?;
    Ok(Sanction {
        id: r.get(0)?,
        user_id: r.get(1)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Suspend),
        reason: r.get(3)?,
        ends_at: r.get(4)?,
        created_at: r.get(5)?,
        lifted_at: r.get(6)?,
        decided_by: if has_decider { Some(user_at(r, 8)?) } else { None },
    })
}

/// Every sanction of `user`, newest first.
///
/// # Errors
/// A database error.
pub fn for_user(conn: &Connection, user: i64) -> Result<Vec<Sanction>> {
    let sql = sanction_sql("s.user_id = ?1 ORDER BY s.id DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([user], sanction_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One sanction by id.
///
/// # Errors
/// A database error.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Sanction>> {
    let sql = sanction_sql("s.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], sanction_row).optional()?)
}

/// The sanction of `kind` in force on `user` at `now` that ends last, if any.
///
/// # Errors
/// A database error.
pub fn in_force(conn: &Connection, user: i64, kind: Kind, now: i64) -> Result<Option<Sanction>> {
    let sql = sanction_sql(
        "s.user_id = ?1 AND s.kind = ?2 AND s.lifted_at IS NULL AND s.ends_at > ?3 ORDER BY s.ends_at DESC LIMIT 1",
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![user, kind.as_str(), now], sanction_row).optional()?)
}

/// Is `user` suspended right now (by SQLite's clock, as the listings read it)?
///
/// # Errors
/// A database error.
pub fn suspended_now(conn: &Connection, user: i64) -> Result<bool> {
    Ok(conn.prepare_cached(&format!("SELECT ?1 IN ({SUSPENDED_IDS})"))?.query_row([user], |r| r.get(0))?)
}

/// Record a sanction; its id.
///
/// # Errors
/// A database error.
pub fn create(
    tx: &Transaction,
    user: i64,
    kind: Kind,
    reason: &str,
    ends_at: i64,
    decided_by: Option<i64>,
    now: i64,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO sanctions (user_id, kind, reason, ends_at, decided_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![user, kind.as_str(), reason, ends_at, decided_by, now])?;
    Ok(tx.last_insert_rowid())
}

/// Lift sanction `id` early; false if it was lifted already.
///
/// # Errors
/// A database error.
pub fn lift(tx: &Transaction, id: i64, by: Option<i64>, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("UPDATE sanctions SET lifted_at = ?2, lifted_by = ?3 WHERE id = ?1 AND lifted_at IS NULL")?
        .execute(params![id, now, by])?;
    Ok(n == 1)
}

/// Sanctions that ran out by `now` (not lifted) whose end is not logged yet.
///
/// # Errors
/// A database error.
pub fn ended_unlogged(conn: &Connection, now: i64) -> Result<Vec<Sanction>> {
    let sql = sanction_sql("s.expiry_logged_at IS NULL AND s.lifted_at IS NULL AND s.ends_at <= ?1 ORDER BY s.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([now], sanction_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Note that sanction `id`'s end was logged at `now`.
///
/// # Errors
/// A database error.
pub fn mark_expiry_logged(tx: &Transaction, id: i64, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE sanctions SET expiry_logged_at = ?2 WHERE id = ?1")?.execute(params![id, now])?;
    Ok(())
}

/// When `user`'s latest 禁言 (mute) ends or ended (UTC unix seconds; the
/// lift time for one lifted early), for a tier rule's `muted_within_days`
/// (R9.1, issue 18); `None`: never muted.
///
/// # Errors
/// A database error.
pub fn last_mute_end(conn: &Connection, user: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT max(min(ends_at, coalesce(lifted_at, ends_at))) FROM sanctions WHERE user_id = ?1 AND kind = 'mute'",
        )?
        .query_row([user], |r| r.get(0))?)
}

/// End every session of `user` (a suspension signs the account out), and
/// revoke every client API token of it (issue 19).
///
/// # Errors
/// A database error.
pub fn end_sessions(tx: &Transaction, user: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?.execute([user])?;
    tx.prepare_cached("DELETE FROM oauth_tokens WHERE user_id = ?1")?.execute([user])?;
    Ok(())
}
