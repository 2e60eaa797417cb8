//! Tiered management (R9.1, R9.2): the rules at `/admin/tiers`, and a
//! tier refusal in plain words. The gate every new post, repost and
//! comment passes (the first rule matching the author and the content kind
//! decides the daily quota, pre-review, and whether media, reposts and
//! comments are allowed) is `actions::publish::tier_gate`.

use super::{page, Ctx};
use crate::db;
use crate::domain::credit::Level;
use crate::domain::identity::SubjectType;
use crate::domain::tiers::{Refusal, TierRule, KINDS};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::credit::level_label;
use crate::views::tiers as view;

/// A tier refusal (R9.1) in words: the rule, the author's credit level
/// and the capability refused.
pub fn refusal_words(ctx: &Ctx, rule: i64, level: Level, why: Refusal) -> String {
    let what = match why {
        Refusal::Quota(q) => ctx.lang.f(M::TierQuota, &[&q]),
        Refusal::Media => ctx.t(M::TierNoMedia).to_string(),
        Refusal::Reposts => ctx.t(M::TierNoReposts).to_string(),
        Refusal::Comments => ctx.t(M::TierNoComments).to_string(),
    };
    ctx.lang.f(M::TierRefused, &[&rule, &ctx.t(level_label(level)), &what])
}

/// # `GET /admin/tiers` — the rules in the order they are tried.
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let rules = db::tiers::rules(ctx.db)?;
    page(ctx, |c| view::list(c, &rules))
}

/// A form field as an optional number (empty: `None`).
fn opt_num(ctx: &Ctx, name: &str) -> Result<Option<i64>> {
    match ctx.req.field(name).unwrap_or("").trim() {
        "" => Ok(None),
        v => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| Error::Invalid(ctx.lang.f(M::ErrTierNumber, &[&name]))),
    }
}

/// # `POST /admin/tiers` (`position`, `subject_type`, `min_followers`,
/// `max_followers`, `credit_level`, `content_kind`, `in_emergency`,
/// `daily_quota`, `pre_review`, `media_allowed`, `reposts_allowed`,
/// `comments_allowed`, `note`, `muted_within_days`: issue 18) — add a rule.
pub fn add(ctx: &mut Ctx) -> Result<Resp> {
    let f = |k: &str| ctx.req.field(k).unwrap_or("").trim().to_string();
    let on = |k: &str| ctx.req.field(k).is_some_and(|v| v == "1" || v == "on");
    let subject_type = f("subject_type");
    if !subject_type.is_empty() && SubjectType::parse(&subject_type).is_none() {
        return Err(Error::Invalid(ctx.lang.f(M::ErrTierNumber, &[&"subject_type"])));
    }
    let credit_level = f("credit_level");
    if !credit_level.is_empty() && Level::parse(&credit_level).is_none() {
        return Err(Error::Invalid(ctx.lang.f(M::ErrTierNumber, &[&"credit_level"])));
    }
    let content_kind = f("content_kind");
    if !content_kind.is_empty() && !KINDS.contains(&content_kind.as_str()) {
        return Err(Error::Invalid(ctx.lang.f(M::ErrTierNumber, &[&"content_kind"])));
    }
    let note: String = f("note").chars().take(200).collect();
    let rule = TierRule {
        id: 0,
        position: opt_num(ctx, "position")?.unwrap_or(100),
        subject_type,
        min_followers: opt_num(ctx, "min_followers")?.unwrap_or(0),
        max_followers: opt_num(ctx, "max_followers")?,
        credit_level,
        content_kind,
        in_emergency: on("in_emergency"),
        daily_quota: opt_num(ctx, "daily_quota")?,
        pre_review: on("pre_review"),
        media_allowed: on("media_allowed"),
        reposts_allowed: on("reposts_allowed"),
        comments_allowed: on("comments_allowed"),
        note,
        muted_within_days: opt_num(ctx, "muted_within_days")?,
    };
    ctx.write(|tx| {
        let id = db::tiers::add(tx, &rule)?;
        ctx.log(tx, "tier.add", &format!("tier:{id}"))
    })?;
    Ok(Resp::redirect("/admin/tiers"))
}

/// # `POST /admin/tiers/{id}/delete`
pub fn delete(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    ctx.write(|tx| {
        if !db::tiers::delete(tx, id)? {
            return Err(Error::NotFound);
        }
        ctx.log(tx, "tier.delete", &format!("tier:{id}"))
    })?;
    Ok(Resp::redirect("/admin/tiers"))
}
