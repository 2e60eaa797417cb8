//! Post, repost, comment and like queries, and the timelines (R2.1-R2.3).
//!
//! Visibility (R2.1) is enforced in SQL by [`VISIBLE`] for every listing and
//! by `Visibility::allows` for single posts, so no listing or direct URL
//! shows a post to someone who may not see it. Blocks (issue 18) are
//! honoured the same way: [`NOT_BLOCKED`] in every listing, `visible_to`
//! for single posts; mutes only in the timelines (home, public, tags).

use crate::db::blocks::{NOT_BLOCKED, NOT_BLOCKED_OR_MUTED};
use crate::db::users::{user_at, User, USER_COLS};
use crate::domain::account::Visibility;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// A post as pages show it.
#[derive(Debug, Clone)]
pub struct Post {
    pub id: i64,
    pub author: User,
    pub body: String,
    pub visibility: Visibility,
    /// `published`, `pending` (held for review, R6.2: only its author sees
    /// it), `rejected`, `deleted` or `removed`.
    pub status: String,
    pub created_at: i64,
    pub comment_count: i64,
    pub repost_count: i64,
    pub like_count: i64,
    /// The post this one reposts, if it is a repost.
    pub repost_of: Option<i64>,
    /// The original at the start of the repost chain.
    pub repost_root: Option<i64>,
}

impl Post {
    /// Is the post live (not deleted or removed)?
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }

    /// Is it held for review (R6.2)?
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }
}

/// Columns of [`Post`]; the query names posts `p` and users `u`.
pub(crate) fn post_cols() -> String {
    format!(
        "p.id, p.body, p.visibility, p.status, p.created_at, p.comment_count, p.repost_count, p.like_count,
         p.repost_of, p.repost_root, {USER_COLS}"
    )
}

pub(crate) fn post_row(r: &Row) -> rusqlite::Result<Post> {
    let vis: String = r.get(2)?;
    Ok(Post {
        id: r.get(0)?,
        body: r.get(1)?,
        visibility: Visibility::parse(&vis).unwrap_or(Visibility::OnlyMe),
        status: r.get(3)?,
        created_at: r.get(4)?,
        comment_count: r.get(5)?,
        repost_count: r.get(6)?,
        like_count: r.get(7)?,
        repost_of: r.get(8)?,
        repost_root: r.get(9)?,
        author: user_at(r, 10)?, // the user columns follow the ten post columns
    })
}

/// SQL condition: post `p` is published, or pending and viewer `?1` wrote
/// it (R6.2: held content is visible only to its author).
pub(crate) const LIVE: &str = "(p.status = 'published' OR (p.status = 'pending' AND p.author_id = ?1))";

/// SQL condition: viewer `?1` (0 when signed out) may see post `p` (R2.1).
pub(crate) const VISIBLE: &str = "(p.visibility = 'public' OR p.author_id = ?1 OR (p.visibility = 'followers'
    AND p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1)))";

/// Which part of a listing to read: posts with ids strictly between
/// `after` and `before`, at most `limit` of them, taken from the newest end
/// of that range, or from the oldest with `oldest_first` (the page just
/// newer than `after`). Pages are always shown newest first. Paging by id
/// never repeats or skips a post when new posts arrive meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub after: i64,
    pub before: i64,
    pub oldest_first: bool,
    pub limit: u32,
}

impl Window {
    /// The newest `limit` posts.
    pub fn newest(limit: u32) -> Window {
        Window { after: 0, before: i64::MAX, oldest_first: false, limit }
    }

    /// `?max_id=`: the newest `limit` posts older than `max_id`.
    pub fn older_than(max_id: i64, limit: u32) -> Window {
        Window { before: max_id, ..Window::newest(limit) }
    }

    /// `?min_id=`: the `limit` posts just newer than `min_id` (the page
    /// before, towards the newest).
    pub fn newer_than(min_id: i64, limit: u32) -> Window {
        Window { after: min_id, oldest_first: true, ..Window::newest(limit) }
    }

    /// `?since_id=`: the newest `limit` posts newer than `since_id` (with a
    /// gap below them when more than `limit` arrived).
    pub fn since(since_id: i64, limit: u32) -> Window {
        Window { after: since_id, ..Window::newest(limit) }
    }

    /// Is this the first page (nothing newer left out)?
    pub fn is_top(&self) -> bool {
        self.before == i64::MAX && self.after == 0
    }

    /// How many rows to ask for: one more than shown when reading towards
    /// the newer end, to know whether a newer page is left.
    pub(crate) fn fetch(&self) -> u32 {
        self.limit + u32::from(self.oldest_first)
    }

    /// `ASC` or `DESC`, for the listing's `ORDER BY p.id`.
    /// Make `rows` (read in [`Window::order`], at most [`Window::fetch`],
    /// each with id `id(row)`) the page shown, newest first, and say where
    /// the pages around it start: (older: the `max_id` of the next page
    /// down, newer: the `min_id` of the page up), `None` where none is left.
    pub fn settle<T>(&self, rows: &mut Vec<T>, id: impl Fn(&T) -> i64) -> (Option<i64>, Option<i64>) {
        if self.oldest_first {
            // One row more than shown was asked for: it says a newer page is left.
            let more = rows.len() > self.limit as usize;
            rows.truncate(self.limit as usize);
            rows.reverse();
            let newer = if more { rows.first().map(&id) } else { None };
            // Everything from `after` down is older.
            return (Some(rows.last().map_or(self.after + 1, &id)), newer);
        }
        let older = rows.last().map(&id).filter(|_| rows.len() == self.limit as usize);
        let newer = match rows.first() {
            _ if self.is_top() => None,
            Some(row) => Some(id(row)),
            // Paged past the end: the way back shows what was above.
            None => Some(self.before.saturating_sub(1).max(self.after)),
        };
        (older, newer)
    }

    pub(crate) fn order(&self) -> &'static str {
        if self.oldest_first {
            "ASC"
        } else {
            "DESC"
        }
    }
}

/// One page of a listing: posts newest first; the `max_id` of the next
/// older page when there may be one, and the `min_id` of the next newer
/// page when this is not the newest.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub posts: Vec<Post>,
    pub older: Option<i64>,
    pub newer: Option<i64>,
    /// The page size asked for (kept in the links).
    pub limit: Option<u32>,
}

/// Run a listing query (`?` parameters bound by the caller, ordered by
/// `w.order()`) and make its page.
pub(crate) fn page(conn: &Connection, sql: &str, args: impl rusqlite::Params, w: &Window) -> Result<Page> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut posts: Vec<Post> = stmt.query_map(args, post_row)?.collect::<std::result::Result<_, _>>()?;
    let (older, newer) = w.settle(&mut posts, |p| p.id);
    Ok(Page { posts, older, newer, limit: Some(w.limit) })
}

/// How many of the newest post ids the home timeline scans before it asks
/// each followed account's index instead (see [`home`]).
const HOME_SCAN_WINDOW: i64 = 4000;

/// Home timeline (R2.1): the viewer's own posts and the posts of accounts
/// they follow that they may see, in `w`.
///
/// Two plans, because follows are skewed: most members follow a few busy
/// accounts, so their newest posts are among the newest few thousand ids and
/// a backwards scan of that window finds a page at once; a member who
/// follows only quiet accounts gets the per-author index search, which is
/// cheap exactly because those accounts have few posts. A page towards the
/// newer end (`oldest_first`) always takes the per-author plan.
pub fn home(conn: &Connection, viewer: i64, w: Window) -> Result<Page> {
    if !w.oldest_first {
        // Hint `+p.author_id` keeps the window scan on the rowid (newest first).
        let scan = format!(
            "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id
             WHERE p.id < ?2 AND p.id >= ?2 - ?4 AND p.id > ?5 AND {LIVE}
               AND +p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1 UNION ALL SELECT ?1)
               AND (p.visibility != 'self' OR p.author_id = ?1) AND {NOT_BLOCKED_OR_MUTED}
             ORDER BY p.id DESC LIMIT ?3",
            post_cols()
        );
        let newest: i64 = conn.prepare_cached("SELECT coalesce(max(id), 0) FROM posts")?.query_row([], |r| r.get(0))?;
        let top = w.before.min(newest.saturating_add(1));
        let first = page(conn, &scan, params![viewer, top, w.limit, HOME_SCAN_WINDOW, w.after], &w)?;
        if first.posts.len() == w.limit as usize {
            return Ok(first);
        }
    }
    let by_author = format!(
        "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id
         WHERE {LIVE} AND p.id < ?2 AND p.id > ?4
           AND p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1 UNION ALL SELECT ?1)
           AND (p.visibility != 'self' OR p.author_id = ?1) AND {NOT_BLOCKED_OR_MUTED}
         ORDER BY p.id {} LIMIT ?3",
        post_cols(),
        w.order()
    );
    page(conn, &by_author, params![viewer, w.before, w.fetch(), w.after], &w)
}

/// Public timeline: every public post, in `w`, but those of accounts
/// `viewer` (0 when signed out) blocks, is blocked by or mutes (issue 18).
pub fn public(conn: &Connection, viewer: i64, w: Window) -> Result<Page> {
    let sql = format!(
        "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id
         WHERE p.status = 'published' AND p.visibility = 'public' AND p.id < ?2 AND p.id > ?4
           AND {NOT_BLOCKED_OR_MUTED}
         ORDER BY p.id {} LIMIT ?3",
        post_cols(),
        w.order()
    );
    page(conn, &sql, params![viewer, w.before, w.fetch(), w.after], &w)
}

/// A profile's posts that `viewer` (0 when signed out) may see, in `w`.
pub fn by_author(conn: &Connection, viewer: i64, author: i64, w: Window) -> Result<Page> {
    let sql = format!(
        "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id
         WHERE p.author_id = ?2 AND {LIVE} AND p.id < ?3 AND p.id > ?5 AND {VISIBLE} AND {NOT_BLOCKED}
         ORDER BY p.id {} LIMIT ?4",
        post_cols(),
        w.order()
    );
    page(conn, &sql, params![viewer, author, w.before, w.fetch(), w.after], &w)
}

/// Posts carrying hashtag `tag` (a tag key) that `viewer` may see, in `w`.
pub fn by_tag(conn: &Connection, viewer: i64, tag: &str, w: Window) -> Result<Page> {
    let sql = format!(
        "SELECT {} FROM post_tags t JOIN posts p ON p.id = t.post_id JOIN users u ON u.id = p.author_id
         WHERE t.tag = ?2 AND t.post_id < ?3 AND t.post_id > ?5 AND p.status = 'published' AND {VISIBLE}
           AND {NOT_BLOCKED_OR_MUTED}
         ORDER BY t.post_id {} LIMIT ?4",
        post_cols(),
        w.order()
    );
    page(conn, &sql, params![viewer, tag, w.before, w.fetch(), w.after], &w)
}

/// One post by id, whatever its status or visibility: the caller checks.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Post>> {
    let sql = format!("SELECT {} FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ?1", post_cols());
    Ok(conn.prepare_cached(&sql)?.query_row([id], post_row).optional()?)
}

/// Does `viewer` follow `author`?
pub fn follows(conn: &Connection, viewer: i64, author: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = ?2)")?
        .query_row([viewer, author], |r| r.get(0))?)
}

/// May `viewer` see `post`? Published and allowed by its visibility
/// (R2.1), or held for review and the viewer wrote it (R6.2); never with
/// a block between the viewer and the author (issue 18).
pub fn visible_to(conn: &Connection, post: &Post, viewer: Option<i64>) -> Result<bool> {
    if !post.is_published() {
        return Ok(post.is_pending() && viewer == Some(post.author.id));
    }
    if let Some(v) = viewer.filter(|v| *v != post.author.id) {
        if crate::db::blocks::between(conn, v, post.author.id)? {
            return Ok(false);
        }
    }
    // Issue 18: a suspended account's posts are hidden everywhere, reposts included.
    if crate::db::sanctions::suspended_now(conn, post.author.id)? {
        return Ok(false);
    }
    let follows = match (post.visibility, viewer) {
        (Visibility::Followers, Some(v)) if v != post.author.id => follows(conn, v, post.author.id)?,
        _ => false,
    };
    Ok(post.visibility.allows(viewer, post.author.id, follows))
}

/// Which of `posts` `viewer` liked (one query for a page of posts).
///
/// # Errors
/// A database error.
pub fn liked_of(conn: &Connection, viewer: i64, posts: &[i64]) -> Result<std::collections::HashSet<i64>> {
    if posts.is_empty() {
        return Ok(Default::default());
    }
    let ids = serde_json::to_string(posts).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT post_id FROM likes WHERE user_id = ?1 AND post_id IN (SELECT value FROM json_each(?2))",
    )?;
    let rows = stmt.query_map(params![viewer, ids], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The viewer's own marks on some posts (the client API's `favourited`,
/// `reblogged` and `bookmarked`, issue 19): each set holds the ids among
/// those asked about.
#[derive(Debug, Default)]
pub struct Marks {
    /// Liked by the viewer.
    pub liked: std::collections::HashSet<i64>,
    /// Boosted by the viewer: a published repost by them of that very post,
    /// without words.
    pub boosted: std::collections::HashSet<i64>,
    /// Bookmarked by the viewer.
    pub bookmarked: std::collections::HashSet<i64>,
}

/// `viewer`'s [`Marks`] on `posts` (a page of posts and the originals it
/// shows): one query, each mark one probe of an index (the likes' and
/// bookmarks' keys, and `posts_reposts` for boosts). A post nobody liked
/// (`like_count` 0) or reposted (`repost_count` 0, which counts every
/// published repost of it) is not looked up for that mark.
///
/// # Errors
/// A database error.
pub fn marks_of(conn: &Connection, viewer: i64, posts: &[&Post]) -> Result<Marks> {
    let mut out = Marks::default();
    if posts.is_empty() {
        return Ok(out);
    }
    let list = |keep: fn(&Post) -> bool| {
        let ids: Vec<i64> = posts.iter().filter(|p| keep(p)).map(|p| p.id).collect();
        serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
    };
    let mut stmt = conn.prepare_cached(
        "SELECT 0, post_id FROM likes WHERE user_id = ?1 AND post_id IN (SELECT value FROM json_each(?2))
         UNION ALL
         SELECT 1, repost_of FROM posts WHERE repost_of IN (SELECT value FROM json_each(?3)) AND author_id = ?1
           AND status = 'published' AND trim(body) = ''
         UNION ALL
         SELECT 2, post_id FROM bookmarks WHERE user_id = ?1 AND post_id IN (SELECT value FROM json_each(?4))",
    )?;
    let mut rows =
        stmt.query(params![viewer, list(|p| p.like_count > 0), list(|p| p.repost_count > 0), list(|_| true)])?;
    while let Some(r) = rows.next()? {
        let set = match r.get::<_, i64>(0)? {
            0 => &mut out.liked,
            1 => &mut out.boosted,
            _ => &mut out.bookmarked,
        };
        set.insert(r.get(1)?);
    }
    Ok(out)
}

/// `author`'s live boosts (reposts without words, published or held) of
/// post `of`, whose chain's original is `root` (`of` itself for an
/// original): one query through the chain's index (`posts_repost_root`),
/// however many posts `author` has (`unreblog`, issue 19).
///
/// # Errors
/// A database error.
pub fn boosts_by(conn: &Connection, author: i64, of: i64, root: i64) -> Result<Vec<Post>> {
    let sql = format!(
        "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id
         WHERE p.repost_root = ?3 AND p.repost_of = ?2 AND p.author_id = ?1
           AND p.status IN ('published', 'pending') AND trim(p.body) = ''
         ORDER BY p.id",
        post_cols()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![author, of, root], post_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A new post's fields.
pub struct NewPost<'a> {
    pub author: i64,
    pub body: &'a str,
    pub visibility: Visibility,
    /// For a repost: (the post shared, the original of the chain).
    pub repost: Option<(i64, i64)>,
    /// Tag keys (`domain::text::hashtags`).
    pub tags: &'a [String],
    /// Held for review (R6.2): stored `pending`, counted when approved.
    pub pending: bool,
    pub now: i64,
}

/// Insert a post with its tags; a published repost also counts on the post
/// it shares and on the original.
pub fn create(tx: &Transaction, p: &NewPost) -> Result<i64> {
    let (of, root) = p.repost.unzip();
    let status = if p.pending { "pending" } else { "published" };
    tx.prepare_cached(
        "INSERT INTO posts (author_id, body, visibility, repost_of, repost_root, created_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![p.author, p.body, p.visibility.as_str(), of, root, p.now, status])?;
    let id = tx.last_insert_rowid();
    crate::db::search::index_post(tx, id)?; // issue 17: found from this commit on
    for tag in p.tags {
        tx.prepare_cached("INSERT OR IGNORE INTO post_tags (tag, post_id) VALUES (?1, ?2)")?
            .execute(params![tag, id])?;
    }
    if let (Some((of, root)), false) = (p.repost, p.pending) {
        bump(tx, of, "repost_count", 1)?;
        if root != of {
            bump(tx, root, "repost_count", 1)?;
        }
    }
    Ok(id)
}

/// Add `by` to one of a post's counters (`comment_count`, `repost_count`, `like_count`).
pub(crate) fn bump(tx: &Transaction, id: i64, counter: &'static str, by: i64) -> Result<()> {
    let sql = format!("UPDATE posts SET {counter} = max(0, {counter} + ?2) WHERE id = ?1");
    tx.prepare_cached(&sql)?.execute(params![id, by])?;
    Ok(())
}

/// Mark a post (published or held) deleted by its author; reposts of it
/// then show it as removed; its attachment rows go (R2.2). The evidence
/// record (R12.2, written first, so it keeps the media hashes and with them
/// the files) and the review items are `actions::removal`'s. False if it
/// was not live.
pub fn delete(tx: &Transaction, post: &Post, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE posts SET status = 'deleted', deleted_at = ?2 WHERE id = ?1 AND status IN ('published', 'pending')",
        )?
        .execute(params![post.id, now])?;
    if n == 0 {
        return Ok(false);
    }
    crate::db::media::delete_for_post(tx, post.id)?;
    if let (Some(of), Some(root), true) = (post.repost_of, post.repost_root, post.is_published()) {
        bump(tx, of, "repost_count", -1)?;
        if root != of {
            bump(tx, root, "repost_count", -1)?;
        }
    }
    Ok(true)
}

/// Like a post; false if it was already liked.
pub fn like(tx: &Transaction, user: i64, post: i64, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("INSERT OR IGNORE INTO likes (user_id, post_id, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![user, post, now])?;
    if n == 1 {
        bump(tx, post, "like_count", 1)?;
    }
    Ok(n == 1)
}

/// Take a like back; false if there was none.
pub fn unlike(tx: &Transaction, user: i64, post: i64) -> Result<bool> {
    let n = tx.prepare_cached("DELETE FROM likes WHERE user_id = ?1 AND post_id = ?2")?.execute(params![user, post])?;
    if n == 1 {
        bump(tx, post, "like_count", -1)?;
    }
    Ok(n == 1)
}

/// A comment as pages show it.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub author: User,
    /// The comment this one answers, with its author's username.
    pub reply_to: Option<(i64, String)>,
    pub body: String,
    /// `published`, `pending`, `rejected`, `deleted` or `removed`.
    pub status: String,
    pub created_at: i64,
}

fn comment_row(r: &Row) -> rusqlite::Result<Comment> {
    let reply_id: Option<i64> = r.get(3)?;
    let reply_name: Option<String> = r.get(4)?;
    Ok(Comment {
        id: r.get(0)?,
        post_id: r.get(1)?,
        body: r.get(2)?,
        reply_to: reply_id.zip(reply_name),
        status: r.get(5)?,
        created_at: r.get(6)?,
        author: user_at(r, 7)?,
    })
}

fn comment_sql(filter: &str) -> String {
    format!(
        "SELECT c.id, c.post_id, c.body, c.reply_to, ru.username, c.status, c.created_at, {USER_COLS}
         FROM comments c JOIN users u ON u.id = c.author_id
         LEFT JOIN comments rc ON rc.id = c.reply_to LEFT JOIN users ru ON ru.id = rc.author_id
         WHERE {filter}"
    )
}

/// Published comments of a post, and those `viewer` wrote that are held
/// for review (R6.2), oldest first, ids above `after`; none by an account
/// with a block between it and the viewer (issue 18).
pub fn comments(conn: &Connection, post: i64, viewer: i64, after: i64, limit: u32) -> Result<Vec<Comment>> {
    let sql = comment_sql(
        "c.post_id = ?1 AND (c.status = 'published' OR (c.status = 'pending' AND c.author_id = ?4)
             OR (c.status = 'hidden' AND (c.author_id = ?4 OR (SELECT author_id FROM posts WHERE id = ?1) = ?4)))
         AND c.author_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?4
                                 UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = ?4
                                 UNION ALL SELECT user_id FROM sanctions
                                     WHERE kind = 'suspend' AND lifted_at IS NULL AND ends_at > unixepoch())
         AND c.id > ?2 ORDER BY c.id LIMIT ?3",
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![post, after, limit, viewer], comment_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One comment by id, whatever its status.
pub fn comment(conn: &Connection, id: i64) -> Result<Option<Comment>> {
    let sql = comment_sql("c.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], comment_row).optional()?)
}

/// Insert a comment and count it on its post; a comment held for review
/// (`pending`, R6.2) is counted when approved.
pub fn create_comment(
    tx: &Transaction,
    post: i64,
    author: i64,
    reply_to: Option<i64>,
    body: &str,
    pending: bool,
    now: i64,
) -> Result<i64> {
    let status = if pending { "pending" } else { "published" };
    tx.prepare_cached(
        "INSERT INTO comments (post_id, author_id, reply_to, body, created_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![post, author, reply_to, body, now, status])?;
    let id = tx.last_insert_rowid();
    if !pending {
        bump(tx, post, "comment_count", 1)?;
    }
    Ok(id)
}

/// Mark a comment (published or held) deleted by its author and uncount
/// it (the evidence record is `actions::removal`'s). False if it was not live.
pub fn delete_comment(tx: &Transaction, c: &Comment, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE comments SET status = 'deleted', deleted_at = ?2 WHERE id = ?1 AND status IN ('published', 'pending')",
        )?
        .execute(params![c.id, now])?;
    if n == 0 {
        return Ok(false);
    }
    if c.status == "published" {
        bump(tx, c.post_id, "comment_count", -1)?;
    }
    Ok(true)
}

/// Accounts by lower-cased username, for @mentions: (id, username).
pub fn users_by_keys(conn: &Connection, keys: &[String]) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    let mut stmt =
        conn.prepare_cached("SELECT id, username FROM users WHERE username_key = ?1 AND status = 'active'")?;
    for k in keys {
        if let Some(found) = stmt.query_row([k], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
            out.push(found);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::seed::Bulk;

    /// A member following only a quiet account still sees its old posts when
    /// thousands of newer posts by others fill the scan window.
    #[test]
    fn pages_towards_older_and_newer_meet_without_gaps() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let bulk = Bulk::new(&conn).unwrap();
        bulk.begin().unwrap();
        bulk.user(1, "writer", "writer", "", "x", 1, 0).unwrap();
        for id in 1..=50 {
            bulk.post(id, 1, &format!("p{id}"), "public", None, id, &[]).unwrap();
        }
        bulk.commit().unwrap();
        let ids = |p: &Page| p.posts.iter().map(|p| p.id).collect::<Vec<_>>();
        let top = public(&conn, 0, Window::newest(20)).unwrap();
        assert_eq!(ids(&top), (31..=50).rev().collect::<Vec<_>>());
        assert_eq!((top.older, top.newer), (Some(31), None));
        let second = public(&conn, 0, Window::older_than(31, 20)).unwrap();
        assert_eq!(ids(&second), (11..=30).rev().collect::<Vec<_>>());
        assert_eq!((second.older, second.newer), (Some(11), Some(30)));
        // Back towards the newest: exactly the first page, and no newer link.
        let back = public(&conn, 0, Window::newer_than(30, 20)).unwrap();
        assert_eq!(ids(&back), ids(&top));
        assert_eq!((back.older, back.newer), (Some(31), None));
        // A short step up leaves a newer page.
        let up = public(&conn, 0, Window::newer_than(30, 5)).unwrap();
        assert_eq!(ids(&up), vec![35, 34, 33, 32, 31]);
        assert_eq!((up.older, up.newer), (Some(31), Some(35)));
        // since_id: the newest above it; the last page: no older link.
        assert_eq!(ids(&public(&conn, 0, Window::since(45, 20)).unwrap()), vec![50, 49, 48, 47, 46]);
        let last = public(&conn, 0, Window::older_than(11, 20)).unwrap();
        assert_eq!((last.posts.len(), last.older, last.newer), (10, None, Some(10)));
        // Posts arriving meanwhile change nothing of the older pages.
        let b = Bulk::new(&conn).unwrap();
        b.begin().unwrap();
        b.post(51, 1, "new", "public", None, 51, &[]).unwrap();
        b.commit().unwrap();
        assert_eq!(ids(&public(&conn, 0, Window::older_than(31, 20)).unwrap()), ids(&second));
        assert_eq!(public(&conn, 0, Window::newer_than(30, 20)).unwrap().newer, Some(50));
    }

    #[test]
    fn home_finds_quiet_followees_beyond_the_scan_window() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let bulk = Bulk::new(&conn).unwrap();
        bulk.begin().unwrap();
        for (id, name) in [(1, "reader"), (2, "quiet"), (3, "busy")] {
            bulk.user(id, name, name, "", "x", 1, 0).unwrap();
        }
        bulk.follow(1, 2, 0).unwrap();
        bulk.post(1, 2, "quiet one", "public", None, 1, &[]).unwrap();
        bulk.post(2, 2, "quiet two", "followers", None, 2, &[]).unwrap();
        bulk.post(3, 2, "quiet private", "self", None, 3, &[]).unwrap();
        for id in 4..(HOME_SCAN_WINDOW + 100) {
            bulk.post(id, 3, "busy", "public", None, id, &[]).unwrap();
        }
        bulk.post(HOME_SCAN_WINDOW + 100, 1, "mine", "self", None, 0, &[]).unwrap();
        bulk.commit().unwrap();
        let bodies = |max| {
            home(&conn, 1, Window::older_than(max, 20)).unwrap().posts.into_iter().map(|p| p.body).collect::<Vec<_>>()
        };
        assert_eq!(bodies(i64::MAX), vec!["mine", "quiet two", "quiet one"]);
        assert_eq!(bodies(2), vec!["quiet one"]);
        // The busy account is not followed: nothing of it shows.
        assert!(!bodies(i64::MAX).contains(&"busy".to_string()));
    }
}
