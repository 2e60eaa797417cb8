//! Attachment rows (R2.2): images and video of posts, avatars, and the
//! references that keep media files alive (`media_refs`).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use std::collections::{HashMap, HashSet};

/// An image or video as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub post_id: Option<i64>,
    /// `image` or `video`.
    pub kind: String,
    pub mime: String,
    pub size: i64,
    /// Upright pixels; `None` for video.
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// More than 1: animated.
    pub frames: i64,
    pub alt: String,
    /// The file's name: `/media/{sha256}`.
    pub sha256: String,
    /// The thumbnail's name, if the image has one of its own.
    pub thumb_sha256: Option<String>,
}

impl Attachment {
    /// Is it a video?
    pub fn is_video(&self) -> bool {
        self.kind == "video"
    }
}

const COLS: &str = "id, post_id, kind, mime, size, width, height, frames, alt, sha256, thumb_sha256";

fn row(r: &Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        post_id: r.get(1)?,
        kind: r.get(2)?,
        mime: r.get(3)?,
        size: r.get(4)?,
        width: r.get(5)?,
        height: r.get(6)?,
        frames: r.get(7)?,
        alt: r.get(8)?,
        sha256: r.get(9)?,
        thumb_sha256: r.get(10)?,
    })
}

/// A new attachment's fields.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub owner: i64,
    /// The post, or `None` for an avatar.
    pub post: Option<i64>,
    /// Order within the post, from 0.
    pub position: i64,
    pub kind: &'a str,
    pub mime: &'a str,
    pub size: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub frames: u32,
    pub alt: &'a str,
    pub sha256: &'a str,
    pub thumb_sha256: Option<&'a str>,
    pub thumb_mime: Option<&'a str>,
    pub now: i64,
}

/// Insert an attachment row.
pub fn insert(tx: &Transaction, a: &NewAttachment) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO attachments (owner_id, post_id, purpose, position, kind, mime, size, width, height, frames, alt,
                                  sha256, thumb_sha256, thumb_mime, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        a.owner,
        a.post,
        if a.post.is_some() { "post" } else { "avatar" },
        a.position,
        a.kind,
        a.mime,
        a.size as i64,
        a.width,
        a.height,
        a.frames,
        a.alt,
        a.sha256,
        a.thumb_sha256,
        a.thumb_mime,
        a.now
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The attachments of each of `posts`, in order, by post id (one query).
pub fn for_posts(conn: &Connection, posts: &[i64]) -> Result<HashMap<i64, Vec<Attachment>>> {
    let mut out: HashMap<i64, Vec<Attachment>> = HashMap::new();
    if posts.is_empty() {
        return Ok(out);
    }
    let ids = serde_json::to_string(posts).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "SELECT {COLS} FROM attachments WHERE post_id IN (SELECT value FROM json_each(?1)) ORDER BY post_id, position"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    for a in stmt.query_map([ids], row)? {
        let a = a?;
        out.entry(a.post_id.unwrap_or(0)).or_default().push(a);
    }
    Ok(out)
}

/// Who may need file `sha256` (as the file or the thumbnail of a row): one
/// entry per row, `Some(post)` for a post's media and `None` for an avatar
/// (public), with the type the file is served as.
pub fn references(conn: &Connection, sha256: &str) -> Result<Vec<(Option<i64>, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT post_id, mime FROM attachments WHERE sha256 = ?1
         UNION ALL SELECT post_id, thumb_mime FROM attachments WHERE thumb_sha256 = ?1",
    )?;
    let rows = stmt.query_map([sha256], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The thumbnail of image `sha256`: its name and type (the image itself
/// when it has no thumbnail of its own); `None` for no such image.
pub fn thumb_of(conn: &Connection, sha256: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(thumb_sha256, sha256), coalesce(thumb_mime, mime) FROM attachments
             WHERE sha256 = ?1 AND kind = 'image' LIMIT 1",
        )?
        .query_row([sha256], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Delete a post's attachment rows (its author deleted it); returns how many.
/// The files stay while another row names them.
pub fn delete_for_post(tx: &Transaction, post: i64) -> Result<usize> {
    Ok(tx.prepare_cached("DELETE FROM attachments WHERE post_id = ?1")?.execute([post])?)
}

/// Make attachment `avatar` the avatar of `user`, deleting the rows of
/// earlier avatars (their files go when nothing else names them).
pub fn set_avatar(tx: &Transaction, user: i64, avatar: i64) -> Result<()> {
    tx.prepare_cached("UPDATE users SET avatar_id = ?2 WHERE id = ?1")?.execute(params![user, avatar])?;
    tx.prepare_cached("DELETE FROM attachments WHERE owner_id = ?1 AND purpose = 'avatar' AND id != ?2")?
        .execute(params![user, avatar])?;
    Ok(())
}

/// Does any row still need file `sha256`?
pub fn is_referenced(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM media_refs WHERE sha256 = ?1)")?
        .query_row([sha256], |r| r.get(0))?)
}

/// Every file name some row needs.
pub fn all_refs(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT sha256 FROM media_refs")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
