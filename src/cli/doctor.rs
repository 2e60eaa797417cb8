//! `plaza doctor`: every health check of a data folder, one line per fault.
//!
//! - the database: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
//! - the append-only triggers of `schema.sql` (R16.2, R12.2, R13.1):
//!   each must be there as written; `plaza doctor --repair` puts back the
//!   missing ones and logs `db.repair`;
//! - the activity log: the chain, its checkpoint and the signed head
//!   (R16.3), and every reseal of the head, listed (not a fault);
//! - media (R2.2): every file the `media_refs` view names must be at its
//!   place (`media/ab/abcd…`) with content hashing to its name (SHA-256);
//!   files no row names are orphans (`plaza doctor --gc` removes those older
//!   than an hour); anything else under `media/` is unaccounted for.

use super::backup::{files_under, hash_file};
use super::DataDir;
use crate::error::{Error, Result};
use std::path::Path;

/// Run every check on `data`; with `repair`, first restore missing
/// triggers (logged as `db.repair`, only on a sound head: a repair is an
/// entry, and none is appended over a damaged head, R16.3).
///
/// # Returns
/// One line saying what was checked, when all is well, then one line per
/// reseal of the log head.
///
/// # Errors
/// `Error::Config` with one line per fault (and the reseal lines);
/// `Error::Db` / `Error::Io` when a check cannot run at all.
pub fn doctor(data: &Path, gc: bool, repair: bool) -> Result<String> {
    let dir = DataDir::open_unchecked(data)?;
    let mut faults = Vec::new();
    let mut removed = String::new();
    let missing = crate::db::missing_triggers(&dir.conn)?;
    if repair && !missing.is_empty() {
        match dir.head.arm(&dir.conn) {
            Ok(()) => {
                let names: Vec<&str> = missing.iter().map(|t| t.name.as_str()).collect();
                let now = crate::clock::now();
                dir.write(now, |tx| {
                    crate::db::restore_triggers(tx, &missing)?;
                    let outcome = format!("restored {} triggers", names.len());
                    dir.log(tx, now, "doctor --repair", "db.repair", &format!("triggers:{}", names.join(",")), &outcome)
                })?;
                removed.push_str(&format!(", restored triggers {}", names.join(", ")));
            }
            Err(e) => faults.push(format!("database: triggers not restored: {e}")),
        }
    }
    for t in crate::db::missing_triggers(&dir.conn)? {
        faults.push(format!(
            "database: trigger {} is missing or altered (an append-only guard of schema.sql): \
             plaza doctor --repair restores it",
            t.name
        ));
    }
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
    faults.extend(log.faults.iter().cloned());

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
        let mut out = format!(
            "ok: database, foreign keys, activity log ({} entries), media ({} files), append-only triggers{removed}",
            log.entries,
            files.len()
        );
        for r in &log.reseals {
            out.push('\n');
            out.push_str(r);
        }
        Ok(out)
    } else {
        faults.extend(log.reseals);
        Err(Error::Config(faults.join("\n")))
    }
}
