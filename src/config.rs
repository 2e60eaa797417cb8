//! Layered configuration: built-in defaults < `DATA/plaza.toml` < `PLAZA_*`
//! environment variables < command-line flags (DESIGN.md).
//!
//! The data folder itself comes from `--data` / `PLAZA_DATA` / `./plaza-data`,
//! since the TOML file lives inside it. Flags and environment variables are
//! merged by clap (`env = ...`), so here a present CLI value simply wins over
//! the file.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The effective configuration of a running server.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Socket address to listen on, e.g. `127.0.0.1:8080`.
    pub listen: String,
    /// Worker threads rendering pages (GET and HEAD); each owns one SQLite
    /// connection. Rendering is CPU work: more than the cores rarely helps.
    pub workers: usize,
    /// Worker threads answering form posts (each owns one SQLite
    /// connection). A write waits for the disk (group commit), so more
    /// writers in flight share each fsync.
    pub write_workers: usize,
    /// The data folder (database, key file, media). Not read from the TOML file.
    #[serde(skip)]
    pub data_dir: PathBuf,
    /// bcrypt cost for new password hashes (4..=31; 10 takes ~85 ms here).
    pub bcrypt_cost: u32,
    /// Threads hashing passwords at low priority, apart from the workers.
    pub hash_threads: usize,
    /// Seconds a connection may sit idle, take to send a request head, or
    /// make no progress reading its answer before it is closed.
    pub idle_timeout_seconds: u64,
    /// Threads of the I/O side (connections, reading requests, writing
    /// answers); workers do everything else.
    pub io_threads: usize,
    /// Most connections open at once; more wait in the kernel's backlog.
    pub max_connections: usize,
    /// Seconds a request read in full may wait for a free worker (a login
    /// for a free password-hashing worker) before it gets 503 with
    /// `Retry-After`.
    pub queue_wait_seconds: u64,
    /// Open-file limit to raise the process to at start (0: the hard limit).
    pub max_open_files: u64,
    /// A member's session lifetime in seconds, however often it is used
    /// (the cookie's `Max-Age`); staff sessions: `staff_session_seconds`.
    pub session_seconds: i64,
    /// A member's session ends after this many seconds without a request
    /// (idle expiry, issue 15).
    pub session_idle_seconds: i64,
    /// The lifetime of a session of an account holding a staff role (R6.5).
    pub staff_session_seconds: i64,
    /// A staff session ends after this many seconds without a request.
    pub staff_session_idle_seconds: i64,
    /// Largest accepted form body in bytes; larger requests get 413. Also
    /// caps the text fields of a multipart upload together.
    pub max_form_bytes: u64,
    /// Largest accepted `multipart/form-data` body (files included) in
    /// bytes; larger requests get 413. The default fits 9 images of
    /// `image_max_bytes` or one video of `video_max_bytes`, plus 1 MiB (R2.2).
    pub max_upload_bytes: u64,
    /// Largest image file in bytes (R2.2).
    pub image_max_bytes: u64,
    /// Largest image width and height in pixels, read from the header before
    /// any pixel is decoded, so decompression bombs are refused (R2.2).
    pub image_max_side: u32,
    /// Largest video file in bytes (R2.2).
    pub video_max_bytes: u64,
    /// Longest post in user-perceived characters (grapheme clusters).
    pub post_max_chars: usize,
    /// Longest comment in grapheme clusters.
    pub comment_max_chars: usize,
    /// How long after publishing its author may edit a post, in seconds
    /// (issue 18, default 24 hours; 0 turns editing off).
    pub edit_window_seconds: i64,
    /// No longer used: the offset now follows `time_zone_name` at each
    /// instant (daylight saving included). Accepted so older `plaza.toml`
    /// files still load; a value is reported at start as ignored.
    pub utc_offset_minutes: Option<i32>,
    /// The site's time zone, an IANA name (`Asia/Shanghai`,
    /// `America/New_York`): every time on pages and in exports is shown in
    /// it. An unknown name is refused at start with the line it is on.
    pub time_zone_name: String,
    /// The zone of `time_zone_name` (not a setting: made by [`Config::load`]).
    #[serde(skip)]
    pub zone: crate::domain::dates::Zone,
    /// Set the `Secure` flag on cookies (when served behind TLS).
    pub secure_cookies: bool,
    /// Admins and chief editors must use a second factor (TOTP, issue 15):
    /// staff pages are refused to them until they set it up.
    pub second_factor_for_top_staff: bool,
    /// Reverse proxies whose `X-Forwarded-For` / `X-Real-IP` /
    /// `X-Forwarded-Proto` headers are believed (R16.1: the logged source
    /// address is the socket's unless the socket's peer is one of these).
    pub trusted_proxies: Vec<IpAddr>,
    /// Days the activity log is kept before `plaza log prune` or the
    /// server's daily prune removes an entry; at least
    /// [`MIN_LOG_RETENTION_DAYS`] (R16.2).
    pub log_retention_days: u32,
    /// Days a verified identity stays valid before it must be confirmed
    /// again (R7.3: periodic re-verification).
    pub identity_recheck_days: u32,
    /// How one-time codes reach a mobile (R7.1): `outbox` appends them to
    /// `DATA/outbox/sms.log` and shows them in `/admin/outbox`; `webhook`
    /// POSTs JSON `{"mobile", "code", "text"}` to `sms_webhook_url`.
    pub sms_sender: String,
    /// Where the `webhook` SMS sender posts (http or https).
    pub sms_webhook_url: String,
    /// An external identity check (R7.2): after the mobile code, the
    /// subject type, legal name and number are POSTed as JSON here; an
    /// answer `{"verified": true}` verifies, `{"verified": false, "reason":
    /// "..."}` refuses. Empty: an admin confirms in `/admin/identities`.
    pub identity_verify_webhook: String,
    /// Seconds a webhook call may take, connecting included.
    pub webhook_timeout_seconds: u64,
    /// One resident ID number backs at most one individual account (R7.4).
    pub identity_unique: bool,
    /// Largest verification proof document (PDF, JPEG, PNG) in bytes (R8.1).
    pub proof_max_bytes: u64,
    /// The address members reach the site at, for links printed by commands
    /// (`plaza user import`); empty: `http://` + `listen`.
    pub public_url: String,
    /// R14.2: complaint categories as `key:hours` (the SLA in hours), in
    /// the order the form lists them. Known keys have a translated label.
    pub complaint_categories: Vec<String>,
    /// R14.1: complaints without an account accepted from one IP address per hour.
    pub complaint_anonymous_per_hour: u32,
    /// Accounts that may sign up from one IP address in an hour (counted
    /// from the activity log, so a restart does not reset it; issue 15).
    /// At least 1.
    pub signup_per_address_hour: u32,
    /// R15.1: the credit score of a new account.
    pub credit_start: i64,
    /// R15.1: the highest score (the monthly bonus stops there).
    pub credit_max: i64,
    /// R15.1: lowest scores of the levels excellent, good, fair, poor
    /// (descending); below the last is `restricted`.
    pub credit_levels: Vec<i64>,
    /// R15.1: points lost when staff remove a member's content.
    pub credit_removal: i64,
    /// R15.1: points lost when a complaint against a member is upheld.
    pub credit_complaint: i64,
    /// R15.1: points lost when a member's post is labelled 不实信息.
    pub credit_rumour: i64,
    /// R15.1: points gained per 30 days without a violation.
    pub credit_monthly: i64,
    /// R10.3: every author (not only organisations, government and media)
    /// may close comments and hide or remove comments under their posts.
    pub comment_control_for_all: bool,
    /// Issue 14: seconds of replication lag (the age of the oldest change
    /// not yet on the replica) past which every admin page shows an alert
    /// and the activity log records `replication.lag`.
    pub replication_lag_alert_seconds: u64,
    /// The `litestream` binary the server runs for replication; empty:
    /// `PLAZA_LITESTREAM`, else `litestream` on `PATH`.
    pub litestream_bin: String,
    /// Issue 17: search terms are personal data. When on, each search is
    /// logged as `search` with its query (R16.1); off by default, and a
    /// query never reaches the server's output.
    pub log_searches: bool,
    /// Issue 19: client API requests one bearer token may make per five
    /// minutes (Mastodon's default is 300); 0 turns the limit off.
    pub api_token_requests_per_5min: u32,
    /// Issue 19: client API requests one account may make per five
    /// minutes over all its tokens; 0 turns the limit off.
    pub api_account_requests_per_5min: u32,
}

/// One mebibyte.
const MIB: u64 = 1024 * 1024;
/// The legal floor of log retention: six months (R16.2).
pub const MIN_LOG_RETENTION_DAYS: u32 = crate::domain::audit::MIN_RETENTION_DAYS;

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            workers: 4,
            write_workers: 16,
            data_dir: PathBuf::from("plaza-data"),
            bcrypt_cost: 10,
            hash_threads: 1,
            idle_timeout_seconds: 30,
            io_threads: 1,
            max_connections: 10_000,
            queue_wait_seconds: 10,
            max_open_files: 0,
            session_seconds: 90 * 86_400,
            session_idle_seconds: 30 * 86_400,
            staff_session_seconds: 7 * 86_400,
            staff_session_idle_seconds: 12 * 3600,
            max_form_bytes: 1024 * 1024,
            max_upload_bytes: (9 * 10 * MIB).max(100 * MIB) + MIB,
            image_max_bytes: 10 * MIB,
            image_max_side: 8000,
            video_max_bytes: 100 * MIB,
            post_max_chars: 2000,
            comment_max_chars: 500,
            edit_window_seconds: 24 * 3600,
            utc_offset_minutes: None,
            time_zone_name: "Asia/Shanghai".into(),
            zone: crate::domain::dates::Zone::default(),
            secure_cookies: false,
            second_factor_for_top_staff: true,
            trusted_proxies: Vec::new(),
            log_retention_days: 365,
            identity_recheck_days: 365,
            sms_sender: "outbox".into(),
            sms_webhook_url: String::new(),
            identity_verify_webhook: String::new(),
            webhook_timeout_seconds: 5,
            identity_unique: true,
            proof_max_bytes: 10 * MIB,
            public_url: String::new(),
            complaint_categories: [
                "prohibited:24",
                "rumour:24",
                "fraud:72",
                "harassment:72",
                "rights:72",
                "privacy:72",
                "other:72",
            ]
            .map(String::from)
            .to_vec(),
            complaint_anonymous_per_hour: 5,
            signup_per_address_hour: 5,
            credit_start: 100,
            credit_max: 150,
            credit_levels: vec![120, 90, 70, 50],
            credit_removal: 20,
            credit_complaint: 10,
            credit_rumour: 20,
            credit_monthly: 5,
            comment_control_for_all: false,
            replication_lag_alert_seconds: 300,
            litestream_bin: String::new(),
            log_searches: false,
            api_token_requests_per_5min: 300,
            api_account_requests_per_5min: 600,
        }
    }
}

/// Values given on the command line or in `PLAZA_*` variables; `None` means
/// "not given", so the file or the default applies.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub workers: Option<usize>,
    pub bcrypt_cost: Option<u32>,
    pub post_max_chars: Option<usize>,
    pub max_form_bytes: Option<u64>,
    pub idle_timeout_seconds: Option<u64>,
    pub max_open_files: Option<u64>,
    pub max_upload_bytes: Option<u64>,
    pub trusted_proxies: Option<Vec<IpAddr>>,
    pub log_retention_days: Option<u32>,
    pub signup_per_address_hour: Option<u32>,
    pub identity_recheck_days: Option<u32>,
    pub identity_verify_webhook: Option<String>,
    pub public_url: Option<String>,
    pub second_factor_for_top_staff: Option<bool>,
}

impl Config {
    /// Build the effective configuration for `data_dir`.
    ///
    /// # Errors
    /// `Error::Config` naming the file and the bad setting when `plaza.toml`
    /// cannot be parsed or a value is out of range.
    pub fn load(data_dir: &Path, over: &Overrides) -> Result<Config> {
        let file = data_dir.join("plaza.toml");
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::Config(format!("{}: {e}", file.display()))),
        };
        let mut cfg = toml::from_str::<Config>(&text).map_err(|e| Error::Config(format!("{}: {e}", file.display())))?;
        cfg.zone = crate::domain::dates::Zone::named(&cfg.time_zone_name).map_err(|e| {
            let line = text.lines().position(|l| l.trim_start().starts_with("time_zone_name"));
            let at = line.map_or(String::new(), |n| format!(", line {}", n + 1));
            Error::Config(format!("{}{at}: time_zone_name: {e}", file.display()))
        })?;
        if let Some(minutes) = cfg.utc_offset_minutes {
            eprintln!(
                "plaza: {}: utc_offset_minutes = {minutes} is ignored: times follow time_zone_name = {:?} \
                 (daylight saving included); remove the line",
                file.display(),
                cfg.time_zone_name
            );
        }
        cfg.data_dir = data_dir.to_path_buf();
        if let Some(v) = &over.listen {
            cfg.listen = v.clone();
        }
        if let Some(v) = over.workers {
            cfg.workers = v;
        }
        if let Some(v) = over.bcrypt_cost {
            cfg.bcrypt_cost = v;
        }
        if let Some(v) = over.post_max_chars {
            cfg.post_max_chars = v;
        }
        if let Some(v) = over.max_form_bytes {
            cfg.max_form_bytes = v;
        }
        if let Some(v) = over.idle_timeout_seconds {
            cfg.idle_timeout_seconds = v;
        }
        if let Some(v) = over.max_open_files {
            cfg.max_open_files = v;
        }
        if let Some(v) = over.max_upload_bytes {
            cfg.max_upload_bytes = v;
        }
        if let Some(v) = &over.trusted_proxies {
            cfg.trusted_proxies = v.clone();
        }
        if let Some(v) = over.log_retention_days {
            cfg.log_retention_days = v;
        }
        if let Some(v) = over.signup_per_address_hour {
            cfg.signup_per_address_hour = v;
        }
        if let Some(v) = over.identity_recheck_days {
            cfg.identity_recheck_days = v;
        }
        if let Some(v) = &over.identity_verify_webhook {
            cfg.identity_verify_webhook = v.trim().to_string();
        }
        if let Some(v) = &over.public_url {
            cfg.public_url = v.trim().to_string();
        }
        if let Some(v) = over.second_factor_for_top_staff {
            cfg.second_factor_for_top_staff = v;
        }
        cfg.check()?;
        Ok(cfg)
    }

    fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Config(m));
        if !(4..=31).contains(&self.bcrypt_cost) {
            return bad(format!("bcrypt_cost = {}: must be 4..=31", self.bcrypt_cost));
        }
        if self.workers == 0 || self.workers > 256 {
            return bad(format!("workers = {}: must be 1..=256", self.workers));
        }
        if self.edit_window_seconds < 0 {
            return bad(format!("edit_window_seconds = {}: must be 0 or more", self.edit_window_seconds));
        }
        if self.post_max_chars == 0 || self.comment_max_chars == 0 {
            return bad("post_max_chars and comment_max_chars must be at least 1".into());
        }
        if self.idle_timeout_seconds == 0 || self.idle_timeout_seconds > 3600 {
            return bad(format!("idle_timeout_seconds = {}: must be 1..=3600", self.idle_timeout_seconds));
        }
        if self.write_workers == 0 || self.write_workers > 256 {
            return bad(format!("write_workers = {}: must be 1..=256", self.write_workers));
        }
        if self.io_threads == 0 || self.io_threads > 64 {
            return bad(format!("io_threads = {}: must be 1..=64", self.io_threads));
        }
        if self.max_connections < 16 {
            return bad(format!("max_connections = {}: must be at least 16", self.max_connections));
        }
        if self.queue_wait_seconds == 0 || self.queue_wait_seconds > 300 {
            return bad(format!("queue_wait_seconds = {}: must be 1..=300", self.queue_wait_seconds));
        }
        if [
            self.session_seconds,
            self.session_idle_seconds,
            self.staff_session_seconds,
            self.staff_session_idle_seconds,
        ]
        .iter()
        .any(|s| *s < 60)
        {
            return bad(
                "session_seconds, session_idle_seconds, staff_session_seconds, staff_session_idle_seconds: at least 60"
                    .into(),
            );
        }
        if self.signup_per_address_hour == 0 {
            return bad("signup_per_address_hour = 0: must be at least 1".into());
        }
        if self.hash_threads == 0 || self.hash_threads > 64 {
            return bad(format!("hash_threads = {}: must be 1..=64", self.hash_threads));
        }
        if self.max_form_bytes < 1024 {
            return bad(format!("max_form_bytes = {}: must be at least 1024", self.max_form_bytes));
        }
        if self.max_upload_bytes < self.max_form_bytes {
            return bad(format!(
                "max_upload_bytes = {}: must be at least max_form_bytes ({})",
                self.max_upload_bytes, self.max_form_bytes
            ));
        }
        if self.credit_levels.len() != 4 || self.credit_levels.windows(2).any(|w| w[0] < w[1]) {
            return bad("credit_levels: four lowest scores, descending (excellent, good, fair, poor)".into());
        }
        if self.complaint_categories.is_empty()
            || self.complaint_categories.iter().any(|c| crate::domain::complaints::parse_category(c).is_none())
        {
            return bad("complaint_categories: entries `key:hours`, e.g. \"rumour:24\"".into());
        }
        if self.image_max_bytes == 0 || self.video_max_bytes == 0 || self.image_max_side == 0 {
            return bad("image_max_bytes, video_max_bytes and image_max_side must be at least 1".into());
        }
        if self.image_max_side > 65_535 {
            return bad(format!("image_max_side = {}: must be at most 65535", self.image_max_side));
        }
        if self.log_retention_days < MIN_LOG_RETENTION_DAYS {
            return bad(format!(
                "log_retention_days = {}: the activity log must be kept at least {MIN_LOG_RETENTION_DAYS} days (R16.2)",
                self.log_retention_days
            ));
        }
        if self.identity_recheck_days == 0 || self.identity_recheck_days > 3650 {
            return bad(format!("identity_recheck_days = {}: must be 1..=3650", self.identity_recheck_days));
        }
        let is_url = |u: &str| u.starts_with("http://") || u.starts_with("https://");
        match self.sms_sender.as_str() {
            "outbox" => {}
            "webhook" if is_url(&self.sms_webhook_url) => {}
            "webhook" => return bad("sms_sender = \"webhook\" needs sms_webhook_url = \"https://...\"".into()),
            other => return bad(format!("sms_sender = {other:?}: must be \"outbox\" or \"webhook\"")),
        }
        if !self.identity_verify_webhook.is_empty() && !is_url(&self.identity_verify_webhook) {
            return bad(format!(
                "identity_verify_webhook = {:?}: must be an http:// or https:// URL, or empty",
                self.identity_verify_webhook
            ));
        }
        if self.webhook_timeout_seconds == 0 || self.webhook_timeout_seconds > 60 {
            return bad(format!("webhook_timeout_seconds = {}: must be 1..=60", self.webhook_timeout_seconds));
        }
        if self.proof_max_bytes < 1024 {
            return bad(format!("proof_max_bytes = {}: must be at least 1024", self.proof_max_bytes));
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return bad(format!("listen = {:?}: not an address like 127.0.0.1:8080", self.listen));
        }
        Ok(())
    }

    /// One line per setting, for the start-up banner (no secrets are held here).
    pub fn describe(&self) -> String {
        format!(
            "listen={} data={} workers={} write_workers={} bcrypt_cost={} hash_threads={} idle_timeout_seconds={} io_threads={} \
             max_connections={} queue_wait_seconds={} post_max_chars={} \
             comment_max_chars={} max_form_bytes={} max_upload_bytes={} image_max_bytes={} image_max_side={} \
             video_max_bytes={} time_zone={} (now UTC{:+}min) trusted_proxies=[{}] log_retention_days={} \
             identity_recheck_days={} sms_sender={} identity_verify_webhook={} identity_unique={} proof_max_bytes={} \
             complaint_categories=[{}] complaint_anonymous_per_hour={} signup_per_address_hour={} credit_start={} credit_max={} credit_levels={:?} \
             credit_removal={} credit_complaint={} credit_rumour={} credit_monthly={} comment_control_for_all={} \
             replication_lag_alert_seconds={} litestream_bin={:?} log_searches={} \
             api_token_requests_per_5min={} api_account_requests_per_5min={}",
            self.listen,
            self.data_dir.display(),
            self.workers,
            self.write_workers,
            self.bcrypt_cost,
            self.hash_threads,
            self.idle_timeout_seconds,
            self.io_threads,
            self.max_connections,
            self.queue_wait_seconds,
            self.post_max_chars,
            self.comment_max_chars,
            self.max_form_bytes,
            self.max_upload_bytes,
            self.image_max_bytes,
            self.image_max_side,
            self.video_max_bytes,
            self.time_zone_name,
            self.zone.offset_seconds_at(crate::clock::now()) / 60,
            self.trusted_proxies.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(","),
            self.log_retention_days,
            self.identity_recheck_days,
            self.sms_sender,
            if self.identity_verify_webhook.is_empty() { "none (admin confirms)" } else { "set" },
            self.identity_unique,
            self.proof_max_bytes,
            self.complaint_categories.join(","),
            self.complaint_anonymous_per_hour,
            self.signup_per_address_hour,
            self.credit_start,
            self.credit_max,
            self.credit_levels,
            self.credit_removal,
            self.credit_complaint,
            self.credit_rumour,
            self.credit_monthly,
            self.comment_control_for_all,
            self.replication_lag_alert_seconds,
            self.litestream_bin,
            self.log_searches,
            self.api_token_requests_per_5min,
            self.api_account_requests_per_5min,
        )
    }

    /// Is the site served over https (`public_url` starts with
    /// `https://`)? Then cookies are `Secure` with the `__Host-` prefix and
    /// every answer carries HSTS (issue 15).
    pub fn https(&self) -> bool {
        self.public_url.trim().get(..8).is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    }

    /// The warning printed at start when passwords and session cookies
    /// would cross a network in clear: plain http (`public_url` not https)
    /// while listening on `addr`, an address other than loopback.
    pub fn plain_http_warning(&self, addr: std::net::SocketAddr) -> Option<String> {
        (!self.https() && !addr.ip().is_loopback()).then(|| {
            format!(
                "WARNING: serving plain http on {addr}: passwords, session cookies and identity data cross the \
                 network unencrypted, and staff who log in from another machine can be impersonated. Put a TLS \
                 proxy in front and set public_url = \"https://...\" (cookies then become Secure with the __Host- \
                 prefix and HSTS is sent), or listen on 127.0.0.1 only."
            )
        })
    }

    /// The site's address for links printed by commands, without a
    /// trailing slash.
    pub fn site_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: an unknown zone is refused at start, naming the file and
    /// the line; a known one carries daylight saving.
    #[test]
    fn time_zone_by_iana_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plaza.toml"), "workers = 2\ntime_zone_name = \"Mars/Olympus\"\n").unwrap();
        let err = Config::load(dir.path(), &Overrides::default()).unwrap_err().to_string();
        assert!(err.contains("plaza.toml, line 2") && err.contains("Mars/Olympus"), "{err}");
        std::fs::write(
            dir.path().join("plaza.toml"),
            "time_zone_name = \"America/New_York\"\nutc_offset_minutes = 480\n",
        )
        .unwrap();
        let cfg = Config::load(dir.path(), &Overrides::default()).unwrap();
        assert_eq!(cfg.zone.name(), "America/New_York");
        assert_eq!(cfg.zone.offset_seconds_at(1_784_131_200), -4 * 3600);
        assert_eq!(Config::default().zone.name(), "Asia/Shanghai");
    }

    #[test]
    fn file_then_overrides() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plaza.toml"), "workers = 3\npost_max_chars = 140\n").unwrap();
        let cfg = Config::load(dir.path(), &Overrides { workers: Some(5), ..Default::default() }).unwrap();
        assert_eq!(cfg.workers, 5);
        assert_eq!(cfg.post_max_chars, 140);
        assert_eq!(cfg.listen, "127.0.0.1:8080");
    }

    #[test]
    fn upload_cap_fits_nine_images_or_one_video() {
        let c = Config::default();
        assert!(c.max_upload_bytes >= 9 * c.image_max_bytes && c.max_upload_bytes >= c.video_max_bytes);
        assert_eq!((c.image_max_bytes, c.image_max_side, c.video_max_bytes), (10 * MIB, 8000, 100 * MIB));
    }

    #[test]
    fn signup_limit_defaults_to_five_and_is_never_zero() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(dir.path(), &Overrides::default()).unwrap().signup_per_address_hour, 5);
        std::fs::write(dir.path().join("plaza.toml"), "signup_per_address_hour = 0\n").unwrap();
        let err = Config::load(dir.path(), &Overrides::default()).unwrap_err().to_string();
        assert!(err.contains("signup_per_address_hour = 0"), "{err}");
        let ok = Config::load(dir.path(), &Overrides { signup_per_address_hour: Some(20), ..Default::default() });
        assert_eq!(ok.unwrap().signup_per_address_hour, 20);
    }

    #[test]
    fn log_retention_has_a_floor() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(dir.path(), &Overrides::default()).unwrap().log_retention_days, 365);
        std::fs::write(dir.path().join("plaza.toml"), "log_retention_days = 179\n").unwrap();
        let err = Config::load(dir.path(), &Overrides::default()).unwrap_err().to_string();
        assert!(err.contains("log_retention_days = 179") && err.contains("180 days"), "{err}");
        let ok = Config::load(dir.path(), &Overrides { log_retention_days: Some(180), ..Default::default() });
        assert_eq!(ok.unwrap().log_retention_days, 180);
    }

    #[test]
    fn identity_settings_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::load(dir.path(), &Overrides::default()).unwrap();
        assert_eq!((c.identity_recheck_days, c.sms_sender.as_str(), c.identity_unique), (365, "outbox", true));
        for (toml, want) in [
            ("sms_sender = \"pigeon\"\n", "sms_sender"),
            ("sms_sender = \"webhook\"\n", "sms_webhook_url"),
            ("identity_verify_webhook = \"ftp://x\"\n", "identity_verify_webhook"),
            ("identity_recheck_days = 0\n", "identity_recheck_days"),
        ] {
            std::fs::write(dir.path().join("plaza.toml"), toml).unwrap();
            let err = Config::load(dir.path(), &Overrides::default()).unwrap_err().to_string();
            assert!(err.contains(want), "{toml}: {err}");
        }
        std::fs::write(
            dir.path().join("plaza.toml"),
            "sms_sender = \"webhook\"\nsms_webhook_url = \"https://sms.example/send\"\n",
        )
        .unwrap();
        assert!(Config::load(dir.path(), &Overrides::default()).is_ok());
        assert_eq!(Config::default().site_url(), "http://127.0.0.1:8080");
    }

    #[test]
    fn bad_setting_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plaza.toml"), "wrokers = 3\n").unwrap();
        let err = Config::load(dir.path(), &Overrides::default()).unwrap_err().to_string();
        assert!(err.contains("plaza.toml") && err.contains("wrokers"), "{err}");
    }
}
