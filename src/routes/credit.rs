//! Credit pages (R15.1): a member's score, level and history, staff
//! adjustments, and appeals. The rules (score, penalties, monthly bonus)
//! are `actions::credit`.
//!
//! Members see their own score at `/settings/credit` and may appeal once
//! against each penalty (a removal's appeal is against its event); a
//! reviewer other than the one who decided handles the appeal; an upheld
//! appeal restores removed content and reverses the event. Both outcomes
//! are notified.

use super::{page, Ctx};
use crate::actions;
use crate::db::credit::{self as dbc, Source};
use crate::db::notifications::{self, Kind};
use crate::db::{self, moderation as dbm};
use crate::domain::moderation::MAX_STAFF_TEXT;
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::credit as view;
use rusqlite::Transaction;

/// How many events the history shows.
const HISTORY: u32 = 200;

/// # `GET /settings/credit` — the member's own score, level and history,
/// with an appeal form under each penalty not yet appealed.
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let (s, level) = actions::credit::score(&ctx.app.config, ctx.db, me)?;
    let events = dbc::history(ctx.db, me, HISTORY)?;
    let done = ctx.req.query("done").map(str::to_string);
    page(ctx, |c| view::settings(c, s, level, &events, done.as_deref()))
}

/// A typed text of at most [`MAX_STAFF_TEXT`] characters.
fn text(ctx: &Ctx, name: &str) -> Result<String> {
    let v = ctx.req.field(name).unwrap_or("").trim().to_string();
    if v.is_empty() {
        return Err(Error::Invalid(ctx.t(M::ErrReasonRequired).into()));
    }
    if grapheme_len(&v) > MAX_STAFF_TEXT {
        return Err(Error::Invalid(ctx.lang.f(M::ErrStaffTextLong, &[&MAX_STAFF_TEXT])));
    }
    Ok(v)
}

/// # `POST /settings/credit/appeal` (`event`, `body`) — once per event.
pub fn appeal(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let event_id = crate::http::parse_id(ctx.req.field("event").unwrap_or(""))?;
    let body = text(ctx, "body")?;
    let event = dbc::event(ctx.db, event_id)?.filter(|e| e.user_id == me).ok_or(Error::NotFound)?;
    if event.delta >= 0 || event.reversed_by.is_some() {
        return Err(Error::Invalid(ctx.t(M::ErrAppealNotPenalty).into()));
    }
    ctx.write(|tx| {
        if !dbc::add_appeal(tx, event.id, me, &body, ctx.now)? {
            return Err(Error::Invalid(ctx.t(M::ErrAppealTwice).into()));
        }
        ctx.log(tx, "credit.appeal", &format!("event:{}", event.id))
    })?;
    Ok(Resp::redirect("/settings/credit?done=appealed"))
}

/// # `GET /admin/credit/{username}` — staff see anyone's score and history
/// and may adjust it with a reason.
pub fn admin_show(ctx: &mut Ctx) -> Result<Resp> {
    let name = ctx.path_text("user")?.to_string();
    let user = db::users::by_username(ctx.db, &name)?.ok_or(Error::NotFound)?;
    let (s, level) = actions::credit::score(&ctx.app.config, ctx.db, user.id)?;
    let events = dbc::history(ctx.db, user.id, HISTORY)?;
    page(ctx, |c| view::admin_show(c, &user, s, level, &events))
}

/// # `POST /admin/credit/{username}/adjust` (`delta` = signed points, `reason` required)
pub fn adjust(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let name = ctx.path_text("user")?.to_string();
    let user = db::users::by_username(ctx.db, &name)?.ok_or(Error::NotFound)?;
    let delta: i64 = ctx
        .req
        .field("delta")
        .unwrap_or("")
        .trim()
        .parse()
        .ok()
        .filter(|d: &i64| *d != 0 && d.abs() <= 1000)
        .ok_or_else(|| Error::Invalid(ctx.t(M::ErrCreditDelta).into()))?;
    let reason = text(ctx, "reason")?;
    ctx.write(|tx| {
        let id = dbc::add(tx, user.id, delta, Source::Staff, &reason, "", Some(me), ctx.now)?;
        actions::credit::tell(tx, user.id, Some(me), delta, &reason, ctx.now)?;
        ctx.log_outcome(tx, "credit.adjust", &format!("user:{} event:{id}", user.id), &format!("ok: {delta:+}"))
    })?;
    Ok(Resp::redirect(&format!("/admin/credit/{}", user.username)))
}

/// # `GET /admin/appeals` — open appeals, oldest first.
pub fn appeals(ctx: &mut Ctx) -> Result<Resp> {
    let list = dbc::open_appeals(ctx.db)?;
    page(ctx, |c| view::appeals(c, &list))
}

/// # `POST /admin/appeals/{id}` (`decision` = uphold | reject, `answer`)
///
/// Handled by a reviewer other than the one who decided the event. An
/// upheld appeal restores removed content (as the chief editor's reversal
/// does) and adds the opposite event; the member is told either way.
pub fn decide(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let id = ctx.path_id("id")?;
    let uphold = match ctx.req.field("decision") {
        Some("uphold") => true,
        Some("reject") => false,
        _ => return Err(Error::BadRequest("decision: uphold or reject".into())),
    };
    let answer = text(ctx, "answer")?;
    let (event_id, _) = dbc::appeal(ctx.db, id)?.ok_or(Error::NotFound)?;
    let event = dbc::event(ctx.db, event_id)?.ok_or(Error::NotFound)?;
    if event.actor_id == Some(me) {
        return Err(Error::Invalid(ctx.t(M::ErrAppealSameReviewer).into()));
    }
    ctx.write(|tx| {
        if !dbc::decide_appeal(tx, id, if uphold { "upheld" } else { "rejected" }, &answer, me, ctx.now)? {
            return Err(Error::Invalid(ctx.t(M::ErrAppealDecided).into()));
        }
        let (post, comment) = restore_target(ctx, tx, &event.r#ref, uphold)?;
        if uphold {
            let rev = dbc::add(
                tx,
                event.user_id,
                -event.delta,
                Source::Appeal,
                &answer,
                &format!("event:{}", event.id),
                Some(me),
                ctx.now,
            )?;
            dbc::mark_reversed(tx, event.id, rev)?;
        }
        let kind = if uphold { Kind::AppealUpheld } else { Kind::AppealRejected };
        notifications::notify_with(tx, event.user_id, kind, me, post, comment, &answer, ctx.now)?;
        let outcome = if uphold { "upheld" } else { "rejected" };
        ctx.log_outcome(tx, "credit.appeal_decide", &format!("appeal:{id} event:{}", event.id), outcome)
    })?;
    Ok(Resp::redirect("/admin/appeals"))
}

/// The post and comment an event names (`post:12`, `comment:3`); when
/// `restore`, a removed one is published again (the chief editor's path,
/// `moderation::restore_post`), logged.
fn restore_target(ctx: &Ctx, tx: &Transaction, r#ref: &str, restore: bool) -> Result<(Option<i64>, Option<i64>)> {
    let (kind, id) = r#ref.split_once(':').unwrap_or(("", ""));
    let Ok(id) = id.parse::<i64>() else { return Ok((None, None)) };
    match kind {
        "post" => {
            if let (Some(p), true) = (db::posts::get(tx, id)?, restore) {
                if dbm::restore_post(tx, &p, ctx.now)? {
                    ctx.log_outcome(tx, "post.restore", &format!("post:{id}"), "ok: appeal upheld")?;
                }
            }
            Ok((Some(id), None))
        }
        "comment" => match db::posts::comment(tx, id)? {
            Some(c) => {
                if restore && dbm::restore_comment(tx, &c, ctx.now)? {
                    ctx.log_outcome(tx, "comment.restore", &format!("comment:{id}"), "ok: appeal upheld")?;
                }
                Ok((Some(c.post_id), Some(id)))
            }
            None => Ok((None, None)),
        },
        _ => Ok((None, None)),
    }
}
