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
//!
//! One file per part: [`target`] (where the replica goes), [`litestream`]
//! (its configuration, running it, measuring the lag), [`supervisor`] (the
//! server's replication thread, the file copies, the state admins see).

pub mod litestream;
pub mod supervisor;
pub mod target;

pub use litestream::{check_reachable, find_binary, last_line, litestream_yaml, measure, run_litestream, Lag};
pub use supervisor::{copy_files, Replication, State};
pub use target::Target;

use crate::crypto::{self, Keys};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

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
