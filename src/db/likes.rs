//! Who liked and who reposted (issue 18, R2.3): likes on comments, and the
//! lists of a post's likers and reposts, paged, without accounts on the
//! other side of a block from the viewer or suspended ones
//! ([`crate::db::blocks::NOT_BLOCKED`]'s rule, applied to the liker).

use crate::db::posts::{Page, Window};
use crate::db::users::{user_at, User, USER_COLS};
use crate::error::Result;
use rusqlite::{params, Connection, Transaction};
use std::collections::HashMap;

/// SQL condition: account `?1`-viewer's liker `l.user_id` has no block with
/// the viewer either way, is not suspended, and is open.
const LIKER_SHOWN: &str = "l.user_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
    UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
    UNION ALL SELECT user_id FROM sanctions WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch())
    AND u.status = 'active'";

/// Like comment `comment` as `user`; false if it was already liked.
///
/// # Errors
/// A database error.
pub fn like_comment(tx: &Transaction, user: i64, comment: i64, now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("INSERT OR IGNORE INTO comment_likes (user_id, comment_id, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![user, comment, now])?
        == 1)
}

/// Take back `user`'s like of comment `comment`; false if there was none.
///
/// # Errors
/// A database error.
pub fn unlike_comment(tx: &Transaction, user: i64, comment: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("DELETE FROM comment_likes WHERE user_id = ?1 AND comment_id = ?2")?
        .execute(params![user, comment])?
        == 1)
}

/// For each of `comments`: how many likes it has and whether `viewer`
/// (0 when signed out) is one of them. Comments without likes are absent.
///
/// # Errors
/// A database error.
pub fn for_comments(conn: &Connection, viewer: i64, comments: &[i64]) -> Result<HashMap<i64, (i64, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT comment_id, count(*), max(user_id = ?1) FROM comment_likes
         WHERE comment_id IN (SELECT value FROM json_each(?2)) GROUP BY comment_id",
    )?;
    let ids = serde_json::to_string(comments).unwrap_or_else(|_| "[]".into());
    let rows = stmt.query_map(params![viewer, ids], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Where a likers page starts: likes strictly older than
/// `(created_at, user_id)`, the last row of the page before.
pub type LikeCursor = (i64, i64);

/// A page of likers: each account with when it liked (UTC unix seconds),
/// newest first, and the cursor of the next page when the page is full.
pub type LikersPage = (Vec<(User, i64)>, Option<LikeCursor>);

/// One page of the accounts that liked `post`, newest like first, older
/// than `before` (none: the newest), at most `limit`, as `viewer` (0 when
/// signed out) may see them; with the cursor of the next page when full.
///
/// # Errors
/// A database error.
pub fn likers(conn: &Connection, viewer: i64, post: i64, before: Option<LikeCursor>, limit: u32) -> Result<LikersPage> {
    let (at, uid) = before.unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "SELECT {USER_COLS}, l.created_at FROM likes l JOIN users u ON u.id = l.user_id
         WHERE l.post_id = ?2 AND (l.created_at, l.user_id) < (?3, ?4) AND {LIKER_SHOWN}
         ORDER BY l.created_at DESC, l.user_id DESC LIMIT ?5"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows: Vec<(User, i64)> = stmt
        .query_map(params![viewer, post, at, uid, limit], |r| {
            Ok((user_at(r, 0)?, r.get(crate::db::users::USER_COL_COUNT)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let next = (rows.len() == limit as usize).then(|| rows.last().map(|(u, at)| (*at, u.id))).flatten();
    Ok((rows, next))
}

/// One page of the reposts in the chain of original `root` that `viewer`
/// (0 when signed out) may see, newest first, in `w`; with `of`, only the
/// reposts of that repost. Read through the chain's index.
///
/// # Errors
/// A database error.
pub fn reposts(conn: &Connection, viewer: i64, root: i64, of: Option<i64>, w: Window) -> Result<Page> {
    let sql = format!(
        "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id
         WHERE p.repost_root = ?2 AND (?6 IS NULL OR p.repost_of = ?6) AND p.status = 'published'
           AND p.id < ?3 AND p.id > ?5 AND {} AND {}
         ORDER BY p.id {} LIMIT ?4",
        crate::db::posts::post_cols(),
        crate::db::posts::VISIBLE,
        crate::db::blocks::NOT_BLOCKED,
        w.order()
    );
    crate::db::posts::page(conn, &sql, params![viewer, root, w.before, w.fetch(), w.after, of], &w)
}
