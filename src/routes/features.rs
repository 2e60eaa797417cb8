//! Security assessments and feature switches (R13.1), for the chief editor
//! and admins: a feature with public-opinion or mobilisation attributes is
//! switched on only once an assessment (date, reference, report file) is on
//! record. Every record and switch is logged.

use super::{page, Ctx};
use crate::db::features as fdb;
use crate::domain::features::{self, Feature, SwitchError};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::media::Store;
use crate::views::features as view;

/// The feature named in the path (`/admin/features/{feature}/...`).
fn feature(ctx: &Ctx) -> Result<Feature> {
    Feature::parse(ctx.path_text("feature")?).ok_or(Error::NotFound)
}

/// The page, with a message when an action was refused.
fn show(ctx: &mut Ctx, error: Option<String>, status: u16) -> Result<Resp> {
    let mut rows = Vec::new();
    for f in Feature::ALL {
        rows.push((f, fdb::enabled(ctx.db, f)?, fdb::assessment_count(ctx.db, f)?));
    }
    let records = fdb::assessments(ctx.db)?;
    Ok(page(ctx, |c| view::page(c, &rows, &records, error.as_deref()))?.status(status))
}

/// # `GET /admin/features`
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    show(ctx, None, 200)
}

/// # `POST /admin/features/{feature}/assess` (`assessed_on`, `reference`, `assessor`, `note`, file `report`)
///
/// Records an assessment; the report (PDF, JPEG or PNG) is kept privately,
/// served to staff only.
pub fn assess(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let f = feature(ctx)?;
    let field = |name: &str, max: usize| ctx.req.field(name).unwrap_or("").trim().chars().take(max).collect::<String>();
    let (assessed_on, reference, assessor, note) =
        (field("assessed_on", 10), field("reference", 100), field("assessor", 100), field("note", 1000));
    let today = crate::domain::dates::today(ctx.now, &ctx.app.config.zone);
    if !features::check_date(&assessed_on, today) {
        let msg = ctx.t(M::FeatureErrDate).to_string();
        return show(ctx, Some(msg), 422);
    }
    if reference.is_empty() {
        let msg = ctx.t(M::FeatureErrReference).to_string();
        return show(ctx, Some(msg), 422);
    }
    let store = Store::new(&ctx.app.config.data_dir);
    let upload = std::mem::take(&mut ctx.req.files).into_iter().find(|u| u.field == "report" && u.size > 0);
    let staged = match upload {
        Some(u) => match super::verification::stage_proof(ctx, u, &store) {
            Ok((file, mime, _)) => Some((file, mime)),
            Err(e) => {
                let (status, m) = e.media_refusal()?;
                return show(ctx, Some(m), status);
            }
        },
        None => None,
    };
    let now = ctx.now;
    ctx.write(|tx| {
        let file = match staged {
            Some((file, mime)) => Some((store.commit_file(file)?, mime)),
            None => None,
        };
        let new = fdb::NewAssessment {
            feature: f,
            assessed_on: &assessed_on,
            reference: &reference,
            assessor: &assessor,
            note: &note,
            file: file.as_ref().map(|(s, m)| (s.as_str(), *m)),
            by: Some(me),
            now,
        };
        let id = fdb::add_assessment(tx, &new)?;
        ctx.log_outcome(tx, "feature.assess", &format!("feature:{}", f.as_str()), &format!("assessment:{id}"))
    })?;
    Ok(Resp::redirect("/admin/features"))
}

/// # `POST /admin/features/{feature}/switch` (`on` = 1 | 0)
pub fn switch(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let f = feature(ctx)?;
    let on = ctx.req.field("on") == Some("1");
    if on {
        if let Err(e) = features::may_switch_on(f, fdb::assessment_count(ctx.db, f)?) {
            let msg = ctx.t(match e {
                SwitchError::NotBuilt => M::FeatureNotBuilt,
                SwitchError::NoAssessment => M::FeatureNeedsAssessment,
            });
            return show(ctx, Some(msg.to_string()), 409);
        }
    }
    let now = ctx.now;
    ctx.write(|tx| {
        fdb::set_enabled(tx, f, on, Some(me), now)?;
        ctx.log(tx, if on { "feature.on" } else { "feature.off" }, &format!("feature:{}", f.as_str()))
    })?;
    Ok(Resp::redirect("/admin/features"))
}

/// # `GET /admin/features/reports/{id}` — an assessment's report, staff only
pub fn report(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let (sha, mime) = fdb::assessment_file(ctx.db, id)?.ok_or(Error::NotFound)?;
    let mut bytes = Vec::new();
    match Store::new(&ctx.app.config.data_dir).open(&sha) {
        Ok(mut f) => std::io::Read::read_to_end(&mut f, &mut bytes)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::Gone),
        Err(e) => return Err(e.into()),
    };
    ctx.write(|tx| ctx.log(tx, "feature.report_view", &format!("assessment:{id}")))?;
    let ext = if mime == "application/pdf" {
        "pdf"
    } else if mime == "image/png" {
        "png"
    } else {
        "jpg"
    };
    Ok(Resp::with_type(200, &mime, bytes)
        .header("Content-Disposition", &format!("attachment; filename=\"assessment-{id}.{ext}\""))
        .header("Cache-Control", "private, no-store")
        .header("Content-Security-Policy", "sandbox"))
}
