//! The content-addressed media store (R2.2): every file lives at
//! `DATA/media/<first two hex digits>/<sha256>`, written to a temporary
//! file in `DATA/media/tmp/`, fsynced, then renamed, so a crash never
//! leaves a half file under a real name; the same bytes are stored once.
//!
//! Files are referenced by database rows (the `media_refs` view). A file no
//! row references is an orphan; [`gc`] removes orphans older than a grace
//! period, each after checking again, inside a write transaction, that no
//! row took it meanwhile. [`Store::commit`] runs inside the write
//! transaction that adds the row, so the two never interleave.

use super::{Format, Prepared};
use crate::db;
use crate::error::Result;
use crate::http::Upload;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Is `s` a SHA-256 name (64 lower-case hex digits)?
pub fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The media folder of a data folder.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// What the database row of a stored file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInfo {
    pub format: Format,
    /// Bytes of the stored file.
    pub size: u64,
    /// Upright pixels; `None` for video.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// More than 1 for an animation.
    pub frames: u32,
    /// Name of the file.
    pub sha256: String,
    /// The thumbnail's name and format, when the image is larger than one.
    pub thumb: Option<(String, Format)>,
}

/// Files written and fsynced under temporary names, waiting for
/// [`Store::commit`]. Dropped uncommitted, they are deleted.
#[derive(Debug)]
pub struct Staged {
    pub info: MediaInfo,
    files: Vec<(tempfile::NamedTempFile, String)>,
}

/// One file of raw bytes staged by [`Store::stage_file`].
#[derive(Debug)]
pub struct StagedFile {
    file: tempfile::NamedTempFile,
    /// Its SHA-256, lower-case hex: the name it will have.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

impl Store {
    /// The store of data folder `data`.
    pub fn new(data: &Path) -> Store {
        Store { root: data.join("media") }
    }

    /// Where uploads and staged files wait (same file system as the store).
    pub fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Remove the upload temp files (`upload-*`, `stage-*` in
    /// [`Store::tmp_dir`]) a killed server left behind (R2.2). Only at
    /// server start, before any request is read: no upload is in flight.
    ///
    /// # Returns
    /// How many were removed.
    ///
    /// # Errors
    /// `Error::Io` when the folder cannot be read or a file not removed.
    pub fn remove_temp_files(&self) -> std::io::Result<usize> {
        let mut n = 0;
        let Ok(files) = std::fs::read_dir(self.tmp_dir()) else { return Ok(0) };
        for f in files.flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if (name.starts_with("upload-") || name.starts_with("stage-")) && f.file_type()?.is_file() {
                match std::fs::remove_file(f.path()) {
                    Ok(()) => n += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(n)
    }

    /// The path of file `sha256` (which must satisfy [`is_hash`]).
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// Open file `sha256` for reading.
    ///
    /// # Errors
    /// `NotFound` when it is not there.
    pub fn open(&self, sha256: &str) -> std::io::Result<File> {
        File::open(self.path(sha256))
    }

    fn stage_bytes(&self, bytes: &[u8]) -> std::io::Result<(tempfile::NamedTempFile, String)> {
        let mut tmp = tempfile::Builder::new().prefix("stage-").tempfile_in(self.tmp_dir())?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        mirror(tmp.path(), &sha256);
        Ok((tmp, sha256))
    }

    /// Write a prepared upload (and its thumbnail) to temporary files and
    /// fsync them. A video's upload file is fsynced where it is.
    ///
    /// # Errors
    /// I/O failures (disk full...).
    pub fn stage(&self, p: Prepared) -> std::io::Result<Staged> {
        match p {
            Prepared::Image(img) => {
                let main = self.stage_bytes(&img.bytes)?;
                let mut info = MediaInfo {
                    format: img.format,
                    size: img.bytes.len() as u64,
                    width: Some(img.width),
                    height: Some(img.height),
                    frames: img.frames,
                    sha256: main.1.clone(),
                    thumb: None,
                };
                let mut files = vec![main];
                if let Some((format, bytes)) = img.thumb {
                    let t = self.stage_bytes(&bytes)?;
                    info.thumb = Some((t.1.clone(), format));
                    files.push(t);
                }
                Ok(Staged { info, files })
            }
            Prepared::Video { format, upload } => {
                let Upload { file, sha256, size, .. } = upload;
                file.as_file().sync_all()?;
                mirror(file.path(), &sha256);
                let info = MediaInfo {
                    format,
                    size,
                    width: None,
                    height: None,
                    frames: 1,
                    sha256: sha256.clone(),
                    thumb: None,
                };
                Ok(Staged { info, files: vec![(file, sha256)] })
            }
        }
    }

    /// Give staged files their real names; a file already stored is only
    /// touched (its age restarts, see [`gc`]) and the copy dropped. Call
    /// inside the write transaction that adds the rows naming them.
    ///
    /// # Errors
    /// I/O failures; files already renamed stay as orphans for [`gc`].
    pub fn commit(&self, staged: Staged) -> std::io::Result<MediaInfo> {
        for (tmp, sha256) in staged.files {
            self.persist(tmp, &sha256)?;
        }
        Ok(staged.info)
    }

    /// Stage bytes that are stored as they are, not as media of a post: a
    /// verification proof document (R8.1), which `/media` never serves.
    ///
    /// # Errors
    /// I/O failures.
    pub fn stage_file(&self, bytes: &[u8]) -> std::io::Result<StagedFile> {
        let (file, sha256) = self.stage_bytes(bytes)?;
        Ok(StagedFile { file, sha256, size: bytes.len() as u64 })
    }

    /// Give a [`StagedFile`] its real name, inside the write transaction
    /// that adds the row naming it; returns the name.
    ///
    /// # Errors
    /// I/O failures.
    pub fn commit_file(&self, staged: StagedFile) -> std::io::Result<String> {
        self.persist(staged.file, &staged.sha256)?;
        Ok(staged.sha256)
    }

    /// Rename a staged temporary file to `sha256` (or only touch the file
    /// already stored under that name).
    fn persist(&self, tmp: tempfile::NamedTempFile, sha256: &str) -> std::io::Result<()> {
        let target = self.path(sha256);
        let dir = target.parent().unwrap_or(&self.root).to_path_buf();
        // Media folders 0700; the files are 0600 from `tempfile` (issue 15).
        crate::private::dir(&dir)?;
        if touch(&target)? {
            return Ok(());
        }
        match tmp.persist_noclobber(&target) {
            Ok(_) => {}
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                touch(&target)?;
            }
            Err(e) => return Err(e.error),
        }
        // The new name itself must survive a power cut.
        File::open(&dir)?.sync_all()?;
        Ok(())
    }
}

/// The folder replica target while replication to a folder runs (issue
/// 14): every new media file is copied there when it is staged, before
/// (and outside) the write transaction that references it, so the
/// replicated database never names a file the replica lacks.
static MIRROR: std::sync::RwLock<Option<PathBuf>> = std::sync::RwLock::new(None);

/// Set (or clear) the folder every new media file is also copied to
/// (`TARGET/media/ab/abcd…`); `replication` sets it.
pub fn set_mirror(folder: Option<PathBuf>) {
    *MIRROR.write().unwrap_or_else(|p| p.into_inner()) = folder;
}

/// Copy a stored file to the mirror, if one is set and it lacks the file.
/// A failure is reported, not returned: the upload stands, the replication
/// thread copies it later and reports the target's trouble.
fn mirror(stored: &Path, sha256: &str) {
    let Some(root) = MIRROR.read().unwrap_or_else(|p| p.into_inner()).clone() else { return };
    // A disk that is not mounted: copy nothing (the replication thread reports it).
    if !root.join("plaza-site.json").is_file() {
        return;
    }
    let dest = root.join("media").join(&sha256[..2]).join(sha256);
    if let Err(e) = copy_durably(stored, &dest) {
        eprintln!("plaza: replication: copying media {sha256} to {}: {e}", root.display());
    }
}

/// Copy `from` to `to` unless `to` exists: a temporary file beside it,
/// fsynced, renamed, and the folder fsynced. Never a partial file under
/// the real name.
///
/// # Returns
/// Whether it copied.
///
/// # Errors
/// I/O failures.
pub fn copy_durably(from: &Path, to: &Path) -> std::io::Result<bool> {
    if to.exists() {
        return Ok(false);
    }
    let dir = to.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".copy-").tempfile_in(dir)?;
    std::io::copy(&mut File::open(from)?, tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(to) {
        Ok(_) => {}
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e.error),
    }
    File::open(dir)?.sync_all()?;
    Ok(true)
}

/// Restart the age of an existing file; false when there is none.
fn touch(path: &Path) -> std::io::Result<bool> {
    match File::options().write(true).open(path) {
        Ok(f) => {
            f.set_modified(SystemTime::now())?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// A file in the media folder that no database row references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub path: PathBuf,
    /// Its SHA-256 name; `None` for a leftover temporary file.
    pub sha256: Option<String>,
    pub bytes: u64,
    /// Seconds since it was last written or touched.
    pub age_secs: u64,
}

/// Every orphan in `DATA/media/` of any age: stored files no row of the
/// `media_refs` view names, and leftover temporary files (an upload that
/// crashed). Files with other names are never listed (nor removed).
///
/// # Errors
/// Database or directory-listing failures.
pub fn orphans(conn: &Connection, data: &Path) -> Result<Vec<Orphan>> {
    let store = Store::new(data);
    let refs = db::media::all_refs(conn)?;
    let now = SystemTime::now();
    let mut out = Vec::new();
    let describe = |path: PathBuf, sha256: Option<String>| -> Option<Orphan> {
        let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
        let age = meta.modified().ok().and_then(|m| now.duration_since(m).ok()).unwrap_or_default();
        Some(Orphan { path, sha256, bytes: meta.len(), age_secs: age.as_secs() })
    };
    let Ok(shards) = std::fs::read_dir(&store.root) else { return Ok(out) };
    for shard in shards.flatten() {
        let shard_name = shard.file_name().to_string_lossy().to_string();
        let is_tmp = shard_name == "tmp";
        let is_shard = shard_name.len() == 2 && shard_name.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_tmp && !is_shard {
            continue;
        }
        let Ok(files) = std::fs::read_dir(shard.path()) else { continue };
        for f in files.flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if is_tmp {
                if name.starts_with("upload-") || name.starts_with("stage-") {
                    out.extend(describe(f.path(), None));
                }
            } else if is_hash(&name) && name.starts_with(&shard_name) && !refs.contains(&name) {
                out.extend(describe(f.path(), Some(name)));
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// What [`gc`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Files removed and their bytes.
    pub removed: usize,
    pub bytes: u64,
    /// Orphans left because they are younger than the grace period.
    pub young: usize,
}

/// Remove orphans at least `min_age` old (see [`GC_MIN_AGE`](super::GC_MIN_AGE)).
/// Each removal happens in a write transaction after checking again that no
/// row references the file and it was not touched meanwhile, so a file in
/// use is never removed. With `dry_run`, only counts.
///
/// # Errors
/// Database or file-system failures (the files removed so far stay removed).
pub fn gc(conn: &Connection, data: &Path, min_age: Duration, dry_run: bool) -> Result<GcReport> {
    let mut report = GcReport::default();
    let (old, young): (Vec<Orphan>, Vec<Orphan>) =
        orphans(conn, data)?.into_iter().partition(|o| o.age_secs >= min_age.as_secs());
    report.young = young.len();
    if dry_run {
        report.removed = old.len();
        report.bytes = old.iter().map(|o| o.bytes).sum();
        return Ok(report);
    }
    for batch in old.chunks(256) {
        db::write(conn, |tx| {
            for o in batch {
                if let Some(h) = &o.sha256 {
                    if db::media::is_referenced(tx, h)? {
                        continue;
                    }
                }
                let fresh = std::fs::metadata(&o.path)
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .and_then(|m| SystemTime::now().duration_since(m).ok())
                    .is_none_or(|age| age < min_age);
                if fresh {
                    continue; // touched meanwhile, or already gone
                }
                match std::fs::remove_file(&o.path) {
                    Ok(()) => {
                        report.removed += 1;
                        report.bytes += o.bytes;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(())
        })?;
    }
    Ok(report)
}
