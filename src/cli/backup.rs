//! `plaza backup --out DIR` and `plaza restore DIR --data NEWDIR`.
//!
//! A backup is a folder: a consistent copy of the database taken with
//! `VACUUM INTO` while the server runs (one read transaction: writers go
//! on), the key file, the signed log head, `plaza.toml` if any, every file
//! under `media/`, and `manifest.json` listing each file's size and SHA-256
//! under an HMAC keyed from the master key. Restore checks all of that
//! before it copies anything, then checks the database and the log chain.
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
fn fresh_dir(dir: &Path) -> Result<()> {
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
fn copy_hashed(from: &Path, to: &Path, tick: &dyn Fn(u64)) -> Result<(u64, String)> {
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

/// `plaza backup --out DIR`: see the module doc. Works while the server
/// runs; the backup is logged (`data.backup`) in the live database.
///
/// # Returns
/// A summary line.
///
/// # Errors
/// `Error::Config` when `out` is not empty; `Error::Db` / `Error::Io`.
pub fn backup(data: &Path, out: &Path) -> Result<String> {
    let dir = DataDir::open(data)?;
    fresh_dir(out)?;
    // The head first: the database copy taken after it holds at least the
    // entries it signs, so the backup verifies by itself.
    let head = std::fs::read(data.join(HEAD_FILE)).ok();
    let media = files_under(data, &data.join("media"))?;
    let mut total: u64 = media.iter().filter_map(|m| std::fs::metadata(data.join(m)).ok()).map(|m| m.len()).sum();
    total += std::fs::metadata(data.join(db::DB_FILE)).map(|m| m.len()).unwrap_or(0);
    let bar = progress(total, "backing up", true);

    let db_copy = out.join(db::DB_FILE);
    db::upkeep::copy_into(&dir.conn, &db_copy)?;
    std::fs::File::open(&db_copy)?.sync_all()?;
    bar.inc(std::fs::metadata(data.join(db::DB_FILE)).map(|m| m.len()).unwrap_or(0));
    let (bytes, sha256) = hash_file(&db_copy)?;
    let mut files = vec![FileEntry { path: db::DB_FILE.into(), bytes, sha256 }];

    let (schema_version, log_entries) = {
        let copy = rusqlite::Connection::open(&db_copy)?;
        let v = db::upkeep::schema_version(&copy)?;
        (v, db::log::newest(&copy)?.map_or(0, |(id, _)| id))
    };
    let tick = |n: u64| bar.inc(n);
    for name in [KEY_FILE, "plaza.toml"] {
        if data.join(name).exists() {
            let (bytes, sha256) = copy_hashed(&data.join(name), &out.join(name), &|_| {})?;
            files.push(FileEntry { path: name.into(), bytes, sha256 });
        }
    }
    if let Some(h) = head {
        db::log::write_atomically(&out.join(HEAD_FILE), &h)?;
        files.push(FileEntry {
            path: HEAD_FILE.into(),
            bytes: h.len() as u64,
            sha256: hex::encode(crypto::sha256(&h)),
        });
    }
    for m in &media {
        let (bytes, sha256) = copy_hashed(&data.join(m), &out.join(m), &tick)?;
        files.push(FileEntry { path: m.clone(), bytes, sha256 });
    }
    let now = crate::clock::now();
    let mut manifest =
        Manifest { format: FORMAT.into(), created_at: now, schema_version, log_entries, files, mac: String::new() };
    manifest.mac = manifest.compute_mac(&dir.keys);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    db::log::write_atomically(&out.join(MANIFEST), &json)?;
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
/// unlisted file.
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
    Ok((manifest, keys))
}

/// `plaza restore DIR --data NEWDIR`: check the backup against its manifest
/// first (refusing a tampered one), copy it into the empty `new_data`,
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
