//! The publish path end to end with 10,000 keyword rules against none
//! (R12.1): 200 posts of 2,000 characters over HTTP, each a CSRF page
//! fetch, the POST and its commit with `synchronous=FULL`; then the import
//! of 10,000 rules and the first request after it (which rebuilds the
//! matcher). Starts the real server (built with the bench profile) on an
//! ephemeral port with a temporary data folder. Prints figures.
//!
//! `cargo bench --bench publish`

mod common;

use common::han;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PLAZA: &str = env!("CARGO_BIN_EXE_plaza");
const PASSWORD: &str = "correct horse";

/// The server; killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `plaza` on `data`; its base URL.
fn start(data: &Path) -> (Server, String) {
    let mut child = Command::new(PLAZA)
        .arg("--data")
        .arg(data)
        .args(["--listen", "127.0.0.1:0", "--bcrypt-cost", "4", "--workers", "4"])
        .env_remove("PLAZA_DATA")
        .env_remove("PLAZA_LISTEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start plaza");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let base = lines.find_map(|l| l.strip_prefix("Plaza listening on ").map(|b| b.trim().to_string()));
    std::thread::spawn(move || lines.for_each(drop));
    (Server(child), base.expect("server did not print its address"))
}

/// `plaza user add` with an identity the organisation verified, so the
/// account may publish at once (R7.1).
fn add_user(data: &Path, username: &str, id_number: &str, mobile: &str, role: Option<&str>) {
    let mut cmd = Command::new(PLAZA);
    cmd.args(["user", "add", "--username", username, "--password-stdin", "--legal-name", "张三"])
        .args(["--mobile", mobile, "--id-number", id_number, "--bcrypt-cost", "4", "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null());
    if let Some(r) = role {
        cmd.args(["--role", r]);
    }
    let mut child = cmd.spawn().expect("run plaza user add");
    child.stdin.take().unwrap().write_all(PASSWORD.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "plaza user add {username}");
}

/// A browser: cookie jar, no redirects followed.
struct Browser {
    agent: ureq::Agent,
    base: String,
}

impl Browser {
    fn new(base: &str) -> Browser {
        let agent = ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(60)).build();
        Browser { agent, base: base.to_string() }
    }

    /// GET a path: (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        answer(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    /// POST a form with the CSRF token of a fresh page added: the status.
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> u16 {
        // Signed in, every page has the logout form; signed out, the login page has a form.
        let key = "name=\"csrf_token\" value=\"";
        let token = |page: String| page.find(key).map(|i| page[i + key.len()..].split('"').next().unwrap().to_string());
        let token = token(self.get("/terms").1).or_else(|| token(self.get("/login").1)).expect("a page with a form");
        let mut all = fields.to_vec();
        all.push(("csrf_token", &token));
        answer(self.agent.post(&format!("{}{path}", self.base)).send_form(&all)).0
    }

    /// Log in and accept the agreement (version 1 on a new site).
    fn login(base: &str, username: &str) -> Browser {
        let b = Browser::new(base);
        assert_eq!(b.post("/login", &[("username", username), ("password", PASSWORD)]), 303, "login {username}");
        assert_eq!(b.post("/terms/accept", &[("version", "1")]), 303, "accept the agreement");
        b
    }
}

fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    let resp = match r {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = resp.status();
    let mut body = String::new();
    resp.into_reader().take(10 << 20).read_to_string(&mut body).expect("utf-8 body");
    (status, body)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = start(dir.path());
    add_user(dir.path(), "boss", "110101199003071233", "13800138000", Some("admin"));
    add_user(dir.path(), "alice", "11010119900307125X", "13900139000", None);
    let admin = Browser::login(&base, "boss");
    let alice = Browser::login(&base, "alice");

    let mut next = common::xorshift(0x2545_F491_4F6C_DD1D);
    // Every 10th post carries a planted `flag` keyword, spread out by spaces.
    let posts: Vec<String> = (0..200)
        .map(|n| {
            let mut p: String = (0..1990).map(|i| if i % 13 == 0 { '，' } else { han(next()) }).collect();
            p.push_str(if n % 10 == 0 { "基 准 标 记" } else { "普通的结尾文字" });
            p
        })
        .collect();
    let run = |label: &str| {
        let start = Instant::now();
        let mut refused = 0;
        for body in &posts {
            if alice.post("/posts", &[("body", body), ("visibility", "public")]) != 303 {
                refused += 1;
            }
        }
        let per = start.elapsed().as_secs_f64() / posts.len() as f64;
        println!(
            "publish, {label}: {} posts of 2,000 characters, {:.2} ms each (CSRF fetch + POST + redirect), {refused} refused",
            posts.len(),
            per * 1e3
        );
    };
    run("no rules");
    let rules: String = std::iter::once("基准标记\tbench\tflag\n".to_string())
        .chain((1..10_000).map(|i| {
            let len = 3 + next() % 2;
            let p: String = (0..len).map(|_| han(next())).collect();
            format!("{p}\tbench\t{}\n", ["flag", "review", "block"][i % 3])
        }))
        .collect();
    let t = Instant::now();
    assert_eq!(admin.post("/admin/keywords/import", &[("rules", &rules)]), 303, "import the rules");
    println!("  import of 10,000 rules: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    alice.get("/public");
    println!("  first request after the change (rebuilds the matcher): {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    run("10,000 rules");
    let conn = rusqlite::Connection::open(dir.path().join("plaza.db")).unwrap();
    let count = |kind: &str| -> i64 {
        conn.query_row("SELECT count(*) FROM review_items WHERE kind = ?1", [kind], |r| r.get(0)).unwrap()
    };
    println!("  with the rules: {} posts flagged, {} held", count("flag"), count("hold"));
}
