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
    with_counts(ctx, u, counts)
}

/// The Account entity of `u` inside a status or notification: the counts
/// are left at 0 (a timeline would otherwise count every author's posts
/// for every page; README, "API": clients read the counts from the
/// account endpoints, which give them).
pub fn embedded(ctx: &Ctx, u: &User) -> Result<entity::Embedded> {
    // A verified badge's certified name and date are read from its record,
    // which the fingerprint does not cover: such accounts are built anew.
    let fingerprint = entity::EmbedCache::fingerprint(u, &base_url(ctx), ctx.lang.code());
    let cache = &ctx.app.api_accounts;
    if u.badge.is_none() {
        if let Some(e) = cache.get(u.id, fingerprint) {
            return Ok(e);
        }
    }
    let a = with_counts(ctx, u, db::users::Counts::default())?;
    let e = entity::Embedded::of(&a).map_err(|e| crate::error::Error::Internal(format!("JSON: {e}")))?;
    if u.badge.is_none() {
        cache.put(u.id, fingerprint, e.clone());
    }
    Ok(e)
}

fn with_counts(ctx: &Ctx, u: &User, counts: db::users::Counts) -> Result<Account> {
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
    let acct = super::param(ctx, "acct")?.unwrap_or("").trim_start_matches('@');
    // `name@host` is ours only when the host is this site's: Plaza has no remote accounts.
    let (name, host) = acct.split_once('@').map_or((acct, None), |(n, h)| (n, Some(h)));
    let base = base_url(ctx);
    let ours = base.split_once("://").map_or(base.as_str(), |(_, h)| h);
    if host.is_some_and(|h| !h.eq_ignore_ascii_case(ours)) {
        return Err(Error::NotFound);
    }
    let u = db::users::by_username(ctx.db, name)?.filter(|u| u.status == "active").ok_or(Error::NotFound)?;
    ok(&entity(ctx, &u)?)
}

/// The Relationship entity between the token's member and `other`.
fn relationship(ctx: &Ctx, me: i64, other: i64) -> Result<serde_json::Value> {
    let them = me != other;
    Ok(serde_json::json!({
        "id": other.to_string(),
        "following": them && db::posts::follows(ctx.db, me, other)?,
        "showing_reblogs": true,
        "notifying": false,
        "languages": null,
        "followed_by": them && db::posts::follows(ctx.db, other, me)?,
        "blocking": them && db::blocks::blocks(ctx.db, me, other)?,
        "blocked_by": them && db::blocks::blocks(ctx.db, other, me)?,
        "muting": them && db::blocks::mutes(ctx.db, me, other)?,
        "muting_notifications": false,
        "requested": false,
        "requested_by": false,
        "domain_blocking": false,
        "endorsed": false,
        "note": ""
    }))
}

/// # `GET /api/v1/accounts/relationships?id[]=...` (scope `read:follows`)
/// — unknown ids are left out, as Mastodon does.
pub fn relationships(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let mut out = Vec::new();
    for id in super::list_param(ctx, "id")?.into_iter().take(40) {
        if let Ok(id) = crate::http::parse_id(id) {
            if active(ctx, id).is_ok() {
                out.push(relationship(ctx, me, id)?);
            }
        }
    }
    ok(&out)
}

/// # `POST /api/v1/accounts/{id}/follow` (scope `write:follows`) — as the
/// profile page's button; answers the Relationship.
///
/// # Errors
/// 404 for an unknown account; 422 for oneself or across a block.
pub fn follow(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let u = active(ctx, path_id(ctx, "id")?)?;
    crate::routes::users::follow_user(ctx, &u)?;
    ok(&relationship(ctx, me, u.id)?)
}

/// # `POST /api/v1/accounts/{id}/unfollow` (scope `write:follows`)
pub fn unfollow(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let u = active(ctx, path_id(ctx, "id")?)?;
    crate::routes::users::unfollow_user(ctx, &u)?;
    ok(&relationship(ctx, me, u.id)?)
}

/// Followers or following of account `{id}`, newest follow first, paged
/// by `max_id`/`since_id`/`min_id` and `limit` (40, up to 80) with `Link`
/// headers. As Mastodon's, the ids there are cursors of the follow rows
/// (`db::oauth::row_cursor`: when and whom), not account ids.
fn follow_list(ctx: &mut Ctx, followers: bool) -> Result<Resp> {
    let u = active(ctx, path_id(ctx, "id")?)?;
    let w = super::timelines::window_of(ctx, 40, 80)?;
    let rows = db::oauth::follows_page(ctx.db, u.id, followers, &w)?;
    let list = rows.iter().map(|(u, _)| entity(ctx, u)).collect::<Result<Vec<_>>>()?;
    let path = format!("/api/v1/accounts/{}/{}", u.id, if followers { "followers" } else { "following" });
    super::people_page(ctx, &path, &rows, &w, &list)
}

/// # `GET /api/v1/accounts/{id}/followers`
pub fn followers(ctx: &mut Ctx) -> Result<Resp> {
    follow_list(ctx, true)
}

/// # `GET /api/v1/accounts/{id}/following`
pub fn following(ctx: &mut Ctx) -> Result<Resp> {
    follow_list(ctx, false)
}

/// # `PATCH /api/v1/accounts/update_credentials` (scope `write:accounts`)
/// — a form, JSON or `multipart/form-data` body with `display_name` and
/// `note` (the bio), screened as the profile form's are (R12.1: a held
/// change answers 202 and applies when approved), and an `avatar` image
/// file taken through the profile page's own avatar path
/// (`routes::users::stage_avatar`, R2.2: JPEG, PNG, GIF or WebP by its
/// bytes, size and pixel limits, re-encoded, with a thumbnail; the
/// `user.avatar_update` log entry, R16.1). `header` is accepted and
/// ignored: Plaza has no header image. The answer is the Account, whose
/// `avatar`/`avatar_static` name the new avatar's thumbnail.
///
/// The file is checked before anything is written; the texts and the
/// avatar then commit in one transaction, and a refused text keeps the
/// avatar unchanged too.
///
/// # Errors
/// 422 naming a field that is too long, a refused text in words, or a
/// refused avatar file in the profile page's words (`{"error": "avatar:
/// ..."}`; 413 for one over the image size limit, as the page; a whole
/// body over `max_upload_bytes` is 413 before the handler runs).
pub fn update_credentials(ctx: &mut Ctx) -> Result<Resp> {
    use crate::actions::publish::{self, Outcome};
    use crate::domain::text::grapheme_len;
    let me = ctx.user()?.id;
    let current = active(ctx, me)?;
    let (sent_name, sent_note) = (super::sent_param(ctx, "display_name")?, super::sent_param(ctx, "note")?);
    let texts_sent = sent_name.is_some() || sent_note.is_some();
    // An empty value clears the text, as on the profile page.
    let display_name = sent_name.map_or(current.display_name.clone(), |v| v.trim().to_string());
    let bio = match sent_note {
        Some(v) => v.trim().to_string(),
        None => current.bio.clone(),
    };
    if grapheme_len(&display_name) > crate::routes::users::MAX_DISPLAY_NAME {
        return Err(Error::Invalid(format!("display_name: {}", ctx.t(M::ErrDisplayNameLong))));
    }
    if grapheme_len(&bio) > crate::routes::users::MAX_BIO {
        return Err(Error::Invalid(format!("note: {}", ctx.t(M::ErrBioLong))));
    }
    // The avatar is checked (and staged) before anything is written: a
    // refused file changes nothing, the texts included.
    let avatar = if ctx.req.files_named("avatar").next().is_none() {
        None
    } else {
        match crate::routes::users::stage_avatar(ctx) {
            Ok(staged) => Some(staged),
            Err(e) => {
                let (status, msg) = e.media_refusal()?;
                let status = if status == 413 { 413 } else { 422 };
                return super::json(status, &serde_json::json!({ "error": format!("avatar: {msg}") }));
            }
        }
    };
    let env = ctx.as_member()?;
    // An avatar alone is the profile page's avatar form: the texts are
    // left as they are, with no profile entry in the log.
    let outcome = ctx.write(|tx| {
        let outcome = if texts_sent || avatar.is_none() {
            publish::profile(&env, tx, &ctx.gov, me, &display_name, &bio)?
        } else {
            Outcome::Published(me)
        };
        match (avatar, &outcome) {
            (Some(_), Outcome::Refused(_)) | (None, _) => {}
            (Some(staged), _) => crate::routes::users::store_avatar(ctx, tx, me, staged)?,
        }
        Ok(outcome)
    })?;
    let status = match outcome {
        Outcome::Refused(r) => {
            let (msg, status) = crate::routes::posts::refusal(ctx, &r);
            return super::json(status, &serde_json::json!({ "error": msg }));
        }
        Outcome::Held(..) => 202,
        _ => 200,
    };
    let u = active(ctx, me)?;
    super::json(status, &entity(ctx, &u)?)
}
