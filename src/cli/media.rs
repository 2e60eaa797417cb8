//! `plaza media gc`: remove media files nothing references any more (R2.2).

use super::DataDir;
use crate::error::Result;
use std::path::Path;

/// Remove media files no database row references that are at least
/// `min_age` old. Safe while the server runs: each removal re-checks, inside
/// a write transaction, that nothing took the file.
///
/// # Returns
/// `removed N files (B bytes), kept M younger than S s` (`would remove` with
/// `dry_run`).
pub fn media_gc(data: &Path, min_age: std::time::Duration, dry_run: bool) -> Result<String> {
    let dir = DataDir::open(data)?;
    let r = crate::media::gc(&dir.conn, data, min_age, dry_run)?;
    Ok(format!(
        "{} {} files ({} bytes), kept {} younger than {} s",
        if dry_run { "would remove" } else { "removed" },
        r.removed,
        r.bytes,
        r.young,
        min_age.as_secs()
    ))
}
