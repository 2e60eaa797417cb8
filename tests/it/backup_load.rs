//! `plaza backup` under load (R16.2, R12.2: the log and evidence survive
//! in a backup that is complete): taken while other threads upload images
//! and delete posts over HTTP, it copies the database first and then
//! exactly the media the copy references; restored into a new folder,
//! `doctor` is clean and a server started there serves every image. A
//! restore into a non-empty folder, or from a backup whose files do not
//! match its manifest, is refused with a clear message and changes nothing.

use crate::common::{id_from, Server};
use sha2::Digest;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

fn plaza(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza")).args(args).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// A small PNG, different for every `n`.
fn png(n: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([(n % 251) as u8, (n / 251 % 251) as u8, 7]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> =
        crate::common::files_in(dir).into_iter().map(|p| p.to_string_lossy().into_owned()).collect();
    out.sort();
    out
}

/// Images of published posts in a data folder.
fn published_images(data: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(data.join("plaza.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT a.sha256 FROM attachments a JOIN posts p ON p.id = a.post_id
             WHERE p.status = 'published' ORDER BY a.sha256",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn backup_under_uploads_and_deletions_restores_complete() {
    let s = Server::start();
    let stop = Arc::new(AtomicBool::new(false));
    let uploaded = Arc::new(AtomicUsize::new(0));
    let deleted = Arc::new(AtomicUsize::new(0));
    let load: Vec<_> = (0..3u32)
        .map(|w| {
            let c = s.client();
            c.signup(&format!("uploader{w}"));
            let (stop, uploaded, deleted) = (stop.clone(), uploaded.clone(), deleted.clone());
            std::thread::spawn(move || {
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) && n < 2_000 {
                    let p = c.post_multipart(
                        "/posts",
                        &[("body", &format!("图 {w}-{n}")), ("visibility", "public")],
                        &[("media", "a.png", &png(w * 10_000 + n))],
                    );
                    assert_eq!(p.status, 303, "{}", p.body);
                    uploaded.fetch_add(1, Ordering::Relaxed);
                    // Every other post is deleted by its author right away.
                    if n % 2 == 1 {
                        let id = id_from(p.location.as_deref().unwrap());
                        assert_eq!(c.post(&format!("/posts/{id}/delete"), &[]).status, 303);
                        deleted.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                }
            })
        })
        .collect();
    while uploaded.load(Ordering::Relaxed) < 12 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let backups = tempfile::tempdir().unwrap();
    let out = backups.path().join("b1");
    let (ok, text) = plaza(&["backup", "--data", s.data.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let during = uploaded.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    assert!(ok, "{text}");
    assert!(uploaded.load(Ordering::Relaxed) > 12 && deleted.load(Ordering::Relaxed) > 0);
    eprintln!("backup taken with {during} uploads done: {text}");

    // Exactly the referenced media: no temp files, nothing else.
    let files = tree(&out);
    assert!(files.iter().all(|f| !f.starts_with("media/tmp")), "{files:?}");
    let copy = rusqlite::Connection::open_with_flags(
        format!("file:{}?immutable=1", out.join("plaza.db").display()),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap();
    let mut stmt = copy.prepare("SELECT sha256 FROM media_refs ORDER BY sha256").unwrap();
    let refs: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let media: Vec<String> =
        files.iter().filter(|f| f.starts_with("media/")).map(|f| f.rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(media, refs, "the media are exactly those the copied database references");
    assert!(refs.len() >= 12, "{refs:?}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), files.len() - 1, "every file but the manifest itself is listed");
    for f in listed {
        let path = f["path"].as_str().unwrap();
        let sha = hex::encode(sha2::Sha256::digest(std::fs::read(out.join(path)).unwrap()));
        assert_eq!(f["sha256"].as_str().unwrap(), sha, "{path}");
    }
    drop(stmt);
    drop(copy);

    // Restore into a new folder: doctor clean, every image served.
    let restored = tempfile::tempdir().unwrap();
    let (ok, text) = plaza(&["restore", out.to_str().unwrap(), "--data", restored.path().to_str().unwrap()]);
    assert!(ok, "{text}");
    let (ok, text) = plaza(&["doctor", "--data", restored.path().to_str().unwrap()]);
    assert!(ok, "{text}");
    let images = published_images(restored.path());
    assert!(!images.is_empty());
    let r = Server::start_in(restored, &[], &[]);
    let anon = r.client();
    for h in &images {
        let got = anon.get_raw(&format!("/media/{h}"), &[]);
        assert_eq!(got.status, 200, "/media/{h}");
        assert_eq!(hex::encode(sha2::Sha256::digest(&got.body)), *h);
    }
    let (ok, out_text, err) = r.command(&["log", "verify"]);
    assert!(ok, "{out_text}{err}");
}

#[test]
fn restore_refuses_a_non_empty_folder_and_a_mismatching_manifest() {
    let s = Server::start();
    let c = s.client();
    c.signup("one_image");
    for n in 0..2 {
        let p = c.post_multipart(
            "/posts",
            &[("body", "图"), ("visibility", "public")],
            &[("media", "a.png", &png(900 + n))],
        );
        assert_eq!(p.status, 303, "{}", p.body);
    }
    let backups = tempfile::tempdir().unwrap();
    let out = backups.path().join("b");
    let (ok, text) = plaza(&["backup", "--data", s.data.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{text}");
    // A backup never writes into a folder that has something in it.
    let (ok, text) = plaza(&["backup", "--data", s.data.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok && text.contains("is not empty"), "{text}");

    // Restore into a non-empty folder: refused, the folder untouched.
    let busy = tempfile::tempdir().unwrap();
    std::fs::write(busy.path().join("keep.txt"), b"mine").unwrap();
    let (ok, text) = plaza(&["restore", out.to_str().unwrap(), "--data", busy.path().to_str().unwrap()]);
    assert!(!ok && text.contains("is not empty: refusing to write into it"), "{text}");
    assert_eq!(tree(busy.path()), ["keep.txt"]);

    let media: Vec<String> = tree(&out).into_iter().filter(|f| f.starts_with("media/")).collect();
    assert_eq!(media.len(), 2, "{media:?}");
    // A media file that no longer matches the manifest: refused, nothing written.
    let changed = backups.path().join("changed");
    std::process::Command::new("cp").arg("-r").arg(&out).arg(&changed).status().unwrap();
    std::fs::write(changed.join(&media[0]), b"not the image").unwrap();
    let target = backups.path().join("target1");
    let (ok, text) = plaza(&["restore", changed.to_str().unwrap(), "--data", target.to_str().unwrap()]);
    assert!(!ok && text.contains(&format!("{}: size or SHA-256 does not match the manifest", media[0])), "{text}");
    assert!(!target.exists(), "nothing changed");
    // A referenced media file missing from the backup: refused.
    let missing = backups.path().join("missing");
    std::process::Command::new("cp").arg("-r").arg(&out).arg(&missing).status().unwrap();
    std::fs::remove_file(missing.join(&media[1])).unwrap();
    let target = backups.path().join("target2");
    let (ok, text) = plaza(&["restore", missing.to_str().unwrap(), "--data", target.to_str().unwrap()]);
    assert!(!ok && text.contains(&format!("{} is missing", media[1])), "{text}");
    assert!(!target.exists(), "nothing changed");
    // The intact backup still restores.
    let target = backups.path().join("target3");
    let (ok, text) = plaza(&["restore", out.to_str().unwrap(), "--data", target.to_str().unwrap()]);
    assert!(ok, "{text}");

    // A live media file the database still references is gone: no backup
    // that would restore a site missing an image, and no partial folder.
    std::fs::remove_file(s.data.path().join(&media[0])).unwrap();
    let out2 = backups.path().join("b2");
    let (ok, text) = plaza(&["backup", "--data", s.data.path().to_str().unwrap(), "--out", out2.to_str().unwrap()]);
    assert!(!ok, "{text}");
    assert!(text.contains(&format!("{} is referenced by the database but missing", media[0])), "{text}");
    assert!(tree(&out2).is_empty(), "{:?}", tree(&out2));
}

#[test]
fn stale_upload_temp_files_are_removed_at_start() {
    let s = Server::start();
    let tmp = s.data.path().join("media").join("tmp");
    let data = s.stop();
    // What a killed server leaves behind mid-upload, aged past the grace period.
    for name in ["upload-abc123", "stage-def456"] {
        std::fs::write(tmp.join(name), b"half an upload").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options().write(true).open(tmp.join(name)).unwrap().set_modified(old).unwrap();
    }
    let s = Server::start_in(data, &[], &[]);
    assert!(tree(&tmp).is_empty(), "{:?}", tree(&tmp));
    assert!(s.stderr().contains("removed 2 upload temp files"), "{}", s.stderr());
    let (ok, out, err) = s.command(&["doctor"]);
    assert!(ok, "{out}{err}");
}
