//! The admin panel (admin role only, R6.5): dashboard and site settings
//! (R4.1 licence numbers, R6.1 agreement versions). Every change is logged.

use super::{page, Ctx};
use crate::db::{self, settings::SiteSettings};
use crate::domain::account::Role;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::views::admin as view;

/// Longest setting value, in bytes.
const MAX_SETTING: usize = 200;
/// Longest agreement or rules text, in bytes.
const MAX_LEGAL_TEXT: usize = 200_000;

/// # `GET /admin`
pub fn dashboard(ctx: &mut Ctx) -> Result<Resp> {
    ctx.staff(Role::Admin)?;
    let log = db::log::recent(ctx.db, None, 50)?;
    page(ctx, |c| view::dashboard(c, &log))
}

/// # `GET /admin/settings`
pub fn settings_form(ctx: &mut Ctx) -> Result<Resp> {
    ctx.staff(Role::Admin)?;
    let saved = ctx.req.query("saved").is_some();
    let site = ctx.site.clone();
    page(ctx, |c| view::settings(c, &site.settings, &site.agreement, saved))
}

/// # `POST /admin/settings` (site fields, `agreement_text`, `rules_text`, `new_version`)
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    ctx.staff(Role::Admin)?;
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
    let agreement = ctx.req.field("agreement_text").unwrap_or("").trim().to_string();
    let rules = ctx.req.field("rules_text").unwrap_or("").trim().to_string();
    if agreement.is_empty() || rules.is_empty() || agreement.len() > MAX_LEGAL_TEXT || rules.len() > MAX_LEGAL_TEXT {
        return Err(Error::Invalid(format!("the agreement and rules must each be 1 to {MAX_LEGAL_TEXT} bytes")));
    }
    let current = &ctx.site.agreement;
    let text_changed = agreement != current.agreement_text || rules != current.rules_text;
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
