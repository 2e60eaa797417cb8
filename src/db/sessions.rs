//! Login sessions: the cookie carries a random token, the table only its
//! SHA-256, so a copy of the database logs nobody in.

use crate::crypto::sha256;
use crate::domain::account::Role;
use crate::domain::identity::Status;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// The signed-in account behind a request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Staff roles held (R6.5).
    pub roles: Vec<Role>,
    /// Agreement version accepted; below the current one, the member must
    /// accept again before going on (R6.1).
    pub agreement_version: i64,
    /// This session's CSRF token, carried by every form.
    pub csrf_token: String,
    /// SHA-256 of the session cookie, to end this session on logout.
    pub token_hash: [u8; 32],
    /// The account's identity status at the start of the request: only
    /// `Verified` may post, comment and repost (R7.1, R7.3).
    pub identity: Status,
}

impl SessionUser {
    /// Does the account hold `role`?
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Start a session for `user_id`; the caller sets `token` as the cookie.
pub fn create(tx: &Transaction, user_id: i64, token: &str, csrf: &str, now: i64, ttl: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![&sha256(token.as_bytes())[..], user_id, csrf, now, now + ttl])?;
    Ok(())
}

/// The live session for a cookie token, with its account and roles.
pub fn lookup(conn: &Connection, token: &str, now: i64) -> Result<Option<SessionUser>> {
    let hash = sha256(token.as_bytes());
    let found = conn
        .prepare_cached(
            "SELECT u.id, u.username, u.display_name, u.agreement_version, s.csrf_token, i.status, i.next_check_at
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN identities i ON i.user_id = u.id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.status = 'active'",
        )?
        .query_row(params![&hash[..], now], |r| {
            Ok(SessionUser {
                id: r.get(0)?,
                username: r.get(1)?,
                display_name: r.get(2)?,
                roles: Vec::new(),
                agreement_version: r.get(3)?,
                csrf_token: r.get(4)?,
                token_hash: hash,
                identity: Status::effective(r.get::<_, Option<String>>(5)?.as_deref(), r.get(6)?, now),
            })
        })
        .optional()?;
    match found {
        Some(mut s) => {
            s.roles = super::users::roles(conn, s.id)?;
            Ok(Some(s))
        }
        None => Ok(None),
    }
}

/// End one session.
pub fn delete(tx: &Transaction, token_hash: &[u8; 32]) -> Result<()> {
    tx.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?.execute([&token_hash[..]])?;
    Ok(())
}

/// End every session of `user_id` but `keep` (after a password change).
pub fn delete_others(tx: &Transaction, user_id: i64, keep: &[u8; 32]) -> Result<usize> {
    Ok(tx
        .prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2")?
        .execute(params![user_id, &keep[..]])?)
}

/// Drop expired sessions.
pub fn purge_expired(tx: &Transaction, now: i64) -> Result<usize> {
    Ok(tx.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?.execute([now])?)
}
