//! The admin panel (admin role only, R6.5): dashboard, the activity log
//! with filters (R16.3), and site settings (R4.1 licence numbers, R6.1
//! agreement versions). Every change is logged.

use super::{page, Ctx};
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

/// # `GET /admin` — for every staff role: the review workload (R6.6);
/// admins also see the replication lag (issue 14) and the newest log entries.
pub fn dashboard(ctx: &mut Ctx) -> Result<Resp> {
    let is_admin = ctx.user()?.has(Role::Admin);
    let log = if is_admin { db::log::search(ctx.db, &Filter::default(), i64::MAX, 50)? } else { Vec::new() };
    let work = db::moderation::workload(ctx.db)?;
    // Issue 14: the replication lag, for admins.
    let replication = is_admin.then(|| (ctx.app.replication.state(), ctx.app.replication.threshold()));
    page(ctx, |c| view::dashboard(c, &work, &log, replication.as_ref()))
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
    Ok(page(ctx, |c| view::logs(c, &form, &rows, next, error.as_deref()))?.status(status))
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
