//! Sessions (issue 15): `/settings/sessions` lists where the account is
//! signed in (device in words, address, last use), and ends one session or
//! every other one. Each ending is logged (R16.1).

use super::{page, Ctx};
use crate::db::{self, sessions::Lifetimes};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::views::sessions as view;

/// # `GET /settings/sessions` (`?ended=N` after ending sessions)
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let u = ctx.user()?.clone();
    let life = Lifetimes::of(&ctx.app.config);
    let staff = !u.roles.is_empty();
    let rows = db::sessions::list(ctx.db, u.id, &u.token_hash, staff, &life, ctx.now)?;
    let ended = ctx.req.query("ended").and_then(|n| n.parse::<usize>().ok());
    let (max, idle) = if staff { (life.staff_max, life.staff_idle) } else { (life.member_max, life.member_idle) };
    page(ctx, |c| view::list(c, &rows, ended, (idle, max)))
}

/// # `POST /settings/sessions/others/end` — sign out everywhere else.
pub fn end_others(ctx: &mut Ctx) -> Result<Resp> {
    let u = ctx.user()?.clone();
    let n = ctx.write(|tx| {
        let n = db::sessions::delete_others(tx, u.id, &u.token_hash)?;
        ctx.log_outcome(tx, "session.end_others", &format!("user:{}", u.id), &format!("ok: {n} sessions"))?;
        Ok(n)
    })?;
    Ok(Resp::redirect(&format!("/settings/sessions?ended={n}")))
}

/// # `POST /settings/sessions/{handle}/end` — sign one session out (the
/// current one too: that is logging out here).
///
/// # Errors
/// `NotFound` when the account has no session with that handle.
pub fn end_one(ctx: &mut Ctx) -> Result<Resp> {
    let u = ctx.user()?.clone();
    let handle = ctx.path_text("handle")?.to_ascii_lowercase();
    let current = handle == db::sessions::handle(&u.token_hash);
    ctx.write(|tx| {
        if !db::sessions::delete_by_handle(tx, u.id, &handle)? {
            return Err(Error::NotFound);
        }
        ctx.log_outcome(tx, "session.end", &format!("user:{}", u.id), if current { "ok: this one" } else { "ok" })
    })?;
    if current {
        let c = ctx.cookie(super::SESSION_COOKIE, String::new(), 0, true);
        ctx.cookies.push(c);
        return Ok(Resp::redirect("/login"));
    }
    Ok(Resp::redirect("/settings/sessions?ended=1"))
}
