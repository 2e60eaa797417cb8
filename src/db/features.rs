//! Security assessments and the switches of features with public-opinion
//! or mobilisation attributes (R13.1).

use crate::domain::features::Feature;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// One assessment on record.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: i64,
    pub feature: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    pub reference: String,
    pub assessor: String,
    pub note: String,
    /// The report's file, if one was attached: (SHA-256, MIME type).
    pub file: Option<(String, String)>,
    /// UTC unix seconds.
    pub recorded_at: i64,
    /// Who recorded it (`None`: the command line).
    pub recorded_by: Option<String>,
}

/// Is `feature` switched on? Off until someone switches it on.
pub fn enabled(conn: &Connection, feature: Feature) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT enabled FROM features WHERE feature = ?1")?
        .query_row([feature.as_str()], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// Switch `feature` on or off.
pub fn set_enabled(tx: &Transaction, feature: Feature, on: bool, by: Option<i64>, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO features (feature, enabled, changed_at, changed_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(feature) DO UPDATE SET enabled = ?2, changed_at = ?3, changed_by = ?4",
    )?
    .execute(params![feature.as_str(), on, now, by])?;
    Ok(())
}

/// A new assessment's fields.
pub struct NewAssessment<'a> {
    pub feature: Feature,
    pub assessed_on: &'a str,
    pub reference: &'a str,
    pub assessor: &'a str,
    pub note: &'a str,
    /// (SHA-256, MIME type) of the committed report file.
    pub file: Option<(&'a str, &'a str)>,
    pub by: Option<i64>,
    pub now: i64,
}

/// Record an assessment; returns its id.
pub fn add_assessment(tx: &Transaction, a: &NewAssessment) -> Result<i64> {
    let (sha, mime) = a.file.unzip();
    tx.prepare_cached(
        "INSERT INTO security_assessments
             (feature, assessed_on, reference, assessor, note, file_sha256, file_mime, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        a.feature.as_str(),
        a.assessed_on,
        a.reference,
        a.assessor,
        a.note,
        sha,
        mime,
        a.now,
        a.by
    ])?;
    Ok(tx.last_insert_rowid())
}

/// How many assessments `feature` has on record.
pub fn assessment_count(conn: &Connection, feature: Feature) -> Result<usize> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM security_assessments WHERE feature = ?1")?
        .query_row([feature.as_str()], |r| r.get::<_, i64>(0))? as usize)
}

/// Every assessment on record, newest first.
pub fn assessments(conn: &Connection) -> Result<Vec<Assessment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.feature, a.assessed_on, a.reference, a.assessor, a.note, a.file_sha256, a.file_mime,
                a.recorded_at, u.username
         FROM security_assessments a LEFT JOIN users u ON u.id = a.recorded_by ORDER BY a.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        let sha: Option<String> = r.get(6)?;
        let mime: Option<String> = r.get(7)?;
        Ok(Assessment {
            id: r.get(0)?,
            feature: r.get(1)?,
            assessed_on: r.get(2)?,
            reference: r.get(3)?,
            assessor: r.get(4)?,
            note: r.get(5)?,
            file: sha.zip(mime),
            recorded_at: r.get(8)?,
            recorded_by: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The report file of assessment `id`: (SHA-256, MIME type).
pub fn assessment_file(conn: &Connection, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT file_sha256, file_mime FROM security_assessments WHERE id = ?1 AND file_sha256 IS NOT NULL",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}
