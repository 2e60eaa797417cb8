//! Blocks, mutes and muted words (issue 18): the rows, and the SQL
//! conditions every listing adds so a block is honoured exactly as
//! visibility is (R2.1).
//!
//! A block works both ways: neither account sees the other's posts or
//! comments, notifications between them stop. A mute and a muted word act
//! only on the muter's timelines (and, for words, notifications).

use crate::db::users::{user_at, User, USER_COLS};
use crate::error::Result;
use rusqlite::{params, Connection, Transaction};

/// SQL condition: the author of post `p` and viewer `?1` have no block
/// between them either way, and the author is not suspended
/// (`db::sanctions`). The subquery does not depend on the row, so SQLite
/// builds it once per statement from the primary keys and a partial index.
pub const NOT_BLOCKED: &str = "p.author_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
    UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
    UNION ALL SELECT user_id FROM sanctions WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch())";

/// SQL condition for timelines: as [`NOT_BLOCKED`], and the viewer `?1` has
/// not muted the author of post `p`.
pub const NOT_BLOCKED_OR_MUTED: &str = "p.author_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?1
    UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?1
    UNION ALL SELECT user_id FROM sanctions WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch()
    UNION ALL SELECT muted_id FROM mutes WHERE muter_id = ?1)";

/// Is there a block between `a` and `b`, either way?
///
/// # Errors
/// A database error.
pub fn between(conn: &Connection, a: i64, b: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = ?1 AND blocked_id = ?2)
                                                 OR (blocker_id = ?2 AND blocked_id = ?1))",
        )?
        .query_row([a, b], |r| r.get(0))?)
}

/// Has `blocker` blocked `blocked`?
///
/// # Errors
/// A database error.
pub fn blocks(conn: &Connection, blocker: i64, blocked: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2)")?
        .query_row([blocker, blocked], |r| r.get(0))?)
}

/// Has `muter` muted `muted`?
///
/// # Errors
/// A database error.
pub fn mutes(conn: &Connection, muter: i64, muted: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM mutes WHERE muter_id = ?1 AND muted_id = ?2)")?
        .query_row([muter, muted], |r| r.get(0))?)
}

/// `blocker` blocks `blocked`: follows between them end both ways. False
/// if the block existed already.
///
/// # Errors
/// A database error.
pub fn block(tx: &Transaction, blocker: i64, blocked: i64, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![blocker, blocked, now])?;
    tx.prepare_cached(
        "DELETE FROM follows WHERE (follower_id = ?1 AND followee_id = ?2) OR (follower_id = ?2 AND followee_id = ?1)",
    )?
    .execute(params![blocker, blocked])?;
    Ok(n == 1)
}

/// Take a block back; false if there was none.
///
/// # Errors
/// A database error.
pub fn unblock(tx: &Transaction, blocker: i64, blocked: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("DELETE FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2")?
        .execute(params![blocker, blocked])?;
    Ok(n == 1)
}

/// `muter` mutes `muted`; false if already muted.
///
/// # Errors
/// A database error.
pub fn mute(tx: &Transaction, muter: i64, muted: i64, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO mutes (muter_id, muted_id, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![muter, muted, now])?;
    Ok(n == 1)
}

/// Take a mute back; false if there was none.
///
/// # Errors
/// A database error.
pub fn unmute(tx: &Transaction, muter: i64, muted: i64) -> Result<bool> {
    let n =
        tx.prepare_cached("DELETE FROM mutes WHERE muter_id = ?1 AND muted_id = ?2")?.execute(params![muter, muted])?;
    Ok(n == 1)
}

/// The accounts `user` blocks (`mutes == false`) or mutes, newest first.
///
/// # Errors
/// A database error.
pub fn list(conn: &Connection, user: i64, mutes: bool) -> Result<Vec<User>> {
    let sql = if mutes {
        format!("SELECT {USER_COLS} FROM mutes m JOIN users u ON u.id = m.muted_id WHERE m.muter_id = ?1 ORDER BY m.created_at DESC, u.id")
    } else {
        format!("SELECT {USER_COLS} FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ?1 ORDER BY b.created_at DESC, u.id")
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([user], |r| user_at(r, 0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One muted word: its id, as typed, and its normalised key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutedWord {
    pub id: i64,
    pub word: String,
    /// `domain::keywords::normalise(word)`: what texts are matched against.
    pub key: String,
}

/// The muted words of `user`, oldest first.
///
/// # Errors
/// A database error.
pub fn words(conn: &Connection, user: i64) -> Result<Vec<MutedWord>> {
    let mut stmt = conn.prepare_cached("SELECT id, word, word_key FROM muted_words WHERE user_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([user], |r| Ok(MutedWord { id: r.get(0)?, word: r.get(1)?, key: r.get(2)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Add a muted word with its normalised `key`; `None` if `user` has it
/// already (same key), else its id.
///
/// # Errors
/// A database error.
pub fn add_word(tx: &Transaction, user: i64, word: &str, key: &str, now: i64) -> Result<Option<i64>> {
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO muted_words (user_id, word, word_key, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![user, word, key, now])?;
    Ok((n == 1).then(|| tx.last_insert_rowid()))
}

/// Remove muted word `id` of `user`; the word if there was one.
///
/// # Errors
/// A database error.
pub fn remove_word(tx: &Transaction, user: i64, id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let word: Option<String> = tx
        .prepare_cached("DELETE FROM muted_words WHERE id = ?1 AND user_id = ?2 RETURNING word")?
        .query_row(params![id, user], |r| r.get(0))
        .optional()?;
    Ok(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::posts::{public, Window};
    use crate::db::seed::Bulk;

    /// A viewer with 200 blocks and 200 mutes: the listing reads each
    /// relation by its key (no scan of the tables), and leaves all of
    /// those authors out.
    #[test]
    fn a_viewer_with_many_blocks_and_mutes_is_served_by_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let bulk = Bulk::new(&conn).unwrap();
        bulk.begin().unwrap();
        for id in 1..=450 {
            bulk.user(id, &format!("u{id}"), "", "", "x", 1, 0).unwrap();
        }
        for id in 1..=4500 {
            bulk.post(id, 2 + id % 449, "p", "public", None, id, &[]).unwrap();
        }
        bulk.commit().unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for other in 2..=201 {
            block(&tx, 1, other, 0).unwrap();
        }
        for other in 202..=401 {
            mute(&tx, 1, other, 0).unwrap();
        }
        tx.commit().unwrap();
        let page = public(&conn, 1, Window::newest(40)).unwrap();
        assert_eq!(page.posts.len(), 40);
        assert!(page.posts.iter().all(|p| p.author.id > 401), "blocked and muted authors left out");
        let plan: Vec<String> = conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT p.id FROM posts p WHERE p.id < 1000 AND {NOT_BLOCKED_OR_MUTED}"
            ))
            .unwrap()
            .query_map([1], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(plan.iter().any(|l| l.contains("blocks")), "{plan:?}");
        for table in ["blocks", "mutes", "sanctions"] {
            assert!(!plan.iter().any(|l| l.starts_with(&format!("SCAN {table}"))), "{table} scanned: {plan:?}");
        }
    }
}
