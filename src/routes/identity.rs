//! Real-name identity (后台实名, R7.1-R7.5): the member's `/settings/identity`
//! (bind, one-time code, re-verification), the publish gate, and the staff
//! pages `/admin/identities` (confirm, refuse, override, reveal with a
//! reason) and `/admin/outbox`. Every change is logged, never with a value.

use super::{id_segment, page, Ctx};
use crate::db::{self, identity as idb, notifications::Kind, sessions::SessionUser};
use crate::domain::account::Role;
use crate::domain::identity::otp::{self, Check, Throttle};
use crate::domain::identity::{self as rules, Field, IdentityError, Status};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::outbound::{self, Job};
use crate::seal;
use crate::views::identity::{self as view, BindForm, IdentityPage};

/// Identities listed on one page of `/admin/identities`.
const LIST_LIMIT: u32 = 200;
/// Outbox messages shown.
const OUTBOX_LIMIT: usize = 200;
/// Shortest and longest reason staff give.
const REASON_CHARS: std::ops::RangeInclusive<usize> = 4..=500;

/// The publish gate (R7.1, R7.3): posting, commenting and reposting need
/// an identity that is verified and not past its next check.
///
/// # Errors
/// `Error::IdentityRequired`, whose page links to `/settings/identity`.
pub fn require_publisher(ctx: &Ctx) -> Result<()> {
    if ctx.user()?.identity.may_publish() {
        Ok(())
    } else {
        Err(Error::IdentityRequired)
    }
}

/// The signed-in reviewer or admin: both handle the identity queue.
fn reviewer<'c>(ctx: &'c Ctx) -> Result<&'c SessionUser> {
    let u = ctx.user()?;
    if u.has(Role::Reviewer) || u.has(Role::Admin) {
        Ok(u)
    } else {
        Err(Error::Forbidden)
    }
}

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
    let p = IdentityPage {
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

/// # `GET /settings/identity` (`?sent=1`, `?confirmed=1` after a step)
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    ctx.user()?;
    let notice = if ctx.req.query("sent").is_some() {
        Some(ctx.t(M::IdCodeSent).to_string())
    } else if ctx.req.query("confirmed").is_some() {
        Some(ctx.t(M::IdMobileConfirmed).to_string())
    } else {
        None
    };
    show(ctx, BindForm::default(), notice, None, 200)
}

/// Send a new code to `user`'s bound mobile inside `tx` and log it; the
/// code and text to deliver after the commit, or the throttle.
fn code_in_tx(
    ctx: &Ctx,
    tx: &rusqlite::Transaction,
    user: i64,
) -> Result<std::result::Result<(rules::Mobile, String, String), Throttle>> {
    let sealed = idb::sealed(tx, user)?.ok_or(Error::NotFound)?;
    let code = match seal::new_code(tx, &ctx.app.keys, user, &sealed.mobile_mac, ctx.now)? {
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

/// # `POST /settings/identity` (`subject_type`, `legal_name`, `number`, `mobile`, `override_check`)
///
/// Checks every field with its rule (R7.2), refuses a number already
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
    };
    let today = crate::domain::dates::today(ctx.now, ctx.app.config.utc_offset_minutes);
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
    if seal::number_taken(ctx.db, &ctx.app.keys, &ctx.app.config, me, &binding)? {
        ctx.write(|tx| ctx.log_outcome(tx, "identity.bind", &format!("user:{me}"), "refused: number in use"))?;
        let msg = ctx.t(M::IdErrNumberTaken).to_string();
        return show(ctx, BindForm { field_error: Some((Field::Number, false)), ..form }, None, Some(msg), 409);
    }
    let now = ctx.now;
    let sent = ctx.write(|tx| {
        seal::store_binding(tx, &ctx.app.keys, me, &binding, now)?;
        let outcome = if binding.check_failed { "ok, check character failed: for a reviewer" } else { "ok" };
        ctx.log_outcome(tx, "identity.bind", &format!("user:{me}"), outcome)?;
        code_in_tx(ctx, tx, me)
    })?;
    drop(binding);
    after_code(ctx, sent)
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
/// For a first confirmation or a re-verification (R7.3); throttled per
/// account and per number.
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
    if !needs_code {
        return Ok(Resp::redirect("/settings/identity"));
    }
    let sent = ctx.write(|tx| code_in_tx(ctx, tx, me))?;
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
    let Some(identity) = idb::get(ctx.db, me)? else {
        let msg = ctx.t(M::IdBindFirst).to_string();
        return show(ctx, BindForm::default(), None, Some(msg), 422);
    };
    let stored = idb::code(ctx.db, me)?;
    let matches = otp::well_formed(&entered)
        && stored.as_ref().is_some_and(|c| {
            crate::crypto::constant_time_eq(&seal::code_mac(&ctx.app.keys, me, &entered), &c.code_mac)
        });
    let target = format!("user:{me}");
    let now = ctx.now;
    match otp::check(stored.as_ref().map(|c| (c.expires_at, c.tries)), matches, now) {
        Check::Confirmed => {}
        Check::Wrong { left } => {
            ctx.write(|tx| {
                idb::add_try(tx, me)?;
                ctx.log_outcome(tx, "identity.code_confirm", &target, &format!("wrong code, {left} tries left"))
            })?;
            let msg = if left > 0 { ctx.lang.f(M::IdCodeWrong, &[&left]) } else { ctx.t(M::IdCodeDead).to_string() };
            return show(ctx, BindForm::default(), None, Some(msg), 422);
        }
        other => {
            let m = match other {
                Check::Expired => M::IdCodeExpired,
                Check::TooManyTries => M::IdCodeDead,
                _ => M::IdCodeNone,
            };
            ctx.write(|tx| ctx.log_outcome(tx, "identity.code_confirm", &target, "no live code"))?;
            let msg = ctx.t(m).to_string();
            return show(ctx, BindForm::default(), None, Some(msg), 422);
        }
    }
    let recheck = matches!(identity.status(now), Status::Expired | Status::Verified) && !identity.full_recheck;
    let webhook = !ctx.app.config.identity_verify_webhook.is_empty() && !identity.check_failed;
    let next = rules::next_check(now, ctx.app.config.identity_recheck_days);
    ctx.write(|tx| {
        idb::delete_code(tx, me)?;
        idb::confirm_mobile(tx, me, now)?;
        if recheck {
            // R7.3: a new mobile code renews a verified identity.
            idb::verify(tx, me, "mobile", None, now, next)?;
            ctx.log(tx, "identity.recheck", &target)
        } else {
            idb::set_pending(tx, me, now)?;
            ctx.log_outcome(
                tx,
                "identity.code_confirm",
                &target,
                if webhook { "ok, to webhook" } else { "ok, to staff" },
            )
        }
    })?;
    if !recheck && webhook {
        if let Err(e) = ctx.app.jobs.submit(Job::Verify { user: me, stamp: now }) {
            // Left pending: staff confirm it in /admin/identities.
            eprintln!("plaza: queueing the identity webhook for user:{me}: {e}");
        }
    }
    Ok(Resp::redirect("/settings/identity?confirmed=1"))
}

/// # `GET /admin/identities` (`?status=unverified|pending|verified|expired`)
pub fn admin_list(ctx: &mut Ctx) -> Result<Resp> {
    reviewer(ctx)?;
    let filter = ctx.req.query("status").and_then(Status::parse);
    let rows = idb::list(ctx.db, filter, ctx.now, LIST_LIMIT)?;
    let now = ctx.now;
    page(ctx, |c| view::admin_list(c, &rows, filter, now))
}

/// The identity of the account in path segment 2.
fn target_identity(ctx: &Ctx) -> Result<idb::Identity> {
    idb::get(ctx.db, id_segment(ctx, 2)?)?.ok_or(Error::NotFound)
}

/// The detail page, optionally with one revealed value.
fn detail(ctx: &Ctx, revealed: Option<(&str, String)>, error: Option<String>, status: u16) -> Result<Resp> {
    let is_admin = reviewer(ctx)?.has(Role::Admin);
    let identity = target_identity(ctx)?;
    let reveals = idb::reveals(ctx.db, identity.user_id)?;
    let now = ctx.now;
    let resp = page(ctx, |c| {
        view::admin_detail(
            c,
            &identity,
            &reveals,
            revealed.as_ref().map(|(f, v)| (*f, v.as_str())),
            now,
            is_admin,
            error.as_deref(),
        )
    })?
    .status(status);
    Ok(if revealed.is_some() { resp.header("Cache-Control", "no-store") } else { resp })
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

/// # `POST /admin/identities/{user_id}/confirm`
///
/// Confirms a pending identity by hand (R7.2). For a credit code that fails
/// its own check this is the reviewer's override, recorded as such.
pub fn admin_confirm(ctx: &mut Ctx) -> Result<Resp> {
    let staff = reviewer(ctx)?.id;
    let identity = target_identity(ctx)?;
    not_own_unless_alone(ctx, staff, identity.user_id)?;
    if identity.stored_status != "pending" || identity.account_closed {
        return detail(ctx, None, Some(ctx.t(M::IdNotPending).into()), 409);
    }
    let (user, now) = (identity.user_id, ctx.now);
    let next = rules::next_check(now, ctx.app.config.identity_recheck_days);
    let target = format!("user:{user}");
    ctx.write(|tx| {
        idb::verify(tx, user, "admin", Some(staff), now, next)?;
        if identity.check_failed {
            idb::record_override(tx, user, staff, now)?;
            ctx.log_outcome(tx, "identity.override", &target, "check character failed; licence checked by hand")?;
        }
        db::notifications::notify(tx, user, Kind::IdentityVerified, staff, None, None, now)?;
        ctx.log_outcome(tx, "identity.confirm", &target, if staff == user { "ok, own account" } else { "ok" })
    })?;
    Ok(Resp::redirect(&format!("/admin/identities/{user}")))
}

/// # `POST /admin/identities/{user_id}/reject` (`reason`)
pub fn admin_reject(ctx: &mut Ctx) -> Result<Resp> {
    let staff = reviewer(ctx)?.id;
    let identity = target_identity(ctx)?;
    not_own_unless_alone(ctx, staff, identity.user_id)?;
    let why = match reason(ctx) {
        Ok(r) => r,
        Err(msg) => return detail(ctx, None, Some(msg), 422),
    };
    let (user, now) = (identity.user_id, ctx.now);
    ctx.write(|tx| {
        idb::reject(tx, user, &why, now)?;
        db::notifications::notify(tx, user, Kind::IdentityRejected, staff, None, None, now)?;
        ctx.log_outcome(tx, "identity.reject", &format!("user:{user}"), &format!("reason: {why}"))
    })?;
    Ok(Resp::redirect(&format!("/admin/identities/{user}")))
}

/// # `POST /admin/identities/{user_id}/recheck` — admin asks for a full re-verification (R7.3)
pub fn admin_recheck(ctx: &mut Ctx) -> Result<Resp> {
    ctx.staff(Role::Admin)?;
    let identity = target_identity(ctx)?;
    let (user, now) = (identity.user_id, ctx.now);
    ctx.write(|tx| {
        idb::require_full_recheck(tx, user, now)?;
        ctx.log(tx, "identity.recheck_request", &format!("user:{user}"))
    })?;
    Ok(Resp::redirect(&format!("/admin/identities/{user}")))
}

/// # `POST /admin/identities/{user_id}/reveal` (`field`: `legal_name`, `number` or `mobile`; `reason`)
///
/// Shows one value in full to an admin who gives a reason (R7.4). The
/// reveal is recorded (who, when, whose, which, why) in the identity's
/// history and the activity log, in the same transaction; the answer is
/// never cached.
pub fn admin_reveal(ctx: &mut Ctx) -> Result<Resp> {
    let staff = ctx.staff(Role::Admin)?.id;
    let identity = target_identity(ctx)?;
    let field = match ctx.req.field("field").unwrap_or("") {
        "legal_name" => "legal_name",
        "number" => "number",
        "mobile" => "mobile",
        _ => return Err(Error::BadRequest("field must be legal_name, number or mobile".into())),
    };
    let why = match reason(ctx) {
        Ok(r) => r,
        Err(msg) => return detail(ctx, None, Some(msg), 422),
    };
    let user = identity.user_id;
    let sealed = idb::sealed(ctx.db, user)?.ok_or(Error::NotFound)?;
    let clear = seal::open(&ctx.app.keys, user, &sealed)?;
    let now = ctx.now;
    ctx.write(|tx| {
        let id = idb::add_reveal(tx, user, staff, field, &why, now)?;
        ctx.log_outcome(tx, "identity.reveal", &format!("user:{user}"), &format!("reveal:{id} {field}; reason: {why}"))
    })?;
    let value = match field {
        "legal_name" => clear.legal_name,
        "number" => clear.number,
        _ => clear.mobile,
    };
    detail(ctx, Some((field, value)), None, 200)
}

/// # `GET /admin/outbox` — codes waiting to be passed on by hand (sender `outbox`)
pub fn outbox(ctx: &mut Ctx) -> Result<Resp> {
    ctx.staff(Role::Admin)?;
    let lines = outbound::outbox_read(&ctx.app.config.data_dir, OUTBOX_LIMIT)?;
    ctx.write(|tx| ctx.log(tx, "outbox.view", "outbox"))?;
    let sender = ctx.app.config.sms_sender.clone();
    Ok(page(ctx, |c| view::outbox(c, &lines, &sender))?.header("Cache-Control", "no-store"))
}
