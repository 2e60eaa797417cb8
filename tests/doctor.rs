//! `plaza doctor`: database integrity and foreign keys, the activity log
//! and its signed head, media files present and matching their SHA-256
//! names; one line per fault and a non-zero exit.

mod common;
use common::Server;

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

#[test]
fn doctor_finds_missing_corrupted_and_stray_media_and_broken_data() {
    let s = Server::start();
    let c = s.client();
    c.signup("healthy");
    c.post_status("一切正常", "public");
    let (ok, out, err) = s.command(&["doctor"]);
    assert!(ok, "{out}{err}");
    assert!(out.starts_with("ok: database, foreign keys, activity log ("), "{out}");

    // Media as uploads store them: files named by their SHA-256, referred
    // to by a `sha256` column. (This table stands in for the media table
    // being added in parallel; doctor finds references by that convention.)
    let media = s.data.path().join("media");
    let good = b"good image bytes";
    let corrupt = b"original bytes";
    let missing = b"never stored";
    let (good_h, corrupt_h, missing_h) = (sha256_hex(good), sha256_hex(corrupt), sha256_hex(missing));
    std::fs::write(media.join(&good_h), good).unwrap();
    std::fs::write(media.join(&corrupt_h), b"bit rot").unwrap();
    let orphan = b"nobody refers to me";
    std::fs::write(media.join(sha256_hex(orphan)), orphan).unwrap();
    std::fs::write(media.join("notes.txt"), b"?").unwrap();
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE media_probe (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL);
         INSERT INTO media_probe (sha256) VALUES ('{good_h}'), ('{corrupt_h}'), ('{missing_h}');"
    ))
    .unwrap();

    let (ok, out, err) = s.command(&["doctor"]);
    assert!(!ok, "{out}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("plaza: ")), "{err}");
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(has(&format!("media: {missing_h}: missing, referred to by media_probe.sha256")), "{err}");
    assert!(has(&format!("media: media/{corrupt_h}: corrupted")), "{err}");
    assert!(has("media: media/notes.txt: not named by its SHA-256, unaccounted for"), "{err}");
    assert!(has(&format!("media: media/{}: orphan", sha256_hex(orphan))), "{err}");
    assert!(!has(&good_h), "the good file is fine: {err}");
    assert_eq!(lines.len(), 4, "one line per fault: {err}");

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
    assert_eq!(err.lines().count(), 6, "{err}");
}
