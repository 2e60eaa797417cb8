//! Tier rule queries (R9.1, R9.2): the rules in order, editing them, and
//! the facts a rule is chosen on (followers, items sent today).

use crate::domain::tiers::TierRule;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

const COLS: &str = "id, position, subject_type, min_followers, max_followers, credit_level, content_kind,
    in_emergency, daily_quota, pre_review, media_allowed, reposts_allowed, comments_allowed, note, muted_within_days";

fn row(r: &Row) -> rusqlite::Result<TierRule> {
    Ok(TierRule {
        id: r.get(0)?,
        position: r.get(1)?,
        subject_type: r.get(2)?,
        min_followers: r.get(3)?,
        max_followers: r.get(4)?,
        credit_level: r.get(5)?,
        content_kind: r.get(6)?,
        in_emergency: r.get(7)?,
        daily_quota: r.get(8)?,
        pre_review: r.get(9)?,
        media_allowed: r.get(10)?,
        reposts_allowed: r.get(11)?,
        comments_allowed: r.get(12)?,
        note: r.get(13)?,
        muted_within_days: r.get(14)?,
    })
}

/// Every rule in the order they are tried.
pub fn rules(conn: &Connection) -> Result<Vec<TierRule>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLS} FROM tier_rules ORDER BY position, id"))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One rule by id.
pub fn rule(conn: &Connection, id: i64) -> Result<Option<TierRule>> {
    Ok(conn.prepare_cached(&format!("SELECT {COLS} FROM tier_rules WHERE id = ?1"))?.query_row([id], row).optional()?)
}

/// Add a rule (its `id` is ignored); returns the new id.
pub fn add(tx: &Transaction, r: &TierRule) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO tier_rules (position, subject_type, min_followers, max_followers, credit_level, content_kind,
                                 in_emergency, daily_quota, pre_review, media_allowed, reposts_allowed,
                                 comments_allowed, note, muted_within_days)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        r.position,
        r.subject_type,
        r.min_followers,
        r.max_followers,
        r.credit_level,
        r.content_kind,
        r.in_emergency,
        r.daily_quota,
        r.pre_review,
        r.media_allowed,
        r.reposts_allowed,
        r.comments_allowed,
        r.note,
        r.muted_within_days
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Delete a rule; false if there was none.
pub fn delete(tx: &Transaction, id: i64) -> Result<bool> {
    Ok(tx.prepare_cached("DELETE FROM tier_rules WHERE id = ?1")?.execute([id])? == 1)
}

/// How many items of `kind` (`text`/`image`/`video` are all posts that are
/// not reposts; `repost`; `comment`) `user` sent since `since`, held ones included.
pub fn sent_since(conn: &Connection, user: i64, kind: &str, since: i64) -> Result<i64> {
    let sql = match kind {
        "comment" => {
            "SELECT count(*) FROM comments WHERE author_id = ?1 AND created_at >= ?2
             AND status IN ('published', 'pending', 'hidden')"
        }
        "repost" => {
            "SELECT count(*) FROM posts WHERE author_id = ?1 AND created_at >= ?2 AND repost_of IS NOT NULL
             AND status IN ('published', 'pending')"
        }
        _ => {
            "SELECT count(*) FROM posts WHERE author_id = ?1 AND created_at >= ?2 AND repost_of IS NULL
             AND status IN ('published', 'pending')"
        }
    };
    Ok(conn.prepare_cached(sql)?.query_row(params![user, since], |r| r.get(0))?)
}

/// How many followers `user` has.
pub fn followers(conn: &Connection, user: i64) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT count(*) FROM follows WHERE followee_id = ?1")?.query_row([user], |r| r.get(0))?)
}

/// Record the rule that applied to a new post or comment (R9.1).
pub fn set_applied(tx: &Transaction, content_type: &str, id: i64, rule: i64) -> Result<()> {
    let sql = if content_type == "comment" {
        "UPDATE comments SET tier_rule = ?2 WHERE id = ?1"
    } else {
        "UPDATE posts SET tier_rule = ?2 WHERE id = ?1"
    };
    tx.prepare_cached(sql)?.execute([id, rule])?;
    Ok(())
}

/// The rule recorded on a post or comment, if it still exists.
pub fn applied(conn: &Connection, content_type: &str, id: i64) -> Result<Option<TierRule>> {
    let sql = if content_type == "comment" {
        "SELECT tier_rule FROM comments WHERE id = ?1"
    } else {
        "SELECT tier_rule FROM posts WHERE id = ?1"
    };
    let rid: Option<i64> = conn.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?.flatten();
    match rid {
        Some(r) => rule(conn, r),
        None => Ok(None),
    }
}

// ---------------------------------------------------------------------------
// Comment control (R10.3)
// ---------------------------------------------------------------------------

/// A post's comment mode: `open`, `followers` or `closed`.
pub fn comment_mode(conn: &Connection, post: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT comment_mode FROM posts WHERE id = ?1")?
        .query_row([post], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "open".into()))
}

/// Set a post's comment mode.
pub fn set_comment_mode(tx: &Transaction, post: i64, mode: &str) -> Result<()> {
    tx.prepare_cached("UPDATE posts SET comment_mode = ?2 WHERE id = ?1")?.execute(params![post, mode])?;
    Ok(())
}

/// Hide a published comment (`hide`) or show a hidden one again; keeps
/// the post's comment count in step. False if nothing changed.
pub fn set_hidden(tx: &Transaction, comment: i64, post: i64, hide: bool) -> Result<bool> {
    let (from, to, by) = if hide { ("published", "hidden", -1) } else { ("hidden", "published", 1) };
    let n = tx
        .prepare_cached("UPDATE comments SET status = ?3 WHERE id = ?1 AND status = ?2")?
        .execute(params![comment, from, to])?;
    if n == 1 {
        crate::db::posts::bump(tx, post, "comment_count", by)?;
    }
    Ok(n == 1)
}
