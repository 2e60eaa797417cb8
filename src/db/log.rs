//! Activity-log queries (R16.1-R16.3): append one chained entry inside the
//! caller's transaction, and read the chain back for verification.

use crate::domain::audit::{self, Entry, GENESIS};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// Who did something and from where (R16.1). Built by the HTTP layer from
/// the socket and the session, or by a CLI command for the operator.
#[derive(Debug, Clone)]
pub struct Source {
    pub account_id: Option<i64>,
    /// Source IP address as text.
    pub ip: String,
    /// Source TCP port (0 for the command line).
    pub port: u16,
    pub user_agent: String,
}

impl Source {
    /// The operator at the command line.
    pub fn cli(command: &str) -> Source {
        Source { account_id: None, ip: "cli".into(), port: 0, user_agent: format!("plaza {command}") }
    }
}

/// Append one entry, chained to the newest, in the caller's transaction
/// (`tx` is a `Transaction` or a connection inside `BEGIN`), so that the
/// action and its log entry commit together or not at all.
///
/// `action` is a dotted name (`user.signup`, `post.create`...), `target` a
/// `kind:id` reference, `outcome` `ok` or a short reason. Never pass a
/// password, token or identity value here (R7.5).
///
/// # Errors
/// `Error::Db`; the caller's transaction then rolls back.
pub fn append(
    tx: &Connection,
    key: &[u8; 32],
    src: &Source,
    at: i64,
    action: &str,
    target: &str,
    outcome: &str,
) -> Result<()> {
    let last: Option<(i64, Vec<u8>)> = tx
        .prepare_cached("SELECT id, hash FROM activity_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, <[u8; 32]>::try_from(hash.as_slice()).unwrap_or(GENESIS)),
        None => (1, GENESIS),
    };
    let entry = Entry {
        id,
        at,
        account_id: src.account_id,
        ip: src.ip.clone(),
        port: src.port,
        user_agent: src.user_agent.chars().take(512).collect(),
        action: action.into(),
        target: target.into(),
        outcome: outcome.into(),
    };
    let hash = audit::entry_hash(key, &prev, &entry);
    tx.prepare_cached(
        "INSERT INTO activity_log (id, at, account_id, ip, port, user_agent, action, target, outcome, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.id,
        entry.at,
        entry.account_id,
        entry.ip,
        entry.port,
        entry.user_agent,
        entry.action,
        entry.target,
        entry.outcome,
        &prev[..],
        &hash[..]
    ])?;
    Ok(())
}

/// Verify the whole chain (R16.3).
///
/// # Returns
/// `Ok(Ok(n))` with the number of entries, or `Ok(Err(broken))` naming the
/// first broken entry.
pub fn verify(conn: &Connection, key: &[u8; 32]) -> Result<Result<u64, audit::Broken>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, account_id, ip, port, user_agent, action, target, outcome, prev_hash, hash
         FROM activity_log ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            Entry {
                id: r.get(0)?,
                at: r.get(1)?,
                account_id: r.get(2)?,
                ip: r.get(3)?,
                port: r.get(4)?,
                user_agent: r.get(5)?,
                action: r.get(6)?,
                target: r.get(7)?,
                outcome: r.get(8)?,
            },
            r.get::<_, Vec<u8>>(9)?,
            r.get::<_, Vec<u8>>(10)?,
        ))
    })?;
    let rows: Vec<_> = rows.collect::<std::result::Result<_, _>>()?;
    Ok(audit::verify(key, GENESIS, rows))
}

/// One entry as listed for staff.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub id: i64,
    pub at: i64,
    pub username: Option<String>,
    pub ip: String,
    pub port: u16,
    pub action: String,
    pub target: String,
    pub outcome: String,
}

/// The newest entries for one account (or all when `None`), newest first.
pub fn recent(conn: &Connection, account_id: Option<i64>, limit: u32) -> Result<Vec<LogRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.at, u.username, l.ip, l.port, l.action, l.target, l.outcome
         FROM activity_log l LEFT JOIN users u ON u.id = l.account_id
         WHERE (?1 IS NULL OR l.account_id = ?1) ORDER BY l.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![account_id, limit], |r| {
        Ok(LogRow {
            id: r.get(0)?,
            at: r.get(1)?,
            username: r.get(2)?,
            ip: r.get(3)?,
            port: r.get(4)?,
            action: r.get(5)?,
            target: r.get(6)?,
            outcome: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
