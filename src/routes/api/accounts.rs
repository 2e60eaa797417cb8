//! Accounts (issue 19): the Account entity of a member, the token's own
//! (`verify_credentials`), lookups by name. Closed accounts are not found.

use super::{base_url, ok, path_id};
use crate::db::{self, users::User};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::routes::Ctx;
use crate::views::api::{self as entity, Account, Badge};

/// The active account `id`, or `NotFound`.
pub fn active(ctx: &Ctx, id: i64) -> Result<User> {
    db::users::by_id(ctx.db, id)?.filter(|u| u.status == "active").ok_or(Error::NotFound)
}

/// The Account entity of `u` as the requester sees it (counts follow the
/// viewer's visibility, as the profile page's do), with the verified
/// badge in `fields` and `roles` (R8.1).
pub fn entity(ctx: &Ctx, u: &User) -> Result<Account> {
    let viewer = ctx.user.as_ref().map_or(0, |s| s.id);
    let counts = db::users::counts(ctx.db, u.id, viewer)?;
    let app = match u.badge {
        Some(_) => db::verification::badge(ctx.db, u.id)?,
        None => None,
    };
    let label = app
        .as_ref()
        .map(|a| ctx.lang.f(M::BadgeLabel, &[&ctx.t(crate::views::identity::subject_label(&a.subject_type))]));
    let badge = app.as_ref().zip(label.as_deref()).map(|(a, label)| Badge {
        label,
        certified_name: &a.certified_name,
        since: a.decided_at,
    });
    Ok(entity::account(u, counts, &base_url(ctx), badge))
}

/// # `GET /api/v1/accounts/verify_credentials` — the token's member, with
/// `source` (the raw bio and the default visibility).
pub fn verify_credentials(ctx: &mut Ctx) -> Result<Resp> {
    let u = active(ctx, ctx.user()?.id)?;
    let mut a = entity(ctx, &u)?;
    a.source = Some(entity::Source {
        privacy: "public",
        sensitive: false,
        language: ctx.lang.code().into(),
        note: u.bio.clone(),
        fields: a.fields.clone(),
        follow_requests_count: 0,
    });
    ok(&a)
}

/// # `GET /api/v1/accounts/{id}`
pub fn show(ctx: &mut Ctx) -> Result<Resp> {
    let u = active(ctx, path_id(ctx, "id")?)?;
    ok(&entity(ctx, &u)?)
}

/// # `GET /api/v1/accounts/lookup?acct=name` (a leading `@` and this
/// site's domain allowed)
pub fn lookup(ctx: &mut Ctx) -> Result<Resp> {
    let acct = super::param(ctx, "acct").unwrap_or("").trim_start_matches('@');
    let name = acct.split('@').next().unwrap_or("");
    let u = db::users::by_username(ctx.db, name)?.filter(|u| u.status == "active").ok_or(Error::NotFound)?;
    ok(&entity(ctx, &u)?)
}
