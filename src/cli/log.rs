//! `plaza log verify | prune | export | reseal`: the activity log for the
//! operator and the authorities (R16.2, R16.3).

use super::{progress, DataDir};
use crate::config::Config;
use crate::db::{self, log::Source};
use crate::domain::audit::{self, Head};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// What a full check of the activity log found (R16.3).
#[derive(Debug, Clone)]
pub struct LogCheck {
    /// Entries in the table that verified.
    pub entries: u64,
    /// One line per fault; empty when the log is intact.
    pub faults: Vec<String>,
    /// One line per `log.reseal` entry in the chain, oldest first: every
    /// time the signed head was replaced, when, by whom and why.
    pub reseals: Vec<String>,
}

/// Walk the chain and compare it with the signed head file (and the
/// witness of the newest head the site signed, [`db::log::HeadState`]), and
/// with `extra_head` (a head line the operator kept elsewhere) when given.
///
/// # Errors
/// `Error::Db` or `Error::Io` when the log cannot be read at all.
pub fn check_log(dir: &DataDir, extra_head: Option<&str>) -> Result<LogCheck> {
    use db::log::{HeadState, HEAD_FILE};
    let mut faults = Vec::new();
    let entries = match db::log::verify(&dir.conn, &dir.keys.audit)? {
        Ok(n) => n,
        Err(b) => {
            faults.push(format!("log: broken at entry {}: {}", b.id, b.reason));
            0
        }
    };
    let newest = db::log::newest(&dir.conn)?;
    match dir.head.state(&dir.conn)? {
        HeadState::Fresh | HeadState::Sound(_) => {}
        HeadState::Missing { entries, witness } if witness > entries => faults.push(format!(
            "log: no signed head file {HEAD_FILE}, and the log ends at entry {entries} although a head for \
             {witness} entries was signed: the newest entries were cut off"
        )),
        HeadState::Missing { .. } => faults.push(format!(
            "log: no signed head file {HEAD_FILE}: cannot rule out that the newest entries were cut off"
        )),
        HeadState::Unreadable(e) => faults.push(format!("log: {HEAD_FILE}: unreadable: {e}")),
        HeadState::Forged(reason) => faults.push(format!("log: {HEAD_FILE}: {reason}")),
        HeadState::Mismatch { head, fault } => {
            faults.push(format!("log: {fault} ({HEAD_FILE}, signed at unix time {})", head.at))
        }
        HeadState::Older { head, witness } => faults.push(format!(
            "log: {HEAD_FILE} is older than a head this site already signed: it counts {} entries, \
             {witness} were signed (an older head was copied back; entries after it may have been cut)",
            head.entries
        )),
    }
    if let Some(line) = extra_head {
        match Head::decode(line.trim(), &dir.keys.audit) {
            Ok(head) => {
                let at = if head.entries > 0 { db::log::hash_at(&dir.conn, head.entries)? } else { None };
                if let Some(fault) = audit::compare_head(&head, newest, at) {
                    faults.push(format!("log: {fault} (the given head, signed at unix time {})", head.at));
                }
            }
            Err(reason) => faults.push(format!("log: the given head: {reason}")),
        }
    }
    let reseals = db::log::reseals(&dir.conn)?
        .into_iter()
        .map(|r| {
            format!(
                "log: head resealed at entry {} on {} by {}: {}",
                r.id,
                crate::domain::dates::rfc3339(r.at),
                r.user_agent,
                r.outcome
            )
        })
        .collect();
    Ok(LogCheck { entries, faults, reseals })
}

/// `plaza log verify [--head LINE]`: walk the activity-log chain and
/// compare it with the signed head (R16.3). Works on any head, sound or
/// not: it reports, and never writes.
///
/// # Returns
/// `ok N entries`, followed by one line per reseal of the head.
///
/// # Errors
/// `Error::Config` with one line per fault (the first broken entry by id, a
/// truncated tail, a head that is missing, forged, older or does not
/// match), and the reseal lines.
pub fn log_verify(data: &Path, extra_head: Option<&str>) -> Result<String> {
    let dir = DataDir::open_unchecked(data)?;
    let check = check_log(&dir, extra_head)?;
    if check.faults.is_empty() {
        let mut out = match db::log::checkpoint(&dir.conn, &dir.keys.audit)? {
            Some(Ok(cp)) => {
                format!("ok {} entries after the pruning checkpoint at entry {}", check.entries, cp.last_id)
            }
            _ => format!("ok {} entries", check.entries),
        };
        for r in &check.reseals {
            out.push('\n');
            out.push_str(r);
        }
        Ok(out)
    } else {
        Err(Error::Config(check.faults.iter().chain(&check.reseals).cloned().collect::<Vec<_>>().join("\n")))
    }
}

/// `plaza log reseal --reason TEXT [--operator NAME]`: replace a missing,
/// unreadable, forged, older or mismatching head (R16.3). Appends a
/// `log.reseal` entry (source `cli`) carrying the old head's state, the
/// operator (given, or the login name from `$USER` / `$LOGNAME`) and the
/// reason, and only then signs a new head; the damaged head file is kept as
/// `log.head.replaced-UNIXTIME`. `log verify` and `doctor` list every
/// reseal from then on.
///
/// # Returns
/// What was replaced and the new head line (to keep elsewhere).
///
/// # Errors
/// `Error::Config` when the head is sound (nothing to reseal) or no reason
/// is given; `Error::Db` / `Error::Io`.
pub fn log_reseal(data: &Path, reason: &str, operator: Option<&str>) -> Result<String> {
    let dir = DataDir::open_unchecked(data)?;
    let operator = operator
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(|| "unknown".into());
    let now = crate::clock::now();
    let (old, line) = dir.head.reseal(&dir.conn, &Source::cli("log reseal"), &operator, reason, now)?;
    Ok(format!(
        "resealed the activity-log head (logged as log.reseal).\nold head: {old}\nnew head: {line}\n\
         Keep the new head line somewhere else: `plaza log verify --head LINE` checks against it."
    ))
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

/// What `plaza log export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// The filters of `plaza log export`, as typed.
#[derive(Debug, Clone, Default)]
pub struct ExportArgs {
    pub account: Option<String>,
    pub action: Option<String>,
    pub ip: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub out: PathBuf,
    pub format: Option<ExportFormat>,
}

/// `plaza log export`: the entries matching the filters, oldest first, as
/// CSV or JSON Lines (by `--format` or the file's extension), for the
/// authorities (R16.3). Dates are days or minutes in the site's time zone,
/// or RFC 3339; `--to` includes its whole day. The export is logged.
///
/// # Errors
/// `Error::Config` for an unknown account, a bad date, an unknown format or
/// an existing output file (an export never overwrites).
pub fn log_export(config: &Config, args: &ExportArgs) -> Result<String> {
    use crate::domain::dates::{self, Bound};
    use std::io::Write;
    let dir = DataDir::open(&config.data_dir)?;
    let format = match args.format {
        Some(f) => f,
        None => match args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => ExportFormat::Csv,
            Some("jsonl" | "ndjson" | "json") => ExportFormat::Jsonl,
            _ => return Err(Error::Config("name the output .csv or .jsonl, or give --format csv|jsonl".into())),
        },
    };
    let mut filter = db::log::Filter { action: args.action.clone(), ip: args.ip.clone(), ..Default::default() };
    if let Some(name) = &args.account {
        let u = db::users::by_username(&dir.conn, name.trim_start_matches('@'))?
            .ok_or_else(|| Error::Config(format!("no account named {name:?}")))?;
        filter.account_id = Some(u.id);
    }
    let offset = &config.zone;
    if let Some(t) = &args.from {
        filter.from = Some(dates::parse(t, offset, Bound::From).map_err(Error::Config)?);
    }
    if let Some(t) = &args.to {
        filter.to = Some(dates::parse(t, offset, Bound::To).map_err(Error::Config)?);
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.out)
        .map_err(|e| Error::Config(format!("cannot create {}: {e}", args.out.display())))?;
    let total = db::log::count(&dir.conn, &filter)?;
    let bar = progress(total, "exporting", false);
    let mut out = std::io::BufWriter::new(file);
    let mut n = 0u64;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            db::log::for_each(&dir.conn, &filter, |r| {
                w.serialize(ExportRow::from(&r)).map_err(|e| Error::Io(std::io::Error::other(e)))?;
                n += 1;
                bar.inc(1);
                Ok(())
            })?;
            if n == 0 {
                // serde writes the header with the first row; an empty export still gets one.
                w.write_record(ExportRow::COLUMNS).map_err(|e| Error::Io(std::io::Error::other(e)))?;
            }
            w.flush()?;
        }
        ExportFormat::Jsonl => {
            db::log::for_each(&dir.conn, &filter, |r| {
                serde_json::to_writer(&mut out, &ExportRow::from(&r)).map_err(|e| Error::Internal(e.to_string()))?;
                out.write_all(b"\n")?;
                n += 1;
                bar.inc(1);
                Ok(())
            })?;
        }
    }
    out.flush()?;
    out.get_ref().sync_all()?;
    bar.finish_and_clear();
    let what = describe_filter(args);
    let now = crate::clock::now();
    let kind = if format == ExportFormat::Csv { "csv" } else { "jsonl" };
    dir.write(now, |tx| {
        dir.log(tx, now, "log export", "log.export", &format!("log:{what}"), &format!("{n} entries, {kind}"))
    })?;
    Ok(format!("exported {n} entries to {}", args.out.display()))
}

/// One exported entry: the same fields, in this order, in CSV and JSON Lines.
#[derive(Debug, serde::Serialize)]
struct ExportRow<'a> {
    id: i64,
    /// RFC 3339, UTC.
    time_utc: String,
    /// UTC unix seconds.
    at: i64,
    account_id: Option<i64>,
    username: Option<&'a str>,
    ip: &'a str,
    port: u16,
    user_agent: &'a str,
    action: &'a str,
    target: &'a str,
    outcome: &'a str,
    /// The entry's chain hash, hex.
    hash: &'a str,
}

impl ExportRow<'_> {
    const COLUMNS: [&'static str; 12] = [
        "id",
        "time_utc",
        "at",
        "account_id",
        "username",
        "ip",
        "port",
        "user_agent",
        "action",
        "target",
        "outcome",
        "hash",
    ];
}

impl<'a> From<&'a db::log::LogRow> for ExportRow<'a> {
    fn from(r: &'a db::log::LogRow) -> Self {
        ExportRow {
            id: r.id,
            time_utc: crate::domain::dates::rfc3339(r.at),
            at: r.at,
            account_id: r.account_id,
            username: r.username.as_deref(),
            ip: &r.ip,
            port: r.port,
            user_agent: &r.user_agent,
            action: &r.action,
            target: &r.target,
            outcome: &r.outcome,
            hash: &r.hash,
        }
    }
}

/// The filters of an export, for its own log entry.
fn describe_filter(a: &ExportArgs) -> String {
    let parts: Vec<String> =
        [("account", &a.account), ("action", &a.action), ("ip", &a.ip), ("from", &a.from), ("to", &a.to)]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
            .collect();
    if parts.is_empty() {
        "all".into()
    } else {
        parts.join(" ")
    }
}
