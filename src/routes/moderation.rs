//! Content governance for staff (R6.2, R6.4, R12.1, R12.2): the review
//! queue, removing and restoring posts and comments with an evidence
//! record, and bulk takedown. Screening new texts is `actions::publish`.
//!
//! Roles (R6.5): reviewers and chief editors review and remove; only the
//! chief editor reverses a removal; chief editors and admins take down in bulk.

use super::{page, posts, Ctx};
use crate::actions::removal::{self, Target};
use crate::actions::review;
use crate::db::evidence::{self, EvidenceKind};
use crate::db::{self, moderation as dbm};
use crate::domain::credit::{decider_for, Decider};
use crate::domain::keywords::{KeywordAction, KeywordMatcher, KeywordRule};
use crate::domain::moderation::{MAX_CATEGORY, MAX_STAFF_TEXT};
use crate::domain::text::{grapheme_len, tag_key};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::moderation::{self as view, ContentPage, QueueEntry, Takedown};
use rusqlite::Transaction;

// ---------------------------------------------------------------------------
// The review queue (R6.2, R6.6)
// ---------------------------------------------------------------------------

/// Items per page of the queue.
const QUEUE_PAGE: u32 = 50;

/// A staff-typed text: trimmed, at most [`MAX_STAFF_TEXT`] characters.
fn staff_text(ctx: &Ctx, name: &str, required: bool) -> Result<String> {
    let v = ctx.req.field(name).unwrap_or("").trim().to_string();
    if required && v.is_empty() {
        return Err(Error::Invalid(ctx.t(M::ErrReasonRequired).into()));
    }
    if grapheme_len(&v) > MAX_STAFF_TEXT {
        return Err(Error::Invalid(ctx.lang.f(M::ErrStaffTextLong, &[&MAX_STAFF_TEXT])));
    }
    Ok(v)
}

/// The category field of a removal.
fn category(ctx: &Ctx) -> Result<String> {
    let v = ctx.req.field("category").unwrap_or("").trim().to_string();
    if grapheme_len(&v) > MAX_CATEGORY {
        return Err(Error::Invalid(ctx.lang.f(M::ErrCategoryLong, &[&MAX_CATEGORY])));
    }
    Ok(v)
}

/// # `GET /admin/review` (`?kind=flag` for flagged content, `?after=` pages)
///
/// Held content oldest first with the rule that matched (R6.2).
pub fn queue(ctx: &mut Ctx) -> Result<Resp> {
    let flagged = ctx.req.query("kind") == Some("flag");
    let after = ctx.req.query_id("after")?.unwrap_or(0);
    let items = dbm::open_items(ctx.db, if flagged { "flag" } else { "hold" }, after, QUEUE_PAGE)?;
    let post_ids: Vec<i64> = items.iter().filter(|i| i.content_type == "post").map(|i| i.content_id).collect();
    let mut media = db::media::for_posts(ctx.db, &post_ids)?;
    let entries: Vec<QueueEntry> = items
        .into_iter()
        .map(|item| {
            let media = if item.content_type == "post" { media.remove(&item.content_id) } else { None };
            QueueEntry { item, media: media.unwrap_or_default() }
        })
        .collect();
    let next = (entries.len() == QUEUE_PAGE as usize)
        .then(|| {
            entries
                .last()
                .map(|e| format!("/admin/review?kind={}&after={}", if flagged { "flag" } else { "hold" }, e.item.id))
        })
        .flatten();
    let workload = dbm::workload(ctx.db)?;
    let done = ctx.req.query("done").and_then(|v| v.parse().ok());
    page(ctx, |c| view::queue(c, flagged, &entries, next, &workload, done))
}

/// # `POST /admin/review` (`item` one or more times, or `all` = ids separated
/// by commas; `decision` = approve | reject | dismiss | remove; `reason`)
///
/// Decides every chosen item in one transaction. Rejecting and removing
/// need a reason, which the author is told; both keep an evidence record.
pub fn decide(ctx: &mut Ctx) -> Result<Resp> {
    let decision = review::Decision::parse(ctx.req.field("decision").unwrap_or(""))
        .ok_or_else(|| Error::BadRequest("decision: approve, reject, dismiss or remove".into()))?;
    let needs_reason = matches!(decision, review::Decision::Reject | review::Decision::Remove);
    let reason = staff_text(ctx, "reason", needs_reason)?;
    let category = category(ctx)?;
    let mut ids: Vec<i64> = Vec::new();
    for (k, v) in &ctx.req.form {
        match k.as_str() {
            "item" => ids.push(crate::http::parse_id(v)?),
            "all" => {
                for part in v.split(',').filter(|p| !p.is_empty()) {
                    ids.push(crate::http::parse_id(part)?);
                }
            }
            _ => {}
        }
    }
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::Invalid(ctx.t(M::ErrNothingChosen).into()));
    }
    let env = ctx.as_staff()?;
    let (n, flagged) = ctx.write(|tx| review::decide(&env, tx, &ids, decision, &reason, &category))?;
    let kind = if flagged { "flag" } else { "hold" };
    Ok(Resp::redirect(&format!("/admin/review?kind={kind}&done={n}")))
}

// ---------------------------------------------------------------------------
// Removal and its reversal (R12.2, R6.5)
// ---------------------------------------------------------------------------

/// Remove a post or comment as staff (R12.2): evidence, queue items
/// closed, the author told and charged credit (R15.1), logged. False if it
/// was not live.
pub fn remove_as_staff(ctx: &Ctx, tx: &Transaction, target: Target, reason: &str, category: &str) -> Result<bool> {
    removal::remove(&ctx.as_staff()?, tx, target, removal::Why::Staff { reason, category })
}

/// # `GET /admin/posts/{id}` — any post whatever its status, for staff:
/// its queue items, labels and evidence, and the forms to remove, restore
/// or propose a 不实信息 label.
pub fn post_page(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let items = dbm::items_for(ctx.db, "post", id)?;
    let root = post.repost_root.unwrap_or(post.id);
    let labels = db::rumours::for_post(ctx.db, root)?;
    let filter = evidence::Filter { content: Some(("post".into(), id)), ..Default::default() };
    let records = evidence::list(ctx.db, &filter, i64::MAX, 20)?;
    let reversal = reversal_decider(ctx, &records)?;
    let reversals = db::log::for_target(ctx.db, "post.restore", &format!("post:{id}"), 20)?;
    let item = posts::items(ctx, vec![post])?.remove(0);
    let tier = db::tiers::applied(ctx.db, "post", id)?;
    let cp = ContentPage {
        items: &items,
        evidence: &records,
        done: ctx.req.query("done"),
        tier: tier.as_ref(),
        reversal: Some(&reversal),
        reversals: &reversals,
    };
    let versions = db::edits::for_post(ctx.db, id)?;
    page(ctx, |c| view::post_page(c, &item, root, &labels, &cp, &versions))
}

/// # `GET /admin/comments/{id}`
pub fn comment_page(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let comment = db::posts::comment(ctx.db, id)?.ok_or(Error::NotFound)?;
    let items = dbm::items_for(ctx.db, "comment", id)?;
    let filter = evidence::Filter { content: Some(("comment".into(), id)), ..Default::default() };
    let records = evidence::list(ctx.db, &filter, i64::MAX, 20)?;
    let tier = db::tiers::applied(ctx.db, "comment", id)?;
    let reversal = reversal_decider(ctx, &records)?;
    let reversals = db::log::for_target(ctx.db, "comment.restore", &format!("comment:{id}"), 20)?;
    let cp = ContentPage {
        items: &items,
        evidence: &records,
        done: ctx.req.query("done"),
        tier: tier.as_ref(),
        reversal: Some(&reversal),
        reversals: &reversals,
    };
    page(ctx, |c| view::comment_page(c, &comment, &cp))
}

/// # `POST /admin/posts/{id}/remove` (`reason`, `category`)
///
/// Takes effect at once everywhere (R12.2); keeps an evidence record.
pub fn remove_post(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let (reason, category) = (staff_text(ctx, "reason", true)?, category(ctx)?);
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let done = ctx.write(|tx| remove_as_staff(ctx, tx, Target::Post(&post), &reason, &category))?;
    if !done {
        return Err(Error::Invalid(ctx.t(M::ErrNotLive).into()));
    }
    Ok(Resp::redirect(&format!("/admin/posts/{id}?done=removed")))
}

/// # `POST /admin/comments/{id}/remove` (`reason`, `category`)
pub fn remove_comment(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let (reason, category) = (staff_text(ctx, "reason", true)?, category(ctx)?);
    let c = db::posts::comment(ctx.db, id)?.ok_or(Error::NotFound)?;
    let done = ctx.write(|tx| remove_as_staff(ctx, tx, Target::Comment(&c), &reason, &category))?;
    if !done {
        return Err(Error::Invalid(ctx.t(M::ErrNotLive).into()));
    }
    Ok(Resp::redirect(&format!("/admin/comments/{id}?done=removed")))
}

/// Who may reverse the removal whose evidence `records` (newest first)
/// hold (R6.5, issue 13): a chief editor other than the one who removed
/// it, or, when no other chief editor exists, that one, recorded.
fn reversal_decider(ctx: &Ctx, records: &[evidence::Evidence]) -> Result<Decider> {
    let me = ctx.user()?;
    let remover = records.iter().find(|e| e.kind == EvidenceKind::Removal.as_str()).and_then(|e| e.decider_id);
    let others: Vec<String> = db::staff::holders(ctx.db, super::CHIEF)?
        .into_iter()
        .filter(|u| Some(u.id) != remover)
        .map(|u| u.username)
        .collect();
    Ok(decider_for(me.id, &me.roles, remover, others))
}

/// Whether the viewer may reverse the removal of (`kind`, `id`) now, and
/// the log's note when no independent chief editor existed.
///
/// # Errors
/// `Invalid` (saying who must decide) when another chief editor should.
fn reversal_note(ctx: &Ctx, kind: &str, id: i64) -> Result<&'static str> {
    let filter = evidence::Filter { content: Some((kind.into(), id)), ..Default::default() };
    let records = evidence::list(ctx.db, &filter, i64::MAX, 20)?;
    match reversal_decider(ctx, &records)? {
        Decider::Independent => Ok(""),
        Decider::NoIndependentReviewer => Ok(", no independent reviewer"),
        Decider::Another(names) => {
            let names: Vec<String> = names.iter().map(|n| format!("@{n}")).collect();
            Err(Error::Invalid(ctx.lang.f(M::ReversalAnotherMust, &[&names.join("、")])))
        }
        Decider::Nobody => Err(Error::Forbidden),
    }
}

/// # `POST /admin/posts/{id}/restore` (`reason`) — chief editor only (R6.5).
///
/// The removal's evidence record stays. A chief editor other than the one
/// who removed it decides; without one, that one, and the log says so.
pub fn restore_post(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let reason = staff_text(ctx, "reason", false)?;
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let note = reversal_note(ctx, "post", id)?;
    let done = ctx.write(|tx| {
        let done = dbm::restore_post(tx, &post, ctx.now)?;
        if done {
            let outcome = format!("{}{note}", outcome_reason(&reason));
            ctx.log_outcome(tx, "post.restore", &format!("post:{id}"), &outcome)?;
        }
        Ok(done)
    })?;
    if !done {
        return Err(Error::Invalid(ctx.t(M::ErrNotRemoved).into()));
    }
    Ok(Resp::redirect(&format!("/admin/posts/{id}?done=restored")))
}

/// # `POST /admin/comments/{id}/restore` (`reason`) — chief editor only.
pub fn restore_comment(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let reason = staff_text(ctx, "reason", false)?;
    let c = db::posts::comment(ctx.db, id)?.ok_or(Error::NotFound)?;
    let note = reversal_note(ctx, "comment", id)?;
    let done = ctx.write(|tx| {
        let done = dbm::restore_comment(tx, &c, ctx.now)?;
        if done {
            let outcome = format!("{}{note}", outcome_reason(&reason));
            ctx.log_outcome(tx, "comment.restore", &format!("comment:{id}"), &outcome)?;
        }
        Ok(done)
    })?;
    if !done {
        return Err(Error::Invalid(ctx.t(M::ErrNotRemoved).into()));
    }
    Ok(Resp::redirect(&format!("/admin/comments/{id}?done=restored")))
}

/// `ok` or `ok: reason` (cut to 200 characters) for a log outcome.
fn outcome_reason(reason: &str) -> String {
    if reason.is_empty() {
        "ok".into()
    } else {
        format!("ok: {}", reason.chars().take(200).collect::<String>())
    }
}

// ---------------------------------------------------------------------------
// Bulk takedown (R6.4)
// ---------------------------------------------------------------------------

/// How many matching posts the preview lists.
const TAKEDOWN_SAMPLE: usize = 50;

/// The live posts a takedown of `keyword` or `tag` would remove, oldest first.
fn takedown_targets(ctx: &Ctx, keyword: &str, tag: &str) -> Result<Vec<i64>> {
    if !tag.is_empty() {
        return dbm::live_posts_with_tag(ctx.db, &tag_key(tag.trim_matches('#')));
    }
    let rule = KeywordRule { id: 0, pattern: keyword.into(), category: String::new(), action: KeywordAction::Block };
    let matcher = KeywordMatcher::new(vec![rule]);
    if matcher.is_empty() {
        return Ok(Vec::new());
    }
    dbm::scan_live_posts(ctx.db, |body| matcher.strongest(body).is_some())
}

/// The form fields of a takedown, as typed.
fn takedown_input(ctx: &Ctx, from_form: bool) -> Takedown {
    let get = |k: &str| {
        let v = if from_form { ctx.req.field(k) } else { ctx.req.query(k) };
        v.unwrap_or("").trim().chars().take(200).collect::<String>()
    };
    Takedown { keyword: get("keyword"), tag: get("tag"), ..Default::default() }
}

/// Fill in the count and a sample of what a takedown would remove.
fn preview(ctx: &Ctx, t: &mut Takedown) -> Result<Vec<i64>> {
    let ids = takedown_targets(ctx, &t.keyword, &t.tag)?;
    t.count = Some(ids.len());
    t.sample = ids
        .iter()
        .take(TAKEDOWN_SAMPLE)
        .filter_map(|id| db::posts::get(ctx.db, *id).transpose())
        .collect::<Result<Vec<_>>>()?;
    Ok(ids)
}

/// # `GET /admin/takedown` (`keyword` or `tag` to preview; `done`)
///
/// Shows how many posts match, and some of them, before anything is removed.
pub fn takedown_form(ctx: &mut Ctx) -> Result<Resp> {
    let mut t = takedown_input(ctx, false);
    if !t.keyword.is_empty() || !t.tag.is_empty() {
        preview(ctx, &mut t)?;
    }
    t.done = ctx.req.query("done").and_then(|v| v.parse().ok());
    page(ctx, |c| view::takedown(c, &t))
}

/// # `POST /admin/takedown` (`keyword` or `tag`, `expected` count, `reason`, `category`)
///
/// Removes every live post matching, with one shared reason, each with its
/// evidence record, in one transaction. When the count moved since the
/// preview, nothing is removed and the new count is shown to confirm again.
pub fn takedown(ctx: &mut Ctx) -> Result<Resp> {
    let mut t = takedown_input(ctx, true);
    if t.keyword.is_empty() == t.tag.is_empty() {
        return Err(Error::Invalid(ctx.t(M::ErrTakedownWhat).into()));
    }
    let (reason, category) = (staff_text(ctx, "reason", true)?, category(ctx)?);
    t.reason = reason.clone();
    t.category = category.clone();
    let expected: usize =
        ctx.req.field("expected").unwrap_or("").parse().map_err(|_| Error::BadRequest("expected".into()))?;
    let ids = preview(ctx, &mut t)?;
    if ids.len() != expected {
        t.changed = true;
        return Ok(page(ctx, |c| view::takedown(c, &t))?.status(409));
    }
    let what = if t.tag.is_empty() {
        format!("keyword:{}", t.keyword)
    } else {
        format!("tag:{}", tag_key(t.tag.trim_matches('#')))
    };
    let env = ctx.as_staff()?;
    let n = ctx.write(|tx| removal::take_down(&env, tx, &ids, &what, &reason, &category))?;
    Ok(Resp::redirect(&format!("/admin/takedown?done={n}")))
}
