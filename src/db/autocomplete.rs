//! The composer's `@` and `#` suggestions (issue 18): open accounts the
//! viewer may mention, and hashtags by how often public posts use them.

use crate::db::users::{user_at, User, USER_COLS};
use crate::error::Result;
use rusqlite::{params, Connection};

/// Open accounts other than `viewer` whose username starts with `prefix`
/// (a lower-cased username fragment) or whose display name starts with
/// `display` (as typed), at most `limit`: those the viewer follows first,
/// then by username. Never an account with a block between it and the
/// viewer, either way, nor a suspended one (the rule of
/// `db::blocks::NOT_BLOCKED`): a member is
/// offered exactly the accounts they could mention.
///
/// # Errors
/// A database error.
pub fn members(conn: &Connection, viewer: i64, prefix: &str, display: &str, limit: u32) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {USER_COLS} FROM users u
         WHERE u.status = 'active' AND u.id != ?1
           AND ((?2 != '' AND u.username_key >= ?2 AND u.username_key < ?2 || char(1114111))
                OR (?3 != '' AND lower(substr(u.display_name, 1, length(?3))) = lower(?3)))
           AND u.id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
                UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
                UNION ALL {})
         ORDER BY EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ?1 AND f.followee_id = u.id) DESC,
                  u.username_key
         LIMIT ?4",
        crate::db::sanctions::SUSPENDED_IDS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![viewer, prefix, display, limit], |r| user_at(r, 0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The bodies of the newest published public posts tagged `key` (a tag
/// key), at most `limit`: the text the most used spelling of the tag is
/// read from (`domain::text::most_used_spelling`).
///
/// # Errors
/// A database error.
pub fn tag_bodies(conn: &Connection, key: &str, limit: u32) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.body FROM post_tags t JOIN posts p ON p.id = t.post_id
         WHERE t.tag = ?1 AND p.status = 'published' AND p.visibility = 'public'
         ORDER BY t.post_id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![key, limit], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
