//! Real-name identity (后台实名, R7.1-R7.5): the member's `/settings/identity`
//! (bind, one-time code, re-verification) and the staff
//! pages `/admin/identities` (confirm, refuse, override, reveal with a
//! reason) and `/admin/outbox`. Every change is logged, never with a value.

use super::{page, Ctx};
use crate::actions::{self, identity::CodeOutcome};
use crate::db::{self, identity as idb};
use crate::domain::account::Role;
use crate::domain::identity::otp::{self, Check, Throttle};
use crate::domain::identity::reauth::{self, Reauth};
use crate::domain::identity::{self as rules, Field, IdentityError, Status};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::outbound;
use crate::seal;
use crate::views::identity::{self as view, BindForm, IdentityPage};

/// Identities listed on one page of `/admin/identities`.
const LIST_LIMIT: u32 = 200;
/// Outbox messages shown.
const OUTBOX_LIMIT: usize = 200;
/// Shortest and longest reason staff give.
const REASON_CHARS: std::ops::RangeInclusive<usize> = 4..=500;

/// Staff decide on their own identity only while no other reviewer or
/// admin exists (the first admin of a new site); otherwise another staff
/// member must (R7.2: a check by someone else).
///
/// # Errors
/// `Forbidden` with a message.
fn not_own_unless_alone(ctx: &Ctx, staff: i64, user: i64) -> Result<()> {
    if staff == user && db::users::other_identity_staff_exists(ctx.db, staff)? {
        return Err(Error::ForbiddenBecause(ctx.t(M::IdOwnByOther).into()));
    }
    Ok(())
}

/// The message for an identity rule, in words.
pub fn rule_message(e: IdentityError) -> M {
    match e {
        IdentityError::Empty => M::IdErrEmpty,
        IdentityError::Length => M::IdErrLength,
        IdentityError::Character => M::IdErrCharacter,
        IdentityError::CheckCharacter => M::IdErrCheck,
        IdentityError::BirthDate => M::IdErrBirthDate,
        IdentityError::BirthDateFuture => M::IdErrBirthFuture,
        IdentityError::Region => M::IdErrRegion,
        IdentityError::RegistrationAuthority => M::IdErrAuthority,
        IdentityError::OrgType => M::IdErrOrgType,
        IdentityError::EmbeddedOrgCode => M::IdErrEmbedded,
        IdentityError::CountryCode => M::IdErrCountry,
        IdentityError::Prefix => M::IdErrPrefix,
        IdentityError::LegalName => M::IdErrLegalName,
    }
}

/// "Field: what is wrong" for a refused binding.
pub fn field_message(lang: crate::i18n::Lang, (field, e): (Field, Option<IdentityError>)) -> String {
    let name = match field {
        Field::SubjectType => M::IdSubjectType,
        Field::LegalName => M::IdLegalName,
        Field::Number => M::IdNumber,
        Field::Mobile => M::IdMobile,
    };
    let what = e.map_or(M::IdErrSubjectType, rule_message);
    let colon = if lang == crate::i18n::Lang::Zh { "：" } else { ": " };
    format!("{}{colon}{}", lang.t(name), lang.t(what))
}

/// The message for a throttled send.
fn throttle_message(ctx: &Ctx, t: Throttle) -> String {
    match t {
        Throttle::Wait(s) => ctx.lang.f(M::IdCodeWait, &[&s]),
        Throttle::DailyLimit(s) => ctx.lang.f(M::IdCodeDailyLimit, &[&((s + 3599) / 3600)]),
    }
}

/// The identity page with a form and messages.
fn show(ctx: &Ctx, form: BindForm, notice: Option<String>, error: Option<String>, status: u16) -> Result<Resp> {
    let me = ctx.user()?.id;
    let identity = idb::get(ctx.db, me)?;
    let code = idb::code(ctx.db, me)?.filter(|c| c.expires_at > ctx.now && c.tries < otp::MAX_TRIES);
    let reauth = reauth_needed(identity.as_ref(), ctx.now);
    let p = IdentityPage {
        reauth,
        status: rules::Status::effective(
            identity.as_ref().map(|i| i.stored_status.as_str()),
            identity.as_ref().and_then(|i| i.next_check_at),
            ctx.now,
        ),
        identity,
        code_expires_at: code.map(|c| c.expires_at),
        form,
        notice,
        error,
        webhook: !ctx.app.config.identity_verify_webhook.is_empty(),
        now: ctx.now,
    };
    Ok(page(ctx, |c| view::settings(c, &p))?.status(status))
}

/// What replacing `identity` takes now (issue 15, [`reauth::needed`]).
fn reauth_needed(identity: Option<&idb::Identity>, now: i64) -> Reauth {
    match identity {
        None => Reauth::Nothing,
        Some(i) => reauth::needed(true, i.status(now), i.mobile_confirmed_at.is_some(), i.full_recheck),
    }
}

/// # `GET /settings/identity` (`?sent=1`, `?confirmed=1` after a step)
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    ctx.user()?;
    let notice = if ctx.req.query("sent_old").is_some() {
        Some(ctx.t(M::IdOldCodeSent).to_string())
    } else if ctx.req.query("sent").is_some() {
        Some(ctx.t(M::IdCodeSent).to_string())
    } else if ctx.req.query("confirmed").is_some() {
        Some(ctx.t(M::IdMobileConfirmed).to_string())
    } else {
        None
    };
    show(ctx, BindForm::default(), notice, None, 200)
}

/// Send a new code to `user`'s bound mobile inside `tx` and log it; the
/// code and text to deliver after the commit, or the throttle
/// (`after_reauth`: see [`seal::new_code`]).
fn code_in_tx(
    ctx: &Ctx,
    tx: &rusqlite::Transaction,
    user: i64,
    after_reauth: bool,
) -> Result<std::result::Result<(rules::Mobile, String, String), Throttle>> {
    let sealed = idb::sealed(tx, user)?.ok_or(Error::NotFound)?;
    let code = match seal::new_code(tx, &ctx.app.keys, user, &sealed.mobile_mac, ctx.now, after_reauth)? {
        Ok(c) => c,
        Err(t) => {
            ctx.log_outcome(tx, "identity.code_send", &format!("user:{user}"), "throttled")?;
            return Ok(Err(t));
        }
    };
    let clear = seal::open(&ctx.app.keys, user, &sealed)?;
    let mobile = rules::parse_mobile(&clear.mobile).map_err(|_| Error::Internal("stored mobile unreadable".into()))?;
    ctx.log(tx, "identity.code_send", &format!("user:{user}"))?;
    let text = outbound::code_text(&ctx.site.settings.site_name, &code);
    Ok(Ok((mobile, text, code)))
}

/// Hand a code to the sender; a failure is reported on the page, not as an error page.
fn deliver(ctx: &Ctx, mobile: &rules::Mobile, text: String, code: String) -> Option<String> {
    let username = ctx.user.as_ref().map(|u| u.username.clone()).unwrap_or_default();
    match outbound::deliver(&ctx.app.config, &ctx.app.jobs, &username, mobile, text, code) {
        Ok(()) => None,
        Err(e) => {
            eprintln!("plaza: delivering a code to user {username}: {e}");
            Some(ctx.t(M::IdCodeNotSent).to_string())
        }
    }
}

/// # `POST /settings/identity` (`subject_type`, `legal_name`, `number`, `mobile`, `override_check`; `current_password`, `old_code`)
///
/// Replacing a bound identity first takes `current_password` and, while
/// the bound mobile works, `old_code` sent to it (issue 15), and tells the
/// member. Checks every field with its rule (R7.2), refuses a number already
/// backing another individual account (R7.4), stores the values sealed and
/// sends a code to the mobile (R7.1). The number and mobile are never
/// written back into the page.
pub fn bind(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let f = |n: &str| ctx.req.field(n).unwrap_or("").to_string();
    let form = BindForm {
        subject_type: f("subject_type"),
        legal_name: f("legal_name").chars().take(200).collect(),
        override_check: ctx.req.field("override_check").is_some_and(|v| !v.is_empty()),
        field_error: None,
        reopen: false,
    };
    let today = crate::domain::dates::today(ctx.now, &ctx.app.config.zone);
    let binding = match rules::parse_binding(
        &form.subject_type,
        &form.legal_name,
        &f("number"),
        &f("mobile"),
        today,
        form.override_check,
    ) {
        Ok(b) => b,
        Err(fault) => {
            let offer_override = fault.0 == Field::Number && fault.1.is_some_and(rules::overridable);
            let msg = field_message(ctx.lang, fault);
            let form = BindForm { field_error: Some((fault.0, offer_override)), ..form };
            return show(ctx, form, None, Some(msg), 422);
        }
    };
    // Replacing a bound identity takes the password and, while it works,
    // a code to the mobile bound now (issue 15); a stolen session has neither.
    let existing = idb::get(ctx.db, me)?;
    let reauth = reauth_needed(existing.as_ref(), ctx.now);
    if reauth != Reauth::Nothing {
        if let Some(refused) = reauthenticate(ctx, me, reauth, &form)? {
            return Ok(refused);
        }
    }
    if seal::number_taken(ctx.db, &ctx.app.keys, &ctx.app.config, me, &binding)? {
        ctx.write(|tx| ctx.log_outcome(tx, "identity.bind", &format!("user:{me}"), "refused: number in use"))?;
        let msg = ctx.t(M::IdErrNumberTaken).to_string();
        return show(ctx, BindForm { field_error: Some((Field::Number, false)), ..form }, None, Some(msg), 409);
    }
    let now = ctx.now;
    let sent = ctx.write(|tx| {
        seal::store_binding(tx, &ctx.app.keys, me, &binding, now)?;
        let outcome = match (binding.check_failed, reauth) {
            (true, _) => "ok, check character failed: for a reviewer",
            (false, Reauth::Nothing) => "ok",
            (false, Reauth::Password) => "ok, replaced after the password",
            (false, Reauth::PasswordAndOldMobile) => "ok, replaced after the password and the old mobile",
        };
        ctx.log_outcome(tx, "identity.bind", &format!("user:{me}"), outcome)?;
        if reauth != Reauth::Nothing {
            // The member hears of it, whoever did it.
            db::notifications::notify(tx, me, db::notifications::Kind::IdentityChanged, me, None, None, now)?;
        }
        code_in_tx(ctx, tx, me, reauth == Reauth::PasswordAndOldMobile)
    })?;
    drop(binding);
    after_code(ctx, sent)
}

/// Check what replacing the identity takes (`need`): the current password
/// (throttled like a password change: [`super::auth::reauth_wait`]) and,
/// for [`Reauth::PasswordAndOldMobile`], the code sent to the mobile bound
/// now. Each refusal is logged as `identity.bind`.
///
/// # Returns
/// The page refusing it, or `None` to go on.
fn reauthenticate(ctx: &mut Ctx, me: i64, need: Reauth, form: &BindForm) -> Result<Option<Resp>> {
    let target = format!("user:{me}");
    let again = |form: &BindForm| BindForm { field_error: None, reopen: true, ..form.clone() };
    let wait = super::auth::reauth_wait(ctx, me);
    if wait > 0 {
        ctx.write(|tx| ctx.log_outcome(tx, "identity.bind", &target, "refused: too many attempts"))?;
        let msg = ctx.t(M::ErrTooManyPasswordTries).to_string();
        let page = show(ctx, again(form), None, Some(msg), 429)?;
        return Ok(Some(page.header("Retry-After", &wait.to_string())));
    }
    let current = ctx.req.field("current_password").unwrap_or("").to_string();
    let hash = db::users::password_hash(ctx.db, me)?.ok_or(Error::NotFound)?;
    let right = !current.is_empty() && ctx.app.hasher.verify(&current, &hash)?;
    super::auth::reauth_outcome(ctx, me, right);
    if !right {
        ctx.write(|tx| ctx.log_outcome(tx, "identity.bind", &target, "refused: wrong password"))?;
        let msg = ctx.t(M::IdErrReauthPassword).to_string();
        return Ok(Some(show(ctx, again(form), None, Some(msg), 422)?));
    }
    if need == Reauth::PasswordAndOldMobile {
        let entered = ctx.req.field("old_code").unwrap_or("").trim().to_string();
        let env = ctx.as_member()?;
        let check = ctx.write(|tx| actions::identity::check_old_mobile(&env, tx, me, &entered))?;
        let msg = match check {
            Check::Confirmed => return Ok(None),
            Check::Wrong { left } if left > 0 => ctx.lang.f(M::IdCodeWrong, &[&left]),
            Check::Wrong { .. } | Check::TooManyTries => ctx.t(M::IdCodeDead).to_string(),
            Check::Expired => ctx.t(M::IdCodeExpired).to_string(),
            Check::NoCode => ctx.t(M::IdErrReauthOldCode).to_string(),
        };
        return Ok(Some(show(ctx, again(form), None, Some(msg), 422)?));
    }
    Ok(None)
}

/// The answer once a code was made (or refused by the throttle): deliver it
/// and go back to the identity page, or say why not.
fn after_code(ctx: &mut Ctx, sent: std::result::Result<(rules::Mobile, String, String), Throttle>) -> Result<Resp> {
    match sent {
        Ok((mobile, text, code)) => match deliver(ctx, &mobile, text, code) {
            None => Ok(Resp::redirect("/settings/identity?sent=1")),
            Some(msg) => show(ctx, BindForm::default(), None, Some(msg), 503),
        },
        Err(t) => {
            let msg = throttle_message(ctx, t);
            show(ctx, BindForm::default(), None, Some(msg), 429)
        }
    }
}

/// # `POST /settings/identity/send` — a new code to the bound mobile
///
/// For a first confirmation or a re-verification (R7.3), or (`purpose` =
/// `change`) to prove the mobile bound now before replacing the identity
/// (issue 15); throttled per account and per number.
pub fn send(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let Some(identity) = idb::get(ctx.db, me)? else {
        let msg = ctx.t(M::IdBindFirst).to_string();
        return show(ctx, BindForm::default(), None, Some(msg), 422);
    };
    let needs_code = match identity.status(ctx.now) {
        Status::Unverified | Status::Expired => true,
        Status::Pending | Status::Verified => false,
    };
    // A code to the mobile bound now, to prove it before replacing it (issue 15).
    let to_change = ctx.req.field("purpose") == Some("change")
        && reauth_needed(Some(&identity), ctx.now) == Reauth::PasswordAndOldMobile;
    if !needs_code && !to_change {
        return Ok(Resp::redirect("/settings/identity"));
    }
    let sent = ctx.write(|tx| code_in_tx(ctx, tx, me, false))?;
    if to_change && !needs_code {
        return match sent {
            Ok((mobile, text, code)) => match deliver(ctx, &mobile, text, code) {
                None => Ok(Resp::redirect("/settings/identity?sent_old=1#rebind")),
                Some(msg) => show(ctx, BindForm::default(), None, Some(msg), 503),
            },
            Err(t) => {
                let msg = throttle_message(ctx, t);
                show(ctx, BindForm::default(), None, Some(msg), 429)
            }
        };
    }
    after_code(ctx, sent)
}

/// # `POST /settings/identity/confirm` (`code`)
///
/// A right code in time confirms the mobile (R7.1). A re-verification of an
/// expired identity is then done (R7.3) unless staff asked for more; a first
/// binding goes to the verification webhook or to staff (R7.2).
pub fn confirm(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let entered = ctx.req.field("code").unwrap_or("").trim().to_string();
    let env = ctx.as_member()?;
    let m = match ctx.write(|tx| actions::identity::confirm_code(&env, tx, me, &entered))? {
        CodeOutcome::Confirmed { to_webhook, .. } => {
            if to_webhook {
                actions::identity::hand_to_webhook(&env, &ctx.app.jobs, me);
            }
            return Ok(Resp::redirect("/settings/identity?confirmed=1"));
        }
        CodeOutcome::BindFirst => ctx.t(M::IdBindFirst).to_string(),
        CodeOutcome::Refused(Check::Wrong { left }) if left > 0 => ctx.lang.f(M::IdCodeWrong, &[&left]),
        CodeOutcome::Refused(Check::Wrong { .. } | Check::TooManyTries) => ctx.t(M::IdCodeDead).to_string(),
        CodeOutcome::Refused(Check::Expired) => ctx.t(M::IdCodeExpired).to_string(),
        CodeOutcome::Refused(_) => ctx.t(M::IdCodeNone).to_string(),
    };
    show(ctx, BindForm::default(), None, Some(m), 422)
}

/// # `GET /admin/identities` (`?status=unverified|pending|verified|expired`)
pub fn admin_list(ctx: &mut Ctx) -> Result<Resp> {
    let filter = ctx.req.query("status").and_then(Status::parse);
    let rows = idb::list(ctx.db, filter, ctx.now, LIST_LIMIT)?;
    let now = ctx.now;
    page(ctx, |c| view::admin_list(c, &rows, filter, now))
}

/// The identity of the account in path segment 2.
fn target_identity(ctx: &Ctx) -> Result<idb::Identity> {
    idb::get(ctx.db, ctx.path_id("id")?)?.ok_or(Error::NotFound)
}

/// The detail page, optionally with one revealed value or with the name
/// and number a reviewer checks before confirming.
fn detail(ctx: &Ctx, revealed: Option<(&str, String)>, error: Option<String>, status: u16) -> Result<Resp> {
    detail_with(ctx, revealed, None, error, status)
}

fn detail_with(
    ctx: &Ctx,
    revealed: Option<(&str, String)>,
    check: Option<(String, String)>,
    error: Option<String>,
    status: u16,
) -> Result<Resp> {
    let is_admin = ctx.user()?.has(Role::Admin);
    let identity = target_identity(ctx)?;
    let reveals = idb::reveals(ctx.db, identity.user_id)?;
    let now = ctx.now;
    let resp = page(ctx, |c| {
        view::admin_detail(
            c,
            &view::AdminDetail {
                identity: &identity,
                reveals: &reveals,
                revealed: revealed.as_ref().map(|(f, v)| (*f, v.as_str())),
                check: check.as_ref().map(|(n, x)| (n.as_str(), x.as_str())),
                now,
                is_admin,
                error: error.as_deref(),
            },
        )
    })?
    .status(status);
    Ok(if revealed.is_some() || check.is_some() { resp.header("Cache-Control", "no-store") } else { resp })
}

/// # `GET /admin/identities/{user_id}`
pub fn admin_show(ctx: &mut Ctx) -> Result<Resp> {
    detail(ctx, None, None, 200)
}

/// A staff reason from the form: trimmed, numbers redacted (R7.5); the
/// page again with a message when too short or too long.
fn reason(ctx: &Ctx) -> std::result::Result<String, String> {
    let r = ctx.req.field("reason").unwrap_or("").trim().to_string();
    if !REASON_CHARS.contains(&r.chars().count()) {
        return Err(ctx.lang.f(M::ErrReasonLength, &[REASON_CHARS.start(), REASON_CHARS.end()]));
    }
    Ok(rules::redact_numbers(&r))
}

/// The pending identity in the path that this staff member may check or
/// confirm (never their own while someone else could, R6.5), or the page
/// saying it is no longer pending (409).
fn pending_for_staff(ctx: &mut Ctx) -> Result<std::result::Result<idb::Identity, Resp>> {
    let staff = ctx.user()?.id;
    let identity = target_identity(ctx)?;
    not_own_unless_alone(ctx, staff, identity.user_id)?;
    if identity.stored_status != "pending" || identity.account_closed {
        return detail(ctx, None, Some(ctx.t(M::IdNotPending).into()), 409).map(Err);
    }
    Ok(Ok(identity))
}

/// # `POST /admin/identities/{user_id}/check` — see what to check before confirming
///
/// A reviewer or admin sees the pending identity's legal name and number
/// in full, side by side, with the confirm and reject forms (R7.2): the
/// check is not blind. The look is recorded as a reveal in the identity's
/// history and the activity log (R7.4); the answer is never cached.
pub fn admin_check(ctx: &mut Ctx) -> Result<Resp> {
    let identity = match pending_for_staff(ctx)? {
        Ok(identity) => identity,
        Err(refused) => return Ok(refused),
    };
    let env = ctx.as_staff()?;
    let shown = ctx.write(|tx| actions::identity::reveal_for_check(&env, tx, identity.user_id))?;
    detail_with(ctx, None, Some(shown), None, 200)
}

/// # `POST /admin/identities/{user_id}/confirm`
///
/// Confirms a pending identity by hand (R7.2). For a credit code that fails
/// its own check this is the reviewer's override, recorded as such.
pub fn admin_confirm(ctx: &mut Ctx) -> Result<Resp> {
    let identity = match pending_for_staff(ctx)? {
        Ok(identity) => identity,
        Err(refused) => return Ok(refused),
    };
    let env = ctx.as_staff()?;
    ctx.write(|tx| actions::identity::confirm(&env, tx, &identity))?;
    Ok(Resp::redirect(&format!("/admin/identities/{}", identity.user_id)))
}

/// # `POST /admin/identities/{user_id}/reject` (`reason`)
pub fn admin_reject(ctx: &mut Ctx) -> Result<Resp> {
    let staff = ctx.user()?.id;
    let identity = target_identity(ctx)?;
    not_own_unless_alone(ctx, staff, identity.user_id)?;
    let why = match reason(ctx) {
        Ok(r) => r,
        Err(msg) => return detail(ctx, None, Some(msg), 422),
    };
    let (user, env) = (identity.user_id, ctx.as_staff()?);
    ctx.write(|tx| actions::identity::reject(&env, tx, user, &why))?;
    Ok(Resp::redirect(&format!("/admin/identities/{user}")))
}

/// # `POST /admin/identities/{user_id}/recheck` — admin asks for a full re-verification (R7.3)
pub fn admin_recheck(ctx: &mut Ctx) -> Result<Resp> {
    let identity = target_identity(ctx)?;
    let (user, env) = (identity.user_id, ctx.as_staff()?);
    ctx.write(|tx| actions::identity::request_recheck(&env, tx, user))?;
    Ok(Resp::redirect(&format!("/admin/identities/{user}")))
}

/// # `POST /admin/identities/{user_id}/reveal` (`field`: `legal_name`, `number` or `mobile`; `reason`)
///
/// Shows one value in full to an admin who gives a reason (R7.4). The
/// reveal is recorded (who, when, whose, which, why) in the identity's
/// history and the activity log, in the same transaction; the answer is
/// never cached.
pub fn admin_reveal(ctx: &mut Ctx) -> Result<Resp> {
    let identity = target_identity(ctx)?;
    let field = actions::identity::Field::parse(ctx.req.field("field").unwrap_or(""))
        .ok_or_else(|| Error::BadRequest("field must be legal_name, number or mobile".into()))?;
    let why = match reason(ctx) {
        Ok(r) => r,
        Err(msg) => return detail(ctx, None, Some(msg), 422),
    };
    let env = ctx.as_staff()?;
    let value = ctx.write(|tx| actions::identity::reveal(&env, tx, identity.user_id, field, &why))?;
    detail(ctx, Some((field.as_str(), value)), None, 200)
}

/// # `GET /admin/outbox` — codes waiting to be passed on by hand (sender `outbox`)
pub fn outbox(ctx: &mut Ctx) -> Result<Resp> {
    let lines = outbound::outbox_read(&ctx.app.config.data_dir, OUTBOX_LIMIT)?;
    ctx.write(|tx| ctx.log(tx, "outbox.view", "outbox"))?;
    let sender = ctx.app.config.sms_sender.clone();
    Ok(page(ctx, |c| view::outbox(c, &lines, &sender))?.header("Cache-Control", "no-store"))
}
