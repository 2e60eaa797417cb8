//! A member's own data (R7.6): what their download holds, the download
//! jobs (`data_exports`), and closing an account.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

/// The account itself, as downloaded (`account.json`).
#[derive(Debug, Clone, Serialize)]
pub struct AccountJson {
    pub id: i64,
    pub username: String,
    pub subject_type: String,
    pub status: String,
    /// UTC unix seconds.
    pub created_at: i64,
    pub roles: Vec<String>,
}

/// Profile and agreement, as downloaded (`settings.json`).
#[derive(Debug, Clone, Serialize)]
pub struct SettingsJson {
    pub display_name: String,
    pub bio: String,
    /// The agreement version accepted and when (R6.1).
    pub agreement_version: i64,
    pub agreement_accepted_at: i64,
}

/// One of the member's posts, whatever its status.
#[derive(Debug, Clone, Serialize)]
pub struct PostJson {
    pub id: i64,
    pub created_at: i64,
    pub body: String,
    pub visibility: String,
    /// `published`, `deleted` or `removed`.
    pub status: String,
    pub repost_of: Option<i64>,
    pub deleted_at: Option<i64>,
}

/// One of the member's comments, whatever its status.
#[derive(Debug, Clone, Serialize)]
pub struct CommentJson {
    pub id: i64,
    pub post_id: i64,
    pub reply_to: Option<i64>,
    pub created_at: i64,
    pub body: String,
    pub status: String,
}

/// Follow relations by username (`follows.json`).
#[derive(Debug, Clone, Serialize)]
pub struct FollowsJson {
    pub following: Vec<FollowJson>,
    pub followers: Vec<FollowJson>,
}

/// One follow relation.
#[derive(Debug, Clone, Serialize)]
pub struct FollowJson {
    pub username: String,
    pub since: i64,
}

/// One like (`likes.json`): of a post, or of a comment under it (issue 18).
#[derive(Debug, Clone, Serialize)]
pub struct LikeJson {
    pub post_id: i64,
    pub created_at: i64,
    /// The comment liked, for a like of a comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<i64>,
}

/// One activity-log entry about the member (`activity_log.json`).
#[derive(Debug, Clone, Serialize)]
pub struct LogJson {
    pub at: i64,
    pub ip: String,
    pub port: u16,
    pub user_agent: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
}

/// The member's identity as downloaded (`identity.json`): masked values
/// and dates only, never a value in clear (R7.5, R7.6).
#[derive(Debug, Clone, Serialize)]
pub struct IdentityJson {
    pub subject_type: String,
    pub legal_name_masked: String,
    /// `id_number`, `credit_code` or `org_code`.
    pub number_kind: String,
    pub number_masked: String,
    pub mobile_masked: String,
    /// `unverified`, `pending`, `verified` or `expired`, at the time of the download.
    pub status: String,
    pub verified_at: Option<i64>,
    pub next_check_at: Option<i64>,
}

/// One of the member's media files (post attachment or avatar); the file
/// itself is in the zip as `media/<sha256>`.
#[derive(Debug, Clone, Serialize)]
pub struct MediaJson {
    /// `post` or `avatar`.
    pub purpose: String,
    pub post_id: Option<i64>,
    /// MIME type from the file's magic bytes.
    pub mime: String,
    /// Bytes.
    pub size: i64,
    pub alt: String,
    pub sha256: String,
    pub created_at: i64,
}

/// A complaint the member filed (R14.2), as they can follow it.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintJson {
    pub tracking: String,
    pub category: String,
    /// `post:12`, `comment:3`, `user:7`, or `none:ID` for a general complaint.
    pub target: String,
    pub body: String,
    /// `open`, `in_progress`, `resolved` or `rejected`.
    pub status: String,
    pub resolution: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// One event of the member's credit history (R15.1).
#[derive(Debug, Clone, Serialize)]
pub struct CreditJson {
    /// Points added (+) or taken (-).
    pub delta: i64,
    pub source: String,
    pub reason: String,
    /// What caused it: `post:12`, `complaint:4`...
    pub cause: String,
    pub created_at: i64,
    /// Reversed by an upheld appeal.
    pub reversed: bool,
    /// The member's appeal against it: (status, answer).
    pub appeal: Option<(String, String)>,
}

/// Everything a member's download holds (the files of the zip).
#[derive(Debug, Clone)]
pub struct MemberData {
    pub account: AccountJson,
    pub settings: SettingsJson,
    pub posts: Vec<PostJson>,
    pub comments: Vec<CommentJson>,
    pub follows: FollowsJson,
    pub likes: Vec<LikeJson>,
    pub activity_log: Vec<LogJson>,
    pub identity: Option<IdentityJson>,
    pub media: Vec<MediaJson>,
    pub complaints: Vec<ComplaintJson>,
    pub credit: Vec<CreditJson>,
}

fn all<T>(
    conn: &Connection,
    sql: &str,
    id: i64,
    f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], f)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Read all of member `id`'s data, `None` when there is no such account.
pub fn member_data(conn: &Connection, id: i64) -> Result<Option<MemberData>> {
    let Some((account, settings)) = conn
        .prepare_cached(
            "SELECT id, username, subject_type, status, created_at, display_name, bio, agreement_version,
                    agreement_accepted_at FROM users WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                AccountJson {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    subject_type: r.get(2)?,
                    status: r.get(3)?,
                    created_at: r.get(4)?,
                    roles: Vec::new(),
                },
                SettingsJson {
                    display_name: r.get(5)?,
                    bio: r.get(6)?,
                    agreement_version: r.get(7)?,
                    agreement_accepted_at: r.get(8)?,
                },
            ))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let media = all(
        conn,
        "SELECT purpose, post_id, mime, size, alt, sha256, created_at FROM attachments WHERE owner_id = ?1 ORDER BY id",
        id,
        |r| {
            Ok(MediaJson {
                purpose: r.get(0)?,
                post_id: r.get(1)?,
                mime: r.get(2)?,
                size: r.get(3)?,
                alt: r.get(4)?,
                sha256: r.get(5)?,
                created_at: r.get(6)?,
            })
        },
    )?;
    let mut account = account;
    account.roles = crate::db::users::roles(conn, id)?.into_iter().map(|r| r.as_str().to_string()).collect();
    let posts = all(
        conn,
        "SELECT id, created_at, body, visibility, status, repost_of, deleted_at FROM posts WHERE author_id = ?1 ORDER BY id",
        id,
        |r| {
            Ok(PostJson {
                id: r.get(0)?,
                created_at: r.get(1)?,
                body: r.get(2)?,
                visibility: r.get(3)?,
                status: r.get(4)?,
                repost_of: r.get(5)?,
                deleted_at: r.get(6)?,
            })
        },
    )?;
    let comments = all(
        conn,
        "SELECT id, post_id, reply_to, created_at, body, status FROM comments WHERE author_id = ?1 ORDER BY id",
        id,
        |r| {
            Ok(CommentJson {
                id: r.get(0)?,
                post_id: r.get(1)?,
                reply_to: r.get(2)?,
                created_at: r.get(3)?,
                body: r.get(4)?,
                status: r.get(5)?,
            })
        },
    )?;
    let follow = |r: &rusqlite::Row| Ok(FollowJson { username: r.get(0)?, since: r.get(1)? });
    let following = all(
        conn,
        "SELECT u.username, f.created_at FROM follows f JOIN users u ON u.id = f.followee_id
         WHERE f.follower_id = ?1 ORDER BY f.created_at",
        id,
        follow,
    )?;
    let followers = all(
        conn,
        "SELECT u.username, f.created_at FROM follows f JOIN users u ON u.id = f.follower_id
         WHERE f.followee_id = ?1 ORDER BY f.created_at",
        id,
        follow,
    )?;
    let likes = all(
        conn,
        "SELECT post_id, created_at, NULL FROM likes WHERE user_id = ?1
         UNION ALL SELECT c.post_id, l.created_at, l.comment_id FROM comment_likes l JOIN comments c ON c.id = l.comment_id
                   WHERE l.user_id = ?1
         ORDER BY 2, 3",
        id,
        |r| Ok(LikeJson { post_id: r.get(0)?, created_at: r.get(1)?, comment_id: r.get(2)? }),
    )?;
    let activity_log = all(
        conn,
        "SELECT at, ip, port, user_agent, action, target, outcome FROM activity_log WHERE account_id = ?1 ORDER BY id",
        id,
        |r| {
            Ok(LogJson {
                at: r.get(0)?,
                ip: r.get(1)?,
                port: r.get(2)?,
                user_agent: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                outcome: r.get(6)?,
            })
        },
    )?;
    Ok(Some(MemberData {
        account,
        settings,
        posts,
        comments,
        follows: FollowsJson { following, followers },
        likes,
        activity_log,
        identity: crate::db::identity::get(conn, id)?.map(|i| IdentityJson {
            status: i.status(crate::clock::now()).as_str().to_string(),
            subject_type: i.subject_type,
            legal_name_masked: i.legal_name_masked,
            number_kind: i.number_kind,
            number_masked: i.number_masked,
            mobile_masked: i.mobile_masked,
            verified_at: i.verified_at,
            next_check_at: i.next_check_at,
        }),
        media,
        complaints: crate::db::complaints::by_complainant(conn, id)?
            .into_iter()
            .map(|c| ComplaintJson {
                target: c.target_key(),
                tracking: c.tracking,
                category: c.category,
                body: c.body,
                status: c.status,
                resolution: c.resolution,
                created_at: c.created_at,
                decided_at: c.decided_at,
            })
            .collect(),
        credit: crate::db::credit::history(conn, id, u32::MAX)?
            .into_iter()
            .map(|e| CreditJson {
                delta: e.delta,
                source: e.source,
                reason: e.reason,
                cause: e.r#ref,
                created_at: e.created_at,
                reversed: e.reversed_by.is_some(),
                appeal: e.appeal,
            })
            .collect(),
    }))
}

/// A download job.
#[derive(Debug, Clone)]
pub struct Export {
    pub id: i64,
    pub user_id: i64,
    /// `pending`, `ready` or `failed`.
    pub status: String,
    /// File name under `DATA/exports/` once ready.
    pub file_name: Option<String>,
    pub bytes: Option<i64>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const EXPORT_COLS: &str = "id, user_id, status, file_name, bytes, created_at, finished_at";

fn export_row(r: &rusqlite::Row) -> rusqlite::Result<Export> {
    Ok(Export {
        id: r.get(0)?,
        user_id: r.get(1)?,
        status: r.get(2)?,
        file_name: r.get(3)?,
        bytes: r.get(4)?,
        created_at: r.get(5)?,
        finished_at: r.get(6)?,
    })
}

/// Start a download job for `user`.
pub fn create_export(tx: &Transaction, user: i64, now: i64) -> Result<i64> {
    tx.prepare_cached("INSERT INTO data_exports (user_id, created_at) VALUES (?1, ?2)")?.execute(params![user, now])?;
    Ok(tx.last_insert_rowid())
}

/// The member's newest download job.
pub fn latest_export(conn: &Connection, user: i64) -> Result<Option<Export>> {
    let sql = format!("SELECT {EXPORT_COLS} FROM data_exports WHERE user_id = ?1 ORDER BY id DESC LIMIT 1");
    Ok(conn.prepare_cached(&sql)?.query_row([user], export_row).optional()?)
}

/// One download job by id.
pub fn export(conn: &Connection, id: i64) -> Result<Option<Export>> {
    let sql = format!("SELECT {EXPORT_COLS} FROM data_exports WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], export_row).optional()?)
}

/// Mark a job ready with its file, or failed (`file` `None`).
pub fn finish_export(tx: &Transaction, id: i64, file: Option<(&str, i64)>, now: i64) -> Result<()> {
    let status = if file.is_some() { "ready" } else { "failed" };
    let (name, bytes) = file.unzip();
    tx.prepare_cached(
        "UPDATE data_exports SET status = ?2, file_name = ?3, bytes = ?4, finished_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, status, name, bytes, now])?;
    Ok(())
}

/// Jobs created before `cutoff` (to delete with their files), or every job
/// of `user` when given.
pub fn exports_to_delete(conn: &Connection, cutoff: i64, user: Option<i64>) -> Result<Vec<Export>> {
    let sql = format!(
        "SELECT {EXPORT_COLS} FROM data_exports WHERE (?2 IS NULL AND created_at < ?1) OR user_id = ?2 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![cutoff, user], export_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Mark every unfinished job failed (at start-up: their builder died with
/// the previous process).
pub fn fail_pending_exports(tx: &Transaction) -> Result<()> {
    tx.prepare_cached("UPDATE data_exports SET status = 'failed' WHERE status = 'pending'")?.execute([])?;
    Ok(())
}

/// Forget a job (its file is deleted by the caller).
pub fn delete_export(tx: &Transaction, id: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM data_exports WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// The live (published or held) posts and comments of account `id`, which
/// closing it deletes first (`actions::member_data::close`).
pub fn live_content(conn: &Connection, id: i64) -> Result<(Vec<i64>, Vec<i64>)> {
    let posts =
        all(conn, "SELECT id FROM posts WHERE author_id = ?1 AND status IN ('published', 'pending')", id, |r| {
            r.get(0)
        })?;
    let comments =
        all(conn, "SELECT id FROM comments WHERE author_id = ?1 AND status IN ('published', 'pending')", id, |r| {
            r.get(0)
        })?;
    Ok((posts, comments))
}

/// Close account `id` (R7.6), once its posts and comments are deleted
/// (`actions::member_data::close` does that first, with their evidence
/// records): their text is erased; likes, follows both ways, notifications to and from it and its
/// sessions go; profile text is cleared and the password hash made
/// unusable. Kept: the row itself (so the username stays reserved), the
/// activity log, content staff removed, and an evidence record of each
/// deleted post and comment for its retention period (R12.2).
pub fn close_account(tx: &Transaction, id: i64, now: i64) -> Result<()> {
    crate::db::moderation::close_items_for(tx, "profile", id, "withdrawn", id, "", now)?;
    let liked: Vec<i64> = all(tx, "SELECT post_id FROM likes WHERE user_id = ?1", id, |r| r.get(0))?;
    for pid in liked {
        crate::db::posts::unlike(tx, id, pid)?;
    }
    for sql in [
        "UPDATE posts SET body = '' WHERE author_id = ?1 AND status = 'deleted'",
        "UPDATE comments SET body = '' WHERE author_id = ?1 AND status = 'deleted'",
        "DELETE FROM post_tags WHERE post_id IN (SELECT id FROM posts WHERE author_id = ?1 AND status = 'deleted')",
        "DELETE FROM follows WHERE follower_id = ?1 OR followee_id = ?1",
        "DELETE FROM comment_likes WHERE user_id = ?1",
        "DELETE FROM notifications WHERE user_id = ?1 OR actor_id = ?1",
        "DELETE FROM sessions WHERE user_id = ?1",
        // The avatar is public content too: no longer shown or served.
        "UPDATE users SET avatar_id = NULL WHERE id = ?1",
        "DELETE FROM attachments WHERE owner_id = ?1 AND purpose = 'avatar'",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    tx.prepare_cached(
        "UPDATE users SET status = 'closed', closed_at = ?2, display_name = '', bio = '', password_hash = '!closed'
         WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}
