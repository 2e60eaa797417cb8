//! `plaza doctor`: every health check of a data folder, one line per fault.
//!
//! - the database: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
//! - the activity log: the chain, its checkpoint and the signed head (R16.3);
//! - media (R2.2): every file the `media_refs` view names must be at its
//!   place (`media/ab/abcd…`) with content hashing to its name (SHA-256);
//!   files no row names are orphans (`plaza doctor --gc` removes those older
//!   than an hour); anything else under `media/` is unaccounted for.

use super::backup::{files_under, hash_file};
use super::DataDir;
use crate::error::{Error, Result};
use std::path::Path;

/// Run every check on `data`.
///
/// # Returns
/// One line saying what was checked, when all is well.
///
/// # Errors
/// `Error::Config` with one line per fault; `Error::Db` / `Error::Io` when
/// a check cannot run at all.
pub fn doctor(data: &Path, gc: bool) -> Result<String> {
    let dir = DataDir::open(data)?;
    let mut faults = Vec::new();
    let mut removed = String::new();
    if gc {
        let r = crate::media::gc(&dir.conn, data, crate::media::GC_MIN_AGE, false)?;
        removed = format!(", removed {} orphaned media files ({} bytes)", r.removed, r.bytes);
    }

    for row in crate::db::upkeep::integrity_check(&dir.conn)? {
        if row != "ok" {
            faults.push(format!("database: {row}"));
        }
    }
    for (table, rowid, parent) in crate::db::upkeep::foreign_key_check(&dir.conn)? {
        let rowid = rowid.map_or("?".into(), |r| r.to_string());
        faults.push(format!("database: {table} row {rowid} refers to a missing {parent} row"));
    }

    let log = super::check_log(&dir, None)?;
    faults.extend(log.faults);

    let store = crate::media::Store::new(data);
    let refs = crate::db::media::all_refs(&dir.conn)?;
    for hash in &refs {
        let path = store.path(hash);
        match hash_file(&path) {
            Ok((_, sha256)) if &sha256 == hash => {}
            Ok((_, sha256)) => faults.push(format!("media: {hash}: corrupted, its content hashes to {sha256}")),
            Err(_) => faults.push(format!("media: {hash}: missing, a post or avatar refers to it")),
        }
    }
    let orphans = crate::media::orphans(&dir.conn, data)?;
    // Younger orphans are uploads in flight, not faults.
    for o in orphans.iter().filter(|o| o.age_secs >= crate::media::GC_MIN_AGE.as_secs()) {
        faults.push(format!(
            "media: {}: orphan, no row refers to it (plaza doctor --gc removes it)",
            o.path.strip_prefix(data).unwrap_or(&o.path).display()
        ));
    }
    let files = files_under(data, &data.join("media"))?;
    for path in &files {
        let name = path.rsplit('/').next().unwrap_or(path);
        let known = crate::media::is_hash(name) && refs.contains(name);
        let orphan = orphans.iter().any(|o| o.path == data.join(path));
        if !known && !orphan {
            faults.push(format!("media: {path}: unaccounted for"));
        }
    }

    if faults.is_empty() {
        Ok(format!(
            "ok: database, foreign keys, activity log ({} entries), media ({} files){removed}",
            log.entries,
            files.len()
        ))
    } else {
        Err(Error::Config(faults.join("\n")))
    }
}
