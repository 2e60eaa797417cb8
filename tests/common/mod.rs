//! Test harness: starts the real `plaza` binary on an ephemeral port with a
//! temporary data folder, and a browser-like client (cookie jar, CSRF-aware
//! form posts, no automatic redirects).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
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

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The one-time setup URL printed at start (None once an admin exists).
    pub setup_url: Option<String>,
    /// The data folder (kept alive with the server).
    pub data: tempfile::TempDir,
}

impl Server {
    /// Start a server on a fresh data folder.
    pub fn start() -> Server {
        Server::start_with(&[], &[])
    }

    /// Start with extra command-line arguments and environment variables.
    ///
    /// Like a real site that has done its paperwork, reposting is switched
    /// on with a security assessment on record (R13.1), through the
    /// operator's command; [`Server::start_unassessed`] leaves it off.
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Server {
        let s = Server::start_unassessed(args, env);
        s.switch_reposts_on();
        s
    }

    /// Record a security assessment for reposts and switch them on, as the
    /// operator does with `plaza feature on reposts` (R13.1).
    pub fn switch_reposts_on(&self) {
        let (ok, out, err) = self.command(&[
            "feature",
            "on",
            "reposts",
            "--assessed-on",
            "2026-01-05",
            "--reference",
            "TEST-R13.1-0001",
        ]);
        assert!(ok, "switching reposts on: {out}{err}");
    }

    /// Start on a fresh data folder as a new site is: every feature with
    /// mobilisation attributes off.
    pub fn start_unassessed(args: &[&str], env: &[(&str, &str)]) -> Server {
        let data = tempfile::tempdir().expect("temp dir");
        Server::start_in(data, args, env)
    }

    /// Start on an existing data folder.
    pub fn start_in(data: tempfile::TempDir, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaza"));
        cmd.arg("--data").arg(data.path()).args(["--listen", "127.0.0.1:0"]);
        // Test defaults, unless the test gives its own.
        for (flag, value) in [("--bcrypt-cost", "4"), ("--workers", "4")] {
            if !args.contains(&flag) {
                cmd.args([flag, value]);
            }
        }
        cmd.args(args)
            .env_remove("PLAZA_DATA")
            .env_remove("PLAZA_LISTEN")
            .env(VERIFY_WEBHOOK_VAR, verify_webhook())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(data.path().join("stderr.log")).expect("stderr log"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start plaza");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut setup = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Plaza listening on ") {
                    let _ = tx.send((rest.trim().to_string(), setup.take()));
                } else if let Some(i) = line.find("http://").filter(|_| line.contains("/setup?token=")) {
                    setup = Some(line[i..].trim().to_string());
                }
            }
        });
        let (base, setup_url) =
            rx.recv_timeout(Duration::from_secs(20)).map(|(b, s)| (Some(b), s)).unwrap_or((None, None));
        let base = base.expect("server did not print its address");
        Server { child, base, setup_url, data }
    }

    /// A new browser with an empty cookie jar.
    pub fn client(&self) -> Client {
        Client {
            agent: ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(30)).build(),
            base: self.base.clone(),
            data: self.data.path().to_path_buf(),
        }
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.data.path().join("stderr.log")).unwrap_or_default()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Is the server process still running?
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The server's resident memory in KiB (Linux `VmRSS`).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// Path of the database file.
    pub fn db_path(&self) -> PathBuf {
        self.data.path().join("plaza.db")
    }

    /// Stop the server and hand back its data folder, for a restart.
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self.data, tempfile::tempdir().unwrap())
    }

    /// Run `plaza ARGS --data DIR` to completion: (exit success, stdout, stderr).
    pub fn command(&self, args: &[&str]) -> (bool, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_plaza"))
            .args(args)
            .arg("--data")
            .arg(self.data.path())
            .output()
            .expect("run plaza");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Page {
    /// Does the body contain `s`?
    pub fn has(&self, s: &str) -> bool {
        self.body.contains(s)
    }

    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first `csrf_token` value in the page's forms.
    pub fn csrf(&self) -> Option<String> {
        let i = self.body.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
        Some(self.body[i..].split('"').next()?.to_string())
    }
}

/// A browser: cookie jar, no automatic redirects.
pub struct Client {
    pub agent: ureq::Agent,
    pub base: String,
    /// The server's data folder, where the outbox of one-time codes is.
    pub data: PathBuf,
}

fn into_page(r: Result<ureq::Response, ureq::Error>) -> Page {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = resp.status();
    let location = resp.header("location").map(String::from);
    let headers = resp
        .headers_names()
        .into_iter()
        .flat_map(|n| resp.all(&n).into_iter().map(|v| (n.clone(), v.to_string())).collect::<Vec<_>>())
        .collect();
    let mut body = String::new();
    resp.into_reader().take(10 << 20).read_to_string(&mut body).expect("utf-8 body");
    Page { status, body, location, headers }
}

impl Client {
    /// GET a path.
    pub fn get(&self, path: &str) -> Page {
        into_page(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    /// The CSRF token this browser's forms carry now.
    pub fn csrf(&self) -> String {
        // Signed in, every page has the logout form; signed out, the login page has a form.
        self.get("/terms").csrf().or_else(|| self.get("/login").csrf()).expect("a page with a form")
    }

    /// POST a form with this browser's CSRF token added.
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all)
    }

    /// POST a form exactly as given (no CSRF token added).
    pub fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        into_page(self.agent.post(&format!("{}{path}", self.base)).send_form(fields))
    }

    /// POST raw bytes with a content type.
    pub fn post_bytes(&self, path: &str, content_type: &str, body: &[u8]) -> Page {
        into_page(self.agent.post(&format!("{}{path}", self.base)).set("Content-Type", content_type).send_bytes(body))
    }

    /// POST `multipart/form-data` with this browser's CSRF token added:
    /// text `fields`, then `files` as (field, file name, bytes).
    pub fn post_multipart(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        let (ct, body) = multipart_body(&all, files);
        self.post_bytes(path, &ct, &body)
    }

    /// GET a path with extra request headers; the body as bytes.
    pub fn get_raw(&self, path: &str, headers: &[(&str, &str)]) -> Raw {
        let mut rq = self.agent.get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            rq = rq.set(k, v);
        }
        let resp = match rq.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .flat_map(|n| resp.all(&n).into_iter().map(|v| (n.clone(), v.to_string())).collect::<Vec<_>>())
            .collect();
        let mut body = Vec::new();
        resp.into_reader().take(200 << 20).read_to_end(&mut body).expect("body");
        Raw { status, headers, body }
    }

    /// Sign up (accepting the terms), stay logged in, and bind a verified
    /// identity so the account may publish (R7.1): see [`Client::verify_identity`].
    pub fn signup(&self, username: &str) -> Page {
        let p = self.signup_unverified(username);
        self.verify_identity(username);
        p
    }

    /// Sign up (accepting the terms) and stay logged in, with no identity.
    pub fn signup_unverified(&self, username: &str) -> Page {
        let p = self.post("/signup", &[("username", username), ("password", "correct horse"), ("accept_terms", "1")]);
        assert_eq!(p.status, 303, "signup {username}: {}", p.body);
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

    /// Log in with the password `signup` uses.
    pub fn login(&self, username: &str) -> Page {
        self.post("/login", &[("username", username), ("password", "correct horse")])
    }

    /// Publish a post; returns its id.
    pub fn post_status(&self, body: &str, visibility: &str) -> i64 {
        let p = self.post("/posts", &[("body", body), ("visibility", visibility)]);
        assert_eq!(p.status, 303, "post: {}", p.body);
        id_from(p.location.as_deref().unwrap())
    }
}

/// An answer with a binary body.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A `multipart/form-data` body: (content type, bytes).
pub fn multipart_body(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----plazaTestBoundary7MA4YWxkTrZu0gW";
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    for (field, name, data) in files {
        b.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

/// The number after `/posts/` in a location.
pub fn id_from(location: &str) -> i64 {
    location.trim_start_matches("/posts/").split(['#', '?']).next().unwrap().parse().expect("post id")
}

/// A server with the first admin created through the setup URL, and that
/// admin's browser.
pub fn with_admin() -> (Server, Client) {
    let s = Server::start();
    let admin = setup_admin(&s);
    // The first admin binds an identity like everyone else before publishing (R7.1).
    admin.verify_identity("admin");
    (s, admin)
}

/// Create the first admin (`admin`) through the setup URL; no identity yet.
pub fn setup_admin(s: &Server) -> Client {
    let admin = s.client();
    let url = s.setup_url.clone().expect("setup url printed");
    let path = &url[s.base.len()..];
    let token = path.split("token=").nth(1).unwrap().to_string();
    let form = admin.get(path);
    assert_eq!(form.status, 200, "{}", form.body);
    let p = admin.post(
        "/setup",
        &[("token", &token), ("username", "admin"), ("password", "correct horse"), ("accept_terms", "1")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    admin
}

/// Run `plaza ARGS --data DIR` with `stdin` as standard input: (exit success, stdout, stderr).
pub fn command_with_stdin(s: &Server, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(args)
        .arg("--data")
        .arg(s.data.path())
        .args(["--bcrypt-cost", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plaza");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// What a [`RawClient`] request got back, with the local port it came from.
#[derive(Debug)]
pub struct RawAnswer {
    /// The client's TCP port: what the server must log as the source port.
    pub local_port: u16,
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// A browser over plain TCP, one connection per request, so a test knows
/// the exact source port of every request (R16.1). Keeps the session
/// cookie and the CSRF token.
pub struct RawClient {
    pub addr: String,
    pub cookies: Vec<(String, String)>,
    /// Extra headers sent with every request (e.g. `X-Forwarded-For`).
    pub headers: Vec<(String, String)>,
    pub user_agent: String,
}

impl RawClient {
    /// A client of `s` with an empty cookie jar.
    pub fn new(s: &Server, user_agent: &str) -> RawClient {
        RawClient {
            addr: s.base.trim_start_matches("http://").to_string(),
            cookies: Vec::new(),
            headers: Vec::new(),
            user_agent: user_agent.into(),
        }
    }

    /// Send one request on a fresh connection.
    pub fn send(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> RawAnswer {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let local_port = stream.local_addr().unwrap().port();
        let body: String = form
            .iter()
            .map(|(k, v)| {
                let enc =
                    |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
                format!("{}={}", enc(k), enc(v))
            })
            .collect::<Vec<_>>()
            .join("&");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nUser-Agent: {}\r\n",
            self.addr, self.user_agent
        );
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
        }
        for (k, v) in &self.headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if method == "POST" {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(&body);
        stream.write_all(req.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut location = None;
        for line in head.lines().skip(1) {
            let Some((k, v)) = line.split_once(':') else { continue };
            let v = v.trim();
            if k.eq_ignore_ascii_case("location") {
                location = Some(v.to_string());
            } else if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or("");
                if let Some((name, value)) = pair.split_once('=') {
                    self.cookies.retain(|(n, _)| n != name);
                    if !value.is_empty() && !v.contains("Max-Age=0") {
                        self.cookies.push((name.to_string(), value.to_string()));
                    }
                }
            }
        }
        RawAnswer { local_port, status, location, body: body.to_string() }
    }

    /// The CSRF token this client's forms carry now.
    pub fn csrf(&mut self) -> String {
        let p = self.send("GET", "/login?next=/", &[]);
        let p = if p.body.contains("csrf_token") { p } else { self.send("GET", "/terms", &[]) };
        let key = "name=\"csrf_token\" value=\"";
        let i = p.body.find(key).expect("a form") + key.len();
        p.body[i..].split('"').next().unwrap().to_string()
    }

    /// POST a form with the CSRF token added.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> RawAnswer {
        let token = self.csrf();
        let mut all = fields.to_vec();
        all.push(("csrf_token", &token));
        self.send("POST", path, &all)
    }

    /// Bind a fresh synthetic identity and confirm the code from the outbox
    /// of data folder `data`, then wait for the webhook stub to verify it
    /// (like [`Client::verify_identity`]). Returns the answers of the form
    /// and of the code.
    pub fn verify_identity(&mut self, data: &std::path::Path, username: &str) -> (RawAnswer, RawAnswer) {
        let (id, mobile) = fresh_identity();
        let bind = self.post(
            "/settings/identity",
            &[("subject_type", "individual"), ("legal_name", "张三"), ("number", &id), ("mobile", &mobile)],
        );
        assert_eq!(bind.status, 303, "{}", bind.body);
        let code = code_for(data, username).expect("a code in the outbox");
        let confirm = self.post("/settings/identity/confirm", &[("code", &code)]);
        assert_eq!(confirm.status, 303, "{}", confirm.body);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !self.send("GET", "/settings/identity", &[]).body.contains("id-status verified") {
            assert!(std::time::Instant::now() < deadline, "identity of {username} never verified");
            std::thread::sleep(Duration::from_millis(10));
        }
        (bind, confirm)
    }
}

/// Every file under `dir`, relative, for copying a data folder.
pub fn files_in(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}
