//! Deciding complaints (R14.2): every open complaint about one target is
//! resolved at once with one text the complainants see (members with an
//! account are told); an upheld complaint costs the target's author
//! credit, once (R15.1). Acting on a complaint removes the content
//! (`removal`) or restricts its author (`credit::restrict`).

use super::{credit, rank, Env};
use crate::db::complaints as dbc;
use crate::db::credit::Source;
use crate::db::notifications::{self, Kind};
use crate::error::{Error, Result};
use rusqlite::Transaction;

/// A decision on the open complaints of one group.
pub struct Resolution<'a> {
    /// The complaint the decision was made from (named in the log).
    pub complaint: i64,
    /// The open complaints of its group, decided together.
    pub ids: &'a [i64],
    /// Their complainants who have an account, told of the decision.
    pub complainants: &'a [i64],
    /// The author of the content or the account complained about, if any.
    pub target_author: Option<i64>,
    /// Upheld, or rejected.
    pub upheld: bool,
    /// The text complainants see.
    pub text: &'a str,
}

/// Resolve a group of complaints as `env.actor`, logged as
/// `complaint.resolve`.
///
/// # Returns
/// How many complaints were decided.
///
/// # Errors
/// A database error; `Forbidden` when no staff account acts; `Outranked`
/// when upholding it would penalise an account of equal or higher rank (R6.5).
pub fn resolve(env: &Env, tx: &Transaction, r: &Resolution) -> Result<usize> {
    let me = env.actor.account().ok_or(Error::Forbidden)?;
    if let (true, Some(user)) = (r.upheld, r.target_author) {
        rank::check(env, tx, user)?;
    }
    let status = if r.upheld { "resolved" } else { "rejected" };
    let n = dbc::decide(tx, r.ids, status, r.text, me, env.now)?;
    // Complainants with an account are told; everyone has the status page.
    for m in r.complainants {
        notifications::notify_with(tx, *m, Kind::ComplaintDecided, me, None, None, r.text, env.now)?;
    }
    let reference = format!("complaint:{}", r.complaint);
    if let (true, Some(user)) = (r.upheld, r.target_author) {
        credit::penalise(env, tx, user, Source::Complaint, &reference, r.text)?;
    }
    let word = if r.upheld { "upheld" } else { "rejected" };
    env.log(tx, "complaint.resolve", &reference, &format!("{word}: {n} complaints"))?;
    Ok(n)
}
