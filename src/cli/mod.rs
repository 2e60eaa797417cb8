//! Operator subcommands other than `serve`: each is one function the CLI
//! entry calls, working on a data folder that a running server may share.
//!
//! - [`log`]: `plaza log verify | prune | export | reseal` (R16.2, R16.3).
//! - [`backup`]: `plaza backup` and `plaza restore`, with a signed manifest.
//! - [`doctor`]: `plaza doctor`, every health check with one line per fault.
//! - [`media`]: `plaza media gc`, removing files nothing references (R2.2).
//! - [`replication`]: `plaza replication config | status | restore`: Litestream to a second disk (issue 14).
//! - [`users`]: `plaza user add | import`, accounts with an identity verified by the organisation (R7.1).
//! - [`filing`]: `plaza filing export verified`, verified accounts for the regulator (R10.2).
//! - [`evidence`]: `plaza evidence export` for the authorities (R12.3).
//! - [`staff`]: `plaza user role`, granting and revoking staff roles (R6.5).
//! - [`features`]: `plaza feature on | off`, with a security assessment on record (R13.1).
//! - [`seed`]: `plaza seed`, deterministic synthetic data for demos and benchmarks.
//! - [`search`]: `plaza search rebuild`, the post search index written again (issue 17).

pub mod backup;
pub mod doctor;
pub mod evidence;
pub mod features;
pub mod filing;
pub mod log;
pub mod media;
pub mod replication;
pub mod search;
pub mod seed;
pub mod staff;
pub mod users;

pub use backup::{backup, restore};
pub use doctor::doctor;
pub use evidence::evidence_export;
pub use features::{feature_switch, AssessmentArgs};
pub use filing::{filing_export_tiers, filing_export_verified};
pub use log::{check_log, log_export, log_prune, log_reseal, log_verify, ExportArgs, ExportFormat, LogCheck};
pub use media::media_gc;
pub use replication::{replication_config, replication_restore, replication_status};
pub use search::search_rebuild;
pub use staff::user_role;
pub use users::{user_add, user_import, AddArgs, ImportReport};

use crate::crypto::Keys;
use crate::db::{self, log::HeadFile, log::Source};
use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction};
use std::path::{Path, PathBuf};

/// An existing data folder opened by a command: database, keys and the
/// signed log head. Commands never create a data folder.
pub struct DataDir {
    pub path: PathBuf,
    pub conn: Connection,
    pub keys: Keys,
    pub head: HeadFile,
}

impl DataDir {
    /// Open `data` for a command that logs (R16.1): the signed log head is
    /// checked first, so a command never appends to a log whose head is
    /// missing, forged or does not match (R16.3).
    ///
    /// # Errors
    /// `Error::Config` when there is no database there, or with
    /// [`db::log::refusal`]'s message when the head is not sound.
    pub fn open(data: &Path) -> Result<DataDir> {
        let dir = DataDir::open_unchecked(data)?;
        dir.head.arm(&dir.conn)?;
        Ok(dir)
    }

    /// Open `data` without checking the head: for the commands that report
    /// on it (`log verify`, `doctor`) or replace it (`log reseal`).
    ///
    /// # Errors
    /// `Error::Config` when there is no database or key file there.
    pub fn open_unchecked(data: &Path) -> Result<DataDir> {
        let db_path = data.join(db::DB_FILE);
        if !db_path.exists() {
            return Err(Error::Config(format!("no database at {}", db_path.display())));
        }
        // A command never makes a new key: the log would then fail to verify
        // for the wrong reason.
        if !data.join(crate::crypto::KEY_FILE).exists() {
            return Err(Error::Config(format!("no key file {}", data.join(crate::crypto::KEY_FILE).display())));
        }
        let keys = Keys::load_or_create(data)?;
        let conn = db::open(&db_path)?;
        let head = HeadFile::new(data, &keys.audit)?;
        Ok(DataDir { path: data.to_path_buf(), conn, keys, head })
    }

    /// Run `f` in one write transaction, then bring the signed head up to
    /// date (R16.3), like the server does after every commit.
    ///
    /// # Errors
    /// Whatever `db::write` returns, or `Error::Io` when the head cannot be
    /// written.
    pub fn write<T>(&self, now: i64, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let out = db::write(&self.conn, |tx| {
            self.head.witness(tx, true)?;
            f(tx)
        })?;
        self.head.sync(&self.conn, now)?;
        Ok(out)
    }

    /// Append a log entry for the operator running `command` (R16.1).
    pub fn log(
        &self,
        tx: &Transaction,
        now: i64,
        command: &str,
        action: &str,
        target: &str,
        outcome: &str,
    ) -> Result<()> {
        db::log::append(tx, &self.keys.audit, &Source::cli(command), now, action, target, outcome)
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress(len: u64, what: &str, bytes: bool) -> indicatif::ProgressBar {
    let template =
        if bytes { "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})" } else { "{msg} [{bar:40}] {pos}/{len} ({eta})" };
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}
