//! The client API's OAuth rows (issue 19): registered apps, one-time
//! authorization codes, bearer tokens and read markers. Codes, tokens and
//! client secrets are stored as SHA-256 only (like sessions), so a copy of
//! the database signs no app in. A bearer token is looked up, with its
//! account, in one indexed query ([`lookup`]).

use super::sessions::SessionUser;
use crate::crypto::sha256;
use crate::domain::identity::Status;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// A registered app (`POST /api/v1/apps`).
#[derive(Debug, Clone)]
pub struct App {
    pub id: i64,
    pub client_id: String,
    /// SHA-256 of the client secret.
    pub secret_hash: Vec<u8>,
    pub name: String,
    pub website: String,
    /// The redirect URIs it registered, in order.
    pub redirect_uris: Vec<String>,
    /// The scopes it registered (the most any of its tokens may get).
    pub scopes: Vec<String>,
}

/// A new app's fields.
pub struct NewApp<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub name: &'a str,
    pub website: &'a str,
    pub redirect_uris: &'a [String],
    pub scopes: &'a [String],
}

/// Register an app at `now`; returns its row id.
pub fn create_app(tx: &Transaction, app: &NewApp, now: i64) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO oauth_apps (client_id, secret_hash, name, website, redirect_uris, scopes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        app.client_id,
        &sha256(app.client_secret.as_bytes())[..],
        app.name,
        app.website,
        app.redirect_uris.join("\n"),
        app.scopes.join(" "),
        now
    ])?;
    Ok(tx.last_insert_rowid())
}

fn app_row(r: &rusqlite::Row) -> rusqlite::Result<App> {
    Ok(App {
        id: r.get(0)?,
        client_id: r.get(1)?,
        secret_hash: r.get(2)?,
        name: r.get(3)?,
        website: r.get(4)?,
        redirect_uris: r.get::<_, String>(5)?.lines().map(str::to_string).collect(),
        scopes: r.get::<_, String>(6)?.split(' ').filter(|s| !s.is_empty()).map(str::to_string).collect(),
    })
}

/// The app with `client_id`, if registered.
pub fn app_by_client_id(conn: &Connection, client_id: &str) -> Result<Option<App>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, client_id, secret_hash, name, website, redirect_uris, scopes FROM oauth_apps WHERE client_id = ?1",
        )?
        .query_row([client_id], app_row)
        .optional()?)
}

/// Does `secret` match `app`'s client secret?
pub fn secret_matches(app: &App, secret: &str) -> bool {
    crate::crypto::constant_time_eq(&sha256(secret.as_bytes()), &app.secret_hash)
}

/// A one-time authorization code, as [`take_code`] returns it.
#[derive(Debug, Clone)]
pub struct Code {
    pub app_id: i64,
    pub user_id: i64,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// The PKCE S256 challenge sent with the authorization request.
    pub challenge: Option<String>,
}

/// Store authorization code `code` (kept hashed) until `expires_at`.
pub fn create_code(tx: &Transaction, code: &str, c: &Code, expires_at: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO oauth_codes (code_hash, app_id, user_id, redirect_uri, scopes, challenge, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        &sha256(code.as_bytes())[..],
        c.app_id,
        c.user_id,
        c.redirect_uri,
        c.scopes.join(" "),
        c.challenge,
        expires_at
    ])?;
    Ok(())
}

/// Use up code `code`: it is deleted whatever happens next (a code works
/// once); returns it if it existed and had not expired at `now`.
pub fn take_code(tx: &Transaction, code: &str, now: i64) -> Result<Option<Code>> {
    let hash = sha256(code.as_bytes());
    let found = tx
        .prepare_cached(
            "DELETE FROM oauth_codes WHERE code_hash = ?1
             RETURNING app_id, user_id, redirect_uri, scopes, challenge, expires_at",
        )?
        .query_row([&hash[..]], |r| {
            Ok((
                Code {
                    app_id: r.get(0)?,
                    user_id: r.get(1)?,
                    redirect_uri: r.get(2)?,
                    scopes: r.get::<_, String>(3)?.split(' ').map(str::to_string).collect(),
                    challenge: r.get(4)?,
                },
                r.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    Ok(found.and_then(|(c, expires)| (expires > now).then_some(c)))
}

/// Store bearer token `token` (kept hashed) of app `app_id`, for
/// `user_id` (`None`: the app's own, client_credentials).
pub fn create_token(
    tx: &Transaction,
    token: &str,
    app_id: i64,
    user_id: Option<i64>,
    scopes: &[String],
    now: i64,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO oauth_tokens (token_hash, app_id, user_id, scopes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![&sha256(token.as_bytes())[..], app_id, user_id, scopes.join(" "), now])?;
    Ok(())
}

/// What a bearer token stands for.
#[derive(Debug, Clone)]
pub struct Grant {
    pub app_id: i64,
    /// The app's name: the client the activity log names (R16.1).
    pub app_name: String,
    pub scopes: Vec<String>,
    /// The member it acts for (`None` for an app's own token). `roles` is
    /// empty: no staff work is done through the API; `csrf_token` is empty
    /// (a token request carries no cookie to forge).
    pub user: Option<SessionUser>,
    /// When the token was issued (UTC seconds).
    pub created_at: i64,
}

/// [`lookup`]'s one statement: every table reached by its primary key
/// (or, for identities, its `user_id` key).
const LOOKUP: &str = "SELECT t.app_id, a.name, t.scopes, t.created_at, t.user_id, u.username, u.display_name,
        u.agreement_version, i.status, i.next_check_at, u.status,
        EXISTS (SELECT 1 FROM totp_secrets s WHERE s.user_id = u.id AND s.enabled_at IS NOT NULL)
 FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id
      LEFT JOIN users u ON u.id = t.user_id LEFT JOIN identities i ON i.user_id = u.id
 WHERE t.token_hash = ?1";

/// The grant of bearer token `token` at `now`, in one indexed query (the
/// token's primary key, then the account's and app's): `None` when
/// unknown, revoked, or its account is no longer active.
pub fn lookup(conn: &Connection, token: &str, now: i64) -> Result<Option<Grant>> {
    let hash = sha256(token.as_bytes());
    let row = conn
        .prepare_cached(LOOKUP)?
        .query_row([&hash[..]], |r| {
            let user = match r.get::<_, Option<i64>>(4)? {
                Some(id) => {
                    if r.get::<_, Option<String>>(10)?.as_deref() != Some("active") {
                        return Ok(None);
                    }
                    Some(SessionUser {
                        id,
                        username: r.get(5)?,
                        display_name: r.get(6)?,
                        roles: Vec::new(),
                        agreement_version: r.get(7)?,
                        csrf_token: String::new(),
                        token_hash: hash,
                        identity: Status::effective(r.get::<_, Option<String>>(8)?.as_deref(), r.get(9)?, now),
                        last_seen_at: now,
                        second_factor_pending: false,
                        second_factor_on: r.get(11)?,
                    })
                }
                None => None,
            };
            Ok(Some(Grant {
                app_id: r.get(0)?,
                app_name: r.get(1)?,
                scopes: r.get::<_, String>(2)?.split(' ').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                created_at: r.get(3)?,
                user,
            }))
        })
        .optional()?;
    Ok(row.flatten())
}

/// Revoke token `token` if app `app_id` holds it; true when one was.
pub fn revoke(tx: &Transaction, token: &str, app_id: i64) -> Result<bool> {
    let n = tx
        .prepare_cached("DELETE FROM oauth_tokens WHERE token_hash = ?1 AND app_id = ?2")?
        .execute(params![&sha256(token.as_bytes())[..], app_id])?;
    Ok(n > 0)
}

/// An app a member has authorised, as `/settings/apps` lists it.
#[derive(Debug, Clone)]
pub struct Authorised {
    pub app_id: i64,
    pub name: String,
    pub website: String,
    /// Every scope its live tokens hold, without repeats.
    pub scopes: Vec<String>,
    /// First authorised (UTC seconds).
    pub since: i64,
    /// Live tokens.
    pub tokens: i64,
}

/// The apps `user` has live tokens for, most recent first.
pub fn authorised(conn: &Connection, user: i64) -> Result<Vec<Authorised>> {
    let mut st = conn.prepare_cached(
        "SELECT a.id, a.name, a.website, group_concat(t.scopes, ' '), min(t.created_at), count(*)
         FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id
         WHERE t.user_id = ?1 GROUP BY a.id ORDER BY max(t.created_at) DESC",
    )?;
    let rows = st.query_map([user], |r| {
        let mut scopes: Vec<String> = Vec::new();
        for s in r.get::<_, String>(3)?.split(' ').filter(|s| !s.is_empty()) {
            if !scopes.iter().any(|x| x == s) {
                scopes.push(s.to_string());
            }
        }
        Ok(Authorised {
            app_id: r.get(0)?,
            name: r.get(1)?,
            website: r.get(2)?,
            scopes,
            since: r.get(4)?,
            tokens: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Revoke every token and pending code of app `app_id` for `user`; returns
/// the tokens revoked.
pub fn revoke_app(tx: &Transaction, user: i64, app_id: i64) -> Result<usize> {
    tx.prepare_cached("DELETE FROM oauth_codes WHERE user_id = ?1 AND app_id = ?2")?.execute(params![user, app_id])?;
    Ok(tx
        .prepare_cached("DELETE FROM oauth_tokens WHERE user_id = ?1 AND app_id = ?2")?
        .execute(params![user, app_id])?)
}

/// A read marker (`/api/v1/markers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// `home` or `notifications`.
    pub timeline: String,
    pub last_read_id: i64,
    /// Bumped on every save.
    pub version: i64,
    /// UTC seconds.
    pub updated_at: i64,
}

/// `user`'s markers of `timelines`.
pub fn markers(conn: &Connection, user: i64, timelines: &[&str]) -> Result<Vec<Marker>> {
    let mut out = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT timeline, last_read_id, version, updated_at FROM api_markers WHERE user_id = ?1 AND timeline = ?2",
    )?;
    for t in timelines {
        if let Some(m) = st
            .query_row(params![user, t], |r| {
                Ok(Marker { timeline: r.get(0)?, last_read_id: r.get(1)?, version: r.get(2)?, updated_at: r.get(3)? })
            })
            .optional()?
        {
            out.push(m);
        }
    }
    Ok(out)
}

/// Save `user`'s marker of `timeline` at `last_read_id`.
pub fn set_marker(tx: &Transaction, user: i64, timeline: &str, last_read_id: i64, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO api_markers (user_id, timeline, last_read_id, version, updated_at) VALUES (?1, ?2, ?3, 1, ?4)
         ON CONFLICT (user_id, timeline) DO UPDATE SET last_read_id = ?3, version = version + 1, updated_at = ?4",
    )?
    .execute(params![user, timeline, last_read_id, now])?;
    Ok(())
}

/// An image or video an app uploaded (`POST /api/v2/media`), stored and
/// waiting for the post that names it (or attached to it: `post_id`).
#[derive(Debug, Clone)]
pub struct ApiMedia {
    /// As pages show media (`post_id` is the post it went to, if any).
    pub attachment: super::media::Attachment,
    pub owner: i64,
    pub thumb_mime: Option<String>,
}

const API_MEDIA_COLS: &str =
    "id, post_id, kind, mime, size, width, height, frames, alt, sha256, thumb_sha256, owner_id, thumb_mime";

fn api_media_row(r: &rusqlite::Row) -> rusqlite::Result<ApiMedia> {
    Ok(ApiMedia {
        attachment: super::media::Attachment {
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
        },
        owner: r.get(11)?,
        thumb_mime: r.get(12)?,
    })
}

/// Record an upload of `a.owner` (its file already in the media store);
/// returns its id.
pub fn insert_media(tx: &Transaction, a: &super::media::NewAttachment) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO api_media (owner_id, kind, mime, size, width, height, frames, alt, sha256, thumb_sha256,
                                thumb_mime, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        a.owner,
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

/// Upload `id` of `owner`, attached or not.
pub fn media(conn: &Connection, owner: i64, id: i64) -> Result<Option<ApiMedia>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {API_MEDIA_COLS} FROM api_media WHERE id = ?1 AND owner_id = ?2"))?
        .query_row(params![id, owner], api_media_row)
        .optional()?)
}

/// Set the description of `owner`'s upload `id` while it is not attached;
/// false when there is no such upload.
pub fn describe_media(tx: &Transaction, owner: i64, id: i64, alt: &str) -> Result<bool> {
    let n = tx
        .prepare_cached("UPDATE api_media SET alt = ?3 WHERE id = ?1 AND owner_id = ?2 AND post_id IS NULL")?
        .execute(params![id, owner, alt])?;
    Ok(n == 1)
}

/// Mark upload `id` as attached to `post`.
pub fn media_used(tx: &Transaction, id: i64, post: i64) -> Result<()> {
    tx.prepare_cached("UPDATE api_media SET post_id = ?2 WHERE id = ?1")?.execute(params![id, post])?;
    Ok(())
}

/// Forget uploads never posted that are older than `before` (UTC
/// seconds); their files go with the next `plaza media gc`. Returns how many.
pub fn purge_unposted_media(tx: &Transaction, before: i64) -> Result<usize> {
    Ok(tx.prepare_cached("DELETE FROM api_media WHERE post_id IS NULL AND created_at < ?1")?.execute([before])?)
}

/// Bits of a list cursor that hold the account id (issue 19): a follow or
/// like row has no row id of its own (its key is the pair of accounts, or
/// account and post), so its cursor in `max_id`/`since_id`/`min_id` and
/// the `Link` header is `created_at << 28 | account id`: one integer that
/// orders as the list does (newest first, then the higher account id).
/// Holds for account ids below 2^28 (268 million) and times before the
/// year 3000.
pub const CURSOR_ACCOUNT_BITS: u32 = 28;

/// The cursor of a follow or like row made at `at` (UTC seconds) by (or
/// for) account `account`; see [`CURSOR_ACCOUNT_BITS`].
pub fn row_cursor(at: i64, account: i64) -> i64 {
    (at << CURSOR_ACCOUNT_BITS) | (account & ((1 << CURSOR_ACCOUNT_BITS) - 1))
}

/// A cursor split back into (time, account id), for row-value comparison.
fn split_cursor(c: i64) -> (i64, i64) {
    (c >> CURSOR_ACCOUNT_BITS, c & ((1 << CURSOR_ACCOUNT_BITS) - 1))
}

/// One page of accounts, newest first, each with its row's cursor.
pub type PeoplePage = Vec<(super::users::User, i64)>;

/// Run a people query whose ?1 is the list's subject, ?2/?3 the upper and
/// ?4/?5 the lower bound of the row-value key (with `plain_ids`, ?2 and ?4
/// alone, the cursors themselves), ?6 the limit and ?7 `extra` (with
/// `plain_ids` only); its last column is the cursor's time (or, with
/// `plain_ids`, the cursor itself).
fn people_page(
    conn: &Connection,
    sql: &str,
    subject: i64,
    extra: i64,
    w: &super::posts::Window,
    plain_ids: bool,
) -> Result<PeoplePage> {
    let (b1, b2) = if plain_ids { (w.before, 0) } else { split_cursor(w.before) };
    let (a1, a2) = if plain_ids { (w.after, 0) } else { split_cursor(w.after) };
    let mut st = conn.prepare_cached(sql)?;
    let mut args = vec![subject, b1, b2, a1, a2, i64::from(w.limit)];
    if plain_ids {
        args.push(extra);
    }
    let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
        let u = super::users::user_at(r, 0)?;
        let key: i64 = r.get(super::users::USER_COL_COUNT)?;
        let cursor = if plain_ids { key } else { row_cursor(key, u.id) };
        Ok((u, cursor))
    })?;
    let mut out: PeoplePage = rows.collect::<rusqlite::Result<_>>()?;
    if w.oldest_first {
        out.reverse();
    }
    Ok(out)
}

/// One page (`w`, bounds as [`row_cursor`]s) of the active followers of
/// `account` (`followers`) or of the accounts it follows, newest follow
/// first, each with its follow row's cursor (`/api/v1/accounts/:id/followers`,
/// `.../following`, R2.1).
///
/// # Errors
/// A database error.
pub fn follows_page(conn: &Connection, account: i64, followers: bool, w: &super::posts::Window) -> Result<PeoplePage> {
    let (other, this) = if followers { ("follower_id", "followee_id") } else { ("followee_id", "follower_id") };
    let ord = w.order();
    let sql = format!(
        "SELECT {}, f.created_at FROM follows f JOIN users u ON u.id = f.{other}
         WHERE f.{this} = ?1 AND u.status = 'active'
           AND (f.created_at, f.{other}) < (?2, ?3) AND (f.created_at, f.{other}) > (?4, ?5)
         ORDER BY f.created_at {ord}, f.{other} {ord} LIMIT ?6",
        super::users::USER_COLS
    );
    people_page(conn, &sql, account, 0, w, false)
}

/// One page (`w`, bounds as [`row_cursor`]s) of the active accounts not
/// suspended now (as the page's liker list, issue 18) that liked post `post`, newest like first, each with its like row's cursor
/// (`favourited_by`, through `likes_post_at`); the caller drops those
/// across a block.
///
/// # Errors
/// A database error.
pub fn likers_page(conn: &Connection, post: i64, w: &super::posts::Window) -> Result<PeoplePage> {
    let ord = w.order();
    let sql = format!(
        "SELECT {}, l.created_at FROM likes l JOIN users u ON u.id = l.user_id
         WHERE l.post_id = ?1 AND u.status = 'active' AND u.id NOT IN ({})
           AND (l.created_at, l.user_id) < (?2, ?3) AND (l.created_at, l.user_id) > (?4, ?5)
         ORDER BY l.created_at {ord}, l.user_id {ord} LIMIT ?6",
        super::users::USER_COLS,
        super::sanctions::SUSPENDED_IDS
    );
    people_page(conn, &sql, post, 0, w, false)
}

/// One page (`w`, bounds as post ids) of the active accounts not
/// suspended now whose published repost of `post` has no words (boosts: `reblogged_by`),
/// newest first, each with its boost's id as the cursor (as Mastodon
/// does); `root` is the original of `post`'s chain (`post` itself for an
/// original), so the chain's index (`posts_repost_root`) serves it.
///
/// # Errors
/// A database error.
pub fn boosters_page(conn: &Connection, post: i64, root: i64, w: &super::posts::Window) -> Result<PeoplePage> {
    let sql = format!(
        "SELECT {}, p.id FROM posts p JOIN users u ON u.id = p.author_id
         WHERE p.repost_root = ?7 AND p.repost_of = ?1 AND p.status = 'published' AND trim(p.body) = ''
           AND u.status = 'active' AND u.id NOT IN ({}) AND p.id < ?2 AND p.id > ?4
         ORDER BY p.id {} LIMIT ?6",
        super::users::USER_COLS,
        super::sanctions::SUSPENDED_IDS,
        w.order()
    );
    people_page(conn, &sql, post, root, w, true)
}

/// Revoke every client API token and pending code of `user` (a new
/// password: whoever knew the old one may have authorised an app).
/// Returns the tokens revoked.
pub fn revoke_all(tx: &Transaction, user: i64) -> Result<usize> {
    tx.prepare_cached("DELETE FROM oauth_codes WHERE user_id = ?1")?.execute([user])?;
    Ok(tx.prepare_cached("DELETE FROM oauth_tokens WHERE user_id = ?1")?.execute([user])?)
}

/// The app with row id `id`.
pub fn app_by_id(conn: &Connection, id: i64) -> Result<Option<App>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, client_id, secret_hash, name, website, redirect_uris, scopes FROM oauth_apps WHERE id = ?1",
        )?
        .query_row([id], app_row)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19: a bearer token costs one statement whose every step is a
    /// key lookup (no table scan), whatever the tables hold.
    #[test]
    fn token_lookup_is_one_indexed_query() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {LOOKUP}")).unwrap();
        let plan: Vec<String> =
            st.query_map([&[0u8; 32][..]], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect();
        assert!(plan.iter().all(|step| !step.starts_with("SCAN")), "{plan:#?}");
        assert!(plan.iter().any(|step| step.contains("oauth_tokens") || step.starts_with("SEARCH t ")), "{plan:#?}");
        assert!(conn.prepare(LOOKUP).is_ok());
        assert_eq!(lookup(&conn, "nope", 0).unwrap().map(|g| g.app_id), None);
    }
}
