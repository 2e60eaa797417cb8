//! A member's own account (R7.6): closing it. Its posts and comments are
//! deleted as if by their author, each with its evidence record (R12.2),
//! then `db::account_data::close_account` erases what the law does not
//! require to keep; the activity log stays for its retention period.

use super::removal::{self, Target, Why};
use super::Env;
use crate::db::{self, account_data};
use crate::error::Result;
use rusqlite::Transaction;

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
