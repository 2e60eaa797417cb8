//! The admin panel (admin role only, R6.5): dashboard, the activity log
//! with filters (R16.3), and site settings (R4.1 licence numbers, R6.1
//! agreement versions). Every change is logged.

use super::{page, Ctx};
use crate::db::dashboard::{self as dash, Series};
use crate::db::{self, log::Filter, settings::SiteSettings};
use crate::domain::account::Role;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::views::admin::{self as view, LogForm};

/// Longest setting value, in bytes.
const MAX_SETTING: usize = 200;
/// Longest agreement or rules text, in bytes.
const MAX_LEGAL_TEXT: usize = 200_000;
/// Entries per page of `/admin/logs`.
pub const LOG_PAGE: u32 = 100;

/// Days the dashboard's charts cover.
const CHART_DAYS: i64 = 30;

/// # `GET /admin` — for every staff role: the waiting work and the review
/// workload (R6.6), charts of posts, comments, complaints, queue age and
/// members (issue 13); admins also see the first-day checklist until it
/// is done, the replication lag (issue 14) and the newest log entries.
pub fn dashboard(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.clone();
    let is_admin = me.has(Role::Admin);
    let log = if is_admin { db::log::search(ctx.db, &Filter::default(), i64::MAX, 20)? } else { Vec::new() };
    let work = db::moderation::workload(ctx.db)?;
    // Days are the site's local days, at the offset that applies now (a
    // daylight-saving change within the charted days shifts the older bars by an hour).
    let (now, offset) = (ctx.now, ctx.app.config.zone.offset_seconds_at(ctx.now) / 60);
    let series = |s| dash::per_day(ctx.db, s, now, offset, CHART_DAYS);
    let since = (dash::local_day(now, offset) - CHART_DAYS + 1) * 86_400 - i64::from(offset) * 60;
    let figures = view::Figures {
        posts: series(Series::Posts)?,
        comments: series(Series::Comments)?,
        complaints_opened: series(Series::ComplaintsOpened)?,
        complaints_closed: series(Series::ComplaintsClosed)?,
        complaints_overdue: series(Series::ComplaintsOverdue)?,
        new_members: series(Series::Members)?,
        queue_ages: dash::queue_ages(ctx.db, now)?,
        members: dash::members(ctx.db, since)?,
    };
    let checklist = if is_admin {
        let facts = dash::setup(ctx.db)?;
        let s = &ctx.site.settings;
        let list = view::Checklist {
            site_named: s.site_name != "Plaza" && !s.icp_filing.is_empty() && !s.psb_filing.is_empty(),
            identity_bound: me.identity.may_publish(),
            reposts_assessed: facts.reposts_assessed,
            others_added: facts.other_accounts > 0,
        };
        Some(list).filter(|l| !l.done())
    } else {
        None
    };
    // Issue 14: the replication lag, for admins.
    let replication = is_admin.then(|| (ctx.app.replication.state(), ctx.app.replication.threshold()));
    let known = log_targets(ctx, &log)?;
    page(ctx, |c| view::dashboard(c, &work, &figures, checklist.as_ref(), &log, &known, replication.as_ref()))
}

/// The posts, comments, accounts and complaints the entries name (in their
/// target or outcome), described so the page shows them in words (issue 13).
fn log_targets(ctx: &Ctx, rows: &[db::log::LogRow]) -> Result<db::targets::Targets> {
    db::targets::describe_in(ctx.db, rows.iter().flat_map(|r| [r.target.as_str(), r.outcome.as_str()]))
}

/// The filter a log form asks for, or the message saying what is wrong
/// with it.
fn log_filter(ctx: &Ctx, form: &LogForm) -> Result<std::result::Result<Filter, String>> {
    let (account_id, from, to) = match super::account_and_range(ctx, &form.account, &form.from, &form.to)? {
        Ok(v) => v,
        Err(msg) => return Ok(Err(msg)),
    };
    Ok(Ok(Filter {
        account_id,
        from,
        to,
        action: Some(form.action.clone()).filter(|a| !a.is_empty()),
        ip: Some(form.ip.clone()).filter(|a| !a.is_empty()),
    }))
}

/// # `GET /admin/logs` (`account`, `action` (`post.*` for a prefix), `ip`, `from`, `to`, `before`)
///
/// The activity log for staff, filtered and paged newest first (R16.3).
/// Looking is itself logged: the log holds personal data.
pub fn logs(ctx: &mut Ctx) -> Result<Resp> {
    let q = |name: &str| ctx.req.query(name).unwrap_or("").trim().chars().take(100).collect::<String>();
    let form = LogForm { account: q("account"), action: q("action"), ip: q("ip"), from: q("from"), to: q("to") };
    let before = ctx.req.query_id("before")?.unwrap_or(i64::MAX);
    let (rows, error) = match log_filter(ctx, &form)? {
        Ok(f) => (db::log::search(ctx.db, &f, before, LOG_PAGE)?, None),
        Err(msg) => (Vec::new(), Some(msg)),
    };
    let next = (rows.len() == LOG_PAGE as usize)
        .then(|| rows.last().map(|r| format!("/admin/logs?{}before={}", form.query_prefix(), r.id)))
        .flatten();
    let target = format!("log:{}", form.query_prefix().trim_end_matches('&'));
    ctx.write(|tx| ctx.log(tx, "log.view", &target))?;
    let status = if error.is_some() { 422 } else { 200 };
    let known = log_targets(ctx, &rows)?;
    Ok(page(ctx, |c| view::logs(c, &form, &rows, &known, next, error.as_deref()))?.status(status))
}

/// # `GET /admin/settings`
pub fn settings_form(ctx: &mut Ctx) -> Result<Resp> {
    let saved = ctx.req.query("saved").is_some();
    let site = ctx.site.clone();
    page(ctx, |c| view::settings(c, &site.settings, &site.agreement, saved))
}

/// # `POST /admin/settings` (site fields, `agreement_text`, `rules_text`, `new_version`)
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    let field = |name: &str| -> Result<String> {
        let v = ctx.req.field(name).unwrap_or("").trim().to_string();
        if v.len() > MAX_SETTING {
            return Err(Error::Invalid(format!("{name}: at most {MAX_SETTING} bytes")));
        }
        Ok(v)
    };
    let mut new = SiteSettings {
        site_name: field("site_name")?,
        icp_filing: field("icp_filing")?,
        psb_filing: field("psb_filing")?,
        news_licence: field("news_licence")?,
        footer_note: field("footer_note")?,
    };
    if new.site_name.is_empty() {
        new.site_name = "Plaza".into();
    }
    // Browsers send a textarea's line breaks as CRLF: compare and store LF.
    let legal = |name: &str| ctx.req.field(name).unwrap_or("").replace("\r\n", "\n").trim().to_string();
    let (agreement, rules) = (legal("agreement_text"), legal("rules_text"));
    if agreement.is_empty() || rules.is_empty() || agreement.len() > MAX_LEGAL_TEXT || rules.len() > MAX_LEGAL_TEXT {
        return Err(Error::Invalid(format!("the agreement and rules must each be 1 to {MAX_LEGAL_TEXT} bytes")));
    }
    let current = &ctx.site.agreement;
    let text_changed = agreement != current.agreement_text.trim() || rules != current.rules_text.trim();
    let new_version = ctx.req.field("new_version").is_some() || text_changed;
    let (now, me) = (ctx.now, ctx.user()?.id);
    ctx.write(|tx| {
        for key in db::settings::save(tx, &new)? {
            ctx.log(tx, "setting.change", &format!("setting:{key}"))?;
        }
        if new_version {
            // R6.1: any change to the text is a new version every member accepts again.
            let v = db::settings::publish_agreement(tx, &agreement, &rules, Some(me), now)?;
            ctx.log(tx, "agreement.publish", &format!("agreement:{v}"))?;
        }
        Ok(())
    })?;
    ctx.app.reload_site(ctx.db)?;
    Ok(Resp::redirect("/admin/settings?saved=1"))
}
