//! Complaint queries (R14.1, R14.2): filing, the status page, the staff
//! queue ordered by due time with duplicates on one target grouped,
//! assignment and resolution.

use crate::db::users::{user_at, User, USER_COLS};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// A new complaint.
#[derive(Debug, Clone)]
pub struct NewComplaint<'a> {
    pub tracking: &'a str,
    pub category: &'a str,
    /// `post`, `comment`, `user` or `none`.
    pub target_type: &'a str,
    pub target_id: Option<i64>,
    pub body: &'a str,
    pub contact: &'a str,
    pub complainant: Option<i64>,
    pub source_ip: &'a str,
    /// UTC unix seconds: filing time plus the category's SLA.
    pub due_at: i64,
    pub now: i64,
}

/// Store a complaint; returns its id.
pub fn create(tx: &Transaction, c: &NewComplaint) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO complaints (tracking, category, target_type, target_id, body, contact, complainant_id,
                                 source_ip, due_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        c.tracking,
        c.category,
        c.target_type,
        c.target_id,
        c.body,
        c.contact,
        c.complainant,
        c.source_ip,
        c.due_at,
        c.now
    ])?;
    Ok(tx.last_insert_rowid())
}

/// How many complaints without an account came from `ip` since `since` (R14.1 rate limit).
pub fn anonymous_since(conn: &Connection, ip: &str, since: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM complaints WHERE source_ip = ?1 AND created_at >= ?2 AND complainant_id IS NULL",
        )?
        .query_row(params![ip, since], |r| r.get(0))?)
}

/// A complaint as staff and the complainant see it.
#[derive(Debug, Clone)]
pub struct Complaint {
    pub id: i64,
    pub tracking: String,
    pub category: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    pub body: String,
    pub contact: String,
    pub complainant_id: Option<i64>,
    /// `open`, `in_progress`, `resolved` or `rejected`.
    pub status: String,
    pub due_at: i64,
    pub assigned_to: Option<User>,
    /// What the complainant is told.
    pub resolution: String,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

impl Complaint {
    /// Still waiting for staff?
    pub fn is_open(&self) -> bool {
        self.status == "open" || self.status == "in_progress"
    }

    /// `post:12`, `comment:3`, `user:7` or `none`: the key duplicates share.
    pub fn target_key(&self) -> String {
        match self.target_id {
            Some(id) => format!("{}:{id}", self.target_type),
            None => format!("none:{}", self.id),
        }
    }
}

const SELECT: &str = "SELECT c.id, c.tracking, c.category, c.target_type, c.target_id, c.body, c.contact,
        c.complainant_id, c.status, c.due_at, c.resolution, c.decided_at, c.created_at, u.id IS NOT NULL";

fn row(r: &Row) -> rusqlite::Result<Complaint> {
    let assigned: bool = r.get(13)?;
    Ok(Complaint {
        id: r.get(0)?,
        tracking: r.get(1)?,
        category: r.get(2)?,
        target_type: r.get(3)?,
        target_id: r.get(4)?,
        body: r.get(5)?,
        contact: r.get(6)?,
        complainant_id: r.get(7)?,
        status: r.get(8)?,
        due_at: r.get(9)?,
        resolution: r.get(10)?,
        decided_at: r.get(11)?,
        created_at: r.get(12)?,
        assigned_to: if assigned { Some(user_at(r, 14)?) } else { None },
    })
}

fn sql(filter: &str) -> String {
    format!("{SELECT}, {USER_COLS} FROM complaints c LEFT JOIN users u ON u.id = c.assigned_to WHERE {filter}")
}

/// One complaint by tracking number.
pub fn by_tracking(conn: &Connection, tracking: &str) -> Result<Option<Complaint>> {
    Ok(conn.prepare_cached(&sql("c.tracking = ?1"))?.query_row([tracking], row).optional()?)
}

/// One complaint by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Complaint>> {
    Ok(conn.prepare_cached(&sql("c.id = ?1"))?.query_row([id], row).optional()?)
}

/// Open and in-progress complaints, soonest due first (R14.2).
pub fn open(conn: &Connection, limit: u32) -> Result<Vec<Complaint>> {
    let mut stmt = conn.prepare_cached(&sql("c.status IN ('open', 'in_progress') ORDER BY c.due_at, c.id LIMIT ?1"))?;
    let rows = stmt.query_map([limit], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Every complaint about one target, oldest first (the group of duplicates).
pub fn for_target(conn: &Connection, target_type: &str, target_id: i64) -> Result<Vec<Complaint>> {
    let mut stmt = conn.prepare_cached(&sql("c.target_type = ?1 AND c.target_id = ?2 ORDER BY c.id"))?;
    let rows = stmt.query_map(params![target_type, target_id], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The complaints a member filed, oldest first (for their own download, R7.6).
pub fn by_complainant(conn: &Connection, user: i64) -> Result<Vec<Complaint>> {
    let mut stmt = conn.prepare_cached(&sql("c.complainant_id = ?1 ORDER BY c.id"))?;
    let rows = stmt.query_map([user], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The newest `limit` complaints a member filed, newest first (their
/// list on `GET /complaints`).
pub fn filed_by(conn: &Connection, user: i64, limit: u32) -> Result<Vec<Complaint>> {
    let mut stmt = conn.prepare_cached(&sql("c.complainant_id = ?1 ORDER BY c.id DESC LIMIT ?2"))?;
    let rows = stmt.query_map(rusqlite::params![user, limit], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Recently decided complaints, newest first.
pub fn decided(conn: &Connection, limit: u32) -> Result<Vec<Complaint>> {
    let mut stmt =
        conn.prepare_cached(&sql("c.status IN ('resolved', 'rejected') ORDER BY c.decided_at DESC LIMIT ?1"))?;
    let rows = stmt.query_map([limit], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Assign the open complaints of a group to `staff` (`None`: unassign);
/// they become `in_progress`. Returns how many.
pub fn assign(tx: &Transaction, ids: &[i64], staff: Option<i64>) -> Result<usize> {
    let mut n = 0;
    for id in ids {
        n += tx
            .prepare_cached(
                "UPDATE complaints SET assigned_to = ?2,
                        status = CASE WHEN ?2 IS NULL THEN 'open' ELSE 'in_progress' END
                 WHERE id = ?1 AND status IN ('open', 'in_progress')",
            )?
            .execute(params![id, staff])?;
    }
    Ok(n)
}

/// Decide open complaints: `resolved` or `rejected`, with the text the
/// complainant sees. Returns how many changed.
pub fn decide(tx: &Transaction, ids: &[i64], status: &str, resolution: &str, by: i64, now: i64) -> Result<usize> {
    let mut n = 0;
    for id in ids {
        n += tx
            .prepare_cached(
                "UPDATE complaints SET status = ?2, resolution = ?3, decided_by = ?4, decided_at = ?5
                 WHERE id = ?1 AND status IN ('open', 'in_progress')",
            )?
            .execute(params![id, status, resolution, by, now])?;
    }
    Ok(n)
}

/// Attach an evidence image to a complaint.
pub fn add_media(tx: &Transaction, complaint: i64, position: i64, sha256: &str, mime: &str) -> Result<()> {
    tx.prepare_cached("INSERT INTO complaint_media (complaint_id, position, sha256, mime) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![complaint, position, sha256, mime])?;
    Ok(())
}

/// The evidence images of a complaint: (position, sha256, mime), in order.
pub fn media(conn: &Connection, complaint: i64) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT position, sha256, mime FROM complaint_media WHERE complaint_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([complaint], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
