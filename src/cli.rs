//! Operator subcommands other than `serve`: each is one function the CLI
//! entry calls, working on a data folder that a running server may share.

use crate::crypto::Keys;
use crate::db;
use crate::error::{Error, Result};
use std::path::Path;

/// `plaza log verify`: walk the activity-log chain (R16.3).
///
/// # Returns
/// `ok N entries`, or an error naming the first broken entry.
pub fn log_verify(data: &Path) -> Result<String> {
    let db_path = data.join(db::DB_FILE);
    if !db_path.exists() {
        return Err(Error::Config(format!("no database at {}", db_path.display())));
    }
    let keys = Keys::load_or_create(data)?;
    let conn = db::open(&db_path)?;
    match db::log::verify(&conn, &keys.audit)? {
        Ok(n) => Ok(format!("ok {n} entries")),
        Err(b) => Err(Error::Config(format!("broken at entry {}: {}", b.id, b.reason))),
    }
}

/// `plaza media gc`: remove media files no database row references that are
/// at least `min_age` old (R2.2). Safe while the server runs: each removal
/// re-checks, inside a write transaction, that nothing took the file.
///
/// # Returns
/// `removed N files (B bytes), kept M younger than S s` (`would remove` with
/// `dry_run`).
pub fn media_gc(data: &Path, min_age: std::time::Duration, dry_run: bool) -> Result<String> {
    let db_path = data.join(db::DB_FILE);
    if !db_path.exists() {
        return Err(Error::Config(format!("no database at {}", db_path.display())));
    }
    let conn = db::open(&db_path)?;
    let r = crate::media::gc(&conn, data, min_age, dry_run)?;
    Ok(format!(
        "{} {} files ({} bytes), kept {} younger than {} s",
        if dry_run { "would remove" } else { "removed" },
        r.removed,
        r.bytes,
        r.young,
        min_age.as_secs()
    ))
}
