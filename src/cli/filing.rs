//! `plaza filing export verified`: the verified (badge-holding) accounts for
//! filing with the regulator, by category and province of registration
//! (R10.2), as CSV.

use super::DataDir;
use crate::config::Config;
use crate::db::verification;
use crate::error::{Error, Result};
use std::path::Path;

/// A UTC unix time as a date in the site's time zone, `2026-03-01`.
fn date(unix: i64, offset_minutes: i32) -> String {
    crate::views::components::format_time(unix, offset_minutes).chars().take(10).collect()
}

/// Write every account holding a badge to `out` (never overwritten):
/// `username, subject_type, certified_name, province, applied_on,
/// approved_on, identity_verified_on`, sorted by type, province, approval.
/// The province comes from the region digits of the bound ID number or
/// credit code (empty for national-level registration). No identity number
/// is written. The export is logged.
///
/// # Errors
/// `Error::Config` when `out` exists or cannot be created; `Error::Db`.
pub fn filing_export_verified(cfg: &Config, out: &Path) -> Result<String> {
    let dir = DataDir::open(&cfg.data_dir)?;
    let rows = verification::filing(&dir.conn)?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| Error::Config(format!("cannot create {}: {e}", out.display())))?;
    let mut w = csv::Writer::from_writer(file);
    let csv_err = |e: csv::Error| Error::Internal(format!("csv: {e}"));
    w.write_record([
        "username",
        "subject_type",
        "certified_name",
        "province",
        "applied_on",
        "approved_on",
        "identity_verified_on",
    ])
    .map_err(csv_err)?;
    let off = cfg.utc_offset_minutes;
    for r in &rows {
        w.write_record([
            r.username.as_str(),
            r.subject_type.as_str(),
            r.certified_name.as_str(),
            r.province.as_deref().unwrap_or(""),
            &date(r.applied_at, off),
            &date(r.approved_at, off),
            &r.identity_verified_at.map(|t| date(t, off)).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    w.flush()?;
    w.into_inner().map_err(|e| Error::Internal(format!("csv: {e}")))?.sync_all()?;
    let now = crate::clock::now();
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.write(now, |tx| {
        dir.log(
            tx,
            now,
            "filing export",
            "filing.export",
            &format!("file:{name}"),
            &format!("{} verified accounts", rows.len()),
        )
    })?;
    Ok(format!("exported {} verified accounts to {}", rows.len(), out.display()))
}
