//! The chief editor's decision on a 不实信息 label (R11.1, R6.5: final):
//! confirming it shows it on the post and every repost and tells the
//! post's audience, and costs the original's author credit (R15.1);
//! declining closes the proposal; withdrawing a confirmed label tells the
//! audience again. Each is logged with how many were told.

use super::{credit, Env};
use crate::db::credit::Source as CreditSource;
use crate::db::notifications::{self, Kind};
use crate::db::{self, rumours};
use crate::error::{Error, Result};
use rusqlite::Transaction;

/// What the chief editor decides on a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// A proposed label is confirmed.
    Confirm,
    /// A proposed label is declined.
    Decline,
    /// A confirmed label is taken back.
    Withdraw,
}

/// Settle `label` as `env.actor` inside `tx`.
///
/// # Returns
/// How many members were told; `None` when the label is not in a state
/// for this decision (nothing written).
///
/// # Errors
/// A database error; `Forbidden` when no staff account acts.
pub fn settle(env: &Env, tx: &Transaction, label: &rumours::Label, how: Settle) -> Result<Option<usize>> {
    let me = env.actor.account().ok_or(Error::Forbidden)?;
    let (id, now) = (label.id, env.now);
    let (done, action, kind) = match how {
        Settle::Confirm => (rumours::decide(tx, id, true, me, now)?, "rumour.confirm", Some(Kind::Rumour)),
        Settle::Decline => (rumours::decide(tx, id, false, me, now)?, "rumour.decline", None),
        Settle::Withdraw => (rumours::withdraw(tx, id, me, now)?, "rumour.withdraw", Some(Kind::RumourWithdrawn)),
    };
    if !done {
        return Ok(None);
    }
    let mut told = 0;
    if let Some(k) = kind {
        // R11.1: the author and everyone who reposted, commented on or liked it.
        for user in rumours::audience(tx, label.post_id)? {
            if user != me {
                notifications::notify_with(tx, user, k, me, Some(label.post_id), None, &label.refutation, now)?;
                told += 1;
            }
        }
    }
    if how == Settle::Confirm {
        // R15.1: a confirmed 不实信息 label costs the original's author credit.
        if let Some(p) = db::posts::get(tx, label.post_id)? {
            let r = format!("post:{}", p.id);
            credit::penalise(env, tx, p.author.id, CreditSource::Rumour, &r, &label.refutation)?;
        }
    }
    env.log(tx, action, &format!("rumour:{id} post:{}", label.post_id), &format!("ok, {told} notified"))?;
    Ok(Some(told))
}
