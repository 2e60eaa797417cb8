//! Notifications: someone followed, commented, replied, reposted, liked or
//! mentioned you (R2.3); staff decided on your identity or badge (R7.2,
//! R10.1), rejected or removed your content (R6.2, R12.2); a post you took
//! part in was labelled 不实信息 (R11.1).
//!
//! Notifications about content that is no longer published (removed,
//! deleted, held) are left out of the list and the unread count (R12.2),
//! except the staff notices about that very content.

use crate::db::users::{user_at, User, USER_COLS};
use crate::error::Result;
use rusqlite::{params, Connection, Transaction};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Follow,
    Comment,
    Reply,
    Repost,
    Like,
    Mention,
    /// Staff confirmed the member's identity (R7.2).
    IdentityVerified,
    /// Staff refused the member's identity; the reason is on `/settings/identity`.
    IdentityRejected,
    /// The member's identity details were replaced (issue 15): if it was
    /// not them, their password and mobile are in someone else's hands.
    IdentityChanged,
    /// A badge application was approved (R10.1).
    VerificationApproved,
    /// A badge application was rejected; the reason is on `/settings/verification`.
    VerificationRejected,
    /// A badge was revoked, with a reason.
    VerificationRevoked,
    /// Your held content was rejected; `detail` is the reason.
    Rejected,
    /// Staff removed your content; `detail` is the reason.
    Removed,
    /// A post you wrote, reposted, commented on or liked is labelled
    /// 不实信息; `detail` is the refutation.
    Rumour,
    /// That label was withdrawn.
    RumourWithdrawn,
    /// The author of a post hid your comment under it (R10.3).
    CommentHidden,
    /// Your appeal was upheld (R15.1); `detail` is the answer.
    AppealUpheld,
    /// Your appeal was rejected; `detail` is the answer.
    AppealRejected,
    /// A complaint you filed was decided (R14.2); `detail` is the result.
    ComplaintDecided,
    /// Your credit score changed (R15.1); `detail` is the change and reason.
    Credit,
    /// Staff: a new complaint waits (R14.2); `detail` is its tracking number.
    StaffComplaint,
    /// Staff: a complaint was assigned to you; `detail` is its tracking number.
    ComplaintAssigned,
    /// Staff: an identity waits for confirmation (R7.2).
    StaffIdentity,
    /// Staff: a credit appeal waits for a decision (R15.1).
    StaffAppeal,
    /// Staff: a verified-badge application waits (R10.1).
    StaffVerification,
    /// Staff muted (禁言) the account (issue 18); `detail` is the reason.
    SanctionMute,
    /// Staff suspended (封禁) the account (issue 18); `detail` is the reason.
    SanctionSuspend,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 28] = [
        Kind::Follow,
        Kind::Comment,
        Kind::Reply,
        Kind::Repost,
        Kind::Like,
        Kind::Mention,
        Kind::IdentityVerified,
        Kind::IdentityRejected,
        Kind::IdentityChanged,
        Kind::VerificationApproved,
        Kind::VerificationRejected,
        Kind::VerificationRevoked,
        Kind::Rejected,
        Kind::Removed,
        Kind::Rumour,
        Kind::RumourWithdrawn,
        Kind::CommentHidden,
        Kind::AppealUpheld,
        Kind::AppealRejected,
        Kind::ComplaintDecided,
        Kind::Credit,
        Kind::StaffComplaint,
        Kind::ComplaintAssigned,
        Kind::StaffIdentity,
        Kind::StaffAppeal,
        Kind::StaffVerification,
        Kind::SanctionMute,
        Kind::SanctionSuspend,
    ];

    /// About the member's own identity or badge, from staff, or new work
    /// for staff (issue 13): shown without anyone's name, linking to the
    /// settings or staff page where it is read or done.
    pub fn settings_page(self) -> Option<&'static str> {
        match self {
            Kind::StaffComplaint | Kind::ComplaintAssigned => Some("/admin/complaints"),
            Kind::StaffIdentity => Some("/admin/identities"),
            Kind::StaffAppeal => Some("/admin/appeals"),
            Kind::StaffVerification => Some("/admin/verifications"),
            Kind::IdentityVerified | Kind::IdentityRejected | Kind::IdentityChanged => Some("/settings/identity"),
            Kind::VerificationApproved | Kind::VerificationRejected | Kind::VerificationRevoked => {
                Some("/settings/verification")
            }
            Kind::AppealUpheld | Kind::AppealRejected | Kind::Credit => Some("/settings/credit"),
            _ => None,
        }
    }

    /// The name stored in `notifications.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Follow => "follow",
            Kind::Comment => "comment",
            Kind::Reply => "reply",
            Kind::Repost => "repost",
            Kind::Like => "like",
            Kind::Mention => "mention",
            Kind::IdentityVerified => "identity_verified",
            Kind::IdentityRejected => "identity_rejected",
            Kind::IdentityChanged => "identity_changed",
            Kind::VerificationApproved => "verification_approved",
            Kind::VerificationRejected => "verification_rejected",
            Kind::VerificationRevoked => "verification_revoked",
            Kind::Rejected => "rejected",
            Kind::Removed => "removed",
            Kind::Rumour => "rumour",
            Kind::RumourWithdrawn => "rumour_withdrawn",
            Kind::CommentHidden => "comment_hidden",
            Kind::AppealUpheld => "appeal_upheld",
            Kind::AppealRejected => "appeal_rejected",
            Kind::ComplaintDecided => "complaint_decided",
            Kind::Credit => "credit",
            Kind::StaffComplaint => "staff_complaint",
            Kind::ComplaintAssigned => "complaint_assigned",
            Kind::StaffIdentity => "staff_identity",
            Kind::StaffAppeal => "staff_appeal",
            Kind::StaffVerification => "staff_verification",
            Kind::SanctionMute => "sanction_mute",
            Kind::SanctionSuspend => "sanction_suspend",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Tell `user` that `actor` did `kind`; nobody is notified of their own acts.
pub fn notify(
    tx: &Transaction,
    user: i64,
    kind: Kind,
    actor: i64,
    post: Option<i64>,
    comment: Option<i64>,
    now: i64,
) -> Result<()> {
    notify_with(tx, user, kind, actor, post, comment, "", now)
}

/// [`notify`] with a text: a reason or a refutation (R6.2, R11.1, R12.2).
#[allow(clippy::too_many_arguments)]
pub fn notify_with(
    tx: &Transaction,
    user: i64,
    kind: Kind,
    actor: i64,
    post: Option<i64>,
    comment: Option<i64>,
    detail: &str,
    now: i64,
) -> Result<()> {
    // Nobody is told of their own acts, except that their identity changed
    // (issue 15): the one who acted may not be the owner.
    if user == actor && kind != Kind::IdentityChanged {
        return Ok(());
    }
    // Issue 18: nothing a member does reaches an account on the other side of a block.
    let social = matches!(kind, Kind::Follow | Kind::Comment | Kind::Reply | Kind::Repost | Kind::Like | Kind::Mention);
    if social && crate::db::blocks::between(tx, user, actor)? {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO notifications (user_id, kind, actor_id, post_id, comment_id, detail, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![user, kind.as_str(), actor, post, comment, detail, now])?;
    Ok(())
}

/// Tell staff member `user` of new work (`Kind::Staff*`), even when the
/// work came from no account (an anonymous complaint): `actor` is then the
/// recipient, which no page names for these kinds.
///
/// # Errors
/// A database error.
pub fn notify_staff(tx: &Transaction, user: i64, kind: Kind, actor: Option<i64>, detail: &str, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO notifications (user_id, kind, actor_id, detail, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user, kind.as_str(), actor.unwrap_or(user), detail, now])?;
    Ok(())
}

/// SQL condition: notification `n` of recipient `?1` is shown: a staff
/// notice, or about nothing, or about content that is still published
/// (R12.2) and that the recipient may still see (R2.1: an unfollowed
/// followers-only post leaves no text behind), and, for what members do
/// (not staff notices), whose actor has no block with the recipient
/// either way (issue 18).
const SHOWN: &str =
    "(n.kind IN ('rejected', 'removed', 'comment_hidden', 'sanction_mute', 'sanction_suspend', 'appeal_upheld', 'appeal_rejected', 'complaint_decided', 'credit')
    OR ((n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = n.post_id AND p.status = 'published'
            AND (p.visibility = 'public' OR p.author_id = ?1 OR (p.visibility = 'followers'
                 AND EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = p.author_id)))))
        AND (n.comment_id IS NULL
             OR EXISTS (SELECT 1 FROM comments WHERE id = n.comment_id AND status = 'published'))
        AND (n.kind NOT IN ('follow', 'comment', 'reply', 'repost', 'like', 'mention')
             OR n.actor_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
                                   UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
                                   UNION ALL SELECT user_id FROM sanctions
                                       WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch()))))";

/// One notification as listed.
#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub actor: User,
    pub post_id: Option<i64>,
    /// The comment concerned, if any.
    pub comment_id: Option<i64>,
    /// First characters of the post or comment concerned, when still
    /// published; for a removal or rejection, the author's own words even
    /// though gone, so they know which one (R15.1).
    pub excerpt: Option<String>,
    /// A reason or refutation from staff, or empty.
    pub detail: String,
    pub created_at: i64,
    pub unread: bool,
}

/// A page of a member's notifications, newest first, ids below `max_id`.
pub fn list(conn: &Connection, user: i64, max_id: i64, limit: u32) -> Result<Vec<Notification>> {
    let sql = format!(
        "SELECT n.id, n.kind, n.post_id, n.created_at, n.read_at IS NULL,
                CASE WHEN n.comment_id IS NOT NULL THEN (SELECT substr(body, 1, 80) FROM comments WHERE id = n.comment_id
                         AND (status = 'published' OR (n.kind IN ('removed', 'rejected') AND author_id = ?1)))
                     ELSE (SELECT substr(body, 1, 80) FROM posts WHERE id = n.post_id
                         AND (status = 'published' OR (n.kind IN ('removed', 'rejected') AND author_id = ?1))) END,
                n.detail, {USER_COLS}, n.comment_id
         FROM notifications n JOIN users u ON u.id = n.actor_id
         WHERE n.user_id = ?1 AND n.id < ?2 AND {SHOWN} ORDER BY n.id DESC LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![user, max_id, limit], |r| {
        let kind: String = r.get(1)?;
        Ok(Notification {
            id: r.get(0)?,
            kind: Kind::parse(&kind).unwrap_or(Kind::Mention),
            post_id: r.get(2)?,
            created_at: r.get(3)?,
            unread: r.get(4)?,
            excerpt: r.get(5)?,
            detail: r.get(6)?,
            actor: user_at(r, 7)?,
            comment_id: r.get(7 + crate::db::users::USER_COL_COUNT)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many unread notifications a member has (shown in the header).
pub fn unread_count(conn: &Connection, user: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM notifications n WHERE n.user_id = ?1 AND n.read_at IS NULL AND {SHOWN}"
        ))?
        .query_row([user], |r| r.get(0))?)
}

/// Mark every notification of a member read.
pub fn mark_all_read(tx: &Transaction, user: i64, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL")?
        .execute(params![user, now])?;
    Ok(())
}
