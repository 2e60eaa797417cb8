//! Login sessions: the cookie carries a random token, the table only its
//! SHA-256, so a copy of the database logs nobody in. A session ends when
//! unused for a while and after a fixed lifetime, sooner for staff
//! ([`Lifetimes`], issue 15); its last use, address and user agent are
//! kept for `/settings/sessions`, where the member ends any of them.

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
    /// When this session was last used (UTC seconds): the dispatcher
    /// records a new use at most once a minute ([`touch`]).
    pub last_seen_at: i64,
    /// Signed in with the password, the second factor still to come: only
    /// `/login/second-factor` and logging out are open (issue 15).
    pub second_factor_pending: bool,
    /// The account has a second factor switched on.
    pub second_factor_on: bool,
}

impl SessionUser {
    /// Does the account hold `role`?
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// How long sessions live, in seconds (issue 15): a member's ends after
/// `member_idle` without a request or `member_max` after login; an
/// account holding a staff role gets the shorter `staff_idle` and
/// `staff_max`, since its session can silence anyone (R6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub member_max: i64,
    pub member_idle: i64,
    pub staff_max: i64,
    pub staff_idle: i64,
}

impl Lifetimes {
    /// The configured lifetimes (`session_seconds`, `session_idle_seconds`,
    /// `staff_session_seconds`, `staff_session_idle_seconds`).
    pub fn of(c: &crate::config::Config) -> Lifetimes {
        Lifetimes {
            member_max: c.session_seconds,
            member_idle: c.session_idle_seconds,
            staff_max: c.staff_session_seconds,
            staff_idle: c.staff_session_idle_seconds,
        }
    }

    /// Is a session started at `created`, last used at `last_seen`, live at
    /// `now` for an account that is staff (`staff`) or not?
    pub fn live(&self, created: i64, last_seen: i64, staff: bool, now: i64) -> bool {
        let (max, idle) = if staff { (self.staff_max, self.staff_idle) } else { (self.member_max, self.member_idle) };
        now < created + max && now < last_seen + idle
    }
}

/// Where a session is used from: the request's address and user agent.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Start a session for `user_id` at `now`, lasting at most `ttl` seconds
/// (the member lifetime: [`lookup`] applies the staff one), used from
/// `from`; the caller sets `token` as the cookie.
pub fn create(tx: &Transaction, user_id: i64, token: &str, csrf: &str, now: i64, ttl: i64, from: Origin) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7)",
    )?
    .execute(params![
        &sha256(token.as_bytes())[..],
        user_id,
        csrf,
        now,
        now + ttl,
        from.ip,
        clip(from.user_agent)
    ])?;
    Ok(())
}

/// A user agent as stored: at most 300 characters.
fn clip(ua: &str) -> String {
    ua.chars().take(300).collect()
}

/// The live session for a cookie token, with its account and roles: not
/// past its lifetime nor idle too long for the account's roles (`life`).
pub fn lookup(conn: &Connection, token: &str, now: i64, life: &Lifetimes) -> Result<Option<SessionUser>> {
    let hash = sha256(token.as_bytes());
    let found = conn
        .prepare_cached(
            "SELECT u.id, u.username, u.display_name, u.agreement_version, s.csrf_token, i.status, i.next_check_at,
                    s.created_at, s.last_seen_at, s.second_factor_pending,
                    EXISTS (SELECT 1 FROM totp_secrets t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL)
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN identities i ON i.user_id = u.id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.status = 'active'",
        )?
        .query_row(params![&hash[..], now], |r| {
            Ok((
                SessionUser {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    display_name: r.get(2)?,
                    roles: Vec::new(),
                    agreement_version: r.get(3)?,
                    csrf_token: r.get(4)?,
                    token_hash: hash,
                    identity: Status::effective(r.get::<_, Option<String>>(5)?.as_deref(), r.get(6)?, now),
                    last_seen_at: r.get(8)?,
                    second_factor_pending: r.get(9)?,
                    second_factor_on: r.get(10)?,
                },
                r.get::<_, i64>(7)?,
            ))
        })
        .optional()?;
    match found {
        Some((mut s, created)) => {
            s.roles = super::users::roles(conn, s.id)?;
            Ok(life.live(created, s.last_seen_at, !s.roles.is_empty(), now).then_some(s))
        }
        None => Ok(None),
    }
}

/// Mark session `token_hash` as waiting for the second factor (`pending`)
/// or past it.
pub fn set_second_factor_pending(tx: &Transaction, token_hash: &[u8; 32], pending: bool) -> Result<()> {
    tx.prepare_cached("UPDATE sessions SET second_factor_pending = ?2 WHERE token_hash = ?1")?
        .execute(params![&token_hash[..], pending])?;
    Ok(())
}

/// Record that session `token_hash` was used at `now` from `from`.
pub fn touch(tx: &Transaction, token_hash: &[u8; 32], now: i64, from: Origin) -> Result<()> {
    tx.prepare_cached("UPDATE sessions SET last_seen_at = ?2, ip = ?3, user_agent = ?4 WHERE token_hash = ?1")?
        .execute(params![&token_hash[..], now, from.ip, clip(from.user_agent)])?;
    Ok(())
}

/// One of an account's sessions, as `/settings/sessions` lists it.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// A public handle: the first 16 bytes of the token's SHA-256 in hex
    /// (names the session in a form; tells nothing about the token).
    pub handle: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
    /// The session of the request that lists them.
    pub current: bool,
}

/// The handle of a session ([`SessionRow::handle`]).
pub fn handle(token_hash: &[u8]) -> String {
    hex::encode(&token_hash[..16])
}

/// `user`'s live sessions (by `life`, `staff` as the account is now), the
/// one of `current` marked, most recently used first.
pub fn list(
    conn: &Connection,
    user: i64,
    current: &[u8; 32],
    staff: bool,
    life: &Lifetimes,
    now: i64,
) -> Result<Vec<SessionRow>> {
    let mut st = conn.prepare_cached(
        "SELECT token_hash, created_at, last_seen_at, ip, user_agent FROM sessions
         WHERE user_id = ?1 AND expires_at > ?2 ORDER BY last_seen_at DESC",
    )?;
    let rows = st.query_map(params![user, now], |r| {
        let hash: Vec<u8> = r.get(0)?;
        Ok(SessionRow {
            current: hash == current[..],
            handle: handle(&hash),
            created_at: r.get(1)?,
            last_seen_at: r.get(2)?,
            ip: r.get(3)?,
            user_agent: r.get(4)?,
        })
    })?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if life.live(row.created_at, row.last_seen_at, staff, now) {
            out.push(row);
        }
    }
    Ok(out)
}

/// End one session.
pub fn delete(tx: &Transaction, token_hash: &[u8; 32]) -> Result<()> {
    tx.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?.execute([&token_hash[..]])?;
    Ok(())
}

/// End `user`'s session with `handle` ([`SessionRow::handle`]); false when
/// the account has none such.
pub fn delete_by_handle(tx: &Transaction, user: i64, handle: &str) -> Result<bool> {
    if handle.len() != 32 || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    Ok(tx
        .prepare_cached(
            "DELETE FROM sessions WHERE user_id = ?1 AND lower(hex(substr(token_hash, 1, 16))) = lower(?2)",
        )?
        .execute(params![user, handle])?
        > 0)
}

/// End every session of `user_id` but `keep` (after a password change,
/// "sign out elsewhere").
pub fn delete_others(tx: &Transaction, user_id: i64, keep: &[u8; 32]) -> Result<usize> {
    Ok(tx
        .prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2")?
        .execute(params![user_id, &keep[..]])?)
}

/// End every session of `user_id` (a password set from a one-time link).
pub fn delete_all(tx: &Transaction, user_id: i64) -> Result<usize> {
    Ok(tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?.execute([user_id])?)
}

/// Drop sessions past their lifetime or idle longer than a member's may be
/// (`life`; a staff session idle past its shorter limit is refused by
/// [`lookup`] and dropped here later).
pub fn purge_expired(tx: &Transaction, now: i64, life: &Lifetimes) -> Result<usize> {
    Ok(tx
        .prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?2")?
        .execute(params![now, now - life.member_idle.max(life.staff_idle)])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_and_absolute_expiry() {
        let l = Lifetimes {
            member_max: 90 * 86_400,
            member_idle: 30 * 86_400,
            staff_max: 7 * 86_400,
            staff_idle: 12 * 3600,
        };
        let day = 86_400;
        assert!(l.live(0, 29 * day, false, 58 * day), "used a month ago minus a day");
        assert!(!l.live(0, 0, false, 30 * day), "a month idle");
        assert!(!l.live(0, 89 * day, false, 90 * day), "past the lifetime however used");
        assert!(l.live(0, 0, true, 11 * 3600));
        assert!(!l.live(0, 0, true, 12 * 3600), "staff: 12 hours idle");
        assert!(!l.live(0, 7 * day - 60, true, 7 * day), "staff: a week at most");
    }
}
