//! Blocks, mutes and muted words (issue 18): one member's choices about
//! other accounts and words, each change logged with its activity-log
//! entry in the same transaction (R16.1): `user.block`, `user.unblock`,
//! `user.mute`, `user.unmute`, `user.mute_word`, `user.unmute_word`.

use super::Env;
use crate::db::{self, users::User};
use crate::domain::mute::{self, WordError};
use crate::error::Result;
use rusqlite::Transaction;

/// Which relation to set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Both ways: posts, comments, mentions, follows, notifications.
    Block,
    /// The muter's timelines only.
    Mute,
}

/// What setting a relation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Set or taken back as asked.
    Done,
    /// It was already so: nothing written.
    Unchanged,
    /// Refused: an account cannot block or mute itself.
    Yourself,
}

/// `me` blocks or mutes (`on`), or takes back the block or mute of, `other`.
/// A block ends follows both ways.
///
/// # Errors
/// A database error.
pub fn set(env: &Env, tx: &Transaction, me: i64, other: &User, rel: Relation, on: bool) -> Result<Change> {
    if other.id == me {
        return Ok(Change::Yourself);
    }
    let changed = match (rel, on) {
        (Relation::Block, true) => db::blocks::block(tx, me, other.id, env.now)?,
        (Relation::Block, false) => db::blocks::unblock(tx, me, other.id)?,
        (Relation::Mute, true) => db::blocks::mute(tx, me, other.id, env.now)?,
        (Relation::Mute, false) => db::blocks::unmute(tx, me, other.id)?,
    };
    if !changed {
        return Ok(Change::Unchanged);
    }
    let action = match (rel, on) {
        (Relation::Block, true) => "user.block",
        (Relation::Block, false) => "user.unblock",
        (Relation::Mute, true) => "user.mute",
        (Relation::Mute, false) => "user.unmute",
    };
    env.log(tx, action, &format!("user:{}", other.id), "ok")?;
    Ok(Change::Done)
}

/// What adding a muted word did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordOutcome {
    Added,
    /// Refused: the word is empty or too long.
    Bad(WordError),
    /// Refused: the member has this word (after normalisation) already.
    Taken,
    /// Refused: the member has [`mute::MAX_WORDS`] words already.
    TooMany,
}

/// `me` mutes the word `typed` (trimmed; matched after normalisation).
///
/// # Errors
/// A database error.
pub fn add_word(env: &Env, tx: &Transaction, me: i64, typed: &str) -> Result<WordOutcome> {
    let (word, key) = match mute::parse_word(typed) {
        Ok(w) => w,
        Err(e) => return Ok(WordOutcome::Bad(e)),
    };
    if db::blocks::words(tx, me)?.len() >= mute::MAX_WORDS {
        return Ok(WordOutcome::TooMany);
    }
    match db::blocks::add_word(tx, me, &word, &key, env.now)? {
        Some(_) => {
            env.log(tx, "user.mute_word", &format!("user:{me}"), "ok")?;
            Ok(WordOutcome::Added)
        }
        None => Ok(WordOutcome::Taken),
    }
}

/// `me` removes muted word `id`; false if `me` has no such word.
///
/// # Errors
/// A database error.
pub fn remove_word(env: &Env, tx: &Transaction, me: i64, id: i64) -> Result<bool> {
    if db::blocks::remove_word(tx, me, id)?.is_none() {
        return Ok(false);
    }
    env.log(tx, "user.unmute_word", &format!("user:{me}"), "ok")?;
    Ok(true)
}
