//! The one-time link that sets the password of an account an organisation
//! made (`plaza user import`): `/password/set?token=`. Using it kills every
//! link of the account; the member then logs in and accepts the agreement.

use super::{page, Ctx};
use crate::crypto;
use crate::db::{self, onboarding};
use crate::domain::account;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::auth as view;

/// The live token of the query or form: its hash and the account's
/// (id, username); `Gone` when used, expired or unknown.
fn live(ctx: &Ctx) -> Result<([u8; 32], String, (i64, String))> {
    let token = ctx.req.field("token").or(ctx.req.query("token")).unwrap_or("").to_string();
    let hash = crypto::sha256(token.as_bytes());
    if token.is_empty() {
        return Err(Error::Gone);
    }
    let user = onboarding::token_user(ctx.db, &hash, ctx.now)?.ok_or(Error::Gone)?;
    Ok((hash, token, user))
}

/// # `GET /password/set?token=`
pub fn form(ctx: &mut Ctx) -> Result<Resp> {
    let (_, token, (_, username)) = live(ctx)?;
    page(ctx, |c| view::password_set(c, &token, &username, None))
}

/// # `POST /password/set` (`token`, `password`)
pub fn set(ctx: &mut Ctx) -> Result<Resp> {
    let (hash, token, (id, username)) = live(ctx)?;
    let password = ctx.req.field("password").unwrap_or("").to_string();
    if let Err(e) = account::check_password(&password) {
        let m = match e {
            account::AccountError::PasswordTooLong => M::ErrPasswordLong,
            account::AccountError::PasswordTooCommon => M::ErrPasswordCommon,
            _ => M::ErrPasswordShort,
        };
        let msg = ctx.t(m);
        return Ok(page(ctx, |c| view::password_set(c, &token, &username, Some(msg)))?.status(422));
    }
    let pw_hash = ctx.app.hasher.hash(&password)?;
    let now = ctx.now;
    let mut src = ctx.source();
    src.account_id = Some(id);
    let key = ctx.app.keys.audit;
    ctx.write(|tx| {
        if onboarding::use_token(tx, &hash, &pw_hash, now)?.is_none() {
            return Err(Error::Gone);
        }
        // A new password ends every session of the account (issue 15) and
        // revokes its client API tokens (issue 19).
        db::sessions::delete_all(tx, id)?;
        db::oauth::revoke_all(tx, id)?;
        db::log::append(tx, &key, &src, now, "user.password_set", &format!("user:{id}"), "one-time link")
    })?;
    Ok(Resp::redirect("/login?password_set=1"))
}
