//! 不实信息 labels (R11.1): proposals, the chief editor's decisions, the
//! labels posts show, and who is told.

use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use std::collections::HashMap;

/// A label as pages show it.
#[derive(Debug, Clone)]
pub struct Label {
    pub id: i64,
    /// The labelled post (the original at the root of its repost chain).
    pub post_id: i64,
    pub refutation: String,
    /// A post that refutes it, if given.
    pub refuting_post_id: Option<i64>,
    /// `proposed`, `confirmed`, `declined` or `withdrawn`.
    pub status: String,
    pub proposed_by: String,
    pub proposed_at: i64,
    /// Who confirmed or declined it, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
}

const COLS: &str = "l.id, l.post_id, l.refutation, l.refuting_post_id, l.status, pu.username, l.proposed_at,
    du.username, l.decided_at, l.withdrawn_at
    FROM rumour_labels l JOIN users pu ON pu.id = l.proposed_by LEFT JOIN users du ON du.id = l.decided_by";

fn row(r: &Row) -> rusqlite::Result<Label> {
    Ok(Label {
        id: r.get(0)?,
        post_id: r.get(1)?,
        refutation: r.get(2)?,
        refuting_post_id: r.get(3)?,
        status: r.get(4)?,
        proposed_by: r.get(5)?,
        proposed_at: r.get(6)?,
        decided_by: r.get(7)?,
        decided_at: r.get(8)?,
        withdrawn_at: r.get(9)?,
    })
}

/// Propose a label on `post` (a repost-chain root); returns its id.
///
/// # Errors
/// `Error::Conflict` when the post already has a proposed or confirmed label.
pub fn propose(tx: &Transaction, post: i64, refutation: &str, refuting: Option<i64>, by: i64, now: i64) -> Result<i64> {
    let res = tx
        .prepare_cached(
            "INSERT INTO rumour_labels (post_id, refutation, refuting_post_id, proposed_by, proposed_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![post, refutation, refuting, by, now]);
    match res {
        Ok(_) => Ok(tx.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            Err(Error::Conflict(format!("post:{post}")))
        }
        Err(e) => Err(e.into()),
    }
}

/// One label by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Label>> {
    Ok(conn.prepare_cached(&format!("SELECT {COLS} WHERE l.id = ?1"))?.query_row([id], row).optional()?)
}

/// Labels with `status`, newest first.
pub fn with_status(conn: &Connection, status: &str, limit: u32) -> Result<Vec<Label>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} WHERE l.status = ?1 ORDER BY l.id DESC LIMIT ?2"))?;
    let rows = stmt.query_map(params![status, limit], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Every label ever put on `post`, oldest first.
pub fn for_post(conn: &Connection, post: i64) -> Result<Vec<Label>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} WHERE l.post_id = ?1 ORDER BY l.id"))?;
    let rows = stmt.query_map([post], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The confirmed labels of `posts`, by post id (one query).
pub fn confirmed_for(conn: &Connection, posts: &[i64]) -> Result<HashMap<i64, Label>> {
    let mut out = HashMap::new();
    if posts.is_empty() {
        return Ok(out);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} WHERE l.status = 'confirmed' AND l.post_id IN (SELECT value FROM json_each(?1))"
    ))?;
    let ids = serde_json::to_string(posts).unwrap_or_else(|_| "[]".into());
    for l in stmt.query_map([ids], row)? {
        let l = l?;
        out.insert(l.post_id, l);
    }
    Ok(out)
}

/// Confirm or decline a proposed label; false if it was not proposed.
pub fn decide(tx: &Transaction, id: i64, confirm: bool, by: i64, now: i64) -> Result<bool> {
    let to = if confirm { "confirmed" } else { "declined" };
    Ok(tx
        .prepare_cached(
            "UPDATE rumour_labels SET status = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1 AND status = 'proposed'",
        )?
        .execute(params![id, to, by, now])?
        == 1)
}

/// Withdraw a confirmed label; false if it was not confirmed.
pub fn withdraw(tx: &Transaction, id: i64, by: i64, now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "UPDATE rumour_labels SET status = 'withdrawn', withdrawn_by = ?2, withdrawn_at = ?3
             WHERE id = ?1 AND status = 'confirmed'",
        )?
        .execute(params![id, by, now])?
        == 1)
}

/// Who is told about a label on `post` (R11.1): its author, everyone who
/// reposted it anywhere in its chain, commented on it or liked it; each
/// account once, closed accounts left out.
pub fn audience(conn: &Connection, post: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM users WHERE status = 'active' AND id IN (
             SELECT author_id FROM posts WHERE id = ?1
             UNION SELECT author_id FROM posts WHERE repost_root = ?1 AND status IN ('published', 'pending')
             UNION SELECT author_id FROM comments WHERE post_id = ?1 AND status IN ('published', 'pending')
             UNION SELECT user_id FROM likes WHERE post_id = ?1)
         ORDER BY id",
    )?;
    let rows = stmt.query_map([post], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
