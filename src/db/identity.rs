//! Identity queries (R7.1-R7.5): the sealed binding of each account, its
//! one-time codes and their sends, staff reveals, and retention after an
//! account closes. Nothing here sees a value in clear: callers seal and
//! open with `crate::seal`.

use crate::domain::identity::Status;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// An identity as pages show it: masked values and its state, never a
/// sealed or clear value (R7.4).
#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: i64,
    /// The account's username.
    pub username: String,
    /// `individual`, `organisation`, `government`, `media` or `foreign_org`.
    pub subject_type: String,
    pub legal_name_masked: String,
    /// `id_number`, `credit_code` or `org_code`.
    pub number_kind: String,
    pub number_masked: String,
    pub mobile_masked: String,
    pub province: Option<String>,
    /// As stored: `unverified`, `pending` or `verified` (see [`Identity::status`]).
    pub stored_status: String,
    pub mobile_confirmed_at: Option<i64>,
    pub verified_at: Option<i64>,
    /// Username of the staff member who confirmed it.
    pub verified_by: Option<String>,
    /// `admin`, `webhook`, `organisation` (import) or `mobile` (re-check).
    pub verified_via: Option<String>,
    pub next_check_at: Option<i64>,
    /// Staff asked for more than a mobile code at the next check.
    pub full_recheck: bool,
    /// A credit code that fails its own check (R7.2 override).
    pub check_failed: bool,
    /// Username of the reviewer who accepted a failing code by hand.
    pub override_by: Option<String>,
    pub override_at: Option<i64>,
    /// Why staff or the webhook refused, for the member.
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The account is closed (the identity is kept for the retention period).
    pub account_closed: bool,
}

impl Identity {
    /// The status at `now` (R7.3: a verified identity past its next check is expired).
    pub fn status(&self, now: i64) -> Status {
        Status::effective(Some(&self.stored_status), self.next_check_at, now)
    }
}

const COLS: &str = "i.user_id, u.username, i.subject_type, i.legal_name_masked, i.number_kind, i.number_masked,
    i.mobile_masked, i.province, i.status, i.mobile_confirmed_at, i.verified_at,
    (SELECT username FROM users WHERE id = i.verified_by), i.verified_via, i.next_check_at, i.full_recheck,
    i.check_failed, (SELECT username FROM users WHERE id = i.override_by), i.override_at, i.note, i.created_at,
    i.updated_at, u.status = 'closed'";

fn row(r: &Row) -> rusqlite::Result<Identity> {
    Ok(Identity {
        user_id: r.get(0)?,
        username: r.get(1)?,
        subject_type: r.get(2)?,
        legal_name_masked: r.get(3)?,
        number_kind: r.get(4)?,
        number_masked: r.get(5)?,
        mobile_masked: r.get(6)?,
        province: r.get(7)?,
        stored_status: r.get(8)?,
        mobile_confirmed_at: r.get(9)?,
        verified_at: r.get(10)?,
        verified_by: r.get(11)?,
        verified_via: r.get(12)?,
        next_check_at: r.get(13)?,
        full_recheck: r.get(14)?,
        check_failed: r.get(15)?,
        override_by: r.get(16)?,
        override_at: r.get(17)?,
        note: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
        account_closed: r.get(21)?,
    })
}

/// The identity of account `user`, if one was ever bound.
pub fn get(conn: &Connection, user: i64) -> Result<Option<Identity>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM identities i JOIN users u ON u.id = i.user_id WHERE i.user_id = ?1"
        ))?
        .query_row([user], row)
        .optional()?)
}

/// Identities for `/admin/identities`, most recently changed first: those
/// in `status` (computed at `now`, R7.3), or all; at most `limit`.
pub fn list(conn: &Connection, status: Option<Status>, now: i64, limit: u32) -> Result<Vec<Identity>> {
    let cond = match status {
        None => "1",
        Some(Status::Unverified) => "i.status = 'unverified'",
        Some(Status::Pending) => "i.status = 'pending'",
        Some(Status::Verified) => "i.status = 'verified' AND i.next_check_at > ?1",
        Some(Status::Expired) => "i.status = 'verified' AND coalesce(i.next_check_at, 0) <= ?1",
    };
    let sql = format!(
        "SELECT {COLS} FROM identities i JOIN users u ON u.id = i.user_id
         WHERE {cond} AND ?1 = ?1 ORDER BY i.updated_at DESC, i.user_id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![now, limit], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many identities wait for staff (`pending`), for the admin pages.
pub fn pending_count(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM identities i JOIN users u ON u.id = i.user_id
             WHERE i.status = 'pending' AND u.status = 'active'",
        )?
        .query_row([], |r| r.get(0))?)
}

/// The sealed values of an identity, to open for a reveal, the webhook or
/// a name comparison. Field names match `crate::seal::aad`.
#[derive(Clone)]
pub struct SealedRow {
    pub subject_type: String,
    pub number_kind: String,
    pub legal_name: Vec<u8>,
    pub number: Vec<u8>,
    pub mobile: Vec<u8>,
    pub mobile_mac: Vec<u8>,
    pub check_failed: bool,
    pub updated_at: i64,
}

impl std::fmt::Debug for SealedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealedRow(..)")
    }
}

/// The sealed values of `user`'s identity.
pub fn sealed(conn: &Connection, user: i64) -> Result<Option<SealedRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT subject_type, number_kind, legal_name_enc, number_enc, mobile_enc, mobile_mac, check_failed,
                    updated_at
             FROM identities WHERE user_id = ?1",
        )?
        .query_row([user], |r| {
            Ok(SealedRow {
                subject_type: r.get(0)?,
                number_kind: r.get(1)?,
                legal_name: r.get(2)?,
                number: r.get(3)?,
                mobile: r.get(4)?,
                mobile_mac: r.get(5)?,
                check_failed: r.get(6)?,
                updated_at: r.get(7)?,
            })
        })
        .optional()?)
}

/// A binding to store: sealed values, their keyed hashes and masks.
pub struct NewIdentity<'a> {
    pub user_id: i64,
    pub subject_type: &'a str,
    pub legal_name_enc: &'a [u8],
    pub legal_name_masked: &'a str,
    pub number_kind: &'a str,
    pub number_enc: &'a [u8],
    pub number_mac: &'a [u8],
    pub number_masked: &'a str,
    pub mobile_enc: &'a [u8],
    pub mobile_mac: &'a [u8],
    pub mobile_masked: &'a str,
    pub province: Option<&'a str>,
    pub check_failed: bool,
    pub now: i64,
}

/// Store a new binding for `n.user_id`, replacing any earlier one. The
/// identity starts `unverified` with its mobile unconfirmed and every
/// verification field cleared; the account takes the binding's subject type.
pub fn bind(tx: &Transaction, n: &NewIdentity) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO identities (user_id, subject_type, legal_name_enc, legal_name_masked, number_kind, number_enc,
             number_mac, number_masked, mobile_enc, mobile_mac, mobile_masked, province, check_failed, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)
         ON CONFLICT (user_id) DO UPDATE SET
             subject_type = excluded.subject_type, legal_name_enc = excluded.legal_name_enc,
             legal_name_masked = excluded.legal_name_masked, number_kind = excluded.number_kind,
             number_enc = excluded.number_enc, number_mac = excluded.number_mac,
             number_masked = excluded.number_masked, mobile_enc = excluded.mobile_enc,
             mobile_mac = excluded.mobile_mac, mobile_masked = excluded.mobile_masked,
             province = excluded.province, check_failed = excluded.check_failed, status = 'unverified',
             mobile_confirmed_at = NULL, verified_at = NULL, verified_by = NULL, verified_via = NULL,
             next_check_at = NULL, full_recheck = 0, override_by = NULL, override_at = NULL, note = '',
             updated_at = excluded.updated_at",
    )?
    .execute(params![
        n.user_id,
        n.subject_type,
        n.legal_name_enc,
        n.legal_name_masked,
        n.number_kind,
        n.number_enc,
        n.number_mac,
        n.number_masked,
        n.mobile_enc,
        n.mobile_mac,
        n.mobile_masked,
        n.province,
        n.check_failed,
        n.now
    ])?;
    tx.prepare_cached("UPDATE users SET subject_type = ?2 WHERE id = ?1")?
        .execute(params![n.user_id, n.subject_type])?;
    tx.prepare_cached("DELETE FROM identity_codes WHERE user_id = ?1")?.execute([n.user_id])?;
    Ok(())
}

/// Another active individual account already bound to this number's keyed
/// hash (R7.4 uniqueness); closed accounts do not count.
pub fn number_holder(conn: &Connection, number_mac: &[u8], except_user: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT i.user_id FROM identities i JOIN users u ON u.id = i.user_id
             WHERE i.number_mac = ?1 AND i.user_id != ?2 AND i.subject_type = 'individual' AND u.status = 'active'
             LIMIT 1",
        )?
        .query_row(params![number_mac, except_user], |r| r.get(0))
        .optional()?)
}

/// The keyed hash of the number `user` is bound to.
pub fn number_mac(conn: &Connection, user: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT number_mac FROM identities WHERE user_id = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()?)
}

/// The mobile was confirmed by a code at `now`.
pub fn confirm_mobile(tx: &Transaction, user: i64, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE identities SET mobile_confirmed_at = ?2, updated_at = ?2 WHERE user_id = ?1")?
        .execute(params![user, now])?;
    Ok(())
}

/// Wait for the webhook or staff (R7.2).
pub fn set_pending(tx: &Transaction, user: i64, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE identities SET status = 'pending', note = '', updated_at = ?2 WHERE user_id = ?1")?
        .execute(params![user, now])?;
    Ok(())
}

/// Mark verified at `now` `via` (`admin`, `webhook`, `organisation`,
/// `mobile`) by staff `by`, valid until `next_check_at` (R7.3).
pub fn verify(tx: &Transaction, user: i64, via: &str, by: Option<i64>, now: i64, next_check_at: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE identities SET status = 'verified', verified_at = ?2, verified_via = ?3, verified_by = ?4,
             next_check_at = ?5, full_recheck = 0, note = '', updated_at = ?2
         WHERE user_id = ?1",
    )?
    .execute(params![user, now, via, by, next_check_at])?;
    Ok(())
}

/// A reviewer accepted a code that fails its own check, by hand (R7.2).
pub fn record_override(tx: &Transaction, user: i64, by: i64, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE identities SET override_by = ?2, override_at = ?3 WHERE user_id = ?1")?
        .execute(params![user, by, now])?;
    Ok(())
}

/// Refuse: back to `unverified`, with the reason shown to the member.
pub fn reject(tx: &Transaction, user: i64, note: &str, now: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE identities SET status = 'unverified', note = ?2, mobile_confirmed_at = NULL, updated_at = ?3
         WHERE user_id = ?1",
    )?
    .execute(params![user, note, now])?;
    Ok(())
}

/// Staff ask for a full re-verification: the identity expires now and the
/// next mobile code leads to staff (or the webhook) again (R7.3).
pub fn require_full_recheck(tx: &Transaction, user: i64, now: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE identities SET full_recheck = 1, next_check_at = min(coalesce(next_check_at, ?2), ?2), updated_at = ?2
         WHERE user_id = ?1",
    )?
    .execute(params![user, now])?;
    Ok(())
}

/// A one-time code waiting to be entered.
#[derive(Debug, Clone)]
pub struct Code {
    pub code_mac: Vec<u8>,
    pub mobile_mac: Vec<u8>,
    pub sent_at: i64,
    pub expires_at: i64,
    pub tries: i64,
}

/// Store a new code for `user` (replacing the old one) and record the send.
pub fn put_code(tx: &Transaction, user: i64, code_mac: &[u8], mobile_mac: &[u8], now: i64, ttl: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO identity_codes (user_id, code_mac, mobile_mac, sent_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id) DO UPDATE SET code_mac = excluded.code_mac, mobile_mac = excluded.mobile_mac,
             sent_at = excluded.sent_at, expires_at = excluded.expires_at, tries = 0",
    )?
    .execute(params![user, code_mac, mobile_mac, now, now + ttl])?;
    tx.prepare_cached("INSERT INTO sms_sends (user_id, mobile_mac, sent_at) VALUES (?1, ?2, ?3)")?
        .execute(params![user, mobile_mac, now])?;
    Ok(())
}

/// The live code of `user`, if any.
pub fn code(conn: &Connection, user: i64) -> Result<Option<Code>> {
    Ok(conn
        .prepare_cached(
            "SELECT code_mac, mobile_mac, sent_at, expires_at, tries FROM identity_codes WHERE user_id = ?1",
        )?
        .query_row([user], |r| {
            Ok(Code {
                code_mac: r.get(0)?,
                mobile_mac: r.get(1)?,
                sent_at: r.get(2)?,
                expires_at: r.get(3)?,
                tries: r.get(4)?,
            })
        })
        .optional()?)
}

/// Count one wrong entry.
pub fn add_try(tx: &Transaction, user: i64) -> Result<()> {
    tx.prepare_cached("UPDATE identity_codes SET tries = tries + 1 WHERE user_id = ?1")?.execute([user])?;
    Ok(())
}

/// The code was used.
pub fn delete_code(tx: &Transaction, user: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM identity_codes WHERE user_id = ?1")?.execute([user])?;
    Ok(())
}

/// Times of codes sent since `since` to account `user` or to the number
/// with keyed hash `mobile_mac`, for the resend throttle.
pub fn sends_since(conn: &Connection, user: i64, mobile_mac: &[u8], since: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sent_at FROM sms_sends WHERE user_id = ?1 AND sent_at > ?3
         UNION ALL SELECT sent_at FROM sms_sends WHERE mobile_mac = ?2 AND user_id != ?1 AND sent_at > ?3",
    )?;
    let rows = stmt.query_map(params![user, mobile_mac, since], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The stored reason of the reveals a reviewer's check makes before
/// confirming an identity (R7.2, R7.4); pages show it in words.
pub const CHECK_REASON: &str = "check before confirming";

/// One reveal of an identity value by staff (R7.4).
#[derive(Debug, Clone)]
pub struct Reveal {
    pub id: i64,
    /// Username of the staff member.
    pub staff: String,
    /// `legal_name`, `number` or `mobile`.
    pub field: String,
    pub reason: String,
    pub at: i64,
}

/// Record a reveal: whose (`user`), who (`staff`), which field, why, when.
pub fn add_reveal(tx: &Transaction, user: i64, staff: i64, field: &str, reason: &str, now: i64) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO identity_reveals (user_id, staff_id, field, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user, staff, field, reason, now])?;
    Ok(tx.last_insert_rowid())
}

/// Every reveal of `user`'s identity, newest first.
pub fn reveals(conn: &Connection, user: i64) -> Result<Vec<Reveal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, u.username, r.field, r.reason, r.at FROM identity_reveals r JOIN users u ON u.id = r.staff_id
         WHERE r.user_id = ?1 ORDER BY r.id DESC",
    )?;
    let rows = stmt.query_map([user], |r| {
        Ok(Reveal { id: r.get(0)?, staff: r.get(1)?, field: r.get(2)?, reason: r.get(3)?, at: r.get(4)? })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Delete what identifies the members of accounts closed before `cutoff`:
/// identity, codes, code sends, and verification applications with their
/// proof rows (the files go with `plaza media gc`). Reveal records stay
/// with the log. Returns how many identities went.
pub fn purge_closed(tx: &Transaction, cutoff: i64) -> Result<usize> {
    let closed = "SELECT id FROM users WHERE status = 'closed' AND closed_at < ?1";
    for table in ["identity_codes", "sms_sends"] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE user_id IN ({closed})"))?.execute([cutoff])?;
    }
    tx.prepare_cached(&format!(
        "DELETE FROM verification_proofs WHERE verification_id IN
             (SELECT id FROM verifications WHERE user_id IN ({closed}))"
    ))?
    .execute([cutoff])?;
    tx.prepare_cached(&format!("DELETE FROM verifications WHERE user_id IN ({closed})"))?.execute([cutoff])?;
    Ok(tx.prepare_cached(&format!("DELETE FROM identities WHERE user_id IN ({closed})"))?.execute([cutoff])?)
}
