//! Litestream itself: finding the binary, its configuration, running its
//! commands with a deadline, and the lag read from its files.

use super::{Target, BIN_VAR, DB_REPLICA, LITESTREAM_CONFIG};
use crate::db;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// How long a reachability check of a remote target may take.
pub const REACH_TIMEOUT: Duration = Duration::from_secs(15);

/// The `litestream` binary: `PLAZA_LITESTREAM`, else `configured` (the
/// `litestream_bin` setting) when not empty, else `litestream` on `PATH`.
pub fn find_binary(configured: &str) -> Option<PathBuf> {
    let given = std::env::var(BIN_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| Some(configured.to_string()).filter(|v| !v.trim().is_empty()));
    if let Some(g) = given {
        let p = PathBuf::from(g.trim());
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("litestream")).find(|p| p.is_file())
}

/// Litestream's configuration for the database of `data` (absolute) and
/// `target`. Only what Plaza needs is set: Litestream's own checkpoint
/// settings stay at their defaults (README, "Surviving a dead disk").
pub fn litestream_yaml(data: &Path, target: &Target, interval_ms: u64) -> String {
    // YAML takes JSON's double-quoted strings.
    let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let monitor = (interval_ms / 4).clamp(50, 1000);
    format!(
        "# Written by `plaza replication config`; it rewrites this file. The server runs\n\
         # `litestream replicate -config` on it. Do not add checkpoint settings: see README.\n\
         dbs:\n  - path: {db}\n    monitor-interval: {monitor}ms\n    replica:\n      url: {url}\n      \
         sync-interval: {interval_ms}ms\n",
        db = q(&data.join(db::DB_FILE).display().to_string()),
        url = q(&target.db_url()),
    )
}

/// Run `litestream ARGS` with a deadline: (success, stdout, stderr).
///
/// # Errors
/// `Error::Config` when it cannot be started or does not finish in time.
pub fn run_litestream(bin: &Path, args: &[&str], timeout: Duration) -> Result<(bool, String, String)> {
    let mut child = Command::new(bin)
        .args(args)
        // A CA bundle meant for other tools makes Litestream's S3 client refuse to start.
        .env_remove("AWS_CA_BUNDLE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Config(format!("cannot run {}: {e}", bin.display())))?;
    let started = Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            let out = child.wait_with_output()?;
            return Ok((
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::Config(format!(
                "{} {} gave no answer within {} s",
                bin.display(),
                args.join(" "),
                timeout.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The last line of a command's error output, for a message.
pub fn last_line(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim()
}

/// Check that Litestream can list the replica at `target` with the
/// configuration `yml` (a remote target's reachability).
///
/// # Errors
/// `Error::Config` saying why the target cannot be reached.
pub fn check_reachable(bin: &Path, yml: &Path, db_path: &Path, target: &Target) -> Result<()> {
    let (yml, db_path) = (yml.display().to_string(), db_path.display().to_string());
    match run_litestream(bin, &["ltx", "-config", &yml, "-level", "all", "-json", &db_path], REACH_TIMEOUT) {
        Ok((true, _, _)) => Ok(()),
        Ok((false, _, err)) => Err(Error::Config(format!("cannot reach {}: {}", target.text(), last_line(&err)))),
        Err(e) => Err(Error::Config(format!("cannot reach {}: {e}", target.text()))),
    }
}

/// How far the replica is behind, as measured from Litestream's files.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Lag {
    /// The newest transaction Litestream captured locally (its TXID).
    pub local_txid: u64,
    /// The newest transaction on the replica.
    pub replica_txid: u64,
    /// Seconds since the oldest captured change not yet on the replica
    /// was captured; 0 when the replica holds everything captured.
    pub seconds: u64,
    /// When the replica last received a file, UTC unix seconds.
    pub last_sync: Option<i64>,
}

/// `MIN-MAX.ltx` → MAX.
fn ltx_max(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".ltx")?;
    let (_, max) = stem.split_once('-')?;
    u64::from_str_radix(max, 16).ok()
}

pub(super) fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Every `.ltx` file under `dir/ltx/<level>/`: (max txid, modified).
fn ltx_files(dir: &Path, levels: bool) -> Vec<(u64, SystemTime)> {
    let mut out = Vec::new();
    let base = dir.join("ltx");
    let level_dirs: Vec<PathBuf> = if levels {
        std::fs::read_dir(&base).map(|r| r.flatten().map(|e| e.path()).collect()).unwrap_or_default()
    } else {
        vec![base.join("0")]
    };
    for d in level_dirs {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let (Some(max), Ok(meta)) = (ltx_max(&name), e.metadata()) {
                out.push((max, meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
            }
        }
    }
    out
}

/// Measure the lag of `data`'s replica to `target`: Litestream's local
/// files (`DATA/.plaza.db-litestream/ltx/0`) against the replica's (read
/// directly in a folder target, else listed with `litestream ltx`).
///
/// # Errors
/// `Error::Config` when Litestream has not captured anything yet or the
/// replica cannot be listed.
pub fn measure(data: &Path, target: &Target, bin: Option<&Path>) -> Result<Lag> {
    let local = ltx_files(&data.join(format!(".{}-litestream", db::DB_FILE)), false);
    if local.is_empty() {
        return Err(Error::Config("Litestream has not captured the database yet (is it running?)".into()));
    }
    let (replica_txid, last_sync) = match target {
        Target::Path(p) => {
            let files = ltx_files(&p.join(DB_REPLICA), true);
            (files.iter().map(|f| f.0).max().unwrap_or(0), files.iter().map(|f| unix(f.1)).max())
        }
        Target::Remote(_) => {
            let bin = bin.ok_or_else(|| Error::Config("litestream not found: cannot list the replica".into()))?;
            let yml = data.join(LITESTREAM_CONFIG).display().to_string();
            let db_path = data.join(db::DB_FILE).display().to_string();
            let (ok, out, err) =
                run_litestream(bin, &["ltx", "-config", &yml, "-level", "all", "-json", &db_path], REACH_TIMEOUT)?;
            if !ok {
                return Err(Error::Config(format!("cannot list the replica: {}", last_line(&err))));
            }
            #[derive(Deserialize)]
            struct Row {
                max_txid: String,
                timestamp: String,
            }
            let rows: Vec<Row> = serde_json::from_str(&out).unwrap_or_default();
            let max = rows.iter().filter_map(|r| u64::from_str_radix(&r.max_txid, 16).ok()).max().unwrap_or(0);
            let newest = rows
                .iter()
                .filter_map(|r| {
                    time::OffsetDateTime::parse(&r.timestamp, &time::format_description::well_known::Rfc3339).ok()
                })
                .map(|t| t.unix_timestamp())
                .max();
            (max, newest)
        }
    };
    let local_txid = local.iter().map(|f| f.0).max().unwrap_or(0);
    let now = SystemTime::now();
    let seconds = local
        .iter()
        .filter(|f| f.0 > replica_txid)
        .map(|f| now.duration_since(f.1).unwrap_or_default().as_secs())
        .max()
        .unwrap_or(0);
    Ok(Lag { local_txid, replica_txid, seconds, last_sync })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_names_the_database_and_replica() {
        let y = litestream_yaml(Path::new("/srv/plaza"), &Target::Path("/mnt/b".into()), 1000);
        assert!(y.contains("- path: \"/srv/plaza/plaza.db\""), "{y}");
        assert!(y.contains("url: \"file:///mnt/b/db\""), "{y}");
        assert!(y.contains("sync-interval: 1000ms"), "{y}");
    }

    #[test]
    fn ltx_names() {
        assert_eq!(ltx_max("0000000000000001-000000000000000c.ltx"), Some(12));
        assert_eq!(ltx_max("x.ltx"), None);
        assert_eq!(ltx_max("0000000000000001-0000000000000002.tmp"), None);
    }
}
