//! Evidence records (R12.2, R12.3): what removed, rejected, refused or
//! author-deleted content was, who wrote it from where, who or which rule
//! decided and why. Rows never change (database triggers) and their media
//! files stay alive through `media_refs`.
//!
//! Each record's `sha256` is the SHA-256 of its canonical JSON
//! ([`Evidence::canonical_json`]: every field but `sha256`, keys sorted,
//! no whitespace), fixed when it is written; an export carries it so the
//! recipient can check every record.

use crate::db::media::Attachment;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Value};

/// Why a record was written (`evidence.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    /// Staff removed published (or pending) content.
    Removal,
    /// A reviewer rejected held content.
    Rejection,
    /// A `block` keyword rule refused the text at publish time.
    Block,
    /// The author deleted their own content (or closed the account).
    AuthorDelete,
    /// Staff muted (禁言) or suspended (封禁) the account (issue 18): the
    /// profile as it was, the decider and the reason.
    Sanction,
}

impl EvidenceKind {
    /// Every kind, in the order filters list them.
    pub const ALL: [EvidenceKind; 5] = [
        EvidenceKind::Removal,
        EvidenceKind::Rejection,
        EvidenceKind::Block,
        EvidenceKind::AuthorDelete,
        EvidenceKind::Sanction,
    ];

    /// The name stored in `evidence.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Removal => "removal",
            EvidenceKind::Rejection => "rejection",
            EvidenceKind::Block => "block",
            EvidenceKind::AuthorDelete => "author_delete",
            EvidenceKind::Sanction => "sanction",
        }
    }

    /// Parse a stored or typed name.
    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One media file of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceMedia {
    /// Lower-case hex: the file's name in the media store.
    pub sha256: String,
    pub mime: String,
}

/// One evidence record as stored.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub id: i64,
    /// UTC unix seconds.
    pub recorded_at: i64,
    /// `removal`, `rejection`, `block` or `author_delete`.
    pub kind: String,
    /// `post`, `repost`, `comment` or `profile`.
    pub content_type: String,
    /// The post, comment or account; `None` for a refused text (never stored).
    pub content_id: Option<i64>,
    pub content_created_at: Option<i64>,
    /// `post:12`: a comment's post or a repost's original; empty otherwise.
    pub parent: String,
    pub author_id: i64,
    pub author_username: String,
    /// The original text.
    pub body: String,
    /// The address the content was sent from (`""`/0 when unknown).
    pub source_ip: String,
    pub source_port: i64,
    /// The keyword rule that decided, if one did.
    pub rule_id: Option<i64>,
    pub rule_pattern: Option<String>,
    /// The member of staff (or the author) who decided; `None` for a rule.
    pub decider_id: Option<i64>,
    pub decider_username: Option<String>,
    pub category: String,
    pub reason: String,
    pub media: Vec<EvidenceMedia>,
    /// SHA-256 of [`Evidence::canonical_json`], hex.
    pub sha256: String,
}

impl Evidence {
    /// The record as JSON, with every field (`sha256` included).
    pub fn to_json(&self) -> Value {
        let mut v = self.content_json();
        v["sha256"] = json!(self.sha256);
        v
    }

    fn content_json(&self) -> Value {
        json!({
            "id": self.id,
            "recorded_at": self.recorded_at,
            "recorded_at_utc": crate::domain::dates::rfc3339(self.recorded_at),
            "kind": self.kind,
            "content_type": self.content_type,
            "content_id": self.content_id,
            "content_created_at": self.content_created_at,
            "parent": self.parent,
            "author_id": self.author_id,
            "author_username": self.author_username,
            "body": self.body,
            "source_ip": self.source_ip,
            "source_port": self.source_port,
            "rule_id": self.rule_id,
            "rule_pattern": self.rule_pattern,
            "decider_id": self.decider_id,
            "decider_username": self.decider_username,
            "category": self.category,
            "reason": self.reason,
            "media": self.media.iter().map(|m| json!({"sha256": m.sha256, "mime": m.mime})).collect::<Vec<_>>(),
        })
    }

    /// The text the record's hash is taken over: its JSON without
    /// `sha256`, object keys sorted, no whitespace (what `jq -cS
    /// 'del(.sha256)'` prints for a record of the export).
    pub fn canonical_json(&self) -> String {
        canonical(&self.content_json())
    }

    /// SHA-256 of [`Evidence::canonical_json`], lower-case hex.
    pub fn compute_sha256(&self) -> String {
        hex::encode(crate::crypto::sha256(self.canonical_json().as_bytes()))
    }
}

/// `v` as compact JSON with every object's keys sorted, whatever map type
/// serde_json was built with.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k]))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// A new record's fields.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub kind: EvidenceKind,
    /// `post`, `repost`, `comment` or `profile`.
    pub content_type: &'a str,
    pub content_id: Option<i64>,
    pub content_created_at: Option<i64>,
    pub parent: String,
    pub author_id: i64,
    pub body: &'a str,
    pub media: Vec<EvidenceMedia>,
    /// Where the content came from: IP and port.
    pub source: (String, u16),
    /// The deciding rule: id and pattern.
    pub rule: Option<(i64, String)>,
    pub decider: Option<i64>,
    pub category: &'a str,
    pub reason: &'a str,
    pub now: i64,
}

fn username(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT username FROM users WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// Write a record; returns its id. Runs inside the transaction of the
/// change it is evidence of.
pub fn record(tx: &Transaction, e: &NewEvidence) -> Result<i64> {
    // Under BEGIN IMMEDIATE nobody else writes: the next id is ours, and
    // goes into the hash.
    let id: i64 = tx.prepare_cached("SELECT coalesce(max(id), 0) + 1 FROM evidence")?.query_row([], |r| r.get(0))?;
    let mut ev = Evidence {
        id,
        recorded_at: e.now,
        kind: e.kind.as_str().into(),
        content_type: e.content_type.into(),
        content_id: e.content_id,
        content_created_at: e.content_created_at,
        parent: e.parent.clone(),
        author_id: e.author_id,
        author_username: username(tx, e.author_id)?,
        body: e.body.into(),
        source_ip: e.source.0.clone(),
        source_port: i64::from(e.source.1),
        rule_id: e.rule.as_ref().map(|r| r.0),
        rule_pattern: e.rule.as_ref().map(|r| r.1.clone()),
        decider_id: e.decider,
        decider_username: match e.decider {
            Some(d) => Some(username(tx, d)?),
            None => None,
        },
        category: e.category.into(),
        reason: e.reason.into(),
        media: e.media.clone(),
        sha256: String::new(),
    };
    ev.sha256 = ev.compute_sha256();
    tx.prepare_cached(
        "INSERT INTO evidence (id, recorded_at, kind, content_type, content_id, content_created_at, parent, author_id,
                               author_username, body, source_ip, source_port, rule_id, rule_pattern, decider_id,
                               decider_username, category, reason, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        ev.id,
        ev.recorded_at,
        ev.kind,
        ev.content_type,
        ev.content_id,
        ev.content_created_at,
        ev.parent,
        ev.author_id,
        ev.author_username,
        ev.body,
        ev.source_ip,
        ev.source_port,
        ev.rule_id,
        ev.rule_pattern,
        ev.decider_id,
        ev.decider_username,
        ev.category,
        ev.reason,
        ev.sha256
    ])?;
    for (i, m) in ev.media.iter().enumerate() {
        tx.prepare_cached("INSERT INTO evidence_media (evidence_id, position, sha256, mime) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, i as i64, m.sha256, m.mime])?;
    }
    Ok(id)
}

/// Where a stored post or comment was sent from: the source of the
/// activity-log entry that created it (written in the same transaction, at
/// the same second). `("", 0)` when there is none (seeded data, a pruned log).
fn source_of(conn: &Connection, at: i64, author: i64, actions: &[&str], target: &str) -> Result<(String, u16)> {
    let found = conn
        .prepare_cached(
            "SELECT ip, port FROM activity_log
             WHERE at = ?1 AND account_id = ?2 AND action IN (SELECT value FROM json_each(?3))
               AND (target = ?4 OR target LIKE ?4 || ' %')
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![at, author, serde_json::to_string(actions).unwrap_or_default(), target], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u16>(1)?))
        })
        .optional()?;
    Ok(found.unwrap_or_default())
}

/// How a stored post or comment came to be evidence: kind, decider, rule,
/// category and reason.
#[derive(Debug, Clone)]
pub struct Why<'a> {
    pub kind: EvidenceKind,
    pub decider: Option<i64>,
    pub rule: Option<(i64, String)>,
    pub category: &'a str,
    pub reason: &'a str,
    pub now: i64,
}

impl Why<'static> {
    /// The author deleted their own content.
    pub fn author_delete(author: i64, now: i64) -> Why<'static> {
        Why { kind: EvidenceKind::AuthorDelete, decider: Some(author), rule: None, category: "", reason: "", now }
    }
}

fn media_of(attachments: &[Attachment]) -> Vec<EvidenceMedia> {
    attachments.iter().map(|a| EvidenceMedia { sha256: a.sha256.clone(), mime: a.mime.clone() }).collect()
}

/// Record post `id` as it is now (text, media, author, source); `None` if
/// there is no such post. Call before its attachment rows go.
pub fn record_post(tx: &Transaction, id: i64, why: &Why) -> Result<Option<i64>> {
    let Some(p) = crate::db::posts::get(tx, id)? else { return Ok(None) };
    let media = crate::db::media::for_posts(tx, &[id])?.remove(&id).unwrap_or_default();
    let source = source_of(tx, p.created_at, p.author.id, &["post.create", "post.repost"], &format!("post:{id}"))?;
    let e = NewEvidence {
        kind: why.kind,
        content_type: if p.repost_of.is_some() { "repost" } else { "post" },
        content_id: Some(id),
        content_created_at: Some(p.created_at),
        parent: p.repost_root.map(|r| format!("post:{r}")).unwrap_or_default(),
        author_id: p.author.id,
        body: &p.body,
        media: media_of(&media),
        source,
        rule: why.rule.clone(),
        decider: why.decider,
        category: why.category,
        reason: why.reason,
        now: why.now,
    };
    Ok(Some(record(tx, &e)?))
}

/// Record comment `id` as it is now; `None` if there is no such comment.
pub fn record_comment(tx: &Transaction, id: i64, why: &Why) -> Result<Option<i64>> {
    let Some(c) = crate::db::posts::comment(tx, id)? else { return Ok(None) };
    let source = source_of(tx, c.created_at, c.author.id, &["comment.create"], &format!("comment:{id}"))?;
    let e = NewEvidence {
        kind: why.kind,
        content_type: "comment",
        content_id: Some(id),
        content_created_at: Some(c.created_at),
        parent: format!("post:{}", c.post_id),
        author_id: c.author.id,
        body: &c.body,
        media: Vec::new(),
        source,
        rule: why.rule.clone(),
        decider: why.decider,
        category: why.category,
        reason: why.reason,
        now: why.now,
    };
    Ok(Some(record(tx, &e)?))
}

/// Record sanction `sanction` on `user` (issue 18, R12.2): the profile as
/// it is now (display name and bio as the body, the avatar as media), the
/// decider, the kind (`mute` | `suspend`) as the category and the reason;
/// `parent` names the sanction (`sanction:4`).
///
/// # Errors
/// A database error.
pub fn record_sanction(
    tx: &Transaction,
    user: &crate::db::users::User,
    sanction: i64,
    kind: &str,
    decider: Option<i64>,
    reason: &str,
    now: i64,
) -> Result<i64> {
    let media: Vec<EvidenceMedia> = match &user.avatar {
        Some(sha) => crate::db::evidence::avatar_mime(tx, sha)?
            .map(|mime| vec![EvidenceMedia { sha256: sha.clone(), mime }])
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let body = format!("{}\n{}", user.display_name, user.bio);
    let e = NewEvidence {
        kind: EvidenceKind::Sanction,
        content_type: "profile",
        content_id: Some(user.id),
        content_created_at: Some(user.created_at),
        parent: format!("sanction:{sanction}"),
        author_id: user.id,
        body: body.trim(),
        media,
        source: (String::new(), 0),
        rule: None,
        decider,
        category: kind,
        reason,
        now,
    };
    record(tx, &e)
}

/// The type of a stored attachment file, by hash (an avatar's).
fn avatar_mime(conn: &Connection, sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT mime FROM attachments WHERE sha256 = ?1 LIMIT 1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}

const COLS: &str = "id, recorded_at, kind, content_type, content_id, content_created_at, parent, author_id,
    author_username, body, source_ip, source_port, rule_id, rule_pattern, decider_id, decider_username, category,
    reason, sha256";

fn row(r: &Row) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        id: r.get(0)?,
        recorded_at: r.get(1)?,
        kind: r.get(2)?,
        content_type: r.get(3)?,
        content_id: r.get(4)?,
        content_created_at: r.get(5)?,
        parent: r.get(6)?,
        author_id: r.get(7)?,
        author_username: r.get(8)?,
        body: r.get(9)?,
        source_ip: r.get(10)?,
        source_port: r.get(11)?,
        rule_id: r.get(12)?,
        rule_pattern: r.get(13)?,
        decider_id: r.get(14)?,
        decider_username: r.get(15)?,
        category: r.get(16)?,
        reason: r.get(17)?,
        sha256: r.get(18)?,
        media: Vec::new(),
    })
}

fn with_media(conn: &Connection, mut e: Evidence) -> Result<Evidence> {
    let mut stmt =
        conn.prepare_cached("SELECT sha256, mime FROM evidence_media WHERE evidence_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([e.id], |r| Ok(EvidenceMedia { sha256: r.get(0)?, mime: r.get(1)? }))?;
    e.media = rows.collect::<std::result::Result<_, _>>()?;
    Ok(e)
}

/// What `/admin/evidence` filters by.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<EvidenceKind>,
    pub author_id: Option<i64>,
    /// Inclusive start, UTC unix seconds.
    pub from: Option<i64>,
    /// Exclusive end.
    pub to: Option<i64>,
    /// Only records about this content: (`post`/`repost`/`comment`/`profile`, id).
    pub content: Option<(String, i64)>,
}

/// Records matching `f` with ids below `before`, newest first.
pub fn list(conn: &Connection, f: &Filter, before: i64, limit: u32) -> Result<Vec<Evidence>> {
    let sql = format!(
        "SELECT {COLS} FROM evidence
         WHERE id < ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR author_id = ?3)
           AND (?4 IS NULL OR recorded_at >= ?4) AND (?5 IS NULL OR recorded_at < ?5)
           AND (?6 IS NULL OR (content_id = ?7 AND (content_type = ?6 OR (?6 = 'post' AND content_type = 'repost'))))
         ORDER BY id DESC LIMIT ?8"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let (ctype, cid) = f.content.clone().unzip();
    let rows =
        stmt.query_map(params![before, f.kind.map(|k| k.as_str()), f.author_id, f.from, f.to, ctype, cid, limit], row)?;
    let list: Vec<Evidence> = rows.collect::<std::result::Result<_, _>>()?;
    list.into_iter().map(|e| with_media(conn, e)).collect()
}

/// One record by id, with its media.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Evidence>> {
    let sql = format!("SELECT {COLS} FROM evidence WHERE id = ?1");
    match conn.prepare_cached(&sql)?.query_row([id], row).optional()? {
        Some(e) => Ok(Some(with_media(conn, e)?)),
        None => Ok(None),
    }
}

/// Call `f` with every record recorded in `[from, to)`, oldest first.
pub fn for_each(conn: &Connection, from: i64, to: i64, mut f: impl FnMut(Evidence) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLS} FROM evidence WHERE recorded_at >= ?1 AND recorded_at < ?2 ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![from, to], row)?;
    for e in rows {
        f(with_media(conn, e?)?)?;
    }
    Ok(())
}

/// How many records were recorded in `[from, to)`.
pub fn count(conn: &Connection, from: i64, to: i64) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM evidence WHERE recorded_at >= ?1 AND recorded_at < ?2")?
        .query_row(params![from, to], |r| r.get(0))?)
}

/// The type of file `sha256` as some evidence record holds it, for staff.
pub fn media_mime(conn: &Connection, sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT mime FROM evidence_media WHERE sha256 = ?1 LIMIT 1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}

/// Delete the records of authors' own deletions recorded before `cutoff`
/// (their retention is over, R12.2); returns how many. Records of staff
/// and rule decisions are kept. The database refuses anything younger than
/// 180 days.
pub fn prune_author_deletions(tx: &Transaction, cutoff: i64) -> Result<usize> {
    tx.prepare_cached(
        "DELETE FROM evidence_media WHERE evidence_id IN
            (SELECT id FROM evidence WHERE kind = 'author_delete' AND recorded_at < ?1)",
    )?
    .execute([cutoff])?;
    Ok(tx
        .prepare_cached("DELETE FROM evidence WHERE kind = 'author_delete' AND recorded_at < ?1")?
        .execute([cutoff])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_escapes() {
        let v = json!({"b": [1, {"z": null, "a": "x\"y"}], "a": "中文\n"});
        assert_eq!(canonical(&v), r#"{"a":"中文\n","b":[1,{"a":"x\"y","z":null}]}"#);
    }

    #[test]
    fn records_hash_their_content_and_refuse_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let bulk = crate::db::seed::Bulk::new(&conn).unwrap();
        bulk.begin().unwrap();
        bulk.user(1, "alice", "Alice", "", "x", 1, 0).unwrap();
        bulk.commit().unwrap();
        let id = crate::db::write(&conn, |tx| {
            record(
                tx,
                &NewEvidence {
                    kind: EvidenceKind::Block,
                    content_type: "post",
                    content_id: None,
                    content_created_at: None,
                    parent: String::new(),
                    author_id: 1,
                    body: "赌博",
                    media: vec![EvidenceMedia { sha256: "ab".repeat(32), mime: "image/png".into() }],
                    source: ("192.0.2.1".into(), 4711),
                    rule: Some((3, "赌博".into())),
                    decider: None,
                    category: "gambling",
                    reason: "",
                    now: 1_800_000_000,
                },
            )
        })
        .unwrap();
        let e = get(&conn, id).unwrap().unwrap();
        assert_eq!(e.author_username, "alice");
        assert_eq!(e.media.len(), 1);
        assert_eq!(e.sha256, e.compute_sha256());
        assert!(e.canonical_json().starts_with(r#"{"author_id":1,"author_username":"alice","body":"赌博""#));
        assert!(conn.execute("UPDATE evidence SET body = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM evidence", []).is_err());
        assert!(conn.execute("DELETE FROM evidence_media", []).is_err());
        let refs = crate::db::media::all_refs(&conn).unwrap();
        assert!(refs.contains(&"ab".repeat(32)), "media_refs keeps evidence files");
    }
}
