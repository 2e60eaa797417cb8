//! 不实信息 labels (R11.1): a reviewer proposes one with a refutation; the
//! chief editor confirms or declines it (R6.5: the decision is final) and
//! may withdraw a confirmed one. Confirming and withdrawing tell the
//! author and everyone who reposted, commented on or liked the post.

use super::{page, Ctx};
use crate::actions::{self, rumours::Settle};
use crate::db::{self, rumours};
use crate::domain::moderation::MAX_STAFF_TEXT;
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::moderation as view;

/// Labels per list on `/admin/rumours`.
const LIST: u32 = 100;

/// The post a refuting-post field names: an id, or a `/posts/{id}` link
/// (with or without the site's address); `None` when empty.
fn refuting_post(ctx: &Ctx) -> Result<Option<i64>> {
    let v = ctx.req.field("refuting_post").unwrap_or("").trim();
    if v.is_empty() {
        return Ok(None);
    }
    let tail = v.rsplit("/posts/").next().unwrap_or(v);
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    let id = crate::http::parse_id(&digits).map_err(|_| Error::Invalid(ctx.t(M::ErrRefutingPost).into()))?;
    match db::posts::get(ctx.db, id)? {
        Some(p) if p.is_published() => Ok(Some(id)),
        _ => Err(Error::Invalid(ctx.t(M::ErrRefutingPost).into())),
    }
}

/// # `POST /admin/posts/{id}/rumour` (`refutation`, optional `refuting_post`)
///
/// Proposes a label on the post's original (the root of its repost chain),
/// so it shows on every repost. A reviewer or chief editor proposes.
pub fn propose(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let id = ctx.path_id("id")?;
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let root = post.repost_root.unwrap_or(post.id);
    let refutation = ctx.req.field("refutation").unwrap_or("").trim().to_string();
    if refutation.is_empty() {
        return Err(Error::Invalid(ctx.t(M::ErrRefutationRequired).into()));
    }
    if grapheme_len(&refutation) > MAX_STAFF_TEXT {
        return Err(Error::Invalid(ctx.lang.f(M::ErrStaffTextLong, &[&MAX_STAFF_TEXT])));
    }
    let refuting = refuting_post(ctx)?;
    ctx.write(|tx| {
        let l = rumours::propose(tx, root, &refutation, refuting, me, ctx.now)?;
        ctx.log(tx, "rumour.propose", &format!("rumour:{l} post:{root}"))
    })
    .map_err(|e| match e {
        Error::Conflict(_) => Error::Invalid(ctx.t(M::ErrRumourExists).into()),
        e => e,
    })?;
    Ok(Resp::redirect(&format!("/admin/posts/{id}?done=proposed")))
}

/// # `GET /admin/rumours` — proposals waiting, confirmed labels, recent decisions.
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let proposed = rumours::with_status(ctx.db, "proposed", LIST)?;
    let confirmed = rumours::with_status(ctx.db, "confirmed", LIST)?;
    let done = ctx.req.query("done").and_then(|v| v.parse().ok());
    page(ctx, |c| view::rumours(c, &proposed, &confirmed, done))
}

/// Confirm, decline or withdraw the label in the path (the chief editor).
fn settle(ctx: &mut Ctx, how: Settle) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let label = rumours::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let env = ctx.as_staff()?;
    match ctx.write(|tx| actions::rumours::settle(&env, tx, &label, how))? {
        Some(told) => Ok(Resp::redirect(&format!("/admin/rumours?done={told}"))),
        None => Err(Error::Invalid(ctx.t(M::ErrRumourState).into())),
    }
}

/// # `POST /admin/rumours/{id}/confirm` — chief editor only: the label shows
/// on the post and every repost, and its audience is told.
pub fn confirm(ctx: &mut Ctx) -> Result<Resp> {
    settle(ctx, Settle::Confirm)
}

/// # `POST /admin/rumours/{id}/decline` — chief editor only.
pub fn decline(ctx: &mut Ctx) -> Result<Resp> {
    settle(ctx, Settle::Decline)
}

/// # `POST /admin/rumours/{id}/withdraw` — chief editor only; the audience is told.
pub fn withdraw(ctx: &mut Ctx) -> Result<Resp> {
    settle(ctx, Settle::Withdraw)
}
