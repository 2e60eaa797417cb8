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
    /// Someone liked your comment (issue 18).
    CommentLike,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 29] = [
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
        Kind::CommentLike,
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
            Kind::CommentLike => "comment_like",
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
    let social = matches!(
        kind,
        Kind::Follow | Kind::Comment | Kind::Reply | Kind::Repost | Kind::Like | Kind::Mention | Kind::CommentLike
    );
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
/// followers-only post leaves no text behind; issue 18: nor does a post
/// whose author is blocked either way or suspended), and, for what members do
/// (not staff notices), whose actor has no block with the recipient
/// either way (issue 18).
const SHOWN: &str =
    "(n.kind IN ('rejected', 'removed', 'comment_hidden', 'sanction_mute', 'sanction_suspend', 'appeal_upheld', 'appeal_rejected', 'complaint_decided', 'credit')
    OR ((n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = n.post_id AND p.status = 'published'
            AND (p.visibility = 'public' OR p.author_id = ?1 OR (p.visibility = 'followers'
                 AND EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = p.author_id)))
            AND p.author_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
                                    UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
                                    UNION ALL SELECT user_id FROM sanctions
                                        WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch())))
        AND (n.comment_id IS NULL
             OR EXISTS (SELECT 1 FROM comments WHERE id = n.comment_id AND status = 'published'))
        AND (n.kind NOT IN ('follow', 'comment', 'reply', 'repost', 'like', 'mention', 'comment_like')
             OR n.actor_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
                                   UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
                                   UNION ALL SELECT user_id FROM sanctions
                                       WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch()))))";

/// Code points of a post or comment read for a notification's excerpt.
const EXCERPT_READ: i64 = 240;
/// User-perceived characters (graphemes) a notification's excerpt shows.
pub const EXCERPT_GRAPHEMES: usize = 60;

/// The filter tabs of the notifications page (issue 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Everything.
    All,
    /// Someone mentioned you.
    Mentions,
    /// Comments on your posts and replies to your comments.
    Comments,
    /// Likes of your posts and comments, reposts of your posts.
    LikesAndReposts,
    /// Notices from staff and the site (identity, badge, review, credit,
    /// appeals, complaints, sanctions, rumour labels).
    System,
}

impl Tab {
    /// Every tab, in the order the page shows them.
    pub const ALL: [Tab; 5] = [Tab::All, Tab::Mentions, Tab::Comments, Tab::LikesAndReposts, Tab::System];

    /// The `?tab=` value (empty for all).
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::All => "",
            Tab::Mentions => "mentions",
            Tab::Comments => "comments",
            Tab::LikesAndReposts => "likes",
            Tab::System => "system",
        }
    }

    /// From `?tab=`; `None` for an unknown value.
    pub fn parse(s: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The kinds this tab shows; `None` for all of them.
    pub fn kinds(self) -> Option<Vec<Kind>> {
        let social =
            [Kind::Follow, Kind::Comment, Kind::Reply, Kind::Repost, Kind::Like, Kind::Mention, Kind::CommentLike];
        match self {
            Tab::All => None,
            Tab::Mentions => Some(vec![Kind::Mention]),
            Tab::Comments => Some(vec![Kind::Comment, Kind::Reply]),
            Tab::LikesAndReposts => Some(vec![Kind::Like, Kind::Repost, Kind::CommentLike]),
            Tab::System => Some(Kind::ALL.into_iter().filter(|k| !social.contains(k)).collect()),
        }
    }
}

/// One notification as listed.
#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub actor: User,
    pub post_id: Option<i64>,
    /// What a group of these is about: the post a repost shares, else `post_id`.
    pub subject_id: Option<i64>,
    /// The comment concerned, if any.
    pub comment_id: Option<i64>,
    /// The first [`EXCERPT_GRAPHEMES`] user-perceived characters of the
    /// post or comment concerned, when still published, cut at a grapheme
    /// boundary with `…` when longer; for a removal or rejection, the
    /// author's own words even though gone, so they know which one (R15.1).
    pub excerpt: Option<String>,
    /// A reason or refutation from staff, or empty.
    pub detail: String,
    pub created_at: i64,
    pub unread: bool,
}

/// A page of a member's notifications in `tab`, newest first, ids below
/// `max_id`.
pub fn list(conn: &Connection, user: i64, tab: Tab, max_id: i64, limit: u32) -> Result<Vec<Notification>> {
    list_in(conn, user, tab, &crate::db::posts::Window::older_than(max_id, limit))
}

/// The notifications of `user` in `tab` with ids inside window `w`
/// (strictly between `w.after` and `w.before`), at most `w.fetch()` of
/// them: newest first, or oldest first (one extra, to tell whether a
/// newer page is left) for a `min_id` window, as the client API's
/// timelines page (issue 19).
pub fn list_in(conn: &Connection, user: i64, tab: Tab, w: &crate::db::posts::Window) -> Result<Vec<Notification>> {
    let kinds = tab.kinds().map(|ks| {
        serde_json::to_string(&ks.iter().map(|k| k.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
    });
    let sql = format!(
        "SELECT n.id, n.kind, n.post_id, n.created_at, n.read_at IS NULL,
                CASE WHEN n.comment_id IS NOT NULL THEN (SELECT substr(body, 1, ?5) FROM comments WHERE id = n.comment_id
                         AND (status = 'published' OR (n.kind IN ('removed', 'rejected') AND author_id = ?1)))
                     ELSE (SELECT substr(body, 1, ?5) FROM posts WHERE id = n.post_id
                         AND (status = 'published' OR (n.kind IN ('removed', 'rejected') AND author_id = ?1))) END,
                CASE WHEN n.comment_id IS NOT NULL THEN (SELECT length(body) FROM comments WHERE id = n.comment_id)
                     ELSE (SELECT length(body) FROM posts WHERE id = n.post_id) END,
                n.detail, {USER_COLS}, n.comment_id,
                CASE WHEN n.kind = 'repost' THEN (SELECT repost_of FROM posts WHERE id = n.post_id) ELSE n.post_id END
         FROM notifications n JOIN users u ON u.id = n.actor_id
         WHERE n.user_id = ?1 AND n.id < ?2 AND n.id > ?6 AND (?4 IS NULL OR n.kind IN (SELECT value FROM json_each(?4)))
           AND {SHOWN} ORDER BY n.id {} LIMIT ?3",
        w.order()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![user, w.before, w.fetch(), kinds, EXCERPT_READ, w.after], |r| {
        let kind: String = r.get(1)?;
        let prefix: Option<String> = r.get(5)?;
        let length: Option<i64> = r.get(6)?;
        let n = crate::db::users::USER_COL_COUNT;
        Ok(Notification {
            id: r.get(0)?,
            kind: Kind::parse(&kind).unwrap_or(Kind::Mention),
            post_id: r.get(2)?,
            created_at: r.get(3)?,
            unread: r.get(4)?,
            excerpt: prefix.map(|p| {
                let cut = length.unwrap_or(0) > EXCERPT_READ;
                crate::domain::text::excerpt_of_prefix(&p, cut, EXCERPT_GRAPHEMES)
            }),
            detail: r.get(7)?,
            actor: user_at(r, 8)?,
            comment_id: r.get(8 + n)?,
            subject_id: r.get(9 + n)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Notifications shown as one line (issue 18): the newest of them, and
/// the other accounts that did the same ("王芳等 3 人赞了你的微博").
#[derive(Debug, Clone)]
pub struct Group {
    /// The newest notification of the group.
    pub head: Notification,
    /// The other accounts, newest first, each once (never the head's actor).
    pub others: Vec<User>,
    /// Is any notification of the group unread?
    pub unread: bool,
}

/// Group a page of notifications (newest first): likes of the same post
/// or comment, reposts of the same post, and follows each make one group,
/// placed where its newest one is; everything else stays one a line.
pub fn grouped(items: Vec<Notification>) -> Vec<Group> {
    type Key = (&'static str, Option<i64>, Option<i64>);
    let mut out: Vec<Group> = Vec::new();
    let mut at: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for n in items {
        let groups = matches!(n.kind, Kind::Like | Kind::Repost | Kind::CommentLike | Kind::Follow);
        let key = (n.kind.as_str(), n.subject_id, n.comment_id);
        match at.get(&key).copied().filter(|_| groups) {
            Some(i) => {
                let g = &mut out[i];
                g.unread |= n.unread;
                if n.actor.id != g.head.actor.id && !g.others.iter().any(|u| u.id == n.actor.id) {
                    g.others.push(n.actor);
                }
            }
            None => {
                if groups {
                    at.insert(key, out.len());
                }
                out.push(Group { unread: n.unread, head: n, others: Vec::new() });
            }
        }
    }
    out
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
