//! Removal (R12.2, R6.3, R6.5, R10.3, R15.1, R7.6): one [`remove`] for a
//! post or comment taken down by staff, a comment removed by the author of
//! the post it is under, content its author deletes, and the content of a
//! closing account. Each keeps an evidence record the author cannot erase
//! (R12.2), closes the content's review-queue items, tells the author when
//! someone else removed it, costs credit for a staff removal (R15.1), and
//! logs it, in the caller's transaction.

use super::{credit, rank, Env};
use crate::db::credit::Source as CreditSource;
use crate::db::evidence::{self, EvidenceKind};
use crate::db::notifications::{self, Kind};
use crate::db::posts::{Comment, Post};
use crate::db::{self, moderation as dbm};
use crate::error::{Error, Result};
use rusqlite::Transaction;

/// What is removed.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Post(&'a Post),
    Comment(&'a Comment),
}

/// Why, and in which capacity the actor removes it.
#[derive(Debug, Clone, Copy)]
pub enum Why<'a> {
    /// Staff take it down (R12.2, R6.5) with a reason and a category; the
    /// author is told and loses credit (R15.1, appealable once).
    Staff { reason: &'a str, category: &'a str },
    /// The author of the post removes a comment under it (R10.3, R6.3);
    /// the comment's author is told; no credit event.
    PostOwner { reason: &'a str },
    /// The author deletes their own post or comment (logged as
    /// `post.delete` / `comment.delete`).
    Author,
    /// The author's account is being closed (R7.6): as [`Why::Author`],
    /// without a log entry of its own (the caller logs the closing).
    AccountClosed,
}

/// Remove `target` as `env.actor`, for `why`, inside `tx`.
///
/// # Returns
/// False if the content was not live (published or pending); nothing is
/// written then, except the log entry of an author's delete.
///
/// # Errors
/// A database error; `Conflict` when the content changed under the
/// removal (everything rolls back); `Forbidden` for a post owner's
/// removal of anything but a comment; `Outranked` when staff remove
/// content of an account of equal or higher rank (R6.5, [`rank`]).
pub fn remove(env: &Env, tx: &Transaction, target: Target, why: Why) -> Result<bool> {
    match (why, target) {
        (Why::Staff { reason, category }, _) => taken_down(env, tx, target, reason, category, true),
        (Why::PostOwner { reason }, Target::Comment(_)) => taken_down(env, tx, target, reason, "post_author", false),
        (Why::PostOwner { .. }, Target::Post(_)) => Err(Error::Forbidden),
        (Why::Author, _) => deleted(env, tx, target, true),
        (Why::AccountClosed, _) => deleted(env, tx, target, false),
    }
}

/// Bulk takedown (R6.4): remove every post of `ids` still live (published
/// or held) as staff with one shared `reason` and `category`, each with
/// its evidence record, author notice and credit event, and log the
/// takedown of `what` (`keyword:…` or `tag:…`) as `post.bulk_remove`.
///
/// Posts of accounts of equal or higher rank than the actor (R6.5,
/// [`rank`]) are left for a chief editor or admin; the log entry counts them.
///
/// # Returns
/// How many posts were removed.
///
/// # Errors
/// A database error; nothing is written then.
pub fn take_down(env: &Env, tx: &Transaction, ids: &[i64], what: &str, reason: &str, category: &str) -> Result<usize> {
    let (mut n, mut outranked) = (0, 0);
    for id in ids {
        if let Some(p) = db::posts::get(tx, *id)? {
            if !(p.is_published() || p.is_pending()) {
                continue;
            }
            match rank::check(env, tx, p.author.id) {
                Ok(()) => {}
                Err(Error::Outranked(_)) => {
                    outranked += 1;
                    continue;
                }
                Err(e) => return Err(e),
            }
            if remove(env, tx, Target::Post(&p), Why::Staff { reason, category })? {
                n += 1;
            }
        }
    }
    let outcome = if outranked > 0 { format!("{n} posts; {outranked} left: outranked") } else { format!("{n} posts") };
    env.log(tx, "post.bulk_remove", what, &outcome)?;
    Ok(n)
}

/// Someone other than the author removes `target`: by staff (`staff`,
/// charged credit) or by the post's owner.
fn taken_down(env: &Env, tx: &Transaction, target: Target, reason: &str, category: &str, staff: bool) -> Result<bool> {
    let (me, now) = (env.actor.account(), env.now);
    if staff {
        // R6.5: never content of an account of equal or higher rank.
        let author = match target {
            Target::Post(p) => p.author.id,
            Target::Comment(c) => c.author.id,
        };
        rank::check(env, tx, author)?;
    }
    let by = me.unwrap_or(0);
    let w = evidence::Why { kind: EvidenceKind::Removal, decider: me, rule: None, category, reason, now };
    let (eid, author, reference, action) = match target {
        Target::Post(p) => {
            let Some(eid) = evidence::record_post(tx, p.id, &w)? else { return Ok(false) };
            if !dbm::remove_post(tx, p, now)? {
                return Err(Error::Conflict(format!("post:{}", p.id))); // rolls the evidence back too
            }
            dbm::close_items_for(tx, "post", p.id, "removed", by, reason, now)?;
            notifications::notify_with(tx, p.author.id, Kind::Removed, by, Some(p.id), None, reason, now)?;
            (eid, p.author.id, format!("post:{}", p.id), "post.remove")
        }
        Target::Comment(c) => {
            let Some(eid) = evidence::record_comment(tx, c.id, &w)? else { return Ok(false) };
            if !dbm::remove_comment(tx, c, now)? {
                return Err(Error::Conflict(format!("comment:{}", c.id)));
            }
            dbm::close_items_for(tx, "comment", c.id, "removed", by, reason, now)?;
            notifications::notify_with(tx, c.author.id, Kind::Removed, by, Some(c.post_id), Some(c.id), reason, now)?;
            let action = if staff { "comment.remove" } else { "comment.remove_by_author" };
            (eid, c.author.id, format!("comment:{}", c.id), action)
        }
    };
    env.log(tx, action, &format!("{reference} evidence:{eid}"), "ok")?;
    if staff {
        // R15.1: a removal costs the author credit (appealable once).
        credit::penalise(env, tx, author, CreditSource::Removal, &reference, reason)?;
    }
    Ok(true)
}

/// The author deletes `target` (logged when `log`; a closing account is
/// logged once by its caller).
fn deleted(env: &Env, tx: &Transaction, target: Target, log: bool) -> Result<bool> {
    let now = env.now;
    let (done, reference) = match target {
        Target::Post(p) => {
            let done = p.is_published() || p.is_pending();
            if done {
                // Recorded first, while the attachment rows still name the files.
                evidence::record_post(tx, p.id, &evidence::Why::author_delete(p.author.id, now))?;
                if !db::posts::delete(tx, p, now)? {
                    return Err(Error::Conflict(format!("post:{}", p.id)));
                }
                dbm::close_items_for(tx, "post", p.id, "withdrawn", p.author.id, "", now)?;
            }
            (done, format!("post:{}", p.id))
        }
        Target::Comment(c) => {
            let done = c.status == "published" || c.status == "pending";
            if done {
                evidence::record_comment(tx, c.id, &evidence::Why::author_delete(c.author.id, now))?;
                if !db::posts::delete_comment(tx, c, now)? {
                    return Err(Error::Conflict(format!("comment:{}", c.id)));
                }
                dbm::close_items_for(tx, "comment", c.id, "withdrawn", c.author.id, "", now)?;
            }
            (done, format!("comment:{}", c.id))
        }
    };
    if log {
        let action = if matches!(target, Target::Post(_)) { "post.delete" } else { "comment.delete" };
        env.log(tx, action, &reference, "ok")?;
    }
    Ok(done)
}
