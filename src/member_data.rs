//! A member's own data download (R7.6), built in the background: a zip of
//! JSON files (`account.json`, `settings.json`, `posts.json`,
//! `comments.json`, `follows.json`, `likes.json`, `activity_log.json`,
//! `identity.json` with masked values only) and a
//! `README.txt`, written to `DATA/exports/` and kept for
//! [`KEEP_DAYS`] days.

use crate::db::{self, account_data};
use crate::error::{Error, Result};
use crate::i18n::M;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Folder of finished downloads inside the data folder.
pub const EXPORT_DIR: &str = "exports";
/// Days a finished download stays available.
pub const KEEP_DAYS: i64 = 7;

/// Build download `export_id` of member `user_id` on a thread of its own
/// (with its own database connection), then mark it ready or failed.
pub fn start(data_dir: PathBuf, export_id: i64, user_id: i64) {
    let spawned = std::thread::Builder::new().name(format!("export-{export_id}")).spawn(move || {
        let result = build(&data_dir, export_id, user_id);
        if let Err(e) = &result {
            eprintln!("plaza: building data download {export_id}: {e}");
        }
        let finish = || -> Result<()> {
            let conn = db::open(&data_dir.join(db::DB_FILE))?;
            let file = result.as_ref().ok().map(|(name, bytes)| (name.as_str(), *bytes));
            db::write(&conn, |tx| account_data::finish_export(tx, export_id, file, crate::clock::now()))
        };
        if let Err(e) = finish() {
            eprintln!("plaza: recording data download {export_id}: {e}");
        }
    });
    if let Err(e) = spawned {
        eprintln!("plaza: cannot start building data download {export_id}: {e}");
    }
}

/// Write the zip; returns its file name under [`EXPORT_DIR`] and its size.
///
/// # Errors
/// `Error::Db`, `Error::Io`, or `Error::Internal` from the zip writer.
pub fn build(data_dir: &Path, export_id: i64, user_id: i64) -> Result<(String, i64)> {
    let conn = db::open(&data_dir.join(db::DB_FILE))?;
    let data = account_data::member_data(&conn, user_id)?.ok_or(Error::NotFound)?;
    let dir = data_dir.join(EXPORT_DIR);
    crate::private::dir(&dir)?;
    // An unguessable name: the file is only ever served to its owner, but
    // nothing is lost by not naming it by id alone.
    let name = format!("{export_id}-{}.zip", &crate::crypto::random_token()[..16]);
    let tmp = dir.join(format!("{name}.tmp"));
    let zip_err = |e: zip::result::ZipError| Error::Internal(format!("zip: {e}"));
    let json_err = |e: serde_json::Error| Error::Internal(format!("json: {e}"));
    {
        let file = std::fs::File::create(&tmp)?;
        // The owner's only before a byte is in it (issue 15).
        crate::private::file(&tmp)?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let readme = format!("{}\n\n{}\n", M::ExportReadme.zh(), M::ExportReadme.en());
        zip.start_file("README.txt", opts).map_err(zip_err)?;
        zip.write_all(readme.as_bytes())?;
        let files: [(&str, serde_json::Value); 11] = [
            ("account.json", serde_json::to_value(&data.account).map_err(json_err)?),
            ("settings.json", serde_json::to_value(&data.settings).map_err(json_err)?),
            ("posts.json", serde_json::to_value(&data.posts).map_err(json_err)?),
            ("comments.json", serde_json::to_value(&data.comments).map_err(json_err)?),
            ("follows.json", serde_json::to_value(&data.follows).map_err(json_err)?),
            ("likes.json", serde_json::to_value(&data.likes).map_err(json_err)?),
            ("activity_log.json", serde_json::to_value(&data.activity_log).map_err(json_err)?),
            // Masked only: the download never holds an identity value in clear (R7.5).
            ("identity.json", serde_json::to_value(&data.identity).map_err(json_err)?),
            ("media.json", serde_json::to_value(&data.media).map_err(json_err)?),
            ("complaints.json", serde_json::to_value(&data.complaints).map_err(json_err)?),
            ("credit.json", serde_json::to_value(&data.credit).map_err(json_err)?),
        ];
        for (file, value) in files {
            zip.start_file(file, opts).map_err(zip_err)?;
            serde_json::to_writer_pretty(&mut zip, &value).map_err(json_err)?;
        }
        // The member's pictures and videos themselves, stored (they are
        // compressed already), each once; a file gone from the store is
        // listed in media.json but skipped here.
        let store = crate::media::Store::new(data_dir);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut seen = std::collections::HashSet::new();
        for m in &data.media {
            if !crate::media::is_hash(&m.sha256) || !seen.insert(m.sha256.as_str()) {
                continue;
            }
            if let Ok(mut f) = store.open(&m.sha256) {
                zip.start_file(format!("media/{}", m.sha256), stored).map_err(zip_err)?;
                std::io::copy(&mut f, &mut zip)?;
            }
        }
        zip.finish().map_err(zip_err)?.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(&name))?;
    let bytes = std::fs::metadata(dir.join(&name))?.len() as i64;
    Ok((name, bytes))
}

/// Delete downloads older than [`KEEP_DAYS`] (or every download of `user`),
/// files and rows.
///
/// # Errors
/// `Error::Db`; a file that is already gone is not an error.
pub fn delete_downloads(conn: &rusqlite::Connection, data_dir: &Path, now: i64, user: Option<i64>) -> Result<usize> {
    let old = account_data::exports_to_delete(conn, now - KEEP_DAYS * 86_400, user)?;
    for e in &old {
        if let Some(f) = &e.file_name {
            let _ = std::fs::remove_file(data_dir.join(EXPORT_DIR).join(f));
        }
    }
    if !old.is_empty() {
        db::write(conn, |tx| old.iter().try_for_each(|e| account_data::delete_export(tx, e.id)))?;
    }
    Ok(old.len())
}
