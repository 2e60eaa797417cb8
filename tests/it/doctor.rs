//! `plaza doctor`: database integrity and foreign keys, the activity log
//! and its signed head, media files present and matching their SHA-256
//! names, orphans; one line per fault and a non-zero exit.

use crate::common::{id_from, Server};
use std::time::{Duration, SystemTime};

/// A small PNG of one colour (each colour a different file).
fn png(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([shade, 0, 0]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

#[test]
fn doctor_finds_missing_corrupted_orphaned_and_stray_media_and_broken_data() {
    let s = Server::start();
    let c = s.client();
    c.signup("healthy");
    let mut hashes = Vec::new();
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    for shade in [10u8, 20, 30] {
        let p =
            c.post_multipart("/posts", &[("body", "图"), ("visibility", "public")], &[("media", "a.png", &png(shade))]);
        assert_eq!(p.status, 303, "{}", p.body);
        let id = id_from(p.location.as_deref().unwrap());
        let h: String =
            conn.query_row("SELECT sha256 FROM attachments WHERE post_id = ?1", [id], |r| r.get(0)).unwrap();
        hashes.push(h);
    }
    let (ok, out, err) = s.command(&["doctor"]);
    assert!(ok, "{out}{err}");
    assert!(out.starts_with("ok: database, foreign keys, activity log ("), "{out}");

    let media = s.data.path().join("media");
    let at = |h: &str| media.join(&h[..2]).join(h);
    let (good, corrupt, missing) = (&hashes[0], &hashes[1], &hashes[2]);
    std::fs::write(at(corrupt), b"bit rot").unwrap();
    std::fs::remove_file(at(missing)).unwrap();
    // An orphan old enough to be no upload in flight, and a stray file.
    let orphan = b"nobody refers to me";
    let orphan_h = sha256_hex(orphan);
    std::fs::create_dir_all(at(&orphan_h).parent().unwrap()).unwrap();
    std::fs::write(at(&orphan_h), orphan).unwrap();
    let old = SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options().write(true).open(at(&orphan_h)).unwrap().set_modified(old).unwrap();
    std::fs::write(media.join("notes.txt"), b"?").unwrap();

    let (ok, out, err) = s.command(&["doctor"]);
    assert!(!ok, "{out}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("plaza: ")), "{err}");
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(has(&format!("media: {missing}: missing")), "{err}");
    assert!(has(&format!("media: {corrupt}: corrupted")), "{err}");
    assert!(has("media: media/notes.txt: unaccounted for"), "{err}");
    assert!(has(&format!("{orphan_h}: orphan")), "{err}");
    assert!(!has(good), "the good file is fine: {err}");
    assert_eq!(lines.len(), 4, "one line per fault: {err}");

    // --gc removes the orphan (never a referenced file) and reports the rest.
    let (ok, _, err) = s.command(&["doctor", "--gc"]);
    assert!(!ok);
    assert!(!err.contains("orphan") && err.lines().count() == 3, "{err}");
    assert!(!at(&orphan_h).exists() && at(good).exists());

    // Broken foreign keys and a cut log are found too.
    conn.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
    conn.execute("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (1, 999, 0)", []).unwrap();
    conn.execute_batch("DROP TRIGGER activity_log_no_delete;").unwrap();
    conn.execute("DELETE FROM activity_log WHERE id = (SELECT max(id) FROM activity_log)", []).unwrap();
    let (ok, _, err) = s.command(&["doctor"]);
    assert!(!ok);
    assert!(err.contains("database: follows row"), "{err}");
    assert!(err.contains("refers to a missing users row"), "{err}");
    assert!(err.contains("log: truncated"), "{err}");
    // R16.2: the dropped append-only guard is a fault of its own.
    assert!(err.contains("trigger activity_log_no_delete is missing"), "{err}");
    assert_eq!(err.lines().count(), 6, "the three media faults and these three: {err}");
}
