//! Content governance queries (R6.2, R6.4, R6.6, R12.1, R12.2): the
//! governance row (version and emergency switches), keyword rules, the
//! review queue, status changes of posts and comments (hold, approve,
//! reject, remove, restore), and the selections of a bulk takedown.

use crate::db::posts::{bump, Comment, Post};
use crate::db::users::{user_at, User, USER_COLS};
use crate::domain::keywords::{KeywordAction, KeywordRule};
use crate::domain::moderation::{Emergency, HoldCause};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

// ---------------------------------------------------------------------------
// The governance row
// ---------------------------------------------------------------------------

/// The governance version: it moves on every change to the keyword rules
/// or the emergency switches. One primary-key read, for every request.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT version FROM governance WHERE id = 1")?.query_row([], |r| r.get(0))?)
}

/// The emergency switches (R6.4).
pub fn emergency(conn: &Connection) -> Result<Emergency> {
    Ok(conn
        .prepare_cached("SELECT hold_all, stop_reposts, stop_publishing, banner FROM governance WHERE id = 1")?
        .query_row([], |r| {
            Ok(Emergency {
                hold_all: r.get(0)?,
                stop_reposts: r.get(1)?,
                stop_publishing: r.get(2)?,
                banner: r.get(3)?,
            })
        })?)
}

/// Set the emergency switches, moving the version so every worker and
/// process sees them at its next request.
pub fn set_emergency(tx: &Transaction, e: &Emergency, by: Option<i64>, now: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE governance SET hold_all = ?1, stop_reposts = ?2, stop_publishing = ?3, banner = ?4,
                               changed_at = ?5, changed_by = ?6, version = version + 1 WHERE id = 1",
    )?
    .execute(params![e.hold_all, e.stop_reposts, e.stop_publishing, e.banner, now, by])?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Keyword rules (R12.1)
// ---------------------------------------------------------------------------

fn rule_row(r: &Row) -> rusqlite::Result<KeywordRule> {
    let action: String = r.get(3)?;
    Ok(KeywordRule {
        id: r.get(0)?,
        pattern: r.get(1)?,
        category: r.get(2)?,
        action: KeywordAction::parse(&action).unwrap_or(KeywordAction::Review),
    })
}

/// Every rule, by id.
pub fn rules(conn: &Connection) -> Result<Vec<KeywordRule>> {
    let mut stmt = conn.prepare_cached("SELECT id, pattern, category, action FROM keyword_rules ORDER BY id")?;
    let rows = stmt.query_map([], rule_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Rules whose pattern or category contains `q` (all when empty), by id,
/// ids above `after`.
pub fn rule_page(conn: &Connection, q: &str, after: i64, limit: u32) -> Result<Vec<KeywordRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, pattern, category, action FROM keyword_rules
         WHERE id > ?1 AND (?2 = '' OR instr(pattern, ?2) > 0 OR instr(category, ?2) > 0)
         ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![after, q, limit], rule_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many rules there are.
pub fn rule_count(conn: &Connection) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT count(*) FROM keyword_rules")?.query_row([], |r| r.get(0))?)
}

/// Add a rule; returns its id. A rule with the same pattern, category and
/// action is not added twice (its id is returned).
pub fn add_rule(
    tx: &Transaction,
    pattern: &str,
    category: &str,
    action: KeywordAction,
    by: Option<i64>,
    now: i64,
) -> Result<(i64, bool)> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM keyword_rules WHERE pattern = ?1 AND category = ?2 AND action = ?3")?
        .query_row(params![pattern, category, action.as_str()], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    tx.prepare_cached(
        "INSERT INTO keyword_rules (pattern, category, action, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![pattern, category, action.as_str(), by, now])?;
    Ok((tx.last_insert_rowid(), true))
}

/// Delete one rule; false if there was none.
pub fn delete_rule(tx: &Transaction, id: i64) -> Result<bool> {
    Ok(tx.prepare_cached("DELETE FROM keyword_rules WHERE id = ?1")?.execute([id])? == 1)
}

/// Delete every rule; returns how many.
pub fn delete_all_rules(tx: &Transaction) -> Result<usize> {
    Ok(tx.prepare_cached("DELETE FROM keyword_rules")?.execute([])?)
}

// ---------------------------------------------------------------------------
// The review queue (R6.2, R6.6)
// ---------------------------------------------------------------------------

/// A new queue item.
#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    /// `post`, `comment` or `profile`.
    pub content_type: &'a str,
    pub content_id: i64,
    pub author: i64,
    /// Hold (content pending) or flag (published, for a look).
    pub hold: bool,
    pub cause: HoldCause,
    pub rule: Option<&'a KeywordRule>,
    /// For a held profile change: the new fields as JSON.
    pub proposed: Option<String>,
    pub now: i64,
}

/// Put an item in the queue; returns its id.
pub fn add_item(tx: &Transaction, i: &NewItem) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO review_items (content_type, content_id, author_id, kind, cause, rule_id, rule_pattern,
                                   rule_category, proposed, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        i.content_type,
        i.content_id,
        i.author,
        if i.hold { "hold" } else { "flag" },
        i.cause.as_str(),
        i.rule.map(|r| r.id),
        i.rule.map(|r| r.pattern.as_str()),
        i.rule.map(|r| r.category.as_str()),
        i.proposed,
        i.now
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A queue item with what a reviewer needs to decide.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    /// `post`, `comment` or `profile`.
    pub content_type: String,
    pub content_id: i64,
    /// `hold` or `flag`.
    pub kind: String,
    /// `keyword`, `emergency` or `tier`.
    pub cause: String,
    pub rule_id: Option<i64>,
    pub rule_pattern: Option<String>,
    pub rule_category: Option<String>,
    pub author: User,
    /// The text under review: the post or comment body, or the proposed
    /// display name and bio.
    pub body: String,
    /// For a comment, its post; for a repost, the post it shares.
    pub parent_post: Option<i64>,
    /// The held profile change as JSON.
    pub proposed: Option<String>,
    pub created_at: i64,
    pub decision: Option<String>,
}

const ITEM_SELECT: &str = "SELECT i.id, i.content_type, i.content_id, i.kind, i.cause, i.rule_pattern,
        i.rule_category, i.proposed, i.created_at, i.decision, i.rule_id,
        CASE i.content_type WHEN 'post' THEN (SELECT body FROM posts WHERE id = i.content_id)
                            WHEN 'comment' THEN (SELECT body FROM comments WHERE id = i.content_id)
                            ELSE '' END,
        CASE i.content_type WHEN 'post' THEN (SELECT repost_of FROM posts WHERE id = i.content_id)
                            WHEN 'comment' THEN (SELECT post_id FROM comments WHERE id = i.content_id) END";

fn item_row(r: &Row) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        content_type: r.get(1)?,
        content_id: r.get(2)?,
        kind: r.get(3)?,
        cause: r.get(4)?,
        rule_pattern: r.get(5)?,
        rule_category: r.get(6)?,
        proposed: r.get(7)?,
        created_at: r.get(8)?,
        decision: r.get(9)?,
        rule_id: r.get(10)?,
        body: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
        parent_post: r.get(12)?,
        author: user_at(r, 13)?,
    })
}

/// Open items of `kind` (`hold` or `flag`), oldest first, ids above `after`.
pub fn open_items(conn: &Connection, kind: &str, after: i64, limit: u32) -> Result<Vec<Item>> {
    let sql = format!(
        "{ITEM_SELECT}, {USER_COLS} FROM review_items i JOIN users u ON u.id = i.author_id
         WHERE i.decision IS NULL AND i.kind = ?1 AND i.id > ?2 ORDER BY i.id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![kind, after, limit], item_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One item by id.
pub fn item(conn: &Connection, id: i64) -> Result<Option<Item>> {
    let sql =
        format!("{ITEM_SELECT}, {USER_COLS} FROM review_items i JOIN users u ON u.id = i.author_id WHERE i.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], item_row).optional()?)
}

/// Every item (open or decided) about one post, comment or profile, oldest first.
pub fn items_for(conn: &Connection, content_type: &str, content_id: i64) -> Result<Vec<Item>> {
    let sql = format!(
        "{ITEM_SELECT}, {USER_COLS} FROM review_items i JOIN users u ON u.id = i.author_id
         WHERE i.content_type = ?1 AND i.content_id = ?2 ORDER BY i.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![content_type, content_id], item_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Decide an open item; false if it was already decided.
pub fn decide_item(tx: &Transaction, id: i64, decision: &str, by: i64, reason: &str, now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "UPDATE review_items SET decision = ?2, decided_by = ?3, decided_at = ?4, reason = ?5
             WHERE id = ?1 AND decision IS NULL",
        )?
        .execute(params![id, decision, by, now, reason])?
        == 1)
}

/// Close every open item about one piece of content (it was removed or
/// its author withdrew it); returns how many.
pub fn close_items_for(
    tx: &Transaction,
    content_type: &str,
    content_id: i64,
    decision: &str,
    by: i64,
    reason: &str,
    now: i64,
) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE review_items SET decision = ?3, decided_by = ?4, decided_at = ?5, reason = ?6
             WHERE content_type = ?1 AND content_id = ?2 AND decision IS NULL",
        )?
        .execute(params![content_type, content_id, decision, by, now, reason])?)
}

/// The review workload for the dashboard (R6.6).
#[derive(Debug, Clone, Copy, Default)]
pub struct Workload {
    /// Held items waiting for a decision.
    pub held: i64,
    /// When the oldest of them arrived (UTC unix seconds).
    pub oldest_held_at: Option<i64>,
    /// Flagged items not looked at yet.
    pub flagged: i64,
    /// Rumour labels waiting for the chief editor.
    pub rumours_proposed: i64,
}

/// Count the open work.
pub fn workload(conn: &Connection) -> Result<Workload> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM review_items WHERE decision IS NULL AND kind = 'hold'),
                    (SELECT min(created_at) FROM review_items WHERE decision IS NULL AND kind = 'hold'),
                    (SELECT count(*) FROM review_items WHERE decision IS NULL AND kind = 'flag'),
                    (SELECT count(*) FROM rumour_labels WHERE status = 'proposed')",
        )?
        .query_row([], |r| {
            Ok(Workload { held: r.get(0)?, oldest_held_at: r.get(1)?, flagged: r.get(2)?, rumours_proposed: r.get(3)? })
        })?)
}

// ---------------------------------------------------------------------------
// Status changes of posts and comments
// ---------------------------------------------------------------------------

/// Count a newly visible repost on the post it shares and on the original
/// (`by` = 1), or uncount it (`by` = -1).
fn count_repost(tx: &Transaction, p: &Post, by: i64) -> Result<()> {
    if let (Some(of), Some(root)) = (p.repost_of, p.repost_root) {
        bump(tx, of, "repost_count", by)?;
        if root != of {
            bump(tx, root, "repost_count", by)?;
        }
    }
    Ok(())
}

fn set_post_status(tx: &Transaction, id: i64, from: &[&str], to: &str, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE posts SET status = ?2, deleted_at = CASE WHEN ?2 IN ('removed', 'rejected') THEN ?4 ELSE NULL END
             WHERE id = ?1 AND status IN (SELECT value FROM json_each(?3))",
        )?
        .execute(params![id, to, serde_json::to_string(from).unwrap_or_default(), now])?;
    Ok(n == 1)
}

/// A held post goes live (R6.2): counted on what it reposts. False if it
/// was not pending.
pub fn approve_post(tx: &Transaction, p: &Post, now: i64) -> Result<bool> {
    let done = set_post_status(tx, p.id, &["pending"], "published", now)?;
    if done {
        count_repost(tx, p, 1)?;
    }
    Ok(done)
}

/// A held post is refused (R6.2). False if it was not pending.
pub fn reject_post(tx: &Transaction, p: &Post, now: i64) -> Result<bool> {
    set_post_status(tx, p.id, &["pending"], "rejected", now)
}

/// Staff remove a post (R12.2): it leaves every listing at once, reposts
/// show it as removed; its attachment rows stay (the evidence names the
/// files). False if it was neither published nor pending.
pub fn remove_post(tx: &Transaction, p: &Post, now: i64) -> Result<bool> {
    let done = set_post_status(tx, p.id, &["published", "pending"], "removed", now)?;
    if done && p.status == "published" {
        count_repost(tx, p, -1)?;
    }
    Ok(done)
}

/// The chief editor reverses a removal (R6.5). False if it was not removed.
pub fn restore_post(tx: &Transaction, p: &Post, now: i64) -> Result<bool> {
    let done = set_post_status(tx, p.id, &["removed"], "published", now)?;
    if done {
        count_repost(tx, p, 1)?;
    }
    Ok(done)
}

fn set_comment_status(tx: &Transaction, id: i64, from: &[&str], to: &str, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE comments SET status = ?2,
                    deleted_at = CASE WHEN ?2 IN ('removed', 'rejected') THEN ?4 ELSE NULL END
             WHERE id = ?1 AND status IN (SELECT value FROM json_each(?3))",
        )?
        .execute(params![id, to, serde_json::to_string(from).unwrap_or_default(), now])?;
    Ok(n == 1)
}

/// A held comment goes live and is counted on its post.
pub fn approve_comment(tx: &Transaction, c: &Comment, now: i64) -> Result<bool> {
    let done = set_comment_status(tx, c.id, &["pending"], "published", now)?;
    if done {
        bump(tx, c.post_id, "comment_count", 1)?;
    }
    Ok(done)
}

/// A held comment is refused.
pub fn reject_comment(tx: &Transaction, c: &Comment, now: i64) -> Result<bool> {
    set_comment_status(tx, c.id, &["pending"], "rejected", now)
}

/// Staff remove a comment (R12.2, R6.3).
pub fn remove_comment(tx: &Transaction, c: &Comment, now: i64) -> Result<bool> {
    let done = set_comment_status(tx, c.id, &["published", "pending", "hidden"], "removed", now)?;
    if done && c.status == "published" {
        bump(tx, c.post_id, "comment_count", -1)?;
    }
    Ok(done)
}

/// The chief editor reverses a comment's removal.
pub fn restore_comment(tx: &Transaction, c: &Comment, now: i64) -> Result<bool> {
    let done = set_comment_status(tx, c.id, &["removed"], "published", now)?;
    if done {
        bump(tx, c.post_id, "comment_count", 1)?;
    }
    Ok(done)
}

// ---------------------------------------------------------------------------
// Bulk takedown (R6.4)
// ---------------------------------------------------------------------------

/// Ids of live (published or pending) posts tagged `tag` (a tag key), oldest first.
pub fn live_posts_with_tag(conn: &Connection, tag: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id FROM post_tags t JOIN posts p ON p.id = t.post_id
         WHERE t.tag = ?1 AND p.status IN ('published', 'pending') ORDER BY p.id",
    )?;
    let rows = stmt.query_map([tag], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Call `f` with the id and body of every live (published or pending)
/// post, oldest first; `f` says which to keep. One read transaction.
pub fn scan_live_posts(conn: &Connection, mut keep: impl FnMut(&str) -> bool) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, body FROM posts WHERE status IN ('published', 'pending') ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let body: String = r.get(1)?;
        if keep(&body) {
            out.push(r.get(0)?);
        }
    }
    Ok(out)
}
