//! The review queue's decisions (R6.2, R12.1, R12.2): approving held
//! content (it goes live and whoever it concerns is told, as if published
//! now; a held profile change is applied), rejecting it (an evidence
//! record, the author told), dismissing a flag, or removing flagged
//! content (`removal`). Each decision is logged and closes its item.

use super::publish;
use super::removal::{self, Target};
use super::Env;
use crate::db::evidence::{self, EvidenceKind, NewEvidence, Why};
use crate::db::notifications::{self, Kind};
use crate::db::{self, moderation as dbm};
use crate::error::Result;
use rusqlite::Transaction;

/// What a reviewer decides for queue items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A held item goes live.
    Approve,
    /// A held item is refused, with a reason the author is told.
    Reject,
    /// A flag is cleared; the content stays.
    Dismiss,
    /// Flagged content is taken down, with a reason (R12.2).
    Remove,
}

impl Decision {
    /// Parse the form's `decision` field.
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            "dismiss" => Some(Decision::Dismiss),
            "remove" => Some(Decision::Remove),
            _ => None,
        }
    }

    /// The word stored on the item.
    fn done_word(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
            Decision::Dismiss => "dismissed",
            Decision::Remove => "removed",
        }
    }
}

/// Decide the undecided queue items `ids` (held ones approve or reject,
/// flagged ones dismiss or remove; other pairs are skipped) as
/// `env.actor`, with `reason` and (for a removal) `category`.
///
/// # Returns
/// How many items were decided, and whether any was a flag.
///
/// # Errors
/// A database error; nothing is written then.
pub fn decide(
    env: &Env,
    tx: &Transaction,
    ids: &[i64],
    decision: Decision,
    reason: &str,
    category: &str,
) -> Result<(usize, bool)> {
    let me = env.actor.account().unwrap_or(0);
    let (mut n, mut flagged) = (0, false);
    for id in ids {
        let Some(item) = dbm::item(tx, *id)? else { continue };
        if item.decision.is_some() {
            continue;
        }
        flagged |= item.kind == "flag";
        let staff = removal::Why::Staff { reason, category };
        let done = match (item.kind.as_str(), decision) {
            ("hold", Decision::Approve) => approve(env, tx, &item)?,
            ("hold", Decision::Reject) => reject(env, tx, &item, reason)?,
            ("flag", Decision::Dismiss) => {
                env.log(tx, "review.dismiss", &format!("{}:{}", item.content_type, item.content_id), "ok")?;
                true
            }
            ("flag", Decision::Remove) => match item.content_type.as_str() {
                "post" => match db::posts::get(tx, item.content_id)? {
                    Some(p) => removal::remove(env, tx, Target::Post(&p), staff)?,
                    None => false,
                },
                "comment" => match db::posts::comment(tx, item.content_id)? {
                    Some(c) => removal::remove(env, tx, Target::Comment(&c), staff)?,
                    None => false,
                },
                _ => false,
            },
            _ => false,
        };
        if done {
            dbm::decide_item(tx, item.id, decision.done_word(), me, reason, env.now)?;
            n += 1;
        }
    }
    Ok((n, flagged))
}

/// Approve one held item: the content goes live and whoever it concerns
/// is told, as if it had been published now; a held profile change is applied.
fn approve(env: &Env, tx: &Transaction, item: &dbm::Item) -> Result<bool> {
    let target = format!("{}:{}", item.content_type, item.content_id);
    let done = match item.content_type.as_str() {
        "post" => match db::posts::get(tx, item.content_id)? {
            Some(p) if dbm::approve_post(tx, &p, env.now)? => {
                publish::announce_post(tx, &p, env.now)?;
                true
            }
            _ => false,
        },
        "comment" => match db::posts::comment(tx, item.content_id)? {
            Some(c) if dbm::approve_comment(tx, &c, env.now)? => {
                publish::announce_comment(tx, &c, env.now)?;
                true
            }
            _ => false,
        },
        "profile" => {
            let (name, bio) = proposed_profile(item);
            db::users::update_profile(tx, item.content_id, &name, &bio)?;
            true
        }
        _ => false,
    };
    if done {
        env.log(tx, "review.approve", &target, "ok")?;
    }
    Ok(done)
}

/// The display name and bio of a held profile change.
fn proposed_profile(item: &dbm::Item) -> (String, String) {
    let v: serde_json::Value = item.proposed.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    (s("display_name"), s("bio"))
}

/// Reject one held item with `reason`: an evidence record, the author told.
fn reject(env: &Env, tx: &Transaction, item: &dbm::Item, reason: &str) -> Result<bool> {
    let me = env.actor.account().unwrap_or(0);
    let rule = item.rule_pattern.clone().map(|p| (item.rule_id.unwrap_or(0), p));
    let why = Why { kind: EvidenceKind::Rejection, decider: Some(me), rule, category: "", reason, now: env.now };
    let (eid, post, comment) = match item.content_type.as_str() {
        "post" => match db::posts::get(tx, item.content_id)? {
            Some(p) if p.is_pending() => {
                let eid = evidence::record_post(tx, p.id, &why)?;
                dbm::reject_post(tx, &p, env.now)?;
                (eid, Some(p.id), None)
            }
            _ => return Ok(false),
        },
        "comment" => match db::posts::comment(tx, item.content_id)? {
            Some(c) if c.status == "pending" => {
                let eid = evidence::record_comment(tx, c.id, &why)?;
                dbm::reject_comment(tx, &c, env.now)?;
                (eid, Some(c.post_id), Some(c.id))
            }
            _ => return Ok(false),
        },
        "profile" => {
            let (name, bio) = proposed_profile(item);
            let body = format!("{name}\n{bio}");
            let eid = evidence::record(
                tx,
                &NewEvidence {
                    kind: EvidenceKind::Rejection,
                    content_type: "profile",
                    content_id: Some(item.content_id),
                    content_created_at: Some(item.created_at),
                    parent: String::new(),
                    author_id: item.author.id,
                    body: &body,
                    media: Vec::new(),
                    source: profile_source(tx, item)?,
                    rule: why.rule.clone(),
                    decider: Some(me),
                    category: "",
                    reason,
                    now: env.now,
                },
            )?;
            (Some(eid), None, None)
        }
        _ => return Ok(false),
    };
    notifications::notify_with(tx, item.author.id, Kind::Rejected, me, post, comment, reason, env.now)?;
    let eid = eid.map(|e| format!(" evidence:{e}")).unwrap_or_default();
    env.log(tx, "review.reject", &format!("{}:{}{eid}", item.content_type, item.content_id), "ok")?;
    Ok(true)
}

/// Where a held profile change was sent from: the log entry of the edit.
fn profile_source(tx: &Transaction, item: &dbm::Item) -> Result<(String, u16)> {
    let filter = db::log::Filter {
        account_id: Some(item.author.id),
        action: Some("user.profile_update".into()),
        from: Some(item.created_at),
        to: Some(item.created_at + 1),
        ..Default::default()
    };
    Ok(db::log::search(tx, &filter, i64::MAX, 1)?.into_iter().next().map(|r| (r.ip, r.port)).unwrap_or_default())
}
