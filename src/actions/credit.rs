//! Credit (R15.1): an account's score and level, the penalty table
//! (removal, upheld complaint, confirmed rumour label), and the monthly
//! bonus for 30 days without a penalty; staff adjustments and decisions
//! on appeals. Scores are clamped to
//! `0..=credit_max`; the sizes are in the configuration (`credit_*`).

use super::{rank, Env};
use crate::app::App;
use crate::config::Config;
use crate::db::credit::{self as dbc, Source};
use crate::db::notifications::{self, Kind};
use crate::db::{self, moderation as dbm};
use crate::domain::credit::{self, Level};
use crate::error::Result;
use rusqlite::{Connection, Transaction};

/// A member's score (`credit_start` plus the sum of events, clamped to
/// `0..=credit_max`) and the level it maps to (`credit_levels`), as tier
/// rules use it (R9.1, R15.1).
///
/// # Errors
/// A database error.
pub fn score(config: &Config, conn: &Connection, user: i64) -> Result<(i64, Level)> {
    let s = credit::clamp(config.credit_start + dbc::delta_sum(conn, user)?, config.credit_max);
    Ok((s, credit::level(s, &config.credit_levels)))
}

/// The penalty table (R15.1): points taken for a credit event from
/// `source` (`credit_removal`, `credit_complaint`, `credit_rumour`); other
/// sources are not penalties.
pub fn penalty(config: &Config, source: Source) -> i64 {
    match source {
        Source::Removal => config.credit_removal,
        Source::Complaint => config.credit_complaint,
        Source::Rumour => config.credit_rumour,
        _ => 0,
    }
}

/// Record the penalty for `source` on `user` inside `tx` (R15.1), decided
/// by `env.actor`, referring to `ref` (`post:12`, `complaint:3`...) with
/// `reason`; the member is told (a removal's own notice already says so)
/// and the event is logged as `credit.event`.
///
/// # Returns
/// The event id.
///
/// # Errors
/// A database error.
pub fn penalise(env: &Env, tx: &Transaction, user: i64, source: Source, r#ref: &str, reason: &str) -> Result<i64> {
    let points = penalty(env.config, source);
    let actor = env.actor.account();
    let id = dbc::add(tx, user, -points, source, reason, r#ref, actor, env.now)?;
    if source != Source::Removal {
        // A removal's own notice already says so and links to the appeal.
        tell(tx, user, actor, -points, reason, env.now)?;
    }
    env.log(tx, "credit.event", &format!("user:{user} event:{id} {}", r#ref), &format!("ok: -{points}"))?;
    Ok(id)
}

/// Bring `user`'s score just below the lowest configured level boundary
/// (the `restricted` level, R9.1) with a staff event for `reason`,
/// referring to `ref` (a complaint acted on), logged as `credit.adjust`;
/// nothing when the score is already that low.
///
/// # Errors
/// A database error; `Outranked` when staff do not outrank `user` (R6.5).
pub fn restrict(env: &Env, tx: &Transaction, user: i64, r#ref: &str, reason: &str) -> Result<()> {
    rank::check(env, tx, user)?;
    let (score, _) = score(env.config, tx, user)?;
    let floor = env.config.credit_levels.last().copied().unwrap_or(0);
    let delta = (floor - 1).min(score) - score;
    if delta < 0 {
        let e = dbc::add(tx, user, delta, Source::Staff, reason, r#ref, env.actor.account(), env.now)?;
        env.log(tx, "credit.adjust", &format!("user:{user} event:{e}"), &format!("ok: {delta}"))?;
    }
    Ok(())
}

/// Staff adjust `user`'s score by `delta` points for `reason` (R15.1);
/// the member is told, logged as `credit.adjust`.
///
/// # Returns
/// The event id.
///
/// # Errors
/// A database error; `Outranked` when the staff member does not outrank
/// `user` (R6.5: their own score included, either way).
pub fn adjust(env: &Env, tx: &Transaction, user: i64, delta: i64, reason: &str) -> Result<i64> {
    rank::check(env, tx, user)?;
    let me = env.actor.account();
    let id = dbc::add(tx, user, delta, Source::Staff, reason, "", me, env.now)?;
    tell(tx, user, me, delta, reason, env.now)?;
    env.log(tx, "credit.adjust", &format!("user:{user} event:{id}"), &format!("ok: {delta:+}"))?;
    Ok(id)
}

/// Decide appeal `appeal` against `event` (R15.1), as a reviewer other than
/// the one who decided the event, or, when `no_independent` (no such
/// reviewer exists, the caller checks with
/// [`crate::domain::credit::decider_for`]), as that chief editor or
/// admin, recorded on the appeal and in the log (R6.5): upheld, the removed
/// post or comment is published again and the event reversed; either way
/// the member is told with `answer`, logged as `credit.appeal_decide`.
///
/// # Returns
/// False if the appeal was already decided (nothing written).
///
/// # Errors
/// A database error.
pub fn decide_appeal(
    env: &Env,
    tx: &Transaction,
    appeal: i64,
    event: &dbc::Event,
    uphold: bool,
    answer: &str,
    no_independent: bool,
) -> Result<bool> {
    let me = env.actor.account().unwrap_or(0);
    let status = if uphold { "upheld" } else { "rejected" };
    if !dbc::decide_appeal(tx, appeal, status, answer, me, env.now, no_independent)? {
        return Ok(false);
    }
    let (post, comment) = restore_target(env, tx, &event.r#ref, uphold)?;
    if uphold {
        let r = format!("event:{}", event.id);
        let rev = dbc::add(tx, event.user_id, -event.delta, Source::Appeal, answer, &r, Some(me), env.now)?;
        dbc::mark_reversed(tx, event.id, rev)?;
    }
    let kind = if uphold { Kind::AppealUpheld } else { Kind::AppealRejected };
    notifications::notify_with(tx, event.user_id, kind, me, post, comment, answer, env.now)?;
    let outcome = if no_independent { format!("{status}, no independent reviewer") } else { status.to_string() };
    env.log(tx, "credit.appeal_decide", &format!("appeal:{appeal} event:{}", event.id), &outcome)?;
    Ok(true)
}

/// The post and comment an event names (`post:12`, `comment:3`); when
/// `restore`, a removed one is published again (as the chief editor's
/// reversal does), logged.
fn restore_target(env: &Env, tx: &Transaction, r#ref: &str, restore: bool) -> Result<(Option<i64>, Option<i64>)> {
    let (kind, id) = r#ref.split_once(':').unwrap_or(("", ""));
    let Ok(id) = id.parse::<i64>() else { return Ok((None, None)) };
    match kind {
        "post" => {
            if let (Some(p), true) = (db::posts::get(tx, id)?, restore) {
                if dbm::restore_post(tx, &p, env.now)? {
                    env.log(tx, "post.restore", &format!("post:{id}"), "ok: appeal upheld")?;
                }
            }
            Ok((Some(id), None))
        }
        "comment" => match db::posts::comment(tx, id)? {
            Some(c) => {
                if restore && dbm::restore_comment(tx, &c, env.now)? {
                    env.log(tx, "comment.restore", &format!("comment:{id}"), "ok: appeal upheld")?;
                }
                Ok((Some(c.post_id), Some(id)))
            }
            None => Ok((None, None)),
        },
        "sanction" => {
            // Issue 18: an upheld appeal against a sanction lifts it.
            if restore {
                super::sanctions::lift_because(env, tx, id, "ok: appeal upheld")?;
            }
            Ok((None, None))
        }
        _ => Ok((None, None)),
    }
}

/// Tell `user` their score changed by `delta` points because of `reason`
/// (from `actor`, or the member themselves for the system), with a link to
/// `/settings/credit` where a penalty can be appealed (R15.1).
///
/// # Errors
/// A database error.
pub fn tell(tx: &Transaction, user: i64, actor: Option<i64>, delta: i64, reason: &str, now: i64) -> Result<()> {
    let detail = if reason.is_empty() { format!("{delta:+}") } else { format!("{delta:+}: {reason}") };
    notifications::notify_with(tx, user, notifications::Kind::Credit, actor.unwrap_or(user), None, None, &detail, now)
}

/// The monthly bonus (R15.1), part of the daily job: every active account
/// with 30 days without a penalty or bonus gains `credit_monthly`, up to
/// `credit_max`, in one transaction logged as `credit.monthly`.
///
/// # Returns
/// How many accounts gained.
///
/// # Errors
/// A database error; nothing is written then.
pub fn monthly_bonus(app: &App, conn: &Connection) -> Result<usize> {
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
            let env = Env { now, ..super::daily::system(app) };
            env.log(tx, "credit.monthly", "users", &format!("{n} accounts"))?;
        }
        Ok(n)
    })
}
