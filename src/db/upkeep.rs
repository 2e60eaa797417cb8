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

/// Whether the database can grow: a write transaction that inserts 64 KiB
/// and rolls back. A full disk or size cap answers `Ok(false)` (the server
/// then starts read-only, issue 14); nothing is kept either way.
///
/// # Errors
/// A database error other than a full disk (a lock held elsewhere, say).
pub fn can_grow(conn: &Connection) -> Result<bool> {
    let probe = super::under_write_lock(conn, || -> rusqlite::Result<()> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let r = conn.execute_batch(
            "CREATE TABLE temp_storage_probe (b BLOB); INSERT INTO temp_storage_probe VALUES (zeroblob(65536));",
        );
        // SQLite may have rolled back already after SQLITE_FULL.
        let rb = if conn.is_autocommit() { Ok(()) } else { conn.execute_batch("ROLLBACK") };
        r.and(rb)
    })?;
    match probe {
        Ok(()) => Ok(true),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Free bytes for an unprivileged writer on the file system holding `path`
/// (`statvfs`), `None` when it cannot be asked.
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path and `st` a plain struct
    // statvfs fills in; it is read only when the call succeeds.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut st) != 0 {
            return None;
        }
        Some(st.f_bavail as u64 * st.f_frsize as u64)
    }
}
