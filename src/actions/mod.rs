//! The workflows: one floor between `routes` (and the CLI and the daily
//! job) and `db`/`domain`. Each action takes an [`Env`] saying who acts
//! ([`Actor`]), from where and when, and runs its checks, writes, notices
//! and activity-log entry in the caller's transaction, so a page, a
//! command and the server's own jobs run the same code.
//!
//! - [`blocks`]: blocks, mutes and muted words (issue 18).
//! - [`complaints`]: resolving a group of complaints (R14.2).
//! - [`credit`]: scores and levels, penalties, the monthly bonus (R15.1).
//! - [`publish`]: posts, comments, reposts and profile text: tier gate,
//!   screening, evidence of blocks, storing, notices, queue, log (R2.2,
//!   R2.3, R6.2, R6.4, R9.1, R12.1, R12.2).
//! - [`removal`]: one `remove` for staff, post-owner and author removals,
//!   with evidence, notices, credit and log (R12.2, R10.3, R15.1).
//! - [`review`]: the review queue's decisions (R6.2).
//! - [`identity`]: code confirmation and staff decisions on real-name
//!   identities (R7.1-R7.4).
//! - [`member_data`]: a member asking for their data, closing an account (R7.6).
//! - [`rank`]: who may sanction whom: staff only an account they outrank
//!   (R6.5), checked by every sanction.
//! - [`second_factor`]: TOTP set-up, codes and recovery codes at login (issue 15).
//! - [`roles`]: granting and revoking staff roles, from the admin panel
//!   and `plaza user role` (R6.5).
//! - [`sanctions`]: staff muting (禁言) and suspending (封禁) accounts (issue 18).
//! - [`rumours`]: the chief editor's decision on a 不实信息 label (R11.1).
//! - [`verification`]: reviewers' decisions on verified badges (R10.1).
//! - [`emergency`]: the emergency switches and banner (R6.4).
//! - [`daily`]: the maintenance the server runs each day (R7.4, R7.6,
//!   R12.2, R15.1, R16.2, R16.3).
//!
//! Actions never see the HTTP request: `routes::Ctx::env` builds an
//! [`Env`] from one.

pub mod blocks;
pub mod complaints;
pub mod credit;
pub mod daily;
pub mod emergency;
pub mod identity;
pub mod inbox;
pub mod member_data;
pub mod publish;
pub mod rank;
pub mod removal;
pub mod review;
pub mod roles;
pub mod rumours;
pub mod sanctions;
pub mod second_factor;
pub mod verification;

use crate::config::Config;
use crate::crypto::Keys;
use crate::db::{self, log::Source};
use crate::error::Result;
use rusqlite::Transaction;

/// Who performs an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A member acting for themselves (account id).
    Member(i64),
    /// A staff account acting in one of its roles (account id, R6.5).
    Staff(i64),
    /// An operator at the command line.
    Cli,
    /// The server itself (the daily job).
    System,
}

impl Actor {
    /// The acting account, if a person signed in acts.
    pub fn account(self) -> Option<i64> {
        match self {
            Actor::Member(id) | Actor::Staff(id) => Some(id),
            Actor::Cli | Actor::System => None,
        }
    }
}

/// What an action needs besides its transaction and arguments. A page
/// builds one from its request (`routes::Ctx::env`), a command from its
/// data folder, so both run the same code.
pub struct Env<'a> {
    /// The configuration (limits, credit sizes, identity intervals...).
    pub config: &'a Config,
    /// The keys (the audit key signs log entries; identity keys seal values).
    pub keys: &'a Keys,
    /// Who acts.
    pub actor: Actor,
    /// Where from, for the activity log (R16.1): address, port, user agent.
    pub source: Source,
    /// UTC unix seconds the action happens at.
    pub now: i64,
}

impl Env<'_> {
    /// Append an activity-log entry inside `tx` for this actor (R16.1):
    /// `action` a dotted name, `target` a `kind:id` reference, `outcome`
    /// `ok` or a short reason (never a password, token or identity value, R7.5).
    ///
    /// # Errors
    /// A database error from the log.
    pub fn log(&self, tx: &Transaction, action: &str, target: &str, outcome: &str) -> Result<()> {
        db::log::append(tx, &self.keys.audit, &self.source, self.now, action, target, outcome)
    }
}
