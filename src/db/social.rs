//! Follow relations (R2.1).

use crate::error::Result;
use rusqlite::{params, Transaction};

/// `follower` follows `followee`; false if already following.
pub fn follow(tx: &Transaction, follower: i64, followee: i64, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![follower, followee, now])?;
    Ok(n == 1)
}

/// `follower` stops following `followee`; false if not following.
pub fn unfollow(tx: &Transaction, follower: i64, followee: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2")?
        .execute(params![follower, followee])?;
    Ok(n == 1)
}
