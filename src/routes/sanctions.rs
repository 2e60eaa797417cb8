//! Staff sanctions (issue 18): muting (禁言) or suspending (封禁) an
//! account from the staff account page, and lifting one early. The
//! member's side: publishing refused while muted (`Ctx::publish`), login
//! refused while suspended (`auth::login`).

use super::Ctx;
use crate::actions::sanctions::{self, Refusal};
use crate::db::{self, sanctions::Kind};
use crate::domain::dates::{self, Bound};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;

/// # `POST /admin/credit/{username}/sanction` (`kind` = `mute` | `suspend`,
/// `until` = a day in the site's zone, the sanction ends when it starts,
/// `reason` required)
///
/// # Errors
/// `NotFound` for a missing account; `Invalid` (422, shown next to the
/// form, nothing written) for a bad kind or date, a day not in the future,
/// no reason, oneself.
pub fn impose(ctx: &mut Ctx) -> Result<Resp> {
    let name = ctx.path_text("user")?.to_string();
    let user = db::users::by_username(ctx.db, &name)?.ok_or(Error::NotFound)?;
    let kind = Kind::parse(ctx.req.field("kind").unwrap_or(""))
        .ok_or_else(|| Error::Invalid(ctx.t(M::ErrSanctionKind).into()))?;
    let until = ctx.req.field("until").unwrap_or("").trim().to_string();
    let ends_at = dates::parse(&until, &ctx.app.config.zone, Bound::To)
        .map_err(|_| Error::Invalid(ctx.lang.f(M::ErrSanctionDate, &[&until])))?;
    let reason = ctx.req.field("reason").unwrap_or("").to_string();
    let env = ctx.as_staff()?;
    match ctx.write(|tx| sanctions::impose(&env, tx, &user, kind, ends_at, &reason))? {
        Ok(_) => Ok(Resp::redirect(&format!("/admin/credit/{}#sanctions", user.username))),
        Err(r) => Err(Error::Invalid(match r {
            Refusal::NoReason => ctx.t(M::ErrReasonRequired).to_string(),
            Refusal::ReasonTooLong => ctx.lang.f(M::ErrSanctionReasonLong, &[&sanctions::MAX_REASON_CHARS]),
            Refusal::EndInPast => ctx.t(M::ErrSanctionPast).to_string(),
            Refusal::Yourself => ctx.t(M::ErrSanctionSelf).to_string(),
            Refusal::Closed => ctx.t(M::ErrSanctionClosed).to_string(),
        })),
    }
}

/// # `POST /admin/sanctions/{id}/lift`
///
/// # Errors
/// `NotFound` for a missing sanction; `Invalid` when it is no longer in force.
pub fn lift(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let s = db::sanctions::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let user = db::users::by_id(ctx.db, s.user_id)?.ok_or(Error::NotFound)?;
    let env = ctx.as_staff()?;
    if !ctx.write(|tx| sanctions::lift(&env, tx, id))? {
        return Err(Error::Invalid(ctx.t(M::ErrSanctionNotInForce).into()));
    }
    Ok(Resp::redirect(&format!("/admin/credit/{}#sanctions", user.username)))
}
