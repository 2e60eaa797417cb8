//! Post edits (issue 18, R12.2): the text a post had before each edit is
//! kept here as evidence, newest last; the post row holds the current text.

use crate::error::Result;
use rusqlite::{params, Connection, Transaction};

/// One earlier version of a post.
#[derive(Debug, Clone)]
pub struct PostEdit {
    pub id: i64,
    pub post_id: i64,
    /// The text the post had until this edit.
    pub body: String,
    /// UTC unix seconds the text was replaced.
    pub replaced_at: i64,
    pub editor_id: i64,
    /// The descriptions (alt text) its media had until this edit, by position.
    pub alts: Vec<String>,
}

/// Every earlier version of post `id`, oldest first.
///
/// # Errors
/// A database error.
pub fn for_post(conn: &Connection, id: i64) -> Result<Vec<PostEdit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, post_id, body, replaced_at, editor_id, alts FROM post_edits WHERE post_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(PostEdit {
            id: r.get(0)?,
            post_id: r.get(1)?,
            body: r.get(2)?,
            replaced_at: r.get(3)?,
            editor_id: r.get(4)?,
            alts: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A post's text and media descriptions (alt text, by position).
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    pub body: &'a str,
    pub alts: &'a [String],
}

/// Keep the post's current version `old` (text and media descriptions) as
/// an earlier version, then give it `new` and its hashtags `tags`;
/// `pending` holds the post for review (R6.2) until a reviewer approves.
///
/// # Errors
/// A database error.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    tx: &Transaction,
    post: i64,
    old: Version,
    new: Version,
    tags: &[String],
    pending: bool,
    editor: i64,
    now: i64,
) -> Result<()> {
    let old_alts = serde_json::to_string(old.alts).unwrap_or_else(|_| "[]".into());
    tx.prepare_cached(
        "INSERT INTO post_edits (post_id, body, replaced_at, editor_id, alts) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![post, old.body, now, editor, old_alts])?;
    let new_body = new.body;
    for (position, alt) in new.alts.iter().enumerate() {
        tx.prepare_cached("UPDATE attachments SET alt = ?3 WHERE post_id = ?1 AND position = ?2")?.execute(params![
            post,
            position as i64,
            alt
        ])?;
    }
    tx.prepare_cached(
        "UPDATE posts SET body = ?2, status = CASE WHEN ?3 THEN 'pending' ELSE status END WHERE id = ?1",
    )?
    .execute(params![post, new_body, pending])?;
    // The old text left the index with the update (trigger); the new one is found.
    crate::db::search::index_post(tx, post)?;
    tx.prepare_cached("DELETE FROM post_tags WHERE post_id = ?1")?.execute([post])?;
    for tag in tags {
        tx.prepare_cached("INSERT OR IGNORE INTO post_tags (tag, post_id) VALUES (?1, ?2)")?
            .execute(params![tag, post])?;
    }
    Ok(())
}

/// The time of the last edit of each of `posts` that was edited: post id → UTC unix seconds.
///
/// # Errors
/// A database error.
pub fn last_edited(conn: &Connection, posts: &[i64]) -> Result<std::collections::HashMap<i64, i64>> {
    if posts.is_empty() {
        return Ok(Default::default());
    }
    let ids = serde_json::to_string(posts).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT post_id, max(replaced_at) FROM post_edits
         WHERE post_id IN (SELECT value FROM json_each(?1)) GROUP BY post_id",
    )?;
    let rows = stmt.query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
