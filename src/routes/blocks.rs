//! Blocks, mutes and muted words (issue 18): the buttons on profiles and
//! `/settings/blocks`; and the muted-word filter the timelines and the
//! notifications page apply.

use super::{page, Ctx};
use crate::actions::blocks::{self, Change, Relation, WordOutcome};
use crate::db::{self, posts::Post, users::User};
use crate::domain::mute::{self, WordError};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::blocks as view;

/// The active account named in the path, or `NotFound`.
fn target(ctx: &Ctx) -> Result<User> {
    db::users::by_username(ctx.db, ctx.path_text("user")?)?.filter(|u| u.status == "active").ok_or(Error::NotFound)
}

/// Set or take back a block or mute of the account in the path.
///
/// # Errors
/// `NotFound` for a missing account, `Invalid` (422) for oneself.
fn set(ctx: &mut Ctx, rel: Relation, on: bool) -> Result<Resp> {
    let me = ctx.user()?.id;
    let other = target(ctx)?;
    let env = ctx.as_member()?;
    match ctx.write(|tx| blocks::set(&env, tx, me, &other, rel, on))? {
        Change::Yourself => Err(Error::Invalid(ctx.t(M::ErrBlockSelf).into())),
        Change::Done | Change::Unchanged => Ok(Resp::redirect(&ctx.next_or(&format!("/@{}", other.username)))),
    }
}

/// # `POST /@{username}/block`
pub fn block(ctx: &mut Ctx) -> Result<Resp> {
    set(ctx, Relation::Block, true)
}

/// # `POST /@{username}/unblock`
pub fn unblock(ctx: &mut Ctx) -> Result<Resp> {
    set(ctx, Relation::Block, false)
}

/// # `POST /@{username}/mute`
pub fn mute(ctx: &mut Ctx) -> Result<Resp> {
    set(ctx, Relation::Mute, true)
}

/// # `POST /@{username}/unmute`
pub fn unmute(ctx: &mut Ctx) -> Result<Resp> {
    set(ctx, Relation::Mute, false)
}

/// The page with `error` next to the word form (and `typed` kept in it).
fn settings_page(ctx: &mut Ctx, error: Option<String>, typed: &str, status: u16) -> Result<Resp> {
    let me = ctx.user()?.id;
    let data = view::Blocks {
        blocked: db::blocks::list(ctx.db, me, false)?,
        muted: db::blocks::list(ctx.db, me, true)?,
        words: db::blocks::words(ctx.db, me)?,
        error,
        typed: typed.to_string(),
    };
    Ok(page(ctx, |c| view::settings(c, &data))?.status(status))
}

/// # `GET /settings/blocks` — blocks, mutes and muted words, each with undo.
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    settings_page(ctx, None, "", 200)
}

/// # `POST /settings/blocks/words` (`word`)
///
/// A refused word shows the page again with the message (422), nothing stored.
pub fn add_word(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let typed = ctx.req.field("word").unwrap_or("").to_string();
    let env = ctx.as_member()?;
    let msg = match ctx.write(|tx| blocks::add_word(&env, tx, me, &typed))? {
        WordOutcome::Added => return Ok(Resp::redirect("/settings/blocks#words")),
        WordOutcome::Bad(WordError::Empty) => ctx.t(M::ErrMutedWordEmpty).to_string(),
        WordOutcome::Bad(WordError::TooLong(_)) => ctx.lang.f(M::ErrMutedWordLong, &[&mute::MAX_WORD_CHARS]),
        WordOutcome::Taken => ctx.t(M::ErrMutedWordTaken).to_string(),
        WordOutcome::TooMany => ctx.lang.f(M::ErrTooManyMutedWords, &[&mute::MAX_WORDS]),
    };
    settings_page(ctx, Some(msg), &typed, 422)
}

/// # `POST /settings/blocks/words/{id}/delete`
///
/// # Errors
/// `NotFound` when the member has no such word.
pub fn remove_word(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let id = ctx.path_id("id")?;
    let env = ctx.as_member()?;
    if !ctx.write(|tx| blocks::remove_word(&env, tx, me, id))? {
        return Err(Error::NotFound);
    }
    Ok(Resp::redirect("/settings/blocks#words"))
}

/// The normalised muted words of the signed-in member (none signed out).
///
/// # Errors
/// A database error.
pub fn muted_keys(ctx: &Ctx) -> Result<Vec<String>> {
    match &ctx.user {
        Some(u) => Ok(db::blocks::words(ctx.db, u.id)?.into_iter().map(|w| w.key).collect()),
        None => Ok(Vec::new()),
    }
}

/// `posts` without those whose text (or, for a repost, the original's
/// text) hits one of the viewer's muted words: the timelines (issue 18).
///
/// # Errors
/// A database error.
pub fn without_muted_words(ctx: &Ctx, posts: Vec<Post>) -> Result<Vec<Post>> {
    let keys = muted_keys(ctx)?;
    if keys.is_empty() {
        return Ok(posts);
    }
    let mut out = Vec::with_capacity(posts.len());
    for p in posts {
        if p.author.id == ctx.user.as_ref().map_or(0, |u| u.id) {
            out.push(p);
            continue;
        }
        let original = match p.repost_root {
            Some(root) => db::posts::get(ctx.db, root)?.map(|o| o.body).unwrap_or_default(),
            None => String::new(),
        };
        if !mute::hits(&keys, &p.body) && !mute::hits(&keys, &original) {
            out.push(p);
        }
    }
    Ok(out)
}
