//! `plaza evidence export`: evidence records over a time range for the
//! authorities (R12.3), as JSON and CSV with a SHA-256 per record, the media
//! files they name, and `SHA256SUMS` over every file written.

use super::DataDir;
use crate::config::Config;
use crate::db::evidence::{self, Evidence};
use crate::domain::dates::{self, Bound};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// The file names inside the export folder.
pub const JSON_FILE: &str = "evidence.json";
/// See [`JSON_FILE`].
pub const CSV_FILE: &str = "evidence.csv";
/// `sha256sum -c SHA256SUMS` checks every other file.
pub const SUMS_FILE: &str = "SHA256SUMS";

/// One CSV row: the record's fields, media as `sha256:mime` joined by `;`.
#[derive(Debug, serde::Serialize)]
struct CsvRow<'a> {
    id: i64,
    recorded_at: i64,
    recorded_at_utc: String,
    kind: &'a str,
    content_type: &'a str,
    content_id: Option<i64>,
    content_created_at: Option<i64>,
    parent: &'a str,
    author_id: i64,
    author_username: &'a str,
    body: &'a str,
    source_ip: &'a str,
    source_port: i64,
    rule_id: Option<i64>,
    rule_pattern: Option<&'a str>,
    decider_id: Option<i64>,
    decider_username: Option<&'a str>,
    category: &'a str,
    reason: &'a str,
    media: String,
    sha256: &'a str,
}

impl<'a> From<&'a Evidence> for CsvRow<'a> {
    fn from(e: &'a Evidence) -> Self {
        CsvRow {
            id: e.id,
            recorded_at: e.recorded_at,
            recorded_at_utc: dates::rfc3339(e.recorded_at),
            kind: &e.kind,
            content_type: &e.content_type,
            content_id: e.content_id,
            content_created_at: e.content_created_at,
            parent: &e.parent,
            author_id: e.author_id,
            author_username: &e.author_username,
            body: &e.body,
            source_ip: &e.source_ip,
            source_port: e.source_port,
            rule_id: e.rule_id,
            rule_pattern: e.rule_pattern.as_deref(),
            decider_id: e.decider_id,
            decider_username: e.decider_username.as_deref(),
            category: &e.category,
            reason: &e.reason,
            media: e.media.iter().map(|m| format!("{}:{}", m.sha256, m.mime)).collect::<Vec<_>>().join(";"),
            sha256: &e.sha256,
        }
    }
}

const CSV_COLUMNS: [&str; 21] = [
    "id",
    "recorded_at",
    "recorded_at_utc",
    "kind",
    "content_type",
    "content_id",
    "content_created_at",
    "parent",
    "author_id",
    "author_username",
    "body",
    "source_ip",
    "source_port",
    "rule_id",
    "rule_pattern",
    "decider_id",
    "decider_username",
    "category",
    "reason",
    "media",
    "sha256",
];

fn hex_sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

fn csv_err(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e))
}

/// `plaza evidence export --from DATE --to DATE --out DIR` (R12.3).
///
/// Writes into `out` (new or empty): `evidence.json` (an array, one record
/// a line, each with its `sha256`: the SHA-256 of the record's JSON without
/// `sha256`, keys sorted, no whitespace), `evidence.csv` (the same fields),
/// `media/<sha256>` for every file a record names, and `SHA256SUMS` with the
/// SHA-256 of each of those files. Dates are days (`--to` inclusive) or
/// minutes in the site's time zone, or RFC 3339. The export is logged.
///
/// # Errors
/// `Error::Config` for a bad date or a non-empty folder; after writing,
/// when a stored record no longer matches its hash (the database was
/// changed behind Plaza's back), naming those records.
pub fn evidence_export(config: &Config, from: &str, to: &str, out: &Path) -> Result<String> {
    let dir = DataDir::open(&config.data_dir)?;
    let offset = &config.zone;
    let from_t = dates::parse(from, offset, Bound::From).map_err(Error::Config)?;
    let to_t = dates::parse(to, offset, Bound::To).map_err(Error::Config)?;
    if to_t <= from_t {
        return Err(Error::Config("--to is before --from".into()));
    }
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(Error::Config(format!("{} is not empty: an export never overwrites", out.display())));
    }
    std::fs::create_dir_all(out.join("media"))?;
    let total = evidence::count(&dir.conn, from_t, to_t)?;
    let bar = super::progress(total, "exporting evidence", false);
    let mut json = std::io::BufWriter::new(std::fs::File::create(out.join(JSON_FILE))?);
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(std::fs::File::create(out.join(CSV_FILE))?));
    let store = crate::media::Store::new(&config.data_dir);
    let (mut n, mut broken, mut media) = (0u64, Vec::new(), std::collections::BTreeSet::new());
    json.write_all(b"[")?;
    evidence::for_each(&dir.conn, from_t, to_t, |e| {
        if e.sha256 != e.compute_sha256() {
            broken.push(e.id);
        }
        json.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut json, &e.to_json()).map_err(|e| Error::Internal(e.to_string()))?;
        csv.serialize(CsvRow::from(&e)).map_err(csv_err)?;
        for m in &e.media {
            if media.insert(m.sha256.clone()) {
                match std::fs::copy(store.path(&m.sha256), out.join("media").join(&m.sha256)) {
                    Ok(_) => {}
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                        eprintln!("plaza: evidence {}: media file {} is missing", e.id, m.sha256);
                    }
                    Err(err) => return Err(err.into()),
                }
            }
        }
        n += 1;
        bar.inc(1);
        Ok(())
    })?;
    json.write_all(b"\n]\n")?;
    json.flush()?;
    if n == 0 {
        csv.write_record(CSV_COLUMNS).map_err(csv_err)?;
    }
    csv.flush()?;
    drop(csv);
    drop(json);
    bar.finish_and_clear();
    let mut sums = String::new();
    let mut names = vec![JSON_FILE.to_string(), CSV_FILE.to_string()];
    names.extend(media.iter().filter(|h| out.join("media").join(h).exists()).map(|h| format!("media/{h}")));
    for name in &names {
        sums.push_str(&format!("{}  {name}\n", hex_sha256_file(&out.join(name))?));
    }
    std::fs::write(out.join(SUMS_FILE), &sums)?;
    for name in names.iter().map(String::as_str).chain([SUMS_FILE]) {
        std::fs::File::open(out.join(name))?.sync_all()?;
    }
    let now = crate::clock::now();
    dir.write(now, |tx| {
        dir.log(
            tx,
            now,
            "evidence export",
            "evidence.export",
            &format!("evidence:from={from} to={to}"),
            &format!("{n} records"),
        )
    })?;
    if !broken.is_empty() {
        let ids: Vec<String> = broken.iter().map(|i| i.to_string()).collect();
        return Err(Error::Config(format!(
            "exported {n} records, but records {} no longer match their SHA-256: the database was changed outside Plaza",
            ids.join(", ")
        )));
    }
    let json_sum = sums.lines().next().and_then(|l| l.split_whitespace().next()).unwrap_or("");
    Ok(format!(
        "exported {n} evidence records and {} media files to {}\n{JSON_FILE} sha256 {json_sum}\ncheck with: cd {} && sha256sum -c {SUMS_FILE}",
        media.len(),
        out.display(),
        out.display()
    ))
}
