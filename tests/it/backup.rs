//! `plaza backup` while the server is writing, then `plaza restore` into a
//! new folder: the copy is consistent, verifies, and matches the live data
//! it was taken from; a tampered backup is refused before anything is
//! copied.

use crate::common::Server;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn plaza(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza")).args(args).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn posts(db: &Path) -> Vec<(i64, i64, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT id, author_id, body FROM posts ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn backup_while_writing_then_restore_and_compare() {
    let s = Server::start();
    // A media file, uploaded with a post: stored as media/ab/abcd… by its SHA-256.
    let uploader = s.client();
    uploader.signup("photographer");
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let p = uploader.post_multipart(
        "/posts",
        &[("body", "图"), ("visibility", "public")],
        &[("media", "a.png", png.get_ref())],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let hash: String = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT sha256 FROM attachments", [], |r| r.get(0))
        .unwrap();
    let name = format!("{}/{hash}", &hash[..2]);
    let blob = std::fs::read(s.data.path().join("media").join(&name)).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let c = s.client();
            c.signup(&format!("writer{w}"));
            let stop = stop.clone();
            std::thread::spawn(move || {
                let token = c.csrf();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) && n < 5_000 {
                    let body = format!("w{w} 第 {n} 条");
                    let p = c.post_raw("/posts", &[("body", &body), ("visibility", "public"), ("csrf_token", &token)]);
                    assert_eq!(p.status, 303);
                    n += 1;
                }
                n
            })
        })
        .collect();
    // Let the writers get going, then back up under load.
    while posts(&s.db_path()).len() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let before = posts(&s.db_path()).len();
    let backup = tempfile::tempdir().unwrap();
    let out = backup.path().join("b1");
    let (ok, msg) = plaza(&["backup", "--out", out.to_str().unwrap(), "--data", s.data.path().to_str().unwrap()]);
    assert!(ok, "{msg}");
    let after = posts(&s.db_path()).len();
    stop.store(true, Ordering::Relaxed);
    let written: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(written > 30);

    // The manifest lists every file with its hash.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    for f in ["plaza.db", "plaza.key", "log.head", &format!("media/{name}")] {
        assert!(listed.contains(&f), "{f} in {listed:?}");
    }

    // Restore into a new folder and compare with the live data.
    let restored = backup.path().join("restored");
    let (ok, msg) = plaza(&["restore", out.to_str().unwrap(), "--data", restored.to_str().unwrap()]);
    assert!(ok, "{msg}");
    assert!(msg.contains("log ok"), "{msg}");
    let copy = posts(&restored.join("plaza.db"));
    let live = posts(&s.db_path());
    eprintln!("posts before {before}, in backup {}, after {after}, written {written}", copy.len());
    assert!(copy.len() >= before && copy.len() <= after, "{} not in {before}..={after}", copy.len());
    assert_eq!(copy[..], live[..copy.len()], "the copy is a prefix of the live posts");
    assert_eq!(std::fs::read(restored.join("media").join(&name)).unwrap(), blob);
    assert_eq!(
        std::fs::read(restored.join("plaza.key")).unwrap(),
        std::fs::read(s.data.path().join("plaza.key")).unwrap()
    );
    let (ok, msg) = plaza(&["log", "verify", "--data", restored.to_str().unwrap()]);
    assert!(ok, "{msg}");
    let (ok, msg) = plaza(&["doctor", "--data", restored.to_str().unwrap()]);
    assert!(ok, "{msg}");
    // The backup is logged in the live log, the restore in the restored one.
    let action_count = |db: &Path, action: &str| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM activity_log WHERE action = ?1", [action], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(action_count(&s.db_path(), "data.backup"), 1);
    assert_eq!(action_count(&restored.join("plaza.db"), "data.restore"), 1);

    // The restored folder serves.
    drop(s);
    let data = tempfile::TempDir::with_prefix("restored").unwrap();
    for f in crate::common::files_in(&restored) {
        let to = data.path().join(&f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(restored.join(&f), to).unwrap();
    }
    let s2 = Server::start_in(data, &[], &[]);
    let last = copy.last().unwrap();
    let p = s2.client().get(&format!("/posts/{}", last.0));
    assert_eq!(p.status, 200);
    assert!(p.has(&last.2));

    // Refused: not empty target, tampered files, edited manifest, extra files.
    let (ok, msg) = plaza(&["restore", out.to_str().unwrap(), "--data", restored.to_str().unwrap()]);
    assert!(!ok && msg.contains("not empty"), "{msg}");
    let tampered = |edit: &dyn Fn(&Path), expect: &str| {
        let t = tempfile::tempdir().unwrap();
        for f in crate::common::files_in(&out) {
            std::fs::create_dir_all(t.path().join(&f).parent().unwrap()).unwrap();
            std::fs::copy(out.join(&f), t.path().join(&f)).unwrap();
        }
        edit(t.path());
        let target = t.path().join("target");
        let (ok, msg) = plaza(&["restore", t.path().to_str().unwrap(), "--data", target.to_str().unwrap()]);
        assert!(!ok, "{expect}: {msg}");
        assert!(msg.contains(expect), "{expect}: {msg}");
        assert!(!target.exists(), "nothing copied");
    };
    tampered(
        &|d| {
            let mut b = std::fs::read(d.join("plaza.db")).unwrap();
            let i = b.len() / 2;
            b[i] ^= 1;
            std::fs::write(d.join("plaza.db"), b).unwrap();
        },
        "plaza.db: size or SHA-256 does not match",
    );
    tampered(&|d| std::fs::write(d.join("media").join(&name), b"swapped").unwrap(), "does not match the manifest");
    tampered(&|d| std::fs::remove_file(d.join("log.head")).unwrap(), "log.head is missing");
    tampered(&|d| std::fs::write(d.join("media").join("extra"), b"x").unwrap(), "media/extra is not in the manifest");
    tampered(
        &|d| {
            let m = std::fs::read_to_string(d.join("manifest.json")).unwrap();
            let m = m.replacen("\"log_entries\": ", "\"log_entries\": 1", 1);
            std::fs::write(d.join("manifest.json"), m).unwrap();
        },
        "signature of manifest.json does not match",
    );
}
