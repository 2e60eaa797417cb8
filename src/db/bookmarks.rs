//! Bookmarks (收藏, private to the member) and the one pinned post of a
//! profile (issue 18). Listings show only what the viewer may still see
//! (R2.1, blocks and suspensions included).

use crate::db::blocks::NOT_BLOCKED;
use crate::db::posts::{post_cols, post_row, Post, LIVE, VISIBLE};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// `user` bookmarks `post`; false if it was bookmarked already.
///
/// # Errors
/// A database error.
pub fn add(tx: &Transaction, user: i64, post: i64, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO bookmarks (user_id, post_id, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![user, post, now])?;
    Ok(n == 1)
}

/// Take a bookmark back; false if there was none.
///
/// # Errors
/// A database error.
pub fn remove(tx: &Transaction, user: i64, post: i64) -> Result<bool> {
    let n =
        tx.prepare_cached("DELETE FROM bookmarks WHERE user_id = ?1 AND post_id = ?2")?.execute(params![user, post])?;
    Ok(n == 1)
}

/// Has `user` bookmarked `post`?
///
/// # Errors
/// A database error.
pub fn has(conn: &Connection, user: i64, post: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM bookmarks WHERE user_id = ?1 AND post_id = ?2)")?
        .query_row([user, post], |r| r.get(0))?)
}

/// The posts `viewer` bookmarked that they may still see, most recently
/// bookmarked first, bookmarked before `before` (UTC unix seconds), at most
/// `limit`; with the time each was bookmarked.
///
/// # Errors
/// A database error.
pub fn list(conn: &Connection, viewer: i64, before: i64, limit: u32) -> Result<Vec<(Post, i64)>> {
    let sql = format!(
        "SELECT {}, b.created_at FROM bookmarks b JOIN posts p ON p.id = b.post_id JOIN users u ON u.id = p.author_id
         WHERE b.user_id = ?1 AND b.created_at < ?2 AND {LIVE} AND {VISIBLE} AND {NOT_BLOCKED}
         ORDER BY b.created_at DESC, b.post_id DESC LIMIT ?3",
        post_cols()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let n = crate::db::users::USER_COL_COUNT + 10;
    let rows = stmt.query_map(params![viewer, before, limit], |r| Ok((post_row(r)?, r.get(n)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Pin `post` on `user`'s profile, replacing any earlier pin.
///
/// # Errors
/// A database error.
pub fn pin(tx: &Transaction, user: i64, post: i64, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO pins (user_id, post_id, pinned_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET post_id = excluded.post_id, pinned_at = excluded.pinned_at",
    )?
    .execute(params![user, post, now])?;
    Ok(())
}

/// Unpin `post` from `user`'s profile; false if it was not pinned.
///
/// # Errors
/// A database error.
pub fn unpin(tx: &Transaction, user: i64, post: i64) -> Result<bool> {
    let n = tx.prepare_cached("DELETE FROM pins WHERE user_id = ?1 AND post_id = ?2")?.execute(params![user, post])?;
    Ok(n == 1)
}

/// The post pinned on `user`'s profile, if any (the caller checks it is visible).
///
/// # Errors
/// A database error.
pub fn pinned(conn: &Connection, user: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT post_id FROM pins WHERE user_id = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()?)
}
