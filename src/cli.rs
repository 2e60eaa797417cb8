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
