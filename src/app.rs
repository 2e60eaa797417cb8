//! The shared state of a running server: configuration, keys, and the cached
//! site settings and current agreement that every page needs.

use crate::config::Config;
use crate::crypto::{Keys, PasswordHasher};
use crate::db::log::HeadFile;
use crate::db::settings::{self, Agreement, SiteSettings};
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::sync::{Arc, RwLock};

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
    /// The signed head of the activity log (R16.3), rewritten after commits.
    pub log_head: HeadFile,
    /// Webhook calls (SMS sender, identity verification) off the workers (R7.1, R7.2).
    pub jobs: crate::identity::Jobs,
    site: RwLock<Arc<SiteState>>,
}

impl App {
    /// Build the state from an open, migrated database.
    ///
    /// # Errors
    /// `Error::Db`, `Error::Io` for the head's lock file or the webhook thread, or
    /// `Error::Internal` when no agreement was ever published
    /// (`server::prepare_data` publishes the default one).
    pub fn new(config: Config, keys: Keys, conn: &Connection) -> Result<App> {
        let state = load_site(conn)?;
        // At most half the workers may wait on a hash; the rest keep serving pages.
        let hasher = PasswordHasher::new(config.hash_threads, (config.workers / 2).max(1), config.bcrypt_cost);
        let log_head = HeadFile::new(&config.data_dir, &keys.audit)?;
        let jobs = crate::identity::Jobs::start(&config, &keys)?;
        Ok(App { config, keys, hasher, log_head, jobs, site: RwLock::new(Arc::new(state)) })
    }

    /// Run `f` in one write transaction (`db::write`), then bring the signed
    /// log head up to date (R16.3). A head that cannot be written is reported
    /// on stderr: the change is committed, and verify will say the head lags.
    ///
    /// # Errors
    /// Whatever `db::write` returns.
    pub fn write<T>(&self, conn: &Connection, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let out = crate::db::write(conn, f)?;
        if let Err(e) = self.log_head.sync(conn, self.now()) {
            eprintln!("plaza: log head: {e}");
        }
        Ok(out)
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
