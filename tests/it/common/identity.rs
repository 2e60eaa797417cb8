//! Identity for test accounts (R7.1, R7.2): synthetic ID numbers and
//! mobiles, the one-time code read from the outbox, a stub verification
//! webhook, and binding an identity through the real pages.

use super::{Client, Page};
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// The environment variable naming the identity verification webhook.
pub const VERIFY_WEBHOOK_VAR: &str = "PLAZA_IDENTITY_VERIFY_WEBHOOK";

/// A stand-in for an external identity check (R7.2), shared by every server
/// of this test process: it answers `{"verified": true}`, or
/// `{"verified": false}` when the legal name starts with 拒绝. Servers get
/// it unless a test sets [`VERIFY_WEBHOOK_VAR`] itself (empty: an admin
/// confirms). Its last request body is kept for inspection.
pub fn verify_webhook() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("webhook stub");
        let url = format!("http://{}/verify", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0u8; len];
                let _ = reader.read_exact(&mut body);
                let body = String::from_utf8_lossy(&body).to_string();
                webhook_bodies().lock().unwrap().push(body.clone());
                let answer = if body.contains("\"legal_name\":\"拒绝") {
                    r#"{"verified": false, "reason": "姓名与号码不符"}"#
                } else {
                    r#"{"verified": true}"#
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        url
    })
}

/// Every request body the webhook stub received, oldest first.
pub fn webhook_bodies() -> &'static std::sync::Mutex<Vec<String>> {
    static ALL: OnceLock<std::sync::Mutex<Vec<String>>> = OnceLock::new();
    ALL.get_or_init(|| std::sync::Mutex::new(Vec::new()))
}

/// A fresh synthetic identity: a valid resident ID number and a mobile
/// number, different on every call in this process (so neither the
/// uniqueness rule nor the per-number code throttle gets in the way).
pub fn fresh_identity() -> (String, String) {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed) + u64::from(std::process::id() % 1000) * 100_000;
    let first17 = format!("110101{}0101{:03}", 1950 + (n / 1000) % 60, n % 1000);
    (with_id_check(&first17), format!("139{:08}", n % 100_000_000))
}

/// A GB 11643 ID number from its first 17 digits.
pub fn with_id_check(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.bytes().zip(W).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{first17}{}", char::from(b"10X98765432"[(sum % 11) as usize]))
}

/// The newest one-time code the outbox holds for `username` (R7.1).
pub fn code_for(data: &std::path::Path, username: &str) -> Option<String> {
    let log = std::fs::read_to_string(data.join("outbox").join("sms.log")).ok()?;
    let line = log.lines().rev().find(|l| l.split('\t').nth(1) == Some(&format!("@{username}")))?;
    let text = line.split('\t').nth(3)?;
    let i = text.find(|c: char| c.is_ascii_digit())?;
    Some(text[i..i + 6].to_string())
}

impl Client {
    /// Sign up (accepting the terms), stay logged in, and bind a verified
    /// identity so the account may publish (R7.1): see [`Client::verify_identity`].
    pub fn signup(&self, username: &str) -> Page {
        let p = self.signup_unverified(username);
        self.verify_identity(username);
        p
    }

    /// Bind a fresh synthetic identity through the real pages: the form,
    /// the one-time code read from the outbox, then wait for the
    /// verification webhook (the test stub) to confirm it. Returns the ID
    /// number and mobile used.
    pub fn verify_identity(&self, username: &str) -> (String, String) {
        let (id, mobile) = fresh_identity();
        self.bind_identity(username, "individual", "张三", &id, &mobile);
        self.wait_verified();
        (id, mobile)
    }

    /// Submit the identity form and confirm the code from the outbox.
    pub fn bind_identity(&self, username: &str, subject: &str, legal_name: &str, number: &str, mobile: &str) {
        let p = self.post(
            "/settings/identity",
            &[("subject_type", subject), ("legal_name", legal_name), ("number", number), ("mobile", mobile)],
        );
        assert_eq!(p.status, 303, "bind identity of {username}: {}", p.body);
        self.confirm_code(username);
    }

    /// Enter the newest code the outbox holds for `username`.
    pub fn confirm_code(&self, username: &str) -> Page {
        let code = code_for(&self.data, username).expect("a code in the outbox");
        let p = self.post("/settings/identity/confirm", &[("code", &code)]);
        assert_eq!(p.status, 303, "confirm code of {username}: {}", p.body);
        p
    }

    /// Wait (at most 10 s) until `/settings/identity` says verified.
    pub fn wait_verified(&self) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let p = self.get("/settings/identity");
            if p.has("id-status verified") {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "identity never verified: {}", p.body);
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
