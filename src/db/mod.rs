//! The database: connection setup, migrations, the write lock, and typed
//! queries grouped by area (one file each). No SQL lives outside `src/db/`:
//! the PRAGMAs and `VACUUM INTO` the operator's commands need are
//! [`upkeep`]'s.
//!
//! Choices (DESIGN.md): WAL, `foreign_keys=ON`, `busy_timeout` 5 s, writes
//! in short `BEGIN IMMEDIATE` transactions taken one at a time inside this
//! process, `prepare_cached` everywhere.
//!
//! Durability is `synchronous=FULL`'s promise, kept by group commit: an
//! answer is sent only after its commit is on disk, but concurrent writers
//! share one fsync. SQLite's FULL fsyncs the WAL inside every COMMIT, under
//! the write lock, so writers queue one fsync each. Here connections run at
//! `synchronous=NORMAL` (WAL frames are written at COMMIT, the WAL and the
//! database are still synced at every checkpoint), and [`write`], after
//! its commit and outside the lock, waits until one `fdatasync` of the WAL
//! file covers it: whoever syncs first syncs every commit written so far,
//! while the next writers already run. A write made without [`write`]
//! (migrations, the seeder) calls [`sync_wal`] itself.

pub mod account_data;
pub mod complaints;
pub mod credit;
pub mod evidence;
pub mod features;
pub mod identity;
pub mod log;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod onboarding;
pub mod posts;
pub mod rumours;
pub mod second_factor;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod social;
pub mod staff;
pub mod tiers;
pub mod upkeep;
pub mod users;
pub mod verification;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The schema of a new database; see `schema.sql` at the repository root.
const SCHEMA: &str = include_str!("../../schema.sql");

/// The schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 3;

/// Numbered upgrades: `MIGRATIONS[i]` takes a database from version `i + 1`
/// to `i + 2`. A new database gets `schema.sql` directly, which must always
/// equal all of these applied in order.
const MIGRATIONS: &[&str] = &[
    // 1 -> 2: sessions' last use, address and user agent (issue 15).
    include_str!("../../migrations/session-details.sql"),
    // 2 -> 3: second factor (TOTP) and recovery codes (issue 15).
    include_str!("../../migrations/second-factor.sql"),
];

/// One writer at a time inside this process: contending writers on separate
/// connections see multi-second `busy` waits under FULL sync, a mutex keeps
/// the worst case short. Other processes (CLI commands) use `busy_timeout`.
static WRITE_LOCK: Mutex<()> = Mutex::new(());

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "plaza.db";

/// Process-wide SQLite settings, applied once before the first connection:
/// memory statistics off. With them on, every SQLite allocation takes one
/// global mutex, and the worker connections spent a quarter of their time
/// waking each other on it.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection is opened in
        // this process (the Once runs at the first `open`); if SQLite was
        // already initialised it answers SQLITE_MISUSE and changes nothing.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::os::raw::c_int);
        }
    });
}

/// Open a connection with the project's pragmas set.
///
/// # Errors
/// `Error::Db` if SQLite cannot open the file.
pub fn open(path: &Path) -> Result<Connection> {
    configure_sqlite();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.set_prepared_statement_cache_capacity(128);
    // The database and its WAL files: the owner's only (issue 15).
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        crate::private::file(Path::new(&p))?;
    }
    Ok(conn)
}

/// Create the schema on a new database or apply pending migrations.
///
/// # Errors
/// `Error::Config` when the database is newer than this binary knows.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::Config(format!(
            "database schema version {version} is newer than this program's {SCHEMA_VERSION}: upgrade plaza"
        )));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if version == 0 {
        let has_tables: i64 =
            tx.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))?;
        if has_tables > 0 {
            return Err(Error::Config("database has tables but no schema version: not a Plaza database".into()));
        }
        tx.execute_batch(SCHEMA)?;
    } else {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip((version - 1) as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 2)?;
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    sync_wal(conn)
}

/// One trigger of `schema.sql`: its name and its `CREATE TRIGGER` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaTrigger {
    /// The trigger's name, e.g. `activity_log_no_delete`.
    pub name: String,
    /// The statement as written in `schema.sql`, without the final `;`.
    pub sql: String,
}

/// Every trigger `schema.sql` creates: the append-only guards of the
/// activity log and evidence (R16.2, R12.2), the security assessments'
/// guard (R13.1), and the keyword rules' version bumps (R12.1).
pub fn schema_triggers() -> Vec<SchemaTrigger> {
    let mut out = Vec::new();
    let mut rest = SCHEMA;
    while let Some(i) = rest.find("CREATE TRIGGER ") {
        let stmt = &rest[i..];
        let Some(end) = stmt.find("END;") else { break };
        let sql = &stmt[..end + 3];
        let name = sql.split_whitespace().nth(2).unwrap_or_default().to_string();
        out.push(SchemaTrigger { name, sql: sql.to_string() });
        rest = &stmt[end + 4..];
    }
    out
}

/// The triggers of `schema.sql` that the database lacks or holds in another
/// form (dropped or replaced with the sqlite3 shell, say).
///
/// # Errors
/// `Error::Db`.
pub fn missing_triggers(conn: &Connection) -> Result<Vec<SchemaTrigger>> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    for t in schema_triggers() {
        let sql: Option<String> = conn
            .prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?
            .query_row([&t.name], |r| r.get(0))
            .optional()?;
        if sql.as_deref().map(norm) != Some(norm(&t.sql)) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Put `triggers` back as `schema.sql` has them, in the caller's transaction.
///
/// # Errors
/// `Error::Db`.
pub fn restore_triggers(tx: &Transaction, triggers: &[SchemaTrigger]) -> Result<()> {
    for t in triggers {
        tx.execute_batch(&format!("DROP TRIGGER IF EXISTS \"{}\"; {};", t.name, t.sql))?;
    }
    Ok(())
}

/// Run `f` in one `BEGIN IMMEDIATE` transaction under the process write lock;
/// commit if it returns `Ok`, roll back otherwise, and return once the
/// commit is on disk (group commit, see the module doc). A state change and
/// its activity-log entry always go through one call of this.
///
/// # Errors
/// Whatever `f` returns, or `Error::Db` from BEGIN/COMMIT, or `Error::Io`
/// when the WAL cannot be synced (the change is committed but not known to
/// be durable, so the caller must not report success).
pub fn write<T>(conn: &Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    let wal = WalSync::of(conn);
    let (out, seq) = {
        let _guard = WRITE_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        (out, wal.written.fetch_add(1, Ordering::SeqCst) + 1)
    };
    wal.sync_through(seq)?;
    Ok(out)
}

/// Make every commit written so far through `conn`'s database durable
/// (for writes made without [`write`]).
///
/// # Errors
/// `Error::Io` when the WAL file cannot be synced.
pub fn sync_wal(conn: &Connection) -> Result<()> {
    let wal = WalSync::of(conn);
    let seq = wal.written.load(Ordering::SeqCst);
    wal.sync_through(seq)
}

/// The group-commit state of one database file in this process.
struct WalSync {
    /// The WAL file (`plaza.db-wal`); opened at each sync, so a WAL that
    /// SQLite deleted and made anew is still the one synced.
    path: PathBuf,
    /// Commits written (numbered from 1), counted under the write lock.
    written: AtomicU64,
    /// The newest commit known to be on disk; held while syncing, so the
    /// writers behind wait for that sync and most find themselves covered.
    synced: Mutex<u64>,
}

impl WalSync {
    /// The state for `conn`'s database (one per file, made on first use).
    fn of(conn: &Connection) -> Arc<WalSync> {
        static ALL: Mutex<Vec<Arc<WalSync>>> = Mutex::new(Vec::new());
        let path = PathBuf::from(format!("{}-wal", conn.path().unwrap_or_default()));
        let mut all = ALL.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = all.iter().find(|w| w.path == path) {
            return w.clone();
        }
        let w = Arc::new(WalSync { path, written: AtomicU64::new(0), synced: Mutex::new(0) });
        all.push(w.clone());
        w
    }

    /// Return once commit `seq` is on disk, syncing the WAL if no one has
    /// synced past it yet.
    fn sync_through(&self, seq: u64) -> Result<()> {
        let mut synced = self.synced.lock().unwrap_or_else(|p| p.into_inner());
        if *synced >= seq {
            return Ok(());
        }
        // Every commit counted so far has its frames written to the WAL.
        let through = self.written.load(Ordering::SeqCst);
        match std::fs::File::open(&self.path) {
            Ok(f) => f.sync_data()?,
            // No WAL: the last connection checkpointed (and synced) it away.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        *synced = through;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_applies_and_is_versioned() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("t.db")).unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn triggers_are_found_and_restored() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("t.db")).unwrap();
        migrate(&mut conn).unwrap();
        let all = schema_triggers();
        assert!(all.iter().any(|t| t.name == "activity_log_no_delete"), "{all:?}");
        assert!(all.iter().all(|t| t.sql.ends_with("END")), "{all:?}");
        assert_eq!(missing_triggers(&conn).unwrap(), vec![]);
        conn.execute_batch("DROP TRIGGER evidence_no_update; DROP TRIGGER activity_log_no_delete;").unwrap();
        let gone: Vec<String> = missing_triggers(&conn).unwrap().into_iter().map(|t| t.name).collect();
        assert_eq!(gone.len(), 2, "{gone:?}");
        write(&conn, |tx| restore_triggers(tx, &missing_triggers(tx)?)).unwrap();
        assert_eq!(missing_triggers(&conn).unwrap(), vec![]);
    }

    /// Every table's columns (name, type, not null, default, key), every
    /// index and trigger by name: what a migration must reproduce.
    fn shape(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        let mut st = conn.prepare("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name").unwrap();
        let rows: Vec<(String, String, String)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect();
        for (kind, name, table) in rows {
            out.push(format!("{kind} {name} on {table}"));
            if kind == "table" {
                let mut cols = conn.prepare(&format!("PRAGMA table_info(\"{name}\")")).unwrap();
                let c = cols
                    .query_map([], |r| {
                        Ok(format!(
                            "  {} {} notnull={} default={:?} pk={}",
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, i64>(5)?
                        ))
                    })
                    .unwrap();
                out.extend(c.map(|r| r.unwrap()));
            }
        }
        out
    }

    /// A database of version 1 (`tests/fixtures/schema-v1.sql`, the schema
    /// as it was) brought up by the migrations equals a new one.
    #[test]
    fn a_migrated_database_equals_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut new = open(&dir.path().join("new.db")).unwrap();
        migrate(&mut new).unwrap();
        let mut old = open(&dir.path().join("old.db")).unwrap();
        old.execute_batch(include_str!("../../tests/fixtures/schema-v1.sql")).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        migrate(&mut old).unwrap();
        let v: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(shape(&old), shape(&new));
    }

    #[test]
    fn refuses_newer_database() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("t.db")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(migrate(&mut conn), Err(Error::Config(_))));
    }
}
