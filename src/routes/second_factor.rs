//! Second factor (issue 15): `/login/second-factor` after the password
//! for accounts that have one, and `/settings/two-factor` to set one up
//! (required for admins and chief editors before staff pages open,
//! offered to everyone) or switch it off.

use super::{page, Ctx};
use crate::actions::second_factor as act;
use crate::db;
use crate::domain::second_factor as rules;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::second_factor::{self as view, SettingsPage};

/// The throttle key of code entry for account `id` (shared by every
/// session of the account, so more sessions do not mean more guesses).
fn key(id: i64) -> String {
    format!("second-factor:user:{id}")
}

/// # `GET /login/second-factor` (`next`) — the code after the password.
pub fn login_form(ctx: &mut Ctx) -> Result<Resp> {
    match &ctx.user {
        Some(u) if u.second_factor_pending => {}
        _ => return Ok(Resp::redirect("/")),
    }
    let next = ctx.next_or("/");
    page(ctx, |c| view::login(c, &next, None))
}

/// # `POST /login/second-factor` (`code`: from the app, or a recovery code; `next`)
///
/// Wrong codes slow the account down (the growing wait of password
/// re-entry): 429 with `Retry-After`, no code checked, logged.
pub fn login(ctx: &mut Ctx) -> Result<Resp> {
    let u = match &ctx.user {
        Some(u) if u.second_factor_pending => u.clone(),
        _ => return Err(Error::LoginRequired),
    };
    let next = ctx.next_or("/");
    let target = format!("user:{}", u.id);
    let wait = ctx.app.reauth_throttle.lock().unwrap_or_else(|p| p.into_inner()).wait(&key(u.id), ctx.now);
    if wait > 0 {
        ctx.write(|tx| ctx.log_outcome(tx, "user.second_factor", &target, "too many attempts"))?;
        let msg = ctx.t(M::ErrTooManyCodes).to_string();
        let resp = page(ctx, |c| view::login(c, &next, Some(&msg)))?;
        return Ok(resp.status(429).header("Retry-After", &wait.to_string()));
    }
    let code = ctx.req.field("code").unwrap_or("").chars().take(40).collect::<String>();
    let env = ctx.as_member()?;
    let right = ctx.write(|tx| {
        let right = act::verify(&env, tx, u.id, &code)?;
        if right {
            db::sessions::set_second_factor_pending(tx, &u.token_hash, false)?;
        }
        Ok(right)
    })?;
    {
        let mut t = ctx.app.reauth_throttle.lock().unwrap_or_else(|p| p.into_inner());
        if right {
            t.clear(&key(u.id));
        } else {
            t.failed(&key(u.id), ctx.now);
        }
    }
    if !right {
        let msg = ctx.t(M::SecondFactorWrong).to_string();
        return Ok(page(ctx, |c| view::login(c, &next, Some(&msg)))?.status(422));
    }
    Ok(Resp::redirect(&next))
}

/// The settings page for the signed-in account: `secret` being set up (in
/// clear, shown to its owner), `codes` just made, `error`.
fn settings_page(
    ctx: &Ctx,
    secret: Option<Vec<u8>>,
    codes: Option<Vec<String>>,
    error: Option<String>,
) -> Result<Resp> {
    let u = ctx.user()?;
    let (pending, on) = match act::secret(&ctx.app.keys, ctx.db, u.id)? {
        Some((s, true)) => (None, Some(s)),
        Some((s, false)) => (Some(s), None),
        None => (None, None),
    };
    let secret = secret.or(pending);
    let p = SettingsPage {
        on: on.is_some(),
        required: rules::required(&u.roles, ctx.app.config.second_factor_for_top_staff),
        asked: ctx.req.query("required").is_some(),
        base32: secret.as_ref().map(|s| rules::base32(s)),
        uri: secret.as_ref().map(|s| rules::uri(s, &ctx.site.settings.site_name, &u.username)),
        codes,
        recovery_left: if on.is_some() { db::second_factor::recovery_left(ctx.db, u.id)? } else { 0 },
        error,
    };
    let status = if p.error.is_some() { 422 } else { 200 };
    Ok(page(ctx, |c| view::settings(c, &p))?.status(status))
}

/// # `GET /settings/two-factor` (`?required=1` when sent here after login)
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    settings_page(ctx, None, None, None)
}

/// # `POST /settings/two-factor/start` — a new secret to enter in an app.
pub fn start(ctx: &mut Ctx) -> Result<Resp> {
    let env = ctx.as_member()?;
    let me = ctx.user()?.id;
    ctx.write(|tx| act::start(&env, tx, me))?;
    Ok(Resp::redirect("/settings/two-factor"))
}

/// # `POST /settings/two-factor/enable` (`code`) — the first code switches
/// it on; the page shows the recovery codes, once.
pub fn enable(ctx: &mut Ctx) -> Result<Resp> {
    let env = ctx.as_member()?;
    let me = ctx.user()?.id;
    let code = ctx.req.field("code").unwrap_or("").to_string();
    match ctx.write(|tx| act::enable(&env, tx, me, &code))? {
        Some(codes) => settings_page(ctx, None, Some(codes), None),
        None => {
            let msg = ctx.t(M::SecondFactorWrong).to_string();
            settings_page(ctx, None, None, Some(msg))
        }
    }
}

/// # `POST /settings/two-factor/disable` (`password`) — not for accounts
/// that must have one; the password is checked like a password change.
pub fn disable(ctx: &mut Ctx) -> Result<Resp> {
    let u = ctx.user()?.clone();
    if rules::required(&u.roles, ctx.app.config.second_factor_for_top_staff) {
        return Err(Error::ForbiddenBecause(ctx.t(M::SecondFactorRequiredText).into()));
    }
    let wait = super::auth::reauth_wait(ctx, u.id);
    if wait > 0 {
        let msg = ctx.t(M::ErrTooManyPasswordTries).to_string();
        return Ok(settings_page(ctx, None, None, Some(msg))?.status(429).header("Retry-After", &wait.to_string()));
    }
    let hash = db::users::password_hash(ctx.db, u.id)?.ok_or(Error::NotFound)?;
    let password = ctx.req.field("password").unwrap_or("").to_string();
    let right = !password.is_empty() && ctx.app.hasher.verify(&password, &hash)?;
    super::auth::reauth_outcome(ctx, u.id, right);
    if !right {
        let msg = ctx.t(M::ErrWrongPassword).to_string();
        return settings_page(ctx, None, None, Some(msg));
    }
    let env = ctx.as_member()?;
    ctx.write(|tx| act::disable(&env, tx, u.id))?;
    Ok(Resp::redirect("/settings/two-factor"))
}
