//! Bulk inserts for `plaza seed` (synthetic data for demos and benchmarks),
//! and the two reads it needs. Statements are prepared once; the caller
//! batches them in large transactions on a connection with `synchronous = OFF`.

use crate::error::Result;
use rusqlite::{params, Connection};

/// The highest account id so far (0 for none): seeded ids follow it.
///
/// # Errors
/// A database error.
pub fn max_user_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM users", [], |r| r.get(0))?)
}

/// The display name of account `id` (a seeded member's legal name).
///
/// # Errors
/// A database error; `QueryReturnedNoRows` for no such account.
pub fn display_name(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.query_row("SELECT display_name FROM users WHERE id = ?1", [id], |r| r.get(0))?)
}

/// Prepared bulk inserts on one connection.
pub struct Bulk<'c> {
    conn: &'c Connection,
}

impl<'c> Bulk<'c> {
    /// Use `conn` for bulk loading: durability is traded for speed (the
    /// seed can be run again), and the last step checkpoints the WAL.
    pub fn new(conn: &'c Connection) -> Result<Bulk<'c>> {
        conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;")?;
        Ok(Bulk { conn })
    }

    /// Start a batch.
    pub fn begin(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    /// Commit a batch.
    pub fn commit(&self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    /// How many posts exist already (the seed refuses to mix with real data).
    pub fn existing_posts(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM posts", [], |r| r.get(0))?)
    }

    /// Insert an account with an explicit id.
    #[allow(clippy::too_many_arguments)]
    pub fn user(
        &self,
        id: i64,
        username: &str,
        display: &str,
        bio: &str,
        hash: &str,
        version: i64,
        at: i64,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO users (id, username, username_key, password_hash, display_name, bio,
                                    agreement_version, agreement_accepted_at, created_at)
                 VALUES (?1, ?2, lower(?2), ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![id, username, hash, display, bio, version, at])?;
        Ok(())
    }

    /// Insert a follow.
    pub fn follow(&self, follower: i64, followee: i64, at: i64) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![follower, followee, at])?;
        Ok(())
    }

    /// Insert a post with an explicit id, and its tags.
    #[allow(clippy::too_many_arguments)]
    pub fn post(
        &self,
        id: i64,
        author: i64,
        body: &str,
        vis: &str,
        repost: Option<i64>,
        at: i64,
        tags: &[String],
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO posts (id, author_id, body, visibility, repost_of, repost_root, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
            )?
            .execute(params![id, author, body, vis, repost, at])?;
        crate::db::search::index_now(self.conn, id, body)?;
        for t in tags {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO post_tags (tag, post_id) VALUES (?1, ?2)")?
                .execute(params![t, id])?;
        }
        Ok(())
    }

    /// Insert a comment.
    pub fn comment(&self, post: i64, author: i64, body: &str, at: i64) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO comments (post_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![post, author, body, at])?;
        Ok(())
    }

    /// Insert a like; false if it existed.
    pub fn like(&self, user: i64, post: i64, at: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO likes (user_id, post_id, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![user, post, at])?
            == 1)
    }

    /// Set a post's counters.
    pub fn counts(&self, post: i64, comments: u32, reposts: u32, likes: u32) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE posts SET comment_count = ?2, repost_count = ?3, like_count = ?4 WHERE id = ?1")?
            .execute(params![post, comments, reposts, likes])?;
        Ok(())
    }

    /// Start a session for a sampled account (for load tools).
    pub fn session(&self, user: i64, token: &str, csrf: &str, now: i64) -> Result<()> {
        let hash = crate::crypto::sha256(token.as_bytes());
        self.conn
            .prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
            )?
            .execute(params![&hash[..], user, csrf, now, now + 30 * 86_400])?;
        Ok(())
    }

    /// Register the load tool's client API app (issue 19); returns its id.
    /// Its secret is random and thrown away: the tokens are written here.
    pub fn api_app(&self, now: i64) -> Result<i64> {
        let secret = crate::crypto::random_token();
        self.conn
            .prepare_cached(
                "INSERT INTO oauth_apps (client_id, secret_hash, name, website, redirect_uris, scopes, created_at)
                 VALUES (?1, ?2, 'plaza seed (load tool)', '', 'urn:ietf:wg:oauth:2.0:oob', 'read write follow', ?3)",
            )?
            .execute(params![
                &crate::crypto::random_token()[..43],
                &crate::crypto::sha256(secret.as_bytes())[..],
                now
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A client API bearer token of `app` for `user` (stored hashed, like
    /// a real one), with scopes `read write follow`.
    pub fn api_token(&self, app: i64, user: i64, token: &str, now: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO oauth_tokens (token_hash, app_id, user_id, scopes, created_at)
                 VALUES (?1, ?2, ?3, 'read write follow', ?4)",
            )?
            .execute(params![&crate::crypto::sha256(token.as_bytes())[..], app, user, now])?;
        Ok(())
    }

    /// Refresh the planner's statistics and fold the WAL into the database.
    pub fn finish(&self) -> Result<()> {
        self.conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }
}
