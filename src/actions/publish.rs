//! Publishing (R2.2, R2.3, R6.2, R6.4, R9.1, R12.1, R12.2, R16.1): one call
//! per content kind, [`post`], [`comment`], [`repost`] and [`profile`]
//! text. Each takes the tier gate's decision (R9.1), screens its texts against the
//! keyword rules and emergency switches (R12.1, R6.4), keeps an evidence
//! record of a blocked text (R12.2), stores the content (as `pending` in
//! the review queue when a rule holds it, R6.2), tells whoever it concerns,
//! queues flagged content for staff and logs it (R16.1), all in the
//! caller's transaction, and says what became of it in an [`Outcome`].
//!
//! The caller runs [`tier_gate`] before opening the write transaction: it
//! only reads (the author's rule, score, followers, today's count), and
//! the write lock is then held for the writes alone, which is what bounds
//! posting throughput. A daily quota may therefore let two posts of one
//! author that arrive at the same instant both through.
//!
//! The identity gate (R7.1, R7.3) is the routing table's `Verified`
//! column: only a member with a verified identity reaches these calls from
//! a page. Checks of the form itself (length, visibility, the post being
//! live, comment modes) stay with the caller.

use super::{credit, Env};
use crate::app::Governance;
use crate::db::evidence::{self, EvidenceKind, EvidenceMedia, NewEvidence};
use crate::db::notifications::Kind;
use crate::db::posts::{Comment, Post};
use crate::db::{self, moderation as dbm};
use crate::domain::account::Visibility;
use crate::domain::credit::Level;
use crate::domain::keywords::KeywordRule;
use crate::domain::moderation::{decide as decide_fate, ContentKind, Decision, HoldCause};
use crate::domain::text;
use crate::domain::tiers::{self, Facts, TierRule};
use crate::error::{Error, Result};
use crate::i18n::M;
use crate::media::{Format, MediaInfo, Staged, Store};
use rusqlite::{Connection, Transaction};

/// What screening decided for a new text, with the deciding rule copied
/// out of the cached matcher.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Refuse: publishing or reposting is stopped (R6.4). The message says which.
    Stopped(M),
    /// Refuse with a neutral message and keep evidence (R12.1 `block`).
    Block(KeywordRule),
    /// Store as pending, in the review queue (R6.2).
    Hold(HoldCause, Option<KeywordRule>),
    /// Publish and list for staff (R12.1 `flag`).
    Flag(KeywordRule),
    /// Publish.
    Publish,
}

impl Verdict {
    /// Is the content stored as pending?
    pub fn holds(&self) -> bool {
        matches!(self, Verdict::Hold(..))
    }

    /// The activity-log outcome of publishing under this verdict.
    pub fn log_outcome(&self) -> String {
        match self {
            Verdict::Hold(cause, _) => format!("held for review: {}", cause.as_str()),
            Verdict::Flag(rule) => format!("flagged: rule {}", rule.id),
            _ => "ok".into(),
        }
    }

    /// What became of content stored as `id` under this verdict.
    fn outcome(self, id: i64) -> Outcome {
        match self {
            Verdict::Hold(cause, rule) => Outcome::Held(id, cause, rule),
            Verdict::Flag(rule) => Outcome::Flagged(id, rule),
            _ => Outcome::Published(id),
        }
    }
}

/// Why new content was not stored.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// A tier rule (R9.1) does not allow it: the rule's id, the author's
    /// credit level (R15.1) and the capability refused.
    Tier { rule: i64, level: Level, why: tiers::Refusal },
    /// Emergency mode (R6.4) stops publishing or reposting; the message says which.
    Stopped(M),
    /// A `block` keyword rule matched (R12.1); the evidence record (R12.2) keeps the text.
    Blocked { rule: KeywordRule, evidence: i64 },
}

/// What became of new content.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Stored and visible: the new post's or comment's id (the member's id
    /// for a profile).
    Published(i64),
    /// Stored, visible, and listed for staff under a `flag` rule (R12.1).
    Flagged(i64, KeywordRule),
    /// Stored as pending in the review queue (R6.2): why, and the keyword
    /// rule if one held it.
    Held(i64, HoldCause, Option<KeywordRule>),
    /// Not stored.
    Refused(Refusal),
}

/// What the tier gate decided for allowed content (R9.1).
#[derive(Debug, Clone, Default)]
pub struct Gate {
    /// The rule that applied (recorded on the content).
    pub rule: Option<TierRule>,
    /// The rule requires pre-review (R9.1): held as `pending`.
    pub pre_review: bool,
}

/// A new post (R2.2): up to 9 images or one video, each staged file with
/// its description (alt text).
pub struct NewPost<'a> {
    pub body: &'a str,
    pub visibility: Visibility,
    /// The tier content kind: `text`, `image` or `video` (`domain::tiers::KINDS`).
    pub kind: &'a str,
    pub files: Vec<(Staged, String)>,
    /// Media a client app uploaded before (`POST /api/v2/media`, issue
    /// 19): already checked and stored; attached after `files`, their
    /// descriptions screened with the text.
    pub uploaded: Vec<db::oauth::ApiMedia>,
}

/// Publish a post by `author` (R2.2).
///
/// # Errors
/// A database or file-store error; refusals are an [`Outcome::Refused`].
pub fn post(env: &Env, tx: &Transaction, gov: &Governance, author: i64, gate: Gate, new: NewPost) -> Result<Outcome> {
    let mut texts: Vec<&str> = vec![new.body];
    texts.extend(new.files.iter().map(|(_, alt)| alt.as_str()));
    texts.extend(new.uploaded.iter().map(|m| m.attachment.alt.as_str()));
    let verdict = match screen_or_stop(gov, ContentKind::Post, &texts, &gate) {
        Ok(verdict) => verdict,
        Err(refused) => return Ok(refused),
    };
    let store = Store::new(&env.config.data_dir);
    if let Verdict::Block(rule) = verdict {
        // R12.1, R12.2: refused; the text and its files are kept as evidence.
        let full = texts.join("\n");
        let mut kept = Vec::new();
        for (file, _) in new.files {
            let info = store.commit(file)?;
            kept.push(EvidenceMedia { sha256: info.sha256.clone(), mime: info.format.mime().into() });
        }
        for m in &new.uploaded {
            kept.push(EvidenceMedia { sha256: m.attachment.sha256.clone(), mime: m.attachment.mime.clone() });
        }
        return blocked(env, tx, author, ContentKind::Post, &full, kept, rule, "post.create");
    }
    let tags = text::hashtags(new.body);
    let (now, pending) = (env.now, verdict.holds());
    let row = db::posts::NewPost {
        author,
        body: new.body,
        visibility: new.visibility,
        repost: None,
        tags: &tags,
        pending,
        now,
    };
    let id = db::posts::create(tx, &row)?;
    let first = new.files.len();
    for (i, (file, alt)) in new.files.into_iter().enumerate() {
        let info = store.commit(file)?;
        db::media::insert(tx, &attachment(&info, author, Some(id), i as i64, &alt, now))?;
    }
    for (i, m) in new.uploaded.iter().enumerate() {
        let a = &m.attachment;
        let row = db::media::NewAttachment {
            owner: author,
            post: Some(id),
            position: (first + i) as i64,
            kind: &a.kind,
            mime: &a.mime,
            size: u64::try_from(a.size).unwrap_or(0),
            width: a.width.and_then(|w| u32::try_from(w).ok()),
            height: a.height.and_then(|h| u32::try_from(h).ok()),
            frames: u32::try_from(a.frames).unwrap_or(1),
            alt: &a.alt,
            sha256: &a.sha256,
            thumb_sha256: a.thumb_sha256.as_deref(),
            thumb_mime: m.thumb_mime.as_deref(),
            now,
        };
        db::media::insert(tx, &row)?;
        db::oauth::media_used(tx, a.id, id)?;
    }
    if !pending {
        notify_mentions(tx, new.body, author, id, None, now)?;
    }
    record(env, tx, verdict, &gate, ("post", id), author, "post.create", &format!("post:{id}"))
}

/// Edit the text of `post` by its author (issue 18): the new text passes
/// the same screening as a new post (tier gate in `gate`, keyword rules,
/// emergency switches: R9.1, R12.1, R6.4), so a harmless post cannot be
/// edited into prohibited content; a `block` keeps evidence and changes
/// nothing; a hold puts the post back to `pending` for review (R6.2). The
/// earlier text is kept (R12.2, `db::edits`). The caller checked the
/// author, the status and the edit window.
///
/// # Errors
/// A database error; refusals are an [`Outcome::Refused`].
pub fn edit(
    env: &Env,
    tx: &Transaction,
    gov: &Governance,
    post: &Post,
    gate: Gate,
    body: &str,
    alts: &[String],
) -> Result<Outcome> {
    let author = post.author.id;
    // Issue 18: the media descriptions are screened with the text.
    let mut texts = vec![body];
    texts.extend(alts.iter().map(String::as_str));
    let verdict = match screen_or_stop(gov, ContentKind::Post, &texts, &gate) {
        Ok(verdict) => verdict,
        Err(refused) => return Ok(refused),
    };
    if let Verdict::Block(rule) = verdict {
        // R12.2: the refused descriptions are part of the refused text.
        let refused = std::iter::once(body).chain(alts.iter().map(String::as_str).filter(|a| !a.is_empty()));
        let text = refused.collect::<Vec<_>>().join("\n");
        return blocked(env, tx, author, ContentKind::Post, &text, Vec::new(), rule, "post.edit");
    }
    let tags = text::hashtags(body);
    let old_alts: Vec<String> =
        db::media::for_posts(tx, &[post.id])?.remove(&post.id).unwrap_or_default().into_iter().map(|a| a.alt).collect();
    let old = db::edits::Version { body: &post.body, alts: &old_alts };
    let new = db::edits::Version { body, alts };
    db::edits::apply(tx, post.id, old, new, &tags, verdict.holds(), author, env.now)?;
    record(env, tx, verdict, &gate, ("post", post.id), author, "post.edit", &format!("post:{}", post.id))
}

/// A new comment (R2.3) under a live post the author may comment on, in
/// answer to one of its published comments or not.
pub struct NewComment<'a> {
    pub post: i64,
    pub reply_to: Option<i64>,
    pub body: &'a str,
}

/// Publish a comment by `author` (R2.3).
///
/// # Errors
/// A database error; refusals are an [`Outcome::Refused`].
pub fn comment(
    env: &Env,
    tx: &Transaction,
    gov: &Governance,
    author: i64,
    gate: Gate,
    new: NewComment,
) -> Result<Outcome> {
    let verdict = match screen_or_stop(gov, ContentKind::Comment, &[new.body], &gate) {
        Ok(verdict) => verdict,
        Err(refused) => return Ok(refused),
    };
    if let Verdict::Block(rule) = verdict {
        return blocked(env, tx, author, ContentKind::Comment, new.body, Vec::new(), rule, "comment.create");
    }
    let (now, pending) = (env.now, verdict.holds());
    let id = db::posts::create_comment(tx, new.post, author, new.reply_to, new.body, pending, now)?;
    if !pending {
        let c = db::posts::comment(tx, id)?.ok_or(Error::NotFound)?;
        announce_comment(tx, &c, now)?;
    }
    record(env, tx, verdict, &gate, ("comment", id), author, "comment.create", &format!("comment:{id}"))
}

/// A new repost (R2.3) of a live public post: the post shared and the
/// original of its chain, with an optional comment.
pub struct NewRepost<'a> {
    pub of: i64,
    pub root: i64,
    pub body: &'a str,
}

/// Publish a repost by `author` (R2.3); reposting must be switched on
/// (R13.1), which the caller checks.
///
/// # Errors
/// A database error; refusals are an [`Outcome::Refused`].
pub fn repost(
    env: &Env,
    tx: &Transaction,
    gov: &Governance,
    author: i64,
    gate: Gate,
    new: NewRepost,
) -> Result<Outcome> {
    let verdict = match screen_or_stop(gov, ContentKind::Repost, &[new.body], &gate) {
        Ok(verdict) => verdict,
        Err(refused) => return Ok(refused),
    };
    if let Verdict::Block(rule) = verdict {
        return blocked(env, tx, author, ContentKind::Repost, new.body, Vec::new(), rule, "post.repost");
    }
    let tags = text::hashtags(new.body);
    let (now, pending) = (env.now, verdict.holds());
    let row = db::posts::NewPost {
        author,
        body: new.body,
        visibility: Visibility::Public,
        repost: Some((new.of, new.root)),
        tags: &tags,
        pending,
        now,
    };
    let id = db::posts::create(tx, &row)?;
    if !pending {
        let p = db::posts::get(tx, id)?.ok_or(Error::NotFound)?;
        announce_post(tx, &p, now)?;
    }
    record(env, tx, verdict, &gate, ("post", id), author, "post.repost", &format!("post:{id} of post:{}", new.of))
}

/// Change `member`'s display name and bio (R12.1: screened like posts):
/// a held change waits in the review queue and is applied when approved.
///
/// # Errors
/// A database error; a block is an [`Outcome::Refused`].
pub fn profile(
    env: &Env,
    tx: &Transaction,
    gov: &Governance,
    member: i64,
    display_name: &str,
    bio: &str,
) -> Result<Outcome> {
    let verdict = screen(gov, ContentKind::Profile, &[display_name, bio], false);
    if let Verdict::Block(rule) = verdict {
        let body = format!("{display_name}\n{bio}");
        return blocked(env, tx, member, ContentKind::Profile, &body, Vec::new(), rule, "user.profile_update");
    }
    if verdict.holds() {
        let proposed = serde_json::json!({ "display_name": display_name, "bio": bio }).to_string();
        enqueue(env, tx, &verdict, "profile", member, member, Some(proposed))?;
    } else {
        db::users::update_profile(tx, member, display_name, bio)?;
        enqueue(env, tx, &verdict, "profile", member, member, None)?;
    }
    env.log(tx, "user.profile_update", &format!("user:{member}"), &verdict.log_outcome())?;
    Ok(verdict.outcome(member))
}

/// Screening of `texts` (R12.1, R6.4) under the tier `gate` (R9.1): the
/// verdict, or the outcome when the emergency switches refuse the content.
/// A keyword block is left to the caller, which keeps its own evidence.
fn screen_or_stop(
    gov: &Governance,
    kind: ContentKind,
    texts: &[&str],
    gate: &Gate,
) -> std::result::Result<Verdict, Outcome> {
    match screen(gov, kind, texts, gate.pre_review) {
        Verdict::Stopped(m) => Err(Outcome::Refused(Refusal::Stopped(m))),
        verdict => Ok(verdict),
    }
}

/// What follows a new post or comment row `(kind, id)`: the review queue
/// when the verdict asks for it (R12.1), the tier rule that applied
/// (R9.1), and the log entry (R16.1), all in the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn record(
    env: &Env,
    tx: &Transaction,
    verdict: Verdict,
    gate: &Gate,
    (kind, id): (&str, i64),
    author: i64,
    action: &str,
    target: &str,
) -> Result<Outcome> {
    enqueue(env, tx, &verdict, kind, id, author, None)?;
    if let Some(r) = &gate.rule {
        db::tiers::set_applied(tx, kind, id, r.id)?;
    }
    env.log(tx, action, target, &verdict.log_outcome())?;
    Ok(verdict.outcome(id))
}

/// Screen the texts of one new post, comment, repost or profile: each text
/// is matched on its own (so words of two fields never join into a
/// keyword), the most severe rule wins, then the emergency switches and the
/// tier decide ([`crate::domain::moderation::decide`]); `tier_prereview`
/// holds the content for review (R9.1).
pub fn screen(gov: &Governance, kind: ContentKind, texts: &[&str], tier_prereview: bool) -> Verdict {
    let strongest = texts
        .iter()
        .filter_map(|t| gov.matcher.strongest(t))
        .min_by(|a, b| b.action.cmp(&a.action).then(a.id.cmp(&b.id)));
    match decide_fate(kind, strongest, &gov.emergency, tier_prereview) {
        Decision::Stopped if kind == ContentKind::Repost && !gov.emergency.stop_publishing => {
            Verdict::Stopped(M::ErrRepostsStopped)
        }
        Decision::Stopped => Verdict::Stopped(M::ErrPublishingStopped),
        Decision::Block(r) => Verdict::Block(r.clone()),
        Decision::Hold { cause, rule } => Verdict::Hold(cause, rule.cloned()),
        Decision::Flag(r) => Verdict::Flag(r.clone()),
        Decision::Publish => Verdict::Publish,
    }
}

/// The tier gate (R9.1): the first rule matching `author` (subject type,
/// followers, credit level, emergency mode) and the content `kind` (one of
/// [`tiers::KINDS`]), and whether its capabilities allow this.
///
/// # Returns
/// `Ok(Err(refusal))` naming the rule when a capability is refused.
///
/// # Errors
/// A database error.
pub fn tier_gate(
    env: &Env,
    conn: &Connection,
    gov: &Governance,
    author: i64,
    kind: &str,
) -> Result<std::result::Result<Gate, Refusal>> {
    let rules = db::tiers::rules(conn)?;
    if rules.is_empty() {
        return Ok(Ok(Gate::default()));
    }
    let user = db::users::by_id(conn, author)?.ok_or(Error::NotFound)?;
    let (_, level) = credit::score(env.config, conn, author)?;
    let e = &gov.emergency;
    let emergency = e.hold_all || e.stop_reposts || e.stop_publishing || !e.banner.is_empty();
    // Counted only when a rule that could apply asks (a popular author's
    // followers are thousands of index entries to count, issue 11; the
    // default rule on followers is for reposts in an emergency).
    let followers_asked = rules.iter().any(|r| {
        (r.min_followers > 0 || r.max_followers.is_some())
            && (r.content_kind.is_empty() || r.content_kind == kind)
            && (!r.in_emergency || emergency)
    });
    let facts = Facts {
        subject_type: &user.subject_type,
        followers: if followers_asked { db::tiers::followers(conn, author)? } else { 0 },
        level,
        kind,
        emergency,
        days_since_muted: if rules.iter().any(|r| r.muted_within_days.is_some()) {
            db::sanctions::last_mute_end(conn, author)?.map(|end| (env.now - end).max(0) / 86_400)
        } else {
            None
        },
    };
    let Some(rule) = tiers::first_match(&rules, &facts).cloned() else { return Ok(Ok(Gate::default())) };
    let sent = match rule.daily_quota {
        Some(_) => db::tiers::sent_since(conn, author, kind, env.now - 86_400)?,
        None => 0,
    };
    if let Err(why) = tiers::check(&rule, kind, sent) {
        return Ok(Err(Refusal::Tier { rule: rule.id, level, why }));
    }
    Ok(Ok(Gate { pre_review: rule.pre_review, rule: Some(rule) }))
}

/// Keep the evidence of a blocked text (R12.1, R12.2): the text, the files
/// that came with it, the sender and the rule; log the refusal as `action`
/// with outcome `blocked`.
#[allow(clippy::too_many_arguments)]
fn blocked(
    env: &Env,
    tx: &Transaction,
    author: i64,
    kind: ContentKind,
    body: &str,
    media: Vec<EvidenceMedia>,
    rule: KeywordRule,
    action: &str,
) -> Result<Outcome> {
    let id = evidence::record(
        tx,
        &NewEvidence {
            kind: EvidenceKind::Block,
            content_type: kind.as_str(),
            content_id: None,
            content_created_at: None,
            parent: String::new(),
            author_id: author,
            body,
            media,
            source: (env.source.ip.clone(), env.source.port),
            rule: Some((rule.id, rule.pattern.clone())),
            decider: None,
            category: &rule.category,
            reason: "",
            now: env.now,
        },
    )?;
    env.log(tx, action, &format!("evidence:{id}"), &format!("blocked: rule {}", rule.id))?;
    Ok(Outcome::Refused(Refusal::Blocked { rule, evidence: id }))
}

/// Put held or flagged content in the review queue (R6.2, R12.1); nothing
/// for other verdicts.
fn enqueue(
    env: &Env,
    tx: &Transaction,
    verdict: &Verdict,
    content_type: &str,
    content_id: i64,
    author: i64,
    proposed: Option<String>,
) -> Result<()> {
    let (hold, cause, rule) = match verdict {
        Verdict::Hold(cause, rule) => (true, *cause, rule.as_ref()),
        Verdict::Flag(rule) => (false, HoldCause::Keyword, Some(rule)),
        _ => return Ok(()),
    };
    let item = dbm::NewItem { content_type, content_id, author, hold, cause, rule, proposed, now: env.now };
    dbm::add_item(tx, &item)?;
    Ok(())
}

/// Tell whoever a newly published post concerns (R2.3): for a repost the
/// authors of the post it shares and of the original, and everyone it
/// mentions. Runs at publish time, or when a held post is approved.
///
/// # Errors
/// A database error.
pub fn announce_post(tx: &Transaction, p: &Post, now: i64) -> Result<()> {
    let me = p.author.id;
    if let (Some(of), Some(root)) = (p.repost_of, p.repost_root) {
        let target = db::posts::get(tx, of)?.map(|t| t.author.id);
        if let Some(t) = target {
            db::notifications::notify(tx, t, Kind::Repost, me, Some(p.id), None, now)?;
        }
        if let Some(r) = db::posts::get(tx, root)?.map(|r| r.author.id).filter(|r| Some(*r) != target) {
            db::notifications::notify(tx, r, Kind::Repost, me, Some(p.id), None, now)?;
        }
    }
    notify_mentions(tx, &p.body, me, p.id, None, now)
}

/// Tell whoever a newly published comment concerns: the author of the
/// comment it answers, the post's author, and everyone it mentions.
///
/// # Errors
/// A database error; `NotFound` if the post is gone.
pub fn announce_comment(tx: &Transaction, c: &Comment, now: i64) -> Result<()> {
    let me = c.author.id;
    let post_author = db::posts::get(tx, c.post_id)?.map(|p| p.author.id).ok_or(Error::NotFound)?;
    let replied = match c.reply_to {
        Some((rid, _)) => db::posts::comment(tx, rid)?.map(|r| r.author.id),
        None => None,
    };
    if let Some(r) = replied {
        db::notifications::notify(tx, r, Kind::Reply, me, Some(c.post_id), Some(c.id), now)?;
    }
    if replied != Some(post_author) {
        db::notifications::notify(tx, post_author, Kind::Comment, me, Some(c.post_id), Some(c.id), now)?;
    }
    notify_mentions(tx, &c.body, me, c.post_id, Some(c.id), now)
}

/// Notify every existing account mentioned in `body` that may see `post`:
/// a mention in a followers-only or self-only post must not carry its text
/// to anyone else (R2.1).
fn notify_mentions(tx: &Transaction, body: &str, actor: i64, post: i64, comment: Option<i64>, now: i64) -> Result<()> {
    let Some(p) = db::posts::get(tx, post)? else { return Ok(()) };
    for (id, _) in db::posts::users_by_keys(tx, &text::mentions(body))? {
        if db::posts::visible_to(tx, &p, Some(id))? {
            db::notifications::notify(tx, id, Kind::Mention, actor, Some(post), comment, now)?;
        }
    }
    Ok(())
}

/// The `media` row of a committed file: its owner, the post it belongs to
/// (none for an avatar), its position there and its description.
pub fn attachment<'a>(
    info: &'a MediaInfo,
    owner: i64,
    post: Option<i64>,
    position: i64,
    alt: &'a str,
    now: i64,
) -> db::media::NewAttachment<'a> {
    db::media::NewAttachment {
        owner,
        post,
        position,
        kind: info.format.kind().as_str(),
        mime: info.format.mime(),
        size: info.size,
        width: info.width,
        height: info.height,
        frames: info.frames,
        alt,
        sha256: &info.sha256,
        thumb_sha256: info.thumb.as_ref().map(|t| t.0.as_str()),
        thumb_mime: info.thumb.as_ref().map(|t| Format::mime(t.1)),
        now,
    }
}
