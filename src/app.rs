//! The shared state of a running server: configuration, keys, and the cached
//! site settings and current agreement that every page needs, and the
//! cached governance state (keyword matcher, emergency switches); and
//! [`prepare_data`], which readies a data folder for the server or a command.

use crate::config::Config;
use crate::crypto::{Keys, PasswordHasher};
use crate::db;
use crate::db::log::{HeadFile, Source};
use crate::db::settings::{self, Agreement, SiteSettings};
use crate::domain::keywords::KeywordMatcher;
use crate::domain::moderation::Emergency;
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

/// The agreement and rules a new site starts with (R6.1); admins replace them.
const DEFAULT_AGREEMENT: &str = include_str!("../assets/default-agreement.txt");
const DEFAULT_RULES: &str = include_str!("../assets/default-rules.txt");

/// Create the data folder's parts (database, key file, media folder),
/// remove upload temp files a killed server left (R2.2), apply migrations,
/// check the signed log head (R16.3) and publish the default agreement on a
/// new database. Never run it on a folder a server is using.
///
/// # Errors
/// `Error::Io`, `Error::Db` or `Error::Config` with a message for the
/// operator, e.g. a head that does not match the log
/// ([`db::log::refusal`]).
pub fn prepare_data(data: &Path) -> Result<(Keys, rusqlite::Connection)> {
    let store = crate::media::Store::new(data);
    // Only the server's account reads the data folder (issue 15).
    for d in [data.to_path_buf(), data.join("media"), store.tmp_dir()] {
        crate::private::dir(&d)
            .map_err(|e| Error::Config(format!("cannot create data folder {}: {e}", d.display())))?;
    }
    // Uploads in flight when the server was last killed never finished
    // (issue 14: they made doctor fail until media gc ran).
    match store.remove_temp_files() {
        Ok(0) => {}
        Ok(n) => eprintln!("plaza: removed {n} upload temp files left by the last run"),
        Err(e) => eprintln!("plaza: removing upload temp files left by the last run: {e}"),
    }
    let keys = Keys::load_or_create(data)?;
    let mut conn = db::open(&data.join(db::DB_FILE))?;
    db::migrate(&mut conn)?;
    // R16.3: a missing, forged or mismatching head stops the start here,
    // before anything is appended.
    let head = HeadFile::new(data, &keys.audit)?;
    head.arm(&conn)?;
    if settings::current_agreement(&conn)?.is_none() {
        let now = crate::clock::now();
        db::write(&conn, |tx| {
            settings::publish_agreement(tx, DEFAULT_AGREEMENT, DEFAULT_RULES, None, now)?;
            db::log::append(tx, &keys.audit, &Source::cli("serve"), now, "agreement.publish", "agreement:1", "ok")
        })?;
        head.sync(&conn, now)?;
    }
    Ok((keys, conn))
}

/// Below this many free bytes on the data folder's file system the
/// storage counts as full: the server starts read-only (a write would only
/// fail later, half done) and stays marked full (issue 14).
pub const MIN_FREE_BYTES: u64 = 1 << 20;

/// How often a server marked full checks again for room.
const STORAGE_RECHECK: std::time::Duration = std::time::Duration::from_secs(10);

/// What every publish and every page checks (R12.1, R6.4): the compiled
/// keyword matcher and the emergency switches, as of `version` of the
/// `governance` row. Rebuilt when that version moves, whichever worker or
/// command moved it.
#[derive(Debug, Clone)]
pub struct Governance {
    pub version: i64,
    pub matcher: KeywordMatcher,
    pub emergency: Emergency,
}

/// What every page shows and checks: settings (R4.1) and the current
/// agreement (R6.1). Cached; reloaded after an admin saves.
#[derive(Debug, Clone)]
pub struct SiteState {
    pub settings: SiteSettings,
    pub agreement: Agreement,
}

/// Shared by every worker thread.
#[derive(Debug)]
pub struct App {
    pub config: Config,
    pub keys: Keys,
    /// bcrypt off the request workers (crypto::PasswordHasher).
    pub hasher: PasswordHasher,
    /// Recent failed logins per (account, address) and per address, to slow
    /// down password guessing (never a lock on an account).
    pub login_throttle: Mutex<crate::domain::account::LoginThrottle>,
    /// Recent wrong passwords typed by signed-in accounts (password change,
    /// account close), keyed `user:ID`: a stolen session guesses slowly.
    pub reauth_throttle: Mutex<crate::domain::throttle::Backoff>,
    /// The composer's `@`/`#` suggestion requests per account, keyed
    /// `user:ID` (issue 18): a cap, so the endpoint cannot list members fast.
    pub autocomplete_rate: Mutex<crate::domain::throttle::Rate>,
    /// The signed head of the activity log (R16.3), rewritten after commits.
    pub log_head: HeadFile,
    /// Webhook calls (SMS sender, identity verification) off the workers (R7.1, R7.2).
    pub jobs: crate::outbound::Jobs,
    /// Replication to a second disk as last measured (issue 14).
    pub replication: crate::replication::Replication,
    /// The last write failed for lack of space (or the server started on a
    /// full disk): admins see a banner on every page until a write that
    /// changes something succeeds again (issue 14).
    storage_full: std::sync::atomic::AtomicBool,
    /// When the storage was last checked for room again.
    storage_checked: Mutex<Option<std::time::Instant>>,
    /// Threads in [`App::write`] now: more than one, and the signed head
    /// may be rewritten by the head thread rather than before answering.
    writers: std::sync::atomic::AtomicU32,
    site: RwLock<Arc<SiteState>>,
    governance: RwLock<Arc<Governance>>,
    /// One rebuild of the matcher at a time.
    governance_reload: Mutex<()>,
    /// The client API's Account entities as embedded in statuses (issue 19).
    pub api_accounts: crate::views::api::EmbedCache,
}

impl App {
    /// Build the state from an open, migrated database.
    ///
    /// # Errors
    /// `Error::Config` when the signed log head does not match the log
    /// (R16.3, [`HeadFile::arm`]); `Error::Db`, `Error::Io` for the head's
    /// lock file or the webhook thread, or
    /// `Error::Internal` when no agreement was ever published
    /// ([`prepare_data`] publishes the default one).
    pub fn new(config: Config, keys: Keys, conn: &Connection) -> Result<App> {
        let state = load_site(conn)?;
        // Requests that hash run in their own lane of `hash_threads + 1`
        // workers (server::io), so this queue never fills from there.
        let hasher = PasswordHasher::new(
            config.hash_threads,
            config.hash_threads + 1 + config.write_workers,
            config.bcrypt_cost,
            keys.password_pepper,
        );
        let log_head = HeadFile::new(&config.data_dir, &keys.audit)?;
        // R16.3: never start on a head that does not match the log.
        log_head.arm(conn)?;
        let jobs = crate::outbound::Jobs::start(&config, &keys)?;
        let governance = RwLock::new(Arc::new(load_governance(conn)?));
        let replication = crate::replication::Replication::new(config.replication_lag_alert_seconds);
        Ok(App {
            config,
            keys,
            hasher,
            login_throttle: Mutex::default(),
            reauth_throttle: Mutex::new(crate::domain::throttle::Backoff::new(crate::domain::throttle::REAUTH)),
            autocomplete_rate: Mutex::new(crate::domain::throttle::Rate::new(
                crate::domain::throttle::AUTOCOMPLETE_PER_MINUTE,
                60,
            )),
            log_head,
            replication,
            jobs,
            storage_full: std::sync::atomic::AtomicBool::new(false),
            writers: std::sync::atomic::AtomicU32::new(0),
            storage_checked: Mutex::new(None),
            site: RwLock::new(Arc::new(state)),
            governance,
            governance_reload: Mutex::new(()),
            api_accounts: Default::default(),
        })
    }

    /// Run `f` in one write transaction (`db::write`, group commit), then
    /// bring the signed log head up to date (R16.3): before returning, or on
    /// a busy server within [`crate::db::log::HEAD_EVERY`]
    /// ([`HeadFile::sync_or_defer`]). The transaction also
    /// records the head witness now and then ([`HeadFile::witness`]).
    ///
    /// A head that cannot be written, or that went missing or bad while the
    /// server runs, is reported on stderr (loudly, then once a minute) and
    /// left alone: the change is committed and durable, the server keeps
    /// serving and logging, and stops rewriting the head until the operator
    /// runs `plaza log reseal` ([`HeadFile::sync`]).
    ///
    /// # Errors
    /// Whatever `db::write` returns.
    pub fn write<T>(&self, conn: &Connection, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let before = conn.total_changes();
        self.writers.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let out = crate::db::write(conn, |tx| {
            // The witness is a lower bound: failing to move it never fails the write.
            if let Err(e) = self.log_head.witness(tx, false) {
                eprintln!("plaza: log head witness: {e}");
            }
            f(tx)
        });
        match &out {
            Err(Error::StorageFull(why)) => self.note_storage_full(why),
            Ok(_) if conn.total_changes() > before => self.recheck_storage(conn),
            _ => {}
        }
        let others = self.writers.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) > 1;
        let out = out?;
        self.log_head.sync_or_defer(conn, self.now(), others);
        Ok(out)
    }

    /// Whether the last write failed for lack of space (admins see a banner).
    pub fn storage_full(&self) -> bool {
        self.storage_full.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Record that a write failed for lack of space: said loudly on stderr
    /// the first time, then the admin banner stays until a write succeeds.
    pub fn note_storage_full(&self, why: &str) {
        if !self.storage_full.swap(true, std::sync::atomic::Ordering::Relaxed) {
            eprintln!("plaza: ==== STORAGE FULL ==== writes fail with 507 until space is freed ({why})");
        }
    }

    /// After a write that changed something while the storage is marked
    /// full: check again (at most every [`STORAGE_RECHECK`]) whether the
    /// database can grow and the disk has room, and clear the mark if so.
    /// A small change can fit in a page that was already there, so a
    /// successful write alone proves nothing.
    fn recheck_storage(&self, conn: &Connection) {
        if !self.storage_full() {
            return;
        }
        {
            let mut last = self.storage_checked.lock().unwrap_or_else(|p| p.into_inner());
            if last.is_some_and(|t| t.elapsed() < STORAGE_RECHECK) {
                return;
            }
            *last = Some(std::time::Instant::now());
        }
        let room = crate::db::upkeep::free_bytes(&self.config.data_dir).is_none_or(|b| b >= MIN_FREE_BYTES)
            && crate::db::upkeep::can_grow(conn).unwrap_or(false);
        if room && self.storage_full.swap(false, std::sync::atomic::Ordering::Relaxed) {
            eprintln!("plaza: storage: there is room again; writes succeed");
        }
    }

    /// The cached site state.
    pub fn site(&self) -> Arc<SiteState> {
        self.site.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reload the site state after a change.
    pub fn reload_site(&self, conn: &Connection) -> Result<()> {
        let state = load_site(conn)?;
        *self.site.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(state);
        Ok(())
    }

    /// The governance state as of now: one read of the version, and a
    /// rebuild only when it moved (a keyword rule or switch changed, in this
    /// process or another). Never call it inside a write transaction.
    ///
    /// # Errors
    /// `Error::Db`.
    pub fn governance(&self, conn: &Connection) -> Result<Arc<Governance>> {
        let version = crate::db::moderation::version(conn)?;
        let current = self.governance.read().unwrap_or_else(|p| p.into_inner()).clone();
        if current.version == version {
            return Ok(current);
        }
        let _one = self.governance_reload.lock().unwrap_or_else(|p| p.into_inner());
        let current = self.governance.read().unwrap_or_else(|p| p.into_inner()).clone();
        if current.version == version {
            return Ok(current);
        }
        let fresh = Arc::new(load_governance(conn)?);
        *self.governance.write().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// Current time, UTC unix seconds ([`crate::clock::now`]).
    pub fn now(&self) -> i64 {
        crate::clock::now()
    }
}

fn load_site(conn: &Connection) -> Result<SiteState> {
    let agreement =
        settings::current_agreement(conn)?.ok_or_else(|| Error::Internal("no service agreement published".into()))?;
    Ok(SiteState { settings: settings::load(conn)?, agreement })
}

/// Read the governance row and the rules in one read transaction, so the
/// version matches what was read.
fn load_governance(conn: &Connection) -> Result<Governance> {
    let tx = conn.unchecked_transaction()?;
    let version = crate::db::moderation::version(&tx)?;
    let emergency = crate::db::moderation::emergency(&tx)?;
    let rules = crate::db::moderation::rules(&tx)?;
    drop(tx);
    Ok(Governance { version, matcher: KeywordMatcher::new(rules), emergency })
}
