//! Staff administration: who may do what (R6.5), staff roles in
//! `/admin/users`, the emergency switches (R6.4) and the evidence records
//! (R12.2, R12.3). Every change is logged.

use super::{page, Ctx};
use crate::actions;
use crate::actions::roles::{self, RoleChange};
use crate::db::{self, evidence};
use crate::domain::account::Role;
use crate::domain::moderation::Emergency;
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::staff::{self as view, EvidenceForm};

/// Accounts per page of `/admin/users`.
const USERS_PAGE: u32 = 100;
/// Records per page of `/admin/evidence`.
const EVIDENCE_PAGE: u32 = 50;
/// Longest emergency banner, in characters.
const MAX_BANNER: usize = 300;

// ---------------------------------------------------------------------------
// Roles (R6.5)
// ---------------------------------------------------------------------------

/// # `GET /admin/users` (`q` username prefix, `staff` only staff, `after` pages)
pub fn users(ctx: &mut Ctx) -> Result<Resp> {
    let q: String = ctx.req.query("q").unwrap_or("").trim().trim_start_matches('@').chars().take(30).collect();
    let staff_only = ctx.req.query("staff").is_some();
    let after = ctx.req.query("after").unwrap_or("").to_string();
    let rows = db::staff::search(ctx.db, &q, staff_only, &after, USERS_PAGE)?;
    let next = (rows.len() == USERS_PAGE as usize)
        .then(|| {
            rows.last().map(|r| {
                let key = crate::domain::account::username_key(&r.user.username);
                let q = percent_encoding::utf8_percent_encode(&q, percent_encoding::NON_ALPHANUMERIC);
                format!("/admin/users?q={q}{}&after={key}", if staff_only { "&staff=1" } else { "" })
            })
        })
        .flatten();
    let notice = ctx.req.query("done").map(|d| d.chars().take(100).collect::<String>());
    let admins = db::staff::admin_count(ctx.db)?;
    page(ctx, |c| view::users(c, &q, staff_only, &rows, admins, next, notice.as_deref()))
}

/// # `POST /admin/users/{username}/roles` (`role`, `action` = grant | revoke)
///
/// An admin cannot take the admin role from the last active admin.
pub fn set_role(ctx: &mut Ctx) -> Result<Resp> {
    let name = ctx.path_text("user")?.to_string();
    let user = db::users::by_username(ctx.db, name.trim_start_matches('@'))?.ok_or(Error::NotFound)?;
    let role = Role::parse(ctx.req.field("role").unwrap_or(""))
        .ok_or_else(|| Error::BadRequest("role: reviewer, chief_editor or admin".into()))?;
    let grant = match ctx.req.field("action") {
        Some("grant") => true,
        Some("revoke") => false,
        _ => return Err(Error::BadRequest("action: grant or revoke".into())),
    };
    let env = ctx.as_staff()?;
    let changed = match ctx.write(|tx| roles::set_role(&env, tx, &user, role, grant))? {
        RoleChange::AccountClosed => return Err(Error::Invalid(ctx.t(M::ErrAccountClosed).into())),
        RoleChange::LastAdmin => return Err(Error::Invalid(ctx.t(M::ErrLastAdmin).into())),
        RoleChange::Granted | RoleChange::Revoked => true,
        RoleChange::AlreadyHeld | RoleChange::NotHeld => false,
    };
    let q = crate::domain::account::username_key(&user.username);
    Ok(Resp::redirect(&format!("/admin/users?q={q}&done={}", if changed { "saved" } else { "unchanged" })))
}

// ---------------------------------------------------------------------------
// Emergency mode (R6.4)
// ---------------------------------------------------------------------------

/// # `GET /admin/emergency`
pub fn emergency_form(ctx: &mut Ctx) -> Result<Resp> {
    let e = ctx.gov.emergency.clone();
    let saved = ctx.req.query("saved").is_some();
    page(ctx, |c| view::emergency(c, &e, saved))
}

/// # `POST /admin/emergency` (`hold_all`, `stop_reposts`, `stop_publishing`
/// checkboxes, `banner` text)
///
/// Each switch takes effect at once, site-wide, from the next request of
/// every worker and process; each change is its own log entry.
pub fn emergency(ctx: &mut Ctx) -> Result<Resp> {
    let on = |k: &str| ctx.req.field(k).is_some_and(|v| !v.is_empty() && v != "0");
    let banner = ctx.req.field("banner").unwrap_or("").trim().to_string();
    if grapheme_len(&banner) > MAX_BANNER {
        return Err(Error::Invalid(ctx.lang.f(M::ErrStaffTextLong, &[&MAX_BANNER])));
    }
    let new = Emergency {
        hold_all: on("hold_all"),
        stop_reposts: on("stop_reposts"),
        stop_publishing: on("stop_publishing"),
        banner,
    };
    // Stopping all publishing is asked twice (issue 13): a second step page
    // holding the same switches, which works without script.
    if new.stop_publishing && !ctx.gov.emergency.stop_publishing && ctx.req.field("confirm") != Some("1") {
        return page(ctx, |c| view::emergency_confirm(c, &new));
    }
    let env = ctx.as_staff()?;
    ctx.write(|tx| actions::emergency::set(&env, tx, &new))?;
    Ok(Resp::redirect("/admin/emergency?saved=1"))
}

// ---------------------------------------------------------------------------
// Evidence (R12.2, R12.3)
// ---------------------------------------------------------------------------

/// # `GET /admin/evidence` (`kind`, `author`, `from`, `to`, `before`)
///
/// Records newest first. Looking is logged: they hold personal data.
pub fn evidence(ctx: &mut Ctx) -> Result<Resp> {
    let q = |name: &str| ctx.req.query(name).unwrap_or("").trim().chars().take(100).collect::<String>();
    let form = EvidenceForm { kind: q("kind"), author: q("author"), from: q("from"), to: q("to") };
    let before = ctx.req.query_id("before")?.unwrap_or(i64::MAX);
    let mut f = evidence::Filter { kind: evidence::EvidenceKind::parse(&form.kind), ..Default::default() };
    let error = match super::account_and_range(ctx, &form.author, &form.from, &form.to)? {
        Ok((author_id, from, to)) => {
            (f.author_id, f.from, f.to) = (author_id, from, to);
            None
        }
        Err(msg) => Some(msg),
    };
    let rows = if error.is_none() { evidence::list(ctx.db, &f, before, EVIDENCE_PAGE)? } else { Vec::new() };
    let next = (rows.len() == EVIDENCE_PAGE as usize)
        .then(|| rows.last().map(|r| format!("/admin/evidence?{}before={}", form.query_prefix(), r.id)))
        .flatten();
    let target = format!("evidence:{}", form.query_prefix().trim_end_matches('&'));
    ctx.write(|tx| ctx.log(tx, "evidence.view", &target))?;
    let status = if error.is_some() { 422 } else { 200 };
    Ok(page(ctx, |c| view::evidence_list(c, &form, &rows, next, error.as_deref()))?.status(status))
}

/// # `GET /admin/evidence/{id}` — one record, with its media and hash.
pub fn evidence_record(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let e = evidence::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    ctx.write(|tx| ctx.log(tx, "evidence.view", &format!("evidence:{id}")))?;
    let intact = e.sha256 == e.compute_sha256();
    page(ctx, |c| view::evidence_record(c, &e, intact))
}
