//! Search (issue 17): the post search index `post_search` and the queries
//! of `/search` and `/people`.
//!
//! The index holds a row per post with text (rowid = post id), written as
//! the post's transaction commits ([`index_post`], [`flush_pending`]). Whether a
//! post is found is decided by joining `posts` with the same `LIVE` and
//! `VISIBLE` conditions as the timelines (R2.1, R6.2), so a removal,
//! deletion, hold or restore changes search results in the very transaction
//! that changes the post (R12.2); erased text leaves the index by a trigger.

use crate::db::blocks::NOT_BLOCKED;
use crate::db::posts::{post_cols, post_row, Post, LIVE, VISIBLE};
use crate::db::sanctions::SUSPENDED_IDS;
use crate::db::users::{user_at, User, USER_COLS, USER_COL_COUNT};
use crate::domain::search::index_text;
use crate::error::Result;
use rusqlite::{params, Connection};

/// Does the database have the search index (schema version 3 and later)?
pub fn exists(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'post_search')")?
        .query_row([], |r| r.get(0))?)
}

/// Mark post `id` for the search index: its row is written from the
/// post's text as it is when the transaction commits ([`flush_pending`],
/// which [`crate::db::write`] runs just before COMMIT), so a post created,
/// edited or erased within one transaction is indexed once, as it ends up.
///
/// Deferred because FTS5 flushes its pending terms to a new segment at
/// every savepoint, and every write of a group commit is one: indexed in
/// the write itself, each post made a segment and paid for merging it
/// (issue 11: posting ran at half speed). Indexed at commit, a group makes
/// one segment. The mark is a row of the connection's temporary table
/// `search_pending` ([`crate::db::open`] creates it), so a write rolled
/// back to its savepoint takes its mark with it.
///
/// # Errors
/// A database error.
pub fn index_post(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO temp.search_pending (id) VALUES (?1)")?.execute([id])?;
    Ok(())
}

/// Write the index rows of the posts [`index_post`] marked in this
/// transaction, from their text now (an empty or erased body has no row;
/// a deleted post none), and clear the marks. Called inside the
/// transaction, after its last savepoint.
///
/// # Errors
/// A database error.
pub fn flush_pending(conn: &Connection) -> Result<()> {
    let rows: Vec<(i64, String)> = conn
        .prepare_cached("SELECT s.id, p.body FROM temp.search_pending s JOIN posts p ON p.id = s.id ORDER BY s.id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (id, body) in rows {
        index_now(conn, id, &body)?;
    }
    // Also the marks of posts deleted in the same transaction.
    conn.prepare_cached("DELETE FROM temp.search_pending")?.execute([])?;
    Ok(())
}

/// Write the index row of post `id` from `body` at once (the seed, the
/// rebuild, [`flush_pending`]); an empty body has no row.
///
/// # Errors
/// A database error.
pub fn index_now(conn: &Connection, id: i64, body: &str) -> Result<()> {
    let t = index_text(body);
    if !t.bi.is_empty() || !t.uni.is_empty() {
        conn.prepare_cached("INSERT INTO post_search (rowid, bi, uni) VALUES (?1, ?2, ?3)")?
            .execute(params![id, t.bi, t.uni])?;
    }
    Ok(())
}

/// Index every post again from its text (a migration into the search
/// schema, `plaza search rebuild`), calling `progress(done, total)` every
/// 1,000 posts. Returns the number of posts read.
pub fn rebuild(conn: &Connection, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
    conn.execute("DELETE FROM post_search", [])?;
    let total: i64 = conn.query_row("SELECT count(*) FROM posts WHERE body != ''", [], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT id, body FROM posts WHERE body != '' ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut done = 0u64;
    while let Some(r) = rows.next()? {
        let (id, body): (i64, String) = (r.get(0)?, r.get(1)?);
        index_now(conn, id, &body)?;
        done += 1;
        if done.is_multiple_of(1000) {
            progress(done, total as u64);
        }
    }
    progress(done, total as u64);
    Ok(done)
}

/// Where a page of post results starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Posts with ids below this, newest first (`?max_id=`; `i64::MAX` for the first page).
    Older(i64),
    /// The posts just above this id (`?min_id=`), shown newest first.
    Newer(i64),
}

/// One page of post results, newest first, with the ids for the
/// "older" (`max_id`) and "newer" (`min_id`) links when there are more.
#[derive(Debug, Clone, Default)]
pub struct PostHits {
    pub posts: Vec<Post>,
    pub older: Option<i64>,
    pub newer: Option<i64>,
}

/// Posts matching the FTS5 expression `fts` (from
/// `domain::search::fts_query`) that `viewer` (0 when signed out) may see,
/// exactly as timelines decide (R2.1, R6.2, R12.2): blocks either way and
/// suspended authors left out too (issue 18).
pub fn posts(conn: &Connection, viewer: i64, fts: &str, from: Start, limit: u32) -> Result<PostHits> {
    let (cond, order, bound) = match from {
        Start::Older(max) => ("s.rowid < ?3", "DESC", max),
        Start::Newer(min) => ("s.rowid > ?3", "ASC", min),
    };
    let sql = format!(
        "SELECT {} FROM post_search s JOIN posts p ON p.id = s.rowid JOIN users u ON u.id = p.author_id
         WHERE post_search MATCH ?2 AND {cond} AND {LIVE} AND {VISIBLE} AND {NOT_BLOCKED}
         ORDER BY s.rowid {order} LIMIT ?4",
        post_cols()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut posts: Vec<Post> =
        stmt.query_map(params![viewer, fts, bound, limit + 1], post_row)?.collect::<std::result::Result<_, _>>()?;
    let more = posts.len() > limit as usize;
    posts.truncate(limit as usize);
    let mut hits = PostHits::default();
    match from {
        Start::Older(max) => {
            hits.older = more.then(|| posts.last().map(|p| p.id)).flatten();
            hits.newer = (max != i64::MAX).then(|| posts.first().map(|p| p.id)).flatten();
        }
        Start::Newer(_) => {
            posts.reverse();
            hits.newer = more.then(|| posts.first().map(|p| p.id)).flatten();
            hits.older = posts.last().map(|p| p.id);
        }
    }
    hits.posts = posts;
    Ok(hits)
}

/// An account in a listing, with its follower count.
#[derive(Debug, Clone)]
pub struct Person {
    pub user: User,
    pub followers: i64,
}

fn person_rows(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| Ok(Person { user: user_at(r, 0)?, followers: r.get(USER_COL_COUNT)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

const FOLLOWERS: &str = "(SELECT count(*) FROM follows f WHERE f.followee_id = u.id)";

/// Open accounts whose username or display name contains `needle` (already
/// lower-cased and NFKC-folded), exact username first, then most followed;
/// at most `limit`, skipping `offset`.
pub fn accounts(conn: &Connection, needle: &str, limit: u32, offset: u32) -> Result<Vec<Person>> {
    let sql = format!(
        "SELECT {USER_COLS}, {FOLLOWERS} AS n FROM users u
         WHERE u.status = 'active' AND u.id NOT IN ({SUSPENDED_IDS}) AND (instr(u.username_key, ?1) > 0 OR instr(lower(u.display_name), ?1) > 0)
         ORDER BY u.username_key = ?1 DESC, n DESC, u.id DESC LIMIT ?2 OFFSET ?3"
    );
    person_rows(conn, &sql, params![needle, limit, offset])
}

/// Hashtags whose key starts with `prefix` (a tag key), with the number of
/// published public posts carrying each, most used first.
pub fn tags(conn: &Connection, prefix: &str, limit: u32) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.tag, count(*) AS n FROM post_tags t JOIN posts p ON p.id = t.post_id
         WHERE t.tag >= ?1 AND t.tag < ?1 || char(1114111)
           AND p.status = 'published' AND p.visibility = 'public'
         GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![prefix, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The newest open accounts.
pub fn newest_members(conn: &Connection, limit: u32) -> Result<Vec<Person>> {
    let sql =
        format!("SELECT {USER_COLS}, {FOLLOWERS} FROM users u WHERE u.status = 'active' AND u.id NOT IN ({SUSPENDED_IDS}) ORDER BY u.id DESC LIMIT ?1");
    person_rows(conn, &sql, [limit])
}

/// The open accounts with the most followers.
pub fn most_followed(conn: &Connection, limit: u32) -> Result<Vec<Person>> {
    let sql = format!(
        "SELECT {USER_COLS}, n FROM
           (SELECT followee_id, count(*) AS n FROM follows GROUP BY followee_id ORDER BY n DESC LIMIT ?1 * 2) c
         JOIN users u ON u.id = c.followee_id
         WHERE u.status = 'active' AND u.id NOT IN ({SUSPENDED_IDS}) ORDER BY n DESC, u.id LIMIT ?1"
    );
    person_rows(conn, &sql, [limit])
}

/// Open accounts of subject type `subject_type` (the viewer's organisation
/// type), most followed first.
pub fn of_type(conn: &Connection, subject_type: &str, limit: u32) -> Result<Vec<Person>> {
    let sql = format!(
        "SELECT {USER_COLS}, {FOLLOWERS} AS n FROM users u
         WHERE u.status = 'active' AND u.id NOT IN ({SUSPENDED_IDS}) AND u.subject_type = ?1 ORDER BY n DESC, u.id DESC LIMIT ?2"
    );
    person_rows(conn, &sql, params![subject_type, limit])
}

/// "Who to follow": open accounts followed by accounts `viewer` follows,
/// that the viewer does not follow yet, by how many of them follow each.
/// The `followers` of each [`Person`] is that number.
pub fn who_to_follow(conn: &Connection, viewer: i64, limit: u32) -> Result<Vec<Person>> {
    let sql = format!(
        "SELECT {USER_COLS}, c.n FROM
           (SELECT f2.followee_id AS id, count(*) AS n FROM follows f1
              JOIN follows f2 ON f2.follower_id = f1.followee_id
            WHERE f1.follower_id = ?1 AND f2.followee_id != ?1
              AND f2.followee_id NOT IN (SELECT followee_id FROM follows WHERE follower_id = ?1)
            GROUP BY f2.followee_id ORDER BY n DESC LIMIT ?2 * 2) c
         JOIN users u ON u.id = c.id
         WHERE u.status = 'active' AND u.id NOT IN ({SUSPENDED_IDS}) ORDER BY c.n DESC, u.id DESC LIMIT ?2"
    );
    person_rows(conn, &sql, params![viewer, limit])
}

/// A tag on the trending list (R13.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    /// Tag key.
    pub tag: String,
    /// Distinct authors of published public posts with it since the window start.
    pub authors: i64,
}

/// Tags of published public posts created at or after `since` (UTC unix
/// seconds), ranked by distinct authors (one account cannot push a tag),
/// then by the newest post; removed, held, deleted and non-public posts
/// and tags staff hid are left out. At most `limit`.
pub fn trending(conn: &Connection, since: i64, limit: u32) -> Result<Vec<Trend>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.tag, count(DISTINCT p.author_id) AS n FROM posts p JOIN post_tags t ON t.post_id = p.id
         WHERE p.created_at >= ?1 AND p.status = 'published' AND p.visibility = 'public'
           AND t.tag NOT IN (SELECT tag FROM trending_hidden)
         GROUP BY t.tag ORDER BY n DESC, max(p.id) DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![since, limit], |r| Ok(Trend { tag: r.get(0)?, authors: r.get(1)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Take tag `tag` (a key) off the trending list; false if it was hidden already.
pub fn hide_trend(tx: &rusqlite::Transaction, tag: &str, reason: &str, by: i64, now: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "INSERT OR IGNORE INTO trending_hidden (tag, reason, hidden_by, hidden_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![tag, reason, by, now])?
        == 1)
}
