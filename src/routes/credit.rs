//! Credit pages (R15.1): a member's score, level and history, staff
//! adjustments, and appeals. The rules (score, penalties, monthly bonus,
//! adjustments, deciding an appeal) are `actions::credit`.
//!
//! Members see their own score at `/settings/credit` and may appeal once
//! against each penalty (a removal's appeal is against its event); a
//! reviewer other than the one who decided handles the appeal; an upheld
//! appeal restores removed content and reverses the event. Both outcomes
//! are notified.

use super::{page, Ctx};
use crate::actions;
use crate::db;
use crate::db::credit as dbc;
use crate::domain::credit::{decider_for, Decider};
use crate::domain::moderation::MAX_STAFF_TEXT;
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::credit as view;

/// How many events the history shows.
const HISTORY: u32 = 200;

/// # `GET /settings/credit` — the member's own score, level and history,
/// with an appeal form under each penalty not yet appealed.
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let (s, level) = actions::credit::score(&ctx.app.config, ctx.db, me)?;
    let events = dbc::history(ctx.db, me, HISTORY)?;
    let done = ctx.req.query("done").map(str::to_string);
    let known = db::targets::describe_in(ctx.db, events.iter().map(|e| e.r#ref.as_str()))?;
    page(ctx, |c| view::settings(c, s, level, &events, &known, done.as_deref()))
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
    if !event.appealable() {
        return Err(Error::Invalid(ctx.t(M::ErrAppealNotPenalty).into()));
    }
    let env = ctx.as_member()?;
    file_appeal(ctx, &env, &event, &body)?;
    Ok(Resp::redirect("/settings/credit?done=appealed"))
}

/// File the member's one appeal against `event` with `body` (R15.1),
/// logged as `credit.appeal` for `env`'s account; the reviewers other
/// than the event's decider are told (issue 13).
///
/// # Errors
/// `Invalid` when the event was appealed already (nothing written).
pub(super) fn file_appeal(ctx: &Ctx, env: &actions::Env, event: &dbc::Event, body: &str) -> Result<()> {
    ctx.write(|tx| {
        if !dbc::add_appeal(tx, event.id, event.user_id, body, ctx.now)? {
            return Err(Error::Invalid(ctx.t(M::ErrAppealTwice).into()));
        }
        env.log(tx, "credit.appeal", &format!("event:{}", event.id), "ok")?;
        let kind = db::notifications::Kind::StaffAppeal;
        actions::inbox::tell_staff(env, tx, actions::inbox::REVIEW_DESK, event.actor_id, kind, "").map(|_| ())
    })
}

/// A typed appeal text (required, at most [`MAX_STAFF_TEXT`] characters).
///
/// # Errors
/// `Invalid` when empty or too long.
pub(super) fn appeal_text(ctx: &Ctx) -> Result<String> {
    text(ctx, "body")
}

/// # `GET /admin/credit/{username}` — staff see anyone's score and history
/// and may adjust it with a reason.
pub fn admin_show(ctx: &mut Ctx) -> Result<Resp> {
    let name = ctx.path_text("user")?.to_string();
    let user = db::users::by_username(ctx.db, &name)?.ok_or(Error::NotFound)?;
    let (s, level) = actions::credit::score(&ctx.app.config, ctx.db, user.id)?;
    let events = dbc::history(ctx.db, user.id, HISTORY)?;
    let known = db::targets::describe_in(ctx.db, events.iter().map(|e| e.r#ref.as_str()))?;
    let sanctions = db::sanctions::for_user(ctx.db, user.id)?;
    let now = ctx.now;
    page(ctx, |c| {
        let part = crate::views::sanctions::section(c, &user, &sanctions, now);
        view::admin_show(c, &user, s, level, &events, &known, part)
    })
}

/// # `POST /admin/credit/{username}/adjust` (`delta` = signed points, `reason` required)
pub fn adjust(ctx: &mut Ctx) -> Result<Resp> {
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
    let env = ctx.as_staff()?;
    ctx.write(|tx| actions::credit::adjust(&env, tx, user.id, delta, &reason))?;
    Ok(Resp::redirect(&format!("/admin/credit/{}", user.username)))
}

/// Who may decide an appeal against `event`: the viewer, another
/// reviewer, the viewer without an independent reviewer, or nobody yet
/// (R15.1, R6.5).
fn decider(ctx: &Ctx, event: &dbc::Event) -> Result<Decider> {
    let me = ctx.user()?;
    let others: Vec<String> = db::staff::holders(ctx.db, actions::inbox::REVIEW_DESK)?
        .into_iter()
        .filter(|u| Some(u.id) != event.actor_id)
        .map(|u| u.username)
        .collect();
    Ok(decider_for(me.id, &me.roles, event.actor_id, others))
}

/// # `GET /admin/appeals` — open appeals, oldest first, each saying before
/// any click who may decide it.
pub fn appeals(ctx: &mut Ctx) -> Result<Resp> {
    let list = dbc::open_appeals(ctx.db)?;
    let known = db::targets::describe_in(ctx.db, list.iter().map(|a| a.event.r#ref.as_str()))?;
    let deciders = list.iter().map(|a| decider(ctx, &a.event)).collect::<Result<Vec<_>>>()?;
    page(ctx, |c| view::appeals(c, &list, &deciders, &known))
}

/// # `POST /admin/appeals/{id}` (`decision` = uphold | reject, `answer`)
///
/// Handled by a reviewer other than the one who decided the event, or by
/// that chief editor or admin when nobody else could (recorded). An
/// upheld appeal restores removed content (as the chief editor's reversal
/// does) and adds the opposite event; the member is told either way.
pub fn decide(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let uphold = match ctx.req.field("decision") {
        Some("uphold") => true,
        Some("reject") => false,
        _ => return Err(Error::BadRequest("decision: uphold or reject".into())),
    };
    let answer = text(ctx, "answer")?;
    let (event_id, _) = dbc::appeal(ctx.db, id)?.ok_or(Error::NotFound)?;
    let event = dbc::event(ctx.db, event_id)?.ok_or(Error::NotFound)?;
    let no_independent = match decider(ctx, &event)? {
        Decider::Independent => false,
        Decider::NoIndependentReviewer => true,
        Decider::Another(_) | Decider::Nobody => return Err(Error::Invalid(ctx.t(M::ErrAppealSameReviewer).into())),
    };
    let env = ctx.as_staff()?;
    if !ctx.write(|tx| actions::credit::decide_appeal(&env, tx, id, &event, uphold, &answer, no_independent))? {
        return Err(Error::Invalid(ctx.t(M::ErrAppealDecided).into()));
    }
    Ok(Resp::redirect("/admin/appeals"))
}
