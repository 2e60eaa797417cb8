//! Verified badges (前台实名, R8.1, R10.1): a member applies at
//! `/settings/verification` with proof documents, stored privately and
//! served only to the applicant and reviewers; reviewers approve (the
//! certified name must match the bound legal name), reject or revoke, with
//! a reason, in `/admin/verifications`; the applicant is notified.

use super::{media, page, Ctx};
use crate::actions;
use crate::db::{identity as idb, verification as vdb};
use crate::domain::account::Role;
use crate::domain::identity::{self as rules, Status, SubjectType};
use crate::error::{Error, MediaRefusal, Result};
use crate::http::{Resp, Upload};
use crate::i18n::M;
use crate::media::{Format, Prepared, StagedFile, Store};
use crate::views::verification::{self as view, ApplyForm, Queued};
use std::os::unix::fs::FileExt;

/// Most proof documents in one application.
pub const MAX_PROOFS: usize = 5;
/// Applications listed per status in `/admin/verifications`.
const LIST_LIMIT: u32 = 100;
/// Shortest and longest reason a reviewer gives.
const REASON_CHARS: std::ops::RangeInclusive<usize> = 4..=500;

/// The page with a form and messages.
fn show(ctx: &Ctx, form: ApplyForm, status: u16) -> Result<Resp> {
    let me = ctx.user()?;
    let apps = vdb::of_user(ctx.db, me.id)?;
    let mut proofs = Vec::new();
    for a in &apps {
        proofs.push(vdb::proofs(ctx.db, a.id)?);
    }
    let identity = idb::get(ctx.db, me.id)?;
    let verified = me.identity == Status::Verified;
    let saved = ctx.req.query("applied").is_some();
    let max_mib = ctx.app.config.proof_max_bytes.div_ceil(1024 * 1024);
    page(ctx, |c| view::settings(c, &apps, &proofs, identity.as_ref(), verified, &form, saved, max_mib))
        .map(|r| r.status(status))
}

/// # `GET /settings/verification`
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    ctx.user()?;
    show(ctx, ApplyForm::default(), 200)
}

/// Check one proof file (R8.1): a PDF (magic `%PDF-`, an `%%EOF` near the
/// end, within `proof_max_bytes`, without scripts, submitting forms, launch
/// actions or embedded files: `media::pdf`) is kept as sent; a JPEG or PNG goes
/// through the media checks and is re-encoded without metadata (R2.2
/// rules). Anything else is refused with a message naming the file.
pub(crate) fn stage_proof(ctx: &Ctx, upload: Upload, store: &Store) -> Result<(StagedFile, &'static str, String)> {
    let name: String = upload.file_name.chars().take(100).collect();
    let max = ctx.app.config.proof_max_bytes;
    let mib = |b: u64| format!("{:.1}", b as f64 / (1024.0 * 1024.0));
    if upload.size > max {
        return Err(Error::Media(
            MediaRefusal::TooLarge,
            ctx.lang.f(M::ErrMediaTooLarge, &[&name, &mib(upload.size), &mib(max)]),
        ));
    }
    let mut head = [0u8; 8];
    let n = upload.file.as_file().read_at(&mut head, 0)?;
    if head[..n].starts_with(b"%PDF-") {
        let bytes = std::fs::read(upload.file.path())?;
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        if !tail.windows(5).any(|w| w == b"%%EOF") {
            return Err(Error::Media(MediaRefusal::Unusable, ctx.lang.f(M::ErrMediaDamaged, &[&name])));
        }
        // Scripts, submitting forms, launch actions, embedded files: refused (issue 15).
        if let Some(what) = crate::media::pdf::active_content(&bytes) {
            return Err(Error::Media(MediaRefusal::Unsupported, ctx.lang.f(M::ProofErrActive, &[&name, &what])));
        }
        return Ok((store.stage_file(&bytes)?, "application/pdf", name));
    }
    match crate::media::format_of(&upload) {
        Ok(Format::Jpeg | Format::Png) => {}
        Ok(_) | Err(crate::media::Refusal::Unsupported) => {
            return Err(Error::Media(MediaRefusal::Unsupported, ctx.lang.f(M::ProofErrType, &[&name])))
        }
        Err(r) => return Err(Error::Media(r.class(), media::refusal_message(ctx, &name, &r))),
    }
    let limits = crate::media::Limits {
        image_max_bytes: max,
        image_max_side: ctx.app.config.image_max_side,
        video_max_bytes: 0,
    };
    match crate::media::prepare(upload, &limits) {
        Ok(Prepared::Image(img)) => Ok((store.stage_file(&img.bytes)?, img.format.mime(), name)),
        Ok(Prepared::Video { .. }) => {
            Err(Error::Media(MediaRefusal::Unsupported, ctx.lang.f(M::ProofErrType, &[&name])))
        }
        Err(r) => Err(Error::Media(r.class(), media::refusal_message(ctx, &name, &r))),
    }
}

/// # `POST /settings/verification` (`multipart/form-data`: `subject_type`, `certified_name`, files `proof`)
///
/// Needs a verified identity of the same kind (an individual applies as an
/// individual; an organisation as organisation, government, media or
/// foreign organisation), no application waiting and no badge held.
pub fn apply(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let mut form = ApplyForm {
        subject_type: ctx.req.field("subject_type").unwrap_or("").to_string(),
        certified_name: ctx.req.field("certified_name").unwrap_or("").chars().take(200).collect(),
        error: None,
    };
    let refuse = |ctx: &Ctx, mut form: ApplyForm, m: String, status: u16| -> Result<Resp> {
        form.error = Some(m);
        show(ctx, form, status)
    };
    let apps = vdb::of_user(ctx.db, me)?;
    if apps.iter().any(|a| a.status == "pending" || a.status == "approved") {
        let m = ctx.t(M::VerAlreadyOpen).to_string();
        return refuse(ctx, form, m, 409);
    }
    let Some(subject) = SubjectType::parse(&form.subject_type) else {
        let m = ctx.t(M::IdErrSubjectType).to_string();
        return refuse(ctx, form, m, 422);
    };
    let identity = idb::get(ctx.db, me)?.ok_or(Error::IdentityRequired)?;
    let bound_individual = identity.subject_type == "individual";
    if subject.is_individual() != bound_individual {
        let m = ctx.t(M::VerKindMismatch).to_string();
        return refuse(ctx, form, m, 422);
    }
    let name = match rules::check_legal_name(&form.certified_name) {
        Ok(n) => n,
        Err(e) => {
            let m = super::identity::field_message(ctx.lang, (rules::Field::LegalName, Some(e)));
            return refuse(ctx, form, m, 422);
        }
    };
    form.certified_name = name.clone();
    let (uploads, rest): (Vec<Upload>, Vec<Upload>) =
        std::mem::take(&mut ctx.req.files).into_iter().partition(|u| u.field == "proof" && u.size > 0);
    ctx.req.files = rest;
    if uploads.is_empty() || uploads.len() > MAX_PROOFS {
        let m = ctx.lang.f(M::VerProofCount, &[&MAX_PROOFS]);
        return refuse(ctx, form, m, 422);
    }
    let store = Store::new(&ctx.app.config.data_dir);
    let mut staged = Vec::new();
    for u in uploads {
        match stage_proof(ctx, u, &store) {
            Ok(s) => staged.push(s),
            Err(e) => {
                let (status, m) = e.media_refusal()?;
                return refuse(ctx, form, m, status);
            }
        }
    }
    let now = ctx.now;
    ctx.write(|tx| {
        let id = vdb::create(tx, me, subject.as_str(), &name, now)?;
        for (file, mime, file_name) in staged {
            let size = file.size as i64;
            let sha = store.commit_file(file)?;
            vdb::add_proof(tx, id, &sha, mime, size, &file_name, now)?;
        }
        ctx.log_outcome(tx, "verification.apply", &format!("verification:{id}"), subject.as_str())?;
        // Issue 13: the staff who decide badges hear of it.
        let kind = crate::db::notifications::Kind::StaffVerification;
        actions::inbox::tell_staff(&ctx.as_member()?, tx, actions::inbox::IDENTITY_DESK, Some(me), kind, "").map(|_| ())
    })?;
    Ok(Resp::redirect("/settings/verification?applied=1"))
}

/// # `GET /verification/proofs/{id}` — to the applicant and reviewers only (R8.1)
///
/// Anyone else gets 404, like a file that does not exist. A reviewer's view
/// is logged: the document holds personal data.
pub fn proof(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?;
    let staff = me.has(Role::Reviewer) || me.has(Role::Admin);
    let id = ctx.path_id("id")?;
    let (p, owner) = vdb::proof(ctx.db, id)?.ok_or(Error::NotFound)?;
    if owner != me.id && !staff {
        return Err(Error::NotFound);
    }
    let bytes = match Store::new(&ctx.app.config.data_dir).open(&p.sha256) {
        Ok(f) => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut &f, &mut buf)?;
            buf
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::Gone),
        Err(e) => return Err(e.into()),
    };
    if owner != me.id {
        ctx.write(|tx| ctx.log(tx, "verification.proof_view", &format!("proof:{id}")))?;
    }
    let ext = match p.mime.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    let disposition = if ext == "pdf" { "attachment" } else { "inline" };
    Ok(Resp::with_type(200, &p.mime, bytes)
        .header("Content-Disposition", &format!("{disposition}; filename=\"proof-{id}.{ext}\""))
        .header("Cache-Control", "private, no-store")
        .header("Content-Security-Policy", "sandbox"))
}

/// # `GET /admin/verifications`
///
/// The queue (oldest first) with each application's proofs and whether its
/// certified name matches the applicant's bound legal name (which is not
/// shown), then the badges held (to revoke) and recent refusals.
pub fn admin_list(ctx: &mut Ctx) -> Result<Resp> {
    let mut queue = Vec::new();
    for app in vdb::by_status(ctx.db, "pending", LIST_LIMIT)? {
        let proofs = vdb::proofs(ctx.db, app.id)?;
        let check = actions::verification::check(ctx.db, &ctx.app.keys, ctx.now, &app)?.map_err(|m| m.code());
        queue.push(Queued { app, proofs, check });
    }
    let approved = vdb::by_status(ctx.db, "approved", LIST_LIMIT)?;
    let mut closed = vdb::by_status(ctx.db, "rejected", 20)?;
    closed.extend(vdb::by_status(ctx.db, "revoked", 20)?);
    closed.sort_by_key(|a| std::cmp::Reverse(a.decided_at.max(a.revoked_at)));
    let error = ctx.req.query("error").and_then(|e| match e {
        "mismatch" => Some(M::VerNameMismatch),
        "identity" => Some(M::VerApplicantNotVerified),
        "kind" => Some(M::VerKindMismatch),
        "reason" => Some(M::ErrReasonShort),
        _ => None,
    });
    page(ctx, |c| view::admin(c, &queue, &approved, &closed, error))
}

/// The application in path segment 2.
fn application(ctx: &Ctx) -> Result<vdb::Application> {
    vdb::get(ctx.db, ctx.path_id("id")?)?.ok_or(Error::NotFound)
}

/// A reviewer's reason, numbers redacted (R7.5), or `None` when too short or long.
fn reason(ctx: &Ctx) -> Option<String> {
    let r = ctx.req.field("reason").unwrap_or("").trim().to_string();
    REASON_CHARS.contains(&r.chars().count()).then(|| rules::redact_numbers(&r))
}

/// # `POST /admin/verifications/{id}/approve`
///
/// R10.1: refused (and the refusal logged) unless the applicant's identity
/// is verified, of the same kind, and its legal name matches the certified
/// name.
pub fn approve(ctx: &mut Ctx) -> Result<Resp> {
    let app = application(ctx)?;
    if app.status != "pending" {
        return Err(Error::Conflict(ctx.t(M::VerNotPending).into()));
    }
    let env = ctx.as_staff()?;
    match ctx.write(|tx| actions::verification::approve(&env, tx, &app))? {
        Ok(()) => Ok(Resp::redirect("/admin/verifications")),
        Err(why) => Ok(Resp::redirect(&format!("/admin/verifications?error={}", why.code()))),
    }
}

/// # `POST /admin/verifications/{id}/reject` (`reason`)
pub fn reject(ctx: &mut Ctx) -> Result<Resp> {
    let app = application(ctx)?;
    let Some(why) = reason(ctx) else { return Ok(Resp::redirect("/admin/verifications?error=reason")) };
    let env = ctx.as_staff()?;
    ctx.write(|tx| actions::verification::reject(&env, tx, &app, &why))?;
    Ok(Resp::redirect("/admin/verifications"))
}

/// # `POST /admin/verifications/{id}/revoke` (`reason`) — takes a badge away (R10.1)
pub fn revoke(ctx: &mut Ctx) -> Result<Resp> {
    let app = application(ctx)?;
    let Some(why) = reason(ctx) else { return Ok(Resp::redirect("/admin/verifications?error=reason")) };
    let env = ctx.as_staff()?;
    ctx.write(|tx| actions::verification::revoke(&env, tx, &app, &why))?;
    Ok(Resp::redirect("/admin/verifications"))
}
