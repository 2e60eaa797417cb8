//! Verified-badge queries (R8.1, R10.1, R10.2): applications, their proof
//! documents, decisions, and the filing export of verified accounts.

use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// One application for a badge.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    /// `individual`, `organisation`, `government`, `media` or `foreign_org`.
    pub subject_type: String,
    pub certified_name: String,
    /// `pending`, `approved`, `rejected` or `revoked`.
    pub status: String,
    /// Why it was rejected or revoked.
    pub reason: String,
    pub applied_at: i64,
    pub decided_at: Option<i64>,
    /// Username of the reviewer who decided.
    pub decided_by: Option<String>,
    pub revoked_at: Option<i64>,
}

const COLS: &str = "v.id, v.user_id, u.username, v.subject_type, v.certified_name, v.status, v.reason, v.applied_at,
    v.decided_at, (SELECT username FROM users WHERE id = v.decided_by), v.revoked_at";

fn row(r: &Row) -> rusqlite::Result<Application> {
    Ok(Application {
        id: r.get(0)?,
        user_id: r.get(1)?,
        username: r.get(2)?,
        subject_type: r.get(3)?,
        certified_name: r.get(4)?,
        status: r.get(5)?,
        reason: r.get(6)?,
        applied_at: r.get(7)?,
        decided_at: r.get(8)?,
        decided_by: r.get(9)?,
        revoked_at: r.get(10)?,
    })
}

/// A new application.
pub fn create(tx: &Transaction, user: i64, subject_type: &str, certified_name: &str, now: i64) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO verifications (user_id, subject_type, certified_name, applied_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![user, subject_type, certified_name, now])?;
    Ok(tx.last_insert_rowid())
}

/// A stored proof document of an application.
#[derive(Debug, Clone)]
pub struct Proof {
    pub id: i64,
    pub verification_id: i64,
    pub sha256: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub mime: String,
    pub size: i64,
    /// The name the applicant's file had (shown to reviewers).
    pub file_name: String,
}

/// Attach a stored file to an application.
pub fn add_proof(tx: &Transaction, app: i64, sha256: &str, mime: &str, size: i64, name: &str, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO verification_proofs (verification_id, sha256, mime, size, file_name, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![app, sha256, mime, size, name, now])?;
    Ok(())
}

fn proof_row(r: &Row) -> rusqlite::Result<Proof> {
    Ok(Proof {
        id: r.get(0)?,
        verification_id: r.get(1)?,
        sha256: r.get(2)?,
        mime: r.get(3)?,
        size: r.get(4)?,
        file_name: r.get(5)?,
    })
}

/// The proofs of an application, in upload order.
pub fn proofs(conn: &Connection, app: i64) -> Result<Vec<Proof>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, verification_id, sha256, mime, size, file_name FROM verification_proofs
         WHERE verification_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([app], proof_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One proof and the account that applied with it.
pub fn proof(conn: &Connection, id: i64) -> Result<Option<(Proof, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.id, p.verification_id, p.sha256, p.mime, p.size, p.file_name, v.user_id
             FROM verification_proofs p JOIN verifications v ON v.id = p.verification_id WHERE p.id = ?1",
        )?
        .query_row([id], |r| Ok((proof_row(r)?, r.get(6)?)))
        .optional()?)
}

/// One application.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Application>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM verifications v JOIN users u ON u.id = v.user_id WHERE v.id = ?1"
        ))?
        .query_row([id], row)
        .optional()?)
}

/// Every application of `user`, newest first.
pub fn of_user(conn: &Connection, user: i64) -> Result<Vec<Application>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM verifications v JOIN users u ON u.id = v.user_id WHERE v.user_id = ?1 ORDER BY v.id DESC"
    ))?;
    let rows = stmt.query_map([user], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The approved application of `user` (the badge), if any.
pub fn badge(conn: &Connection, user: i64) -> Result<Option<Application>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM verifications v JOIN users u ON u.id = v.user_id
             WHERE v.user_id = ?1 AND v.status = 'approved'"
        ))?
        .query_row([user], row)
        .optional()?)
}

/// Applications in `status` of active accounts, oldest first for
/// `pending` (a queue), newest first otherwise; at most `limit`.
pub fn by_status(conn: &Connection, status: &str, limit: u32) -> Result<Vec<Application>> {
    let order = if status == "pending" { "ASC" } else { "DESC" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM verifications v JOIN users u ON u.id = v.user_id
         WHERE v.status = ?1 AND u.status = 'active' ORDER BY v.id {order} LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![status, limit], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Decide a pending application: `approved` or `rejected` (with `reason`),
/// by reviewer `by`. An approval also gives the account the certified
/// subject type.
///
/// # Errors
/// `Error::Conflict` when it is no longer pending (decided meanwhile).
pub fn decide(tx: &Transaction, id: i64, approve: bool, reason: &str, by: i64, now: i64) -> Result<()> {
    let status = if approve { "approved" } else { "rejected" };
    let n = tx
        .prepare_cached(
            "UPDATE verifications SET status = ?2, reason = ?3, decided_at = ?4, decided_by = ?5
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, status, reason, now, by])?;
    if n != 1 {
        return Err(Error::Conflict(format!("verification:{id}")));
    }
    if approve {
        tx.prepare_cached(
            "UPDATE users SET subject_type = (SELECT subject_type FROM verifications WHERE id = ?1)
             WHERE id = (SELECT user_id FROM verifications WHERE id = ?1)",
        )?
        .execute([id])?;
    }
    Ok(())
}

/// Revoke an approved badge with a reason (R10.1).
///
/// # Errors
/// `Error::Conflict` when it is not approved (any more).
pub fn revoke(tx: &Transaction, id: i64, reason: &str, by: i64, now: i64) -> Result<()> {
    let n = tx
        .prepare_cached(
            "UPDATE verifications SET status = 'revoked', reason = ?2, revoked_at = ?3, revoked_by = ?4
             WHERE id = ?1 AND status = 'approved'",
        )?
        .execute(params![id, reason, now, by])?;
    if n != 1 {
        return Err(Error::Conflict(format!("verification:{id}")));
    }
    Ok(())
}

/// One verified account for the regulator's filing (R10.2).
#[derive(Debug, Clone)]
pub struct Filed {
    pub username: String,
    pub subject_type: String,
    pub certified_name: String,
    /// Province of registration from the bound number's region digits.
    pub province: Option<String>,
    pub applied_at: i64,
    pub approved_at: i64,
    /// When the backing identity was last verified.
    pub identity_verified_at: Option<i64>,
}

/// Every account holding a badge, by type, then province, then approval.
pub fn filing(conn: &Connection) -> Result<Vec<Filed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.username, v.subject_type, v.certified_name, i.province, v.applied_at, v.decided_at, i.verified_at
         FROM verifications v JOIN users u ON u.id = v.user_id LEFT JOIN identities i ON i.user_id = v.user_id
         WHERE v.status = 'approved' AND u.status = 'active'
         ORDER BY v.subject_type, coalesce(i.province, ''), v.decided_at, u.username",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Filed {
            username: r.get(0)?,
            subject_type: r.get(1)?,
            certified_name: r.get(2)?,
            province: r.get(3)?,
            applied_at: r.get(4)?,
            approved_at: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
            identity_verified_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
