//! `plaza backup --out DIR` and `plaza restore DIR --data NEWDIR`.
//!
//! A backup is a folder: a consistent copy of the database taken with
//! `VACUUM INTO` while the server runs (one read transaction: writers go
//! on), then exactly the media files that copy references (never upload
//! temp files or orphans), the key file, a signed log head for the copied
//! chain, `plaza.toml` if any, and `manifest.json` listing each file's size
//! and SHA-256 under an HMAC keyed from the master key. Restore checks all
//! of that, and that every media file the backed-up database references is
//! there and hashes to its name, before it copies anything; then it checks
//! the database and the log chain (R16.2, R16.3, R12.2: the log and the
//! evidence with its media survive complete).
//!
//! The backup holds the key: keep it as safe as the data folder itself.

use super::{progress, DataDir};
use crate::crypto::{self, Keys, KEY_FILE};
use crate::db::{self, log::HEAD_FILE};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The manifest's file name inside a backup.
pub const MANIFEST: &str = "manifest.json";
/// The format this program writes and reads.
const FORMAT: &str = "plaza-backup-1";

/// One file of a backup.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative path with `/` separators, e.g. `media/ab12...`.
    pub path: String,
    pub bytes: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `plaza-backup-1`.
    pub format: String,
    /// UTC unix seconds.
    pub created_at: i64,
    /// `PRAGMA user_version` of the copied database.
    pub schema_version: i64,
    /// Activity-log entries in the copy (the newest id).
    pub log_entries: i64,
    pub files: Vec<FileEntry>,
    /// Hex HMAC-SHA256 of this manifest with `mac` empty, under the
    /// backup key derived from the master key in `plaza.key`.
    pub mac: String,
}

impl Manifest {
    fn compute_mac(&self, keys: &Keys) -> String {
        let mut unsigned = self.clone();
        unsigned.mac.clear();
        let bytes = serde_json::to_vec(&unsigned).expect("a manifest serialises");
        hex::encode(crypto::hmac_sha256(&keys.backup, &bytes))
    }
}

/// Make `dir` as an empty folder readable by its owner only, refusing one
/// that has anything in it.
pub(crate) fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::Config(format!("{}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Error::Config(format!("{} is not empty: refusing to write into it", dir.display())));
        }
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| Error::Config(format!("cannot create {}: {e}", dir.display())))
}

/// Copy `from` to `to` (creating parent folders), returning its size and
/// hex SHA-256; `tick` gets the bytes as they go.
pub(crate) fn copy_hashed(from: &Path, to: &Path, tick: &dyn Fn(u64)) -> Result<(u64, String)> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::File::create(to)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = src.metadata()?.permissions().mode();
        dst.set_permissions(std::fs::Permissions::from_mode(mode & 0o777))?;
    }
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = src.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        dst.write_all(&buf[..k])?;
        n += k as u64;
        tick(k as u64);
    }
    dst.sync_all()?;
    Ok((n, hex::encode(h.finalize())))
}

/// Size and hex SHA-256 of a file.
pub fn hash_file(path: &Path) -> Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, hex::encode(h.finalize())))
}

/// Every regular file under `dir`, as paths relative to `base` with `/`
/// separators, sorted.
pub fn files_under(base: &Path, dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                let rel = e.path().strip_prefix(base).map_err(|err| Error::Internal(err.to_string()))?.to_path_buf();
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// How many times [`backup`] takes a fresh database copy when a media file
/// the copy references vanished before it was copied (deleted meanwhile,
/// e.g. by `plaza media gc`: a fresher copy no longer references it).
const COPY_ATTEMPTS: usize = 3;

/// Open a database copy read-only without touching it (no `-wal`/`-shm`
/// files appear beside it).
fn open_copy(path: &Path) -> Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let uri = format!("file:{}?immutable=1", path.display());
    Ok(rusqlite::Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI)?)
}

/// Remove everything inside `dir` (which [`fresh_dir`] found empty), so a
/// failed backup or restore leaves no partial folder behind.
pub(crate) fn empty_out(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        }
    }
}

/// Where a media file lives inside a data folder or a backup.
pub(crate) fn media_rel(sha256: &str) -> String {
    format!("media/{}/{sha256}", &sha256[..2])
}

/// `plaza backup --out DIR`: see the module doc. Works while the server
/// runs and uploads go on; the backup is logged (`data.backup`) in the live
/// database.
///
/// Order (issue 14): the database first (`VACUUM INTO`, one consistent
/// snapshot), then exactly the media files that copy references (so no post
/// in the copy lacks its image, and no upload temp file or orphan is
/// copied), each checked against its SHA-256 name. A referenced file that
/// vanished meanwhile (its post deleted and the file collected) makes the
/// backup take a fresher copy, which no longer references it, up to
/// [`COPY_ATTEMPTS`] times. The copy gets its own signed log head, made
/// after checking that the live head (sound, or the command refuses, R16.3)
/// matches the copy's chain.
///
/// # Returns
/// A summary line.
///
/// # Errors
/// `Error::Config` when `out` is not empty, the live head is damaged, a
/// referenced media file is missing or corrupted in the data folder (the
/// message names it); `Error::Db` / `Error::Io`. Nothing is left in `out`
/// on failure.
pub fn backup(data: &Path, out: &Path) -> Result<String> {
    let dir = DataDir::open(data)?;
    fresh_dir(out)?;
    match backup_into(&dir, data, out) {
        Ok(s) => Ok(s),
        Err(e) => {
            empty_out(out);
            Err(e)
        }
    }
}

fn backup_into(dir: &DataDir, data: &Path, out: &Path) -> Result<String> {
    // The live head before the copy: the copy holds at least what it signs.
    let live_head = match dir.head.read()? {
        Some(Ok(h)) => Some(h),
        _ => None,
    };
    let store = crate::media::Store::new(data);
    let bar = progress(0, "backing up", true);
    let tick = |n: u64| bar.inc(n);
    let db_copy = out.join(db::DB_FILE);
    // Media copied so far, by hash (kept across attempts: content-addressed).
    let mut copied: std::collections::BTreeMap<String, FileEntry> = std::collections::BTreeMap::new();
    let mut attempt = 0;
    let (refs, schema_version, newest) = loop {
        attempt += 1;
        if db_copy.exists() {
            std::fs::remove_file(&db_copy)?;
        }
        db::upkeep::copy_into(&dir.conn, &db_copy)?;
        std::fs::File::open(&db_copy)?.sync_all()?;
        let copy = open_copy(&db_copy)?;
        let refs = db::media::all_refs(&copy)?;
        let schema_version = db::upkeep::schema_version(&copy)?;
        let newest = db::log::newest(&copy)?;
        if let Some(h) = &live_head {
            let at = if h.entries > 0 { db::log::hash_at(&copy, h.entries)? } else { None };
            if let Some(fault) = crate::domain::audit::compare_head(h, newest, at) {
                return Err(Error::Config(format!("the copied activity log does not match the signed head: {fault}")));
            }
        }
        drop(copy);
        let mut todo: Vec<&String> = refs.iter().filter(|h| !copied.contains_key(*h)).collect();
        todo.sort();
        bar.set_length(
            bar.length().unwrap_or(0)
                + todo.iter().filter_map(|h| std::fs::metadata(store.path(h)).ok()).map(|m| m.len()).sum::<u64>(),
        );
        let mut vanished = None;
        for h in todo {
            if !crate::media::is_hash(h) {
                return Err(Error::Config(format!("the database names a media file {h:?} that is not a SHA-256")));
            }
            let rel = media_rel(h);
            match copy_hashed(&store.path(h), &out.join(&rel), &tick) {
                Ok((bytes, sha256)) if &sha256 == h => {
                    copied.insert(h.clone(), FileEntry { path: rel, bytes, sha256 });
                }
                Ok((_, sha256)) => {
                    return Err(Error::Config(format!(
                        "{rel} in {} is corrupted: its content hashes to {sha256} (run plaza doctor)",
                        data.display()
                    )))
                }
                Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    vanished = Some(rel);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        match vanished {
            None => break (refs, schema_version, newest),
            Some(_) if attempt < COPY_ATTEMPTS => continue,
            Some(rel) => {
                return Err(Error::Config(format!(
                    "{rel} is referenced by the database but missing from {} (run plaza doctor): no backup written",
                    data.display()
                )))
            }
        }
    };
    // Files copied for an earlier copy that the final one no longer names.
    copied.retain(|h, e| {
        let keep = refs.contains(h);
        if !keep {
            let _ = std::fs::remove_file(out.join(&e.path));
        }
        keep
    });

    let (bytes, sha256) = hash_file(&db_copy)?;
    let mut files = vec![FileEntry { path: db::DB_FILE.into(), bytes, sha256 }];
    for name in [KEY_FILE, "plaza.toml"] {
        if data.join(name).exists() {
            let (bytes, sha256) = copy_hashed(&data.join(name), &out.join(name), &|_| {})?;
            files.push(FileEntry { path: name.into(), bytes, sha256 });
        }
    }
    let now = crate::clock::now();
    let log_entries = newest.map_or(0, |(id, _)| id);
    if let Some((entries, last_hash)) = newest {
        // R16.3: the copy's own head, over exactly the copied chain.
        let line = crate::domain::audit::Head { entries, last_hash, at: now }.encode(&dir.keys.audit);
        let h = format!("{line}\n").into_bytes();
        db::log::write_atomically(&out.join(HEAD_FILE), &h)?;
        files.push(FileEntry {
            path: HEAD_FILE.into(),
            bytes: h.len() as u64,
            sha256: hex::encode(crypto::sha256(&h)),
        });
    }
    files.extend(copied.into_values());
    let mut manifest =
        Manifest { format: FORMAT.into(), created_at: now, schema_version, log_entries, files, mac: String::new() };
    manifest.mac = manifest.compute_mac(&dir.keys);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    db::log::write_atomically(&out.join(MANIFEST), &json)?;
    std::fs::File::open(out)?.sync_all()?;
    bar.finish_and_clear();
    let n = manifest.files.len();
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    dir.write(now, |tx| {
        let target = format!("backup:{}", out.display());
        dir.log(
            tx,
            now,
            "backup",
            "data.backup",
            &target,
            &format!("{n} files, {bytes} bytes, log entry {log_entries}"),
        )
    })?;
    Ok(format!("backed up {n} files ({bytes} bytes, {log_entries} log entries) to {}", out.display()))
}

/// A manifest path that stays inside the backup: relative, no `..`.
fn safe_relative(p: &str) -> Option<PathBuf> {
    let path = Path::new(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| path.to_path_buf())
}

/// Check a backup folder against its manifest without changing anything.
///
/// # Returns
/// The manifest and the keys found in the backup.
///
/// # Errors
/// `Error::Config` naming the first problem: no or unreadable manifest, a
/// manifest whose signature does not match, a missing, changed or
/// unlisted file, or a media file the backed-up database references that
/// the backup lacks.
pub fn check_backup(dir: &Path) -> Result<(Manifest, Keys)> {
    let refuse = |m: String| Err(Error::Config(format!("refusing {}: {m}", dir.display())));
    let text = match std::fs::read(dir.join(MANIFEST)) {
        Ok(t) => t,
        Err(e) => return refuse(format!("no readable {MANIFEST}: {e}")),
    };
    let manifest: Manifest = match serde_json::from_slice(&text) {
        Ok(m) => m,
        Err(e) => return refuse(format!("{MANIFEST} is malformed: {e}")),
    };
    if manifest.format != FORMAT {
        return refuse(format!("unknown backup format {:?}", manifest.format));
    }
    if !dir.join(KEY_FILE).exists() {
        return refuse(format!("{KEY_FILE} is missing"));
    }
    let keys = Keys::load_or_create(dir)?;
    if !crypto::constant_time_eq(manifest.compute_mac(&keys).as_bytes(), manifest.mac.as_bytes()) {
        return refuse(format!("the signature of {MANIFEST} does not match: it was edited"));
    }
    let mut listed = std::collections::BTreeSet::new();
    for f in &manifest.files {
        let Some(rel) = safe_relative(&f.path) else { return refuse(format!("bad path {:?} in the manifest", f.path)) };
        let (bytes, sha256) = match hash_file(&dir.join(&rel)) {
            Ok(v) => v,
            Err(_) => return refuse(format!("{} is missing", f.path)),
        };
        if bytes != f.bytes || sha256 != f.sha256 {
            return refuse(format!("{}: size or SHA-256 does not match the manifest", f.path));
        }
        listed.insert(f.path.clone());
    }
    for f in files_under(dir, dir)? {
        if f != MANIFEST && !listed.contains(&f) {
            return refuse(format!("{f} is not in the manifest"));
        }
    }
    if !listed.contains(db::DB_FILE) {
        return refuse(format!("{} is not in the manifest", db::DB_FILE));
    }
    // Every media file the database references must be there, checked
    // above against its hash, and that hash must be its name.
    let refs = match open_copy(&dir.join(db::DB_FILE)).and_then(|c| db::media::all_refs(&c)) {
        Ok(r) => r,
        Err(e) => return refuse(format!("its {} cannot be read: {e}", db::DB_FILE)),
    };
    let mut refs: Vec<String> = refs.into_iter().collect();
    refs.sort();
    for h in refs {
        if !crate::media::is_hash(&h) {
            return refuse(format!("its database names a media file {h:?} that is not a SHA-256"));
        }
        let rel = media_rel(&h);
        match manifest.files.iter().find(|f| f.path == rel) {
            Some(f) if f.sha256 == h => {}
            Some(_) => return refuse(format!("{rel} does not hash to its name")),
            None => return refuse(format!("{rel} is referenced by its database but not in the backup")),
        }
    }
    Ok((manifest, keys))
}

/// `plaza restore DIR --data NEWDIR`: check the backup against its manifest
/// first (refusing a tampered one, or one lacking a media file its database
/// references: [`check_backup`]), copy it into the empty `new_data`,
/// then check the database's integrity and the log chain, and log the
/// restore in the restored log.
///
/// # Returns
/// A summary line.
///
/// # Errors
/// `Error::Config` for a tampered backup, a non-empty target, or a restored
/// database that fails its checks.
pub fn restore(backup_dir: &Path, new_data: &Path) -> Result<String> {
    let (manifest, _keys) = check_backup(backup_dir)?;
    fresh_dir(new_data)?;
    match restore_into(backup_dir, new_data, &manifest) {
        Ok(s) => Ok(s),
        Err(e) => {
            empty_out(new_data);
            Err(e)
        }
    }
}

fn restore_into(backup_dir: &Path, new_data: &Path, manifest: &Manifest) -> Result<String> {
    let total = manifest.files.iter().map(|f| f.bytes).sum();
    let bar = progress(total, "restoring", true);
    for f in &manifest.files {
        let rel = safe_relative(&f.path).expect("checked");
        let (_, sha256) = copy_hashed(&backup_dir.join(&rel), &new_data.join(&rel), &|n| bar.inc(n))?;
        if sha256 != f.sha256 {
            return Err(Error::Config(format!("{} changed while it was being restored", f.path)));
        }
    }
    std::fs::create_dir_all(new_data.join("media"))?;
    bar.finish_and_clear();
    let dir = DataDir::open(new_data)?;
    let integrity = db::upkeep::integrity_check(&dir.conn)?.join("; ");
    if integrity != "ok" {
        return Err(Error::Config(format!("the restored database fails its integrity check: {integrity}")));
    }
    let check = super::check_log(&dir, None)?;
    if !check.faults.is_empty() {
        return Err(Error::Config(format!("the restored activity log does not verify:\n{}", check.faults.join("\n"))));
    }
    let now = crate::clock::now();
    dir.write(now, |tx| {
        let target = format!("backup:{}", crate::domain::dates::rfc3339(manifest.created_at));
        dir.log(tx, now, "restore", "data.restore", &target, &format!("{} files", manifest.files.len()))
    })?;
    Ok(format!(
        "restored {} files from {} into {}; log ok {} entries",
        manifest.files.len(),
        backup_dir.display(),
        new_data.display(),
        check.entries
    ))
}
