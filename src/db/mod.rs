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
//! share one transaction and one fsync. Every [`write`] of the process goes
//! through one writer connection per database file (its page cache stays
//! warm; a connection's cache is dropped whenever another one commits),
//! each in its own savepoint of a transaction that stays open while more
//! writers are waiting (up to [`GROUP_MAX`]); the last of them commits, and
//! one `fdatasync` of the WAL covers the group. Connections run at
//! `synchronous=NORMAL` (WAL frames are written at COMMIT, the WAL and the
//! database are still synced at every checkpoint); whoever syncs first
//! syncs every group committed so far, while the next group already forms.
//! A write made without [`write`] (migrations, the seeder) calls
//! [`sync_wal`] itself.

pub mod account_data;
pub mod autocomplete;
pub mod blocks;
pub mod bookmarks;
pub mod complaints;
pub mod credit;
pub mod dashboard;
pub mod edits;
pub mod evidence;
pub mod features;
pub mod identity;
pub mod likes;
pub mod log;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod oauth;
pub mod onboarding;
pub mod posts;
pub mod rumours;
pub mod sanctions;
pub mod search;
pub mod second_factor;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod social;
pub mod staff;
pub mod targets;
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
pub const SCHEMA_VERSION: i64 = 11;

/// Numbered upgrades: `MIGRATIONS[i]` takes a database from version `i + 1`
/// to `i + 2`. A new database gets `schema.sql` directly, which must always
/// equal all of these applied in order.
const MIGRATIONS: &[&str] = &[
    // 1 -> 2: appeals decided without an independent reviewer; dashboard indexes (issue 13).
    include_str!("../../migrations/staff-inbox.sql"),
    // 2 -> 3: sessions' last use, address and user agent (issue 15).
    include_str!("../../migrations/session-details.sql"),
    // 3 -> 4: second factor (TOTP) and recovery codes (issue 15).
    include_str!("../../migrations/second-factor.sql"),
    // 4 -> 5: the post search index (issue 17); its rows are written by `migrate`.
    include_str!("../../migrations/search.sql"),
    // 5 -> 6: blocks, mutes, muted words, sanctions, post versions, bookmarks, pins (issue 18).
    include_str!("../../migrations/member-features.sql"),
    // 6 -> 7: the search index merges in bigger, rarer steps (issue 11).
    include_str!("../../migrations/search-merge.sql"),
    // 7 -> 8: sanctions as evidence, their expiry logged, tier rules on 禁言, likes on
    // comments, descriptions in post versions (issue 18); `widen_evidence_kinds` runs with it.
    MEMBER_BACK,
    // 8 -> 9: OAuth apps, codes and tokens, read markers and uploads of the client API (issue 19).
    include_str!("../../migrations/api.sql"),
    // 9 -> 10: post_tags by post, for the client API's `tags` (issue 19).
    include_str!("../../migrations/api-paging.sql"),
    // 10 -> 11: reposts by original and author, for the client API's `reblogged` (issue 19).
    include_str!("../../migrations/api-marks.sql"),
];

/// The issue-18 migration, named so [`migrate`] runs [`widen_evidence_kinds`]
/// with it whatever its number.
const MEMBER_BACK: &str = include_str!("../../migrations/member-back.sql");

/// The evidence kinds before schema version 8, as `schema.sql` wrote the CHECK.
const EVIDENCE_KINDS_V7: &str = "CHECK (kind IN ('removal', 'rejection', 'block', 'author_delete'))";
/// The evidence kinds from schema version 8 (issue 18: a sanction is evidence, R12.2).
const EVIDENCE_KINDS_V8: &str = "CHECK (kind IN ('removal', 'rejection', 'block', 'author_delete', 'sanction'))";

/// Migration 7 -> 8's second half: allow the `sanction` evidence kind.
/// The evidence table cannot be rebuilt (its rows are append-only and its
/// media rows refer to it), so the CHECK is widened in place as SQLite
/// documents for loosening a constraint (`writable_schema`, then a new
/// schema cookie); every stored row still satisfies it.
///
/// # Errors
/// A database error.
fn widen_evidence_kinds(tx: &rusqlite::Transaction) -> Result<()> {
    let cookie: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    let changed = tx.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = 'evidence'",
        [EVIDENCE_KINDS_V7, EVIDENCE_KINDS_V8],
    );
    tx.execute_batch(&format!("PRAGMA schema_version = {}; PRAGMA writable_schema = OFF", cookie + 1))?;
    changed?;
    Ok(())
}

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

/// How long a statement waits for a lock held by another connection or
/// process before it fails with `Error::Locked` (503 with `Retry-After`).
/// Litestream needs at least 5 s: it takes short write locks to checkpoint.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Environment variable capping the database's size in pages
/// (`PRAGMA max_page_count`) on every connection: a full disk on demand,
/// for the storage-full tests (a tmpfs or loop device needs root). Unset on
/// a real site.
pub const MAX_PAGES_VAR: &str = "PLAZA_DB_MAX_PAGES";

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
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         CREATE TEMP TABLE IF NOT EXISTS search_pending (id INTEGER PRIMARY KEY);",
    )?;
    if let Some(pages) = std::env::var(MAX_PAGES_VAR).ok().and_then(|v| v.trim().parse::<u64>().ok()) {
        conn.pragma_update(None, "max_page_count", pages)?;
    }
    // Plans never depend on bound values (SQLite's query planner stability
    // guarantee). Without it, once ANALYZE has written sqlite_stat4 (the
    // seed runs it; an operator may), every statement whose plan looked at
    // a bound value is compiled again each time rusqlite reuses it: 2.7
    // re-preparations per posting request, 8 % of the server's CPU (issue 11).
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
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
    if version == SCHEMA_VERSION {
        // Nothing to do, and nothing written: a server must start on a
        // full disk (read-only, issue 14).
        return Ok(());
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
        // Issue 17: a migration that creates the search index leaves it
        // empty; its rows come from Rust (the indexed text is Plaza's).
        let had_search = search::exists(&tx)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip((version - 1) as usize) {
            tx.execute_batch(sql)?;
            if *sql == MEMBER_BACK {
                widen_evidence_kinds(&tx)?;
            }
            tx.pragma_update(None, "user_version", i as i64 + 2)?;
        }
        if !had_search && search::exists(&tx)? {
            search::rebuild(&tx, |_, _| {})?;
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

/// Run `f` as one unit of a group commit: in its own savepoint inside a
/// `BEGIN IMMEDIATE` transaction that other threads' writes may share,
/// under the process write lock; return once that transaction is
/// committed and on disk. A state change and its activity-log entry
/// always go through one call of this.
///
/// How a group forms (see the module doc): the thread holding the write
/// lock runs `f` in a savepoint (released on `Ok`, rolled back alone on
/// `Err` or panic, so one failed write never undoes another), then, if
/// other threads are waiting for the lock and the group holds fewer than
/// [`GROUP_MAX`] writes, leaves the transaction open for them and waits;
/// the last of a group commits it, and one `fdatasync` of the WAL makes
/// the whole group durable before any of its writers answers.
///
/// # Errors
/// Whatever `f` returns (its changes are rolled back, the group's are
/// not), or `Error::Db` from BEGIN, the savepoint or COMMIT (a failed
/// COMMIT fails every write of the group), or `Error::Io` when the WAL
/// cannot be synced (the change is committed but not known to be durable,
/// so the caller must not report success).
pub fn write<T>(conn: &Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    let w = WalSync::of(conn)?;
    w.waiting.fetch_add(1, Ordering::SeqCst);
    let mut group = w.group.lock().unwrap_or_else(|p| p.into_inner());
    w.waiting.fetch_sub(1, Ordering::SeqCst);
    if group.tx.is_none() {
        group.tx = Some(OpenTx(Transaction::new_unchecked(group.writer.0, TransactionBehavior::Immediate)?));
        group.number += 1;
        group.size = 0;
    }
    let number = group.number;
    let out = group.run(f);
    group.size += 1;
    let hand_on = group.is_live() && w.waiting.load(Ordering::SeqCst) > 0 && group.size < GROUP_MAX;
    if hand_on {
        // A writer behind commits this group; wait for it, unless `f`
        // failed (its savepoint is gone, there is nothing to wait for).
        let Ok(Ok(value)) = out else {
            drop(group);
            return unwind_or(out);
        };
        while group.done < number {
            group = w.ended.wait(group).unwrap_or_else(|p| p.into_inner());
        }
        let failed = group.failed.iter().find(|(n, _)| *n == number).map(|(_, why)| why.clone());
        drop(group);
        if let Some(why) = failed {
            return Err(Error::Db(aborted(why)));
        }
        w.sync_through(number)?;
        return Ok(value);
    }
    let committed = group.end();
    if committed.is_ok() {
        w.written.fetch_max(number, Ordering::SeqCst);
    }
    drop(group);
    w.ended.notify_all();
    let value = unwind_or(out)?;
    committed?;
    w.sync_through(number)?;
    Ok(value)
}

/// The most writes one group commit holds, so the first writer of a group
/// waits for at most this many others.
pub const GROUP_MAX: u32 = 64;

/// The error of a write whose group did not commit: SQLite's message.
fn aborted(why: String) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT), Some(why))
}

/// `f`'s result, or its panic carried on.
fn unwind_or<T>(out: std::thread::Result<Result<T>>) -> Result<T> {
    out.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Run `f` holding the process write lock of `conn`'s database, outside
/// any transaction (a group commit left open for waiting writers is
/// committed first): for a probe that writes and rolls back on its own
/// connection ([`upkeep::can_grow`]) without making this process's writers
/// wait on SQLite's busy timeout.
///
/// # Errors
/// `Error::Db` when the writer connection cannot be opened.
pub fn under_write_lock<T>(conn: &Connection, f: impl FnOnce() -> T) -> Result<T> {
    let w = WalSync::of(conn)?;
    let mut group = w.group.lock().unwrap_or_else(|p| p.into_inner());
    if group.tx.is_some() {
        if group.end().is_ok() {
            w.written.fetch_max(group.number, Ordering::SeqCst);
        }
        w.ended.notify_all();
    }
    Ok(f())
}

/// Make every commit written so far through `conn`'s database durable
/// (for writes made without [`write`]).
///
/// # Errors
/// `Error::Io` when the WAL file cannot be synced.
pub fn sync_wal(conn: &Connection) -> Result<()> {
    WalSync::of(conn)?.sync_through(u64::MAX)
}

/// The one connection every [`write`] of this process uses for a database
/// file (leaked: it lives as long as the process, and the open transaction
/// borrows it). One connection keeps its page cache warm, which separate
/// connections lose whenever another one commits.
struct Writer(&'static Connection);

/// The open transaction of a group commit, kept between the writers that
/// share it.
struct OpenTx(Transaction<'static>);

// SAFETY (both): the writer connection and the transaction borrowing it
// live inside `Group`, and are only ever used by the thread holding the
// `group` mutex, one thread at a time. SQLite connections opened with
// `SQLITE_OPEN_NO_MUTEX` may be used from any thread as long as no two use
// them at once (rusqlite's `Connection` is `Send` for that reason); the
// statement cache inside it is likewise touched only under the mutex.
unsafe impl Send for OpenTx {}
unsafe impl Send for Writer {}

/// A group commit in the making.
struct Group {
    /// The connection the groups are written through.
    writer: Writer,
    /// The shared transaction, while a group is open.
    tx: Option<OpenTx>,
    /// The open (or last) group's number, from 1.
    number: u64,
    /// Writes run in the open group.
    size: u32,
    /// The newest group that ended (committed or failed).
    done: u64,
    /// Recent groups whose COMMIT failed, with SQLite's message, for the
    /// writers that left their write in them.
    failed: std::collections::VecDeque<(u64, String)>,
}

impl Group {
    /// Run `f` in a savepoint of the open transaction: released when it
    /// returns `Ok`, rolled back (its changes alone) otherwise. A panic is
    /// caught here, so the group still ends, and carried on by [`write`].
    fn run<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> std::thread::Result<Result<T>> {
        let tx = &self.tx.as_ref().expect("an open group").0;
        if let Err(e) = tx.execute_batch("SAVEPOINT one_write") {
            return Ok(Err(e.into()));
        }
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(tx)));
        let end = match &out {
            Ok(Ok(_)) => "RELEASE one_write",
            _ => "ROLLBACK TO one_write; RELEASE one_write",
        };
        // An error SQLite answers by rolling back the whole transaction
        // leaves no savepoint: `is_live` then sees the group is lost.
        if !tx.is_autocommit() {
            if let Err(e) = tx.execute_batch(end) {
                return Ok(Err(e.into()));
            }
        }
        out
    }

    /// Is the open transaction still there (not rolled back by SQLite)?
    fn is_live(&self) -> bool {
        self.tx.as_ref().is_some_and(|t| !t.0.is_autocommit())
    }

    /// Commit the open group (or note that SQLite already rolled it back)
    /// and mark it ended.
    fn end(&mut self) -> Result<()> {
        let live = self.is_live();
        let committed = match self.tx.take() {
            // The group's posts enter the search index in one step (issue 11).
            Some(OpenTx(tx)) if live => search::flush_pending(&tx).and_then(|()| Ok(tx.commit()?)),
            _ => Err(Error::Db(aborted("the write transaction was rolled back".into()))),
        };
        if let Err(e) = &committed {
            self.failed.push_back((self.number, e.to_string()));
            if self.failed.len() > 64 {
                self.failed.pop_front();
            }
        }
        self.done = self.number;
        committed
    }
}

/// The write side of one database file in this process: its one writer
/// connection, the group commit being formed, and the WAL syncs.
struct WalSync {
    /// The WAL file (`plaza.db-wal`); opened at each sync, so a WAL that
    /// SQLite deleted and made anew is still the one synced.
    path: PathBuf,
    /// The group commit being formed, behind the process write lock.
    group: Mutex<Group>,
    /// Signalled when a group ends.
    ended: std::sync::Condvar,
    /// Threads waiting for the write lock.
    waiting: std::sync::atomic::AtomicU32,
    /// The newest group committed (groups are numbered from 1).
    written: AtomicU64,
    /// The newest group known to be on disk; held while syncing, so the
    /// writers behind wait for that sync and most find themselves covered.
    synced: Mutex<u64>,
}

impl WalSync {
    /// The state for `conn`'s database (one per file, made on first use).
    fn of(conn: &Connection) -> Result<Arc<WalSync>> {
        static ALL: Mutex<Vec<Arc<WalSync>>> = Mutex::new(Vec::new());
        let db = conn.path().unwrap_or_default();
        let path = PathBuf::from(format!("{db}-wal"));
        let mut all = ALL.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = all.iter().find(|w| w.path == path) {
            return Ok(w.clone());
        }
        let writer = Writer(Box::leak(Box::new(open(Path::new(db))?)));
        let group = Group { writer, tx: None, number: 0, size: 0, done: 0, failed: Default::default() };
        let w = Arc::new(WalSync {
            path,
            group: Mutex::new(group),
            ended: std::sync::Condvar::new(),
            waiting: Default::default(),
            written: AtomicU64::new(0),
            synced: Mutex::new(0),
        });
        all.push(w.clone());
        Ok(w)
    }

    /// Return once group `seq` is on disk, syncing the WAL if no one has
    /// synced past it yet (`u64::MAX`: sync now, whatever was written).
    fn sync_through(&self, seq: u64) -> Result<()> {
        let mut synced = self.synced.lock().unwrap_or_else(|p| p.into_inner());
        if *synced >= seq {
            return Ok(());
        }
        // Every group committed so far has its frames written to the WAL.
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

    /// Group commit: writers on many threads share transactions, yet each
    /// gets its own answer; a failed or panicking write leaves nothing and
    /// undoes no other.
    #[test]
    fn group_commit_isolates_each_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = open(&path).unwrap();
        migrate(&mut conn).unwrap();
        conn.execute_batch("CREATE TABLE g (n INTEGER PRIMARY KEY)").unwrap();
        let threads: Vec<_> = (0..16)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let conn = open(&path).unwrap();
                    let mut answers = Vec::new();
                    for i in 0..50 {
                        let n = t * 1000 + i;
                        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            write(&conn, |tx| {
                                tx.execute("INSERT INTO g (n) VALUES (?1)", [n])?;
                                match i % 10 {
                                    3 => Err(Error::NotFound),
                                    7 if t % 4 == 0 => panic!("a write panics"),
                                    _ => Ok(n),
                                }
                            })
                        }));
                        answers.push((n, matches!(r, Ok(Ok(m)) if m == n)));
                    }
                    answers
                })
            })
            .collect();
        let answers: Vec<(i64, bool)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
        let stored: std::collections::HashSet<i64> =
            conn.prepare("SELECT n FROM g").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        for (n, ok) in &answers {
            assert_eq!(stored.contains(n), *ok, "write {n}: answered ok = {ok}");
        }
        assert_eq!(stored.len(), answers.iter().filter(|(_, ok)| *ok).count());
        assert!(stored.len() > 600, "{}", stored.len());
    }

    /// Every table's columns, every index's definition and every trigger,
    /// as SQLite reports them: equal for a migrated and a new database.
    fn shape(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        let mut st = conn.prepare("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name").unwrap();
        let items: Vec<(String, String, String)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect();
        for (kind, name, table) in items {
            out.push(format!("{kind} {name} on {table}"));
            let pragma = match kind.as_str() {
                "table" => format!("PRAGMA table_info(\"{name}\")"),
                "index" => format!("PRAGMA index_xinfo(\"{name}\")"),
                _ => continue,
            };
            let mut st = conn.prepare(&pragma).unwrap();
            let n = st.column_count();
            let rows: Vec<String> = st
                .query_map([], |r| {
                    Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            out.extend(rows.into_iter().map(|r| format!("  {r}")));
        }
        // Partial indexes: their WHERE, as written.
        let mut st = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name").unwrap();
        let sql: Vec<String> = st
            .query_map([], |r| {
                Ok(format!(
                    "{}: {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?.split_whitespace().collect::<Vec<_>>().join(" ")
                ))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        out.extend(sql);
        out
    }

    /// A database made by the first schema (`tests/fixtures/schema-v1.sql`)
    /// and migrated equals a new one made from `schema.sql`.
    #[test]
    fn a_migrated_database_equals_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = open(&dir.path().join("old.db")).unwrap();
        old.execute_batch(include_str!("../../tests/fixtures/schema-v1.sql")).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        migrate(&mut old).unwrap();
        let mut new = open(&dir.path().join("new.db")).unwrap();
        migrate(&mut new).unwrap();
        let (a, b) = (shape(&old), shape(&new));
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y);
        }
        assert_eq!(a.len(), b.len());
        // Issue 18: CHECKs are not in the shape; the widened evidence kinds are.
        let evidence_sql = |c: &Connection| -> String {
            c.query_row("SELECT sql FROM sqlite_master WHERE name = 'evidence'", [], |r| r.get(0)).unwrap()
        };
        assert!(evidence_sql(&old).contains(EVIDENCE_KINDS_V8), "{}", evidence_sql(&old));
        assert_eq!(evidence_sql(&old), evidence_sql(&new));
        // ... and the migrating connection itself takes a sanction record at once.
        old.execute_batch(
            "INSERT INTO users (id, username, username_key, password_hash, agreement_version, agreement_accepted_at, created_at)
                 VALUES (1, 'a', 'a', 'x', 1, 0, 0);
             INSERT INTO evidence (recorded_at, kind, content_type, author_id, author_username, body, source_ip,
                                   source_port, sha256)
                 VALUES (0, 'sanction', 'profile', 1, 'a', '', '', 0, '');",
        )
        .unwrap();
        assert!(old.execute("INSERT INTO evidence (recorded_at, kind, content_type, author_id, author_username, body, source_ip, source_port, sha256) VALUES (0, 'other', 'profile', 1, 'a', '', '', 0, '')", []).is_err());
    }

    /// Issue 17: migrating a database that holds posts indexes them, so
    /// old posts are found by 1- and 2-character queries at once.
    #[test]
    fn migrating_indexes_existing_posts() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = open(&dir.path().join("old.db")).unwrap();
        old.execute_batch(include_str!("../../tests/fixtures/schema-v1.sql")).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        old.execute_batch(
            "INSERT INTO users (id, username, username_key, password_hash, agreement_version, agreement_accepted_at, created_at)
                 VALUES (1, 'a', 'a', 'x', 1, 0, 0);
             INSERT INTO posts (author_id, body, visibility, created_at) VALUES (1, '明天天气晴 Sunny', 'public', 0);
             INSERT INTO posts (author_id, body, visibility, created_at) VALUES (1, '招聘启事', 'public', 0);",
        )
        .unwrap();
        migrate(&mut old).unwrap();
        let hits = |q: &str| -> Vec<i64> {
            let (fts, _) = crate::domain::search::fts_query(q).unwrap();
            let mut stmt =
                old.prepare("SELECT rowid FROM post_search WHERE post_search MATCH ?1 ORDER BY rowid").unwrap();
            stmt.query_map([fts], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
        };
        assert_eq!(hits("天气"), [1]);
        assert_eq!(hits("晴"), [1]);
        assert_eq!(hits("SUNNY"), [1]);
        assert_eq!(hits("招聘"), [2]);
        // Erasing a text (an account closed, R7.6) takes it out of the index.
        old.execute("UPDATE posts SET body = '' WHERE id = 2", []).unwrap();
        assert!(hits("招聘").is_empty());
    }

    #[test]
    fn refuses_newer_database() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("t.db")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(migrate(&mut conn), Err(Error::Config(_))));
    }
}
