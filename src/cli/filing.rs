//! `plaza filing export verified`: the verified (badge-holding) accounts for
//! filing with the regulator, by category and province of registration
//! (R10.2), as CSV. `plaza filing export tiers`: the tier rules (R9.2).

use super::DataDir;
use crate::config::Config;
use crate::db::verification;
use crate::domain::dates::format_day as date;
use crate::error::{Error, Result};
use std::path::Path;

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
    let off = &cfg.zone;
    let rows: Vec<Vec<String>> = verification::filing(&dir.conn)?
        .iter()
        .map(|r| {
            vec![
                r.username.clone(),
                r.subject_type.clone(),
                r.certified_name.clone(),
                r.province.clone().unwrap_or_default(),
                date(r.applied_at, off),
                date(r.approved_at, off),
                r.identity_verified_at.map(|t| date(t, off)).unwrap_or_default(),
            ]
        })
        .collect();
    let header =
        ["username", "subject_type", "certified_name", "province", "applied_on", "approved_on", "identity_verified_on"];
    write_csv(&dir, out, &header, &rows, "verified accounts")
}

/// Write `header` and `rows` as CSV to `out` (never overwritten), fsync it,
/// and log the export (`filing.export`, the file name and the row count).
///
/// # Errors
/// `Error::Config` when `out` exists or cannot be created; `Error::Io`, `Error::Db`.
fn write_csv(dir: &DataDir, out: &Path, header: &[&str], rows: &[Vec<String>], what: &str) -> Result<String> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| Error::Config(format!("cannot create {}: {e}", out.display())))?;
    let mut w = csv::Writer::from_writer(file);
    let csv_err = |e: csv::Error| Error::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(csv_err)?;
    for r in rows {
        w.write_record(r).map_err(csv_err)?;
    }
    w.flush()?;
    w.into_inner().map_err(|e| Error::Internal(format!("csv: {e}")))?.sync_all()?;
    let now = crate::clock::now();
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let summary = format!("{} {what}", rows.len());
    dir.write(now, |tx| dir.log(tx, now, "filing export", "filing.export", &format!("file:{name}"), &summary))?;
    Ok(format!("exported {summary} to {}", out.display()))
}

/// Write the tier rules to `out` (never overwritten) in the order they are
/// tried (R9.2): `order, id, subject_type, min_followers, max_followers,
/// credit_level, credit_min_score, content_kind, in_emergency_only,
/// daily_quota, pre_review, media_allowed, reposts_allowed,
/// comments_allowed, note, muted_within_days`. Empty means "any" / "no limit". The export is logged.
///
/// # Errors
/// `Error::Config` when `out` exists or cannot be created; `Error::Db`.
pub fn filing_export_tiers(cfg: &Config, out: &Path) -> Result<String> {
    let dir = DataDir::open(&cfg.data_dir)?;
    let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
    let rows: Vec<Vec<String>> = crate::db::tiers::rules(&dir.conn)?
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let min_score = crate::domain::credit::Level::ALL
                .iter()
                .position(|l| l.as_str() == r.credit_level)
                .map(|p| cfg.credit_levels.get(p).map(|s| s.to_string()).unwrap_or_else(|| "0".into()))
                .unwrap_or_default();
            vec![
                (i + 1).to_string(),
                r.id.to_string(),
                r.subject_type.clone(),
                r.min_followers.to_string(),
                r.max_followers.map(|m| m.to_string()).unwrap_or_default(),
                r.credit_level.clone(),
                min_score,
                r.content_kind.clone(),
                yn(r.in_emergency),
                r.daily_quota.map(|q| q.to_string()).unwrap_or_default(),
                yn(r.pre_review),
                yn(r.media_allowed),
                yn(r.reposts_allowed),
                yn(r.comments_allowed),
                r.note.clone(),
                r.muted_within_days.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "order",
        "id",
        "subject_type",
        "min_followers",
        "max_followers",
        "credit_level",
        "credit_min_score",
        "content_kind",
        "in_emergency_only",
        "daily_quota",
        "pre_review",
        "media_allowed",
        "reposts_allowed",
        "comments_allowed",
        "note",
        "muted_within_days",
    ];
    write_csv(&dir, out, &header, &rows, "tier rules")
}
