//! Activity-log storage (R16.1-R16.3): append one chained entry inside the
//! caller's transaction, read the chain back for verification, and keep the
//! signed head file (`DATA/log.head`) beside the key.

use crate::domain::audit::{self, Checkpoint, Entry, Head, GENESIS};
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Who did something and from where (R16.1). Built by the HTTP layer from
/// the socket and the session, or by a CLI command for the operator.
#[derive(Debug, Clone)]
pub struct Source {
    pub account_id: Option<i64>,
    /// Source IP address as text.
    pub ip: String,
    /// Source TCP port (0 for the command line).
    pub port: u16,
    pub user_agent: String,
}

impl Source {
    /// The operator at the command line.
    pub fn cli(command: &str) -> Source {
        Source { account_id: None, ip: "cli".into(), port: 0, user_agent: format!("plaza {command}") }
    }
}

/// Append one entry, chained to the newest, in the caller's transaction
/// (`tx` is a `Transaction` or a connection inside `BEGIN`), so that the
/// action and its log entry commit together or not at all.
///
/// `action` is a dotted name (`user.signup`, `post.create`...), `target` a
/// `kind:id` reference, `outcome` `ok` or a short reason. Never pass a
/// password, token or identity value here (R7.5).
///
/// # Errors
/// `Error::Db`; the caller's transaction then rolls back.
pub fn append(
    tx: &Connection,
    key: &[u8; 32],
    src: &Source,
    at: i64,
    action: &str,
    target: &str,
    outcome: &str,
) -> Result<()> {
    // After a prune that emptied the table, the chain goes on from the checkpoint.
    let (id, prev) = match newest(tx)? {
        Some((id, hash)) => (id + 1, hash),
        None => match checkpoint_row(tx)? {
            Some(cp) => (cp.last_id + 1, cp.last_hash),
            None => (1, GENESIS),
        },
    };
    let entry = Entry {
        id,
        at,
        account_id: src.account_id,
        ip: src.ip.clone(),
        port: src.port,
        user_agent: src.user_agent.chars().take(512).collect(),
        action: action.into(),
        target: target.into(),
        outcome: outcome.into(),
    };
    let hash = audit::entry_hash(key, &prev, &entry);
    tx.prepare_cached(
        "INSERT INTO activity_log (id, at, account_id, ip, port, user_agent, action, target, outcome, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.id,
        entry.at,
        entry.account_id,
        entry.ip,
        entry.port,
        entry.user_agent,
        entry.action,
        entry.target,
        entry.outcome,
        &prev[..],
        &hash[..]
    ])?;
    Ok(())
}

/// The pruning checkpoint as stored, whatever its MAC says.
fn checkpoint_row(conn: &Connection) -> Result<Option<Checkpoint>> {
    let row: Option<(i64, Vec<u8>, i64)> = conn
        .prepare_cached("SELECT last_id, last_hash, pruned_at FROM activity_log_checkpoint WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(row.map(|(last_id, h, at)| Checkpoint {
        last_id,
        last_hash: <[u8; 32]>::try_from(h.as_slice()).unwrap_or(GENESIS),
        at,
    }))
}

/// The pruning checkpoint, if the log was ever pruned (R16.2).
///
/// # Returns
/// `Some(Err(()))` when it is there but its MAC does not match (forged or
/// edited).
pub fn checkpoint(conn: &Connection, key: &[u8; 32]) -> Result<Option<std::result::Result<Checkpoint, ()>>> {
    let mac: Option<Vec<u8>> = conn
        .prepare_cached("SELECT mac FROM activity_log_checkpoint WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let Some(mac) = mac else { return Ok(None) };
    let cp = checkpoint_row(conn)?.expect("row seen above");
    Ok(Some(if crate::crypto::constant_time_eq(&cp.mac(key), &mac) { Ok(cp) } else { Err(()) }))
}

/// Verify the whole chain (R16.3), from the pruning checkpoint if any.
///
/// # Returns
/// `Ok(Ok(n))` with the number of entries, or `Ok(Err(broken))` naming the
/// first broken entry (id 0 for a forged checkpoint).
pub fn verify(conn: &Connection, key: &[u8; 32]) -> Result<Result<u64, audit::Broken>> {
    let start = match checkpoint(conn, key)? {
        None => GENESIS,
        Some(Ok(cp)) => cp.last_hash,
        Some(Err(())) => {
            return Ok(Err(audit::Broken { id: 0, reason: "the pruning checkpoint's signature does not match" }))
        }
    };
    let mut stmt = conn.prepare(
        "SELECT id, at, account_id, ip, port, user_agent, action, target, outcome, prev_hash, hash
         FROM activity_log ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            Entry {
                id: r.get(0)?,
                at: r.get(1)?,
                account_id: r.get(2)?,
                ip: r.get(3)?,
                port: r.get(4)?,
                user_agent: r.get(5)?,
                action: r.get(6)?,
                target: r.get(7)?,
                outcome: r.get(8)?,
            },
            r.get::<_, Vec<u8>>(9)?,
            r.get::<_, Vec<u8>>(10)?,
        ))
    })?;
    let rows: Vec<_> = rows.collect::<std::result::Result<_, _>>()?;
    Ok(audit::verify(key, start, rows))
}

/// What one prune removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    /// First and last id removed.
    pub first: i64,
    pub last: i64,
}

/// Delete, in the caller's transaction, up to `limit` of the oldest entries
/// written before `cutoff` (only a prefix of the chain: ids are removed
/// from the oldest up to the first entry at or after `cutoff`), and move
/// the signed checkpoint to the last one removed (R16.2, R16.3).
///
/// The caller gets `cutoff` from `audit::prune_cutoff`, which refuses
/// anything under 180 days; the database's own trigger refuses to delete a
/// younger entry whatever the caller's clock says.
///
/// # Returns
/// What was removed, `None` when nothing was old enough.
///
/// # Errors
/// `Error::Db`, e.g. the trigger refusing a young entry; nothing is
/// deleted then.
pub fn prune(tx: &Transaction, key: &[u8; 32], cutoff: i64, limit: i64, now: i64) -> Result<Option<Pruned>> {
    let Some(first) =
        tx.prepare_cached("SELECT min(id) FROM activity_log")?.query_row([], |r| r.get::<_, Option<i64>>(0))?
    else {
        return Ok(None);
    };
    let first_young: Option<i64> = tx
        .prepare_cached("SELECT id FROM activity_log WHERE at >= ?1 ORDER BY id LIMIT 1")?
        .query_row([cutoff], |r| r.get(0))
        .optional()?;
    let newest_id = newest(tx)?.map_or(0, |(id, _)| id);
    let last = first_young.map_or(newest_id, |y| y - 1).min(first + limit - 1);
    if last < first {
        return Ok(None);
    }
    let last_hash = hash_of(tx, last)?.ok_or_else(|| Error::Internal(format!("log entry {last} vanished")))?;
    tx.prepare_cached("DELETE FROM activity_log WHERE id <= ?1")?.execute([last])?;
    let cp = Checkpoint { last_id: last, last_hash, at: now };
    tx.prepare_cached(
        "INSERT INTO activity_log_checkpoint (id, last_id, last_hash, pruned_at, mac) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET last_id = ?1, last_hash = ?2, pruned_at = ?3, mac = ?4",
    )?
    .execute(params![cp.last_id, &cp.last_hash[..], cp.at, &cp.mac(key)[..]])?;
    Ok(Some(Pruned { first, last }))
}

/// The newest entry's id and hash, `None` when the log is empty.
pub fn newest(conn: &Connection) -> Result<Option<(i64, [u8; 32])>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT id, hash FROM activity_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(id, h)| (id, <[u8; 32]>::try_from(h.as_slice()).unwrap_or(GENESIS))))
}

/// The stored hash of entry `id`, if it is there.
pub fn hash_of(conn: &Connection, id: i64) -> Result<Option<[u8; 32]>> {
    let h: Option<Vec<u8>> =
        conn.prepare_cached("SELECT hash FROM activity_log WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    Ok(h.map(|h| <[u8; 32]>::try_from(h.as_slice()).unwrap_or(GENESIS)))
}

/// The hash the chain had at entry `id`: the stored entry's, or the pruning
/// checkpoint's when `id` is the last pruned entry.
pub fn hash_at(conn: &Connection, id: i64) -> Result<Option<[u8; 32]>> {
    match hash_of(conn, id)? {
        Some(h) => Ok(Some(h)),
        None => Ok(checkpoint_row(conn)?.filter(|cp| cp.last_id == id).map(|cp| cp.last_hash)),
    }
}

/// File name of the signed head inside the data folder.
pub const HEAD_FILE: &str = "log.head";

/// Key in the `settings` table of the witness: the highest head entry
/// count this site is known to have signed durably (R16.3). A head on disk
/// below it is an older head copied back. Written inside ordinary write
/// transactions (see [`HeadFile::witness`]), so it costs no commit of its own.
pub const WITNESS_KEY: &str = "log_head_witness";

/// How often a running server records the witness, at most.
const WITNESS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// How often a server that refuses to rewrite a damaged head reminds the
/// operator on stderr.
const REMIND_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What the signed head file says about the log (R16.3), as found by
/// [`HeadFile::state`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadState {
    /// No head and an empty log: a new site; the first commit signs one.
    Fresh,
    /// A head whose signature holds, that the log still contains (the log
    /// may have grown since: a crash between a commit and the rewrite).
    Sound(Head),
    /// No head file, but the log holds `entries` entries; `witness` is the
    /// most this site is known to have signed (more than `entries`: rows
    /// were cut off too).
    Missing { entries: i64, witness: i64 },
    /// The head file is there but cannot be read.
    Unreadable(String),
    /// The head file is malformed or its signature does not match (forged
    /// or damaged).
    Forged(&'static str),
    /// A valid head the log does not match: cut off, rewritten, or regrown
    /// after a cut. The text is [`audit::compare_head`]'s.
    Mismatch { head: Head, fault: String },
    /// A valid head older than one this site already signed (the witness):
    /// an older head was copied back.
    Older { head: Head, witness: i64 },
}

impl HeadState {
    /// Whether the log may be appended to and the head re-signed as usual.
    pub fn is_sound(&self) -> bool {
        matches!(self, HeadState::Fresh | HeadState::Sound(_))
    }

    /// A short description for the operator and for a `log.reseal` entry:
    /// `missing`, `forged: ...`, `mismatch: ...` with the old head's line.
    pub fn describe(&self, key: &[u8; 32]) -> String {
        match self {
            HeadState::Fresh => "none yet (empty log)".into(),
            HeadState::Sound(h) => format!("sound: {}", h.encode(key)),
            HeadState::Missing { entries, witness } if witness > entries => format!(
                "missing (the log holds {entries} entries, but a head for {witness} entries was signed: \
                 entries were cut off)"
            ),
            HeadState::Missing { entries, .. } => format!("missing (the log holds {entries} entries)"),
            HeadState::Unreadable(e) => format!("unreadable: {e}"),
            HeadState::Forged(reason) => format!("forged or damaged: {reason}"),
            HeadState::Mismatch { head, fault } => format!("mismatch: {fault}; old head {}", head.encode(key)),
            HeadState::Older { head, witness } => format!(
                "older head copied back: it counts {} entries, this site already signed {witness}; old head {}",
                head.entries,
                head.encode(key)
            ),
        }
    }
}

/// The message that stops the server or a logging command on a damaged
/// head (R16.3): what was found and how to proceed.
pub fn refusal(state: &HeadState, key: &[u8; 32], data_dir: &Path) -> String {
    format!(
        "will not append to the activity log: the signed head {} is {}.\n\
         A new head is never signed silently over a log it does not match: that would hide cut-off entries (R16.3).\n\
         To proceed: check the log with `plaza log verify --data {dir}` (add `--head LINE` with a head line kept \
         elsewhere: the server prints one to its log every day), restore from a backup if entries were lost,\n\
         or record why the head is being replaced: `plaza log reseal --reason \"...\" --data {dir}` \
         (logged as log.reseal; verify and doctor report it from then on).",
        path_of(data_dir).display(),
        state.describe(key),
        dir = data_dir.display(),
    )
}

fn path_of(data_dir: &Path) -> PathBuf {
    data_dir.join(HEAD_FILE)
}

/// The witness recorded in the database, 0 when none.
///
/// # Errors
/// `Error::Db`.
pub fn witness_of(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([WITNESS_KEY], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn set_witness(tx: &Connection, entries: i64) -> Result<()> {
    tx.prepare_cached("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2")?
        .execute(params![WITNESS_KEY, entries.to_string()])?;
    Ok(())
}

/// The signed head file `DATA/log.head` (R16.3): one line made by
/// [`Head::encode`], rewritten (write, fsync, rename) after every commit that
/// appended, by the server and by CLI commands alike. A head that lags
/// behind the database (a crash between commit and rewrite) is still a
/// valid lower bound; a log shorter than its head was truncated.
///
/// The head is never re-signed silently: before the first rewrite the head
/// is checked ([`HeadFile::arm`]); a missing, unreadable, forged, older or
/// mismatching head with a non-empty log is refused, and only
/// [`HeadFile::reseal`] (`plaza log reseal`, which logs `log.reseal`)
/// signs anew. A head that goes bad while the process runs is reported
/// and left alone: the process stops rewriting it (see [`HeadFile::sync`]).
#[derive(Debug)]
pub struct HeadFile {
    path: PathBuf,
    dir: PathBuf,
    key: [u8; 32],
    /// Serialises writers in this process.
    state: Mutex<Inner>,
    /// The newest entry count this process has written to the head file
    /// (read without the mutex by [`HeadFile::witness`]).
    signed: std::sync::atomic::AtomicI64,
    /// The witness this process last recorded, and when.
    witnessed: Mutex<(i64, Option<std::time::Instant>)>,
    /// `DATA/log.head.lock`, locked while a head is read and replaced, so a
    /// CLI command and the server never move the head backwards.
    lock: std::fs::File,
    /// Rewrites left to the server's head thread ([`HeadFile::sync_or_defer`]).
    deferred: Mutex<Deferred>,
    /// Signalled when a rewrite is deferred or one ends.
    deferred_cv: std::sync::Condvar,
}

/// How often, at most, the server rewrites the signed head while writes
/// come faster than that (issue 11): each rewrite is a file write, an
/// fsync and a rename, which every request used to wait for in turn.
pub const HEAD_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

#[derive(Debug, Default)]
struct Deferred {
    /// A thread takes deferred rewrites ([`HeadFile::next_deferred`]).
    taker: bool,
    /// A commit since the last rewrite was left to that thread.
    pending: bool,
    /// A rewrite is under way.
    writing: bool,
    /// When the last rewrite ended.
    last: Option<std::time::Instant>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The head was checked and found sound (or the site fresh).
    armed: bool,
    /// The newest `entries` this process knows to be on disk.
    written: i64,
    /// Why this process stopped rewriting the head, once it did.
    refused: Option<String>,
    /// The newest entry when the head was refused.
    refused_at: i64,
    /// When the refusal was last printed.
    reported: Option<std::time::Instant>,
}

impl HeadFile {
    /// The head file of `data_dir`, signed with the log key. Not checked
    /// yet: [`HeadFile::arm`] does that, and [`HeadFile::sync`] arms first.
    ///
    /// # Errors
    /// `Error::Io` when the lock file cannot be created.
    pub fn new(data_dir: &Path, key: &[u8; 32]) -> Result<HeadFile> {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data_dir.join(format!("{HEAD_FILE}.lock")))?;
        Ok(HeadFile {
            path: path_of(data_dir),
            dir: data_dir.to_path_buf(),
            key: *key,
            state: Mutex::new(Inner::default()),
            signed: std::sync::atomic::AtomicI64::new(0),
            witnessed: Mutex::new((0, None)),
            lock,
            deferred: Mutex::new(Deferred::default()),
            deferred_cv: std::sync::Condvar::new(),
        })
    }

    /// Read the head.
    ///
    /// # Returns
    /// `None` when there is no head file yet, `Some(Err(reason))` when it is
    /// malformed or its signature does not match.
    ///
    /// # Errors
    /// `Error::Io` when the file exists but cannot be read.
    pub fn read(&self) -> Result<Option<std::result::Result<Head, &'static str>>> {
        read_head(&self.path, &self.key)
    }

    /// Compare the head file with the log in `conn` and the witness.
    ///
    /// # Errors
    /// `Error::Db`.
    pub fn state(&self, conn: &Connection) -> Result<HeadState> {
        let newest = newest(conn)?;
        let head = match self.read() {
            Err(e) => return Ok(HeadState::Unreadable(e.to_string())),
            Ok(None) => {
                return Ok(match newest {
                    None => HeadState::Fresh,
                    Some((id, _)) => HeadState::Missing { entries: id, witness: witness_of(conn)? },
                })
            }
            Ok(Some(Err(reason))) => return Ok(HeadState::Forged(reason)),
            Ok(Some(Ok(h))) => h,
        };
        let at = if head.entries > 0 { hash_at(conn, head.entries)? } else { None };
        if let Some(fault) = audit::compare_head(&head, newest, at) {
            return Ok(HeadState::Mismatch { head, fault });
        }
        let witness = witness_of(conn)?;
        if head.entries < witness {
            return Ok(HeadState::Older { head, witness });
        }
        Ok(HeadState::Sound(head))
    }

    /// Check the head before this process appends (R16.3): at server start,
    /// and before a command that logs does anything.
    ///
    /// # Errors
    /// `Error::Config` with [`refusal`]'s message when the head is not
    /// sound; `Error::Db`.
    pub fn arm(&self, conn: &Connection) -> Result<()> {
        let state = self.state(conn)?;
        let mut inner = self.state.lock().unwrap_or_else(|p| p.into_inner());
        match state {
            HeadState::Fresh => inner.written = 0,
            HeadState::Sound(h) => inner.written = h.entries,
            bad => return Err(Error::Config(refusal(&bad, &self.key, &self.dir))),
        }
        inner.armed = true;
        self.signed.store(inner.written, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Bring the head up to the database's newest entry, after a commit.
    /// Cheap when nothing was appended: one indexed lookup.
    ///
    /// Group commit: the caller's own newest entry is read before waiting
    /// for the head, and one rewrite covers every commit made before it
    /// started, so concurrent writers share one fsync instead of queueing
    /// one each (which held posting to ~500/s).
    ///
    /// Never signs over a head it cannot account for (R16.3): a head that
    /// went missing, became unreadable or forged, moved backwards (an older
    /// copy) or no longer matches the log is left as it is, and from then on
    /// this process stops rewriting the head (every later call fails the
    /// same way) until the operator runs `plaza log reseal`. The commits
    /// themselves are durable and chained; `plaza log verify` shows the
    /// fault. (The head is checked under the head lock, which only Plaza
    /// takes: a file deleted by hand while a rewrite is already under way
    /// is replaced by that rewrite, which signs the log as it is.)
    ///
    /// # Errors
    /// `Error::Config` when the head is refused (the message says why),
    /// `Error::Db` or `Error::Io`; the commit itself already happened, so
    /// the server reports this (see [`HeadFile::sync_reporting`]) rather
    /// than fail the request.
    pub fn sync(&self, conn: &Connection, now: i64) -> Result<()> {
        let Some((mine, _)) = newest(conn)? else { return Ok(()) };
        let mut inner = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(why) = &inner.refused {
            // Resume only once the operator resealed after the refusal.
            match self.state(conn)? {
                HeadState::Sound(h) if resealed_after(conn, inner.refused_at)? => {
                    eprintln!("plaza: log head: resealed by the operator; rewriting it again");
                    *inner = Inner { armed: true, written: h.entries, ..Inner::default() };
                    self.signed.store(h.entries, std::sync::atomic::Ordering::SeqCst);
                }
                _ => return Err(Error::Config(why.clone())),
            }
        }
        if !inner.armed {
            drop(inner);
            self.arm(conn)?;
            inner = self.state.lock().unwrap_or_else(|p| p.into_inner());
        }
        if mine <= inner.written {
            return Ok(());
        }
        let Some((entries, last_hash)) = newest(conn)? else { return Ok(()) };
        self.lock.lock()?;
        let result = (|| -> Result<Option<String>> {
            let refuse = |what: String| {
                Err(format!(
                    "{what}: head left unchanged, and this process stops rewriting it; the log goes on (R16.3). \
                     Run `plaza log verify`, then `plaza log reseal --reason \"...\"`"
                ))
            };
            let found = match self.read() {
                Err(e) => refuse(format!("{HEAD_FILE} became unreadable ({e})")),
                Ok(None) if inner.written > 0 => refuse(format!("{HEAD_FILE} went missing")),
                Ok(None) => Ok(None),
                Ok(Some(Err(reason))) => refuse(format!("{HEAD_FILE} was replaced by a bad one ({reason})")),
                Ok(Some(Ok(h))) if h.entries < inner.written => refuse(format!(
                    "{HEAD_FILE} moved backwards to {} entries after {} were signed: an older head was copied back",
                    h.entries, inner.written
                )),
                Ok(Some(Ok(h))) => Ok(Some(h)),
            };
            let on_disk = match found {
                Ok(h) => h,
                Err(why) => return Ok(Some(why)),
            };
            if let Some(on_disk) = on_disk {
                if on_disk.entries >= entries {
                    inner.written = on_disk.entries;
                    return Ok(None);
                }
                // Never sign over a log that no longer holds what the last
                // head signed (rows cut off and regrown): the old head stays
                // as evidence and `plaza log verify` keeps failing.
                if on_disk.entries > 0 && hash_at(conn, on_disk.entries)? != Some(on_disk.last_hash) {
                    return Ok(Some(format!(
                        "the activity log no longer matches its signed head at entry {}: head left unchanged, \
                         and this process stops rewriting it; run `plaza log verify`",
                        on_disk.entries
                    )));
                }
            }
            let line = Head { entries, last_hash, at: now }.encode(&self.key);
            write_atomically(&self.path, format!("{line}\n").as_bytes())?;
            inner.written = entries;
            self.signed.store(entries, std::sync::atomic::Ordering::SeqCst);
            Ok(None)
        })();
        self.lock.unlock()?;
        match result? {
            None => Ok(()),
            Some(why) => {
                inner.refused = Some(why.clone());
                inner.refused_at = entries;
                Err(Error::Config(why))
            }
        }
    }

    /// [`HeadFile::sync_reporting`] now, unless a thread takes deferred
    /// rewrites ([`HeadFile::next_deferred`]), `others_writing` (other
    /// threads are writing too) and a rewrite is under way or ended less
    /// than [`HEAD_EVERY`] ago: then the rewrite is left to that thread,
    /// which makes it within [`HEAD_EVERY`] and covers every commit before
    /// it. One writer at a time still has the head rewritten before it
    /// answers; many rewrite it 20 times a second, not once each. The
    /// head is a lower bound either way (R16.3): a crash before a deferred
    /// rewrite leaves a head that covers less, never a wrong one.
    pub fn sync_or_defer(&self, conn: &Connection, now: i64, others_writing: bool) {
        let mut d = self.deferred.lock().unwrap_or_else(|p| p.into_inner());
        if d.taker && others_writing && (d.writing || d.last.is_some_and(|t| t.elapsed() < HEAD_EVERY)) {
            d.pending = true;
            drop(d);
            self.deferred_cv.notify_all();
            return;
        }
        d.writing = true;
        drop(d);
        self.sync_reporting(conn, now);
        self.rewrite_ended();
    }

    /// For the thread that takes deferred rewrites: wait until one is due
    /// (pending, none under way, [`HEAD_EVERY`] since the last), mark it
    /// under way, and return; the caller then runs
    /// [`HeadFile::sync_reporting`] and [`HeadFile::rewrite_ended`].
    pub fn next_deferred(&self) {
        let mut d = self.deferred.lock().unwrap_or_else(|p| p.into_inner());
        d.taker = true;
        loop {
            let wait = d.last.map_or(std::time::Duration::ZERO, |t| HEAD_EVERY.saturating_sub(t.elapsed()));
            if d.pending && !d.writing && wait.is_zero() {
                break;
            }
            let wait = if d.pending { wait.max(std::time::Duration::from_millis(1)) } else { REMIND_EVERY };
            d = self.deferred_cv.wait_timeout(d, wait).unwrap_or_else(|p| p.into_inner()).0;
        }
        d.pending = false;
        d.writing = true;
    }

    /// A rewrite begun by [`HeadFile::sync_or_defer`] or
    /// [`HeadFile::next_deferred`] ended.
    pub fn rewrite_ended(&self) {
        let mut d = self.deferred.lock().unwrap_or_else(|p| p.into_inner());
        d.writing = false;
        d.last = Some(std::time::Instant::now());
        drop(d);
        self.deferred_cv.notify_all();
    }

    /// [`HeadFile::sync`] for the running server: a failure is printed on
    /// stderr, loudly the first time, then as a reminder once a minute
    /// (never silently, never once per request).
    pub fn sync_reporting(&self, conn: &Connection, now: i64) {
        if let Err(e) = self.sync(conn, now) {
            let mut inner = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let first = inner.reported.is_none();
            let due = inner.reported.is_none_or(|t| t.elapsed() >= REMIND_EVERY);
            if inner.refused.is_none() || due {
                inner.reported = Some(std::time::Instant::now());
                drop(inner);
                if first {
                    eprintln!("plaza: ==== ACTIVITY-LOG HEAD PROBLEM (R16.3) ====");
                }
                let unsigned = newest(conn).ok().flatten().map_or(0, |(id, _)| id) - self.signed_entries();
                eprintln!("plaza: log head: {e} ({unsigned} entries not covered by a signed head)");
            }
        }
    }

    /// Why this process stopped rewriting the head, while it has (a head
    /// that went missing or bad while running, R16.3): admins see it on
    /// every page until `plaza log reseal`.
    pub fn problem(&self) -> Option<String> {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).refused.clone()
    }

    /// The newest entry count this process wrote to the head file.
    pub fn signed_entries(&self) -> i64 {
        self.signed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Record the witness (see [`WITNESS_KEY`]) inside the caller's write
    /// transaction, when this process signed further since it last did and
    /// at most once a second (or at every call with `always`). The data
    /// folder is fsynced first, so the head file's last rename is durable
    /// before the database claims it: a power cut never makes an honest
    /// head look older than the witness.
    ///
    /// # Errors
    /// `Error::Io` or `Error::Db`; the caller's transaction then rolls back.
    pub fn witness(&self, tx: &Connection, always: bool) -> Result<()> {
        let signed = self.signed_entries();
        let mut w = self.witnessed.lock().unwrap_or_else(|p| p.into_inner());
        if signed <= w.0 || (!always && w.1.is_some_and(|t| t.elapsed() < WITNESS_EVERY)) {
            return Ok(());
        }
        std::fs::File::open(&self.dir)?.sync_all()?;
        if witness_of(tx)? < signed {
            set_witness(tx, signed)?;
        }
        *w = (signed, Some(std::time::Instant::now()));
        Ok(())
    }

    /// `plaza log reseal`: record why the head is replaced, then sign anew
    /// (R16.3). Appends a `log.reseal` entry (target `log:head`) whose
    /// outcome carries the old head's state ([`HeadState::describe`], or
    /// `missing`), the operator and the reason, commits it, and only then
    /// writes a new head over the whole log and moves the witness to it.
    /// A damaged old head file is kept beside it as
    /// `log.head.replaced-UNIXTIME`.
    ///
    /// # Returns
    /// The old state's description and the new head line.
    ///
    /// # Errors
    /// `Error::Config` when the head is sound (nothing to reseal) or the
    /// reason is empty; `Error::Db` / `Error::Io`.
    pub fn reseal(
        &self,
        conn: &Connection,
        src: &Source,
        operator: &str,
        reason: &str,
        now: i64,
    ) -> Result<(String, String)> {
        if reason.trim().is_empty() {
            return Err(Error::Config("give the reason for the reseal: --reason \"...\"".into()));
        }
        self.lock.lock()?;
        let result = (|| {
            let state = self.state(conn)?;
            if state.is_sound() {
                return Err(Error::Config(format!("nothing to reseal: the head is {}", state.describe(&self.key))));
            }
            let old = state.describe(&self.key);
            let outcome = format!("old head {old}; operator {operator}; reason: {}", reason.trim());
            let entries = crate::db::write(conn, |tx| {
                append(tx, &self.key, src, now, "log.reseal", "log:head", &outcome)?;
                let (id, _) = newest(tx)?.ok_or_else(|| Error::Internal("the reseal entry vanished".into()))?;
                set_witness(tx, id)?;
                Ok(id)
            })?;
            let last_hash =
                hash_of(conn, entries)?.ok_or_else(|| Error::Internal("the reseal entry vanished".into()))?;
            if self.path.exists() {
                let _ = std::fs::rename(&self.path, self.dir.join(format!("{HEAD_FILE}.replaced-{now}")));
            }
            let line = Head { entries, last_hash, at: now }.encode(&self.key);
            write_atomically(&self.path, format!("{line}\n").as_bytes())?;
            std::fs::File::open(&self.dir)?.sync_all()?;
            let mut inner = self.state.lock().unwrap_or_else(|p| p.into_inner());
            *inner = Inner { armed: true, written: entries, ..Inner::default() };
            self.signed.store(entries, std::sync::atomic::Ordering::SeqCst);
            Ok((old, line))
        })();
        self.lock.unlock()?;
        result
    }
}

/// Whether a `log.reseal` entry follows entry `after`.
fn resealed_after(conn: &Connection, after: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM activity_log WHERE id > ?1 AND action = 'log.reseal' LIMIT 1")?
        .query_row([after], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Every `log.reseal` entry in the chain, oldest first (R16.3): `verify`
/// and `doctor` list them.
///
/// # Errors
/// `Error::Db`.
pub fn reseals(conn: &Connection) -> Result<Vec<LogRow>> {
    let f = Filter { action: Some("log.reseal".into()), ..Default::default() };
    let mut out = Vec::new();
    for_each(conn, &f, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// Read and authenticate a head file; `None` when it does not exist.
///
/// # Errors
/// `Error::Io` when it exists but cannot be read.
pub fn read_head(path: &Path, key: &[u8; 32]) -> Result<Option<std::result::Result<Head, &'static str>>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(Head::decode(text.trim(), key))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io(e)),
    }
}

/// Replace `path` with `bytes` so that a reader sees the old or the new
/// content, never a mix: write a temporary file, fsync it, rename it over.
///
/// # Errors
/// `Error::Io`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Entries removed per transaction by [`prune_old`], so a large prune never
/// holds the write lock for long.
const PRUNE_BATCH: i64 = 10_000;

/// Prune every entry older than `days` days before `now` in batches, then
/// log the prune itself and bring the head up to date (R16.2). Used by
/// `plaza log prune` and the server's daily task.
///
/// # Returns
/// The ids removed, `None` when nothing was old enough.
///
/// # Errors
/// `Error::Config` when `days` is under 180; `Error::Db` when the database
/// refuses (its trigger never lets an entry younger than 180 days go).
pub fn prune_old(
    conn: &Connection,
    key: &[u8; 32],
    head: &HeadFile,
    days: u32,
    now: i64,
    src: &Source,
) -> Result<Option<Pruned>> {
    let cutoff = audit::prune_cutoff(now, days).map_err(Error::Config)?;
    let mut total: Option<Pruned> = None;
    while let Some(p) = crate::db::write(conn, |tx| prune(tx, key, cutoff, PRUNE_BATCH, now))? {
        total = Some(Pruned { first: total.map_or(p.first, |t| t.first), last: p.last });
    }
    if let Some(t) = total {
        crate::db::write(conn, |tx| {
            let n = t.last - t.first + 1;
            let outcome = format!("pruned {n} entries older than {days} days");
            append(tx, key, src, now, "log.prune", &format!("log:{}-{}", t.first, t.last), &outcome)
        })?;
        head.sync(conn, now)?;
    }
    Ok(total)
}

/// One entry as listed for staff and exported for the authorities (R16.3).
#[derive(Debug, Clone)]
pub struct LogRow {
    pub id: i64,
    /// UTC unix seconds.
    pub at: i64,
    pub account_id: Option<i64>,
    /// The account's username now (kept after the account is closed).
    pub username: Option<String>,
    pub ip: String,
    pub port: u16,
    pub user_agent: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    /// The entry's chain hash, hex.
    pub hash: String,
}

/// What to list or export; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub account_id: Option<i64>,
    /// An exact action (`post.create`), or a prefix ending in `*` (`post.*`).
    pub action: Option<String>,
    /// An exact source IP.
    pub ip: Option<String>,
    /// Inclusive start, UTC unix seconds.
    pub from: Option<i64>,
    /// Exclusive end, UTC unix seconds.
    pub to: Option<i64>,
}

impl Filter {
    /// Exact action and action prefix, as the query takes them.
    fn action_params(&self) -> (Option<&str>, Option<&str>) {
        match self.action.as_deref() {
            Some(a) => match a.strip_suffix('*') {
                Some(prefix) => (None, Some(prefix)),
                None => (Some(a), None),
            },
            None => (None, None),
        }
    }
}

const FILTERED: &str = "SELECT l.id, l.at, l.account_id, u.username, l.ip, l.port, l.user_agent, l.action, l.target,
            l.outcome, l.hash
     FROM activity_log l LEFT JOIN users u ON u.id = l.account_id
     WHERE (?1 IS NULL OR l.account_id = ?1)
       AND (?2 IS NULL OR l.action = ?2)
       AND (?3 IS NULL OR substr(l.action, 1, length(?3)) = ?3)
       AND (?4 IS NULL OR l.ip = ?4)
       AND (?5 IS NULL OR l.at >= ?5)
       AND (?6 IS NULL OR l.at < ?6)";

fn log_row(r: &rusqlite::Row) -> rusqlite::Result<LogRow> {
    Ok(LogRow {
        id: r.get(0)?,
        at: r.get(1)?,
        account_id: r.get(2)?,
        username: r.get(3)?,
        ip: r.get(4)?,
        port: r.get(5)?,
        user_agent: r.get(6)?,
        action: r.get(7)?,
        target: r.get(8)?,
        outcome: r.get(9)?,
        hash: hex::encode(r.get::<_, Vec<u8>>(10)?),
    })
}

/// One page of entries matching `f`, newest first, ids below `before`.
pub fn search(conn: &Connection, f: &Filter, before: i64, limit: u32) -> Result<Vec<LogRow>> {
    let sql = format!("{FILTERED} AND l.id < ?7 ORDER BY l.id DESC LIMIT ?8");
    let (exact, prefix) = f.action_params();
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![f.account_id, exact, prefix, f.ip, f.from, f.to, before, limit], log_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The newest entries (at most `limit`) with exactly `action` about
/// exactly `target` (`post.restore` on `post:12`): what a staff page shows
/// of the decisions about one thing (issue 13: reversals, R6.5).
pub fn for_target(conn: &Connection, action: &str, target: &str, limit: u32) -> Result<Vec<LogRow>> {
    let sql = "SELECT l.id, l.at, l.account_id, u.username, l.ip, l.port, l.user_agent, l.action, l.target,
                      l.outcome, l.hash
               FROM activity_log l LEFT JOIN users u ON u.id = l.account_id
               WHERE l.action = ?1 AND l.target = ?2 ORDER BY l.id DESC LIMIT ?3";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![action, target, limit], log_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many entries match `f`.
pub fn count(conn: &Connection, f: &Filter) -> Result<u64> {
    let sql = format!("SELECT count(*) FROM ({FILTERED})");
    let (exact, prefix) = f.action_params();
    Ok(conn.prepare_cached(&sql)?.query_row(params![f.account_id, exact, prefix, f.ip, f.from, f.to], |r| r.get(0))?)
}

/// Call `each` on every entry matching `f`, oldest first, streaming (an
/// export of millions of entries never sits in memory).
///
/// # Errors
/// `Error::Db`, or the first error `each` returns.
pub fn for_each(conn: &Connection, f: &Filter, mut each: impl FnMut(LogRow) -> Result<()>) -> Result<()> {
    let sql = format!("{FILTERED} ORDER BY l.id");
    let (exact, prefix) = f.action_params();
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![f.account_id, exact, prefix, f.ip, f.from, f.to])?;
    while let Some(r) = rows.next()? {
        each(log_row(r)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> (tempfile::TempDir, Connection, [u8; 32]) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        (dir, conn, [7u8; 32])
    }

    #[test]
    fn pruning_everything_goes_on_from_the_checkpoint() {
        let (dir, conn, key) = fresh();
        let head = HeadFile::new(dir.path(), &key).unwrap();
        head.arm(&conn).unwrap();
        let src = Source::cli("test");
        // Three entries a year old (the trigger lets those go).
        let old = crate::clock::now() - 400 * 86_400;
        crate::db::write(&conn, |tx| (0..3).try_for_each(|i| append(tx, &key, &src, old + i, "a", "t", "ok"))).unwrap();
        head.sync(&conn, old).unwrap();
        let now = crate::clock::now();
        let p = prune_old(&conn, &key, &head, 365, now, &src).unwrap();
        assert_eq!(p, Some(Pruned { first: 1, last: 3 }));
        // The prune's own entry follows the checkpoint; the chain and head agree.
        assert_eq!(newest(&conn).unwrap().unwrap().0, 4);
        assert_eq!(verify(&conn, &key).unwrap(), Ok(1));
        let h = head.read().unwrap().unwrap().unwrap();
        assert_eq!(h.entries, 4);
        // Nothing young goes, and a second prune finds nothing.
        assert_eq!(prune_old(&conn, &key, &head, 365, now, &src).unwrap(), None);
        assert!(prune_old(&conn, &key, &head, 179, now, &src).is_err());
    }

    fn logged(conn: &Connection, key: &[u8; 32], n: i64) {
        let src = Source::cli("test");
        crate::db::write(conn, |tx| (0..n).try_for_each(|i| append(tx, key, &src, 100 + i, "a", "t", "ok"))).unwrap();
    }

    #[test]
    fn a_head_is_never_signed_over_silently_r16_3() {
        let (dir, conn, key) = fresh();
        let head = HeadFile::new(dir.path(), &key).unwrap();
        assert_eq!(head.state(&conn).unwrap(), HeadState::Fresh);
        head.arm(&conn).unwrap();
        logged(&conn, &key, 3);
        head.sync(&conn, 1).unwrap();
        let sound = head.read().unwrap().unwrap().unwrap();
        assert_eq!(sound.entries, 3);

        // Gone while running: the next commit is kept, the head is not rewritten.
        std::fs::remove_file(dir.path().join(HEAD_FILE)).unwrap();
        logged(&conn, &key, 1);
        let e = head.sync(&conn, 2).unwrap_err().to_string();
        assert!(e.contains("went missing"), "{e}");
        assert!(head.read().unwrap().is_none());
        logged(&conn, &key, 1);
        assert!(head.sync(&conn, 3).is_err(), "stays refused");

        // A new process refuses to start on it, saying what it found.
        let other = HeadFile::new(dir.path(), &key).unwrap();
        assert!(matches!(other.state(&conn).unwrap(), HeadState::Missing { entries: 5, .. }));
        let e = other.arm(&conn).unwrap_err().to_string();
        assert!(e.contains("is missing (the log holds 5 entries)") && e.contains("plaza log reseal"), "{e}");

        // The reseal is logged first, with the old state and the reason.
        let (old, line) = other.reseal(&conn, &Source::cli("log reseal"), "ops", "disk swap", 4).unwrap();
        assert!(old.starts_with("missing"), "{old}");
        let r = reseals(&conn).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].id, 6);
        assert!(r[0].outcome.contains("operator ops; reason: disk swap"), "{}", r[0].outcome);
        assert!(line.contains("entries=6 "), "{line}");
        assert!(matches!(other.state(&conn).unwrap(), HeadState::Sound(_)));
        assert!(other.reseal(&conn, &Source::cli("log reseal"), "ops", "again", 5).is_err(), "nothing to reseal");
        // The refusing process sees the reseal and goes on.
        logged(&conn, &key, 1);
        head.sync(&conn, 6).unwrap();
        assert_eq!(head.read().unwrap().unwrap().unwrap().entries, 7);

        // An older head copied back is caught through the witness.
        crate::db::write(&conn, |tx| head.witness(tx, true)).unwrap();
        assert_eq!(witness_of(&conn).unwrap(), 7);
        write_atomically(&dir.path().join(HEAD_FILE), format!("{}\n", sound.encode(&key)).as_bytes()).unwrap();
        let fresh_process = HeadFile::new(dir.path(), &key).unwrap();
        assert!(matches!(fresh_process.state(&conn).unwrap(), HeadState::Older { witness: 7, .. }));
        logged(&conn, &key, 1);
        let e = head.sync(&conn, 7).unwrap_err().to_string();
        assert!(e.contains("moved backwards"), "{e}");

        // Forged.
        std::fs::write(dir.path().join(HEAD_FILE), "plaza-log-head-v1 entries=99 last_hash=00 at=1 mac=00\n").unwrap();
        assert!(matches!(fresh_process.state(&conn).unwrap(), HeadState::Forged(_)));
        // Unreadable (here: a folder where the file should be).
        std::fs::remove_file(dir.path().join(HEAD_FILE)).unwrap();
        std::fs::create_dir(dir.path().join(HEAD_FILE)).unwrap();
        assert!(matches!(fresh_process.state(&conn).unwrap(), HeadState::Unreadable(_)));
        let e = fresh_process.arm(&conn).unwrap_err().to_string();
        assert!(e.contains("is unreadable: "), "{e}");
    }

    #[test]
    fn filters_and_prefixes() {
        let (_dir, conn, key) = fresh();
        let src = Source::cli("test");
        crate::db::write(&conn, |tx| {
            for (i, a) in ["post.create", "post.delete", "user.login", "postal"].iter().enumerate() {
                append(tx, &key, &src, 100 + i as i64, a, "t", "ok")?;
            }
            Ok(())
        })
        .unwrap();
        let actions = |f: Filter| -> Vec<String> {
            search(&conn, &f, i64::MAX, 10).unwrap().into_iter().map(|r| r.action).collect()
        };
        assert_eq!(
            actions(Filter { action: Some("post.*".into()), ..Default::default() }),
            ["post.delete", "post.create"]
        );
        assert_eq!(actions(Filter { action: Some("post.create".into()), ..Default::default() }), ["post.create"]);
        assert_eq!(
            actions(Filter { from: Some(101), to: Some(103), ..Default::default() }),
            ["user.login", "post.delete"]
        );
        assert_eq!(count(&conn, &Filter { ip: Some("cli".into()), ..Default::default() }).unwrap(), 4);
        assert_eq!(actions(Filter { ip: Some("10.0.0.1".into()), ..Default::default() }).len(), 0);
    }
}
