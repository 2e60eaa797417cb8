//! A member's own data (R7.6): download it (a zip built in the background)
//! and close the account. Every step is logged.

use super::{page, Ctx, SESSION_COOKIE};
use crate::actions;
use crate::db::{self, account_data};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::member_data;
use crate::views::account as view;

/// # `GET /settings/export`
pub fn export_page(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let latest = account_data::latest_export(ctx.db, me)?;
    page(ctx, |c| view::export(c, latest.as_ref(), member_data::KEEP_DAYS))
}

/// # `POST /settings/export` — start building a download (one at a time).
pub fn export_start(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let env = ctx.as_member()?;
    if let Some(id) = ctx.write(|tx| actions::member_data::request_export(&env, tx, me))? {
        member_data::start(ctx.app.config.data_dir.clone(), id, me);
    }
    Ok(Resp::redirect("/settings/export"))
}

/// # `GET /settings/export/{id}` — the zip, to its owner only.
pub fn export_download(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.clone();
    let id = ctx.path_id("id")?;
    let e = account_data::export(ctx.db, id)?
        .filter(|e| e.user_id == me.id && e.status == "ready")
        .ok_or(Error::NotFound)?;
    let file = e.file_name.ok_or(Error::NotFound)?;
    let bytes = match std::fs::read(ctx.app.config.data_dir.join(member_data::EXPORT_DIR).join(file)) {
        Ok(b) => b,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(Error::Gone),
        Err(err) => return Err(err.into()),
    };
    ctx.write(|tx| ctx.log(tx, "data.export_download", &format!("export:{id}")))?;
    let disposition = format!("attachment; filename=\"plaza-{}-{id}.zip\"", me.username);
    Ok(Resp::with_type(200, "application/zip", bytes).header("Content-Disposition", &disposition))
}

/// # `GET /settings/close`
pub fn close_form(ctx: &mut Ctx) -> Result<Resp> {
    ctx.user()?;
    let days = ctx.app.config.log_retention_days;
    page(ctx, |c| view::close(c, days, None))
}

/// # `POST /settings/close` (`password`)
///
/// Closes the account after the password is entered again (R7.6): public
/// content disappears from every listing, the username stays reserved, the
/// activity log stays for its retention period. Wrong passwords slow the
/// account down as for a password change (`auth::reauth_wait`, 429).
pub fn close(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.clone();
    let days = ctx.app.config.log_retention_days;
    let target = format!("user:{}", me.id);
    if !me.roles.is_empty() {
        let msg = ctx.t(M::ErrStaffCannotClose);
        ctx.write(|tx| ctx.log_outcome(tx, "user.close", &target, "refused: staff account"))?;
        return Ok(page(ctx, |c| view::close(c, days, Some(msg)))?.status(422));
    }
    let wait = super::auth::reauth_wait(ctx, me.id);
    if wait > 0 {
        // A stolen session guesses slowly: no password checked (R16.1: logged).
        ctx.write(|tx| ctx.log_outcome(tx, "user.close", &target, "too many attempts"))?;
        let msg = ctx.t(M::ErrTooManyPasswordTries);
        let resp = page(ctx, |c| view::close(c, days, Some(msg)))?;
        return Ok(resp.status(429).header("Retry-After", &wait.to_string()));
    }
    let password = ctx.req.field("password").unwrap_or("");
    let ok = match db::users::credentials(ctx.db, &me.username)? {
        Some((_, hash)) => ctx.app.hasher.verify(password, &hash)?,
        None => false,
    };
    super::auth::reauth_outcome(ctx, me.id, ok);
    if !ok {
        ctx.write(|tx| ctx.log_outcome(tx, "user.close", &target, "wrong password"))?;
        let msg = ctx.t(M::ErrWrongPassword);
        return Ok(page(ctx, |c| view::close(c, days, Some(msg)))?.status(422));
    }
    let now = ctx.now;
    let env = ctx.as_member()?;
    ctx.write(|tx| actions::member_data::close(&env, tx, me.id))?;
    if let Err(e) = member_data::delete_downloads(ctx.db, &ctx.app.config.data_dir, now, Some(me.id)) {
        eprintln!("plaza: deleting the downloads of closed account {}: {e}", me.id);
    }
    let c = ctx.cookie(SESSION_COOKIE, String::new(), 0, true);
    ctx.cookies.push(c);
    ctx.user = None;
    page(ctx, |c| view::closed(c, days))
}
