//! A member's own data (R7.6): asking for a download of it (built in the
//! background by `crate::member_data`) and closing the account. Closing
//! deletes the member's posts and comments as if by their author, each with
//! its evidence record (R12.2), then `db::account_data::close_account`
//! erases what the law does not require to keep; the activity log stays
//! for its retention period.

use super::removal::{self, Target, Why};
use super::Env;
use crate::db::{self, account_data};
use crate::error::Result;
use rusqlite::Transaction;

/// Ask for a download of `member`'s data (one at a time), logged as
/// `data.export_request`.
///
/// # Returns
/// The new download's id, to build with `crate::member_data::start` once
/// the transaction has committed; `None` while one is still being built.
///
/// # Errors
/// A database error.
pub fn request_export(env: &Env, tx: &Transaction, member: i64) -> Result<Option<i64>> {
    if account_data::latest_export(tx, member)?.is_some_and(|e| e.status == "pending") {
        return Ok(None);
    }
    let id = account_data::create_export(tx, member, env.now)?;
    env.log(tx, "data.export_request", &format!("export:{id}"), "ok")?;
    Ok(Some(id))
}

/// Close `member`'s account inside `tx`, logged as `user.close`.
///
/// # Errors
/// A database error; nothing is written then.
pub fn close(env: &Env, tx: &Transaction, member: i64) -> Result<()> {
    let (posts, comments) = account_data::live_content(tx, member)?;
    for id in posts {
        if let Some(p) = db::posts::get(tx, id)? {
            removal::remove(env, tx, Target::Post(&p), Why::AccountClosed)?;
        }
    }
    for id in comments {
        if let Some(c) = db::posts::comment(tx, id)? {
            removal::remove(env, tx, Target::Comment(&c), Why::AccountClosed)?;
        }
    }
    account_data::close_account(tx, member, env.now)?;
    env.log(tx, "user.close", &format!("user:{member}"), "ok")
}
