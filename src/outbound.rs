//! What leaves Plaza for services outside it (R7.1, R7.2): one-time code
//! messages, appended to the outbox file (`DATA/outbox/sms.log`) or posted
//! to the SMS webhook, and calls to the identity verification webhook.
//! Webhook calls run on one background thread ([`Jobs`]), never on a
//! request worker; each is capped by `webhook_timeout_seconds`.
//!
//! Nothing here writes an identity value to a log line (R7.5): the outbox
//! holds masked numbers, and errors name a status, never a body.

use crate::config::Config;
use crate::crypto::Keys;
use crate::db::{self, identity as idb, log::Source};
use crate::domain::identity as rules;
use crate::domain::identity::otp;
use crate::error::{Error, Result};
use crate::seal;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Folder of the outbox inside the data folder.
pub const OUTBOX_DIR: &str = "outbox";
/// The outbox file: one line per message, newest last.
pub const SMS_LOG: &str = "sms.log";

/// The text of a code message.
pub fn code_text(site_name: &str, code: &str) -> String {
    format!(
        "【{site_name}】验证码 {code}，{} 分钟内有效，请勿告诉他人。Your code is {code}, valid for {} minutes.",
        otp::CODE_TTL_SECONDS / 60,
        otp::CODE_TTL_SECONDS / 60
    )
}

/// Deliver a code to a mobile by the configured sender (R7.1): `outbox`
/// appends a line to `DATA/outbox/sms.log` (with the number masked: staff
/// who must pass it on by hand reveal the number, which is logged);
/// `webhook` queues a POST on the background thread.
///
/// # Errors
/// `Error::Io` writing the outbox, `Error::Busy` when the queue is full.
pub fn deliver(
    cfg: &Config,
    jobs: &Jobs,
    username: &str,
    mobile: &rules::Mobile,
    text: String,
    code: String,
) -> Result<()> {
    match cfg.sms_sender.as_str() {
        "webhook" => jobs.submit(Job::Sms { mobile: mobile.as_str().to_string(), code, text }),
        _ => outbox_append(&cfg.data_dir, crate::clock::now(), username, &rules::mask_mobile(mobile.as_str()), &text),
    }
}

/// Append one message to the outbox file (mode 0600).
///
/// # Errors
/// `Error::Io`.
pub fn outbox_append(data_dir: &Path, now: i64, username: &str, masked_mobile: &str, text: &str) -> Result<()> {
    let dir = data_dir.join(OUTBOX_DIR);
    crate::private::dir(&dir)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(dir.join(SMS_LOG))?;
    let when = crate::domain::dates::rfc3339(now);
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    writeln!(f, "{when}\t@{}\t{masked_mobile}\t{}", clean(username), clean(text))?;
    f.sync_data()?;
    Ok(())
}

/// One message of the outbox.
#[derive(Debug, Clone)]
pub struct OutboxLine {
    /// When it was sent, UTC unix seconds (`None` for a line whose time
    /// does not parse); pages show it in the site's time zone.
    pub at: Option<i64>,
    pub username: String,
    pub mobile_masked: String,
    pub text: String,
}

/// The newest `limit` messages of the outbox, newest first.
///
/// # Errors
/// `Error::Io` (a missing file is an empty outbox).
pub fn outbox_read(data_dir: &Path, limit: usize) -> Result<Vec<OutboxLine>> {
    let text = match std::fs::read_to_string(data_dir.join(OUTBOX_DIR).join(SMS_LOG)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(text
        .lines()
        .rev()
        .take(limit)
        .filter_map(|l| {
            let mut f = l.splitn(4, '\t');
            Some(OutboxLine {
                at: crate::domain::dates::parse_rfc3339(f.next()?),
                username: f.next()?.trim_start_matches('@').to_string(),
                mobile_masked: f.next()?.to_string(),
                text: f.next()?.to_string(),
            })
        })
        .collect())
}

/// Work for the background thread.
pub enum Job {
    /// POST a code to the SMS webhook.
    Sms { mobile: String, code: String, text: String },
    /// Ask the verification webhook about `user`'s identity, if it is still
    /// pending and unchanged since `stamp` (its `updated_at`).
    Verify { user: i64, stamp: i64 },
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Sms { .. } => f.write_str("Job::Sms(..)"),
            Job::Verify { user, .. } => write!(f, "Job::Verify(user:{user})"),
        }
    }
}

/// The queue of webhook calls, served by one background thread so that a
/// slow or dead provider never holds a request worker (each call is capped
/// by `webhook_timeout_seconds`).
#[derive(Debug)]
pub struct Jobs {
    tx: Option<crossbeam_channel::Sender<Job>>,
}

/// How many webhook calls may wait.
const QUEUE: usize = 256;

impl Jobs {
    /// No background thread (commands): submitting fails with `Busy`.
    pub fn none() -> Jobs {
        Jobs { tx: None }
    }

    /// Start the thread for a server, when a webhook is configured.
    ///
    /// # Errors
    /// `Error::Io` when the thread cannot start or the head's lock file
    /// cannot be opened.
    pub fn start(cfg: &Config, keys: &Keys) -> Result<Jobs> {
        if cfg.sms_sender != "webhook" && cfg.identity_verify_webhook.is_empty() {
            return Ok(Jobs::none());
        }
        let (tx, rx) = crossbeam_channel::bounded::<Job>(QUEUE);
        let worker = Worker {
            cfg: cfg.clone(),
            keys: keys.clone(),
            head: db::log::HeadFile::new(&cfg.data_dir, &keys.audit)?,
            agent: ureq::AgentBuilder::new()
                .timeout(std::time::Duration::from_secs(cfg.webhook_timeout_seconds))
                .redirects(0)
                .build(),
        };
        std::thread::Builder::new().name("identity-webhooks".into()).spawn(move || {
            for job in rx {
                worker.run(job);
            }
        })?;
        Ok(Jobs { tx: Some(tx) })
    }

    /// Queue a job.
    ///
    /// # Errors
    /// `Error::Busy` when the queue is full or there is no thread.
    pub fn submit(&self, job: Job) -> Result<()> {
        match &self.tx {
            Some(tx) => tx.try_send(job).map_err(|_| Error::Busy),
            None => Err(Error::Busy),
        }
    }
}

struct Worker {
    cfg: Config,
    keys: Keys,
    head: db::log::HeadFile,
    agent: ureq::Agent,
}

/// What the verification webhook said.
enum Verdict {
    Verified,
    Refused(String),
}

impl Worker {
    fn run(&self, job: Job) {
        match job {
            Job::Sms { mobile, code, text } => {
                let body = serde_json::json!({ "mobile": mobile, "code": code, "text": text }).to_string();
                if let Err(e) = self.post(&self.cfg.sms_webhook_url, &body) {
                    eprintln!("plaza: SMS webhook: {e}");
                }
            }
            Job::Verify { user, stamp } => {
                if let Err(e) = self.verify(user, stamp) {
                    eprintln!("plaza: identity webhook for user:{user}: {e}");
                }
            }
        }
    }

    /// POST `body` as JSON; the answer's body on a 2xx. Errors name the
    /// status or transport failure, never the body.
    fn post(&self, url: &str, body: &str) -> std::result::Result<String, String> {
        match self.agent.post(url).set("Content-Type", "application/json").send_string(body) {
            Ok(r) => r.into_string().map_err(|e| format!("reading the answer: {e}")),
            Err(ureq::Error::Status(code, _)) => Err(format!("answered HTTP {code}")),
            Err(ureq::Error::Transport(t)) => Err(format!("transport: {}", t.kind())),
        }
    }

    fn verify(&self, user: i64, stamp: i64) -> Result<()> {
        let conn = db::open(&self.cfg.data_dir.join(db::DB_FILE))?;
        let Some(id) = idb::get(&conn, user)? else { return Ok(()) };
        let Some(sealed) = idb::sealed(&conn, user)? else { return Ok(()) };
        if id.stored_status != "pending" || sealed.updated_at != stamp || id.check_failed {
            return Ok(());
        }
        let clear = seal::open(&self.keys, user, &sealed)?;
        let body = serde_json::json!({
            "subject_type": sealed.subject_type,
            "legal_name": clear.legal_name,
            "number_kind": sealed.number_kind,
            "number": clear.number,
            "mobile": clear.mobile,
        })
        .to_string();
        drop(clear);
        let verdict = match self.post(&self.cfg.identity_verify_webhook, &body) {
            Ok(answer) => match serde_json::from_str::<serde_json::Value>(&answer) {
                Ok(v) if v.get("verified") == Some(&serde_json::Value::Bool(true)) => Some(Verdict::Verified),
                Ok(v) if v.get("verified") == Some(&serde_json::Value::Bool(false)) => {
                    let reason =
                        v.get("reason").and_then(|r| r.as_str()).unwrap_or("").chars().take(200).collect::<String>();
                    Some(Verdict::Refused(rules::redact_numbers(&reason)))
                }
                _ => {
                    eprintln!("plaza: identity webhook for user:{user}: answer is not {{\"verified\": true|false}}");
                    None
                }
            },
            Err(e) => {
                eprintln!("plaza: identity webhook for user:{user}: {e}");
                None
            }
        };
        let src =
            Source { account_id: None, ip: "webhook".into(), port: 0, user_agent: "plaza identity webhook".into() };
        let now = crate::clock::now();
        let next = rules::next_check(now, self.cfg.identity_recheck_days);
        let target = format!("user:{user}");
        let key = &self.keys.audit;
        db::write(&conn, |tx| {
            // Changed meanwhile (staff decided, or the member bound anew): leave it.
            match idb::sealed(tx, user)? {
                Some(s) if s.updated_at == stamp => {}
                _ => return Ok(()),
            }
            match &verdict {
                Some(Verdict::Verified) => {
                    idb::verify(tx, user, "webhook", None, now, next)?;
                    db::log::append(tx, key, &src, now, "identity.verify", &target, "ok webhook")
                }
                Some(Verdict::Refused(reason)) => {
                    idb::reject(tx, user, reason, now)?;
                    db::log::append(tx, key, &src, now, "identity.verify", &target, "refused by webhook")
                }
                None => {
                    db::log::append(tx, key, &src, now, "identity.verify", &target, "webhook failed: left for staff")?;
                    // Issue 13: the staff who confirm identities hear that one waits for them.
                    for staff in db::staff::holders(tx, crate::actions::inbox::IDENTITY_DESK)? {
                        if staff.id != user {
                            let kind = db::notifications::Kind::StaffIdentity;
                            db::notifications::notify_staff(tx, staff.id, kind, None, "", now)?;
                        }
                    }
                    Ok(())
                }
            }
        })?;
        self.head.sync(&conn, now)?;
        Ok(())
    }
}

/// Where the outbox of a data folder is.
pub fn outbox_path(data_dir: &Path) -> PathBuf {
    data_dir.join(OUTBOX_DIR).join(SMS_LOG)
}
