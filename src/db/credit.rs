//! Credit score queries (R15.1): events, the score (start plus the sum of
//! deltas), appeals, and the monthly good-behaviour bonus.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// Where a credit event came from (`credit_events.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Staff removed the member's content.
    Removal,
    /// A complaint against the member was upheld.
    Complaint,
    /// A post of the member was labelled 不实信息.
    Rumour,
    /// 30 days without a violation.
    GoodBehaviour,
    /// A staff adjustment with a reason.
    Staff,
    /// An upheld appeal reversed an earlier event.
    Appeal,
}

impl Source {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Removal => "removal",
            Source::Complaint => "complaint",
            Source::Rumour => "rumour",
            Source::GoodBehaviour => "good_behaviour",
            Source::Staff => "staff",
            Source::Appeal => "appeal",
        }
    }
}

/// One event of a member's history.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub user_id: i64,
    pub delta: i64,
    pub source: String,
    pub reason: String,
    /// What caused it: `post:12`, `comment:3`, `complaint:4`, `event:9`.
    pub r#ref: String,
    pub actor_id: Option<i64>,
    pub created_at: i64,
    /// The appeal event that reversed this one.
    pub reversed_by: Option<i64>,
    /// The appeal against it: (status, answer).
    pub appeal: Option<(String, String)>,
}

impl Event {
    /// Can the member appeal it (once, R15.1)? A penalty not reversed, or
    /// the record of a sanction (`sanction:4`, issue 18), which costs no
    /// points but is appealed the same way.
    pub fn appealable(&self) -> bool {
        self.reversed_by.is_none() && (self.delta < 0 || self.r#ref.starts_with("sanction:"))
    }
}

fn event_row(r: &Row) -> rusqlite::Result<Event> {
    let status: Option<String> = r.get(9)?;
    Ok(Event {
        id: r.get(0)?,
        user_id: r.get(1)?,
        delta: r.get(2)?,
        source: r.get(3)?,
        reason: r.get(4)?,
        r#ref: r.get(5)?,
        actor_id: r.get(6)?,
        created_at: r.get(7)?,
        reversed_by: r.get(8)?,
        appeal: status.map(|s| (s, r.get::<_, Option<String>>(10).ok().flatten().unwrap_or_default())),
    })
}

const EVENT_SELECT: &str = "SELECT e.id, e.user_id, e.delta, e.source, e.reason, e.ref, e.actor_id, e.created_at,
        e.reversed_by, a.status, a.answer FROM credit_events e LEFT JOIN appeals a ON a.event_id = e.id";

/// The sum of a member's deltas (the score is the configured start plus this).
pub fn delta_sum(conn: &Connection, user: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(delta), 0) FROM credit_events WHERE user_id = ?1")?
        .query_row([user], |r| r.get(0))?)
}

/// A member's events, newest first.
pub fn history(conn: &Connection, user: i64, limit: u32) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(&format!("{EVENT_SELECT} WHERE e.user_id = ?1 ORDER BY e.id DESC LIMIT ?2"))?;
    let rows = stmt.query_map(params![user, limit], event_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One event by id.
pub fn event(conn: &Connection, id: i64) -> Result<Option<Event>> {
    Ok(conn.prepare_cached(&format!("{EVENT_SELECT} WHERE e.id = ?1"))?.query_row([id], event_row).optional()?)
}

/// The event a removal of `content` (`post:12`) gave its author, if any.
pub fn event_for_ref(conn: &Connection, user: i64, source: Source, r#ref: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM credit_events WHERE user_id = ?1 AND source = ?2 AND ref = ?3 ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![user, source.as_str(), r#ref], |r| r.get(0))
        .optional()?)
}

/// Record an event; returns its id.
#[allow(clippy::too_many_arguments)]
pub fn add(
    tx: &Transaction,
    user: i64,
    delta: i64,
    source: Source,
    reason: &str,
    r#ref: &str,
    actor: Option<i64>,
    now: i64,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO credit_events (user_id, delta, source, reason, ref, actor_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![user, delta, source.as_str(), reason, r#ref, actor, now])?;
    Ok(tx.last_insert_rowid())
}

/// Mark `event` reversed by `by` (an appeal event). False if it already was.
pub fn mark_reversed(tx: &Transaction, event: i64, by: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("UPDATE credit_events SET reversed_by = ?2 WHERE id = ?1 AND reversed_by IS NULL")?
        .execute([event, by])?
        == 1)
}

/// Accounts due a good-behaviour bonus at `now`: active, older than 30
/// days, with neither a penalty nor a bonus in the last 30 days.
pub fn due_for_bonus(conn: &Connection, now: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id FROM users u WHERE u.status = 'active' AND u.created_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.user_id = u.id AND e.created_at > ?1
                           AND (e.delta < 0 OR e.source = 'good_behaviour'))",
    )?;
    let rows = stmt.query_map([now - 30 * 86_400], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

// ---------------------------------------------------------------------------
// Appeals
// ---------------------------------------------------------------------------

/// An appeal with its event.
#[derive(Debug, Clone)]
pub struct Appeal {
    pub id: i64,
    pub event: Event,
    pub username: String,
    pub body: String,
    /// `open`, `upheld` or `rejected`.
    pub status: String,
    pub created_at: i64,
}

/// File an appeal; false if the event already has one (once per event).
pub fn add_appeal(tx: &Transaction, event: i64, user: i64, body: &str, now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("INSERT OR IGNORE INTO appeals (event_id, user_id, body, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![event, user, body, now])?
        == 1)
}

/// Open appeals, oldest first.
pub fn open_appeals(conn: &Connection) -> Result<Vec<Appeal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.event_id, u.username, a.body, a.status, a.created_at
         FROM appeals a JOIN users u ON u.id = a.user_id WHERE a.status = 'open' ORDER BY a.id",
    )?;
    let rows: Vec<(i64, i64, String, String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, event_id, username, body, status, created_at) in rows {
        if let Some(event) = event(conn, event_id)? {
            out.push(Appeal { id, event, username, body, status, created_at });
        }
    }
    Ok(out)
}

/// One appeal by id: (event id, status).
pub fn appeal(conn: &Connection, id: i64) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT event_id, status FROM appeals WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Decide an open appeal; `no_independent` records that no reviewer
/// other than the event's decider existed (R6.5). False if it was already
/// decided.
pub fn decide_appeal(
    tx: &Transaction,
    id: i64,
    status: &str,
    answer: &str,
    by: i64,
    now: i64,
    no_independent: bool,
) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "UPDATE appeals SET status = ?2, answer = ?3, decided_by = ?4, decided_at = ?5,
                    no_independent_reviewer = ?6
             WHERE id = ?1 AND status = 'open'",
        )?
        .execute(params![id, status, answer, by, now, no_independent])?
        == 1)
}
