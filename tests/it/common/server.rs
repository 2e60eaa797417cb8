//! Starting and stopping the real `plaza` binary on an ephemeral port with
//! a temporary data folder, running its commands, and a site with its
//! first admin.

use super::{verify_webhook, Client, VERIFY_WEBHOOK_VAR};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
        // Every test client comes from 127.0.0.1: lift the sign-up limit
        // unless the test sets its own.
        cmd.env("PLAZA_SIGNUP_PER_ADDRESS_HOUR", "1000");
        // Staff pages need a second factor for admins and chief editors
        // (issue 15); tests about it switch it on, the others use staff
        // pages without one.
        cmd.env("PLAZA_SECOND_FACTOR_FOR_TOP_STAFF", "false");
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
