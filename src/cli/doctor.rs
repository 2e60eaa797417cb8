//! `plaza doctor`: every health check of a data folder, one line per fault.
//!
//! - the database: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
//! - the activity log: the chain, its checkpoint and the signed head (R16.3);
//! - media: every file under `media/` named by 64 hex characters must hash
//!   to its name (SHA-256); any other file is reported as unaccounted for.
//!   Media references are found by convention: any column named `sha256`
//!   or ending in `_sha256` (hex text or 32 raw bytes) names a file
//!   `media/<hex>`, which must be there; once such a column exists, a media
//!   file no row names is reported as an orphan.

use super::backup::{files_under, hash_file};
use super::DataDir;
use crate::error::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Is `name` 64 lowercase hex characters (a SHA-256 file name)?
fn is_hash_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every media hash the database names, with the first `table.column` that
/// names it; and whether any referencing column exists at all.
fn media_references(dir: &DataDir) -> Result<(BTreeMap<String, String>, bool)> {
    let tables: Vec<String> = dir
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut refs = BTreeMap::new();
    let mut any_column = false;
    for t in tables {
        let cols: Vec<String> = dir
            .conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{}')", t.replace('\'', "''")))?
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        for c in cols.into_iter().filter(|c| c == "sha256" || c.ends_with("_sha256")) {
            any_column = true;
            let sql =
                format!("SELECT \"{}\" FROM \"{}\" WHERE \"{0}\" IS NOT NULL", c.replace('"', ""), t.replace('"', ""));
            let mut stmt = dir.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let hex = match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Text(s) => String::from_utf8_lossy(s).to_ascii_lowercase(),
                    rusqlite::types::ValueRef::Blob(b) if b.len() == 32 => hex::encode(b),
                    _ => continue,
                };
                if is_hash_name(&hex) {
                    refs.entry(hex).or_insert_with(|| format!("{t}.{c}"));
                }
            }
        }
    }
    Ok((refs, any_column))
}

/// Run every check on `data`.
///
/// # Returns
/// One line saying what was checked, when all is well.
///
/// # Errors
/// `Error::Config` with one line per fault; `Error::Db` / `Error::Io` when
/// a check cannot run at all.
pub fn doctor(data: &Path) -> Result<String> {
    let dir = DataDir::open(data)?;
    let mut faults = Vec::new();

    let mut stmt = dir.conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            faults.push(format!("database: {row}"));
        }
    }
    let mut stmt = dir.conn.prepare("PRAGMA foreign_key_check")?;
    let fk =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?)))?;
    for row in fk {
        let (table, rowid, parent) = row?;
        let rowid = rowid.map_or("?".into(), |r| r.to_string());
        faults.push(format!("database: {table} row {rowid} refers to a missing {parent} row"));
    }

    let log = super::check_log(&dir, None)?;
    faults.extend(log.faults);

    let (refs, any_column) = media_references(&dir)?;
    let mut present = BTreeSet::new();
    let files = files_under(data, &data.join("media"))?;
    for path in &files {
        let name = path.rsplit('/').next().unwrap_or(path);
        if !is_hash_name(name) {
            faults.push(format!("media: {path}: not named by its SHA-256, unaccounted for"));
            continue;
        }
        let (_, sha256) = hash_file(&data.join(path))?;
        if sha256 != name {
            faults.push(format!("media: {path}: corrupted, its content hashes to {sha256}"));
        }
        present.insert(name.to_string());
        if any_column && !refs.contains_key(name) {
            faults.push(format!("media: {path}: orphan, no row refers to it"));
        }
    }
    for (hash, by) in &refs {
        if !present.contains(hash) {
            faults.push(format!("media: {hash}: missing, referred to by {by}"));
        }
    }

    if faults.is_empty() {
        Ok(format!("ok: database, foreign keys, activity log ({} entries), media ({} files)", log.entries, files.len()))
    } else {
        Err(Error::Config(faults.join("\n")))
    }
}
