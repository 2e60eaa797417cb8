//! The database as a whole, for the operator's commands and the health
//! check: a consistent copy (`VACUUM INTO`), its schema version, the
//! integrity and foreign-key checks, and a liveness probe.

use crate::error::Result;
use rusqlite::Connection;
use std::path::Path;

/// Answer while the database answers (`GET /healthz`).
///
/// # Errors
/// The database error when it does not.
pub fn ping(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT 1", [], |_| Ok(()))?;
    Ok(())
}

/// Write a consistent, compacted copy of the database to `to`, which must
/// not exist (`plaza backup`); works while the server writes.
///
/// # Errors
/// A database or file-system error.
pub fn copy_into(conn: &Connection, to: &Path) -> Result<()> {
    conn.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
    Ok(())
}

/// The schema version of a database (`PRAGMA user_version`, the number of
/// the last migration applied).
///
/// # Errors
/// A database error.
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// `PRAGMA integrity_check`: `["ok"]` for a sound file, else one line per fault.
///
/// # Errors
/// A database error.
pub fn integrity_check(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `PRAGMA foreign_key_check`: each row that refers to a missing one, as
/// (table, rowid if any, parent table).
///
/// # Errors
/// A database error.
pub fn foreign_key_check(conn: &Connection) -> Result<Vec<(String, Option<i64>, String)>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
