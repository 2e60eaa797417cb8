//! Sign-up, login, logout, first-admin setup, and accepting a new agreement
//! version (R6.1). Every outcome is logged (R16.1).

use super::{page, Ctx, SESSION_COOKIE};
use crate::crypto;
use crate::db;
use crate::domain::account::{self, AccountError, Role};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::auth::{self as view, AccountForm};

fn account_error(e: AccountError) -> M {
    match e {
        AccountError::UsernameLength => M::ErrUsernameLength,
        AccountError::UsernameCharacter => M::ErrUsernameChars,
        AccountError::PasswordTooShort => M::ErrPasswordShort,
        AccountError::PasswordTooLong => M::ErrPasswordLong,
        AccountError::PasswordTooCommon => M::ErrPasswordCommon,
    }
}

/// # `GET /signup`
pub fn signup_form(ctx: &mut Ctx) -> Result<Resp> {
    if ctx.user.is_some() {
        return Ok(Resp::redirect("/"));
    }
    page(ctx, |c| view::signup(c, &AccountForm::default()))
}

/// Check the fields of a sign-up or setup form; `Err` carries the form to
/// show again with its message.
fn check_new_account(ctx: &Ctx) -> std::result::Result<(String, String), AccountForm> {
    let username = ctx.req.field("username").unwrap_or("").trim().to_string();
    let password = ctx.req.field("password").unwrap_or("").to_string();
    let accepted = ctx.req.field("accept_terms").is_some_and(|v| !v.is_empty());
    let refuse =
        |m: M| AccountForm { username: username.clone(), accepted, error: Some(ctx.t(m).into()), next: String::new() };
    if let Err(e) = account::check_username(&username).and_then(|_| account::check_password(&password)) {
        return Err(refuse(account_error(e)));
    }
    if !accepted {
        return Err(refuse(M::ErrMustAccept));
    }
    Ok((username, password))
}

/// The sign-up or setup form again, saying the username is taken.
fn taken(ctx: &Ctx, username: String) -> AccountForm {
    AccountForm { username, accepted: true, error: Some(ctx.t(M::ErrUsernameTaken).into()), next: String::new() }
}

/// Create the account and its first session in one transaction, logging the
/// sign-up and login; returns the redirect with the session cookie.
fn create_account(
    ctx: &mut Ctx,
    username: &str,
    password: &str,
    roles: &[Role],
    setup_token: Option<&[u8]>,
) -> Result<Resp> {
    let hash = ctx.app.hasher.hash(password)?;
    let token = crypto::random_token();
    let csrf = crypto::session_csrf(&ctx.app.keys.csrf, &token);
    let version = ctx.site.agreement.version;
    let (now, ttl) = (ctx.now, ctx.app.config.session_seconds);
    let created = ctx.write(|tx| {
        if let Some(t) = setup_token {
            if !db::users::use_setup_token(tx, t, now)? {
                return Err(Error::Gone);
            }
        }
        let id = db::users::create(
            tx,
            &db::users::NewUser { username, password_hash: &hash, agreement_version: version, now },
        )?;
        for r in roles {
            db::users::grant_role(tx, id, *r, now)?;
        }
        let mut src = ctx.source();
        // No session fixation: whatever session the browser came with ends.
        if let Some(old) = &ctx.user {
            db::sessions::delete(tx, &old.token_hash)?;
        }
        db::sessions::create(tx, id, &token, &csrf, now, ttl, ctx.origin(&src))?;
        src.account_id = Some(id);
        let key = &ctx.app.keys.audit;
        db::log::append(tx, key, &src, now, "user.signup", &format!("user:{id}"), &format!("agreement v{version}"))?;
        for r in roles {
            db::log::append(tx, key, &src, now, "role.grant", &format!("user:{id}"), r.as_str())?;
        }
        db::log::append(tx, key, &src, now, "user.login", &format!("user:{id}"), "ok")
    });
    match created {
        Ok(()) => {
            let c = ctx.cookie(SESSION_COOKIE, token, ttl, true);
            ctx.cookies.push(c);
            // The first admin is asked for a second factor at once (issue 15).
            if crate::domain::second_factor::required(roles, ctx.app.config.second_factor_for_top_staff) {
                return Ok(Resp::redirect("/settings/two-factor?required=1"));
            }
            Ok(Resp::redirect("/"))
        }
        Err(e) => Err(e),
    }
}

/// # `POST /signup` (`username`, `password`, `accept_terms`)
///
/// At most `signup_per_address_hour` accounts an hour from one address:
/// then 429, logged (R16.1), nothing hashed.
pub fn signup(ctx: &mut Ctx) -> Result<Resp> {
    let (username, password) = match check_new_account(ctx) {
        Ok(v) => v,
        Err(form) => return Ok(page(ctx, |c| view::signup(c, &form))?.status(422)),
    };
    let recent = db::users::signups_since(ctx.db, &ctx.source().ip, ctx.now - 3600)?;
    if recent >= i64::from(ctx.app.config.signup_per_address_hour) {
        ctx.write(|tx| ctx.log_outcome(tx, "user.signup", "unknown", "too many from this address"))?;
        let error = Some(ctx.t(M::ErrSignupRate).into());
        let form = AccountForm { username, accepted: true, error, next: String::new() };
        return Ok(page(ctx, |c| view::signup(c, &form))?.status(429).header("Retry-After", "3600"));
    }
    match create_account(ctx, &username, &password, &[], None) {
        Err(Error::Conflict(_)) => {
            let form = taken(ctx, username);
            Ok(page(ctx, |c| view::signup(c, &form))?.status(409))
        }
        other => other,
    }
}

/// # `GET /login`
pub fn login_form(ctx: &mut Ctx) -> Result<Resp> {
    let next = ctx.next_or("/");
    if ctx.user.is_some() {
        return Ok(Resp::redirect(&next));
    }
    page(ctx, |c| view::login(c, &AccountForm { next, ..Default::default() }))
}

/// The appeal state of suspension `sanction` on account `user` (issue 18):
/// `None` when it has no credit event to appeal; else the event id and the
/// appeal's status when one was filed.
fn suspension_appeal(ctx: &Ctx, user: i64, sanction: i64) -> Result<Option<view::SuspensionAppeal>> {
    let r#ref = format!("sanction:{sanction}");
    let Some(id) = db::credit::event_for_ref(ctx.db, user, db::credit::Source::Staff, &r#ref)? else {
        return Ok(None);
    };
    let event = db::credit::event(ctx.db, id)?;
    Ok(event.map(|e| view::SuspensionAppeal { event: e.id, status: e.appeal.map(|(status, _)| status) }))
}

/// # `POST /login/appeal` (`username`, `password`, `body`) — a suspended
/// (封禁) account, which cannot log in, appeals its suspension through the
/// appeals flow (issue 18, R15.1): the password is checked as at login
/// (same throttle, failures logged), then the one appeal is filed against
/// the suspension's event and logged for the account.
///
/// # Errors
/// 401/429 as login; `Invalid` (nothing written) when the account is not
/// suspended, the text is empty or too long, or it was appealed already.
pub fn login_appeal(ctx: &mut Ctx) -> Result<Resp> {
    let username = ctx.req.field("username").unwrap_or("").trim().to_string();
    let password = ctx.req.field("password").unwrap_or("");
    let found = db::users::credentials(ctx.db, &username)?;
    let (ip, now, key) = (ctx.source().ip, ctx.now, ctx.app.keys.audit);
    let wait = ctx.app.login_throttle.lock().unwrap_or_else(|p| p.into_inner()).wait(&username, &ip, now);
    let ok = wait == 0
        && match &found {
            Some((_, hash)) => ctx.app.hasher.check(password, hash)?.ok(),
            None => false,
        };
    if !ok {
        let mut src = ctx.source();
        src.account_id = found.as_ref().map(|(id, _)| *id);
        let target = found.as_ref().map(|(id, _)| format!("user:{id}")).unwrap_or_else(|| "unknown".into());
        let (status, m, outcome) = if wait > 0 {
            (429, M::ErrTooManyAttempts, "too many attempts")
        } else {
            ctx.app.login_throttle.lock().unwrap_or_else(|p| p.into_inner()).failed(&username, &ip, now);
            (401, M::ErrBadLogin, "wrong credentials")
        };
        ctx.write(|tx| db::log::append(tx, &key, &src, now, "user.login_failed", &target, outcome))?;
        let form = AccountForm { username, accepted: false, error: Some(ctx.t(m).into()), next: "/".into() };
        return Ok(page(ctx, |c| view::login(c, &form))?.status(status));
    }
    let id = found.map(|(id, _)| id).expect("ok implies found");
    let not_suspended = || Error::Invalid(ctx.t(M::ErrAppealNotSuspended).into());
    let s = db::sanctions::in_force(ctx.db, id, db::sanctions::Kind::Suspend, now)?.ok_or_else(not_suspended)?;
    let appeal = suspension_appeal(ctx, id, s.id)?.ok_or_else(not_suspended)?;
    let event = db::credit::event(ctx.db, appeal.event)?.ok_or_else(not_suspended)?;
    let body = super::credit::appeal_text(ctx)?;
    let mut env = ctx.env(crate::actions::Actor::Member(id));
    env.source.account_id = Some(id);
    super::credit::file_appeal(ctx, &env, &event, &body)?;
    let until = crate::domain::dates::format_time(s.ends_at, &ctx.app.config.zone);
    let msg = ctx.lang.f(M::ErrAccountSuspended, &[&until, &s.reason]);
    let form = AccountForm { username, accepted: false, error: Some(msg), next: "/".into() };
    let appeal = suspension_appeal(ctx, id, s.id)?;
    page(ctx, |c| view::login_suspended(c, &form, appeal.as_ref()))
}

/// # `POST /login` (`username`, `password`, optional `next`)
///
/// Wrong passwords slow down the address they come from, for that account
/// and for all ([`account::LoginThrottle`]): 429 with `Retry-After` while
/// it waits, no password checked, logged (R16.1). Nobody can lock the owner
/// out from another address.
pub fn login(ctx: &mut Ctx) -> Result<Resp> {
    let username = ctx.req.field("username").unwrap_or("").trim().to_string();
    let password = ctx.req.field("password").unwrap_or("");
    let next = ctx.next_or("/");
    let found = db::users::credentials(ctx.db, &username)?;
    let ip = ctx.source().ip;
    let (now, ttl) = (ctx.now, ctx.app.config.session_seconds);
    let key = ctx.app.keys.audit;
    let wait = ctx.app.login_throttle.lock().unwrap_or_else(|p| p.into_inner()).wait(&username, &ip, now);
    if wait > 0 {
        // Guessing is slowed down: no password is even checked (R16.1: logged).
        let mut src = ctx.source();
        src.account_id = found.as_ref().map(|(id, _)| *id);
        let target = found.as_ref().map(|(id, _)| format!("user:{id}")).unwrap_or_else(|| "unknown".into());
        ctx.write(|tx| db::log::append(tx, &key, &src, now, "user.login_failed", &target, "too many attempts"))?;
        let form = AccountForm { username, accepted: false, error: Some(ctx.t(M::ErrTooManyAttempts).into()), next };
        return Ok(page(ctx, |c| view::login(c, &form))?.status(429).header("Retry-After", &wait.to_string()));
    }
    let check = match &found {
        Some((_, hash)) => ctx.app.hasher.check(password, hash)?,
        None => {
            // Spend the same time as a real check, so timing does not tell
            // which usernames exist.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let (cost, pepper) = (ctx.app.config.bcrypt_cost, ctx.app.keys.password_pepper);
            let dummy =
                DUMMY.get_or_init(|| crypto::hash_password(&pepper, "not a password", cost).unwrap_or_default());
            ctx.app.hasher.check(password, dummy)?;
            crypto::PasswordCheck::Wrong
        }
    };
    if !check.ok() {
        ctx.app.login_throttle.lock().unwrap_or_else(|p| p.into_inner()).failed(&username, &ip, now);
        let mut src = ctx.source();
        src.account_id = found.as_ref().map(|(id, _)| *id);
        let target = found.as_ref().map(|(id, _)| format!("user:{id}")).unwrap_or_else(|| "unknown".into());
        ctx.write(|tx| db::log::append(tx, &key, &src, now, "user.login_failed", &target, "wrong credentials"))?;
        let form = AccountForm { username, accepted: false, error: Some(ctx.t(M::ErrBadLogin).into()), next };
        return Ok(page(ctx, |c| view::login(c, &form))?.status(401));
    }
    ctx.app.login_throttle.lock().unwrap_or_else(|p| p.into_inner()).succeeded(&username, &ip);
    let id = found.map(|(id, _)| id).expect("ok implies found");
    // Issue 18: a suspended (封禁) account cannot log in until the end; logged.
    if let Some(s) = db::sanctions::in_force(ctx.db, id, db::sanctions::Kind::Suspend, now)? {
        let mut src = ctx.source();
        src.account_id = Some(id);
        let target = format!("user:{id}");
        ctx.write(|tx| db::log::append(tx, &key, &src, now, "user.login_failed", &target, "suspended"))?;
        let until = crate::domain::dates::format_time(s.ends_at, &ctx.app.config.zone);
        let msg = ctx.lang.f(M::ErrAccountSuspended, &[&until, &s.reason]);
        let form = AccountForm { username, accepted: false, error: Some(msg), next };
        let appeal = suspension_appeal(ctx, id, s.id)?;
        return Ok(page(ctx, |c| view::login_suspended(c, &form, appeal.as_ref()))?.status(403));
    }
    // A plain bcrypt hash from before the pre-hash is replaced now, while
    // the password is at hand (on the hasher's threads: this route is in
    // `hashes_password`).
    let upgrade = match check {
        crypto::PasswordCheck::RightButOld => Some(ctx.app.hasher.hash(password)?),
        _ => None,
    };
    let token = crypto::random_token();
    let csrf = crypto::session_csrf(&ctx.app.keys.csrf, &token);
    let mut src = ctx.source();
    src.account_id = Some(id);
    let second_factor_on = crate::actions::second_factor::secret(&ctx.app.keys, ctx.db, id)?.is_some_and(|(_, on)| on);
    let must_set_up = !second_factor_on
        && crate::domain::second_factor::required(
            &db::users::roles(ctx.db, id)?,
            ctx.app.config.second_factor_for_top_staff,
        );
    let life = db::sessions::Lifetimes::of(&ctx.app.config);
    ctx.write(|tx| {
        db::sessions::purge_expired(tx, now, &life)?;
        if let Some(new_hash) = &upgrade {
            db::users::set_password_hash(tx, id, new_hash)?;
        }
        // A new token at every login, and no session fixation: the session
        // the browser came with (anyone's) ends.
        if let Some(old) = &ctx.user {
            db::sessions::delete(tx, &old.token_hash)?;
        }
        db::sessions::create(tx, id, &token, &csrf, now, ttl, ctx.origin(&src))?;
        if second_factor_on {
            // The password alone opens nothing yet (issue 15).
            let hash = crypto::sha256(token.as_bytes());
            db::sessions::set_second_factor_pending(tx, &hash, true)?;
        }
        db::log::append(tx, &key, &src, now, "user.login", &format!("user:{id}"), "ok")
    })?;
    let c = ctx.cookie(SESSION_COOKIE, token, ttl, true);
    ctx.cookies.push(c);
    let q = |n: &str| percent_encoding::utf8_percent_encode(n, percent_encoding::NON_ALPHANUMERIC).to_string();
    if second_factor_on {
        return Ok(Resp::redirect(&format!("/login/second-factor?next={}", q(&next))));
    }
    if must_set_up {
        // Admins and chief editors are asked at once (issue 15).
        return Ok(Resp::redirect("/settings/two-factor?required=1"));
    }
    Ok(Resp::redirect(&next))
}

/// # `POST /logout`
pub fn logout(ctx: &mut Ctx) -> Result<Resp> {
    if let Some(u) = ctx.user.clone() {
        ctx.write(|tx| {
            db::sessions::delete(tx, &u.token_hash)?;
            ctx.log(tx, "user.logout", &format!("user:{}", u.id))
        })?;
    }
    let c = ctx.cookie(SESSION_COOKIE, String::new(), 0, true);
    ctx.cookies.push(c);
    Ok(Resp::redirect("/"))
}

/// The setup token from the query or form, if it is live; `Gone` otherwise.
fn live_setup_token(ctx: &Ctx) -> Result<[u8; 32]> {
    let token = ctx.req.field("token").or(ctx.req.query("token")).unwrap_or("");
    let hash = crypto::sha256(token.as_bytes());
    if token.is_empty() || db::users::admin_exists(ctx.db)? || !db::users::setup_token_live(ctx.db, &hash)? {
        return Err(Error::Gone);
    }
    Ok(hash)
}

/// # `GET /setup?token=` — the one-time page that creates the first admin.
pub fn setup_form(ctx: &mut Ctx) -> Result<Resp> {
    live_setup_token(ctx)?;
    let token = ctx.req.query("token").unwrap_or("").to_string();
    page(ctx, |c| view::setup(c, &token, &AccountForm::default()))
}

/// # `POST /setup` (`token`, `username`, `password`, `accept_terms`)
///
/// The account gets the admin, reviewer and chief editor roles and lands
/// on the dashboard, whose checklist says what to do first; when admins
/// must have a second factor (`second_factor_for_top_staff`, R6.5) it
/// lands on `/settings/two-factor` first, since staff pages answer 403
/// until it is on.
pub fn setup(ctx: &mut Ctx) -> Result<Resp> {
    let hash = live_setup_token(ctx)?;
    let token = ctx.req.field("token").unwrap_or("").to_string();
    let (username, password) = match check_new_account(ctx) {
        Ok(v) => v,
        Err(form) => return Ok(page(ctx, |c| view::setup(c, &token, &form))?.status(422)),
    };
    // Issue 13: the first account can do every staff job from day one (a
    // one-person staff); the setup page says so, and roles are handed on in
    // `/admin/users` once there are more people (R6.5).
    match create_account(ctx, &username, &password, &Role::ALL, Some(&hash)) {
        Err(Error::Conflict(_)) => {
            let form = taken(ctx, username);
            Ok(page(ctx, |c| view::setup(c, &token, &form))?.status(409))
        }
        // With a second factor required of admins (the default, issue 15)
        // the dashboard would only answer 403: go where it is set up first.
        Ok(_) if crate::domain::second_factor::required(&Role::ALL, ctx.app.config.second_factor_for_top_staff) => {
            Ok(Resp::redirect("/settings/two-factor?required=1"))
        }
        Ok(_) => Ok(Resp::redirect("/admin")),
        Err(e) => Err(e),
    }
}

/// # `GET /terms/accept` — a newer agreement must be accepted (R6.1).
pub fn accept_form(ctx: &mut Ctx) -> Result<Resp> {
    ctx.user()?;
    let next = ctx.next_or("/");
    let site = ctx.site.clone();
    page(ctx, |c| view::accept(c, &site.agreement, &next))
}

/// # `POST /terms/accept` (`version`, `next`) — stores version and time (R6.1).
pub fn accept(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.user()?.id;
    let version: i64 = ctx.req.require("version")?.parse().map_err(|_| Error::BadRequest("bad version".into()))?;
    let current = ctx.site.agreement.version;
    if version != current {
        // Accepting a text the member was not shown proves nothing: show the current one.
        return Ok(Resp::redirect("/terms/accept"));
    }
    let now = ctx.now;
    ctx.write(|tx| {
        db::users::accept_agreement(tx, id, version, now)?;
        ctx.log(tx, "agreement.accept", &format!("agreement:{version}"))
    })?;
    Ok(Resp::redirect(&ctx.next_or("/")))
}

/// Seconds the signed-in account `id` must wait before its password may be
/// checked again (password change, account close share one budget per
/// account: [`crate::domain::throttle::REAUTH`]); 0 when it may try now.
pub(super) fn reauth_wait(ctx: &Ctx, id: i64) -> i64 {
    ctx.app.reauth_throttle.lock().unwrap_or_else(|p| p.into_inner()).wait(&format!("user:{id}"), ctx.now)
}

/// Remember whether the password account `id` re-entered was right: a
/// wrong one lengthens its wait, a right one clears it.
pub(super) fn reauth_outcome(ctx: &Ctx, id: i64, right: bool) {
    let mut t = ctx.app.reauth_throttle.lock().unwrap_or_else(|p| p.into_inner());
    if right {
        t.clear(&format!("user:{id}"));
    } else {
        t.failed(&format!("user:{id}"), ctx.now);
    }
}

/// # `GET /settings/password`
pub fn password_form(ctx: &mut Ctx) -> Result<Resp> {
    ctx.user()?;
    let saved = ctx.req.query("saved").is_some();
    page(ctx, |c| view::change_password(c, None, saved))
}

/// # `POST /settings/password` (`current`, `password`)
///
/// Checks the current password, stores the new one, and ends every other
/// session of the account (a stolen session dies with the old password).
/// Wrong current passwords slow the account down ([`reauth_wait`]): 429
/// with `Retry-After` while it waits, no password checked, logged (R16.1).
pub fn change_password(ctx: &mut Ctx) -> Result<Resp> {
    let u = ctx.user()?.clone();
    let current = ctx.req.field("current").unwrap_or("");
    let new = ctx.req.field("password").unwrap_or("");
    let hash = db::users::password_hash(ctx.db, u.id)?.ok_or(Error::NotFound)?;
    let refuse = |ctx: &mut Ctx, m: M| -> Result<Resp> {
        let msg = ctx.t(m).to_string();
        Ok(page(ctx, |c| view::change_password(c, Some(&msg), false))?.status(422))
    };
    let target = format!("user:{}", u.id);
    let wait = reauth_wait(ctx, u.id);
    if wait > 0 {
        ctx.write(|tx| ctx.log_outcome(tx, "user.password_change", &target, "too many attempts"))?;
        let msg = ctx.t(M::ErrTooManyPasswordTries).to_string();
        let resp = page(ctx, |c| view::change_password(c, Some(&msg), false))?;
        return Ok(resp.status(429).header("Retry-After", &wait.to_string()));
    }
    let right = ctx.app.hasher.verify(current, &hash)?;
    reauth_outcome(ctx, u.id, right);
    if !right {
        ctx.write(|tx| ctx.log_outcome(tx, "user.password_change", &target, "wrong password"))?;
        return refuse(ctx, M::ErrWrongPassword);
    }
    if let Err(e) = account::check_password(new) {
        return refuse(ctx, account_error(e));
    }
    let new_hash = ctx.app.hasher.hash(new)?;
    ctx.write(|tx| {
        db::users::set_password_hash(tx, u.id, &new_hash)?;
        db::sessions::delete_others(tx, u.id, &u.token_hash)?;
        // Issue 19: and every app authorised with the old password.
        db::oauth::revoke_all(tx, u.id)?;
        ctx.log(tx, "user.password_change", &format!("user:{}", u.id))
    })?;
    Ok(Resp::redirect("/settings/password?saved=1"))
}
