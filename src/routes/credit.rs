//! Credit scores (R15.1): the score and level of an account, events from
//! removals, upheld complaints and rumour labels, the monthly bonus (in
//! the daily task), staff adjustments, and appeals.
//!
//! Members see their own score at `/settings/credit` and may appeal once
//! against each penalty (a removal's appeal is against its event); a
//! reviewer other than the one who decided handles the appeal; an upheld
//! appeal restores removed content and reverses the event. Both outcomes
//! are notified.

use super::{page, Ctx};
use crate::db::credit::{self as dbc, Source};
use crate::db::notifications::{self, Kind};
use crate::db::{self, moderation as dbm};
use crate::domain::credit::{self, Level};
use crate::domain::moderation::MAX_STAFF_TEXT;
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::credit as view;
use rusqlite::{Connection, Transaction};

/// How many events the history shows.
const HISTORY: u32 = 200;

/// A member's score (start plus events, within 0..=`credit_max`) and level.
pub fn score(ctx: &Ctx, conn: &Connection, user: i64) -> Result<(i64, Level)> {
    let cfg = &ctx.app.config;
    let s = credit::clamp(cfg.credit_start + dbc::delta_sum(conn, user)?, cfg.credit_max);
    Ok((s, credit::level(s, &cfg.credit_levels)))
}

/// Record a penalty of the configured size for `source` on `user` inside
/// `tx` (R15.1), logged as `credit.event`. Returns the event id.
pub fn penalise(ctx: &Ctx, tx: &Transaction, user: i64, source: Source, r#ref: &str, reason: &str) -> Result<i64> {
    let cfg = &ctx.app.config;
    let points = match source {
        Source::Removal => cfg.credit_removal,
        Source::Complaint => cfg.credit_complaint,
        Source::Rumour => cfg.credit_rumour,
        _ => 0,
    };
    let actor = ctx.user.as_ref().map(|u| u.id);
    let id = dbc::add(tx, user, -points, source, reason, r#ref, actor, ctx.now)?;
    if source != Source::Removal {
        // A removal's own notice already says so and links to the appeal.
        tell(tx, user, actor, -points, reason, ctx.now)?;
    }
    ctx.log_outcome(tx, "credit.event", &format!("user:{user} event:{id} {}", r#ref), &format!("ok: -{points}"))?;
    Ok(id)
}

/// Tell `user` their score changed by `delta` because of `reason`, with a
/// link to `/settings/credit` where a penalty can be appealed (R15.1).
fn tell(tx: &Transaction, user: i64, actor: Option<i64>, delta: i64, reason: &str, now: i64) -> Result<()> {
    let detail = if reason.is_empty() { format!("{delta:+}") } else { format!("{delta:+}: {reason}") };
    notifications::notify_with(tx, user, Kind::Credit, actor.unwrap_or(user), None, None, &detail, now)
}

/// # `GET /settings/credit` — the member's own score, level and history,
/// with an appeal form under each penalty not yet appealed.
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let (s, level) = score(ctx, ctx.db, me)?;
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
    let (s, level) = score(ctx, ctx.db, user.id)?;
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
        tell(tx, user.id, Some(me), delta, &reason, ctx.now)?;
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

/// The daily task's part (R15.1): every active account with 30 days
/// without a penalty or bonus gains `credit_monthly`, up to `credit_max`.
/// Returns how many gained.
pub fn monthly_bonus(app: &crate::app::App, conn: &Connection) -> Result<usize> {
    let (now, cfg) = (app.now(), &app.config);
    if cfg.credit_monthly <= 0 {
        return Ok(0);
    }
    let due = dbc::due_for_bonus(conn, now)?;
    app.write(conn, |tx| {
        let mut n = 0;
        for user in &due {
            let s = cfg.credit_start + dbc::delta_sum(tx, *user)?;
            let gain = cfg.credit_monthly.min(cfg.credit_max - s);
            if gain > 0 {
                dbc::add(tx, *user, gain, Source::GoodBehaviour, "", "", None, now)?;
                n += 1;
            }
        }
        if n > 0 {
            let source = db::log::Source::cli("serve daily");
            db::log::append(tx, &app.keys.audit, &source, now, "credit.monthly", "users", &format!("{n} accounts"))?;
        }
        Ok(n)
    })
}
