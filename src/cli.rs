//! Operator subcommands other than `serve`: each is one function the CLI
//! entry calls, working on a data folder that a running server may share.

use crate::config::Config;
use crate::crypto::Keys;
use crate::db::{self, log::HeadFile, log::Source};
use crate::domain::audit::{self, Head};
use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction};
use std::path::{Path, PathBuf};

/// An existing data folder opened by a command: database, keys and the
/// signed log head. Commands never create a data folder.
pub struct DataDir {
    pub path: PathBuf,
    pub conn: Connection,
    pub keys: Keys,
    pub head: HeadFile,
}

impl DataDir {
    /// Open `data`.
    ///
    /// # Errors
    /// `Error::Config` when there is no database there.
    pub fn open(data: &Path) -> Result<DataDir> {
        let db_path = data.join(db::DB_FILE);
        if !db_path.exists() {
            return Err(Error::Config(format!("no database at {}", db_path.display())));
        }
        let keys = Keys::load_or_create(data)?;
        let conn = db::open(&db_path)?;
        let head = HeadFile::new(data, &keys.audit)?;
        Ok(DataDir { path: data.to_path_buf(), conn, keys, head })
    }

    /// Run `f` in one write transaction, then bring the signed head up to
    /// date (R16.3), like the server does after every commit.
    ///
    /// # Errors
    /// Whatever `db::write` returns, or `Error::Io` when the head cannot be
    /// written.
    pub fn write<T>(&self, now: i64, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let out = db::write(&self.conn, f)?;
        self.head.sync(&self.conn, now)?;
        Ok(out)
    }

    /// Append a log entry for the operator running `command` (R16.1).
    pub fn log(
        &self,
        tx: &Transaction,
        now: i64,
        command: &str,
        action: &str,
        target: &str,
        outcome: &str,
    ) -> Result<()> {
        db::log::append(tx, &self.keys.audit, &Source::cli(command), now, action, target, outcome)
    }
}

/// What a full check of the activity log found (R16.3).
#[derive(Debug, Clone)]
pub struct LogCheck {
    /// Entries in the table that verified.
    pub entries: u64,
    /// One line per fault; empty when the log is intact.
    pub faults: Vec<String>,
}

/// Walk the chain and compare it with the signed head file, and with
/// `extra_head` (a head line the operator kept elsewhere) when given.
///
/// # Errors
/// `Error::Db` or `Error::Io` when the log cannot be read at all.
pub fn check_log(dir: &DataDir, extra_head: Option<&str>) -> Result<LogCheck> {
    let mut faults = Vec::new();
    let entries = match db::log::verify(&dir.conn, &dir.keys.audit)? {
        Ok(n) => n,
        Err(b) => {
            faults.push(format!("log: broken at entry {}: {}", b.id, b.reason));
            0
        }
    };
    let newest = db::log::newest(&dir.conn)?;
    let mut heads: Vec<(String, Head)> = Vec::new();
    match dir.head.read()? {
        Some(Ok(h)) => heads.push((db::log::HEAD_FILE.to_string(), h)),
        Some(Err(reason)) => faults.push(format!("log: {}: {reason}", db::log::HEAD_FILE)),
        None if newest.is_some() => faults.push(format!(
            "log: no signed head file {}: cannot rule out that the newest entries were cut off",
            db::log::HEAD_FILE
        )),
        None => {}
    }
    if let Some(line) = extra_head {
        match Head::decode(line.trim(), &dir.keys.audit) {
            Ok(h) => heads.push(("the given head".into(), h)),
            Err(reason) => faults.push(format!("log: the given head: {reason}")),
        }
    }
    for (name, head) in heads {
        let at = if head.entries > 0 { db::log::hash_at(&dir.conn, head.entries)? } else { None };
        if let Some(fault) = audit::compare_head(&head, newest, at) {
            faults.push(format!("log: {fault} ({name}, signed at unix time {})", head.at));
        }
    }
    Ok(LogCheck { entries, faults })
}

/// `plaza log verify [--head LINE]`: walk the activity-log chain and
/// compare it with the signed head (R16.3).
///
/// # Returns
/// `ok N entries`.
///
/// # Errors
/// `Error::Config` with one line per fault (the first broken entry by id, a
/// truncated tail, a head that does not match).
pub fn log_verify(data: &Path, extra_head: Option<&str>) -> Result<String> {
    let dir = DataDir::open(data)?;
    let check = check_log(&dir, extra_head)?;
    if check.faults.is_empty() {
        Ok(match db::log::checkpoint(&dir.conn, &dir.keys.audit)? {
            Some(Ok(cp)) => {
                format!("ok {} entries after the pruning checkpoint at entry {}", check.entries, cp.last_id)
            }
            _ => format!("ok {} entries", check.entries),
        })
    } else {
        Err(Error::Config(check.faults.join("\n")))
    }
}

/// `plaza log prune [--older-than-days N]`: delete entries older than the
/// retention period (R16.2), keeping the chain verifiable from a signed
/// checkpoint, and log the prune.
///
/// # Errors
/// `Error::Config` for fewer than 180 days; `Error::Db` when the database
/// refuses to delete a young entry (its trigger uses the real clock).
pub fn log_prune(config: &Config, older_than_days: Option<u32>) -> Result<String> {
    let dir = DataDir::open(&config.data_dir)?;
    let days = older_than_days.unwrap_or(config.log_retention_days);
    let now = crate::clock::now();
    match db::log::prune_old(&dir.conn, &dir.keys.audit, &dir.head, days, now, &Source::cli("log prune"))? {
        Some(p) => Ok(format!(
            "pruned {} entries ({}-{}) older than {days} days; the chain now starts after entry {}",
            p.last - p.first + 1,
            p.first,
            p.last,
            p.last
        )),
        None => Ok(format!("nothing to prune: no entry is older than {days} days")),
    }
}
